#include "auth/password.h"

#include <gtest/gtest.h>

#include <set>

#include "testing/status_matchers.h"

namespace izde::auth {
namespace {

using ::izde::testing::StatusIs;

TEST(PasswordTest, HashVerifiesOnlyTheSamePassword) {
  ASSERT_OK_AND_ASSIGN(std::string hash, HashPassword("correct horse battery", HashCost::kMinimum));
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse battery "));
  EXPECT_FALSE(VerifyPassword(hash, "Correct horse battery"));
  EXPECT_FALSE(VerifyPassword("", "correct horse battery"));
  EXPECT_FALSE(VerifyPassword("$argon2id$garbage", "correct horse battery"));
}

TEST(PasswordTest, SaltMakesEachHashDifferent) {
  ASSERT_OK_AND_ASSIGN(std::string first, HashPassword("same password!", HashCost::kMinimum));
  ASSERT_OK_AND_ASSIGN(std::string second, HashPassword("same password!", HashCost::kMinimum));
  EXPECT_NE(first, second);
  EXPECT_TRUE(VerifyPassword(second, "same password!"));
}

TEST(PasswordTest, InteractiveCostVerifies) {
  ASSERT_OK_AND_ASSIGN(std::string hash, HashPassword("a real login password"));
  EXPECT_NE(hash.find("m=65536"), std::string::npos) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "a real login password"));
}

TEST(PasswordTest, RefusesShortAndHugePasswords) {
  EXPECT_THAT(HashPassword("short", HashCost::kMinimum), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(HashPassword("short", HashCost::kMinimum).status().field(), "password");
  EXPECT_THAT(HashPassword(std::string(kMaxPasswordLength + 1, 'x'), HashCost::kMinimum),
              StatusIs(StatusCode::kInvalidArgument));
}

TEST(PasswordTest, GeneratedPasswordsAreLongDistinctAndAccepted) {
  std::set<std::string> seen;
  for (int round = 0; round < 50; ++round) {
    std::string password = GeneratePassword();
    EXPECT_EQ(password.size(), 20u);
    EXPECT_EQ(password.find_first_of("0O1l"), std::string::npos) << password;
    seen.insert(password);
  }
  EXPECT_EQ(seen.size(), 50u);
  EXPECT_OK(HashPassword(GeneratePassword(), HashCost::kMinimum).status());
}

TEST(PasswordTest, TokensAndTheirHashes) {
  std::string token = RandomHex(32);
  EXPECT_EQ(token.size(), 64u);
  EXPECT_NE(token, RandomHex(32));
  EXPECT_EQ(HashToken(token), HashToken(token));
  EXPECT_NE(HashToken(token), token);
  EXPECT_EQ(HashToken(token).size(), 64u);
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace izde::auth
