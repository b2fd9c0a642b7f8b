// Duplicates, judgements, clusters and external lists over the real server.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.h"
#include "core/ids.h"
#include "registry/linkage.h"
#include "testing/run_izde.h"

namespace izde::http {
namespace {

using nlohmann::json;

class LinkageApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    editor_ = SignIn("editor");
    reviewer_ = SignIn("reviewer");
    viewer_ = SignIn("viewer");
  }

  std::string AddPerson(const std::string& name, const std::string& extra = "") {
    auto [status, body] = Send("POST", "/api/persons", &editor_, PersonBody(name, extra));
    EXPECT_EQ(status, 201) << body;
    return body["person"]["id"].get<std::string>();
  }

  int64_t JudgementCount() {
    Result<std::vector<registry::Judgement>> all = store_->linkage().Judgements(true);
    EXPECT_OK(all.status());
    return all.ok() ? static_cast<int64_t>(all->size()) : -1;
  }

  // Polls GET /api/lists/{id} until its matching is done or failed; returns the last reply.
  // Every status seen goes into `seen`.
  json WaitForList(const std::string& id, std::vector<std::string>* seen = nullptr) {
    json last;
    for (int attempt = 0; attempt < 2000; ++attempt) {
      auto [status, body] = Send("GET", "/api/lists/" + id, &viewer_);
      EXPECT_EQ(status, 200) << body;
      if (status != 200) return body;
      last = body;
      std::string state = body["status"].get<std::string>();
      EXPECT_EQ(body["list"]["status"], state);
      if (seen != nullptr && (seen->empty() || seen->back() != state)) seen->push_back(state);
      if (state == "done" || state == "failed") return body;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << id << " was not matched in time: " << last;
    return last;
  }

  Login editor_, reviewer_, viewer_;
};

TEST_F(LinkageApiTest, JudgeAQueuedPairSameThenUnmergeTheCluster) {
  std::string a = AddPerson("Serikzhan Bilash", R"("birth_date":"1974")");
  std::string b = AddPerson("Серікжан Біләш", R"("birth_date":"1974")");
  registry::Linkage linkage(*store_);
  ASSERT_OK(linkage
                .QueuePairs({{.person_a = 1,
                              .person_b = 2,
                              .score = 21.5,
                              .explanation = R"([{"field":"name","value":"same","weight":12.0}])"}},
                            {"test"})
                .status());

  auto [status, queue] = Send("GET", "/api/duplicates?limit=10", &viewer_);
  ASSERT_EQ(status, 200) << queue;
  EXPECT_EQ(queue["total"], 1);
  ASSERT_EQ(queue["pairs"].size(), 1u);
  const json& pair = queue["pairs"][0];
  EXPECT_DOUBLE_EQ(pair["score"].get<double>(), 21.5);
  EXPECT_EQ(pair["explanation"][0]["field"], "name");
  EXPECT_EQ(pair["a"]["person"]["id"], a);
  EXPECT_EQ(pair["b"]["person"]["id"], b);
  // The person views are the redacted ones of GET /api/persons/{id} (less the generated
  // Chinese spellings, which only the person page shows).
  json person_a = Send("GET", "/api/persons/" + a, &viewer_).second;
  EXPECT_TRUE(person_a.contains("generated_names"));
  person_a.erase("generated_names");
  EXPECT_EQ(pair["a"], person_a);
  EXPECT_FALSE(pair["a"].contains("warnings"));

  json judge = {{"person_a", b}, {"person_b", a}, {"verdict", "same"}, {"note", "one man"}};
  EXPECT_EQ(Send("POST", "/api/judgements", &editor_, judge.dump()).first, 403);
  auto [judged_status, judged] = Send("POST", "/api/judgements", &reviewer_, judge.dump());
  ASSERT_EQ(judged_status, 201) << judged;
  EXPECT_EQ(judged["judgement"]["person_a"], a);
  EXPECT_EQ(judged["judgement"]["person_b"], b);
  EXPECT_EQ(judged["judgement"]["verdict"], "same");
  EXPECT_EQ(judged["judgement"]["actor"], "web:reviewer");
  EXPECT_EQ(judged["judgement"]["note"], "one man");

  EXPECT_EQ(Send("GET", "/api/duplicates", &viewer_).second["total"], 0);
  auto [clusters_status, clusters] = Send("GET", "/api/clusters", &viewer_);
  ASSERT_EQ(clusters_status, 200);
  ASSERT_EQ(clusters["clusters"].size(), 1u) << clusters;
  EXPECT_EQ(clusters["clusters"][0]["id"], "C-000001");
  EXPECT_EQ(clusters["clusters"][0]["persons"], json::array({a, b}));
  EXPECT_EQ(clusters["clusters"][0]["judgements"], json::array({judged["judgement"]["id"]}));
  auto [of_status, of] = Send("GET", "/api/persons/" + b + "/cluster", &viewer_);
  ASSERT_EQ(of_status, 200);
  EXPECT_EQ(of["cluster"], clusters["clusters"][0]);

  EXPECT_EQ(Send("POST", "/api/clusters/C-000001/unmerge", &editor_, R"({"note":"x"})").first, 403);
  auto [unmerged_status, unmerged] =
      Send("POST", "/api/clusters/C-000001/unmerge", &reviewer_, R"({"note":"two men"})");
  ASSERT_EQ(unmerged_status, 200) << unmerged;
  EXPECT_EQ(unmerged["cluster"]["persons"], json::array({a, b}));
  EXPECT_EQ(Send("GET", "/api/clusters", &viewer_).second["clusters"].size(), 0u);
  EXPECT_EQ(Send("GET", "/api/persons/" + a + "/cluster", &viewer_).second["cluster"]["persons"],
            json::array({a}));
  // Undone, not deleted; and a second unmerge has nothing to explode.
  ASSERT_OK_AND_ASSIGN(auto all, store_->linkage().Judgements(true));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_FALSE(all[0].active());
  EXPECT_NE(all[0].undone_note.find("two men"), std::string::npos) << all[0].undone_note;
  EXPECT_EQ(Send("POST", "/api/clusters/C-000001/unmerge", &reviewer_, "").first, 412);
}

TEST_F(LinkageApiTest, AViewerDoesNotSeePairsOrClustersWithAPrivatePerson) {
  std::string a = AddPerson("Nurlan Alim");
  std::string b = AddPerson("Нурлан Алим", R"("privacy":"private")");
  registry::Linkage linkage(*store_);
  ASSERT_OK(linkage.QueuePairs({{.person_a = 1, .person_b = 2, .score = 15}}, {"test"}).status());
  EXPECT_EQ(Send("GET", "/api/duplicates", &reviewer_).second["total"], 1);
  auto [status, queue] = Send("GET", "/api/duplicates", &viewer_);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(queue["total"], 0);
  EXPECT_EQ(queue["pairs"].size(), 0u);
  json judge = {{"person_a", a}, {"person_b", b}, {"verdict", "same"}};
  ASSERT_EQ(Send("POST", "/api/judgements", &reviewer_, judge.dump()).first, 201);
  EXPECT_EQ(Send("GET", "/api/clusters", &reviewer_).second["clusters"].size(), 1u);
  EXPECT_EQ(Send("GET", "/api/clusters", &viewer_).second["clusters"].size(), 0u);
  EXPECT_EQ(Send("GET", "/api/persons/" + b + "/cluster", &viewer_).first, 404);
  EXPECT_EQ(Send("GET", "/api/persons/" + a + "/cluster", &viewer_).second.dump().find(b),
            std::string::npos);
}

TEST_F(LinkageApiTest, BadJudgementsNameTheFieldAndWriteNothing) {
  std::string a = AddPerson("Erlan Kali");
  std::string b = AddPerson("Ерлан Қали");
  struct Case {
    json body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases = {
      {{{"person_a", a}, {"person_b", b}, {"verdict", "maybe"}}, 400, "verdict"},
      {{{"person_a", a}, {"verdict", "same"}}, 400, "person_b"},
      {{{"person_a", a}, {"person_b", b}}, 400, "verdict"},
      {{{"person_a", "X-1"}, {"person_b", b}, {"verdict", "same"}}, 400, "person_a"},
      {{{"person_a", a}, {"person_b", a}, {"verdict", "same"}}, 400, "person_b"},
      {{{"person_a", a}, {"person_b", b}, {"verdict", "same"}, {"colour", "red"}}, 400, "colour"},
      {{{"person_a", a}, {"person_b", b}, {"verdict", "same"}, {"note", 5}}, 400, "note"},
  };
  for (const Case& bad : cases) {
    auto [status, body] = Send("POST", "/api/judgements", &reviewer_, bad.body.dump());
    EXPECT_EQ(status, bad.status) << bad.body << " -> " << body;
    EXPECT_EQ(body["error"]["field"], bad.field) << bad.body << " -> " << body;
  }
  EXPECT_EQ(Send("POST", "/api/judgements", &reviewer_,
                 json{{"person_a", a}, {"person_b", "P-000099"}, {"verdict", "same"}}.dump())
                .first,
            404);
  EXPECT_EQ(JudgementCount(), 0);
}

TEST_F(LinkageApiTest, ListFromCsvRowsWithCandidatesJudgementAndResultsCsv) {
  std::string serikzhan = AddPerson("Serikzhan Bilash", R"("birth_date":"1974","gender":"male")");
  AddPerson("Гүлнар Омар", R"("birth_date":"1980","gender":"female")");
  json create = {{"title", "Release list 2019"},
                 {"file_name", "C:\\volunteer\\release.csv"},
                 {"csv", "No,ФИО,Year\n1,Серікжан Біләш,1974\n2,\"Gulnar Omar\",1980\n"},
                 {"map", {{"name", "ФИО"}, {"birth", "Year"}}}};
  EXPECT_EQ(Send("POST", "/api/lists", &editor_, create.dump()).first, 403);
  auto [status, created] = Send("POST", "/api/lists", &reviewer_, create.dump());
  ASSERT_EQ(status, 202) << created;
  EXPECT_EQ(created["rows"], 2);
  EXPECT_EQ(created["list"]["id"], "L-000001");
  EXPECT_EQ(created["list"]["title"], "Release list 2019");
  EXPECT_EQ(created["list"]["created_by"], "web:reviewer");
  EXPECT_EQ(created["list"]["column_map"]["birth"], "Year");
  std::vector<std::string> seen;
  json matched = WaitForList("L-000001", &seen);
  EXPECT_EQ(matched["status"], "done");
  EXPECT_EQ(matched["rows_done"], 2);
  EXPECT_EQ(matched["rows"], 2);
  EXPECT_EQ(matched["list"]["rows_with_candidates"], 2);
  // Only forward: queued, matching, done (a fast job may skip the first two).
  const std::vector<std::string> order = {"queued", "matching", "done"};
  size_t at = 0;
  for (const std::string& state : seen) {
    auto found = std::find(order.begin() + static_cast<std::ptrdiff_t>(at), order.end(), state);
    ASSERT_NE(found, order.end()) << "status went back to " << state;
    at = static_cast<size_t>(found - order.begin());
  }
  for (const char* key : {"id", "title", "created_by", "column_map", "created_at"}) {
    EXPECT_EQ(matched["list"][key], created["list"][key]) << key;
  }
  auto [lists_status, lists] = Send("GET", "/api/lists", &viewer_);
  ASSERT_EQ(lists_status, 200);
  ASSERT_EQ(lists["lists"].size(), 1u);
  EXPECT_EQ(lists["lists"][0]["rows"], 2);

  auto [rows_status, rows] = Send("GET", "/api/lists/L-000001/rows", &viewer_);
  ASSERT_EQ(rows_status, 200) << rows;
  ASSERT_EQ(rows["rows"].size(), 2u);
  const json& first = rows["rows"][0];
  EXPECT_EQ(first["line"], 2);
  EXPECT_EQ(first["values"]["ФИО"], "Серікжан Біләш");
  EXPECT_TRUE(first["judgement"].is_null());
  // The same engine as `izde match`: the Cyrillic row finds the Latin entry first.
  ASSERT_FALSE(first["candidates"].empty()) << first;
  EXPECT_EQ(first["candidates"][0]["rank"], 1);
  EXPECT_EQ(first["candidates"][0]["person"]["person"]["id"], serikzhan);
  EXPECT_GT(first["candidates"][0]["score"].get<double>(), 0);
  EXPECT_FALSE(first["candidates"][0]["explanation"].empty());

  std::string path =
      "/api/lists/L-000001/rows/" + std::to_string(first["id"].get<int64_t>()) + "/judgement";
  json same = {{"person", serikzhan}, {"verdict", "same"}, {"note", "checked"}};
  EXPECT_EQ(Send("POST", path, &viewer_, same.dump()).first, 403);
  auto [judge_status, judged] = Send("POST", path, &reviewer_, same.dump());
  ASSERT_EQ(judge_status, 201) << judged;
  EXPECT_EQ(judged["judgement"]["person"], serikzhan);
  EXPECT_EQ(judged["judgement"]["verdict"], "same");
  EXPECT_EQ(judged["judgement"]["actor"], "web:reviewer");
  EXPECT_EQ(Send("GET", "/api/lists/L-000001/rows", &viewer_).second["rows"][0]["judgement"],
            judged["judgement"]);
  // A row of another list, a "same" without a person, a "different" with one: refused.
  EXPECT_EQ(Send("POST", "/api/lists/L-000002/rows/1/judgement", &reviewer_, same.dump()).first,
            404);
  auto [no_person, no_person_body] =
      Send("POST", path, &reviewer_, R"({"person":null,"verdict":"same"})");
  EXPECT_EQ(no_person, 400);
  EXPECT_EQ(no_person_body["error"]["field"], "person");
  EXPECT_EQ(
      Send("POST", path, &reviewer_, json{{"person", serikzhan}, {"verdict", "different"}}.dump())
          .first,
      400);

  auto client = Client();
  auto res = client->Get("/api/lists/L-000001/results.csv", Headers(viewer_, false));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/csv", 0), 0u);
  std::istringstream csv(res->body);
  std::string header, line;
  std::getline(csv, header);
  EXPECT_EQ(header, "row,line,rank,person_id,matched_name,score,explanation,verdict,judged_person");
  std::getline(csv, line);
  EXPECT_EQ(line.rfind("1,2,1," + serikzhan + ",Serikzhan Bilash,", 0), 0u) << line;
  EXPECT_NE(line.find(",same," + serikzhan), std::string::npos) << line;
  EXPECT_EQ(client->Get("/api/lists/L-000001/results.csv")->status, 401);
}

// The API matches a list with the code `izde match` runs: the same CSV gives the same
// candidates, scores and explanations, and the results CSV the same cells.
TEST_F(LinkageApiTest, AListMatchesAsIzdeMatchDoes) {
  AddPerson("Serikzhan Bilash", R"("birth_date":"1974","gender":"male")");
  AddPerson("Серікжан Біләшев", R"("birth_date":"1975")");
  AddPerson("Гүлнар Омар", R"("birth_date":"1980","gender":"female")");
  AddPerson("Gulnara Omarova", R"("birth_date":"1981")");
  const std::string csv =
      "ФИО,Year\nСерікжан Біләш,1974\nGulnar Omar,1980\nBakhyt Nurlanuly,1990\n";
  json create = {{"title", "API"}, {"csv", csv}, {"map", {{"name", "ФИО"}, {"birth", "Year"}}}};
  ASSERT_EQ(Send("POST", "/api/lists", &reviewer_, create.dump()).first, 202);
  ASSERT_EQ(WaitForList("L-000001")["status"], "done");
  std::ofstream(dir_.File("list.csv"), std::ios::binary) << csv;
  izde::testing::RunResult cli = izde::testing::RunIzde(
      dir_, {"--db", dir_.File("izde.db"), "match", "list.csv", "--map", "name=ФИО,birth=Year",
             "--list", "CLI", "--out", "cli.csv", "--threads", "1"});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;

  ASSERT_OK_AND_ASSIGN(auto by_api, store_->linkage().RowCandidates(1));
  ASSERT_OK_AND_ASSIGN(auto by_cli, store_->linkage().RowCandidates(2));
  ASSERT_FALSE(by_api.empty());
  ASSERT_EQ(by_api.size(), by_cli.size());
  for (size_t candidate_idx = 0; candidate_idx < by_api.size(); ++candidate_idx) {
    EXPECT_EQ(by_api[candidate_idx].rank, by_cli[candidate_idx].rank);
    EXPECT_EQ(by_api[candidate_idx].person_id, by_cli[candidate_idx].person_id);
    EXPECT_DOUBLE_EQ(by_api[candidate_idx].score, by_cli[candidate_idx].score);
    EXPECT_EQ(by_api[candidate_idx].explanation, by_cli[candidate_idx].explanation);
  }
  // The results CSV: the same cells but matched_name (not stored), then the judgement columns.
  auto res = Client()->Get("/api/lists/L-000001/results.csv", Headers(viewer_, false));
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  auto cells = [](const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      // row,line,rank,person_id: the first four cells, which hold no commas.
      size_t cut = std::string::npos;
      size_t from = 0;
      for (int comma = 0; comma < 4; ++comma) {
        cut = line.find(',', from);
        if (cut == std::string::npos) break;
        from = cut + 1;
      }
      lines.push_back(line.substr(0, cut));
    }
    return lines;
  };
  EXPECT_EQ(cells(res->body), cells(izde::testing::ReadWholeFile(dir_.File("cli.csv"))));
  EXPECT_GT(cells(res->body).size(), 2u);
}

TEST_F(LinkageApiTest, BadListsNameTheFieldAndWriteNothing) {
  AddPerson("Serikzhan Bilash");
  const std::string csv = "Name,Year\nSerikzhan Bilash,1974\n";
  struct Case {
    json body;
    std::string field;
    std::string in_message;
  };
  const std::vector<Case> cases = {
      {{{"title", "L"}, {"csv", csv}, {"map", {{"name", "Nom"}}}}, "map", "no column \"Nom\""},
      {{{"title", "L"}, {"csv", csv}, {"map", {{"colour", "Name"}}}}, "map", "colour"},
      {{{"title", "L"}, {"csv", csv}, {"map", {{"birth", "Year"}}}}, "map", "no name column"},
      {{{"title", "L"}, {"csv", csv}, {"map", "name=Name"}}, "map", "object"},
      {{{"title", "L"}, {"csv", csv}}, "map", "required"},
      {{{"title", "L"}, {"map", {{"name", "Name"}}}}, "csv", "CSV"},
      {{{"csv", csv}, {"map", {{"name", "Name"}}}}, "title", "title"},
      {{{"title", "L"},
        {"csv", "Name,Year\nA B,sometime\n"},
        {"map", {{"name", "Name"}, {"birth", "Year"}}}},
       "birth",
       "line 2"},
      {{{"title", "L"}, {"csv", "Name,Year\nA B\n"}, {"map", {{"name", "Name"}}}}, "csv", "line 2"},
      {{{"title", "L"}, {"csv", csv}, {"map", {{"name", "Name"}}}, {"limit", 0}}, "limit", ""},
      {{{"title", "L"}, {"csv", csv}, {"map", {{"name", "Name"}}}, {"sheet", 1}}, "sheet", ""},
  };
  for (const Case& bad : cases) {
    auto [status, body] = Send("POST", "/api/lists", &reviewer_, bad.body.dump());
    EXPECT_EQ(status, 400) << bad.body << " -> " << body;
    EXPECT_EQ(body["error"]["field"], bad.field) << bad.body << " -> " << body;
    EXPECT_NE(body["error"]["message"].get<std::string>().find(bad.in_message), std::string::npos)
        << body;
  }
  EXPECT_EQ(Send("GET", "/api/lists", &viewer_).second["lists"].size(), 0u);
  ASSERT_OK_AND_ASSIGN(auto lists, store_->linkage().Lists());
  EXPECT_TRUE(lists.empty());
}

TEST_F(LinkageApiTest, AListOverTheBodyLimitIs413) {
  StopServer();
  StartServer({.max_body_bytes = 4096});
  Login reviewer = SignIn("reviewer");
  std::string csv = "Name\n";
  while (csv.size() < 5000) csv += "Serikzhan Bilash\n";
  json create = {{"title", "Big"}, {"csv", csv}, {"map", {{"name", "Name"}}}};
  auto [status, body] = Send("POST", "/api/lists", &reviewer, create.dump());
  EXPECT_EQ(status, 413) << body;
  ASSERT_OK_AND_ASSIGN(auto lists, store_->linkage().Lists());
  EXPECT_TRUE(lists.empty());
}

// A list stored for matching by a server that stopped before it said done (the audit log has
// its "queued" list.create and no list.match) reads failed, and its rows are not shown as if
// matched.
TEST_F(LinkageApiTest, AListWhoseMatchingWasCutShortReadsFailed) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->Begin());
    ASSERT_OK_AND_ASSIGN(int64_t list_id,
                         txn->linkage_writer().InsertList(
                             {.title = "cut short", .source_file = "x.csv", .column_map = "{}"}));
    ASSERT_OK(txn->linkage_writer()
                  .InsertListRow({.list_id = list_id, .line = 2, .values = R"({"Name":"A B"})"})
                  .status());
    ASSERT_OK(txn->AppendAudit({.actor = "web:reviewer",
                                .action = "list.create",
                                .entity = "L-000001",
                                .after = R"({"status":"queued","rows":1})"})
                  .status());
    ASSERT_OK(txn->Commit());
  }
  auto [status, body] = Send("GET", "/api/lists/L-000001", &viewer_);
  ASSERT_EQ(status, 200) << body;
  EXPECT_EQ(body["status"], "failed");
  EXPECT_EQ(body["rows_done"], 0);
  EXPECT_NE(body["list"]["error"].get<std::string>().find("stopped"), std::string::npos);
  auto [rows_status, rows] = Send("GET", "/api/lists/L-000001/rows", &viewer_);
  EXPECT_EQ(rows_status, 412) << rows;
  EXPECT_EQ(Send("GET", "/api/lists/L-000001/results.csv", &viewer_).first, 412);
  EXPECT_EQ(Send("GET", "/api/lists", &viewer_).second["lists"][0]["status"], "failed");
}

