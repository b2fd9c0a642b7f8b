#ifndef IZDE_CORE_FLAT_TABLE_H_
#define IZDE_CORE_FLAT_TABLE_H_

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>
#include <vector>

namespace izde {

// Values by key in one array (open addressing, at most half full, so that a search for a
// missing key ends soon): the small tables a search fills and clears per query
// (names::PartScoreMemo, match::ComparisonMemo, match::internal::PartNumbers), where a
// node-based map would allocate per entry. `Key{}` (0, an empty view) marks an empty place and
// is never a key. Integer keys are spread by Fibonacci hashing (the callers' are pairs of small
// numbers), others by std::hash.
template <typename Value, typename Key = uint64_t>
class FlatTable {
 public:
  // The value under `key` (not Key{}), or nullptr.
  const Value* Find(const Key& key) const {
    if (used_ == 0) return nullptr;
    const size_t mask = entries_.size() - 1;
    for (size_t slot = SlotOf(key);; slot = (slot + 1) & mask) {
      const Entry& entry = entries_[slot];
      if (entry.key == key) return &entry.value;
      if (entry.key == Key{}) return nullptr;
    }
  }

  // The value under `key` (not Key{}), made `Value{}` where missing. The reference holds until
  // the next call of At.
  Value& At(const Key& key) {
    if (2 * (used_ + 1) > entries_.size()) Grow();
    const size_t mask = entries_.size() - 1;
    size_t slot = SlotOf(key);
    while (entries_[slot].key != Key{} && entries_[slot].key != key) slot = (slot + 1) & mask;
    if (entries_[slot].key == Key{}) {
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
    Key key{};  // Key{}: empty
    Value value{};
  };

  size_t SlotOf(const Key& key) const {
    if constexpr (std::is_integral_v<Key>) {
      const int shift = 64 - std::countr_zero(entries_.size());
      return static_cast<size_t>((static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ULL) >> shift);
    } else {
      return std::hash<Key>()(key) & (entries_.size() - 1);
    }
  }

  void Grow() {
    std::vector<Entry> old = std::move(entries_);
    entries_.assign(std::max<size_t>(256, 2 * old.size()), Entry{});
    used_ = 0;
    for (const Entry& entry : old) {
      if (entry.key != Key{}) At(entry.key) = entry.value;
    }
  }

  std::vector<Entry> entries_;
  size_t used_ = 0;
};

}  // namespace izde

#endif  // IZDE_CORE_FLAT_TABLE_H_
