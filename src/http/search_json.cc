#include "http/search_json.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/utf8.h"
#include "names/script.h"
#include "registry/json.h"

namespace izde::http {
namespace {

// Well-formed UTF-8 (core/utf8.h), the bytes nlohmann's decoder accepts, with no byte it
// escapes (a control character, '"' or '\\'). Such a text is its own JSON string body.
bool Verbatim(std::string_view text) {
  return std::none_of(text.begin(), text.end(),
                      [](char byte) {
                        const auto code = static_cast<unsigned char>(byte);
                        return code < 0x20 || code == '"' || code == '\\';
                      }) &&
         IsValidUtf8(text);
}

template <typename Integer>
void AppendInteger(std::string& out, Integer value) {
  std::array<char, 24> buffer{};
  auto [end, error] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), end);
}

// "key": (the comma before it is the caller's).
void AppendKey(std::string& out, std::string_view key) {
  out += '"';
  out += key;
  out += "\":";
}

// ,"key":"text" (a member after the first).
void AppendStringMember(std::string& out, std::string_view key, std::string_view text) {
  out += ',';
  AppendKey(out, key);
  AppendJsonString(out, text);
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
  if (Verbatim(text)) {
    out += '"';
    out += text;
    out += '"';
    return;
  }
  // Escapes and ill-formed bytes are rare in names: nlohmann writes them, so they come out
  // exactly as in its dump.
  out += nlohmann::json(std::string(text))
             .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void AppendJsonDouble(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // nlohmann's own number writer (serializer::dump_float uses it with a 64-byte buffer).
  std::array<char, 64> buffer{};
  char* end = nlohmann::detail::to_chars(buffer.data(), buffer.data() + buffer.size(), value);
  out.append(buffer.data(), end);
}

void AppendSearchRow(std::string& out, const registry::Person& redacted, std::string_view status,
                     auth::Role role, double score, const SearchRowDetail* detail) {
  // The keys in the order of the tree's std::map, with the viewer's fields (RedactedSummaryJson)
  // and the signed-in caller's (`detail`) in their places.
  const bool viewer = auth::AtLeast(role, auth::Role::kViewer);
  out += '{';
  if (viewer) {
    AppendKey(out, "birth_date");
    AppendJsonString(out, redacted.birth_date.ToString());
    out += ',';
  }
  AppendKey(out, "birth_year");
  if (redacted.birth_date.unknown()) {
    out += "null";
  } else {
    AppendInteger(out, redacted.birth_date.start().year);
  }
  AppendStringMember(out, "ethnicity", redacted.ethnicity);
  if (detail != nullptr) {
    out += ',';
    AppendKey(out, "explanation");
    out += '[';
    bool first = true;
    for (const match::FieldWeight& field : detail->explanation) {
      if (!first) out += ',';
      first = false;
      out += "{\"field\":";
      AppendJsonString(out, field.field);
      out += ",\"value\":";
      AppendJsonString(out, field.value);
      out += ",\"weight\":";
      AppendJsonDouble(out, field.weight);
      out += '}';
    }
    out += ']';
  }
  if (viewer) {
    AppendStringMember(out, "gender", registry::GenderName(redacted.gender));
    AppendStringMember(out, "grade", registry::GradeName(redacted.grade));
    AppendStringMember(out, "hometown_code", redacted.hometown_code);
  }
  AppendStringMember(out, "id", redacted.public_id());
  if (detail != nullptr) {
    AppendStringMember(out, "matched_name", detail->matched_name);
  }
  AppendStringMember(out, "name", redacted.display_name());
  if (detail != nullptr) {
    out += ',';
    AppendKey(out, "name_in_script");
    out += "{\"generated\":";
    out += detail->name_in_script.generated ? "true" : "false";
    out += ",\"script\":";
    AppendJsonString(out, names::ScriptName(detail->name_in_script.script));
    out += ",\"text\":";
    AppendJsonString(out, detail->name_in_script.text);
    out += '}';
  }
  if (viewer) {
    AppendStringMember(out, "privacy", registry::PrivacyName(redacted.privacy));
  }
  out += ',';
  AppendKey(out, "score");
  AppendJsonDouble(out, score);
  AppendStringMember(out, "status", status);
  if (viewer) {
    out += ',';
    AppendKey(out, "version");
    AppendInteger(out, redacted.version);
  }
  out += '}';
}

}  // namespace izde::http
