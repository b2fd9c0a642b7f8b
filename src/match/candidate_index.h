#ifndef IZDE_MATCH_CANDIDATE_INDEX_H_
#define IZDE_MATCH_CANDIDATE_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/result.h"
#include "match/scoring.h"

namespace izde::match {

// What the index holds of one person: its id, every form of its name in any script, and the
// other fields it is scored on.
struct IndexRecord {
  int64_t id = 0;
  std::vector<std::string> names;  // each form as written: "Серікжан Біләш", "Serikzhan Bilash"
  Fields fields;
};

// A search: one or more spellings of the name sought, and what else is known.
struct Query {
  std::vector<std::string> names;
  Fields fields;
  // Candidates scoring below this are not returned; those whose other fields already keep them
  // below it, whatever their names, are not compared on their names at all.
  double min_score = -std::numeric_limits<double>::infinity();
};

struct Candidate {
  int64_t id = 0;
  std::string matched_name;  // the record's name form that matched the query best
  Score score;
};

struct IndexStats {
  size_t records = 0;
  size_t name_forms = 0;
  size_t keys = 0;      // distinct keys posted: blocking keys, their near variants, written keys
  size_t postings = 0;  // (key, record) pairs
  size_t bytes = 0;     // an estimate of the heap the index holds
};

struct IndexOptions {
  // Candidates that share blocking keys with a query are first ranked cheaply (by the rarity of
  // the keys they share, then birth year and hometown); only this many per requested result
  // are then scored in full, with at least `min_scored`.
  int scored_per_result = 5;
  int min_scored = 50;
  // Before that, this many times as many are compared quickly on their names (the ASCII forms
  // and keys of their parts, read from the index in place) with birth year and hometown; 1
  // turns the quick comparison off. Over 1M demo persons, 4 raises recall@10 of typos with a
  // birth year from 0.49 to 0.74 but doubles p50 (0.8 -> 1.6 ms): see docs/search.md.
  int quick_per_scored = 1;
  // Postings longer than this are walked only to add their rarity to candidates already found,
  // once enough candidates are certain to outrank anyone met only through the longer ones.
  size_t long_posting = 4096;
  // Records that share no key with the query, only near keys (one consonant class away: a typo
  // or a variant spelling), are returned only when their names compare at least this well.
  double near_min_name_score = 0.55;
  // Near keys posted for more than this share of the records are not looked up.
  double near_max_share = 1.0 / 64;
};

// An in-memory index of persons by the blocking keys (NameAnalysis::blocking_keys) of every
// form of their names, so that "Serikzhan Bilash", "Серікжан Біләш" and "赛力克江·比拉什" meet
// on the keys {"BLX", "SLKJN"}, and by the keys' near variants (one consonant class dropped),
// so that a typo ("Serikzhan Bilach") meets them too; and by the ASCII form of each part
// ("=serikzhan"), a little credit for the persons who write a part as the query does or one
// letter otherwise, so that they come first of the many sharing the same phonetic keys.
//
// Each name form is analysed (names::AnalyzeName, ICU) once, at Add: the index keeps, packed in
// one string per record, each form's text and the parts CompareAnalyses reads (role, ASCII
// form, key, stem, pinyin reading), plus compact fields and the postings (4 bytes per key and
// record, sorted). Find analyses only the query, gathers candidates rarest key first (the long
// postings of common keys last, only to credit candidates already found once the best are
// certain; near keys held by more than `near_max_share` of the records not at all), and scores
// the best few from the packed parts, without ICU. The record analyses the Scorer then sees
// hold `input` and each part's role, ascii, key, stem, stem_key, alt_ascii and alt_key only:
// no part text, script, language, readings (`forms`) or blocking keys.
//
// Find keeps scratch space per query running at once (not per thread: a pool, the last given
// back taken first): 8 bytes per indexed record, allocated on first use, and about 60 bytes per
// candidate the largest query so far reached (room is made for all the entries of a posting
// before it is walked open), kept for the next.
//
// Thread safety: Find and stats may run concurrently with each other; Add and Remove take the
// writer lock and exclude everything else.
class CandidateIndex {
 public:
  explicit CandidateIndex(Scorer scorer = Scorer(), IndexOptions options = {});
  ~CandidateIndex();

