#ifndef IZDE_HTTP_CATALOG_H_
#define IZDE_HTTP_CATALOG_H_

#include <cstdint>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/partial_date.h"
#include "core/result.h"
#include "io/index_snapshot.h"
#include "match/candidate_index.h"
#include "registry/event.h"
#include "registry/person.h"
#include "registry/places.h"
#include "registry/store.h"

namespace izde::http {

// Which persons a list request wants. Empty strings and nullopt match everything.
struct PersonFilter {
  std::string status;      // current status name: "detained", "released", "unknown", ...
  std::string ethnicity;   // canonical code
  std::string prefecture;  // prefecture division code
  std::optional<registry::Grade> grade;
  std::optional<int> born_from;  // birth year range; a person matches if its range overlaps
  std::optional<int> born_to;
  bool public_only = false;  // only entries whose privacy is public (anonymous callers)
};

struct PersonPage {
  std::vector<int64_t> ids;  // in id order
  int64_t total = 0;         // how many match the filter in all
  int64_t next_after = 0;    // the cursor for the next page; 0 when this is the last
};

// What the server keeps in memory about every person: a compact row for filtering and
// paging, and the candidate index for name search. Built from the store at start-up and
// refreshed by the server after each write that concerns a person.
// Thread safety: Page, Status and Find may run concurrently; Refresh excludes them.
class Catalog {
 public:
  explicit Catalog(const registry::Gazetteer& places);

  // Reads every person of the store. The name index comes from the index snapshot at
  // `snapshot_path` (io/index_snapshot.h) when it is current, refreshed for later changes, else
  // from analysing every name; the snapshot is then written anew. An empty path: no snapshot,
  // every name is analysed.
  Status Load(registry::Store& store, const std::string& snapshot_path);
  // How Load went: from the snapshot or built, persons re-read, the position it reflects.
  const io::IndexLoadReport& load_report() const { return load_report_; }
  // Whether Load took the filter rows from the snapshot too (its catalog section, checked and
  // refreshed like the index), rather than from a scan of every person.
  bool rows_from_snapshot() const { return rows_from_snapshot_; }
  // Writes the snapshot (at Load's path) as of change `position`, when the index changed since
  // it was loaded or last written; true when written. The caller vouches that every change up
  // to `position` has been refreshed (the server: its follower caught up, no request in
  // flight). Atomic (temp file, fsync, rename; 0600). Nothing without a path. Errors: the
  // write's and the store's.
  Result<bool> SaveSnapshot(registry::Store& store, int64_t position);
  // Re-reads one person (after a write); removes it if it is gone.
  Status Refresh(registry::Store& store, int64_t person_id);

  // Persons matching `filter`, after the cursor `after_id` (exclusive) or skipping `offset`.
  PersonPage Page(const PersonFilter& filter, int64_t after_id, int64_t offset,
                  int64_t limit) const;
  // The current status name of a person ("unknown" when it has none or is not known).
  std::string StatusOf(int64_t person_id) const;

  // Name search over the candidate index.
  Result<std::vector<match::Candidate>> Find(const match::Query& query, int limit) const;

  // What a row of search results shows of a person, kept in memory so that a page of results
  // reads nothing from the database: a Person with its id, the texts of its names (script, part
  // and source left empty), gender, birth date, ethnicity, hometown division code, privacy,
  // grade and version, every other field empty; and its current status. Enough for
  // RedactedSummaryJson (views.h) and NameInQueryScript (name_forms.h) after the same
  // redaction as a stored person (auth::Redactor::Redact). As fresh as the rows: a write
  // through this server is in it when the write returns, another process's after the
  // follower's next round (http/follower.h).
  struct ResultPerson {
    registry::Person person;
    std::string status;
  };
  // One per id, in the same order; nullopt for an id the catalog does not hold (deleted).
  std::vector<std::optional<ResultPerson>> ResultPersons(const std::vector<int64_t>& ids) const;

  // The prefecture code of a place given as a code or a name; empty if unknown.
  std::string PrefectureOfPlace(std::string_view place) const;
  // The division code of a place given as a code or a name; empty if unknown.
  std::string DivisionOfPlace(std::string_view place) const;

  size_t size() const;

 private:
  struct Row {
    int64_t id = 0;
    uint16_t status = 0;      // into names_
    uint16_t ethnicity = 0;   // into names_
    uint16_t prefecture = 0;  // into names_
    int16_t born_from = 0;    // 0: unknown
    int16_t born_to = 0;
    registry::Grade grade = registry::Grade::kUngraded;
    registry::Privacy privacy = registry::Privacy::kRestricted;
    // What a search result shows (ResultPersons).
    registry::Gender gender = registry::Gender::kUnknown;
    uint16_t hometown = 0;  // the hometown division code, into names_
    int64_t version = 0;
    PartialDate birth_date;
    std::string name_texts;  // each name's text as u32 length and bytes, the primary first
    bool operator==(const Row&) const = default;
  };

  // The row of `person_id`, or nullptr; mu_ held.
  const Row* RowOf(int64_t person_id) const;
  Row MakeRow(const registry::Person& person, const std::vector<registry::Event>& events);
  uint16_t Intern(const std::string& text);
  void Put(const Row& row);
  match::IndexRecord IndexRecordOf(const registry::Person& person) const;
  void Erase(int64_t person_id);
  // The rows and their interned values as the snapshot's catalog section, and back: false
  // (rows_ and names_ unchanged) when `bytes` is not a whole, valid section.
  std::string EncodeRows() const;
  bool DecodeRows(std::string_view bytes);
  // Compares persons spread over the rows, and the count, with the store: the rows' own
  // check that the snapshot is of this database as it is now.
  Result<bool> RowsAgreeWithStore(registry::Store& store, size_t persons);

  const registry::Gazetteer& places_;
  match::CandidateIndex index_;
  mutable std::shared_mutex mu_;
  // One Refresh at a time, store read included: of two refreshes of a person (a request's
  // and the follower's, http/follower.h), the later one reads the later state.
  std::mutex refresh_mu_;
  std::vector<Row> rows_;           // GUARDED_BY(mu_), sorted by id
  std::vector<std::string> names_;  // GUARDED_BY(mu_), interned values; [0] is ""
  std::unordered_map<std::string, uint16_t> name_ids_;  // GUARDED_BY(mu_), names_ -> index
  // The snapshot: where, how the load went, and what changed since (GUARDED_BY(refresh_mu_)).
  std::string snapshot_path_;
  io::IndexLoadReport load_report_;
  std::set<int64_t> left_out_;          // persons whose names give no key: not in index_
  int64_t snapshot_position_ = 0;       // the position the file (or the load) reflects
  int64_t changed_since_snapshot_ = 0;  // Refresh calls since
  bool rows_from_snapshot_ = false;
};

}  // namespace izde::http

#endif  // IZDE_HTTP_CATALOG_H_
