#include "io/list_match.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <istream>
#include <iterator>
#include <optional>
#include <ostream>

#include "core/round.h"
#include "io/csv.h"
#include "registry/index_record.h"
#include "registry/linkage.h"

namespace izde::io {
namespace {

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string HeaderList(const std::vector<std::string>& header) {
  std::string list;
  for (const std::string& column : header) {
    if (!list.empty()) list += ", ";
    list += "\"" + column + "\"";
  }
  return list;
}

// Which CSV columns give what.
struct ResolvedMap {
  std::vector<size_t> names;
  std::optional<size_t> birth, place, gender;
  nlohmann::json json = nlohmann::json::object();
};

Result<ResolvedMap> ResolveColumnMap(const std::vector<ColumnMapping>& mappings,
                                     const std::vector<std::string>& header,
                                     std::string_view file) {
  ResolvedMap map;
  for (const ColumnMapping& mapping : mappings) {
    auto found = std::find(header.begin(), header.end(), mapping.column);
    if (found == header.end()) {
      return InvalidArgumentError(
          fmt::format("{}=\"{}\": {} has no column \"{}\"; its header "
                      "is: {}",
                      mapping.field, mapping.column, file, mapping.column, HeaderList(header)),
          "map");
    }
    size_t column_idx = static_cast<size_t>(found - header.begin());
    if (mapping.field == "name") {
      map.names.push_back(column_idx);
      map.json["name"].push_back(mapping.column);
      continue;
    }
    std::optional<size_t>* slot = mapping.field == "birth"    ? &map.birth
                                  : mapping.field == "place"  ? &map.place
                                  : mapping.field == "gender" ? &map.gender
                                                              : nullptr;
    if (slot == nullptr) {
      return InvalidArgumentError(
          fmt::format("unknown field '{}': use name, birth, place or gender", mapping.field),
          "map");
    }
    if (slot->has_value()) {
      return InvalidArgumentError(fmt::format("'{}' is mapped twice", mapping.field), "map");
    }
    *slot = column_idx;
    map.json[mapping.field] = mapping.column;
  }
  if (map.names.empty()) {
    return InvalidArgumentError(
        fmt::format("no name column: add name=COLUMN (the header is: {})", HeaderList(header)),
        "map");
  }
  return map;
}

}  // namespace

Result<std::vector<ColumnMapping>> ParseColumnMapText(std::string_view text) {
  std::vector<ColumnMapping> mappings;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item = text.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    if (item.empty()) continue;
    size_t equals = item.find('=');
    if (equals == std::string_view::npos) {
      return InvalidArgumentError(
          fmt::format("'{}' is not FIELD=COLUMN (e.g. name=Full name)", item), "map");
    }
    mappings.push_back({std::string(item.substr(0, equals)), std::string(item.substr(equals + 1))});
  }
  return mappings;
}

Result<ParsedList> ReadListCsv(std::istream& in, const std::vector<ColumnMapping>& mappings,
                               std::string_view file_name, const registry::Gazetteer& places) {
  CsvReader reader(in);
  IZDE_ASSIGN_OR_RETURN(bool has_header, reader.Next());
  if (!has_header) {
    return InvalidArgumentError(fmt::format("{} is empty: it needs a header row", file_name),
                                "file");
  }
  std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  IZDE_ASSIGN_OR_RETURN(ResolvedMap map, ResolveColumnMap(mappings, header, file_name));
  ParsedList list;
  list.column_map = map.json;
  while (true) {
    Result<bool> next = reader.Next();
    if (!next.ok()) {
      return InvalidArgumentError(
          fmt::format("{} line {}: {}", file_name, reader.error_line(), next.status().message()),
          "file");
    }
    if (!*next) break;
    auto fields = reader.fields();
    auto row_error = [&](std::string_view field, std::string_view message) {
      return InvalidArgumentError(fmt::format("{} line {}: {}", file_name, reader.line(), message),
                                  std::string(field));
    };
    if (fields.size() != header.size()) {
      return row_error(
          "file", fmt::format("{} fields, but the header has {}", fields.size(), header.size()));
    }
    ParsedListRow row;
    row.line = reader.line();
    nlohmann::json values = nlohmann::json::object();
    for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
      values[header[column_idx]] = fields[column_idx];
    }
    row.values = Dump(values);
    // A cell may hold several forms of the name, "Нурали Алим | Nurali Alim", as izde's own
    // exports write alt_names.
    for (size_t column_idx : map.names) {
      std::string_view cell = fields[column_idx];
      while (!cell.empty()) {
        size_t bar = cell.find('|');
        std::string_view form = cell.substr(0, bar);
        cell = bar == std::string_view::npos ? std::string_view() : cell.substr(bar + 1);
        size_t begin = form.find_first_not_of(" \t");
        if (begin == std::string_view::npos) continue;
        size_t end = form.find_last_not_of(" \t");
        row.query.names.emplace_back(form.substr(begin, end - begin + 1));
      }
    }
    if (row.query.names.empty()) {
      return row_error("name", fmt::format("no name in column {}", map.json["name"].dump()));
    }
    if (map.birth) {
      Result<PartialDate> birth = PartialDate::Parse(fields[*map.birth]);
      if (!birth.ok()) {
        return row_error(
            "birth", fmt::format("birth \"{}\": {}", fields[*map.birth], birth.status().message()));
      }
      row.query.fields.birth = registry::YearsOf(*birth);
    }
    if (map.gender && !fields[*map.gender].empty()) {
      Result<registry::Gender> gender = registry::ParseGender(fields[*map.gender]);
      if (!gender.ok()) {
        return row_error("gender", fmt::format("gender \"{}\": {}", fields[*map.gender],
                                               gender.status().message()));
      }
      row.query.fields.gender = registry::MatchGender(*gender);
    }
    if (map.place && !fields[*map.place].empty()) {
      row.query.fields.hometown_code = registry::PlaceCode(places, fields[*map.place]);
      if (row.query.fields.hometown_code.empty()) ++list.unknown_places;
    }
    list.rows.push_back(std::move(row));
  }
  return list;
}

