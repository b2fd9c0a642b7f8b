#ifndef IZDE_CORE_FLAT_TABLE_H_
#define IZDE_CORE_FLAT_TABLE_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace izde {

// Values by non-zero 64-bit keys in one array (open addressing, at most half full, so that a
// search for a missing key ends soon): the small tables a search fills and clears per query
// (names::PartScoreMemo, match::ComparisonMemo), where a node-based map would allocate per
// entry. Keys are spread by Fibonacci hashing: the callers' keys are pairs of small numbers.
template <typename Value>
class FlatTable {
 public:
  // The value under `key` (not 0), or nullptr.
  const Value* Find(uint64_t key) const {
    if (used_ == 0) return nullptr;
    const size_t mask = entries_.size() - 1;
    for (size_t slot = SlotOf(key);; slot = (slot + 1) & mask) {
      const Entry& entry = entries_[slot];
      if (entry.key == key) return &entry.value;
      if (entry.key == 0) return nullptr;
    }
  }

  // The value under `key` (not 0), made `Value{}` where missing. The reference holds until the
  // next call of At.
  Value& At(uint64_t key) {
    if (2 * (used_ + 1) > entries_.size()) Grow();
    const size_t mask = entries_.size() - 1;
    size_t slot = SlotOf(key);
    while (entries_[slot].key != 0 && entries_[slot].key != key) slot = (slot + 1) & mask;
    if (entries_[slot].key == 0) {
      entries_[slot] = {key, Value{}};
      ++used_;
    }
    return entries_[slot].value;
  }

  // Empties the table; its room is kept.
  void Clear() {
    if (used_ == 0) return;
    std::fill(entries_.begin(), entries_.end(), Entry{});
    used_ = 0;
  }

  size_t size() const { return used_; }

 private:
  struct Entry {
    uint64_t key = 0;  // 0: empty
    Value value{};
  };

  size_t SlotOf(uint64_t key) const {
    const int shift = 64 - std::countr_zero(entries_.size());
    return static_cast<size_t>((key * 0x9E3779B97F4A7C15ULL) >> shift);
  }

  void Grow() {
    std::vector<Entry> old = std::move(entries_);
    entries_.assign(std::max<size_t>(256, 2 * old.size()), Entry{});
    used_ = 0;
    for (const Entry& entry : old) {
      if (entry.key != 0) At(entry.key) = entry.value;
    }
  }

  std::vector<Entry> entries_;
  size_t used_ = 0;
};

}  // namespace izde

#endif  // IZDE_CORE_FLAT_TABLE_H_
