#include "http/views.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "auth/redaction.h"
#include "registry/json.h"

namespace izde::http {
namespace {

// The store as the redaction of one record reads it: the record's own person is the one read
// with the record, not read again (each testimony about the person asks whether the person
// may be seen: one more read of the person and its names per record, most of the time);
// every other read is the store's.
class RecordReader final : public registry::StoreReader {
 public:
  RecordReader(registry::StoreReader& store, const registry::Person& person)
      : store_(store), person_(person) {}

  Result<registry::Person> GetPerson(int64_t id) override {
    if (id == person_.id) return person_;
    return store_.GetPerson(id);
  }
  Result<registry::Testimony> GetTestimony(int64_t id) override {
    return store_.GetTestimony(id);
  }
  Result<registry::Event> GetEvent(int64_t id) override { return store_.GetEvent(id); }
  Result<registry::Relation> GetRelation(int64_t id) override { return store_.GetRelation(id); }
  Result<int64_t> FindPersonByExternalId(std::string_view external_id) override {
    return store_.FindPersonByExternalId(external_id);
  }
  Result<int64_t> FindTestimonyByExternalId(std::string_view external_id) override {
    return store_.FindTestimonyByExternalId(external_id);
  }
  Result<std::vector<registry::Event>> EventsOfPerson(int64_t person_id) override {
    return store_.EventsOfPerson(person_id);
  }
  Result<std::vector<registry::Testimony>> TestimoniesOfPerson(int64_t person_id) override {
    return store_.TestimoniesOfPerson(person_id);
  }
  Result<std::vector<registry::Relation>> RelationsOfPerson(int64_t person_id) override {
    return store_.RelationsOfPerson(person_id);
  }
  Result<std::vector<registry::AuditEntry>> History(std::string_view entity) override {
    return store_.History(entity);
  }
  Result<registry::AuditEntry> GetAuditEntry(int64_t id) override {
    return store_.GetAuditEntry(id);
  }
  Result<registry::StoreCounts> Counts() override { return store_.Counts(); }
  Result<int64_t> CountPersons() override { return store_.CountPersons(); }
  registry::LinkageReader& linkage() override { return store_.linkage(); }
  Result<registry::User> GetUser(int64_t id) override { return store_.GetUser(id); }
  Result<registry::User> FindUserByName(std::string_view name) override {
    return store_.FindUserByName(name);
  }
  Result<std::vector<registry::User>> ListUsers() override { return store_.ListUsers(); }
  Result<registry::Session> GetSession(std::string_view token_hash) override {
    return store_.GetSession(token_hash);
  }
  Result<std::vector<registry::Session>> ListSessions(int64_t user_id) override {
    return store_.ListSessions(user_id);
  }
  Result<registry::Evidence> GetEvidence(int64_t id) override { return store_.GetEvidence(id); }
  Result<std::vector<registry::Evidence>> EvidenceOfPerson(int64_t person_id) override {
    return store_.EvidenceOfPerson(person_id);
  }
  Result<int64_t> CountEvidence() override { return store_.CountEvidence(); }

 private:
  registry::StoreReader& store_;
  const registry::Person& person_;
};

}  // namespace

bool PersonVisible(const registry::Person& person, auth::Role role, registry::StoreReader& store) {
  return auth::Redactor(role, store).Redact(person).has_value();
}

Result<nlohmann::json> PersonJson(const registry::PersonRecord& record, auth::Role role,
                                  registry::StoreReader& store) {
  RecordReader reader(store, record.person);
  auth::Redactor redactor(role, reader);
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
