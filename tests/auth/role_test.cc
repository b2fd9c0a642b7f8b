#include "auth/role.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace izde::auth {
namespace {

using ::izde::testing::StatusIs;

TEST(RoleTest, NamesRoundTrip) {
  for (Role role :
       {Role::kAnonymous, Role::kViewer, Role::kEditor, Role::kReviewer, Role::kAdmin}) {
    ASSERT_OK_AND_ASSIGN(Role parsed, ParseRole(RoleName(role)));
    EXPECT_EQ(parsed, role);
  }
}

TEST(RoleTest, ParsesAnyCase) {
  ASSERT_OK_AND_ASSIGN(Role role, ParseRole("Reviewer"));
  EXPECT_EQ(role, Role::kReviewer);
}

TEST(RoleTest, UnknownRoleNamesTheField) {
  Result<Role> role = ParseRole("superuser");
  EXPECT_THAT(role.status(), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(role.status().field(), "role");
}

TEST(RoleTest, EachRoleIncludesTheOnesBelow) {
  EXPECT_TRUE(AtLeast(Role::kAdmin, Role::kReviewer));
  EXPECT_TRUE(AtLeast(Role::kReviewer, Role::kEditor));
  EXPECT_TRUE(AtLeast(Role::kEditor, Role::kEditor));
  EXPECT_FALSE(AtLeast(Role::kViewer, Role::kEditor));
  EXPECT_FALSE(AtLeast(Role::kAnonymous, Role::kViewer));
}

}  // namespace
}  // namespace izde::auth
