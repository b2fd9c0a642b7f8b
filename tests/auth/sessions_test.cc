#include "auth/sessions.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "auth/permissions.h"
#include "auth/users.h"
#include "store/open.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::auth {
namespace {

using ::izde::testing::StatusIs;

class SessionsFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_, store::OpenStore(dir_.File("izde.db"), {.create = true}));
    users_ = std::make_unique<Users>(*store_, HashCost::kMinimum);
    sessions_ = std::make_unique<Sessions>(
        *store_, SessionOptions{.lifetime_s = 3600, .idle_s = 600, .touch_interval_s = 60},
        [this] { return now_; });
    ASSERT_OK_AND_ASSIGN(alice_, users_->Add("alice", "editor", "alice-password", "cli:test"));
  }

  izde::testing::TempDir dir_;
  std::unique_ptr<registry::Store> store_;
  std::unique_ptr<Users> users_;
  std::unique_ptr<Sessions> sessions_;
  int64_t now_ = 1'700'000'000;
  registry::User alice_;
};

TEST_F(SessionsFixture, CreatedSessionVerifiesAndStoresOnlyTheTokensHash) {
  ASSERT_OK_AND_ASSIGN(NewSession created, sessions_->Create(alice_, "127.0.0.1"));
  EXPECT_EQ(created.token.size(), 64u);
  EXPECT_EQ(created.session.csrf_token.size(), 64u);
  ASSERT_OK_AND_ASSIGN(registry::Session stored, store_->GetSession(HashToken(created.token)));
  EXPECT_NE(stored.token_hash, created.token);
  EXPECT_THAT(store_->GetSession(created.token), StatusIs(StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(Authenticated who, sessions_->Verify(created.token));
  EXPECT_EQ(who.user.name, "alice");
  EXPECT_EQ(who.role, Role::kEditor);
  EXPECT_EQ(who.session.csrf_token, created.session.csrf_token);
  EXPECT_THAT(sessions_->Verify("0000"), StatusIs(StatusCode::kUnauthenticated));
  EXPECT_THAT(sessions_->Verify(""), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(SessionsFixture, ExpiresAfterItsLifetimeEvenWhenUsed) {
  ASSERT_OK_AND_ASSIGN(NewSession created, sessions_->Create(alice_, "127.0.0.1"));
  for (int step = 0; step < 6; ++step) {
    now_ += 500;  // under the idle limit each time
    SCOPED_TRACE(step);
    ASSERT_OK(sessions_->Verify(created.token).status());
  }
  now_ += 700;  // 3700 s after sign-in
  EXPECT_THAT(sessions_->Verify(created.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(SessionsFixture, ExpiresWhenIdle) {
  ASSERT_OK_AND_ASSIGN(NewSession created, sessions_->Create(alice_, "127.0.0.1"));
  now_ += 599;
  ASSERT_OK(sessions_->Verify(created.token).status());
  now_ += 599;  // the last request moved last_seen_at
  ASSERT_OK(sessions_->Verify(created.token).status());
  now_ += 600;
  EXPECT_THAT(sessions_->Verify(created.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(SessionsFixture, RevokedAndDisabledSessionsStopWorking) {
  ASSERT_OK_AND_ASSIGN(NewSession first, sessions_->Create(alice_, "127.0.0.1"));
  ASSERT_OK_AND_ASSIGN(NewSession second, sessions_->Create(alice_, "127.0.0.1"));
  ASSERT_OK(sessions_->Revoke(first.session.token_hash));
  EXPECT_THAT(sessions_->Verify(first.token), StatusIs(StatusCode::kUnauthenticated));
  ASSERT_OK(sessions_->Verify(second.token).status());

  // Disabled by someone else (the command line): seen once the cached copy is stale.
  ASSERT_OK(users_->SetDisabled("alice", true, "cli:test").status());
  now_ += 2;
  EXPECT_THAT(sessions_->Verify(second.token), StatusIs(StatusCode::kUnauthenticated));
  ASSERT_OK(users_->SetDisabled("alice", false, "cli:test").status());
  ASSERT_OK(sessions_->Verify(second.token).status());
  ASSERT_OK(sessions_->RevokeAllOf(alice_.id));
  EXPECT_THAT(sessions_->Verify(second.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(SessionsFixture, ACachedSessionIsTrustedForCacheSecondsOnly) {
  ASSERT_OK_AND_ASSIGN(NewSession created, sessions_->Create(alice_, "127.0.0.1"));
  ASSERT_OK(sessions_->Verify(created.token).status());
  // A change this object did not make is not seen while the cached copy is fresh: the
  // request was answered from memory, not from the store ...
  ASSERT_OK(users_->SetDisabled("alice", true, "cli:test").status());
  now_ += 1;
  ASSERT_OK_AND_ASSIGN(Authenticated cached, sessions_->Verify(created.token));
  EXPECT_FALSE(cached.user.disabled);
  // ... and is seen cache_s (2) seconds after the store was read.
  now_ += 1;
  EXPECT_THAT(sessions_->Verify(created.token), StatusIs(StatusCode::kUnauthenticated));

  // Without the cache every request reads the store.
  ASSERT_OK(users_->SetDisabled("alice", false, "cli:test").status());
  Sessions uncached(*store_, SessionOptions{.cache_s = 0}, [this] { return now_; });
  ASSERT_OK(uncached.Verify(created.token).status());
  ASSERT_OK(users_->SetDisabled("alice", true, "cli:test").status());
  EXPECT_THAT(uncached.Verify(created.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(SessionsFixture, RevocationsAndForgetTakeEffectAtOnceDespiteTheCache) {
  ASSERT_OK_AND_ASSIGN(NewSession first, sessions_->Create(alice_, "127.0.0.1"));
  ASSERT_OK_AND_ASSIGN(NewSession second, sessions_->Create(alice_, "127.0.0.1"));
  ASSERT_OK(sessions_->Verify(first.token).status());
  ASSERT_OK(sessions_->Verify(second.token).status());
  ASSERT_OK(sessions_->Revoke(first.session.token_hash));
  EXPECT_THAT(sessions_->Verify(first.token), StatusIs(StatusCode::kUnauthenticated));
  ASSERT_OK(sessions_->Verify(second.token).status());

  // A role change, then Forget: the next request has the new role, at the same second.
  ASSERT_OK(users_->SetRole("alice", "viewer", "cli:test").status());
  ASSERT_OK_AND_ASSIGN(Authenticated before, sessions_->Verify(second.token));
  EXPECT_EQ(before.role, Role::kEditor) << "cached";
  sessions_->Forget(alice_.id);
  ASSERT_OK_AND_ASSIGN(Authenticated after, sessions_->Verify(second.token));
  EXPECT_EQ(after.role, Role::kViewer);

  ASSERT_OK(sessions_->RevokeAllOf(alice_.id));
  EXPECT_THAT(sessions_->Verify(second.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(SessionsFixture, ACachedSessionStillExpiresAndIsStillTouched) {
  ASSERT_OK_AND_ASSIGN(NewSession created, sessions_->Create(alice_, "127.0.0.1"));
  // A request every second for 700 s: last_seen_at is written every 60 s, so the
  // session stays open past the 600 s idle limit measured from sign-in.
  for (int step = 0; step < 700; ++step) {
    now_ += 1;
    SCOPED_TRACE(step);
    ASSERT_OK(sessions_->Verify(created.token).status());
  }
  ASSERT_OK_AND_ASSIGN(registry::Session stored, store_->GetSession(created.session.token_hash));
  EXPECT_GE(stored.last_seen_at, now_ - 60);
  now_ += 600;
  EXPECT_THAT(sessions_->Verify(created.token), StatusIs(StatusCode::kUnauthenticated));
}

TEST_F(SessionsFixture, AuthenticateSaysTheSameForUnknownNameAndWrongPassword) {
  ASSERT_OK_AND_ASSIGN(registry::User user, users_->Authenticate("alice", "alice-password"));
  EXPECT_EQ(user.id, alice_.id);
  Status wrong = users_->Authenticate("alice", "wrong-password").status();
  Status unknown = users_->Authenticate("mallory", "alice-password").status();
  EXPECT_THAT(wrong, StatusIs(StatusCode::kUnauthenticated));
  EXPECT_EQ(wrong, unknown);
  ASSERT_OK(users_->SetDisabled("alice", true, "cli:test").status());
  EXPECT_EQ(users_->Authenticate("alice", "alice-password").status(), wrong);
}

TEST_F(SessionsFixture, UserChangesAreAuditedWithoutPasswordHashes) {
  ASSERT_OK(users_->SetPassword("alice", "a-new-password", "cli:root").status());
  ASSERT_OK(users_->SetRole("alice", "reviewer", "cli:root").status());
  ASSERT_OK_AND_ASSIGN(registry::User changed, store_->FindUserByName("alice"));
  EXPECT_EQ(changed.role, "reviewer");
  EXPECT_TRUE(VerifyPassword(changed.password_hash, "a-new-password"));
  ASSERT_OK_AND_ASSIGN(auto history, store_->History("U-000001"));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].action, "user.create");
  EXPECT_EQ(history[1].action, "user.password");
  EXPECT_EQ(history[2].action, "user.role");
  EXPECT_EQ(history[2].actor, "cli:root");
  EXPECT_EQ(nlohmann::json::parse(history[2].after)["role"], "reviewer");
  for (const registry::AuditEntry& entry : history) {
    EXPECT_EQ(entry.before.find("argon2"), std::string::npos);
    EXPECT_EQ(entry.after.find("argon2"), std::string::npos);
  }
}

TEST_F(SessionsFixture, UserInputIsChecked) {
  EXPECT_THAT(users_->Add("alice", "viewer", "long enough pw", "t"),
              StatusIs(StatusCode::kAlreadyExists));
  EXPECT_EQ(users_->Add("Bad Name", "viewer", "long enough pw", "t").status().field(), "name");
  EXPECT_EQ(users_->Add("bob", "anonymous", "long enough pw", "t").status().field(), "role");
  EXPECT_EQ(users_->Add("bob", "boss", "long enough pw", "t").status().field(), "role");
  EXPECT_EQ(users_->Add("bob", "viewer", "short", "t").status().field(), "password");
  EXPECT_THAT(users_->SetRole("nobody", "viewer", "t"), StatusIs(StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(auto users, store_->ListUsers());
  EXPECT_EQ(users.size(), 1u);
}

TEST(PermissionsTest, EachRoleMayDoWhatTheIssueSays) {
  EXPECT_FALSE(Allowed(Role::kAnonymous, Action::kRead));
  EXPECT_TRUE(Allowed(Role::kViewer, Action::kRead));
  EXPECT_FALSE(Allowed(Role::kViewer, Action::kWriteRecords));
  EXPECT_TRUE(Allowed(Role::kEditor, Action::kWriteRecords));
  EXPECT_FALSE(Allowed(Role::kEditor, Action::kGrade));
  EXPECT_TRUE(Allowed(Role::kReviewer, Action::kGrade));
  EXPECT_TRUE(Allowed(Role::kReviewer, Action::kResolveDuplicates));
  EXPECT_FALSE(Allowed(Role::kReviewer, Action::kManageUsers));
  EXPECT_TRUE(Allowed(Role::kAdmin, Action::kManageUsers));
  EXPECT_TRUE(Allowed(Role::kAdmin, Action::kBackups));
  EXPECT_FALSE(Allowed(Role::kEditor, Action::kBackups));
}

}  // namespace
}  // namespace izde::auth
