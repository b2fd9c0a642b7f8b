#include "auth/redaction.h"

#include <utility>

#include "registry/json.h"

namespace izde::auth {
namespace {

using registry::Consent;
using registry::Event;
using registry::Person;
using registry::Privacy;
using registry::Relation;
using registry::Testimony;

bool IsEditor(Role role) { return AtLeast(role, Role::kEditor); }
bool IsViewer(Role role) { return AtLeast(role, Role::kViewer); }

// Empties `member` and notes the JSON member it is written as. Every field rule below goes
// through this, so that the redacted record and the JSON view cannot disagree.
template <typename T>
void Withhold(T& member, std::string_view json_key, std::vector<std::string_view>& removed) {
  member = T{};
  removed.push_back(json_key);
}

// Removes `key` from `json`; "a.b" removes member b of each item of the array a.
void Erase(nlohmann::json& json, std::string_view key) {
  const size_t dot = key.find('.');
  if (dot == std::string_view::npos) {
    json.erase(std::string(key));
    return;
  }
  auto array = json.find(std::string(key.substr(0, dot)));
  if (array == json.end() || !array->is_array()) return;
  for (nlohmann::json& item : *array) {
    if (item.is_object()) item.erase(std::string(key.substr(dot + 1)));
  }
}

template <typename T>
nlohmann::json ViewOf(const T& record, const std::vector<std::string_view>& removed) {
  nlohmann::json json = registry::ToJson(record);
  for (std::string_view key : removed) Erase(json, key);
  return json;
}

}  // namespace

bool MaySeePerson(Role role, const Person& person) {
  switch (person.privacy) {
    case Privacy::kPublic:
      return true;
    case Privacy::kRestricted:
      return IsViewer(role);
    case Privacy::kPrivate:
      return IsEditor(role);
  }
  return false;
}

bool MayDownloadEvidence(Role role) { return IsEditor(role); }

std::function<bool(const Person&)> StatsFilter(Role role) {
  return [role](const Person& person) { return MaySeePerson(role, person); };
}

Status Redactor::Preload(registry::Store& store) {
  IZDE_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person, const std::vector<Event>&) {
    persons_[person.id] = auth::MaySeePerson(role_, person);
    return OkStatus();
  }));
  return store.ScanTestimonies([&](const Testimony& testimony) -> Status {
    IZDE_ASSIGN_OR_RETURN(bool visible, MaySeeTestimony(testimony));
    testimonies_[testimony.id] = visible;
    return OkStatus();
  });
}

Result<bool> Redactor::MaySeePerson(int64_t person_id) {
  if (IsEditor(role_)) return true;
  if (auto known = persons_.find(person_id); known != persons_.end()) return known->second;
  Result<Person> person = store_.GetPerson(person_id);
  if (!person.ok() && person.status().code() != StatusCode::kNotFound) return person.status();
  const bool visible = person.ok() && auth::MaySeePerson(role_, *person);
  persons_[person_id] = visible;
  return visible;
}

bool Redactor::ConsentAllows(const Testimony& testimony) const {
  if (IsEditor(role_)) return true;
  return testimony.consent != Consent::kPrivate;
}

Result<bool> Redactor::MaySeeTestimony(const Testimony& testimony) {
  if (IsEditor(role_)) return true;
  if (!ConsentAllows(testimony)) return false;
  // A testimony is about the persons it mentions: showing it would expose a withheld one.
  for (const registry::Mention& mention : testimony.mentions) {
    IZDE_ASSIGN_OR_RETURN(bool visible, MaySeePerson(mention.person_id));
    if (!visible) return false;
  }
  return true;
}

Result<bool> Redactor::MaySeeTestimony(int64_t testimony_id) {
  if (IsEditor(role_)) return true;
  if (auto known = testimonies_.find(testimony_id); known != testimonies_.end()) {
    return known->second;
  }
  Result<Testimony> testimony = store_.GetTestimony(testimony_id);
  if (!testimony.ok() && testimony.status().code() != StatusCode::kNotFound) {
    return testimony.status();
  }
  bool visible = false;
  if (testimony.ok()) {
    IZDE_ASSIGN_OR_RETURN(visible, MaySeeTestimony(*testimony));
  }
  testimonies_[testimony_id] = visible;
  return visible;
}

// ---------------------------------------------------------------------------------------
// The field rules, one function per kind of record. The table in redaction.h is the
// contract; keep the two in step.

