// izde serve and the name index snapshot (docs/server.md, "Start-up and shutdown"): the real
// program on a real SQLite file, stopped with SIGTERM and started again.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "testing/run_izde.h"
#include "testing/temp_dir.h"
#include "testing/text.h"

namespace izde::cli {
namespace {

// The query's spaces as %20 (the test names are ASCII letters and spaces).
std::string EncodeSpaces(std::string query) {
  for (size_t pos = query.find(' '); pos != std::string::npos; pos = query.find(' ', pos)) {
    query.replace(pos, 1, "%20");
  }
  return query;
}

using ::izde::testing::ReadWholeFile;
using ::testing::HasSubstr;
using ::testing::Not;

using ::izde::testing::WordAfter;

// One `izde serve` child process, its stdout and stderr in files of the test's directory.
class ServeProcess {
 public:
  ServeProcess(const ::izde::testing::TempDir& dir, const std::string& db,
               std::vector<std::string> extra, const std::string& name)
      : out_path_(dir.File(name + ".out")), err_path_(dir.File(name + ".err")) {
    const char* env = std::getenv("IZDE_BINARY");
    std::string binary = env != nullptr ? env : IZDE_DEFAULT_BINARY;
    std::vector<std::string> args = {binary, "--db", db};
    args.insert(args.end(), extra.begin(), extra.end());
    for (const char* arg : {"serve", "--listen", "127.0.0.1:0"}) args.emplace_back(arg);
    pid_ = fork();
    if (pid_ == 0) {
      if (freopen(out_path_.c_str(), "w", stdout) == nullptr) _exit(99);
      if (freopen(err_path_.c_str(), "w", stderr) == nullptr) _exit(99);
      std::vector<char*> argv;
      for (std::string& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      execv(binary.c_str(), argv.data());
      _exit(98);
    }
  }
  ~ServeProcess() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  // Waits for the "izde serving" line; the port, or 0 when it did not come.
  int WaitForPort() {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < deadline) {
      std::string port = WordAfter(out(), "http://127.0.0.1:");
      if (!port.empty()) return std::stoi(port);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }

  // SIGTERM, then the exit code (-1 when killed by a signal).
  int Terminate() {
    if (kill(pid_, SIGTERM) != 0) return -1;
    int status = 0;
    if (waitpid(pid_, &status, 0) != pid_) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::string out() const { return ReadWholeFile(out_path_); }
  std::string err() const { return ReadWholeFile(err_path_); }

 private:
  std::string out_path_;
  std::string err_path_;
  pid_t pid_ = -1;
};

struct Session {
  std::string cookie;
  std::string csrf;
};

Session SignIn(httplib::Client& client, const std::string& password) {
  auto login =
      client.Post("/api/login", nlohmann::json{{"name", "admin"}, {"password", password}}.dump(),
                  "application/json");
  EXPECT_TRUE(login);
  if (!login) return {};
  EXPECT_EQ(login->status, 200) << login->body;
  std::string set_cookie = login->get_header_value("Set-Cookie");
  return {set_cookie.substr(0, set_cookie.find(';')),
          nlohmann::json::parse(login->body)["csrf_token"].get<std::string>()};
}

// Creates a person through the API; its public id, empty on failure.
std::string CreatePerson(httplib::Client& client, const Session& session, const std::string& name) {
  httplib::Headers headers = {{"Cookie", session.cookie}, {"X-CSRF-Token", session.csrf}};
  std::string body = R"({"names":[{"text":")" + name + R"("}],"ethnicity":"kazakh"})";
  auto created = client.Post("/api/persons", headers, body, "application/json");
  EXPECT_TRUE(created);
  if (!created) return "";
  EXPECT_EQ(created->status, 201) << created->body;
  if (created->status != 201) return "";
  return nlohmann::json::parse(created->body)["person"]["id"].get<std::string>();
}

// The public ids a name search returns.
std::vector<std::string> SearchIds(httplib::Client& client, const Session& session,
                                   const std::string& query) {
  httplib::Headers headers = {{"Cookie", session.cookie}};
  auto found = client.Get("/api/search?q=" + EncodeSpaces(query), headers);
  EXPECT_TRUE(found);
  std::vector<std::string> ids;
  if (!found) return ids;
  EXPECT_EQ(found->status, 200) << found->body;
  const nlohmann::json body = nlohmann::json::parse(found->body);
  for (const nlohmann::json& row : body["results"]) {
    ids.push_back(row["id"].get<std::string>());
  }
  return ids;
}

class ServeSnapshotCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::izde::testing::RunIzde(dir_, {"--db", db_, "init"}).exit_code, 0);
  }

