#ifndef IZDE_AUTH_RATE_LIMIT_H_
#define IZDE_AUTH_RATE_LIMIT_H_

#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "auth/clock.h"
#include "core/result.h"

namespace izde::auth {

struct RateLimitOptions {
  int max_failures_per_account = 5;   // within window_s
  int max_failures_per_address = 20;  // within window_s
  int64_t window_s = 15 * 60;
};

// Counts failed logins per account and per client address, in memory (a restart forgets).
// Thread safety: all methods may be called concurrently.
class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(RateLimitOptions options = {}, Clock clock = SystemClock())
      : options_(options), clock_(std::move(clock)) {}

  // kResourceExhausted, saying how many seconds to wait, when the account or the address
  // had too many failures within the window; ok otherwise.
  Status Check(std::string_view account, std::string_view address);
  void RecordFailure(std::string_view account, std::string_view address);
  // A successful login clears the account's failures (not the address's).
  void RecordSuccess(std::string_view account);

 private:
  using Failures = std::unordered_map<std::string, std::deque<int64_t>>;
  // Drops failures older than the window; returns how many remain.
  size_t Prune(Failures& failures, const std::string& key, int64_t now);
  // Seconds until the oldest failure leaves the window.
  int64_t RetryAfter(const Failures& failures, const std::string& key, int64_t now) const;

  RateLimitOptions options_;
  Clock clock_;
  std::mutex mu_;
  Failures by_account_;  // GUARDED_BY(mu_)
  Failures by_address_;  // GUARDED_BY(mu_)
  int64_t records_ = 0;  // GUARDED_BY(mu_)
};

}  // namespace izde::auth

#endif  // IZDE_AUTH_RATE_LIMIT_H_