  // Adds a record, or replaces the one with the same id. Returns kInvalidArgument when a name
  // is not valid UTF-8 or the record has no name with a blocking key (then nothing changes).
  Status Add(const IndexRecord& record);

  // Adds many records, as Add would one after another (the index ends the same), analysing
  // their names on up to `threads` threads. Returns one status per record, as Add's.
  std::vector<Status> AddBatch(const std::vector<IndexRecord>& records, int threads);

  // Removes the record with `id`. Returns false when there was none.
  bool Remove(int64_t id);

  // Numbers the records' slots anew so that records sharing their rarest key (then their
  // second rarest; written keys left out) lie next to each other, and leaves out the slots of
  // removed records. Find's answers do not depend on the numbering (ties go to the lower id);
  // its walks do: a query's candidates then lie together in the per-slot arrays it reads and
  // writes at random, and Find runs ~10% faster at 1M (docs/search.md "Find: slots numbered by
  // the records' rarest keys"). For after a bulk build; records added later take new slots
  // at the end. SaveSnapshot writes the records in this order whatever the numbering.
  void Cluster();

  // Returns up to `limit` records sharing a blocking key with a name of `query`, best first
  // (by score, then closeness of the written forms, then name similarity, then id). Returns
  // kInvalidArgument if `query` has no name with a blocking key, a name is invalid UTF-8, or
  // `limit` < 1. Candidates are compared on their names in full best bound first (their other
  // fields' weights plus the most a name can add), and once `limit` candidates are found no one
  // whose bound is below the last of them is compared: the result is the same as comparing all.
  Result<std::vector<Candidate>> Find(const Query& query, int limit) const;

  // Up to `limit` other records like the record with `id`, best first: as Find with the
  // record's names and fields would return them for `limit` + 1 (the record itself first),
  // less the record itself, but from the analyses the index holds (no ICU). Candidates scoring
  // below `min_score` are left out. Returns kNotFound when there is no record `id`.
  Result<std::vector<Candidate>> FindSimilar(
      int64_t id, int limit, double min_score = -std::numeric_limits<double>::infinity()) const;

  IndexStats stats() const;

 private:
  // One record as stored: 80 bytes, plus its packed name forms (see candidate_index.cc).
  struct Slot {
    int64_t id = 0;
    std::string forms;     // every name form with its analysed parts, then its key ids, packed
    std::string hometown;  // division code: short enough to stay inline
    int16_t birth_first = 0;
    int16_t birth_last = 0;
    Gender gender = Gender::kUnknown;
    bool live = false;
  };

  // A record analysed and packed, with every key it is posted under, ready to be linked in.
  struct Prepared {
    int64_t id = 0;
    std::string packed;
    std::vector<std::string> keys;  // blocking keys and near keys, sorted
    Fields fields;
    size_t forms = 0;
  };
  // The analysis (ICU), run without the lock: kInvalidArgument as Add.
  static Result<Prepared> Prepare(const IndexRecord& record);
  // Links a prepared record in; the caller holds the writer lock.
  void Insert(Prepared prepared);

  void Unlink(uint32_t slot_idx);

  // The live slots in Cluster's order; the caller holds a lock.
  std::vector<uint32_t> ClusterOrder() const;

  // Find's work once the query is analysed: `keys` are its distinct blocking keys, `keep_limit`
  // sizes the pre-ranking, and the record `exclude_id` (if any) is never returned.
  Result<std::vector<Candidate>> FindAnalysed(const std::vector<names::NameAnalysis>& query_names,
                                              const std::vector<std::string>& keys,
                                              const Fields& fields, double min_score, int limit,
                                              int keep_limit,
                                              std::optional<int64_t> exclude_id) const;

  // The written keys one letter changed from `key` (a written key of the query): each with its
  // key id, the position changed and the letter there, in the order of position, then letter.
  // The caller holds a lock.
  struct Substituted {
    uint32_t at;
    char letter;
    uint32_t key_id;
  };
  void WrittenSubstitutions(std::string_view key, std::vector<Substituted>& found) const;
  // Posts written key `key_id` under each of its one-letter deletions; the caller holds the
  // writer lock. RebuildDeletions does it for every key (after LoadSnapshot).
  void NoteDeletions(uint32_t key_id);
  void RebuildDeletions();

