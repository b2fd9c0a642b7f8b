#include "http/routes.h"

#include <fmt/format.h>

#include "http/decode.h"

namespace izde::http {

Result<nlohmann::json> JsonBody(const Call& call, size_t max_bytes) {
  std::string type = call.req.get_header_value("Content-Type");
  if (type.rfind("application/json", 0) != 0) {
    return InvalidArgumentError("send the body as Content-Type: application/json");
  }
  if (call.req.body.size() > max_bytes) {
    return Status(StatusCode::kResourceExhausted,
                  fmt::format("the request body is larger than {} bytes", max_bytes), "body");
  }
  return ParseJsonObject(call.req.body);
}

}  // namespace izde::http
