#include "core/ids.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace izde {
namespace {

using ::izde::testing::StatusIs;

TEST(IdsTest, FormatsZeroPaddedWithKindLetter) {
  EXPECT_EQ(FormatId(IdKind::kPerson, 123), "P-000123");
  EXPECT_EQ(FormatId(IdKind::kTestimony, 1), "T-000001");
  EXPECT_EQ(FormatId(IdKind::kPerson, 12345678), "P-12345678");
}

TEST(IdsTest, ParsesWhatPeopleType) {
  EXPECT_EQ(ParseId(IdKind::kPerson, "P-000123").value(), 123);
  EXPECT_EQ(ParseId(IdKind::kPerson, "p-123").value(), 123);
  EXPECT_EQ(ParseId(IdKind::kPerson, "123").value(), 123);
  EXPECT_THAT(ParseId(IdKind::kPerson, "T-000001"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseId(IdKind::kPerson, "P-"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseId(IdKind::kPerson, "P-12x"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseId(IdKind::kPerson, "0"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseId(IdKind::kPerson, ""), StatusIs(StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace izde