std::optional<Redactor::Redacted<Person>> Redactor::RedactPerson(const Person& person) const {
  if (!auth::MaySeePerson(role_, person)) return std::nullopt;
  Redacted<Person> out{person, {}};
  if (IsEditor(role_)) return out;
  Person& shown = out.record;
  auto& removed = out.removed;
  Withhold(shown.prc_id, "prc_id", removed);
  Withhold(shown.notes, "notes", removed);
  if (IsViewer(role_)) return out;
  // An exact address may be typed as the hometown; the division code says where, safely.
  Withhold(shown.hometown_text, "hometown_text", removed);
  Withhold(shown.external_id, "external_id", removed);
  // A name's source may be a testimony the public does not see.
  for (registry::PersonName& name : shown.names) name.source.clear();
  removed.push_back("names.source");
  Withhold(shown.version, "version", removed);
  Withhold(shown.created_at, "created_at", removed);
  Withhold(shown.updated_at, "updated_at", removed);
  return out;
}

Result<std::optional<Redactor::Redacted<Testimony>>> Redactor::RedactTestimony(
    const Testimony& testimony) {
  using Out = std::optional<Redacted<Testimony>>;
  IZDE_ASSIGN_OR_RETURN(bool visible, MaySeeTestimony(testimony));
  if (!visible) return Out();
  Redacted<Testimony> out{testimony, {}};
  if (IsEditor(role_)) return Out(std::move(out));
  Testimony& shown = out.record;
  auto& removed = out.removed;
  const bool publish = testimony.consent == Consent::kPublish;
  Withhold(shown.testifier_contact, "testifier_contact", removed);
  if (!publish || !IsViewer(role_)) Withhold(shown.testifier_name, "testifier_name", removed);
  // "son of X" identifies the testifier as surely as a name.
  if (!publish) {
    for (registry::Mention& mention : shown.mentions) mention.relation.clear();
    removed.push_back("persons.relation");
  }
  if (IsViewer(role_)) return Out(std::move(out));
  // A video or a transcript shows who speaks: public only when the testifier agreed.
  if (!publish) {
    Withhold(shown.transcript, "transcript", removed);
    Withhold(shown.link, "link", removed);
  }
  Withhold(shown.external_id, "external_id", removed);
  Withhold(shown.version, "version", removed);
  Withhold(shown.created_at, "created_at", removed);
  return Out(std::move(out));
}

Result<std::optional<Redactor::Redacted<Event>>> Redactor::RedactEvent(const Event& event) {
  using Out = std::optional<Redacted<Event>>;
  IZDE_ASSIGN_OR_RETURN(bool person_visible, MaySeePerson(event.person_id));
  if (!person_visible) return Out();
  Redacted<Event> out{event, {}};
  if (IsEditor(role_)) return Out(std::move(out));
  Event& shown = out.record;
  auto& removed = out.removed;
  if (shown.source_testimony_id != 0) {
    IZDE_ASSIGN_OR_RETURN(bool testimony_visible, MaySeeTestimony(shown.source_testimony_id));
    if (!testimony_visible) Withhold(shown.source_testimony_id, "testimony", removed);
  }
  if (IsViewer(role_)) return Out(std::move(out));
  // The place as typed may be a street address; the division code is kept.
  Withhold(shown.place_text, "place_text", removed);
  Withhold(shown.source, "source", removed);
  Withhold(shown.note, "note", removed);
  Withhold(shown.version, "version", removed);
  Withhold(shown.created_at, "created_at", removed);
  return Out(std::move(out));
}

Result<std::optional<Redactor::Redacted<Relation>>> Redactor::RedactRelation(
    const Relation& relation) {
  using Out = std::optional<Redacted<Relation>>;
  IZDE_ASSIGN_OR_RETURN(bool from_visible, MaySeePerson(relation.from_person));
  IZDE_ASSIGN_OR_RETURN(bool to_visible, MaySeePerson(relation.to_person));
  if (!from_visible || !to_visible) return Out();
  Redacted<Relation> out{relation, {}};
  if (IsViewer(role_)) return Out(std::move(out));
  Withhold(out.record.note, "note", out.removed);
  return Out(std::move(out));
}

// ---------------------------------------------------------------------------------------

std::optional<Person> Redactor::Redact(const Person& person) const {
  auto redacted = RedactPerson(person);
  if (!redacted) return std::nullopt;
  return std::move(redacted->record);
}

Result<std::optional<Testimony>> Redactor::Redact(const Testimony& testimony) {
  IZDE_ASSIGN_OR_RETURN(auto redacted, RedactTestimony(testimony));
  if (!redacted) return std::optional<Testimony>();
  return std::optional<Testimony>(std::move(redacted->record));
}

