#include "registry/registry.h"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "registry/json.h"
#include "registry/prc_id.h"

namespace izde::registry {
namespace {

constexpr size_t kMaxNameBytes = 300;
constexpr size_t kMaxTextBytes = 1 << 20;

std::string Trimmed(std::string_view text) {
  size_t begin = text.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return {};
  size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(begin, end - begin + 1));
}

// Any text field: valid UTF-8, bounded.
Status CheckText(std::string_view text, std::string_view field, size_t max_bytes = kMaxTextBytes) {
  if (text.size() > max_bytes) {
    return InvalidArgumentError(fmt::format("longer than {} bytes", max_bytes), std::string(field));
  }
  Result<names::Script> script = names::DetectScript(text);
  if (!script.ok()) return InvalidArgumentError("invalid UTF-8", std::string(field));
  return OkStatus();
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Bulk imports do not copy each record into its creation entry: a created record's state
// is its version 1, kept in the record itself or in the `before` of its first update. That
// halves the work per imported row. Revert checks the version instead of the copy.
constexpr const char* kImportNote = "import";

// The entity kind of a public id: 'P', 'E', 'T', 'R'; 0 when malformed.
char KindOf(std::string_view entity) {
  return entity.size() > 2 && entity[1] == '-' ? entity[0] : '\0';
}

}  // namespace

Status Registry::NormalizePerson(Person& person) const {
  if (person.names.empty()) return InvalidArgumentError("a person needs a name", "name");
  for (PersonName& name : person.names) {
    name.text = Trimmed(name.text);
    if (name.text.empty()) return InvalidArgumentError("empty name", "name");
    if (name.text.size() > kMaxNameBytes) {
      return InvalidArgumentError(fmt::format("name longer than {} bytes", kMaxNameBytes), "name");
    }
    Result<names::Script> script = names::DetectScript(name.text);
    if (!script.ok()) return InvalidArgumentError("invalid UTF-8 in name", "name");
    if (name.script == names::Script::kUnknown) name.script = *script;
  }
  person.external_id = Trimmed(person.external_id);
  IZDE_RETURN_IF_ERROR(CheckText(person.external_id, "external_id", 200));
  IZDE_ASSIGN_OR_RETURN(person.ethnicity, ParseEthnicity(person.ethnicity));
  person.hometown_text = Trimmed(person.hometown_text);
  IZDE_RETURN_IF_ERROR(CheckText(person.hometown_text, "hometown", 1000));
  if (!person.hometown_code.empty()) {
    if (places_.Find(person.hometown_code) == nullptr) {
      return InvalidArgumentError(
          fmt::format("'{}' is not a Xinjiang division code", person.hometown_code),
          "hometown_code");
    }
  } else if (!person.hometown_text.empty()) {
    if (const Division* division = places_.Resolve(person.hometown_text)) {
      person.hometown_code = division->code;
    }
  }
  IZDE_RETURN_IF_ERROR(CheckText(person.occupation, "occupation", 1000));
  IZDE_RETURN_IF_ERROR(CheckText(person.notes, "notes"));
  person.prc_id = Trimmed(person.prc_id);
  if (!person.prc_id.empty()) {
    IZDE_ASSIGN_OR_RETURN(PrcId prc_id, ParsePrcId(person.prc_id));
    person.prc_id = prc_id.number;
  }
  return OkStatus();
}

Status Registry::NormalizeEvent(Event& event) const {
  if (event.person_id <= 0) return InvalidArgumentError("an event needs a person", "person");
  event.place_text = Trimmed(event.place_text);
  IZDE_RETURN_IF_ERROR(CheckText(event.place_text, "place", 1000));
  if (!event.place_code.empty()) {
    if (places_.Find(event.place_code) == nullptr) {
      return InvalidArgumentError(
          fmt::format("'{}' is not a Xinjiang division code", event.place_code), "place_code");
    }
  } else if (!event.place_text.empty()) {
    if (const Division* division = places_.Resolve(event.place_text)) {
      event.place_code = division->code;
    }
  }
  IZDE_RETURN_IF_ERROR(CheckText(event.source, "source", 2000));
  IZDE_RETURN_IF_ERROR(CheckText(event.note, "note"));
  return OkStatus();
}

Status Registry::NormalizeTestimony(Testimony& testimony) const {
  testimony.external_id = Trimmed(testimony.external_id);
  IZDE_RETURN_IF_ERROR(CheckText(testimony.external_id, "external_id", 200));
  IZDE_RETURN_IF_ERROR(CheckText(testimony.testifier_name, "testifier_name", 1000));
  IZDE_RETURN_IF_ERROR(CheckText(testimony.testifier_contact, "testifier_contact", 2000));
  testimony.language = Trimmed(testimony.language);
  bool language_ok = testimony.language.size() <= 35;
  for (char c : testimony.language) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') language_ok = false;
  }
  if (!language_ok) {
    return InvalidArgumentError(
        fmt::format("'{}' is not a language tag such as kk, ug, ru, zh, en", testimony.language),
        "language");
  }
  IZDE_RETURN_IF_ERROR(CheckText(testimony.summary, "summary"));
  IZDE_RETURN_IF_ERROR(CheckText(testimony.transcript, "transcript"));
  IZDE_RETURN_IF_ERROR(CheckText(testimony.link, "link", 2000));
  std::set<int64_t> seen;
  for (const Mention& mention : testimony.mentions) {
    if (mention.person_id <= 0) return InvalidArgumentError("mention without a person", "persons");
    if (!seen.insert(mention.person_id).second) {
      return InvalidArgumentError(
          fmt::format("{} is mentioned twice", FormatId(IdKind::kPerson, mention.person_id)),
          "persons");
    }
    IZDE_RETURN_IF_ERROR(CheckText(mention.relation, "persons", 200));
  }
  return OkStatus();
}

