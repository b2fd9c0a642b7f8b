#include "core/status.h"

#include <gtest/gtest.h>

#include "core/result.h"
#include "testing/status_matchers.h"

namespace izde {
namespace {

using ::izde::testing::StatusIs;

Result<int> Half(int value) {
  if (value % 2 != 0) return InvalidArgumentError("odd", "value");
  return value / 2;
}

Result<int> Quarter(int value) {
  IZDE_ASSIGN_OR_RETURN(int half, Half(value));
  IZDE_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(StatusTest, ToStringNamesCodeFieldAndMessage) {
  Status status = InvalidArgumentError("month 13 out of range", "birth_date");
  EXPECT_EQ(status.ToString(), "invalid_argument: field 'birth_date': month 13 out of range");
  EXPECT_EQ(status.WithContext("line 4").message(), "line 4: month 13 out of range");
  EXPECT_EQ(OkStatus().ToString(), "ok");
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  ASSERT_OK_AND_ASSIGN(int quarter, Quarter(8));
  EXPECT_EQ(quarter, 2);
  EXPECT_THAT(Quarter(6), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(Quarter(6).status().field(), "value");
}

}  // namespace
}  // namespace izde
