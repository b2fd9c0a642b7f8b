#include "auth/rate_limit.h"

#include <fmt/format.h>

namespace izde::auth {

size_t LoginRateLimiter::Prune(Failures& failures, const std::string& key, int64_t now) {
  auto it = failures.find(key);
  if (it == failures.end()) return 0;
  while (!it->second.empty() && it->second.front() <= now - options_.window_s) {
    it->second.pop_front();
  }
  if (it->second.empty()) {
    failures.erase(it);
    return 0;
  }
  return it->second.size();
}

int64_t LoginRateLimiter::RetryAfter(const Failures& failures, const std::string& key,
                                     int64_t now) const {
  auto it = failures.find(key);
  if (it == failures.end() || it->second.empty()) return 0;
  return it->second.front() + options_.window_s - now;
}

Status LoginRateLimiter::Check(std::string_view account, std::string_view address) {
  std::lock_guard lock(mu_);
  int64_t now = clock_();
  std::string account_key(account), address_key(address);
  int64_t wait = 0;
  if (Prune(by_account_, account_key, now) >=
      static_cast<size_t>(options_.max_failures_per_account)) {
    wait = RetryAfter(by_account_, account_key, now);
  }
  if (Prune(by_address_, address_key, now) >=
      static_cast<size_t>(options_.max_failures_per_address)) {
    wait = std::max(wait, RetryAfter(by_address_, address_key, now));
  }
  if (wait > 0) {
    return Status(StatusCode::kResourceExhausted,
                  fmt::format("too many failed logins; try again in {} s", wait));
  }
  return OkStatus();
}

void LoginRateLimiter::RecordFailure(std::string_view account, std::string_view address) {
  std::lock_guard lock(mu_);
  int64_t now = clock_();
  by_account_[std::string(account)].push_back(now);
  by_address_[std::string(address)].push_back(now);
  // Now and then forget keys whose failures all left the window, so that guessing many
  // account names does not grow memory without bound.
  if (++records_ % 1024 == 0) {
    for (Failures* failures : {&by_account_, &by_address_}) {
      for (auto it = failures->begin(); it != failures->end();) {
        if (it->second.back() <= now - options_.window_s) {
          it = failures->erase(it);
        } else {
          ++it;
        }
      }
    }
  }
}

void LoginRateLimiter::RecordSuccess(std::string_view account) {
  std::lock_guard lock(mu_);
  by_account_.erase(std::string(account));
}

}  // namespace izde::auth