std::vector<std::string> Registry::Warnings(const Person& person) const {
  std::vector<std::string> warnings;
  if (!person.prc_id.empty()) {
    Result<PrcId> prc_id = ParsePrcId(person.prc_id);
    if (prc_id.ok()) {
      std::vector<std::string> more = PrcIdWarnings(person, *prc_id, places_);
      warnings.insert(warnings.end(), more.begin(), more.end());
    } else {
      warnings.push_back("PRC ID: " + prc_id.status().message());
    }
  }
  if (!person.hometown_text.empty() && person.hometown_code.empty()) {
    warnings.push_back(
        fmt::format("hometown '{}' did not resolve to a Xinjiang division; kept as free text",
                    person.hometown_text));
  }
  return warnings;
}

Result<Person> Registry::AddPerson(Person person, const Actor& actor) {
  IZDE_RETURN_IF_ERROR(NormalizePerson(person));
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  if (!person.external_id.empty() && txn->FindPersonByExternalId(person.external_id).ok()) {
    return AlreadyExistsError(
        fmt::format("a person with external id '{}' exists", person.external_id));
  }
  person.version = 1;
  IZDE_ASSIGN_OR_RETURN(person.id, txn->InsertPerson(person));
  IZDE_ASSIGN_OR_RETURN(Person stored, txn->GetPerson(person.id));
  IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = actor.name,
                                         .action = "person.create",
                                         .entity = stored.public_id(),
                                         .person = stored.public_id(),
                                         .after = Dump(ToJson(stored))})
                           .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return stored;
}

Result<Person> Registry::UpdatePerson(Person person, const Actor& actor) {
  IZDE_RETURN_IF_ERROR(NormalizePerson(person));
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(Person before, txn->GetPerson(person.id));
  IZDE_RETURN_IF_ERROR(txn->UpdatePerson(person));
  IZDE_ASSIGN_OR_RETURN(Person after, txn->GetPerson(person.id));
  IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = actor.name,
                                         .action = "person.update",
                                         .entity = after.public_id(),
                                         .person = after.public_id(),
                                         .before = Dump(ToJson(before)),
                                         .after = Dump(ToJson(after))})
                           .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return after;
}

