#include "match/candidate_index.h"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <set>
#include <string_view>
#include <utility>

#include "names/analyze.h"
#include "names/keys.h"

namespace izde::match {
namespace {

// The distinct blocking keys of all `names`, sorted.
Result<std::vector<std::string>> KeysOf(const std::vector<std::string>& names) {
  std::set<std::string> keys;
  for (const std::string& name : names) {
    IZDE_ASSIGN_OR_RETURN(std::vector<std::string> name_keys, names::BlockingKeys(name));
    keys.insert(name_keys.begin(), name_keys.end());
  }
  return std::vector<std::string>(keys.begin(), keys.end());
}

int16_t ClampYear(int year) { return static_cast<int16_t>(std::clamp(year, -32768, 32767)); }

// Heap held by a string beyond the object itself (short strings stay inline).
size_t HeapBytes(const std::string& text) { return text.capacity() > 15 ? text.capacity() + 1 : 0; }

// The cheap pre-ranking of candidates, in the same units (bits) as the full score, from what
// the slots hold without analysing names.
double FieldsBonus(const Fields& query, int birth_first, int birth_last,
                   std::string_view hometown) {
  double bonus = 0;
  if (query.birth.known() && birth_first != 0) {
    int gap = std::max({0, query.birth.first - birth_last, birth_first - query.birth.last});
    bonus += gap == 0 ? 2.0 : gap <= 2 ? 0.0 : -2.0;
  }
  const std::string& place = query.hometown_code;
  if (place.size() >= 4 && hometown.size() >= 4) {
    if (place.size() >= 6 && hometown.substr(0, 6) == std::string_view(place).substr(0, 6)) {
      bonus += 2.0;
    } else if (hometown.substr(0, 4) == std::string_view(place).substr(0, 4)) {
      bonus += 1.0;
    }
  }
  return bonus;
}

}  // namespace

CandidateIndex::CandidateIndex(Scorer scorer, IndexOptions options)
    : scorer_(std::move(scorer)), options_(options) {}

std::vector<std::string> CandidateIndex::SlotNames(const Slot& slot) const {
  std::vector<std::string> forms;
  size_t begin = 0;
  while (begin <= slot.names.size()) {
    size_t end = slot.names.find('\n', begin);
    if (end == std::string::npos) end = slot.names.size();
    forms.push_back(slot.names.substr(begin, end - begin));
    begin = end + 1;
  }
  return forms;
}

Status CandidateIndex::Add(const IndexRecord& record) {
  // Analysis (ICU) runs before the lock: readers wait only for the postings to change.
  std::vector<std::string> forms;
  for (const std::string& name : record.names) {
    std::string form = name;
    // '\n' separates the forms in a slot; a name never needs one.
    std::replace(form.begin(), form.end(), '\n', ' ');
    if (!form.empty()) forms.push_back(std::move(form));
  }
  IZDE_ASSIGN_OR_RETURN(std::vector<std::string> keys, KeysOf(forms));
  if (keys.empty()) {
    return InvalidArgumentError("record " + std::to_string(record.id) + " has no name to index");
  }
  std::string joined;
  for (const std::string& form : forms) joined += (joined.empty() ? "" : "\n") + form;

  std::unique_lock lock(mutex_);
  if (auto found = slot_of_id_.find(record.id); found != slot_of_id_.end()) Unlink(found->second);
  uint32_t slot_idx = 0;
  if (!free_slots_.empty()) {
    slot_idx = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot_idx = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& slot = slots_[slot_idx];
  slot.id = record.id;
  slot.names = std::move(joined);
  slot.names.shrink_to_fit();
  slot.hometown = record.fields.hometown_code;
  slot.birth_first = ClampYear(record.fields.birth.first);
  slot.birth_last = ClampYear(record.fields.birth.known() ? record.fields.birth.last : 0);
  slot.gender = record.fields.gender;
  slot.live = true;
  slot_of_id_[record.id] = slot_idx;
  name_forms_ += forms.size();
  for (const std::string& key : keys) {
    auto [entry, inserted] = key_ids_.try_emplace(key, static_cast<uint32_t>(postings_.size()));
    if (inserted) postings_.emplace_back();
    postings_[entry->second].push_back(slot_idx);
  }
  return OkStatus();
}

bool CandidateIndex::Remove(int64_t id) {
  std::unique_lock lock(mutex_);
  auto found = slot_of_id_.find(id);
  if (found == slot_of_id_.end()) return false;
  Unlink(found->second);
  return true;
}

void CandidateIndex::Unlink(uint32_t slot_idx) {
  Slot& slot = slots_[slot_idx];
  std::vector<std::string> forms = SlotNames(slot);
  // The keys are recomputed rather than stored: removals are rare, memory is not free. They
  // were computed from the same texts at Add, so they are the same keys.
  Result<std::vector<std::string>> keys = KeysOf(forms);
  if (keys.ok()) {
    for (const std::string& key : *keys) {
      auto key_id = key_ids_.find(key);
      if (key_id == key_ids_.end()) continue;
      std::vector<uint32_t>& posting = postings_[key_id->second];
      // Postings are unordered, so a removal swaps in the last entry: O(posting length).
      auto entry = std::find(posting.begin(), posting.end(), slot_idx);
      if (entry != posting.end()) {
        *entry = posting.back();
        posting.pop_back();
      }
    }
  }
  name_forms_ -= forms.size();
  slot_of_id_.erase(slot.id);
  slot = Slot();
  free_slots_.push_back(slot_idx);
}

Result<std::vector<Candidate>> CandidateIndex::Find(const Query& query, int limit) const {
  if (limit < 1) return InvalidArgumentError("limit must be at least 1");
  std::vector<names::NameAnalysis> query_names;
  std::set<std::string> query_keys;
  for (const std::string& name : query.names) {
    IZDE_ASSIGN_OR_RETURN(names::NameAnalysis analysis, names::AnalyzeName(name));
    query_keys.insert(analysis.blocking_keys.begin(), analysis.blocking_keys.end());
    query_names.push_back(std::move(analysis));
  }
  if (query_keys.empty()) return InvalidArgumentError("the query has no name to search for");

  // What is scored in full, copied out so that the analysis runs without the lock.
  struct Pending {
    int64_t id;
    std::vector<std::string> forms;
    Fields fields;
  };
  std::vector<Pending> pending;
  {
    std::shared_lock lock(mutex_);
    // Blocking: every record sharing a key, ranked by the rarity of what it shares (a shared
    // "SLKJN" says more than a shared "MMT").
    double records = static_cast<double>(slot_of_id_.size()) + 1.0;
    std::unordered_map<uint32_t, double> rough;
    for (const std::string& key : query_keys) {
      auto key_id = key_ids_.find(key);
      if (key_id == key_ids_.end()) continue;
      const std::vector<uint32_t>& posting = postings_[key_id->second];
      if (posting.empty()) continue;
      double rarity = std::log2(records / static_cast<double>(posting.size()));
      for (uint32_t slot_idx : posting) rough[slot_idx] += rarity;
    }
    std::vector<std::pair<double, uint32_t>> ranked;
    ranked.reserve(rough.size());
    for (const auto& [slot_idx, rarity] : rough) {
      const Slot& slot = slots_[slot_idx];
      ranked.emplace_back(
          rarity + FieldsBonus(query.fields, slot.birth_first, slot.birth_last, slot.hometown),
          slot_idx);
    }
    size_t keep = std::min(
        ranked.size(),
        static_cast<size_t>(std::max(options_.min_scored, limit * options_.scored_per_result)));
    // Ties go to the lower slot so that results do not depend on hash order.
    auto better = [&](const auto& left, const auto& right) {
      if (left.first != right.first) return left.first > right.first;
      return slots_[left.second].id < slots_[right.second].id;
    };
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(keep),
                      ranked.end(), better);
    ranked.resize(keep);
    for (const auto& [rarity, slot_idx] : ranked) {
      const Slot& slot = slots_[slot_idx];
      Fields fields;
      fields.birth = {slot.birth_first, slot.birth_last};
      fields.hometown_code = slot.hometown;
      fields.gender = slot.gender;
      pending.push_back({slot.id, SlotNames(slot), std::move(fields)});
    }
  }

  std::vector<Candidate> candidates;
  candidates.reserve(pending.size());
  for (Pending& entry : pending) {
    std::vector<names::NameAnalysis> record_names;
    std::vector<std::string> analysed_forms;
    for (std::string& form : entry.forms) {
      Result<names::NameAnalysis> analysis = names::AnalyzeName(form);
      if (!analysis.ok()) continue;  // cannot happen: the text gave keys at Add
      record_names.push_back(std::move(*analysis));
      analysed_forms.push_back(std::move(form));
    }
    Candidate candidate;
    candidate.id = entry.id;
    candidate.score = scorer_.Compare(query_names, query.fields, record_names, entry.fields);
    if (candidate.score.record_form >= 0) {
      candidate.matched_name = analysed_forms[static_cast<size_t>(candidate.score.record_form)];
    }
    candidates.push_back(std::move(candidate));
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& left, const Candidate& right) {
              if (left.score.total != right.score.total)
                return left.score.total > right.score.total;
              if (left.score.name_score != right.score.name_score) {
                return left.score.name_score > right.score.name_score;
              }
              return left.id < right.id;
            });
  if (candidates.size() > static_cast<size_t>(limit)) {
    candidates.resize(static_cast<size_t>(limit));
  }
  return candidates;
}

