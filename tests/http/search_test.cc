// GET /api/search and GET /api/persons read a page of persons at once (Store::GetPersons):
// what each caller may see is still decided per person.
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.h"

namespace izde::http {
namespace {

class SearchVisibilityTest : public ApiTest {
 protected:
  void SetUp() override {
    StartServer({.public_read = true});
    Login editor = SignIn("editor");
    // Three persons of one name, one per privacy, and one of another name between them.
    for (const char* privacy : {"public", "restricted", "private"}) {
      ASSERT_EQ(Send("POST", "/api/persons", &editor,
                     PersonBody("Gulnar Tursyn", std::string(R"("privacy":")") + privacy +
                                                     R"(","notes":"private note")"))
                    .first,
                201);
      ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Erlan Nurlan")).first, 201);
    }
  }

  // The ids of the results for `q`, as `login` (nullptr: anonymous) gets them.
  std::set<std::string> Found(const Login* login, const std::string& q = "Gulnar%20Tursyn") {
    auto [status, body] = Send("GET", "/api/search?limit=20&q=" + q, login);
    EXPECT_EQ(status, 200) << body;
    std::set<std::string> ids;
    if (status != 200) return ids;
    for (const auto& row : body["results"]) {
      EXPECT_EQ(row.dump().find("private note"), std::string::npos) << row;
      ids.insert(row["id"].get<std::string>());
    }
    return ids;
  }
};

TEST_F(SearchVisibilityTest, EachCallerFindsOnlyThePersonsItMaySee) {
  // P-000001 public, P-000003 restricted, P-000005 private.
  Login editor = SignIn("editor");
  Login viewer = SignIn("viewer");
  std::set<std::string> all = Found(&editor);
  EXPECT_TRUE(all.count("P-000001") && all.count("P-000003") && all.count("P-000005"));
  std::set<std::string> seen = Found(&viewer);
  EXPECT_TRUE(seen.count("P-000001") && seen.count("P-000003"));
  EXPECT_EQ(seen.count("P-000005"), 0u);
  EXPECT_EQ(Found(nullptr), std::set<std::string>{"P-000001"});
}

TEST_F(SearchVisibilityTest, ResultsAreRedactedForTheCaller) {
  Login viewer = SignIn("viewer");
  auto [status, body] = Send("GET", "/api/search?q=Gulnar%20Tursyn", &viewer);
  ASSERT_EQ(status, 200) << body;
  ASSERT_FALSE(body["results"].empty());
  const auto& first = body["results"][0];
  EXPECT_EQ(first["name"], "Gulnar Tursyn");
  EXPECT_TRUE(first.contains("version"));
  EXPECT_TRUE(first.contains("name_in_script")) << first;
  EXPECT_EQ(first["name_in_script"]["text"], "Gulnar Tursyn");
  EXPECT_TRUE(first.contains("explanation"));
  auto [public_status, public_body] = Send("GET", "/api/search?q=Gulnar%20Tursyn", nullptr);
  ASSERT_EQ(public_status, 200) << public_body;
  ASSERT_EQ(public_body["results"].size(), 1u);
  const auto& shown = public_body["results"][0];
  EXPECT_EQ(shown["id"], "P-000001");
  // The public summary: no version, grade, privacy, and no explanation (signed-in only).
  EXPECT_FALSE(shown.contains("version")) << shown;
  EXPECT_FALSE(shown.contains("explanation")) << shown;
  EXPECT_FALSE(shown.contains("name_in_script")) << shown;
}

// The page is written as text (http/search_json.h): for every caller it is the JSON its own
// parse dumps again (sorted keys, nlohmann's numbers), with the headers of every JSON reply.
TEST_F(SearchVisibilityTest, TheWrittenPageIsTheDumpOfItsTreeForEveryCaller) {
  std::vector<std::optional<Login>> callers = {std::nullopt};
  for (const char* role : {"viewer", "editor", "reviewer", "admin"})
    callers.push_back(SignIn(role));
  for (const char* q : {"Gulnar%20Tursyn", "%D0%93%D1%83%D0%BB%D1%8C%D0%BD%D0%B0%D1%80",
                        "%E5%8F%A4%E4%B8%BD%E5%A8%9C%E5%B0%94"}) {
    for (const std::optional<Login>& caller : callers) {
      httplib::Headers headers = caller ? Headers(*caller) : httplib::Headers{};
      auto res = Client()->Get((std::string("/api/search?limit=20&q=") + q).c_str(), headers);
      ASSERT_TRUE(res);
      ASSERT_EQ(res->status, 200) << res->body;
      EXPECT_EQ(res->get_header_value("Content-Type"), "application/json");
      EXPECT_EQ(res->get_header_value("Cache-Control"), "no-store");
      EXPECT_EQ(res->get_header_value("X-Content-Type-Options"), "nosniff");
      const nlohmann::json page = nlohmann::json::parse(res->body);
      EXPECT_EQ(res->body, page.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
      ASSERT_TRUE(page["results"].is_array());
      for (const auto& row : page["results"]) {
        EXPECT_TRUE(row["score"].is_number_float()) << row;
        EXPECT_EQ(row.contains("explanation"), caller.has_value()) << row;
        EXPECT_EQ(row.contains("version"), caller.has_value()) << row;
      }
    }
  }
}

TEST_F(SearchVisibilityTest, ListPagesLeaveOutWhatTheCallerMayNotSee) {
  Login viewer = SignIn("viewer");
  auto [status, list] = Send("GET", "/api/persons?limit=100", &viewer);
  ASSERT_EQ(status, 200) << list;
  std::set<std::string> ids;
  for (const auto& row : list["persons"]) ids.insert(row["id"].get<std::string>());
  EXPECT_EQ(ids,
            (std::set<std::string>{"P-000001", "P-000002", "P-000003", "P-000004", "P-000006"}));
  auto [public_status, public_list] = Send("GET", "/api/persons?limit=100", nullptr);
  ASSERT_EQ(public_status, 200) << public_list;
  ASSERT_EQ(public_list["persons"].size(), 1u);
  EXPECT_EQ(public_list["persons"][0]["id"], "P-000001");
}

// More searches at once than slots: each waits for one and all are answered.
TEST_F(ApiTest, SearchesBeyondTheSlotsWaitAndAllAnswer) {
  StopServer();
  StartServer({.search_slots = 1});
  Login editor = SignIn("editor");
  ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Gulnar Tursyn")).first, 201);
  std::vector<std::thread> clients;
  std::atomic<int> answered{0};
  for (int client_idx = 0; client_idx < 6; ++client_idx) {
    clients.emplace_back([&] {
      for (int request_idx = 0; request_idx < 5; ++request_idx) {
        auto res = Client()->Get("/api/search?q=Gulnar", Headers(editor, false));
        if (res && res->status == 200 &&
            nlohmann::json::parse(res->body)["results"][0]["id"] == "P-000001") {
          ++answered;
        }
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(answered.load(), 30);
}

}  // namespace
}  // namespace izde::http
