#ifndef IZDE_IO_RECORDS_H_
#define IZDE_IO_RECORDS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "registry/event.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/testimony.h"

// The mapping between rows of CSV / JSON Lines files and the registry's records.
// docs/import-export.md documents every column; keep the two in step.

namespace izde::io {

enum class RecordKind : uint8_t { kPersons, kTestimonies, kEvents };
std::string_view RecordKindName(RecordKind kind);  // "persons", "testimonies", "events"
Result<RecordKind> ParseRecordKind(std::string_view text);

enum class Format : uint8_t { kCsv, kJsonl };
std::string_view FormatName(Format format);         // "csv", "jsonl"
Result<Format> ParseFormat(std::string_view text);  // also "json", "ndjson"
// From the extension: .csv is CSV; .jsonl, .ndjson and .json are JSON Lines.
// kInvalidArgument for any other extension: the caller must say --format.
Result<Format> FormatFromPath(std::string_view path);

// The columns of a kind, in the order exports write them. Imports accept the same columns
// in any order and any subset (but see Header), plus `reason` (what a rejects file adds).
const std::vector<std::string_view>& Columns(RecordKind kind);

// The separator of list columns (alt_names, persons): "a | b".
inline constexpr std::string_view kListSeparator = " | ";

// One record, column by column: values[i] is the value of Columns(kind)[i], "" when the
// file does not have that column.
struct Row {
  std::vector<std::string> values;
};

// How the columns of a CSV file map onto Columns(kind). Header names are compared after
// trimming spaces and lower-casing ASCII, so "Birth_Date " is birth_date.
class Header {
 public:
  // Never fails; problems() lists what is wrong, one Status per problem, each with the
  // column as field(): an unknown column (a typo must not silently drop data), a column
  // given twice, a required column missing (persons: name; events: person and type).
  static Header Make(RecordKind kind, std::span<const std::string> names);

  RecordKind kind() const { return kind_; }
  const std::vector<Status>& problems() const { return problems_; }
  size_t size() const { return targets_.size(); }

  // Places the fields of one CSV record into `row`. kInvalidArgument when the record does
  // not have as many fields as the header.
  Status Fill(std::span<const std::string> fields, Row& row) const;

 private:
  static constexpr size_t kIgnored = static_cast<size_t>(-1);
  RecordKind kind_ = RecordKind::kPersons;
  std::vector<size_t> targets_;  // file column -> index into Columns(kind), or kIgnored
  std::vector<Status> problems_;
};

// Places the members of one JSON Lines object into `row`. Values may be strings, numbers or
// null (""); `names` may also be an array of name objects, and the list columns arrays of
// strings. Returns one Status per problem (an unknown member, a value of the wrong type).
std::vector<Status> RowFromJson(RecordKind kind, const nlohmann::ordered_json& object, Row& row);

// The JSON Lines form of a row: every column, in order, as a string, except `names`, which is
// written as the array it encodes.
nlohmann::ordered_json RowToJson(RecordKind kind, const Row& row);

// A record read from a row, or the problems that kept it from being read: one Status per
// bad field, with the column as field() ("birth_date": "month 13 out of range").
template <typename T>
struct Mapped {
  T value;
  std::vector<Status> problems;
  bool ok() const { return problems.empty(); }
};

// True for the public id form of `kind`: "P-000123", "p-12". A bare number is not taken as
// an id in references: it is far more often an external id from the source (row "123").
bool HasPublicIdForm(IdKind kind, std::string_view text);

// A reference to a person as files write it: a public id ("P-000123") or an external id.
struct PersonRef {
  std::string text;
  std::string relation;  // for testimonies: the testifier's relation ("son"); else ""
};

// A person row. value.person.id is the number of the `id` column (0 when empty): the
// import keeps it. A non-empty `status` becomes one undated event of that type with source
// "import"; `current_status` and `reason` are ignored. Names come from `names` when it is
// not empty (then `name` and `alt_names`, if given, must agree with it), else from `name`
// and `alt_names`, each a full name with source "import". Values are not normalised:
// Registry::NormalizePerson does that.
Mapped<registry::PersonImport> PersonFromRow(const Row& row);

struct TestimonyRow {
  registry::Testimony testimony;  // mentions are empty until `persons` is resolved
  std::vector<PersonRef> persons;
};
Mapped<TestimonyRow> TestimonyFromRow(const Row& row);

struct EventRow {
  registry::Event event;  // person_id and source_testimony_id are 0 until resolved
  PersonRef person;
  std::string testimony;  // "T-000004", a testimony's external id, or ""
};
Mapped<EventRow> EventFromRow(const Row& row);

// Rows as exports write them, every field as it is (what an export may show is decided
// before, by its RecordFilter). `events` are the person's events, for current_status.
Row PersonToRow(const registry::Person& person, const std::vector<registry::Event>& events);
Row TestimonyToRow(const registry::Testimony& testimony);
Row EventToRow(const registry::Event& event);

// The encoding of the `names` column: a JSON array of
// {"text": ..., "script": ..., "part": ..., "source": ...}; script, part and source may be
// left out when reading (unknown, full, "import").
std::string EncodeNames(const std::vector<registry::PersonName>& names);
Result<std::vector<registry::PersonName>> DecodeNames(std::string_view text);

// The column a Status field of the domain (from Registry::Normalize*) is written in:
// "hometown_text" -> "hometown", "place_text" -> "place", ...
std::string ColumnOfField(RecordKind kind, std::string_view field);

}  // namespace izde::io

#endif  // IZDE_IO_RECORDS_H_
