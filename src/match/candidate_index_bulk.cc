// CandidateIndex's bulk linkage: blocking the whole index and scoring the pairs of each block
// (candidate_index.h, "Bulk linkage"). Used by `izde dedupe` (docs/dedupe.md).
#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iterator>
#include <mutex>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "match/candidate_index.h"
#include "match/packed_forms.h"
#include "names/analyze.h"
#include "names/similarity.h"

namespace izde::match {
namespace {

// Near keys (one letter dropped) are posted with this mark first (candidate_index.cc); they
// are not blocked on.
constexpr char kNearMark = '~';

// A record in a year block spans at most this many years.
constexpr int kMaxYearSpan = 5;

// At most this many of a record's keys are paired (a record with more forms than usual keeps
// its first keys; the others still block alone with a year).
constexpr size_t kMaxPairedKeys = 12;

uint64_t Mix(uint64_t value) {
  value += 0x9e3779b97f4a7c15ULL;
  value = (value ^ (value >> 30)) * 0xbf58476d1ce4e5b9ULL;
  value = (value ^ (value >> 27)) * 0x94d049bb133111ebULL;
  return value ^ (value >> 31);
}

uint32_t Fnv(std::string_view text) {
  uint32_t hash = 2166136261U;
  for (char c : text) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619U;
  return hash | 1U;  // never 0: 0 is "no county"
}

// A block's hash: its kind, its keys and its year. Two blocks with one hash merge; that adds
// pairs (scored, so harmless) and may push the merged block over max_block.
uint64_t BlockHash(uint64_t kind, uint32_t first_key, uint32_t second_key, int year) {
  uint64_t hash = Mix(kind);
  hash = Mix(hash ^ first_key);
  hash = Mix(hash ^ (uint64_t{second_key} << 1));
  return Mix(hash ^ static_cast<uint64_t>(static_cast<uint32_t>(year)));
}

struct Entry {
  uint64_t block;
  uint32_t slot;
};

// Sorts `pairs` (smaller slot << 32 | larger slot, slots below `slot_count`) and makes them
// distinct: bucketed by their first slot (one counting pass into `scratch`), then each bucket
// (the pairs of one slot: few) sorted on its own. Faster than one sort of the whole array,
// whose pairs share several blocks and so come many times over.
void SortDistinctPairs(std::vector<uint64_t>& pairs, std::vector<uint64_t>& scratch,
                       size_t slot_count) {
  std::vector<size_t> starts(slot_count + 1, 0);
  for (uint64_t pair : pairs) ++starts[(pair >> 32) + 1];
  for (size_t slot_idx = 0; slot_idx < slot_count; ++slot_idx) {
    starts[slot_idx + 1] += starts[slot_idx];
  }
  scratch.resize(pairs.size());
  {
    std::vector<size_t> fill(starts.begin(), starts.end() - 1);
    for (uint64_t pair : pairs) scratch[fill[pair >> 32]++] = pair;
  }
  size_t out = 0;
  for (size_t slot_idx = 0; slot_idx < slot_count; ++slot_idx) {
    auto begin = scratch.begin() + static_cast<std::ptrdiff_t>(starts[slot_idx]);
    auto end = scratch.begin() + static_cast<std::ptrdiff_t>(starts[slot_idx + 1]);
    if (begin == end) continue;
    std::sort(begin, end);
    uint64_t last = ~uint64_t{0};
    for (auto it = begin; it != end; ++it) {
      if (*it != last) pairs[out++] = last = *it;
    }
  }
  pairs.resize(out);
}

// Sorts `entries` by block, then slot: bucketed by the top bits of the block's hash (one
// counting pass into `scratch`), then each bucket sorted on its own.
void SortEntries(std::vector<Entry>& entries, std::vector<Entry>& scratch) {
  constexpr int kBucketBits = 16;
  std::vector<size_t> starts((size_t{1} << kBucketBits) + 1, 0);
  auto bucket = [](const Entry& entry) { return entry.block >> (64 - kBucketBits); };
  for (const Entry& entry : entries) ++starts[bucket(entry) + 1];
  for (size_t bucket_idx = 0; bucket_idx + 1 < starts.size(); ++bucket_idx) {
    starts[bucket_idx + 1] += starts[bucket_idx];
  }
  scratch.resize(entries.size());
  {
    std::vector<size_t> fill(starts.begin(), starts.end() - 1);
    for (const Entry& entry : entries) scratch[fill[bucket(entry)]++] = entry;
  }
  for (size_t bucket_idx = 0; bucket_idx + 1 < starts.size(); ++bucket_idx) {
    std::sort(scratch.begin() + static_cast<std::ptrdiff_t>(starts[bucket_idx]),
              scratch.begin() + static_cast<std::ptrdiff_t>(starts[bucket_idx + 1]),
              [](const Entry& left, const Entry& right) {
                return left.block != right.block ? left.block < right.block
                                                 : left.slot < right.slot;
              });
  }
  entries.swap(scratch);
}

// Runs `work(worker_idx)` on `workers` threads (the calling thread is worker 0) and joins them.
void OnThreads(size_t workers, const std::function<void(size_t)>& work) {
  std::vector<std::jthread> helpers;
  for (size_t worker_idx = 1; worker_idx < workers; ++worker_idx) {
    helpers.emplace_back(work, worker_idx);
  }
  work(0);
}

}  // namespace

std::vector<uint64_t> CandidateIndex::BlockedSlotPairs(const BlockingOptions& options,
                                                       int threads) const {
  const size_t workers = static_cast<size_t>(std::max(threads, 1));
  // Each slot's keys (not near keys), from the postings: offsets into one array.
  std::vector<uint32_t> key_count(slots_.size() + 1, 0);
  for (uint32_t key_id = 0; key_id < postings_.size(); ++key_id) {
    if (key_texts_[key_id]->empty() || key_texts_[key_id]->front() == kNearMark) continue;
    for (uint32_t slot_idx : postings_[key_id]) ++key_count[slot_idx + 1];
  }
  std::vector<size_t> offsets(slots_.size() + 1, 0);
  for (size_t slot_idx = 0; slot_idx < slots_.size(); ++slot_idx) {
    offsets[slot_idx + 1] = offsets[slot_idx] + key_count[slot_idx + 1];
  }
  key_count = std::vector<uint32_t>();
  std::vector<uint32_t> slot_keys(offsets.back());
  {
    std::vector<size_t> fill(offsets.begin(), offsets.end() - 1);
    for (uint32_t key_id = 0; key_id < postings_.size(); ++key_id) {
      if (key_texts_[key_id]->empty() || key_texts_[key_id]->front() == kNearMark) continue;
      for (uint32_t slot_idx : postings_[key_id]) slot_keys[fill[slot_idx]++] = key_id;
    }
  }

  // Calls add(block) for every block of a slot.
  auto for_each_block = [&](uint32_t slot_idx, auto&& add) {
    const Slot& slot = slots_[slot_idx];
    if (!slot.live) return;
    const uint32_t* keys = slot_keys.data() + offsets[slot_idx];
    const size_t count = offsets[slot_idx + 1] - offsets[slot_idx];
    const bool dated = slot.birth_first != 0 && slot.birth_last >= slot.birth_first &&
                       slot.birth_last - slot.birth_first < kMaxYearSpan;
    const size_t paired = std::min(count, kMaxPairedKeys);
    for (size_t first = 0; first < paired; ++first) {
      for (size_t second = first + 1; second < paired; ++second) {
        add(BlockHash(1, keys[first], keys[second], 0));
        if (!dated) continue;
        for (int year = slot.birth_first; year <= slot.birth_last; ++year) {
          add(BlockHash(2, keys[first], keys[second], year));
        }
      }
    }
    for (size_t key_idx = 0; key_idx < count; ++key_idx) add(BlockHash(4, keys[key_idx], 0, 0));
    if (!dated) return;
    // A county narrows a common key with its year to a few persons.
    const uint32_t county = slot.hometown.size() >= 6 ? Fnv(slot.hometown.substr(0, 6)) : 0;
    for (size_t key_idx = 0; key_idx < count; ++key_idx) {
      for (int year = slot.birth_first; year <= slot.birth_last; ++year) {
        add(BlockHash(3, keys[key_idx], 0, year));
        if (county != 0) add(BlockHash(5, keys[key_idx], county, year));
      }
    }
  };

  // The blocks are split into groups by hash (a block lies in one group whole), so that the
  // entries sorted at once stay bounded; the workers take the groups in turn, each keeping
  // its own pairs, merged at the end. A pair is a pair of a block of at most max_block
  // records whichever group holds it, so the pairs do not depend on the number of groups or
  // threads.
  std::vector<size_t> totals(workers, 0);
  OnThreads(workers, [&](size_t worker_idx) {
    for (size_t slot_idx = worker_idx; slot_idx < slots_.size(); slot_idx += workers) {
      for_each_block(static_cast<uint32_t>(slot_idx), [&](uint64_t) { ++totals[worker_idx]; });
    }
  });
  size_t total = 0;
  for (size_t worker_total : totals) total += worker_total;
  const size_t per_group = std::max<size_t>(1, options.entries_per_pass / workers);
  uint64_t groups = std::max<uint64_t>(1, (total + per_group - 1) / per_group);
  groups = (groups + workers - 1) / workers * workers;  // every worker the same count
  std::vector<std::vector<uint64_t>> found(workers);    // each worker's: ascending, distinct
  OnThreads(workers, [&](size_t worker_idx) {
    std::vector<uint64_t>& pairs = found[worker_idx];
    std::vector<uint64_t> fresh;  // this group's
    std::vector<uint64_t> scratch;
    std::vector<Entry> entries;
    std::vector<Entry> entry_scratch;
    // Groups hold about total / groups entries each; a little more, as hashes do not split
    // evenly.
    entries.reserve(total / groups + total / groups / 8 + 16);
    for (uint64_t group = worker_idx; group < groups; group += workers) {
      entries.clear();
      for (uint32_t slot_idx = 0; slot_idx < slots_.size(); ++slot_idx) {
        for_each_block(slot_idx, [&](uint64_t block) {
          if (block % groups == group) entries.push_back({block, slot_idx});
        });
      }
      SortEntries(entries, entry_scratch);
      // The room the kept blocks' pairs take, counted first so that `fresh` is allocated once.
      size_t room = 0;
      for (size_t begin = 0; begin < entries.size();) {
        size_t end = begin + 1;
        while (end < entries.size() && entries[end].block == entries[begin].block) ++end;
        const size_t size = end - begin;
        if (size > 1 && size <= options.max_block) room += size * (size - 1) / 2;
        begin = end;
      }
      fresh.clear();
      fresh.reserve(room);
      for (size_t begin = 0; begin < entries.size();) {
        size_t end = begin + 1;
        while (end < entries.size() && entries[end].block == entries[begin].block) ++end;
        if (end - begin <= options.max_block) {
          // Slots ascend within a block, so each pair comes out as (smaller, larger).
          for (size_t left = begin; left < end; ++left) {
            for (size_t right = left + 1; right < end; ++right) {
              if (entries[left].slot == entries[right].slot) continue;
              fresh.push_back(uint64_t{entries[left].slot} << 32 | entries[right].slot);
            }
          }
        }
        begin = end;
      }
      // A pair shares several blocks (a key pair, the same with its year, each key with its
      // year...): sorted and made distinct within the group, then merged into the earlier
      // ones.
      SortDistinctPairs(fresh, scratch, slots_.size());
      if (pairs.empty()) {
        pairs.swap(fresh);
      } else {
        scratch.clear();
        scratch.reserve(pairs.size() + fresh.size());
        std::set_union(pairs.begin(), pairs.end(), fresh.begin(), fresh.end(),
                       std::back_inserter(scratch));
        pairs.swap(scratch);
      }
    }
  });
  // The workers' pairs merged, two by two.
  for (size_t step = 1; step < workers; step *= 2) {
    OnThreads((workers + 2 * step - 1) / (2 * step), [&](size_t merge_idx) {
      const size_t left = merge_idx * 2 * step;
      const size_t right = left + step;
      if (right >= workers) return;
      std::vector<uint64_t> merged;
      merged.reserve(found[left].size() + found[right].size());
      std::set_union(found[left].begin(), found[left].end(), found[right].begin(),
                     found[right].end(), std::back_inserter(merged));
      found[left].swap(merged);
      found[right] = std::vector<uint64_t>();
    });
  }
  return std::move(found[0]);
}

std::vector<std::pair<int64_t, int64_t>> CandidateIndex::BlockedPairs(
    const BlockingOptions& options) const {
  std::shared_lock lock(mutex_);
  const std::vector<uint64_t> pairs = BlockedSlotPairs(options, options.threads);
  std::vector<std::pair<int64_t, int64_t>> result;
  result.reserve(pairs.size());
  for (uint64_t pair : pairs) {
    int64_t left = slots_[static_cast<uint32_t>(pair >> 32)].id;
    int64_t right = slots_[static_cast<uint32_t>(pair & 0xffffffffU)].id;
    result.emplace_back(std::min(left, right), std::max(left, right));
  }
  // Slots ascend with ids when records were added in the order of their ids.
  if (!std::is_sorted(result.begin(), result.end())) std::sort(result.begin(), result.end());
  return result;
}

namespace {

// Marks a pair naming a record not in the index.
constexpr uint64_t kNoPair = ~uint64_t{0};

}  // namespace

std::vector<CandidateIndex::ScoredPair> CandidateIndex::ScoreSlotPairs(
    const std::vector<uint64_t>& pairs, double min_score, int threads,
    const std::function<void(int64_t, int64_t)>& progress) const {
  // Chunks of consecutive pairs, so that a record's own analyses (pairs come sorted by their
  // first record) are read once per chunk, and the result keeps the order of `pairs`.
  constexpr size_t kChunk = 2048;
  const size_t chunks = (pairs.size() + kChunk - 1) / kChunk;
  std::vector<std::vector<ScoredPair>> found(chunks);
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  // The slack absorbs rounding between the bound and the total, as in FindAnalysed.
  constexpr double kSlack = 1e-9;
  const double max_name = Scorer::MaxNameWeight();
  auto fill_fields = [](const Slot& slot, Fields& fields) {
    fields.birth = {slot.birth_first, slot.birth_last};
    fields.hometown_code.assign(slot.hometown);
    fields.gender = slot.gender;
  };
  // The caller holds the reader lock for every worker: they are joined before it returns.
  auto work = [&](bool report) {
    std::vector<names::NameAnalysis> left_names;
    std::vector<names::NameAnalysis> right_names;
    Fields left_fields;
    Fields right_fields;
    for (size_t chunk_idx = next++; chunk_idx < chunks; chunk_idx = next++) {
      uint32_t read_left = 0;  // whose analyses left_names holds
      bool have_left = false;
      uint32_t fields_left = 0;  // whose fields left_fields holds
      bool have_fields = false;
      const size_t end = std::min(pairs.size(), (chunk_idx + 1) * kChunk);
      for (size_t pair_idx = chunk_idx * kChunk; pair_idx < end; ++pair_idx) {
        const uint64_t pair = pairs[pair_idx];
        if (pair == kNoPair) continue;
        const auto left_idx = static_cast<uint32_t>(pair >> 32);
        const auto right_idx = static_cast<uint32_t>(pair & 0xffffffffU);
        const Slot& left = slots_[left_idx];
        const Slot& right = slots_[right_idx];
        if (!have_fields || fields_left != left_idx) {
          fill_fields(left, left_fields);
          fields_left = left_idx;
          have_fields = true;
        }
        fill_fields(right, right_fields);
        const double fields_weight = scorer_.FieldsWeight(left_fields, right_fields);
        if (fields_weight + max_name + kSlack < min_score) continue;
        if (!have_left || read_left != left_idx) {
          internal::UnpackForms(left.forms, left_names);
          read_left = left_idx;
          have_left = true;
        }
        internal::UnpackForms(right.forms, right_names);
        // The names first: the pair's total is its best name pair's weight plus the fields'
        // weights, so one whose names cannot reach the level that takes it to `min_score` is
        // left before Compare also weighs how the forms are written (every pair of forms) and
        // explains the fields. A pair of forms is dropped as soon as a bound shows it below
        // that level (CompareAnalysesScoreAtLeast); the first to reach it ends the search.
        const double name_floor = Scorer::LowestNameScorePassing(fields_weight, kSlack, min_score);
        if (name_floor > 0 && !left_names.empty() && !right_names.empty()) {
          bool reaches = false;
          for (size_t left_form = 0; left_form < left_names.size() && !reaches; ++left_form) {
            for (size_t right_form = 0; right_form < right_names.size() && !reaches; ++right_form) {
              reaches =
                  names::CompareAnalysesScoreAtLeast(left_names[left_form], right_names[right_form],
                                                     name_floor) >= name_floor;
            }
          }
          if (!reaches) continue;
        }
        Score score = scorer_.Compare(left_names, left_fields, right_names, right_fields);
        if (score.total < min_score) continue;
        found[chunk_idx].push_back({left.id, right.id, std::move(score)});
      }
      size_t finished = done.fetch_add(1) + 1;
      if (report && progress && finished % 16 == 0) {
        progress(static_cast<int64_t>(std::min(pairs.size(), finished * kChunk)),
                 static_cast<int64_t>(pairs.size()));
      }
    }
  };
  const size_t workers =
      std::max<size_t>(1, std::min(chunks, static_cast<size_t>(std::max(threads, 1))));
  {
    std::vector<std::jthread> helpers;
    for (size_t worker_idx = 1; worker_idx < workers; ++worker_idx) {
      helpers.emplace_back(work, false);
    }
    work(true);
  }
  if (progress) {
    progress(static_cast<int64_t>(pairs.size()), static_cast<int64_t>(pairs.size()));
  }
  size_t kept = 0;
  for (const std::vector<ScoredPair>& chunk : found) kept += chunk.size();
  std::vector<ScoredPair> scored;
  scored.reserve(kept);
  for (std::vector<ScoredPair>& chunk : found) {
    for (ScoredPair& pair : chunk) scored.push_back(std::move(pair));
  }
  return scored;
}

std::vector<CandidateIndex::ScoredPair> CandidateIndex::ScorePairs(
    const std::vector<std::pair<int64_t, int64_t>>& pairs, double min_score, int threads,
    const std::function<void(int64_t, int64_t)>& progress) const {
  std::shared_lock lock(mutex_);
  std::vector<uint64_t> slot_pairs;
  slot_pairs.reserve(pairs.size());
  for (const auto& [left_id, right_id] : pairs) {
    auto left = slot_of_id_.find(left_id);
    auto right = slot_of_id_.find(right_id);
    slot_pairs.push_back(left == slot_of_id_.end() || right == slot_of_id_.end()
                             ? kNoPair
                             : uint64_t{left->second} << 32 | right->second);
  }
  return ScoreSlotPairs(slot_pairs, min_score, threads, progress);
}

std::vector<CandidateIndex::ScoredPair> CandidateIndex::BlockAndScore(
    const BlockingOptions& options, double min_score, int threads,
    const std::function<void(int64_t, int64_t)>& progress, size_t* blocked) const {
  std::shared_lock lock(mutex_);
  std::vector<uint64_t> pairs = BlockedSlotPairs(options, threads);
  if (blocked != nullptr) *blocked = pairs.size();
  if (progress) progress(0, static_cast<int64_t>(pairs.size()));
  // As BlockedPairs gives them to ScorePairs: the smaller id first, as the query.
  bool swapped = false;
  for (uint64_t& pair : pairs) {
    const auto first = static_cast<uint32_t>(pair >> 32);
    const auto second = static_cast<uint32_t>(pair & 0xffffffffU);
    if (slots_[first].id > slots_[second].id) {
      pair = uint64_t{second} << 32 | first;
      swapped = true;
    }
  }
  // Sorted by the first slot again, so that its analyses are read once per run of pairs.
  if (swapped) std::sort(pairs.begin(), pairs.end());
  std::vector<ScoredPair> scored = ScoreSlotPairs(pairs, min_score, threads, progress);
  auto by_ids = [](const ScoredPair& left, const ScoredPair& right) {
    return left.a != right.a ? left.a < right.a : left.b < right.b;
  };
  if (!std::is_sorted(scored.begin(), scored.end(), by_ids)) {
    std::sort(scored.begin(), scored.end(), by_ids);
  }
  return scored;
}

}  // namespace izde::match