// A server stopped with lists waiting records each of them as failed, with no candidates; a
// new server reads them so.
TEST_F(LinkageApiTest, StoppingTheServerFailsTheListsNotMatched) {
  AddPerson("Serikzhan Bilash", R"("birth_date":"1974")");
  std::string csv = "Name\n";
  for (int row = 0; row < 2000; ++row) csv += "Серікжан Біләш\n";
  json create = {{"title", "Big"}, {"csv", csv}, {"map", {{"name", "Name"}}}};
  // Lists until one still waits behind another: that one cannot be matched before the stop.
  int sent = 0;
  bool one_waits = false;
  while (sent < 8 && !one_waits) {
    auto [status, body] = Send("POST", "/api/lists", &reviewer_, create.dump());
    ASSERT_EQ(status, 202) << body;
    ++sent;
    one_waits = Send("GET", "/api/lists/" + body["list"]["id"].get<std::string>(), &viewer_)
                    .second["status"] == "queued";
  }
  ASSERT_TRUE(one_waits) << "every list was matched as soon as it came";
  StopServer();
  StartServer({});
  viewer_ = SignIn("viewer");
  int failed = 0;
  for (int list = 1; list <= sent; ++list) {
    std::string id = "L-00000" + std::to_string(list);
    json body = Send("GET", "/api/lists/" + id, &viewer_).second;
    std::string state = body["status"].get<std::string>();
    ASSERT_TRUE(state == "done" || state == "failed") << id << ": " << body;
    ASSERT_OK_AND_ASSIGN(auto stored, store_->linkage().RowCandidates(list));
    // Done means every row was matched; failed means no candidate was kept.
    if (state == "failed") {
      ++failed;
      EXPECT_TRUE(stored.empty()) << id;
      EXPECT_EQ(Send("GET", "/api/lists/" + id + "/rows", &viewer_).first, 412);
    } else {
      EXPECT_EQ(stored.size(), 2000u) << id;
    }
  }
  EXPECT_GE(failed, 1);
  std::string last = "L-00000" + std::to_string(sent);
  EXPECT_EQ(Send("GET", "/api/lists/" + last, &viewer_).second["status"], "failed");
  ASSERT_OK_AND_ASSIGN(auto audit, store_->History(last));
  EXPECT_EQ(audit.back().action, "list.match");
  EXPECT_NE(audit.back().after.find("\"failed\""), std::string::npos) << audit.back().after;
}

