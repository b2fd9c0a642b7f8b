// Users and sessions in the store (the server's accounts).
#include <gtest/gtest.h>

#include <memory>

#include "registry/store.h"
#include "store/open.h"
#include "store_backends.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::store {
namespace {

using ::izde::testing::StatusIs;
using registry::Session;
using registry::User;

class UserStoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    std::string location = NewStoreLocation(GetParam(), dir_, "users.db");
    ASSERT_FALSE(location.empty());
    ASSERT_OK_AND_ASSIGN(store_, OpenStore(location, {.create = true}));
  }

  Result<int64_t> Insert(const User& user) {
    IZDE_ASSIGN_OR_RETURN(auto txn, store_->Begin());
    IZDE_ASSIGN_OR_RETURN(int64_t id, txn->InsertUser(user));
    IZDE_RETURN_IF_ERROR(txn->Commit());
    return id;
  }

  ::izde::testing::TempDir dir_;
  std::unique_ptr<registry::Store> store_;
};

TEST_P(UserStoreTest, UsersRoundTripAndNamesAreUnique) {
  User alice{.name = "alice", .role = "editor", .password_hash = "$argon2id$x"};
  ASSERT_OK_AND_ASSIGN(int64_t id, Insert(alice));
  EXPECT_EQ(id, 1);
  EXPECT_THAT(Insert(alice), StatusIs(StatusCode::kAlreadyExists));
  ASSERT_OK_AND_ASSIGN(User stored, store_->FindUserByName("alice"));
  EXPECT_EQ(stored.id, id);
  EXPECT_EQ(stored.role, "editor");
  EXPECT_FALSE(stored.created_at.empty());
  EXPECT_FALSE(stored.disabled);

  stored.role = "admin";
  stored.disabled = true;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->UpdateUser(stored));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(User changed, store_->GetUser(id));
  EXPECT_EQ(changed, stored);
  EXPECT_THAT(store_->GetUser(99), StatusIs(StatusCode::kNotFound));
  EXPECT_THAT(store_->FindUserByName("bob"), StatusIs(StatusCode::kNotFound));
}

TEST_P(UserStoreTest, AnUncommittedUserIsRolledBack) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->InsertUser({.name = "ghost", .role = "viewer", .password_hash = "h"}).status());
  }
  ASSERT_OK_AND_ASSIGN(auto users, store_->ListUsers());
  EXPECT_TRUE(users.empty());
}

TEST_P(UserStoreTest, SessionsRoundTripAndList) {
  ASSERT_OK_AND_ASSIGN(int64_t alice,
                       Insert({.name = "alice", .role = "viewer", .password_hash = "h"}));
  ASSERT_OK_AND_ASSIGN(int64_t bob,
                       Insert({.name = "bob", .role = "viewer", .password_hash = "h"}));
  Session first{.token_hash = "aa",
                .user_id = alice,
                .csrf_token = "c1",
                .address = "127.0.0.1",
                .created_at = 100,
                .expires_at = 200,
                .last_seen_at = 100};
  Session second = first;
  second.token_hash = "bb";
  second.created_at = 150;
  Session other = first;
  other.token_hash = "cc";
  other.user_id = bob;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    for (const Session& session : {first, second, other}) ASSERT_OK(txn->InsertSession(session));
    EXPECT_THAT(txn->InsertSession(first), StatusIs(StatusCode::kAlreadyExists));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(Session stored, store_->GetSession("aa"));
  EXPECT_EQ(stored, first);
  ASSERT_OK_AND_ASSIGN(auto of_alice, store_->ListSessions(alice));
  ASSERT_EQ(of_alice.size(), 2u);
  EXPECT_EQ(of_alice[0].token_hash, "bb") << "newest first";
  ASSERT_OK_AND_ASSIGN(auto all, store_->ListSessions(0));
  EXPECT_EQ(all.size(), 3u);

  stored.revoked = true;
  stored.last_seen_at = 180;
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK(txn->UpdateSession(stored));
    Session missing = stored;
    missing.token_hash = "zz";
    EXPECT_THAT(txn->UpdateSession(missing), StatusIs(StatusCode::kNotFound));
    ASSERT_OK(txn->Commit());
  }
  ASSERT_OK_AND_ASSIGN(Session revoked, store_->GetSession("aa"));
  EXPECT_TRUE(revoked.revoked);
  EXPECT_EQ(revoked.last_seen_at, 180);
  EXPECT_THAT(store_->GetSession("zz"), StatusIs(StatusCode::kNotFound));
}

INSTANTIATE_STORE_BACKENDS(UserStoreTest);

}  // namespace
}  // namespace izde::store
