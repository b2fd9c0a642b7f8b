#include "auth/rate_limit.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace izde::auth {
namespace {

using ::izde::testing::StatusIs;

class RateLimitTest : public ::testing::Test {
 protected:
  int64_t now_ = 1'000'000;
  LoginRateLimiter limiter_{
      {.max_failures_per_account = 3, .max_failures_per_address = 5, .window_s = 600},
      [this] { return now_; }};
};

TEST_F(RateLimitTest, BlocksAnAccountAfterTooManyFailuresUntilTheWindowPasses) {
  for (int attempt = 0; attempt < 3; ++attempt) {
    EXPECT_OK(limiter_.Check("alice", "10.0.0.1"));
    limiter_.RecordFailure("alice", "10.0.0.1");
    now_ += 10;
  }
  Status blocked = limiter_.Check("alice", "10.0.0.2");
  EXPECT_THAT(blocked, StatusIs(StatusCode::kResourceExhausted));
  // The first failure was 30 s ago: 570 s to wait.
  EXPECT_NE(blocked.message().find("570 s"), std::string::npos) << blocked.message();
  // Another account from another address is not affected.
  EXPECT_OK(limiter_.Check("bob", "10.0.0.3"));
  now_ += 570;
  EXPECT_OK(limiter_.Check("alice", "10.0.0.1"));
}

TEST_F(RateLimitTest, BlocksAnAddressTryingManyAccounts) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string account = "user" + std::to_string(attempt);
    EXPECT_OK(limiter_.Check(account, "10.0.0.9"));
    limiter_.RecordFailure(account, "10.0.0.9");
  }
  EXPECT_THAT(limiter_.Check("someone-new", "10.0.0.9"), StatusIs(StatusCode::kResourceExhausted));
  EXPECT_OK(limiter_.Check("someone-new", "10.0.0.10"));
  now_ += 600;
  EXPECT_OK(limiter_.Check("someone-new", "10.0.0.9"));
}

TEST_F(RateLimitTest, SuccessClearsTheAccountsFailures) {
  limiter_.RecordFailure("alice", "10.0.0.1");
  limiter_.RecordFailure("alice", "10.0.0.1");
  limiter_.RecordSuccess("alice");
  limiter_.RecordFailure("alice", "10.0.0.1");
  limiter_.RecordFailure("alice", "10.0.0.1");
  EXPECT_OK(limiter_.Check("alice", "10.0.0.1"));
  limiter_.RecordFailure("alice", "10.0.0.1");
  EXPECT_THAT(limiter_.Check("alice", "10.0.0.1"), StatusIs(StatusCode::kResourceExhausted));
}

}  // namespace
}  // namespace izde::auth
