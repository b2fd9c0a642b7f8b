#include "registry/json.h"

#include <nlohmann/json.hpp>

namespace izde::registry {
namespace {

using nlohmann::json;

// Reads optional members with type checks; the first problem is kept and reported.
class Reader {
 public:
  explicit Reader(const json& object) : object_(object) {
    if (!object_.is_object()) status_ = InvalidArgumentError("expected a JSON object");
  }

  std::string String(const char* key) {
    if (!status_.ok() || !object_.contains(key) || object_[key].is_null()) return {};
    if (!object_[key].is_string()) {
      status_ = InvalidArgumentError("expected a string", key);
      return {};
    }
    return object_[key].get<std::string>();
  }

  int64_t Integer(const char* key) {
    if (!status_.ok() || !object_.contains(key) || object_[key].is_null()) return 0;
    if (!object_[key].is_number_integer()) {
      status_ = InvalidArgumentError("expected an integer", key);
      return 0;
    }
    return object_[key].get<int64_t>();
  }

  int64_t Id(const char* key, IdKind kind) {
    std::string text = String(key);
    if (!status_.ok() || text.empty()) return 0;
    return Take(ParseId(kind, text), key);
  }

  PartialDate Date(const char* key) {
    std::string text = String(key);
    if (!status_.ok()) return {};
    return Take(PartialDate::Parse(text), key);
  }

  template <typename T>
  T Take(Result<T> result, const char* key) {
    if (!status_.ok()) return T{};
    if (!result.ok()) {
      status_ = Status(result.status().code(), result.status().message(), key);
      return T{};
    }
    return std::move(result).value();
  }

  const json* Array(const char* key) {
    if (!status_.ok() || !object_.contains(key) || object_[key].is_null()) return nullptr;
    if (!object_[key].is_array()) {
      status_ = InvalidArgumentError("expected an array", key);
      return nullptr;
    }
    return &object_[key];
  }

  const Status& status() const { return status_; }

