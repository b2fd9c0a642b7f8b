#ifndef IZDE_CORE_ROUND_H_
#define IZDE_CORE_ROUND_H_

#include <cmath>

namespace izde {

// `value` to two decimals (0.126 -> 0.13), as izde shows and stores match weights, scores and
// seconds: one rounding for the stored explanations and the lines and CSVs written from the
// same scores, so that they agree.
inline double RoundToHundredths(double value) { return std::round(value * 100.0) / 100.0; }

}  // namespace izde

#endif  // IZDE_CORE_ROUND_H_