IndexStats CandidateIndex::stats() const {
  std::shared_lock lock(mutex_);
  IndexStats stats;
  stats.records = slot_of_id_.size();
  stats.name_forms = name_forms_;
  stats.keys = key_ids_.size();
  size_t bytes = slots_.capacity() * sizeof(Slot) + free_slots_.capacity() * sizeof(uint32_t);
  for (const Slot& slot : slots_) bytes += HeapBytes(slot.names) + HeapBytes(slot.hometown);
  // A node-based hash map: a bucket pointer per bucket and a node (value, next, hash) per entry.
  bytes += slot_of_id_.bucket_count() * sizeof(void*) +
           slot_of_id_.size() * (sizeof(std::pair<const int64_t, uint32_t>) + 2 * sizeof(void*));
  bytes += key_ids_.bucket_count() * sizeof(void*) +
           key_ids_.size() * (sizeof(std::pair<const std::string, uint32_t>) + 2 * sizeof(void*));
  for (const auto& [key, key_id] : key_ids_) bytes += HeapBytes(key);
  bytes += postings_.capacity() * sizeof(std::vector<uint32_t>);
  for (const std::vector<uint32_t>& posting : postings_) {
    stats.postings += posting.size();
    bytes += posting.capacity() * sizeof(uint32_t);
  }
  stats.bytes = bytes;
  return stats;
}

}  // namespace izde::match
