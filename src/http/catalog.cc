#include "http/catalog.h"

#include <spdlog/spdlog.h>

#include <algorithm>
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
  for (size_t name_idx = 0; name_idx < names_.size(); ++name_idx) {
    if (names_[name_idx] == text) return static_cast<uint16_t>(name_idx);
  }
  // Statuses, ethnicities and prefectures are a few dozen values; a flood of distinct
  // values would be a bug, and falls back to "" rather than overflow.
  if (names_.size() >= 65535) return 0;
  names_.push_back(text);
  return static_cast<uint16_t>(names_.size() - 1);
}

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
  // The index comes from the snapshot beside the database when it is there and current
  // (io/index_snapshot.h), else from analysing every name in batches on every core; a person
  // whose names give no search key is listed but cannot be found by name.
  io::IndexSnapshotOptions options;
  options.path = snapshot_path;
  options.threads = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  IZDE_ASSIGN_OR_RETURN(io::IndexLoadReport report,
                        io::LoadIndex(store, places_, index_, options,
                                      [&](const registry::Person& person,
                                          const std::vector<registry::Event>& events) -> Status {
                                        Put(MakeRow(person, events));
                                        return OkStatus();
                                      }));
  if (report.from_snapshot) {
    // The rows are not in the snapshot: one scan, no name analysed.
    IZDE_RETURN_IF_ERROR(store.ScanPersons(
        [&](const registry::Person& person, const std::vector<registry::Event>& events) -> Status {
          Put(MakeRow(person, events));
          return OkStatus();
        }));
    spdlog::info("name index: {} persons from {} in {:.1f} s ({} re-read)", report.indexed,
                 options.path, report.load_s, report.refreshed);
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
  // A snapshot that could not be written is written at shutdown, when the path is set.
  changed_since_snapshot_ = report.write_error.empty() ? 0 : 1;
  load_report_ = std::move(report);
  return OkStatus();
}

Result<bool> Catalog::SaveSnapshot(registry::Store& store, int64_t position) {
  std::lock_guard serial(refresh_mu_);
  const std::string& fingerprint = io::EngineFingerprint();
  if (snapshot_path_.empty() || fingerprint.empty() || changed_since_snapshot_ == 0 ||
      position < snapshot_position_) {
    return false;
  }
  const std::vector<int64_t> left_out(left_out_.begin(), left_out_.end());
  IZDE_RETURN_IF_ERROR(
      io::WriteIndexSnapshot(store, index_, position, left_out, snapshot_path_, fingerprint));
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

std::string Catalog::StatusOf(int64_t person_id) const {
  std::shared_lock lock(mu_);
  auto it = std::lower_bound(rows_.begin(), rows_.end(), person_id,
                             [](const Row& each, int64_t id) { return each.id < id; });
  if (it == rows_.end() || it->id != person_id) return "unknown";
  return names_[it->status];
}

Result<std::vector<match::Candidate>> Catalog::Find(const match::Query& query, int limit) const {
  return index_.Find(query, limit);
}

size_t Catalog::size() const {
  std::shared_lock lock(mu_);
  return rows_.size();
}

}  // namespace izde::http
