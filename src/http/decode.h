#ifndef IZDE_HTTP_DECODE_H_
#define IZDE_HTTP_DECODE_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/utf8.h"

namespace izde::http {

// Parses a request body that must be one JSON object. kInvalidArgument for an empty body,
// malformed JSON, ill-formed UTF-8 or another JSON type, with where it went wrong.
Result<nlohmann::json> ParseJsonObject(std::string_view body);

// kInvalidArgument naming the first member of `object` that is not in `known`
// ("unknown field"), so that a typo is not silently dropped.
Status CheckKnownFields(const nlohmann::json& object, const std::vector<std::string>& known);

// The member names of an object, e.g. of registry::ToJson(Person{}): the fields a client
// may send.
std::vector<std::string> KeysOf(const nlohmann::json& object);

// Reads an optional string member: kInvalidArgument naming it when it is not a string.
Result<std::optional<std::string>> OptionalString(const nlohmann::json& object, const char* key);

// Parses a query parameter as an integer in [min, max]; `fallback` when absent.
Result<int64_t> IntParam(const std::string& text, const char* name, int64_t min, int64_t max,
                         int64_t fallback);

}  // namespace izde::http

#endif  // IZDE_HTTP_DECODE_H_