  ::izde::testing::TempDir dir_;
  std::string db_ = dir_.File("serve.db");
  std::string snapshot_ = db_ + ".index";
};

TEST_F(ServeSnapshotCliTest, SigtermWritesTheSnapshotSoTheNextStartReReadsNothing) {
  std::string password, person;
  {
    ServeProcess first(dir_, db_, {}, "first");
    int port = first.WaitForPort();
    ASSERT_GT(port, 0) << first.out() << first.err();
    EXPECT_THAT(first.err(), HasSubstr("index: 0 persons analysed"));
    password = WordAfter(first.out(), "admin, password ");
    ASSERT_FALSE(password.empty()) << first.out();
    ASSERT_TRUE(std::filesystem::exists(snapshot_)) << "written after the build at start";

    httplib::Client client("127.0.0.1", port);
    Session session = SignIn(client, password);
    person = CreatePerson(client, session, "Qanat Serikuly");
    ASSERT_FALSE(person.empty());
    ASSERT_EQ(first.Terminate(), 0) << first.err();
    EXPECT_THAT(first.err(), HasSubstr("index: snapshot written to " + snapshot_));
  }
  struct stat info {};
  ASSERT_EQ(stat(snapshot_.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  for (const auto& entry : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_THAT(entry.path().filename().string(), Not(HasSubstr(".tmp-"))) << "temp file left";
  }

  // The next start takes the index from the file as written at shutdown: the new person is in
  // it, and no change is left to re-read.
  ServeProcess second(dir_, db_, {}, "second");
  int port = second.WaitForPort();
  ASSERT_GT(port, 0) << second.out() << second.err();
  EXPECT_THAT(second.err(), HasSubstr("index: 1 persons read from " + snapshot_));
  EXPECT_THAT(second.err(), HasSubstr("(0 re-read)"));
  httplib::Client client("127.0.0.1", port);
  Session session = SignIn(client, password);
  EXPECT_THAT(SearchIds(client, session, "Qanat Serikuly"), ::testing::Contains(person));
  // Nothing changed the index this time: the file is left as it is.
  ASSERT_EQ(second.Terminate(), 0) << second.err();
  EXPECT_THAT(second.err(), Not(HasSubstr("snapshot written")));
}

TEST_F(ServeSnapshotCliTest, NoIndexCacheNeitherReadsNorWritesASnapshot) {
  ServeProcess server(dir_, db_, {"--no-index-cache"}, "server");
  int port = server.WaitForPort();
  ASSERT_GT(port, 0) << server.out() << server.err();
  std::string password = WordAfter(server.out(), "admin, password ");
  httplib::Client client("127.0.0.1", port);
  Session session = SignIn(client, password);
  std::string person = CreatePerson(client, session, "Aigul Tursyn");
  ASSERT_FALSE(person.empty());
  EXPECT_THAT(SearchIds(client, session, "Aigul Tursyn"), ::testing::Contains(person));
  ASSERT_EQ(server.Terminate(), 0) << server.err();
  EXPECT_THAT(server.err(), Not(HasSubstr("snapshot written")));
  EXPECT_FALSE(std::filesystem::exists(snapshot_));
}

TEST_F(ServeSnapshotCliTest, IndexCacheKeepsTheSnapshotWhereItSays) {
  const std::string elsewhere = dir_.File("elsewhere.index");
  std::string password;
  {
    ServeProcess first(dir_, db_, {"--index-cache", elsewhere}, "first");
    int port = first.WaitForPort();
    ASSERT_GT(port, 0) << first.out() << first.err();
    password = WordAfter(first.out(), "admin, password ");
    httplib::Client client("127.0.0.1", port);
    Session session = SignIn(client, password);
    ASSERT_FALSE(CreatePerson(client, session, "Serik Bolat").empty());
    ASSERT_EQ(first.Terminate(), 0) << first.err();
    EXPECT_THAT(first.err(), HasSubstr("index: snapshot written to " + elsewhere));
  }
  EXPECT_TRUE(std::filesystem::exists(elsewhere));
  EXPECT_FALSE(std::filesystem::exists(snapshot_));
  ServeProcess second(dir_, db_, {"--index-cache", elsewhere}, "second");
  ASSERT_GT(second.WaitForPort(), 0) << second.err();
  EXPECT_THAT(second.err(), HasSubstr("index: 1 persons read from " + elsewhere));
  EXPECT_THAT(second.err(), HasSubstr("(0 re-read)"));
}

}  // namespace
}  // namespace izde::cli
