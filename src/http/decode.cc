#include "http/decode.h"

#include <fmt/format.h>

#include <charconv>

namespace izde::http {

Result<nlohmann::json> ParseJsonObject(std::string_view body) {
  if (body.empty()) return InvalidArgumentError("the request needs a JSON object as its body");
  if (!IsValidUtf8(body)) return InvalidArgumentError("the body is not valid UTF-8");
  nlohmann::json parsed;
  try {
    parsed = nlohmann::json::parse(body);
  } catch (const nlohmann::json::parse_error& error) {
    return InvalidArgumentError(
        fmt::format("malformed JSON at byte {}: {}", error.byte, error.what()));
  } catch (const nlohmann::json::exception& error) {
    // Well-formed but not representable, such as a number beyond double's range (1e999).
    return InvalidArgumentError(fmt::format("unusable JSON: {}", error.what()));
  }
  if (!parsed.is_object()) return InvalidArgumentError("the body must be a JSON object");
  return parsed;
}

Status CheckKnownFields(const nlohmann::json& object, const std::vector<std::string>& known) {
  for (const auto& [key, value] : object.items()) {
    bool found = false;
    for (const std::string& name : known) found = found || name == key;
    if (!found) return InvalidArgumentError("unknown field", key);
  }
  return OkStatus();
}

std::vector<std::string> KeysOf(const nlohmann::json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

Result<std::optional<std::string>> OptionalString(const nlohmann::json& object, const char* key) {
  if (!object.contains(key) || object[key].is_null()) return std::optional<std::string>();
  if (!object[key].is_string()) return InvalidArgumentError("expected a string", key);
  return std::optional<std::string>(object[key].get<std::string>());
}

Result<int64_t> IntParam(const std::string& text, const char* name, int64_t min, int64_t max,
                         int64_t fallback) {
  if (text.empty()) return fallback;
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return InvalidArgumentError(fmt::format("expected an integer from {} to {}", min, max), name);
  }
  return value;
}

}  // namespace izde::http