Result<Event> Registry::AddEvent(Event event, const Actor& actor) {
  IZDE_RETURN_IF_ERROR(NormalizeEvent(event));
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_RETURN_IF_ERROR(txn->GetPerson(event.person_id).status());
  if (event.source_testimony_id != 0) {
    IZDE_RETURN_IF_ERROR(txn->GetTestimony(event.source_testimony_id).status());
  }
  event.version = 1;
  IZDE_ASSIGN_OR_RETURN(event.id, txn->InsertEvent(event));
  IZDE_ASSIGN_OR_RETURN(Event stored, txn->GetEvent(event.id));
  IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = actor.name,
                                         .action = "event.create",
                                         .entity = stored.public_id(),
                                         .person = FormatId(IdKind::kPerson, stored.person_id),
                                         .after = Dump(ToJson(stored))})
                           .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return stored;
}

Result<Testimony> Registry::RecordTestimony(Testimony testimony, const Actor& actor) {
  IZDE_RETURN_IF_ERROR(NormalizeTestimony(testimony));
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  for (const Mention& mention : testimony.mentions) {
    IZDE_RETURN_IF_ERROR(txn->GetPerson(mention.person_id).status());
  }
  if (!testimony.external_id.empty() &&
      txn->FindTestimonyByExternalId(testimony.external_id).ok()) {
    return AlreadyExistsError(
        fmt::format("a testimony with external id '{}' exists", testimony.external_id));
  }
  testimony.version = 1;
  IZDE_ASSIGN_OR_RETURN(testimony.id, txn->InsertTestimony(testimony));
  IZDE_ASSIGN_OR_RETURN(Testimony stored, txn->GetTestimony(testimony.id));
  IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = actor.name,
                                         .action = "testimony.create",
                                         .entity = stored.public_id(),
                                         .after = Dump(ToJson(stored))})
                           .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return stored;
}

