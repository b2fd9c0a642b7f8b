#ifndef IZDE_TESTS_TESTING_STATUS_MATCHERS_H_
#define IZDE_TESTS_TESTING_STATUS_MATCHERS_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "core/result.h"
#include "core/status.h"

namespace izde::testing {

inline const Status& GetStatus(const Status& status) { return status; }
template <typename T>
const Status& GetStatus(const Result<T>& result) {
  return result.status();
}

MATCHER_P(StatusIs, code, "") {
  const Status& status = ::izde::testing::GetStatus(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code;
}

MATCHER_P2(StatusIs, code, message_matcher, "") {
  const Status& status = ::izde::testing::GetStatus(arg);
  *result_listener << "status is " << status.ToString();
  return status.code() == code &&
         ::testing::ExplainMatchResult(message_matcher, status.message(), result_listener);
}

}  // namespace izde::testing

#define EXPECT_OK(expr)                                                      \
  do {                                                                       \
    const ::izde::Status izde_checked_ = ::izde::testing::GetStatus(expr);  \
    EXPECT_TRUE(izde_checked_.ok()) << izde_checked_.ToString();             \
  } while (false)
#define ASSERT_OK(expr)                                                      \
  do {                                                                       \
    const ::izde::Status izde_checked_ = ::izde::testing::GetStatus(expr);  \
    ASSERT_TRUE(izde_checked_.ok()) << izde_checked_.ToString();             \
  } while (false)

#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(IZDE_STATUS_CONCAT_(izde_test_result_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(tmp, lhs, expr)            \
  auto tmp = (expr);                                          \
  ASSERT_TRUE(tmp.ok()) << tmp.status().ToString();           \
  lhs = std::move(tmp).value()

#endif  // IZDE_TESTS_TESTING_STATUS_MATCHERS_H_
