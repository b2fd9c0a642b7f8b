#ifndef IZDE_MATCH_SLOT_NUMBERS_H_
#define IZDE_MATCH_SLOT_NUMBERS_H_

// Inside the match layer only: how Find (candidate_index.cc) finds the number of a slot it has
// reached, from 16 bits kept per slot.

#include <cstddef>
#include <cstdint>

namespace izde::match::internal {

// Find numbers the candidates it reaches in the order it meets them (0, 1, 2…), keeps in
// `reached` the slot of each number, and per slot only the low 16 bits of its number (`low`: 2
// bytes a slot, a 2 MB array at 1M read and written at random, where 4 MB of full numbers took
// 6% more of Find's CPU). While at most kNumberSpan candidates are found (every one of serve-wrk's
// queries at 1M: 61,529 at most, 19,158 on average), the low bits are the number. Past that, the
// numbers sharing them (low, low + kNumberSpan, …) are told apart by `reached`.
inline constexpr size_t kNumberSpan = size_t{1} << 16;

inline uint16_t LowBitsOf(size_t number) { return static_cast<uint16_t>(number); }

// The number of `slot_idx`, which must be among the first `found` of `reached`, its low bits in
// `low[slot_idx]`.
inline size_t NumberOfSlot(const uint16_t* low, const uint32_t* reached, size_t found,
                           uint32_t slot_idx) {
  size_t number = low[slot_idx];
  if (found > kNumberSpan) {
    while (reached[number] != slot_idx) number += kNumberSpan;
  }
  return number;
}

}  // namespace izde::match::internal

#endif  // IZDE_MATCH_SLOT_NUMBERS_H_
