#ifndef IZDE_AUTH_CLOCK_H_
#define IZDE_AUTH_CLOCK_H_

#include <chrono>
#include <cstdint>
#include <functional>

namespace izde::auth {

// Unix seconds now. Injected, so that tests can move time.
using Clock = std::function<int64_t()>;

inline Clock SystemClock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

}  // namespace izde::auth

#endif  // IZDE_AUTH_CLOCK_H_
