// libFuzzer target: the request-body decoders of src/http/decode.h on arbitrary bytes, as a
// client could send them. Nothing may crash, throw or hit undefined behaviour; a body that is
// accepted is a JSON object, and every member can be read back through OptionalString.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "http/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);

  // Query parameters take the same bytes as text.
  const std::string param(body.substr(0, 32));
  izde::Result<int64_t> number = izde::http::IntParam(param, "limit", -1000, 1000, 7);
  if (number.ok() && (*number < -1000 || *number > 1000)) std::abort();
  if (param.empty() && (!number.ok() || *number != 7)) std::abort();

  izde::Result<nlohmann::json> parsed = izde::http::ParseJsonObject(body);
  if (!parsed.ok()) {
    if (parsed.status().code() != izde::StatusCode::kInvalidArgument) std::abort();
    return 0;
  }
  if (!parsed->is_object() || !izde::http::IsValidUtf8(body)) std::abort();
  const std::vector<std::string> keys = izde::http::KeysOf(*parsed);
  if (keys.size() != parsed->size()) std::abort();
  if (!izde::http::CheckKnownFields(*parsed, keys).ok()) std::abort();
  const izde::Status known = izde::http::CheckKnownFields(*parsed, {"name", "names", "gender"});
  (void)known;
  for (const std::string& key : keys) {
    izde::Result<std::optional<std::string>> value =
        izde::http::OptionalString(*parsed, key.c_str());
    const nlohmann::json& member = (*parsed)[key];
    // A key with an embedded NUL is looked up by its prefix; only check plain keys.
    if (key.find('\0') != std::string::npos) continue;
    if (member.is_string() != (value.ok() && value->has_value())) std::abort();
    if (value.ok() && value->has_value() && **value != member.get<std::string>()) std::abort();
  }
  // Serialising what was accepted must not throw (strings were checked as UTF-8 on the way in).
  try {
    (void)parsed->dump();
  } catch (...) {
    std::abort();
  }
  return 0;
}