TEST_F(LinkageApiTest, ListRowsComePageByPage) {
  AddPerson("Serikzhan Bilash");
  std::string csv = "Name\n";
  for (int row = 0; row < 5; ++row) csv += "Serikzhan Bilash\n";
  json create = {{"title", "Paged"}, {"csv", csv}, {"map", {{"name", "Name"}}}};
  ASSERT_EQ(Send("POST", "/api/lists", &reviewer_, create.dump()).first, 202);
  ASSERT_EQ(WaitForList("L-000001")["status"], "done");
  std::vector<int64_t> lines;
  std::string path = "/api/lists/L-000001/rows?limit=2";
  int pages = 0;
  for (; pages < 10; ++pages) {
    auto [status, page] = Send("GET", path, &viewer_);
    ASSERT_EQ(status, 200) << page;
    EXPECT_EQ(page["total"], 5);
    EXPECT_LE(page["rows"].size(), 2u);
    for (const json& row : page["rows"]) lines.push_back(row["line"].get<int64_t>());
    if (page["next"].is_null()) break;
    EXPECT_EQ(page["next"], page["rows"].back()["id"]);
    path = "/api/lists/L-000001/rows?limit=2&after=" + page["next"].dump();
  }
  EXPECT_EQ(pages, 2);  // 2 + 2 + 1
  EXPECT_EQ(lines, (std::vector<int64_t>{2, 3, 4, 5, 6}));
  EXPECT_EQ(Send("GET", "/api/lists/L-000001/rows?limit=0", &viewer_).first, 400);
  EXPECT_EQ(Send("GET", "/api/lists/L-000001/rows?page=2", &viewer_).first, 400);
}