 private:
  const json& object_;
  Status status_;
};

std::string IdOrEmpty(IdKind kind, int64_t id) { return id == 0 ? "" : FormatId(kind, id); }

}  // namespace

json ToJson(const Person& person) {
  json names = json::array();
  for (const PersonName& name : person.names) {
    names.push_back({{"text", name.text},
                     {"script", names::ScriptName(name.script)},
                     {"part", NamePartName(name.part)},
                     {"source", name.source}});
  }
  return {{"id", IdOrEmpty(IdKind::kPerson, person.id)},
          {"external_id", person.external_id},
          {"names", names},
          {"gender", GenderName(person.gender)},
          {"birth_date", person.birth_date.ToString()},
          {"ethnicity", person.ethnicity},
          {"hometown_code", person.hometown_code},
          {"hometown_text", person.hometown_text},
          {"occupation", person.occupation},
          {"prc_id", person.prc_id},
          {"privacy", PrivacyName(person.privacy)},
          {"grade", GradeName(person.grade)},
          {"notes", person.notes},
          {"version", person.version},
          {"created_at", person.created_at},
          {"updated_at", person.updated_at}};
}

Result<Person> PersonFromJson(const json& object) {
  Reader reader(object);
  Person person;
  person.id = reader.Id("id", IdKind::kPerson);
  person.external_id = reader.String("external_id");
  if (const json* names = reader.Array("names")) {
    for (const json& item : *names) {
      Reader name_reader(item);
      PersonName name;
      name.text = name_reader.String("text");
      std::string script = name_reader.String("script");
      name.script = script.empty() ? names::Script::kUnknown
                                   : name_reader.Take(names::ParseScript(script), "script");
      name.part = name_reader.Take(ParseNamePart(name_reader.String("part")), "part");
      name.source = name_reader.String("source");
      if (!name_reader.status().ok()) return name_reader.status().WithContext("names");
      person.names.push_back(std::move(name));
    }
  }
  person.gender = reader.Take(ParseGender(reader.String("gender")), "gender");
  person.birth_date = reader.Date("birth_date");
  person.ethnicity = reader.String("ethnicity");
  person.hometown_code = reader.String("hometown_code");
  person.hometown_text = reader.String("hometown_text");
  person.occupation = reader.String("occupation");
  person.prc_id = reader.String("prc_id");
  person.privacy = reader.Take(ParsePrivacy(reader.String("privacy")), "privacy");
  person.grade = reader.Take(ParseGrade(reader.String("grade")), "grade");
  person.notes = reader.String("notes");
  person.version = reader.Integer("version");
  person.created_at = reader.String("created_at");
  person.updated_at = reader.String("updated_at");
  if (!reader.status().ok()) return reader.status();
  return person;
}

json ToJson(const Event& event) {
  return {{"id", IdOrEmpty(IdKind::kEvent, event.id)},
          {"person", IdOrEmpty(IdKind::kPerson, event.person_id)},
          {"type", EventTypeName(event.type)},
          {"date", event.date.ToString()},
          {"place_code", event.place_code},
          {"place_text", event.place_text},
          {"testimony", IdOrEmpty(IdKind::kTestimony, event.source_testimony_id)},
          {"source", event.source},
          {"note", event.note},
          {"version", event.version},
          {"created_at", event.created_at}};
}

Result<Event> EventFromJson(const json& object) {
  Reader reader(object);
  Event event;
  event.id = reader.Id("id", IdKind::kEvent);
  event.person_id = reader.Id("person", IdKind::kPerson);
  event.type = reader.Take(ParseEventType(reader.String("type")), "type");
  event.date = reader.Date("date");
  event.place_code = reader.String("place_code");
  event.place_text = reader.String("place_text");
  event.source_testimony_id = reader.Id("testimony", IdKind::kTestimony);
  event.source = reader.String("source");
  event.note = reader.String("note");
  event.version = reader.Integer("version");
  event.created_at = reader.String("created_at");
  if (!reader.status().ok()) return reader.status();
  return event;
}

json ToJson(const Testimony& testimony) {
  json mentions = json::array();
  for (const Mention& mention : testimony.mentions) {
    mentions.push_back(
        {{"person", FormatId(IdKind::kPerson, mention.person_id)}, {"relation", mention.relation}});
  }
  return {{"id", IdOrEmpty(IdKind::kTestimony, testimony.id)},
          {"external_id", testimony.external_id},
          {"testifier_name", testimony.testifier_name},
          {"testifier_contact", testimony.testifier_contact},
          {"date", testimony.date.ToString()},
          {"language", testimony.language},
          {"medium", MediumName(testimony.medium)},
          {"summary", testimony.summary},
          {"transcript", testimony.transcript},
          {"link", testimony.link},
          {"consent", ConsentName(testimony.consent)},
          {"persons", mentions},
          {"version", testimony.version},
          {"created_at", testimony.created_at}};
}

Result<Testimony> TestimonyFromJson(const json& object) {
  Reader reader(object);
  Testimony testimony;
  testimony.id = reader.Id("id", IdKind::kTestimony);
  testimony.external_id = reader.String("external_id");
  testimony.testifier_name = reader.String("testifier_name");
  testimony.testifier_contact = reader.String("testifier_contact");
  testimony.date = reader.Date("date");
  testimony.language = reader.String("language");
  testimony.medium = reader.Take(ParseMedium(reader.String("medium")), "medium");
  testimony.summary = reader.String("summary");
  testimony.transcript = reader.String("transcript");
  testimony.link = reader.String("link");
  testimony.consent = reader.Take(ParseConsent(reader.String("consent")), "consent");
  if (const json* mentions = reader.Array("persons")) {
    for (const json& item : *mentions) {
      Reader mention_reader(item);
      Mention mention;
      mention.person_id = mention_reader.Id("person", IdKind::kPerson);
      mention.relation = mention_reader.String("relation");
      if (!mention_reader.status().ok()) return mention_reader.status().WithContext("persons");
      testimony.mentions.push_back(std::move(mention));
    }
  }
  testimony.version = reader.Integer("version");
  testimony.created_at = reader.String("created_at");
  if (!reader.status().ok()) return reader.status();
  return testimony;
}

json ToJson(const Relation& relation) {
  return {{"id", IdOrEmpty(IdKind::kRelation, relation.id)},
          {"from", IdOrEmpty(IdKind::kPerson, relation.from_person)},
          {"to", IdOrEmpty(IdKind::kPerson, relation.to_person)},
          {"kind", RelationKindName(relation.kind)},
          {"note", relation.note}};
}

Result<Relation> RelationFromJson(const json& object) {
  Reader reader(object);
  Relation relation;
  relation.id = reader.Id("id", IdKind::kRelation);
  relation.from_person = reader.Id("from", IdKind::kPerson);
  relation.to_person = reader.Id("to", IdKind::kPerson);
  relation.kind = reader.Take(ParseRelationKind(reader.String("kind")), "kind");
  relation.note = reader.String("note");
  if (!reader.status().ok()) return reader.status();
  return relation;
}

json ToJson(const AuditEntry& entry) {
  auto parse_or_null = [](const std::string& text) {
    return text.empty() ? json(nullptr) : json::parse(text, nullptr, false);
  };
  return {{"id", entry.id},         {"at", entry.at},         {"actor", entry.actor},
          {"action", entry.action}, {"entity", entry.entity}, {"person", entry.person},
          {"before", parse_or_null(entry.before)},
          {"after", parse_or_null(entry.after)},
          {"note", entry.note}};
}

}  // namespace izde::registry
