// libFuzzer target: the form decoders behind the upload routes, on arbitrary bytes as a
// client could send them. Nothing may crash, throw or hit undefined behaviour.
//   - POST /api/lists: the column map text (up to the first newline) and the CSV after it,
//     through io::ParseColumnMapText and io::ReadListCsv, and the CSV alone through
//     io::CsvReader: every record it accepts is well-formed UTF-8.
//   - POST /api/evidence: the same bytes cut into multipart parts (parts separated by 0x1E,
//     name, file name and content by 0x1F) through http::DecodeEvidenceForm: an accepted
//     form has a file, UTF-8 text and a file name without a folder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "http/decode.h"
#include "http/evidence_form.h"
#include "io/csv.h"
#include "io/list_match.h"
#include "registry/places.h"

namespace {

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> pieces;
  size_t start = 0;
  while (true) {
    size_t end = text.find(separator, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

void FuzzList(std::string_view input) {
  size_t newline = input.find('\n');
  std::string_view map_text = newline == std::string_view::npos ? input : input.substr(0, newline);
  std::string csv(newline == std::string_view::npos ? "" : input.substr(newline + 1));

  // The CSV reader alone, with a small buffer so that records cross refills.
  {
    std::istringstream in(csv);
    izde::io::CsvReader reader(in, 7);
    for (int record = 0; record < 100000; ++record) {
      izde::Result<bool> next = reader.Next();
      if (!next.ok()) {
        if (next.status().code() != izde::StatusCode::kInvalidArgument) std::abort();
        if (reader.error_line() < 1) std::abort();
        continue;
      }
      if (!*next) break;
      for (const std::string& field : reader.fields()) {
        if (izde::io::FindInvalidUtf8(field) != std::string_view::npos) std::abort();
      }
    }
  }

  izde::Result<std::vector<izde::io::ColumnMapping>> map = izde::io::ParseColumnMapText(map_text);
  if (!map.ok()) {
    if (map.status().code() != izde::StatusCode::kInvalidArgument) std::abort();
    return;
  }
  std::istringstream in(csv);
  static const izde::registry::Gazetteer& places = izde::registry::Gazetteer::Xinjiang();
  izde::Result<izde::io::ParsedList> parsed = izde::io::ReadListCsv(in, *map, "fuzz.csv", places);
  if (!parsed.ok()) {
    if (parsed.status().code() != izde::StatusCode::kInvalidArgument) std::abort();
    return;
  }
  for (const izde::io::ParsedListRow& row : parsed->rows) {
    izde::Result<nlohmann::json> values = izde::http::ParseJsonObject(row.values);
    if (!values.ok()) std::abort();
    if (row.query.names.empty()) std::abort();
  }
}

void FuzzEvidenceForm(std::string_view input) {
  std::vector<izde::http::FormPart> parts;
  for (std::string_view piece : Split(input, '\x1e')) {
    std::vector<std::string_view> members = Split(piece, '\x1f');
    izde::http::FormPart part;
    part.name = members[0];
    if (members.size() > 1) part.filename = members[1];
    if (members.size() > 2) part.content = members[2];
    parts.push_back(part);
  }
  izde::Result<izde::http::EvidenceForm> form = izde::http::DecodeEvidenceForm(parts);
  if (!form.ok()) {
    if (form.status().code() != izde::StatusCode::kInvalidArgument) std::abort();
    return;
  }
  const izde::registry::EvidenceDraft& draft = form->draft;
  if (!izde::http::IsValidUtf8(draft.note) || !izde::http::IsValidUtf8(draft.original_name)) {
    std::abort();
  }
  if (draft.original_name.find('/') != std::string::npos) std::abort();
  if (draft.person_id < 0 || draft.testimony_id < 0) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  FuzzList(input);
  FuzzEvidenceForm(input);
  return 0;
}