// POST /api/lists stores its rows in one bulk call: each row keeps its line and its values,
// ids follow the lines, none is lost, and each row's candidates are those of its own name.
TEST_F(LinkageApiTest, AListKeepsEveryRowInOrderWithItsOwnCandidates) {
  const std::vector<std::string> names = {"Serikzhan Bilash", "Gulnar Omar", "Bakhyt Nurlanuly",
                                          "Ilham Tohti", "Rahile Dawut"};
  std::vector<int64_t> persons;
  for (const std::string& name : names) {
    ASSERT_OK_AND_ASSIGN(int64_t id, ParseId(IdKind::kPerson, AddPerson(name)));
    persons.push_back(id);
  }
  constexpr int kRows = 157;  // more than one statement's worth where the store batches
  std::string csv = "Name,Ref\n";
  for (int row = 0; row < kRows; ++row) {
    csv += names[static_cast<size_t>(row * 3 % 5)] + ",ref-" + std::to_string(row) + "\n";
  }
  json create = {{"title", "Order"}, {"csv", csv}, {"map", {{"name", "Name"}}}};
  auto [status, created] = Send("POST", "/api/lists", &reviewer_, create.dump());
  ASSERT_EQ(status, 202) << created;
  EXPECT_EQ(created["rows"], kRows);
  ASSERT_EQ(WaitForList("L-000001")["status"], "done");

  ASSERT_OK_AND_ASSIGN(std::vector<registry::ListRow> rows, store_->linkage().ListRows(1));
  ASSERT_EQ(rows.size(), static_cast<size_t>(kRows));
  std::sort(rows.begin(), rows.end(),
            [](const registry::ListRow& a, const registry::ListRow& b) { return a.id < b.id; });
  ASSERT_OK_AND_ASSIGN(std::vector<registry::RowCandidate> candidates,
                       store_->linkage().RowCandidates(1));
  for (size_t row_idx = 0; row_idx < rows.size(); ++row_idx) {
    const registry::ListRow& row = rows[row_idx];
    EXPECT_EQ(row.line, static_cast<int64_t>(row_idx) + 2);  // the header is line 1
    json values = json::parse(row.values);
    const size_t name_idx = row_idx * 3 % 5;
    EXPECT_EQ(values["Ref"], "ref-" + std::to_string(row_idx)) << row.values;
    EXPECT_EQ(values["Name"], names[name_idx]) << row.values;
    std::vector<int64_t> found;
    for (const registry::RowCandidate& candidate : candidates) {
      if (candidate.row_id == row.id) found.push_back(candidate.person_id);
    }
    ASSERT_FALSE(found.empty()) << "line " << row.line;
    EXPECT_EQ(found.front(), persons[name_idx]) << "line " << row.line;
  }
}

