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
  out += ',';
  AppendKey(out, "ethnicity");
  AppendJsonString(out, redacted.ethnicity);
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
    out += ',';
    AppendKey(out, "gender");
    AppendJsonString(out, registry::GenderName(redacted.gender));
    out += ',';
    AppendKey(out, "grade");
    AppendJsonString(out, registry::GradeName(redacted.grade));
    out += ',';
    AppendKey(out, "hometown_code");
    AppendJsonString(out, redacted.hometown_code);
  }
  out += ',';
  AppendKey(out, "id");
  AppendJsonString(out, redacted.public_id());
  if (detail != nullptr) {
    out += ',';
    AppendKey(out, "matched_name");
    AppendJsonString(out, detail->matched_name);
  }
  out += ',';
  AppendKey(out, "name");
  AppendJsonString(out, redacted.display_name());
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
    out += ',';
    AppendKey(out, "privacy");
    AppendJsonString(out, registry::PrivacyName(redacted.privacy));
  }
  out += ',';
  AppendKey(out, "score");
  AppendJsonDouble(out, score);
  out += ',';
  AppendKey(out, "status");
  AppendJsonString(out, status);
  if (viewer) {
    out += ',';
    AppendKey(out, "version");
    AppendInteger(out, redacted.version);
  }
  out += '}';
}

}  // namespace izde::http