  // What Find's pre-ranking reads of a slot (FieldsBonus), by slot beside slots_: 12 bytes, so
  // that a candidate costs one cache line there, not the 80-byte Slot's two. The hometown is
  // kept as the bonus compares it: its first four bytes, the next two, and its size up to 6.
  // Kept by Insert and Unlink; RebuildLookups makes it again (after LoadSnapshot).
  struct PreRank {
    uint32_t place4 = 0;
    uint16_t place56 = 0;
    uint8_t place_size = 0;
    int16_t birth_first = 0;
    int16_t birth_last = 0;
  };
  static PreRank PreRankOf(const Slot& slot);
  // Rebuilds what is derived from the slots and keys (pre_rank_, key_table_, deletions_,
  // origins_); the caller holds the writer lock.
  void RebuildLookups();

  // The id of `key`, or none: an open-addressing table by a 64-bit hash of the key's text
  // (Find looks up some hundred generated keys per query; the node-based key_ids_ cost a
  // string hash and two or three cache misses each). The caller holds a lock.
  static constexpr uint32_t kNoKeyId = std::numeric_limits<uint32_t>::max();
  uint32_t KeyIdOf(std::string_view key) const;
  // Places key `key_id` in key_table_; the caller holds the writer lock.
  void NoteKey(uint32_t key_id);

  Scorer scorer_;
  IndexOptions options_;
  mutable std::shared_mutex mutex_;
  // Find's scratch spaces not in use (candidate_index.cc): as many as queries ran at once.
  struct FindScratch;
  class ScratchLease;
  mutable std::mutex scratch_mutex_;
  mutable std::vector<std::unique_ptr<FindScratch>> free_scratch_;
  std::vector<Slot> slots_;
  std::vector<uint32_t> free_slots_;  // slots of removed records, reused by Add
  std::unordered_map<int64_t, uint32_t> slot_of_id_;
  std::unordered_map<std::string, uint32_t> key_ids_;
  std::vector<const std::string*> key_texts_;    // by key id: the key in key_ids_ (nodes stay put)
  std::vector<std::vector<uint32_t>> postings_;  // by key id: slots, ascending
  // By near key id ("~S"): the ids of the keys posted under it, those with S among their
  // shorter variants ("SLKJN", "SLKJM" under "~SLKJ"). A near key's posting is the union of
  // theirs, so Find can walk it less the query's own key, whose records its group has already
  // credited (docs/search.md, "Find: near keys walked without the query's own key").
  std::vector<std::vector<uint32_t>> origins_;
  // Notes exact key `key_id` in origins_ under each of its near keys that exists; the caller
  // holds the writer lock.
  void NoteOrigins(uint32_t key_id);
  size_t name_forms_ = 0;
  // Written keys of five letters or more by each of their one-letter deletions with its
  // position ("=serikzhan" less its 3rd letter: "=seikzhan" at 3), so that the keys one letter
  // changed from a query's written part are found in one probe per letter, not 25: open
  // addressing by a 32-bit hash of (deletion, position), checked against the key's text.
  struct Deletion {
    uint32_t hash = 0;
    uint32_t key_id = std::numeric_limits<uint32_t>::max();  // max: an empty place
  };
  std::vector<Deletion> deletions_;  // a power of two places, at most half of them taken
  size_t deletion_count_ = 0;
  std::vector<PreRank> pre_rank_;  // by slot
  struct KeyPlace {
    uint32_t hash = 0;           // the key's hash, checked before its text
    uint32_t key_id = kNoKeyId;  // kNoKeyId: an empty place
  };
  std::vector<KeyPlace> key_table_;  // a power of two places, at most half of them taken

 public:
  // --- Bulk linkage: deduplicating the whole index (candidate_index_bulk.cc, docs/dedupe.md) --
  // Instead of one search per record (whose postings grow with the index), records are blocked
  // and only the pairs inside small blocks are scored.

  struct BlockingOptions {
    // A block holding more records than this is skipped: its pairs are left to the narrower
    // blocks (a common name pair is also blocked with the birth year).
    size_t max_block = 64;
    // Threads blocking (BlockedPairs; BlockAndScore takes its `threads`). The pairs are the
    // same on any number.
    int threads = 1;
    // Block entries (16 bytes each) sorted at once, over all threads: the blocks are split
    // into groups by hash to stay under it. The pairs are the same for any value.
    size_t entries_per_pass = size_t{1} << 24;
  };