TEST_F(LinkageApiTest, DuplicatesComePageByPageAndAJudgementDoesNotSkipAPair) {
  for (const char* name :
       {"Serikzhan Bilash", "Серікжан Біләш", "Serikjan Bilash", "Gulnar Omar", "Гүлнар Омар"}) {
    AddPerson(name);
  }
  registry::Linkage linkage(*store_);
  ASSERT_OK(linkage
                .QueuePairs({{.person_a = 1, .person_b = 2, .score = 30},
                             {.person_a = 1, .person_b = 3, .score = 20},
                             {.person_a = 2, .person_b = 3, .score = 20},
                             {.person_a = 4, .person_b = 5, .score = 10}},
                            {"test"})
                .status());
  auto [status, first] = Send("GET", "/api/duplicates?limit=2", &viewer_);
  ASSERT_EQ(status, 200) << first;
  ASSERT_EQ(first["pairs"].size(), 2u);
  EXPECT_EQ(first["total"], 4);
  EXPECT_DOUBLE_EQ(first["pairs"][0]["score"].get<double>(), 30);
  ASSERT_FALSE(first["next"].is_null());
  // The first pair is judged "different" while the reviewer reads page one: the next page
  // still starts right after the last pair shown.
  ASSERT_EQ(Send("POST", "/api/judgements", &reviewer_,
                 R"({"person_a":"P-000001","person_b":"P-000002","verdict":"different"})")
                .first,
            201);
  auto [next_status, second] =
      Send("GET", "/api/duplicates?limit=2&after=" + first["next"].dump(), &viewer_);
  ASSERT_EQ(next_status, 200) << second;
  ASSERT_EQ(second["pairs"].size(), 2u);
  EXPECT_EQ(second["total"], 3);
  EXPECT_TRUE(second["next"].is_null());
  std::set<int64_t> ids;
  for (const json& page : {first, second}) {
    for (const json& pair : page["pairs"]) ids.insert(pair["id"].get<int64_t>());
  }
  EXPECT_EQ(ids.size(), 4u);
  EXPECT_DOUBLE_EQ(second["pairs"][1]["score"].get<double>(), 10);
  EXPECT_EQ(Send("GET", "/api/duplicates?after=999", &viewer_).first, 400);
}

}  // namespace
}  // namespace izde::http
