// izde user ... and izde serve, driven as the real program.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"
#include "testing/text.h"

namespace izde::cli {
namespace {

using ::izde::testing::WordAfter;

using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using ::testing::HasSubstr;

class UserCliTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_EQ(Izde({"init"}).exit_code, 0); }

  RunResult Izde(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--db", dir_.File("cli.db")});
    return RunIzde(dir_, args, stdin_text);
  }

  ::izde::testing::TempDir dir_;
};

TEST_F(UserCliTest, AddListDisablePasswd) {
  RunResult added = Izde({"user", "add", "alice", "--role", "editor"});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_EQ(WordAfter(added.out, "pass it on safely): ").size(), 20u) << added.out;

  RunResult from_stdin =
      Izde({"user", "add", "bob", "--role", "viewer", "--password-stdin"}, "bobs-long-password\n");
  ASSERT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_THAT(from_stdin.out, ::testing::Not(HasSubstr("Password")));

  RunResult duplicate = Izde({"user", "add", "alice", "--role", "viewer"});
  EXPECT_EQ(duplicate.exit_code, 1);
  EXPECT_THAT(duplicate.err, HasSubstr("exists"));
  RunResult bad_role = Izde({"user", "add", "carol", "--role", "boss"});
  EXPECT_EQ(bad_role.exit_code, 1);
  EXPECT_THAT(bad_role.err, HasSubstr("role"));
  RunResult short_password =
      Izde({"user", "add", "carol", "--role", "viewer", "--password-stdin"}, "short\n");
  EXPECT_EQ(short_password.exit_code, 1);
  EXPECT_THAT(short_password.err, HasSubstr("password"));

  ASSERT_EQ(Izde({"user", "disable", "bob"}).exit_code, 0);
  RunResult list = Izde({"user", "list", "--json"});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  nlohmann::json users = nlohmann::json::parse(list.out);
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]["name"], "alice");
  EXPECT_EQ(users[0]["role"], "editor");
  EXPECT_EQ(users[1]["disabled"], true);
  EXPECT_THAT(list.out, ::testing::Not(HasSubstr("argon2")));

  RunResult passwd = Izde({"user", "passwd", "alice"});
  ASSERT_EQ(passwd.exit_code, 0) << passwd.err;
  EXPECT_THAT(passwd.out, HasSubstr("New password"));
  EXPECT_EQ(Izde({"user", "disable", "nobody"}).exit_code, 1);

  RunResult history = Izde({"history", "U-000001", "--json"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("user.password"));
  EXPECT_THAT(history.out, ::testing::Not(HasSubstr("argon2")));
}

// Starts `izde serve` as a child process, signs in with the first admin's printed password,
// sends SIGTERM and expects a clean exit.
TEST_F(UserCliTest, ServeCreatesTheFirstAdminAndStopsOnSigterm) {
  std::string out_path = dir_.File("serve.out");
  std::string binary =
      std::getenv("IZDE_BINARY") != nullptr ? std::getenv("IZDE_BINARY") : IZDE_DEFAULT_BINARY;
  std::string db = dir_.File("cli.db");
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    FILE* out = freopen(out_path.c_str(), "w", stdout);
    if (out == nullptr) _exit(99);
    execl(binary.c_str(), binary.c_str(), "--db", db.c_str(), "serve", "--listen", "127.0.0.1:0",
          static_cast<char*>(nullptr));
    _exit(98);
  }
  std::string printed, password;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    printed = ::izde::testing::ReadWholeFile(out_path);
    password = WordAfter(printed, "admin, password ");
    if (!password.empty()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_FALSE(password.empty()) << printed;
  std::string port_text = WordAfter(printed, "http://127.0.0.1:");
  ASSERT_FALSE(port_text.empty()) << printed;
  int port = std::stoi(port_text);

  httplib::Client client("127.0.0.1", port);
  auto anonymous = client.Get("/api/persons");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);
  auto login =
      client.Post("/api/login", nlohmann::json{{"name", "admin"}, {"password", password}}.dump(),
                  "application/json");
  ASSERT_TRUE(login);
  EXPECT_EQ(login->status, 200) << login->body;

  ASSERT_EQ(kill(child, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_FALSE(client.Get("/api/persons")) << "the port is closed after shutdown";
}

}  // namespace
}  // namespace izde::cli