  // Every pair of records that share a block, each pair once as (smaller id, larger id), in
  // ascending order. The blocks: one of a record's blocking keys (not near keys), two of them,
  // the same two with a birth year, one key with a birth year, and one key with a birth year
  // and a county (the first 6 digits of the hometown code). A record's birth years are
  // the years of its range when it spans at most 5; otherwise, or when unknown, it is in no
  // year block.
  std::vector<std::pair<int64_t, int64_t>> BlockedPairs(const BlockingOptions& options) const;

  struct ScoredPair {
    int64_t a = 0;
    int64_t b = 0;
    Score score;
  };

  // Scores each pair (a, b) as FindSimilar(a) scores candidate b, from the analyses the index
  // holds (no ICU), on up to `threads` threads. Pairs scoring below `min_score` are left out;
  // those whose other fields keep them below it whatever their names are not compared on
  // names. A pair naming a record not in the index is left out. `progress(done, total)` (if
  // set) is called from the calling thread now and then and at the end.
  std::vector<ScoredPair> ScorePairs(
      const std::vector<std::pair<int64_t, int64_t>>& pairs, double min_score, int threads,
      const std::function<void(int64_t, int64_t)>& progress = nullptr) const;

  // ScorePairs(BlockedPairs(options), min_score, threads, progress) in one step, the same pairs
  // in the same order (by a, then b), but the pairs are kept as slots (8 bytes each, not 16)
  // and scored without looking their ids up. `blocked` (if set) gets the number of pairs
  // blocked, i.e. compared; `progress` is called with (0, pairs) once they are blocked, before
  // any is scored. What `izde dedupe` runs.
  std::vector<ScoredPair> BlockAndScore(
      const BlockingOptions& options, double min_score, int threads,
      const std::function<void(int64_t, int64_t)>& progress = nullptr,
      size_t* blocked = nullptr) const;

 private:
  // BlockedPairs' pairs as (smaller slot << 32 | larger slot), ascending, blocked on
  // `threads` threads; the caller holds the reader lock.
  std::vector<uint64_t> BlockedSlotPairs(const BlockingOptions& options, int threads) const;
  // Scores slot pairs (sorted by their first slot, for reuse of its analyses), as ScorePairs
  // does; the caller holds the reader lock. The result is ordered by (a, b).
  std::vector<ScoredPair> ScoreSlotPairs(
      const std::vector<uint64_t>& pairs, double min_score, int threads,
      const std::function<void(int64_t, int64_t)>& progress) const;

 public:
  // --- Snapshot: the index as bytes and back, without ICU (candidate_index_snapshot.cc) ----
  // Loading a snapshot costs a copy of the packed forms and postings, where building the
  // index analyses every name form again (docs/search.md "Index snapshot").

  // The format SaveSnapshot writes; LoadSnapshot refuses any other.
  static constexpr uint32_t kSnapshotFormat = 1;

  // The index as bytes: its live records (packed forms, key ids, fields), the keys that
  // post any record, and the postings; no removed record, and no key only a removed record
  // held. The bytes hold the records' names: they are as sensitive as the records. They do
  // not say which engine analysed the names: whoever keeps them must (io/index_snapshot.h).
  std::string SaveSnapshot() const;

  // Replaces the index's contents with what `bytes` (SaveSnapshot's, by the same engine)
  // hold; the scorer and options stay this index's. Every count, length, id and offset is
  // checked: kDataLoss (naming what is wrong) when the bytes are not a well-formed snapshot
  // of kSnapshotFormat, and then the index is unchanged.
  Status LoadSnapshot(std::string_view bytes);

  // What the index holds of record `id`: its name forms as written (empty ones left out) and
  // its fields as kept (years clamped to 16 bits, no birth range end when the start is
  // unknown); nullopt when there is no such record. Lets the keeper of a snapshot check it
  // against the records it was made from.
  std::optional<IndexRecord> RecordOf(int64_t id) const;
};

}  // namespace izde::match

#endif  // IZDE_MATCH_CANDIDATE_INDEX_H_