Result<Relation> Registry::AddRelation(Relation relation, const Actor& actor) {
  if (relation.from_person == relation.to_person) {
    return InvalidArgumentError("a person cannot be related to themself", "to");
  }
  IZDE_RETURN_IF_ERROR(CheckText(relation.note, "note", 2000));
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_RETURN_IF_ERROR(txn->GetPerson(relation.from_person).status());
  IZDE_RETURN_IF_ERROR(txn->GetPerson(relation.to_person).status());
  IZDE_ASSIGN_OR_RETURN(relation.id, txn->InsertRelation(relation));
  IZDE_RETURN_IF_ERROR(txn->AppendAudit({.actor = actor.name,
                                         .action = "relation.create",
                                         .entity = FormatId(IdKind::kRelation, relation.id),
                                         .person = FormatId(IdKind::kPerson, relation.from_person),
                                         .after = Dump(ToJson(relation))})
                           .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return relation;
}

Result<PersonRecord> Registry::GetPersonRecord(int64_t person_id) {
  PersonRecord record;
  {
    // One read transaction for the four reads: one state of the record, and on SQLite one
    // lock of the file and of the store's connection instead of four.
    IZDE_ASSIGN_OR_RETURN(std::unique_ptr<StoreReader> reader, store_.BeginRead());
    IZDE_ASSIGN_OR_RETURN(record.person, reader->GetPerson(person_id));
    IZDE_ASSIGN_OR_RETURN(record.events, reader->EventsOfPerson(person_id));
    IZDE_ASSIGN_OR_RETURN(record.testimonies, reader->TestimoniesOfPerson(person_id));
    IZDE_ASSIGN_OR_RETURN(record.relations, reader->RelationsOfPerson(person_id));
  }
  record.status = CurrentStatusName(record.events);
  record.warnings = Warnings(record.person);
  return record;
}

Result<std::vector<AuditEntry>> Registry::History(std::string_view entity) {
  return store_.History(entity);
}

namespace {

// A record's JSON without the bookkeeping that every write changes.
nlohmann::json Content(nlohmann::json json) {
  if (json.is_object()) {
    json.erase("version");
    json.erase("created_at");
    json.erase("updated_at");
  }
  return json;
}

// The JSON state of a record now, null when it does not exist.
template <typename T>
Result<nlohmann::json> CurrentJson(Result<T> current) {
  if (!current.ok()) {
    if (current.status().code() == StatusCode::kNotFound) return nlohmann::json();
    return current.status();
  }
  return ToJson(*current);
}

// The JSON state now of the record of kind 'P', 'E', 'T' or 'R' with `id`; null if absent.
Result<nlohmann::json> CurrentState(StoreTransaction& txn, char kind, int64_t id) {
  switch (kind) {
    case 'P':
      return CurrentJson(txn.GetPerson(id));
    case 'E':
      return CurrentJson(txn.GetEvent(id));
    case 'T':
      return CurrentJson(txn.GetTestimony(id));
    case 'R':
      return CurrentJson(txn.GetRelation(id));
    default:
      return InvalidArgumentError(fmt::format("no record kind '{}'", kind));
  }
}

}  // namespace

Result<int64_t> Registry::Revert(int64_t audit_id, const Actor& actor) {
  IZDE_ASSIGN_OR_RETURN(auto txn, store_.Begin());
  IZDE_ASSIGN_OR_RETURN(AuditEntry entry, txn->GetAuditEntry(audit_id));
  char kind = KindOf(entry.entity);
  nlohmann::json target =
      entry.before.empty() ? nlohmann::json() : nlohmann::json::parse(entry.before, nullptr, false);
  nlohmann::json expected =
      entry.after.empty() ? nlohmann::json() : nlohmann::json::parse(entry.after, nullptr, false);
  if (target.is_discarded() || expected.is_discarded()) {
    return DataLossError(fmt::format("audit entry {} holds malformed JSON", audit_id));
  }
  IZDE_ASSIGN_OR_RETURN(int64_t id, ParseId(static_cast<IdKind>(kind), entry.entity));

  // The record must still be as that entry left it; otherwise a later change would be lost.
  if (kind != 'P' && kind != 'E' && kind != 'T' && kind != 'R') {
    return InvalidArgumentError(
        fmt::format("audit entry {} ({}) cannot be reverted", audit_id, entry.action));
  }
  IZDE_ASSIGN_OR_RETURN(nlohmann::json current, CurrentState(*txn, kind, id));
  auto version_of = [](const nlohmann::json& json) {
    return json.is_object() && json.contains("version") ? json["version"].get<int64_t>() : -1;
  };
  bool uncopied_create = entry.after.empty() && entry.action.ends_with(".create");
  if (uncopied_create) {
    // Still as created when it exists and was never updated (relations are never updated).
    bool as_created = !current.is_null() &&
                      (!current.contains("version") || current["version"].get<int64_t>() == 1);
    if (!as_created) {
      return AbortedError(
          fmt::format("{} changed after audit entry {}; revert the later changes first",
                      entry.entity, audit_id));
    }
  } else if (Content(current) != Content(expected)) {
    return AbortedError(fmt::format(
        "{} changed after audit entry {}; revert the later changes first", entry.entity, audit_id));
  }

  std::string_view verb;
  if (target.is_null()) {  // undo a create: delete
    verb = "delete";
    switch (kind) {
      case 'P':
        IZDE_RETURN_IF_ERROR(txn->DeletePerson(id));
        break;
      case 'E':
        IZDE_RETURN_IF_ERROR(txn->DeleteEvent(id));
        break;
      case 'T':
        IZDE_RETURN_IF_ERROR(txn->DeleteTestimony(id));
        break;
      case 'R':
        IZDE_RETURN_IF_ERROR(txn->DeleteRelation(id));
        break;
      default:
        break;
    }
  } else if (current.is_null()) {  // undo a delete: insert with the same id
    verb = "create";
    switch (kind) {
      case 'P': {
        IZDE_ASSIGN_OR_RETURN(Person person, PersonFromJson(target));
        IZDE_RETURN_IF_ERROR(txn->InsertPerson(person).status());
        break;
      }
      case 'E': {
        IZDE_ASSIGN_OR_RETURN(Event event, EventFromJson(target));
        IZDE_RETURN_IF_ERROR(txn->InsertEvent(event).status());
        break;
      }
      case 'T': {
        IZDE_ASSIGN_OR_RETURN(Testimony testimony, TestimonyFromJson(target));
        IZDE_RETURN_IF_ERROR(txn->InsertTestimony(testimony).status());
        break;
      }
      case 'R': {
        IZDE_ASSIGN_OR_RETURN(Relation relation, RelationFromJson(target));
        IZDE_RETURN_IF_ERROR(txn->InsertRelation(relation).status());
        break;
      }
      default:
        break;
    }
  } else {  // undo an update: write the earlier state over the current version
    verb = "update";
    int64_t version = version_of(current);
    switch (kind) {
      case 'P': {
        IZDE_ASSIGN_OR_RETURN(Person person, PersonFromJson(target));
        person.version = version;
        IZDE_RETURN_IF_ERROR(txn->UpdatePerson(person));
        break;
      }
      case 'E': {
        IZDE_ASSIGN_OR_RETURN(Event event, EventFromJson(target));
        event.version = version;
        IZDE_RETURN_IF_ERROR(txn->UpdateEvent(event));
        break;
      }
      case 'T': {
        IZDE_ASSIGN_OR_RETURN(Testimony testimony, TestimonyFromJson(target));
        testimony.version = version;
        IZDE_RETURN_IF_ERROR(txn->UpdateTestimony(testimony));
        break;
      }
      default:
        return InvalidArgumentError(fmt::format("audit entry {} cannot be reverted", audit_id));
    }
  }
  std::string_view noun = kind == 'P'   ? "person"
                          : kind == 'E' ? "event"
                          : kind == 'T' ? "testimony"
                                        : "relation";
  std::string action = fmt::format("{}.{}", noun, verb);

  IZDE_ASSIGN_OR_RETURN(nlohmann::json after, CurrentState(*txn, kind, id));
  IZDE_ASSIGN_OR_RETURN(
      int64_t new_id,
      txn->AppendAudit({.actor = actor.name,
                        .action = action,
                        .entity = entry.entity,
                        .person = entry.person,
                        .before = current.is_null() ? "" : Dump(current),
                        .after = after.is_null() ? "" : Dump(after),
                        .note = fmt::format("revert of audit entry {}", audit_id)}));
  IZDE_RETURN_IF_ERROR(txn->Commit());
  return new_id;
}

Result<std::unique_ptr<BulkWriter>> Registry::BeginBulk(const Actor& actor) {
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<StoreTransaction> txn, store_.BeginBulk());
  return std::unique_ptr<BulkWriter>(new BulkWriter(std::move(txn), actor));
}

