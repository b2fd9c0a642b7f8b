#ifndef IZDE_HTTP_ERRORS_H_
#define IZDE_HTTP_ERRORS_H_

#include <nlohmann/json_fwd.hpp>

#include "core/status.h"

namespace izde::http {

// The HTTP status of each Status code: the one place where engine errors become HTTP.
//   invalid_argument 400, unauthenticated 401, permission_denied 403, not_found 404,
//   already_exists and aborted 409, failed_precondition 412, resource_exhausted 429
//   (413 for a body too large is set by the server itself), unavailable 503, data_loss and
//   internal 500. kOk is 200.
int HttpStatusOf(StatusCode code);

// The stable error body:
//   {"error": {"code": "invalid_argument", "message": "...", "field": "birth_date"}}
// "field" is present only when the status names one.
nlohmann::json ErrorBody(const Status& status);

}  // namespace izde::http

#endif  // IZDE_HTTP_ERRORS_H_
