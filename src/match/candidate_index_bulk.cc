// CandidateIndex's bulk linkage: blocking the whole index and scoring the pairs of each block
// (candidate_index.h, "Bulk linkage"). Used by `izde dedupe` (docs/dedupe.md).
#include <algorithm>
#include <atomic>
#include <cstdint>
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

// Entries sorted in one pass: 16 bytes each, so about 256 MiB.
constexpr size_t kEntriesPerPass = size_t{1} << 24;

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

}  // namespace

std::vector<uint64_t> CandidateIndex::BlockedSlotPairs(const BlockingOptions& options) const {
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

  size_t total = 0;
  for (uint32_t slot_idx = 0; slot_idx < slots_.size(); ++slot_idx) {
    for_each_block(slot_idx, [&](uint64_t) { ++total; });
  }
  // Blocks are split into passes by hash, so that the entries sorted at once stay bounded.
  const uint64_t passes = std::max<uint64_t>(1, (total + kEntriesPerPass - 1) / kEntriesPerPass);
  std::vector<uint64_t> pairs;  // smaller slot << 32 | larger slot, ascending, distinct
  std::vector<uint64_t> fresh;  // this pass's
  std::vector<uint64_t> merged;
  std::vector<Entry> entries;
  // Passes hold about total / passes entries each; a little more, as hashes do not split evenly.
  entries.reserve(total / passes + total / passes / 8 + 16);
  for (uint64_t pass = 0; pass < passes; ++pass) {
    entries.clear();
    for (uint32_t slot_idx = 0; slot_idx < slots_.size(); ++slot_idx) {
      for_each_block(slot_idx, [&](uint64_t block) {
        if (block % passes == pass) entries.push_back({block, slot_idx});
      });
    }
    std::sort(entries.begin(), entries.end(), [](const Entry& left, const Entry& right) {
      return left.block != right.block ? left.block < right.block : left.slot < right.slot;
    });
    // The blocks kept, and the room their pairs take, counted first so that `fresh` is
    // allocated once.
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
    // year...): sorted and made distinct within the pass, then merged into the earlier ones.
    std::sort(fresh.begin(), fresh.end());
    fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
    if (pairs.empty()) {
      pairs.swap(fresh);
    } else {
      merged.clear();
      merged.reserve(pairs.size() + fresh.size());
      std::set_union(pairs.begin(), pairs.end(), fresh.begin(), fresh.end(),
                     std::back_inserter(merged));
      pairs.swap(merged);
    }
  }
  return pairs;
}

std::vector<std::pair<int64_t, int64_t>> CandidateIndex::BlockedPairs(
    const BlockingOptions& options) const {
  std::shared_lock lock(mutex_);
  const std::vector<uint64_t> pairs = BlockedSlotPairs(options);
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
        // The best name pair first, as Compare finds it: the pair's total is its name weight
        // plus the fields' weights, so one that stays below `min_score` is left before Compare
        // also weighs how the forms are written (every pair of forms) and explains the fields.
        double best_name = -1;
        size_t best_left = 0;
        size_t best_right = 0;
        for (size_t left_form = 0; left_form < left_names.size() && best_name < 1.0; ++left_form) {
          for (size_t right_form = 0; right_form < right_names.size() && best_name < 1.0;
               ++right_form) {
            const double name_score =
                names::CompareAnalyses(left_names[left_form], right_names[right_form]).score;
            if (name_score > best_name) {
              best_name = name_score;
              best_left = left_form;
              best_right = right_form;
            }
          }
        }
        if (best_name >= 0 &&
            scorer_.NameWeight(left_names[best_left], right_names[best_right]).weight +
                    fields_weight + kSlack <
                min_score) {
          continue;
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
  std::vector<uint64_t> pairs = BlockedSlotPairs(options);
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