Result<int64_t> BulkWriter::AddPerson(PersonImport& row) {
  Person& person = row.person;
  person.version = 1;
  IZDE_ASSIGN_OR_RETURN(person.id, txn_->InsertPerson(person));
  std::string public_id = person.public_id();
  IZDE_RETURN_IF_ERROR(txn_->AppendAudit({.actor = actor_.name,
                                          .action = "person.create",
                                          .entity = public_id,
                                          .person = public_id,
                                          .note = kImportNote})
                           .status());
  for (Event& event : row.events) {
    event.person_id = person.id;
    event.version = 1;
    IZDE_ASSIGN_OR_RETURN(event.id, txn_->InsertEvent(event));
    IZDE_RETURN_IF_ERROR(txn_->AppendAudit({.actor = actor_.name,
                                            .action = "event.create",
                                            .entity = event.public_id(),
                                            .person = public_id,
                                            .note = kImportNote})
                             .status());
    ++events_;
  }
  ++persons_;
  return person.id;
}

Result<int64_t> BulkWriter::AddTestimony(Testimony& testimony) {
  testimony.version = 1;
  IZDE_ASSIGN_OR_RETURN(testimony.id, txn_->InsertTestimony(testimony));
  IZDE_RETURN_IF_ERROR(txn_->AppendAudit({.actor = actor_.name,
                                          .action = "testimony.create",
                                          .entity = testimony.public_id(),
                                          .note = kImportNote})
                           .status());
  ++testimonies_;
  return testimony.id;
}

Result<int64_t> BulkWriter::AddEvent(Event& event) {
  event.version = 1;
  IZDE_ASSIGN_OR_RETURN(event.id, txn_->InsertEvent(event));
  IZDE_RETURN_IF_ERROR(txn_->AppendAudit({.actor = actor_.name,
                                          .action = "event.create",
                                          .entity = event.public_id(),
                                          .person = FormatId(IdKind::kPerson, event.person_id),
                                          .note = kImportNote})
                           .status());
  ++events_;
  return event.id;
}

