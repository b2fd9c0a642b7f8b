#ifndef IZDE_HTTP_VIEWS_H_
#define IZDE_HTTP_VIEWS_H_

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "auth/role.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/testimony.h"

namespace izde::http {

// The only functions that turn persons and testimonies into API responses, so that what a
// role may see is decided in one place. The redaction policy (auth/redaction) plugs in here.
//
// Until it lands, team members (viewer and above) see whole records, and the anonymous
// public view is deliberately minimal: only entries marked public, and of those only the
// id, the primary name, the current status, the ethnicity and the birth year.

// False when `role` may not see that the person exists (the public view of a non-public
// entry); handlers answer 404 then, as for a missing record.
bool PersonVisible(const registry::Person& person, auth::Role role);

// A whole record: the person, its status, events, testimonies, relations and warnings.
nlohmann::json PersonJson(const registry::PersonRecord& record, auth::Role role);

// One row of a list or search result.
nlohmann::json PersonSummaryJson(const registry::Person& person, std::string_view status,
                                 auth::Role role);

nlohmann::json TestimonyJson(const registry::Testimony& testimony, auth::Role role);

}  // namespace izde::http

#endif  // IZDE_HTTP_VIEWS_H_
