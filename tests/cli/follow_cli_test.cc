// Several `izde serve` processes on one database (docs/server.md, "Several servers"): each
// keeps its own catalog, and follows what the others write. Run on one PostgreSQL database
// (the throwaway server of testing/postgres_server.h) and on one SQLite file (WAL).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "testing/postgres_server.h"
#include "testing/run_izde.h"
#include "testing/temp_dir.h"

namespace izde::cli {
namespace {

using ::izde::testing::RunIzde;
using ::izde::testing::RunResult;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

enum class Backend { kSqlite, kPostgres };

void PrintTo(Backend backend, std::ostream* out) {
  *out << (backend == Backend::kSqlite ? "sqlite" : "postgres");
}

constexpr const char* kPassword = "reviewer-password-long";

// One `izde serve` child process, signed in as the reviewer.
struct Server {
  pid_t pid = -1;
  int port = 0;
  std::string cookie;
  std::string csrf;

  std::pair<int, json> Send(const std::string& method, const std::string& path,
                            const json& body = nullptr) const {
    httplib::Client client("127.0.0.1", port);
    client.set_connection_timeout(5);
    client.set_read_timeout(30);
    httplib::Headers headers = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
    httplib::Result res = method == "GET"
                              ? client.Get(path.c_str(), headers)
                              : client.Post(path.c_str(), headers, body.dump(), "application/json");
    if (!res) return {0, nullptr};
    return {res->status, json::parse(res->body, nullptr, false)};
  }
};

class TwoServersTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = GetParam() == Backend::kSqlite ? dir_.File("shared.db")
                                         : ::izde::testing::FreshPostgresDatabase();
    ASSERT_FALSE(db_.empty());
    RunResult init = Izde({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.err;
    RunResult user = Izde({"user", "add", "reviewer", "--role", "reviewer", "--password-stdin"},
                          std::string(kPassword) + "\n");
    ASSERT_EQ(user.exit_code, 0) << user.err;
    ASSERT_NO_FATAL_FAILURE(Start(a_, "a"));
    ASSERT_NO_FATAL_FAILURE(Start(b_, "b"));
  }

  void TearDown() override {
    for (Server* server : {&a_, &b_}) {
      if (server->pid <= 0) continue;
      kill(server->pid, SIGTERM);
      int status = 0;
      EXPECT_EQ(waitpid(server->pid, &status, 0), server->pid);
      EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "the server did not stop cleanly: " << status;
    }
  }

  RunResult Izde(std::vector<std::string> args, const std::string& stdin_text = "") {
    args.insert(args.begin(), {"--db", db_});
    return RunIzde(dir_, args, stdin_text);
  }

  void Start(Server& server, const std::string& name) {
    std::string out_path = dir_.File("serve-" + name + ".out");
    std::string err_path = dir_.File("serve-" + name + ".err");
    std::string binary =
        std::getenv("IZDE_BINARY") != nullptr ? std::getenv("IZDE_BINARY") : IZDE_DEFAULT_BINARY;
    pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      if (freopen(out_path.c_str(), "w", stdout) == nullptr) _exit(99);
      if (freopen(err_path.c_str(), "w", stderr) == nullptr) _exit(99);
      execl(binary.c_str(), binary.c_str(), "--db", db_.c_str(), "serve", "--listen", "127.0.0.1:0",
            static_cast<char*>(nullptr));
      _exit(98);
    }
    server.pid = child;
    std::string printed;
    const std::string marker = "http://127.0.0.1:";
    auto deadline = Clock::now() + std::chrono::seconds(60);
    while (Clock::now() < deadline) {
      printed = ::izde::testing::ReadWholeFile(out_path);
      if (printed.find(marker) != std::string::npos) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    size_t at = printed.find(marker);
    ASSERT_NE(at, std::string::npos) << printed << ::izde::testing::ReadWholeFile(err_path);
    server.port = std::atoi(printed.c_str() + at + marker.size());
    ASSERT_GT(server.port, 0) << printed;

    httplib::Client client("127.0.0.1", server.port);
    auto login =
        client.Post("/api/login", json{{"name", "reviewer"}, {"password", kPassword}}.dump(),
                    "application/json");
    ASSERT_TRUE(login);
    ASSERT_EQ(login->status, 200) << login->body;
    std::string set_cookie = login->get_header_value("Set-Cookie");
    server.cookie = set_cookie.substr(0, set_cookie.find(';'));
    server.csrf = json::parse(login->body)["csrf_token"].get<std::string>();
  }

  // Records a person through `server`; returns its public id.
  static std::string Record(const Server& server, const std::string& name) {
    auto [status, body] = server.Send("POST", "/api/persons",
                                      {{"names", json::array({json{{"text", name}}})},
                                       {"ethnicity", "kazakh"},
                                       {"gender", "male"},
                                       {"birth_date", "1974-04"}});
    EXPECT_EQ(status, 201) << body;
    if (!body.is_object() || !body.contains("person")) return "";
    return body["person"]["id"].get<std::string>();
  }

  static bool SearchFinds(const Server& server, const std::string& name, const std::string& id) {
    httplib::Params params = {{"q", name}, {"limit", "100"}};
    auto [status, body] = server.Send("GET", httplib::append_query_params("/api/search", params));
    if (status != 200) return false;
    for (const json& result : body["results"]) {
      if (result["id"] == id) return true;
    }
    return false;
  }

  static std::vector<std::pair<std::string, std::string>> QueuedPairs(const Server& server) {
    auto [status, body] = server.Send("GET", "/api/duplicates?limit=500");
    EXPECT_EQ(status, 200) << body;
    std::vector<std::pair<std::string, std::string>> pairs;
    if (status != 200) return pairs;
    for (const json& pair : body["pairs"]) {
      pairs.emplace_back(pair["a"]["person"]["id"].get<std::string>(),
                         pair["b"]["person"]["id"].get<std::string>());
    }
    return pairs;
  }

  ::izde::testing::TempDir dir_;
  std::string db_;
  Server a_;
  Server b_;
};

// The test: recorded through one server, found by search on the other within one
// second (the median of 20 writes; each one must arrive within 10 s on a loaded machine).
TEST_P(TwoServersTest, PersonRecordedOnOneIsFoundOnTheOther) {
  const std::vector<std::string> given = {"Serikzhan", "Gulzira", "Nurlan", "Aqbota", "Erlan"};
  const std::vector<std::string> family = {"Bilash", "Auelkhan", "Kokteubai", "Zhumabek"};
  std::vector<double> delays_ms;
  for (size_t write_idx = 0; write_idx < 20; ++write_idx) {
    std::string name = given[write_idx % given.size()] + " " + family[write_idx / given.size()];
    // Alternate the writing server: each follows the other.
    const Server& writer = write_idx % 2 == 0 ? a_ : b_;
    const Server& reader = write_idx % 2 == 0 ? b_ : a_;
    std::string id = Record(writer, name);
    ASSERT_FALSE(id.empty());
    auto written = Clock::now();
    bool found = false;
    while (!found && Clock::now() - written < std::chrono::seconds(10)) {
      found = SearchFinds(reader, name, id);
      if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_TRUE(found) << name << " (" << id << ") never reached the other server";
    delays_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - written).count());
    // The writer refreshed its own catalog before answering, and its follower refreshes the
    // person once more: neither may lose it.
    EXPECT_TRUE(SearchFinds(writer, name, id)) << name << " (" << id << ") lost by its writer";
  }
  std::sort(delays_ms.begin(), delays_ms.end());
  double median = (delays_ms[9] + delays_ms[10]) / 2;
  std::printf("propagation delay over %zu writes: median %.1f ms, max %.1f ms\n", delays_ms.size(),
              median, delays_ms.back());
  RecordProperty("propagation_median_ms", std::to_string(median));
  EXPECT_LT(median, 1000.0);
}

// A judgement made on one server is respected by the other: a pair judged "different" is no
// longer proposed there, and a "same" judgement shows there as a cluster.
TEST_P(TwoServersTest, JudgementOnOneIsRespectedByTheOther) {
  std::string first = Record(a_, "Serikzhan Bilash");
  std::string second = Record(b_, "Серікжан Біләш");
  std::string third = Record(a_, "Gulzira Auelkhan");
  std::string fourth = Record(b_, "Gulzira Auelkhan");
  RunResult dedupe = Izde({"dedupe"});  // a third process queues the pairs
  ASSERT_EQ(dedupe.exit_code, 0) << dedupe.err;
  auto bilash = std::make_pair(first, second);
  auto auelkhan = std::make_pair(third, fourth);
  ASSERT_THAT(QueuedPairs(b_), ::testing::IsSupersetOf({bilash, auelkhan}));
  ASSERT_THAT(QueuedPairs(a_), ::testing::IsSupersetOf({bilash, auelkhan}));

  auto [judged, judgement] = a_.Send(
      "POST", "/api/judgements",
      {{"person_a", first}, {"person_b", second}, {"verdict", "different"}, {"note", "test"}});
  ASSERT_EQ(judged, 201) << judgement;
  EXPECT_THAT(QueuedPairs(b_), ::testing::Not(::testing::Contains(bilash)));
  EXPECT_THAT(QueuedPairs(b_), ::testing::Contains(auelkhan));

  auto [merged, merge] =
      b_.Send("POST", "/api/judgements",
              {{"person_a", third}, {"person_b", fourth}, {"verdict", "same"}, {"note", "test"}});
  ASSERT_EQ(merged, 201) << merge;
  auto [status, cluster] = a_.Send("GET", "/api/persons/" + third + "/cluster");
  ASSERT_EQ(status, 200) << cluster;
  EXPECT_THAT(cluster["cluster"]["persons"].get<std::vector<std::string>>(),
              ::testing::ElementsAre(third, fourth));
  EXPECT_THAT(QueuedPairs(a_), ::testing::Not(::testing::Contains(auelkhan)));
}

INSTANTIATE_TEST_SUITE_P(Sqlite, TwoServersTest, ::testing::Values(Backend::kSqlite));
INSTANTIATE_TEST_SUITE_P(Postgres, TwoServersTest, ::testing::Values(Backend::kPostgres));

}  // namespace
}  // namespace izde::cli