Status BulkWriter::Commit() { return txn_->Commit(); }

namespace {

// The loop shared by the bulk imports of a vector of records: add each, report progress.
template <typename Record, typename Add>
Status AddAll(std::vector<Record>& rows, std::string_view noun, Add add,
              const ProgressFn& progress) {
  const auto total = static_cast<int64_t>(rows.size());
  int64_t done = 0;
  for (Record& record : rows) {
    Result<int64_t> id = add(record);
    if (!id.ok()) return id.status().WithContext(fmt::format("{} {} of {}", noun, done + 1, total));
    if (progress && (++done % 4096 == 0)) progress(done, total);
  }
  return OkStatus();
}

}  // namespace

Result<ImportSummary> Registry::ImportPersons(std::vector<PersonImport> rows, const Actor& actor,
                                              const ProgressFn& progress) {
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<BulkWriter> writer, BeginBulk(actor));
  IZDE_RETURN_IF_ERROR(AddAll(
      rows, "person", [&](PersonImport& row) { return writer->AddPerson(row); }, progress));
  IZDE_RETURN_IF_ERROR(writer->Commit());
  ImportSummary summary;
  summary.person_ids.reserve(rows.size());
  for (const PersonImport& row : rows) summary.person_ids.push_back(row.person.id);
  summary.events_created = writer->events();
  const auto total = static_cast<int64_t>(rows.size());
  if (progress) progress(total, total);
  return summary;
}

Result<int64_t> Registry::ImportTestimonies(std::vector<Testimony> rows, const Actor& actor,
                                            const ProgressFn& progress) {
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<BulkWriter> writer, BeginBulk(actor));
  IZDE_RETURN_IF_ERROR(AddAll(
      rows, "testimony", [&](Testimony& row) { return writer->AddTestimony(row); }, progress));
  IZDE_RETURN_IF_ERROR(writer->Commit());
  const auto total = static_cast<int64_t>(rows.size());
  if (progress) progress(total, total);
  return total;
}

Result<int64_t> Registry::ImportEvents(std::vector<Event> rows, const Actor& actor,
                                       const ProgressFn& progress) {
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<BulkWriter> writer, BeginBulk(actor));
  IZDE_RETURN_IF_ERROR(AddAll(
      rows, "event", [&](Event& row) { return writer->AddEvent(row); }, progress));
  IZDE_RETURN_IF_ERROR(writer->Commit());
  const auto total = static_cast<int64_t>(rows.size());
  if (progress) progress(total, total);
  return total;
}

Result<Stats> Registry::ComputeStats(const std::function<bool(const Person&)>& include) {
  Stats stats;
  IZDE_RETURN_IF_ERROR(store_.ScanPersons([&](const Person& person,
                                              const std::vector<Event>& events) {
    if (include && !include(person)) return OkStatus();
    ++stats.persons;
    ++stats.by_status[CurrentStatusName(events)];
    ++stats.by_ethnicity[person.ethnicity.empty() ? "unknown" : person.ethnicity];
    const Division* prefecture = places_.PrefectureOf(person.hometown_code);
    ++stats
          .by_prefecture[prefecture == nullptr ? std::string("unknown")
                         : prefecture->name_latin.empty()
                             ? prefecture->name_zh
                             : fmt::format("{} ({})", prefecture->name_latin, prefecture->name_zh)];
    // The year of the first deprivation of liberty with a known date.
    int first_year = 0;
    for (const Event& event : events) {
      bool detention = event.type == EventType::kDetained || event.type == EventType::kCamp ||
                       event.type == EventType::kPrison || event.type == EventType::kSentenced;
      if (detention && !event.date.unknown() &&
          (first_year == 0 || event.date.start().year < first_year)) {
        first_year = event.date.start().year;
      }
    }
    if (first_year != 0) ++stats.by_detention_year[first_year];
    return OkStatus();
  }));
  return stats;
}

}  // namespace izde::registry