MatchedListRow MatchListRow(ParsedListRow row, const CandidateFinder& find,
                            const ListMatchOptions& options) {
  MatchedListRow matched;
  matched.input.row.line = row.line;
  matched.input.row.values = std::move(row.values);
  // Scoring stops early at candidates that cannot reach the threshold.
  match::Query query = std::move(row.query);
  query.min_score = options.threshold;
  Result<std::vector<match::Candidate>> found = find(query, options.limit);
  if (!found.ok()) {
    matched.no_key = true;
    return matched;
  }
  for (const match::Candidate& candidate : *found) {
    if (candidate.score.total < options.threshold) continue;
    matched.input.candidates.push_back({.person_id = candidate.id,
                                        .score = RoundToHundredths(candidate.score.total),
                                        .explanation =
                                            registry::CompactExplanation(candidate.score.explanation)});
    if (!options.csv_columns) continue;
    matched.matched_names.push_back(candidate.matched_name);
    matched.explanation_lines.push_back(ExplanationLine(candidate.score));
  }
  return matched;
}

std::string StoredExplanation(const match::Score& score) {
  return registry::StoredExplanationJson(score.explanation);
}

std::string ExplanationLine(const match::Score& score) {
  // As ExplanationLine of the stored JSON reads it back: weights rounded to 0.01 first (a
  // JSON number round-trips exactly), then to one decimal.
  std::string line;
  for (const match::FieldWeight& field : score.explanation) {
    if (!line.empty()) line += "; ";
    fmt::format_to(std::back_inserter(line), "{} {:+.1f} {}", field.field, RoundToHundredths(field.weight),
                   field.value);
  }
  return line;
}

std::string ExplanationLine(const std::string& stored) {
  nlohmann::json parsed = nlohmann::json::parse(registry::ExpandExplanation(stored), nullptr, false);
  if (!parsed.is_array()) return stored;
  std::string line;
  for (const nlohmann::json& field : parsed) {
    if (!field.is_object()) continue;
    if (!line.empty()) line += "; ";
    line += fmt::format("{} {:+.1f} {}", field.value("field", ""), field.value("weight", 0.0),
                        field.value("value", ""));
  }
  return line;
}

void WriteListResults(std::ostream& out, const std::vector<ListResultRow>& rows, bool judgements) {
  CsvWriter writer(out);
  std::vector<std::string> header = {"row",          "line",  "rank",       "person_id",
                                     "matched_name", "score", "explanation"};
  if (judgements) {
    header.push_back("verdict");
    header.push_back("judged_person");
  }
  writer.WriteRow(header);
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const ListResultRow& row = rows[row_idx];
    std::string row_number = std::to_string(row_idx + 1);
    std::string line = std::to_string(row.line);
    auto write = [&](std::vector<std::string> fields) {
      if (judgements) {
        fields.push_back(row.verdict);
        fields.push_back(row.judged_person);
      }
      writer.WriteRow(fields);
    };
    if (row.candidates.empty()) write({row_number, line, "", "", "", "", ""});
    for (size_t rank_idx = 0; rank_idx < row.candidates.size(); ++rank_idx) {
      const registry::RowCandidate& candidate = row.candidates[rank_idx];
      write({row_number, line, std::to_string(rank_idx + 1),
             FormatId(IdKind::kPerson, candidate.person_id),
             rank_idx < row.matched_names.size() ? row.matched_names[rank_idx] : "",
             fmt::format("{:.2f}", candidate.score),
             rank_idx < row.explanation_lines.size() ? row.explanation_lines[rank_idx]
                                                     : ExplanationLine(candidate.explanation)});
    }
  }
}

}  // namespace izde::io
