#include "http/views.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "auth/redaction.h"
#include "registry/json.h"

namespace izde::http {

bool PersonVisible(const registry::Person& person, auth::Role role, registry::StoreReader& store) {
  return auth::Redactor(role, store).Redact(person).has_value();
}

Result<nlohmann::json> PersonJson(const registry::PersonRecord& record, auth::Role role,
                                  registry::StoreReader& store) {
  auth::Redactor redactor(role, store);
  IZDE_ASSIGN_OR_RETURN(std::optional<nlohmann::json> view, redactor.View(record));
  if (!view.has_value()) {
    return NotFoundError(fmt::format("no person {}", record.person.public_id()));
  }
  return std::move(*view);
}

nlohmann::json PersonSummaryJson(const registry::Person& person, std::string_view status,
                                 auth::Role role, registry::StoreReader& store) {
  std::optional<registry::Person> redacted = auth::Redactor(role, store).Redact(person);
  if (!redacted.has_value()) return nullptr;
  return RedactedSummaryJson(*redacted, status, role);
}

nlohmann::json RedactedSummaryJson(const registry::Person& redacted, std::string_view status,
                                   auth::Role role) {
  nlohmann::json json = {{"id", redacted.public_id()},
                         {"name", redacted.display_name()},
                         {"status", status},
                         {"ethnicity", redacted.ethnicity}};
  json["birth_year"] = redacted.birth_date.unknown()
                           ? nlohmann::json(nullptr)
                           : nlohmann::json(redacted.birth_date.start().year);
  if (!auth::AtLeast(role, auth::Role::kViewer)) return json;
  json["birth_date"] = redacted.birth_date.ToString();
  json["gender"] = registry::GenderName(redacted.gender);
  json["hometown_code"] = redacted.hometown_code;
  json["grade"] = registry::GradeName(redacted.grade);
  json["privacy"] = registry::PrivacyName(redacted.privacy);
  json["version"] = redacted.version;
  return json;
}

Result<nlohmann::json> TestimonyJson(const registry::Testimony& testimony, auth::Role role,
                                     registry::StoreReader& store) {
  auth::Redactor redactor(role, store);
  IZDE_ASSIGN_OR_RETURN(std::optional<nlohmann::json> view, redactor.View(testimony));
  if (!view.has_value())
    return NotFoundError(fmt::format("no testimony {}", testimony.public_id()));
  return std::move(*view);
}

nlohmann::json AuditJson(const registry::AuditEntry& entry, auth::Role role) {
  nlohmann::json json = registry::ToJson(entry);
  if (!auth::AtLeast(role, auth::Role::kEditor)) {
    json.erase("before");
    json.erase("after");
  }
  return json;
}

}  // namespace izde::http
