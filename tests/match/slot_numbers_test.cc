// Find keeps per slot only the low 16 bits of a candidate's number (slot_numbers.h): the number
// read back must be the one given, also once more candidates are found than 16 bits can count.
#include "match/slot_numbers.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

namespace izde::match::internal {
namespace {

// Numbers `count` slots of `slots`, taken in a random order, as Find does: `reached` gets the
// slot of each number, `low` the number's low bits.
struct Numbered {
  std::vector<uint32_t> reached;
  std::vector<uint16_t> low;
};

Numbered NumberRandomSlots(size_t slots, size_t count) {
  std::vector<uint32_t> order(slots);
  std::iota(order.begin(), order.end(), 0U);
  std::mt19937 random(20261203);
  std::shuffle(order.begin(), order.end(), random);
  Numbered numbered;
  numbered.reached.assign(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(count));
  numbered.low.assign(slots, 0xFFFF);  // what a slot not reached holds is never read
  for (size_t number = 0; number < count; ++number) {
    numbered.low[numbered.reached[number]] = LowBitsOf(number);
  }
  return numbered;
}

TEST(SlotNumbersTest, BelowTheSpanTheLowBitsAreTheNumber) {
  const Numbered numbered = NumberRandomSlots(1'000'000, kNumberSpan);
  for (size_t number = 0; number < kNumberSpan; ++number) {
    const uint32_t slot_idx = numbered.reached[number];
    ASSERT_EQ(numbered.low[slot_idx], number);
    ASSERT_EQ(NumberOfSlot(numbered.low.data(), numbered.reached.data(), kNumberSpan, slot_idx),
              number);
  }
}

TEST(SlotNumbersTest, PastTheSpanEveryNumberIsToldApart) {
  // Three and a bit spans: each low value is shared by up to four candidates.
  const size_t count = 3 * kNumberSpan + 12'345;
  const Numbered numbered = NumberRandomSlots(1'000'000, count);
  for (size_t number = 0; number < count; ++number) {
    const uint32_t slot_idx = numbered.reached[number];
    ASSERT_EQ(NumberOfSlot(numbered.low.data(), numbered.reached.data(), count, slot_idx), number)
        << "slot " << slot_idx;
  }
}

TEST(SlotNumbersTest, ReadWhileTheCandidatesAreStillBeingNumbered) {
  // The open walk reads the number of a slot met before while it numbers newcomers: with the
  // count found so far, every slot numbered so far reads back its own number.
  const size_t count = kNumberSpan + 5'000;
  const Numbered numbered = NumberRandomSlots(300'000, count);
  for (size_t found : {kNumberSpan - 1, kNumberSpan, kNumberSpan + 1, kNumberSpan + 4'321, count}) {
    for (size_t number = 0; number < found; ++number) {
      ASSERT_EQ(NumberOfSlot(numbered.low.data(), numbered.reached.data(), found,
                             numbered.reached[number]),
                number)
          << "found " << found;
    }
  }
}

}  // namespace
}  // namespace izde::match::internal
