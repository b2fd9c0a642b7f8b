#ifndef IZDE_IO_LIST_MATCH_H_
#define IZDE_IO_LIST_MATCH_H_

// Matching an external list (a CSV roster) against the registry: the part shared by
// `izde match` and the server's POST /api/lists. Reading and checking the CSV with its column
// map, the query of each row, the candidates of a row from a finder the caller owns (its
// CandidateIndex), and the results CSV. Storing goes through registry::Linkage::CreateList.

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "match/candidate_index.h"
#include "registry/linkage.h"
#include "registry/places.h"

namespace izde::io {

// One FIELD=COLUMN of a column map, in the order given. FIELD is name (may repeat: each
// column is one more form of the name), birth, place or gender.
struct ColumnMapping {
  std::string field;
  std::string column;
};

// "name=ФИО,name=Name,birth=Year" -> {{"name","ФИО"},{"name","Name"},{"birth","Year"}}.
// kInvalidArgument (field "map") for an item without '='.
Result<std::vector<ColumnMapping>> ParseColumnMapText(std::string_view text);

// One row of the list as read and parsed.
struct ParsedListRow {
  int64_t line = 0;
  std::string values;  // JSON object of every column: header -> text
  match::Query query;
};

struct ParsedList {
  nlohmann::json column_map = nlohmann::json::object();  // {"name":[cols], "birth": col, ...}
  std::vector<ParsedListRow> rows;
  int64_t unknown_places = 0;  // rows naming a place the gazetteer does not know (ignored)
};

// Reads the whole CSV (a header row, then rows) and checks every row before anything is
// matched, so that a bad row fails fast. kInvalidArgument naming the field: "map" for an
// unknown field, a field mapped twice, a column the header lacks, or no name column; "file"
// for an empty or malformed file or a row with the wrong number of fields; "name", "birth",
// "gender" for a row without a name, with a bad birth date or gender. Messages start with
// `file_name` and the line.
Result<ParsedList> ReadListCsv(std::istream& in, const std::vector<ColumnMapping>& map,
                               std::string_view file_name, const registry::Gazetteer& places);

// Finds up to `limit` candidates for a query, best first (a CandidateIndex's Find).
using CandidateFinder =
    std::function<Result<std::vector<match::Candidate>>(const match::Query& query, int limit)>;

struct ListMatchOptions {
  int limit = 3;         // candidates kept per row
  double threshold = 0;  // lowest score of a kept candidate
  // Whether MatchListRow also makes the results CSV's columns (matched names, explanation
  // lines); the server, which writes its CSV later from what is stored, does not need them.
  bool csv_columns = true;
};

// A row with its candidates, ready for Linkage::CreateList, and the name of each candidate
// that matched (for the results CSV).
struct MatchedListRow {
  registry::ListRowInput input;
  std::vector<std::string> matched_names;
  // One per candidate: its explanation as the results CSV writes it (ExplanationLine of its
  // stored explanation), made here, on the matching threads, from the score itself.
  std::vector<std::string> explanation_lines;
  bool no_key = false;  // the row's names give no blocking key: kept, without candidates
};

// Matches one row. Thread safety: as `find`.
MatchedListRow MatchListRow(ParsedListRow row, const CandidateFinder& find,
                            const ListMatchOptions& options);

// One row of the results CSV.
struct ListResultRow {
  int64_t line = 0;
  std::vector<registry::RowCandidate> candidates;  // by rank
  std::vector<std::string> matched_names;          // one per candidate
  // One per candidate when given (MatchedListRow's): the explanation column as is; otherwise
  // each candidate's stored explanation is read (ExplanationLine), which costs a JSON parse.
  std::vector<std::string> explanation_lines;
  // With judgement columns only (see WriteListResults).
  std::string verdict;
  std::string judged_person;
};

// Writes the results as `izde match --out` does: a header
//   row,line,rank,person_id,matched_name,score,explanation
// then one line per candidate (a row without candidates gets one line with empty cells);
// `row` counts rows from 1. With `judgements`, two more columns, verdict and judged_person,
// give each row's latest judgement.
void WriteListResults(std::ostream& out, const std::vector<ListResultRow>& rows,
                      bool judgements = false);

// A score's explanation as a CandidatePair keeps it: a JSON array of {field, value, weight},
// weights rounded to 0.01 (registry::StoredExplanationJson). MatchListRow gives its
// candidates the compact form instead (registry::CompactExplanation), which a store reads
// back as this JSON.
std::string StoredExplanation(const match::Score& score);

// "name +10.1 identical (1.00): ...; birth_year +5.6 ..." from a stored explanation (a JSON
// array of {field, value, weight}, or its compact form).
std::string ExplanationLine(const std::string& stored);

// ExplanationLine(StoredExplanation(score)), the same text, without writing and reading JSON.
std::string ExplanationLine(const match::Score& score);

}  // namespace izde::io

#endif  // IZDE_IO_LIST_MATCH_H_