Result<std::optional<Event>> Redactor::Redact(const Event& event) {
  IZDE_ASSIGN_OR_RETURN(auto redacted, RedactEvent(event));
  if (!redacted) return std::optional<Event>();
  return std::optional<Event>(std::move(redacted->record));
}

Result<std::optional<Relation>> Redactor::Redact(const Relation& relation) {
  IZDE_ASSIGN_OR_RETURN(auto redacted, RedactRelation(relation));
  if (!redacted) return std::optional<Relation>();
  return std::optional<Relation>(std::move(redacted->record));
}

std::optional<nlohmann::json> Redactor::View(const Person& person) const {
  auto redacted = RedactPerson(person);
  if (!redacted) return std::nullopt;
  return ViewOf(redacted->record, redacted->removed);
}

Result<std::optional<nlohmann::json>> Redactor::View(const Testimony& testimony) {
  IZDE_ASSIGN_OR_RETURN(auto redacted, RedactTestimony(testimony));
  if (!redacted) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(ViewOf(redacted->record, redacted->removed));
}

Result<std::optional<nlohmann::json>> Redactor::View(const Event& event) {
  IZDE_ASSIGN_OR_RETURN(auto redacted, RedactEvent(event));
  if (!redacted) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(ViewOf(redacted->record, redacted->removed));
}

Result<std::optional<nlohmann::json>> Redactor::View(const Relation& relation) {
  IZDE_ASSIGN_OR_RETURN(auto redacted, RedactRelation(relation));
  if (!redacted) return std::optional<nlohmann::json>();
  return std::optional<nlohmann::json>(ViewOf(redacted->record, redacted->removed));
}

Result<std::optional<nlohmann::json>> Redactor::View(const registry::Evidence& evidence) {
  using Out = std::optional<nlohmann::json>;
  if (IsEditor(role_)) return Out(registry::ToJson(evidence));
  // Evidence files and their records are never public: a photo or a scan shows faces,
  // addresses and ID numbers that no field rule could redact.
  if (!IsViewer(role_) || evidence.privacy == Privacy::kPrivate) return Out();
  if (evidence.person_id != 0) {
    IZDE_ASSIGN_OR_RETURN(bool visible, MaySeePerson(evidence.person_id));
    if (!visible) return Out();
  }
  if (evidence.testimony_id != 0) {
    IZDE_ASSIGN_OR_RETURN(bool visible, MaySeeTestimony(evidence.testimony_id));
    if (!visible) return Out();
  }
  registry::Evidence shown = evidence;
  std::vector<std::string_view> removed;
  // File names often carry the name of the person or of the one who sent it.
  Withhold(shown.original_name, "original_name", removed);
  Withhold(shown.note, "note", removed);
  Withhold(shown.added_by, "added_by", removed);
  Withhold(shown.blob, "blob", removed);
  return Out(ViewOf(shown, removed));
}

Result<std::optional<nlohmann::json>> Redactor::View(const registry::PersonRecord& record) {
  std::optional<nlohmann::json> person = View(record.person);
  if (!person) return std::optional<nlohmann::json>();
  // The record's own person is visible (its view is shown), as read with the record: the
  // events and testimonies about it ask MaySeePerson of it, which need not read it again.
  persons_[record.person.id] = true;
  nlohmann::json json;
  json["person"] = std::move(*person);
  json["status"] = record.status;
  json["events"] = nlohmann::json::array();
  for (const Event& event : record.events) {
    IZDE_ASSIGN_OR_RETURN(std::optional<nlohmann::json> view, View(event));
    if (view) json["events"].push_back(std::move(*view));
  }
  json["testimonies"] = nlohmann::json::array();
  for (const Testimony& testimony : record.testimonies) {
    IZDE_ASSIGN_OR_RETURN(std::optional<nlohmann::json> view, View(testimony));
    if (view) json["testimonies"].push_back(std::move(*view));
  }
  json["relations"] = nlohmann::json::array();
  for (const Relation& relation : record.relations) {
    IZDE_ASSIGN_OR_RETURN(std::optional<nlohmann::json> view, View(relation));
    if (view) json["relations"].push_back(std::move(*view));
  }
  // Warnings quote the PRC ID's digits and the hometown as typed.
  if (IsEditor(role_)) json["warnings"] = record.warnings;
  return std::optional<nlohmann::json>(std::move(json));
}

io::RecordFilter Redactor::ExportFilter() {
  io::RecordFilter filter;
  filter.person = [this](const Person& person) -> Result<std::optional<Person>> {
    return Redact(person);
  };
  filter.testimony = [this](const Testimony& testimony) { return Redact(testimony); };
  filter.event = [this](const Event& event) { return Redact(event); };
  return filter;
}

}  // namespace izde::auth
