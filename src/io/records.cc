#include "io/records.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "io/jsonl.h"
#include "names/script.h"

namespace izde::io {
namespace {

using registry::Event;
using registry::Person;
using registry::PersonName;
using registry::Testimony;

// Column indices; the order is the export order and must match kPersonColumns etc.
enum PersonColumn : size_t {
  kPersonId,
  kPersonExternalId,
  kPersonName,
  kPersonAltNames,
  kPersonGender,
  kPersonBirthDate,
  kPersonEthnicity,
  kPersonHometown,
  kPersonHometownCode,
  kPersonOccupation,
  kPersonPrcId,
  kPersonPrivacy,
  kPersonGrade,
  kPersonStatus,
  kPersonCurrentStatus,
  kPersonNotes,
  kPersonNames,
  kPersonColumnCount,
};

enum TestimonyColumn : size_t {
  kTestimonyId,
  kTestimonyExternalId,
  kTestimonyTestifierName,
  kTestimonyTestifierContact,
  kTestimonyDate,
  kTestimonyLanguage,
  kTestimonyMedium,
  kTestimonySummary,
  kTestimonyTranscript,
  kTestimonyLink,
  kTestimonyConsent,
  kTestimonyPersons,
  kTestimonyColumnCount,
};

enum EventColumn : size_t {
  kEventId,
  kEventPerson,
  kEventType,
  kEventDate,
  kEventPlace,
  kEventPlaceCode,
  kEventTestimony,
  kEventSource,
  kEventNote,
  kEventColumnCount,
};

const std::vector<std::string_view> kPersonColumns = {
    "id",        "external_id", "name",           "alt_names",  "gender", "birth_date",
    "ethnicity", "hometown",    "hometown_code",  "occupation", "prc_id", "privacy",
    "grade",     "status",      "current_status", "notes",      "names"};
const std::vector<std::string_view> kTestimonyColumns = {
    "id",      "external_id", "testifier_name", "testifier_contact", "date",   "language", "medium",
    "summary", "transcript",  "link",           "consent",           "persons"};
const std::vector<std::string_view> kEventColumns = {
    "id", "person", "type", "date", "place", "place_code", "testimony", "source", "note"};

// What a rejects file adds to the columns; accepted and ignored, so that a fixed rejects
// file imports as it is.
constexpr std::string_view kReasonColumn = "reason";

std::string_view Trim(std::string_view text) {
  const auto is_space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  if (Trim(text).empty()) return items;
  size_t start = 0;
  for (;;) {
    const size_t bar = text.find('|', start);
    items.emplace_back(Trim(text.substr(start, bar - start)));
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return items;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out.append(kListSeparator);
    out.append(item);
  }
  return out;
}

Status FieldError(std::string_view column, std::string message) {
  return InvalidArgumentError(std::move(message), std::string(column));
}

// Re-labels a parser's error with the column it came from.
Status InColumn(std::string_view column, const Status& status) {
  return Status(status.code(), status.message(), std::string(column));
}

size_t ColumnIndex(RecordKind kind, std::string_view name) {
  const auto& columns = Columns(kind);
  const auto found = std::find(columns.begin(), columns.end(), name);
  return found == columns.end() ? columns.size() : static_cast<size_t>(found - columns.begin());
}

template <typename T, typename ParseFn>
void ParseInto(std::string_view column, std::string_view text, T& out,
               std::vector<Status>& problems, ParseFn parse) {
  text = Trim(text);
  if (text.empty()) return;
  auto parsed = parse(text);
  if (parsed.ok()) {
    out = *std::move(parsed);
  } else {
    problems.push_back(InColumn(column, parsed.status()));
  }
}

void ParseDate(std::string_view column, std::string_view text, PartialDate& out,
               std::vector<Status>& problems) {
  ParseInto(column, text, out, problems, [](std::string_view t) { return PartialDate::Parse(t); });
}

void ParseIdColumn(IdKind kind, std::string_view text, int64_t& out,
                   std::vector<Status>& problems) {
  ParseInto("id", text, out, problems, [kind](std::string_view t) { return ParseId(kind, t); });
}

std::string IdOrEmpty(IdKind kind, int64_t id) { return id == 0 ? "" : FormatId(kind, id); }

}  // namespace

bool HasPublicIdForm(IdKind kind, std::string_view text) {
  if (text.size() < 3 || text[1] != '-') return false;
  if (std::toupper(static_cast<unsigned char>(text[0])) != static_cast<char>(kind)) return false;
  return std::all_of(text.begin() + 2, text.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

std::string_view RecordKindName(RecordKind kind) {
  switch (kind) {
    case RecordKind::kPersons:
      return "persons";
    case RecordKind::kTestimonies:
      return "testimonies";
    case RecordKind::kEvents:
      return "events";
  }
  return "persons";
}

Result<RecordKind> ParseRecordKind(std::string_view text) {
  for (RecordKind kind : {RecordKind::kPersons, RecordKind::kTestimonies, RecordKind::kEvents}) {
    if (RecordKindName(kind) == text) return kind;
  }
  return InvalidArgumentError(
      fmt::format("unknown record kind '{}' (persons, testimonies or events)", text));
}

std::string_view FormatName(Format format) {
  switch (format) {
    case Format::kCsv:
      return "csv";
    case Format::kJsonl:
      return "jsonl";
  }
  return "csv";
}

Result<Format> ParseFormat(std::string_view text) {
  const std::string lower = AsciiLower(Trim(text));
  if (lower == "csv") return Format::kCsv;
  if (lower == "jsonl" || lower == "ndjson" || lower == "json") return Format::kJsonl;
  return InvalidArgumentError(fmt::format("unknown format '{}' (csv or jsonl)", text), "format");
}

Result<Format> FormatFromPath(std::string_view path) {
  const size_t dot = path.rfind('.');
  const size_t slash = path.rfind('/');
  if (dot != std::string_view::npos && (slash == std::string_view::npos || dot > slash)) {
    const std::string extension = AsciiLower(path.substr(dot + 1));
    if (extension == "csv") return Format::kCsv;
    if (extension == "jsonl" || extension == "ndjson" || extension == "json") {
      return Format::kJsonl;
    }
  }
  return InvalidArgumentError(
      fmt::format("cannot tell the format of '{}' from its extension; say --format csv|jsonl",
                  path),
      "format");
}

const std::vector<std::string_view>& Columns(RecordKind kind) {
  switch (kind) {
    case RecordKind::kPersons:
      return kPersonColumns;
    case RecordKind::kTestimonies:
      return kTestimonyColumns;
    case RecordKind::kEvents:
      return kEventColumns;
  }
  return kPersonColumns;
}

Header Header::Make(RecordKind kind, std::span<const std::string> names) {
  Header header;
  header.kind_ = kind;
  const auto& columns = Columns(kind);
  std::vector<bool> seen(columns.size(), false);
  bool seen_reason = false;
  for (const std::string& raw : names) {
    const std::string name = AsciiLower(Trim(raw));
    if (name == kReasonColumn) {
      if (seen_reason) header.problems_.push_back(FieldError(name, "column given twice"));
      seen_reason = true;
      header.targets_.push_back(kIgnored);
      continue;
    }
    const size_t index = ColumnIndex(kind, name);
    if (index == columns.size()) {
      header.problems_.push_back(FieldError(
          name.empty() ? raw : name, fmt::format("unknown column; {} files have the columns {}",
                                                 RecordKindName(kind), fmt::join(columns, ", "))));
      header.targets_.push_back(kIgnored);
      continue;
    }
    if (seen[index]) header.problems_.push_back(FieldError(name, "column given twice"));
    seen[index] = true;
    header.targets_.push_back(index);
  }
  std::vector<size_t> required;
  if (kind == RecordKind::kPersons) required = {kPersonName};
  if (kind == RecordKind::kEvents) required = {kEventPerson, kEventType};
  for (size_t index : required) {
    if (!seen[index])
      header.problems_.push_back(FieldError(columns[index], "required column missing"));
  }
  return header;
}

Status Header::Fill(std::span<const std::string> fields, Row& row) const {
  if (fields.size() != targets_.size()) {
    return InvalidArgumentError(fmt::format("expected {} fields as in the header, found {}",
                                            targets_.size(), fields.size()));
  }
  row.values.assign(Columns(kind_).size(), std::string());
  for (size_t field_idx = 0; field_idx < fields.size(); ++field_idx) {
    if (targets_[field_idx] != kIgnored) row.values[targets_[field_idx]] = fields[field_idx];
  }
  return OkStatus();
}

std::vector<Status> RowFromJson(RecordKind kind, const nlohmann::ordered_json& object, Row& row) {
  std::vector<Status> problems;
  const auto& columns = Columns(kind);
  row.values.assign(columns.size(), std::string());
  for (const auto& [key, value] : object.items()) {
    if (key == kReasonColumn) continue;
    const size_t index = ColumnIndex(kind, key);
    if (index == columns.size()) {
      problems.push_back(
          FieldError(key, fmt::format("unknown field; {} have the fields {}", RecordKindName(kind),
                                      fmt::join(columns, ", "))));
      continue;
    }
    std::string& out = row.values[index];
    const bool is_names = kind == RecordKind::kPersons && index == kPersonNames;
    const bool is_list = (kind == RecordKind::kPersons && index == kPersonAltNames) ||
                         (kind == RecordKind::kTestimonies && index == kTestimonyPersons);
    if (value.is_string()) {
      out = value.get<std::string>();
    } else if (value.is_null()) {
      out.clear();
    } else if (value.is_number()) {
      out = value.dump();
    } else if (is_names && value.is_array()) {
      out = value.dump();
    } else if (is_list && value.is_array() &&
               std::all_of(value.begin(), value.end(),
                           [](const auto& v) { return v.is_string(); })) {
      std::vector<std::string> items;
      for (const auto& item : value) items.push_back(item.get<std::string>());
      out = JoinList(items);
    } else {
      problems.push_back(
          FieldError(key, fmt::format("expected a string, found {}{}", value.type_name(),
                                      is_list ? " (or an array of strings)" : "")));
    }
  }
  return problems;
}

nlohmann::ordered_json RowToJson(RecordKind kind, const Row& row) {
  nlohmann::ordered_json object = nlohmann::ordered_json::object();
  const auto& columns = Columns(kind);
  for (size_t column_idx = 0; column_idx < columns.size(); ++column_idx) {
    const std::string& value = row.values[column_idx];
    if (kind == RecordKind::kPersons && column_idx == kPersonNames) {
      auto names = nlohmann::ordered_json::parse(value, nullptr, /*allow_exceptions=*/false);
      if (!names.is_discarded()) {
        object[std::string(columns[column_idx])] = std::move(names);
        continue;
      }
    }
    object[std::string(columns[column_idx])] = value;
  }
  return object;
}

std::string EncodeNames(const std::vector<PersonName>& names) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const PersonName& name : names) {
    array.push_back({{"text", name.text},
                     {"script", names::ScriptName(name.script)},
                     {"part", registry::NamePartName(name.part)},
                     {"source", name.source}});
  }
  return array.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<std::vector<PersonName>> DecodeNames(std::string_view text) {
  nlohmann::json array;
  try {
    array = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& error) {
    return FieldError("names", "invalid JSON: " + JsonErrorMessage(error));
  }
  if (!array.is_array()) return FieldError("names", "expected a JSON array of names");
  std::vector<PersonName> names;
  for (size_t name_idx = 0; name_idx < array.size(); ++name_idx) {
    const auto& item = array[name_idx];
    const std::string where = fmt::format("name {}: ", name_idx + 1);
    if (!item.is_object()) return FieldError("names", where + "expected an object");
    PersonName name;
    name.source = "import";
    for (const auto& [key, value] : item.items()) {
      if (!value.is_string()) {
        return FieldError("names", fmt::format("{}'{}' must be a string", where, key));
      }
      const std::string& member = value.get_ref<const std::string&>();
      if (key == "text") {
        name.text = member;
      } else if (key == "script") {
        auto script = names::ParseScript(member);
        if (!script.ok()) return FieldError("names", where + script.status().message());
        name.script = *script;
      } else if (key == "part") {
        auto part = registry::ParseNamePart(member);
        if (!part.ok()) return FieldError("names", where + part.status().message());
        name.part = *part;
      } else if (key == "source") {
        name.source = member;
      } else {
        return FieldError(
            "names", fmt::format("{}unknown member '{}' (text, script, part, source)", where, key));
      }
    }
    if (Trim(name.text).empty()) return FieldError("names", where + "text is empty");
    names.push_back(std::move(name));
  }
  return names;
}

Mapped<registry::PersonImport> PersonFromRow(const Row& row) {
  Mapped<registry::PersonImport> mapped;
  Person& person = mapped.value.person;
  auto& problems = mapped.problems;
  const auto& v = row.values;

  ParseIdColumn(IdKind::kPerson, v[kPersonId], person.id, problems);
  person.external_id = std::string(Trim(v[kPersonExternalId]));

  const std::string_view name = Trim(v[kPersonName]);
  const std::vector<std::string> alt_names = SplitList(v[kPersonAltNames]);
  if (!Trim(v[kPersonNames]).empty()) {
    auto decoded = DecodeNames(v[kPersonNames]);
    if (!decoded.ok()) {
      problems.push_back(decoded.status());
    } else if (decoded->empty()) {
      problems.push_back(FieldError("names", "a person needs at least one name"));
    } else {
      person.names = *std::move(decoded);
      // `names` is the lossless form; `name` and `alt_names` are there for people reading
      // the file. Someone who edits only those in a spreadsheet must hear that the edit
      // would be lost, rather than lose it.
      if (!name.empty() && name != person.names[0].text) {
        problems.push_back(FieldError(
            "name", fmt::format("'{}' differs from the first entry of names ('{}'); edit both "
                                "or leave names empty",
                                name, person.names[0].text)));
      }
      std::vector<std::string> rest;
      for (size_t name_idx = 1; name_idx < person.names.size(); ++name_idx) {
        rest.push_back(person.names[name_idx].text);
      }
      if (!v[kPersonAltNames].empty() && alt_names != SplitList(JoinList(rest))) {
        problems.push_back(
            FieldError("alt_names",
                       "differs from the other entries of names; edit both or leave names "
                       "empty"));
      }
    }
  } else if (name.empty()) {
    problems.push_back(FieldError("name", "required"));
  } else {
    person.names.push_back(
        {std::string(name), names::Script::kUnknown, registry::NamePart::kFull, "import"});
    for (const std::string& alt : alt_names) {
      if (alt.empty()) {
        problems.push_back(FieldError("alt_names", "empty name between separators"));
        continue;
      }
      person.names.push_back({alt, names::Script::kUnknown, registry::NamePart::kFull, "import"});
    }
  }

  ParseInto("gender", v[kPersonGender], person.gender, problems, registry::ParseGender);
  ParseDate("birth_date", v[kPersonBirthDate], person.birth_date, problems);
  person.ethnicity = std::string(Trim(v[kPersonEthnicity]));
  person.hometown_text = std::string(Trim(v[kPersonHometown]));
  person.hometown_code = std::string(Trim(v[kPersonHometownCode]));
  person.occupation = std::string(Trim(v[kPersonOccupation]));
  person.prc_id = std::string(Trim(v[kPersonPrcId]));
  ParseInto("privacy", v[kPersonPrivacy], person.privacy, problems, registry::ParsePrivacy);
  ParseInto("grade", v[kPersonGrade], person.grade, problems, registry::ParseGrade);
  person.notes = v[kPersonNotes];

  const std::string_view status = Trim(v[kPersonStatus]);
  if (!status.empty() && AsciiLower(status) != "unknown") {
    auto type = registry::ParseEventType(status);
    if (type.ok()) {
      Event event;
      event.type = *type;
      event.source = "import";
      mapped.value.events.push_back(std::move(event));
    } else {
      problems.push_back(InColumn("status", type.status()));
    }
  }
  return mapped;
}

Mapped<TestimonyRow> TestimonyFromRow(const Row& row) {
  Mapped<TestimonyRow> mapped;
  Testimony& testimony = mapped.value.testimony;
  auto& problems = mapped.problems;
  const auto& v = row.values;

  ParseIdColumn(IdKind::kTestimony, v[kTestimonyId], testimony.id, problems);
  testimony.external_id = std::string(Trim(v[kTestimonyExternalId]));
  testimony.testifier_name = std::string(Trim(v[kTestimonyTestifierName]));
  testimony.testifier_contact = std::string(Trim(v[kTestimonyTestifierContact]));
  ParseDate("date", v[kTestimonyDate], testimony.date, problems);
  testimony.language = std::string(Trim(v[kTestimonyLanguage]));
  ParseInto("medium", v[kTestimonyMedium], testimony.medium, problems, registry::ParseMedium);
  testimony.summary = v[kTestimonySummary];
  testimony.transcript = v[kTestimonyTranscript];
  testimony.link = std::string(Trim(v[kTestimonyLink]));
  ParseInto("consent", v[kTestimonyConsent], testimony.consent, problems, registry::ParseConsent);

  for (const std::string& item : SplitList(v[kTestimonyPersons])) {
    // The reference ends at the last colon: external ids may hold colons, relations do not.
    const size_t colon = item.rfind(':');
    PersonRef ref;
    ref.text = std::string(Trim(std::string_view(item).substr(0, colon)));
    if (colon != std::string::npos) ref.relation = std::string(Trim(item.substr(colon + 1)));
    if (ref.text.empty()) {
      problems.push_back(
          FieldError("persons", fmt::format("'{}' names no person (write P-000123:son)", item)));
      continue;
    }
    mapped.value.persons.push_back(std::move(ref));
  }
  return mapped;
}

Mapped<EventRow> EventFromRow(const Row& row) {
  Mapped<EventRow> mapped;
  Event& event = mapped.value.event;
  auto& problems = mapped.problems;
  const auto& v = row.values;

  ParseIdColumn(IdKind::kEvent, v[kEventId], event.id, problems);
  mapped.value.person.text = std::string(Trim(v[kEventPerson]));
  if (mapped.value.person.text.empty()) problems.push_back(FieldError("person", "required"));
  const std::string_view type = Trim(v[kEventType]);
  if (type.empty()) {
    problems.push_back(FieldError("type", "required"));
  } else {
    ParseInto("type", type, event.type, problems, registry::ParseEventType);
  }
  ParseDate("date", v[kEventDate], event.date, problems);
  event.place_text = std::string(Trim(v[kEventPlace]));
  event.place_code = std::string(Trim(v[kEventPlaceCode]));
  mapped.value.testimony = std::string(Trim(v[kEventTestimony]));
  event.source = std::string(Trim(v[kEventSource]));
  event.note = v[kEventNote];
  return mapped;
}

Row PersonToRow(const Person& person, const std::vector<Event>& events) {
  Row row;
  auto& v = row.values;
  v.assign(kPersonColumnCount, std::string());
  v[kPersonId] = IdOrEmpty(IdKind::kPerson, person.id);
  v[kPersonExternalId] = person.external_id;
  if (!person.names.empty()) v[kPersonName] = person.names[0].text;
  std::vector<std::string> rest;
  for (size_t name_idx = 1; name_idx < person.names.size(); ++name_idx) {
    rest.push_back(person.names[name_idx].text);
  }
  v[kPersonAltNames] = JoinList(rest);
  if (person.gender != registry::Gender::kUnknown) {
    v[kPersonGender] = std::string(registry::GenderName(person.gender));
  }
  v[kPersonBirthDate] = person.birth_date.ToString();
  v[kPersonEthnicity] = person.ethnicity;
  v[kPersonHometownCode] = person.hometown_code;
  v[kPersonOccupation] = person.occupation;
  v[kPersonPrivacy] = std::string(registry::PrivacyName(person.privacy));
  v[kPersonGrade] = std::string(registry::GradeName(person.grade));
  // `status` stays empty: the events export carries the history, and a status here would
  // add an event on every re-import.
  v[kPersonCurrentStatus] = registry::CurrentStatusName(events);
  v[kPersonNames] = EncodeNames(person.names);
  v[kPersonHometown] = person.hometown_text;
  v[kPersonPrcId] = person.prc_id;
  v[kPersonNotes] = person.notes;
  return row;
}

Row TestimonyToRow(const Testimony& testimony) {
  Row row;
  auto& v = row.values;
  v.assign(kTestimonyColumnCount, std::string());
  v[kTestimonyId] = IdOrEmpty(IdKind::kTestimony, testimony.id);
  v[kTestimonyExternalId] = testimony.external_id;
  v[kTestimonyDate] = testimony.date.ToString();
  v[kTestimonyLanguage] = testimony.language;
  v[kTestimonyMedium] = std::string(registry::MediumName(testimony.medium));
  v[kTestimonySummary] = testimony.summary;
  v[kTestimonyLink] = testimony.link;
  v[kTestimonyConsent] = std::string(registry::ConsentName(testimony.consent));
  std::vector<std::string> persons;
  for (const auto& mention : testimony.mentions) {
    std::string person = FormatId(IdKind::kPerson, mention.person_id);
    if (!mention.relation.empty()) person += ":" + mention.relation;
    persons.push_back(std::move(person));
  }
  v[kTestimonyPersons] = JoinList(persons);
  v[kTestimonyTestifierName] = testimony.testifier_name;
  v[kTestimonyTestifierContact] = testimony.testifier_contact;
  v[kTestimonyTranscript] = testimony.transcript;
  return row;
}

Row EventToRow(const Event& event) {
  Row row;
  auto& v = row.values;
  v.assign(kEventColumnCount, std::string());
  v[kEventId] = IdOrEmpty(IdKind::kEvent, event.id);
  v[kEventPerson] = IdOrEmpty(IdKind::kPerson, event.person_id);
  v[kEventType] = std::string(registry::EventTypeName(event.type));
  v[kEventDate] = event.date.ToString();
  v[kEventPlace] = event.place_text;
  v[kEventPlaceCode] = event.place_code;
  v[kEventTestimony] = IdOrEmpty(IdKind::kTestimony, event.source_testimony_id);
  v[kEventSource] = event.source;
  v[kEventNote] = event.note;
  return row;
}

std::string ColumnOfField(RecordKind kind, std::string_view field) {
  // Normalize* may name a member ("names[1].text"); the column is what precedes it.
  const std::string_view base = field.substr(0, field.find_first_of("[."));
  switch (kind) {
    case RecordKind::kPersons:
      if (base == "hometown_text") return "hometown";
      if (base == "names") return std::string(field);  // the import knows which column
      break;
    case RecordKind::kTestimonies:
      if (base == "mentions") return "persons";
      break;
    case RecordKind::kEvents:
      if (base == "place_text") return "place";
      if (base == "person_id") return "person";
      if (base == "source_testimony_id") return "testimony";
      break;
  }
  return std::string(base);
}

}  // namespace izde::io
