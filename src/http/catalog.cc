#include "http/catalog.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <thread>

#include "io/index_snapshot.h"
#include "registry/index_record.h"

namespace izde::http {
Catalog::Catalog(const registry::Gazetteer& places)
    : places_(places), index_(registry::MakeScorer(places)), names_{""} {}

std::string Catalog::DivisionOfPlace(std::string_view place) const {
  return registry::PlaceCode(places_, place);
}

std::string Catalog::PrefectureOfPlace(std::string_view place) const {
  std::string code = DivisionOfPlace(place);
  if (code.empty()) return "";
  const registry::Division* prefecture = places_.PrefectureOf(code);
  return prefecture != nullptr ? prefecture->code : "";
}

uint16_t Catalog::Intern(const std::string& text) {
  if (name_ids_.empty() && !names_.empty()) {  // after DecodeRows or at the first call
    for (size_t name_idx = 0; name_idx < names_.size(); ++name_idx) {
      name_ids_.emplace(names_[name_idx], static_cast<uint16_t>(name_idx));
    }
  }
  auto found = name_ids_.find(text);
  if (found != name_ids_.end()) return found->second;
  // Statuses, ethnicities, prefectures and hometown codes are a few thousand values at most;
  // a flood of distinct values would be a bug, and falls back to "" rather than overflow.
  if (names_.size() >= 65535) return 0;
  names_.push_back(text);
  const auto name_idx = static_cast<uint16_t>(names_.size() - 1);
  name_ids_.emplace(text, name_idx);
  return name_idx;
}

namespace {

void AppendText(std::string& out, std::string_view text) {
  const auto length = static_cast<uint32_t>(text.size());
  char bytes[sizeof(length)];
  std::memcpy(bytes, &length, sizeof(length));
  out.append(bytes, sizeof(length));
  out.append(text);
}

// The texts AppendText wrote; false when `packed` is not a whole sequence of them.
bool SplitTexts(std::string_view packed, std::vector<std::string_view>& texts) {
  texts.clear();
  while (!packed.empty()) {
    uint32_t length = 0;
    if (packed.size() < sizeof(length)) return false;
    std::memcpy(&length, packed.data(), sizeof(length));
    packed.remove_prefix(sizeof(length));
    if (length > packed.size()) return false;
    texts.push_back(packed.substr(0, length));
    packed.remove_prefix(length);
  }
  return true;
}

}  // namespace

Catalog::Row Catalog::MakeRow(const registry::Person& person,
                              const std::vector<registry::Event>& events) {
  Row row;
  row.id = person.id;
  row.status = Intern(registry::CurrentStatusName(events));
  row.ethnicity = Intern(person.ethnicity);
  std::string home = person.hometown_code.empty() ? person.hometown_text : person.hometown_code;
  row.prefecture = Intern(PrefectureOfPlace(home));
  match::YearRange years = registry::YearsOf(person.birth_date);
  if (!person.birth_date.unknown()) {
    row.born_from = static_cast<int16_t>(years.first);
    row.born_to = static_cast<int16_t>(years.last);
  }
  row.grade = person.grade;
  row.privacy = person.privacy;
  row.gender = person.gender;
  row.hometown = Intern(person.hometown_code);
  row.version = person.version;
  row.birth_date = person.birth_date;
  for (const registry::PersonName& name : person.names) AppendText(row.name_texts, name.text);
  return row;
}

match::IndexRecord Catalog::IndexRecordOf(const registry::Person& person) const {
  return registry::IndexRecordOf(places_, person);
}

void Catalog::Put(const Row& row) {
  if (rows_.empty() || rows_.back().id < row.id) {
    rows_.push_back(row);
    return;
  }
  auto it = std::lower_bound(rows_.begin(), rows_.end(), row.id,
                             [](const Row& each, int64_t id) { return each.id < id; });
  if (it != rows_.end() && it->id == row.id) {
    *it = row;
  } else {
    rows_.insert(it, row);
  }
}

Status Catalog::Load(registry::Store& store, const std::string& snapshot_path) {
  std::lock_guard serial(refresh_mu_);
  std::unique_lock lock(mu_);
  rows_.clear();
  rows_from_snapshot_ = false;
  // The index comes from the snapshot beside the database when it is there and current
  // (io/index_snapshot.h), else from analysing every name in batches on every core; a person
  // whose names give no search key is listed but cannot be found by name. The filter rows
  // travel in the snapshot's own section: a scan of every person (two thirds of a start at
  // 1M) only when the file has none (written by another command) or they fail their check.
  io::IndexSnapshotOptions options;
  options.path = snapshot_path;
  options.threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  options.save_extra = [this] { return EncodeRows(); };
  options.load_extra = [this](std::string_view bytes) { rows_from_snapshot_ = DecodeRows(bytes); };
  options.refreshed = [&](int64_t person_id, const registry::Person* person) -> Status {
    if (!rows_from_snapshot_) return OkStatus();
    if (person == nullptr) {
      Erase(person_id);
      return OkStatus();
    }
    IZDE_ASSIGN_OR_RETURN(std::vector<registry::Event> events, store.EventsOfPerson(person_id));
    Put(MakeRow(*person, events));
    return OkStatus();
  };
  bool built = false;
  IZDE_ASSIGN_OR_RETURN(io::IndexLoadReport report,
                        io::LoadIndex(store, places_, index_, options,
                                      [&](const registry::Person& person,
                                          const std::vector<registry::Event>& events) -> Status {
                                        if (!built) {
                                          // Rows read from a snapshot found unusable after.
                                          rows_.clear();
                                          rows_from_snapshot_ = false;
                                          built = true;
                                        }
                                        Put(MakeRow(person, events));
                                        return OkStatus();
                                      }));
  if (!report.from_snapshot) {
    if (!built) rows_.clear();  // an empty store
    rows_from_snapshot_ = false;
  }
  bool rows_stale = false;
  if (report.from_snapshot && rows_from_snapshot_) {
    IZDE_ASSIGN_OR_RETURN(
        bool agree,
        RowsAgreeWithStore(store, static_cast<size_t>(report.indexed) + report.left_out.size()));
    if (!agree) {
      spdlog::warn("the catalog rows of {} differ from the database: reading every person",
                   options.path);
      rows_from_snapshot_ = false;
      rows_stale = true;
    }
  }
  if (report.from_snapshot && !rows_from_snapshot_) {
    // The rows are not in the snapshot: one scan, no name analysed.
    rows_.clear();
    IZDE_RETURN_IF_ERROR(store.ScanPersons(
        [&](const registry::Person& person, const std::vector<registry::Event>& events) -> Status {
          Put(MakeRow(person, events));
          return OkStatus();
        }));
  }
  if (report.from_snapshot) {
    spdlog::info("name index: {} persons from {} in {:.1f} s ({} re-read), filter rows {}",
                 report.indexed, options.path, report.load_s, report.refreshed,
                 rows_from_snapshot_ ? "from the snapshot" : "from a scan");
  } else {
    spdlog::info("name index: {} persons analysed in {:.1f} s{}", report.indexed, report.build_s,
                 report.rebuilt_because.empty() ? "" : " (" + report.rebuilt_because + ")");
  }
  if (!report.write_error.empty()) {
    spdlog::warn("the name index snapshot was not written: {}", report.write_error);
  }
  snapshot_path_ = snapshot_path;
  left_out_ = std::set<int64_t>(report.left_out.begin(), report.left_out.end());
  snapshot_position_ = report.position;
  // A snapshot that could not be written, or whose rows were missing or stale, is written at
  // shutdown, when the path is set.
  const bool rows_missing = report.from_snapshot && !rows_from_snapshot_;
  changed_since_snapshot_ = report.write_error.empty() && !rows_missing && !rows_stale ? 0 : 1;
  load_report_ = std::move(report);
  return OkStatus();
}

void Catalog::Erase(int64_t person_id) {
  auto it = std::lower_bound(rows_.begin(), rows_.end(), person_id,
                             [](const Row& each, int64_t id) { return each.id < id; });
  if (it != rows_.end() && it->id == person_id) rows_.erase(it);
}

namespace {

// The catalog section: kRowsMagic, u32 count of interned values and each as u32 length and
// bytes, u64 count of rows and each as i64 id, u16 status, ethnicity, prefecture, i16 born
// from and to, u8 grade, privacy and gender, u16 hometown, i64 version, the birth date's
// canonical text and the packed name texts (each as u32 length and bytes). Little-endian, as
// the rest of the file (io/index_snapshot.cc), whose checksum covers it; the values are
// checked all the same. CATROWS1 (no search fields) is refused: the rows are then scanned.
constexpr std::string_view kRowsMagic = "CATROWS2";
constexpr size_t kRowFixedBytes = 8 + 2 * 5 + 3 + 2 + 8;

template <typename T>
void PutFixed(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

template <typename T>
T GetFixed(const char*& at) {
  T value{};
  std::memcpy(&value, at, sizeof(T));
  at += sizeof(T);
  return value;
}

}  // namespace

std::string Catalog::EncodeRows() const {
  std::string out;
  out.reserve(kRowsMagic.size() + 16 + rows_.size() * (kRowFixedBytes + 64) + names_.size() * 16);
  out.append(kRowsMagic);
  PutFixed<uint32_t>(out, static_cast<uint32_t>(names_.size()));
  for (const std::string& name : names_) {
    PutFixed<uint32_t>(out, static_cast<uint32_t>(name.size()));
    out.append(name);
  }
  PutFixed<uint64_t>(out, rows_.size());
  for (const Row& row : rows_) {
    PutFixed<int64_t>(out, row.id);
    PutFixed<uint16_t>(out, row.status);
    PutFixed<uint16_t>(out, row.ethnicity);
    PutFixed<uint16_t>(out, row.prefecture);
    PutFixed<int16_t>(out, row.born_from);
    PutFixed<int16_t>(out, row.born_to);
    PutFixed<uint8_t>(out, static_cast<uint8_t>(row.grade));
    PutFixed<uint8_t>(out, static_cast<uint8_t>(row.privacy));
    PutFixed<uint8_t>(out, static_cast<uint8_t>(row.gender));
    PutFixed<uint16_t>(out, row.hometown);
    PutFixed<int64_t>(out, row.version);
    AppendText(out, row.birth_date.ToString());
    AppendText(out, row.name_texts);
  }
  return out;
}

bool Catalog::DecodeRows(std::string_view bytes) {
  if (bytes.size() < kRowsMagic.size() + 4 || bytes.substr(0, kRowsMagic.size()) != kRowsMagic) {
    return false;
  }
  const char* at = bytes.data() + kRowsMagic.size();
  const char* end = bytes.data() + bytes.size();
  auto left = [&] { return static_cast<size_t>(end - at); };
  const auto name_count = GetFixed<uint32_t>(at);
  if (name_count == 0 || name_count > 65535) return false;
  std::vector<std::string> names;
  names.reserve(name_count);
  for (uint32_t name_idx = 0; name_idx < name_count; ++name_idx) {
    if (left() < 4) return false;
    const auto length = GetFixed<uint32_t>(at);
    if (length > left()) return false;
    names.emplace_back(at, length);
    at += length;
  }
  if (!names.front().empty() || left() < 8) return false;
  const auto row_count = GetFixed<uint64_t>(at);
  if (row_count > left() / (kRowFixedBytes + 8)) return false;
  std::vector<Row> rows(static_cast<size_t>(row_count));
  std::vector<std::string_view> texts;
  // A text as AppendText wrote it, bounds checked.
  auto get_text = [&](std::string_view& text) {
    if (left() < 4) return false;
    const auto length = GetFixed<uint32_t>(at);
    if (length > left()) return false;
    text = std::string_view(at, length);
    at += length;
    return true;
  };
  for (Row& row : rows) {
    if (left() < kRowFixedBytes) return false;
    row.id = GetFixed<int64_t>(at);
    row.status = GetFixed<uint16_t>(at);
    row.ethnicity = GetFixed<uint16_t>(at);
    row.prefecture = GetFixed<uint16_t>(at);
    row.born_from = GetFixed<int16_t>(at);
    row.born_to = GetFixed<int16_t>(at);
    const auto grade = GetFixed<uint8_t>(at);
    const auto privacy = GetFixed<uint8_t>(at);
    const auto gender = GetFixed<uint8_t>(at);
    row.hometown = GetFixed<uint16_t>(at);
    row.version = GetFixed<int64_t>(at);
    if (row.status >= name_count || row.ethnicity >= name_count || row.prefecture >= name_count ||
        row.hometown >= name_count || grade > static_cast<uint8_t>(registry::Grade::kDocumented) ||
        privacy > static_cast<uint8_t>(registry::Privacy::kPrivate) ||
        gender > static_cast<uint8_t>(registry::Gender::kFemale)) {
      return false;
    }
    row.grade = static_cast<registry::Grade>(grade);
    row.privacy = static_cast<registry::Privacy>(privacy);
    row.gender = static_cast<registry::Gender>(gender);
    std::string_view birth;
    std::string_view name_texts;
    if (!get_text(birth) || !get_text(name_texts) || !SplitTexts(name_texts, texts)) return false;
    Result<PartialDate> birth_date = PartialDate::Parse(birth);
    if (!birth_date.ok() || birth_date->ToString() != birth) return false;
    row.birth_date = *birth_date;
    row.name_texts = std::string(name_texts);
    if (&row != rows.data() && (&row - 1)->id >= row.id) return false;  // sorted, unique
  }
  if (left() != 0) return false;
  rows_ = std::move(rows);
  names_ = std::move(names);
  name_ids_.clear();  // Intern rebuilds it
  return true;
}

Result<bool> Catalog::RowsAgreeWithStore(registry::Store& store, size_t persons) {
  if (rows_.size() != persons) return false;
  if (rows_.empty()) return true;
  // The rows at evenly spread places (the ids are sparse after deletions), read afresh.
  constexpr size_t kSpotChecks = 48;
  const size_t count = rows_.size();
  const size_t checks = std::min(kSpotChecks, count);
  for (size_t check = 0; check < checks; ++check) {
    const Row held = rows_[check * (count - 1) / std::max<size_t>(1, checks - 1)];
    Result<registry::Person> person = store.GetPerson(held.id);
    if (!person.ok()) {
      if (person.status().code() == StatusCode::kNotFound) return false;
      return person.status();
    }
    IZDE_ASSIGN_OR_RETURN(std::vector<registry::Event> events, store.EventsOfPerson(held.id));
    if (!(MakeRow(*person, events) == held)) return false;
  }
  return true;
}

Result<bool> Catalog::SaveSnapshot(registry::Store& store, int64_t position) {
  std::lock_guard serial(refresh_mu_);
  const std::string& fingerprint = io::EngineFingerprint();
  if (snapshot_path_.empty() || fingerprint.empty() || changed_since_snapshot_ == 0 ||
      position < snapshot_position_) {
    return false;
  }
  const std::vector<int64_t> left_out(left_out_.begin(), left_out_.end());
  std::string rows;
  {
    std::shared_lock lock(mu_);
    rows = EncodeRows();
  }
  IZDE_RETURN_IF_ERROR(
      io::WriteIndexSnapshot(store, index_, position, left_out, snapshot_path_, fingerprint, rows));
  snapshot_position_ = position;
  changed_since_snapshot_ = 0;
  return true;
}

Status Catalog::Refresh(registry::Store& store, int64_t person_id) {
  std::lock_guard serial(refresh_mu_);
  // Read everything first: a failed read (a busy database) leaves the person as it was in the
  // catalog, never half-removed.
  Result<registry::Person> person = store.GetPerson(person_id);
  if (!person.ok() && person.status().code() != StatusCode::kNotFound) return person.status();
  std::vector<registry::Event> events;
  if (person.ok()) {
    IZDE_ASSIGN_OR_RETURN(events, store.EventsOfPerson(person_id));
  }
  std::unique_lock lock(mu_);
  ++changed_since_snapshot_;
  if (!person.ok()) {
    index_.Remove(person_id);
    left_out_.erase(person_id);
    auto it = std::lower_bound(rows_.begin(), rows_.end(), person_id,
                               [](const Row& each, int64_t id) { return each.id < id; });
    if (it != rows_.end() && it->id == person_id) rows_.erase(it);
    return OkStatus();
  }
  Put(MakeRow(*person, events));
  // Add replaces the person's entry in one step: a search running meanwhile (Find does not
  // take mu_) sees the old entry or the new one, never none. A person left with no searchable
  // name is removed.
  if (index_.Add(IndexRecordOf(*person)).ok()) {
    left_out_.erase(person_id);
  } else {
    index_.Remove(person_id);
    left_out_.insert(person_id);
  }
  return OkStatus();
}

PersonPage Catalog::Page(const PersonFilter& filter, int64_t after_id, int64_t offset,
                         int64_t limit) const {
  std::shared_lock lock(mu_);
  auto find_name = [&](const std::string& text) -> int {
    if (text.empty()) return -1;
    for (size_t name_idx = 0; name_idx < names_.size(); ++name_idx) {
      if (names_[name_idx] == text) return static_cast<int>(name_idx);
    }
    return -2;  // a value no row holds: nothing matches
  };
  int status = find_name(filter.status);
  int ethnicity = find_name(filter.ethnicity);
  int prefecture = find_name(filter.prefecture);
  PersonPage page;
  int64_t skipped = 0;
  for (const Row& row : rows_) {
    if (status != -1 && row.status != status) continue;
    if (ethnicity != -1 && row.ethnicity != ethnicity) continue;
    if (prefecture != -1 && row.prefecture != prefecture) continue;
    if (filter.grade && row.grade != *filter.grade) continue;
    if (filter.public_only && row.privacy != registry::Privacy::kPublic) continue;
    if (filter.born_from || filter.born_to) {
      if (row.born_from == 0) continue;
      if (filter.born_from && row.born_to < *filter.born_from) continue;
      if (filter.born_to && row.born_from > *filter.born_to) continue;
    }
    ++page.total;
    if (row.id <= after_id) continue;
    if (skipped < offset) {
      ++skipped;
      continue;
    }
    if (static_cast<int64_t>(page.ids.size()) < limit) {
      page.ids.push_back(row.id);
    } else if (page.next_after == 0) {
      page.next_after = page.ids.back();
    }
  }
  return page;
}

const Catalog::Row* Catalog::RowOf(int64_t person_id) const {
  if (rows_.empty() || person_id < rows_.front().id) return nullptr;
  // Ids are distinct integers in ascending order, so the row of `person_id` is at most
  // person_id - first id places in: there when no person before it was deleted (the usual
  // case: one probe instead of twenty cache misses of a search over a million rows), else
  // before it.
  const auto place = static_cast<uint64_t>(person_id - rows_.front().id);
  const size_t end = place < rows_.size() ? static_cast<size_t>(place) + 1 : rows_.size();
  if (rows_[end - 1].id == person_id) return &rows_[end - 1];
  auto it = std::lower_bound(rows_.begin(), rows_.begin() + static_cast<std::ptrdiff_t>(end),
                             person_id, [](const Row& each, int64_t id) { return each.id < id; });
  if (it == rows_.end() || it->id != person_id) return nullptr;
  return &*it;
}

std::string Catalog::StatusOf(int64_t person_id) const {
  std::shared_lock lock(mu_);
  const Row* row = RowOf(person_id);
  return row == nullptr ? "unknown" : names_[row->status];
}

std::vector<std::optional<Catalog::ResultPerson>> Catalog::ResultPersons(
    const std::vector<int64_t>& ids) const {
  std::vector<std::optional<ResultPerson>> out(ids.size());
  std::vector<std::string_view> texts;
  std::shared_lock lock(mu_);
  for (size_t id_idx = 0; id_idx < ids.size(); ++id_idx) {
    const Row* it = RowOf(ids[id_idx]);
    if (it == nullptr) continue;
    ResultPerson& shown = out[id_idx].emplace();
    registry::Person& person = shown.person;
    person.id = it->id;
    if (SplitTexts(it->name_texts, texts)) {  // MakeRow's own packing: always whole
      person.names.reserve(texts.size());
      for (std::string_view text : texts) person.names.push_back({.text = std::string(text)});
    }
    person.gender = it->gender;
    person.birth_date = it->birth_date;
    person.ethnicity = names_[it->ethnicity];
    person.hometown_code = names_[it->hometown];
    person.privacy = it->privacy;
    person.grade = it->grade;
    person.version = it->version;
    shown.status = names_[it->status];
  }
  return out;
}

Result<std::vector<match::Candidate>> Catalog::Find(const match::Query& query, int limit) const {
  return index_.Find(query, limit);
}

size_t Catalog::size() const {
  std::shared_lock lock(mu_);
  return rows_.size();
}

}  // namespace izde::http
