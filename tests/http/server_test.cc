#include <gtest/gtest.h>

#include <set>

#include "http/api_fixture.h"

namespace izde::http {
namespace {

using nlohmann::json;

int64_t PersonCount(registry::Store& store) { return store.Counts().value().persons; }

TEST_F(ApiTest, LoginSetsAStrictHttpOnlyCookieAndLogoutEndsTheSession) {
  auto res = Client()->Post("/api/login", R"({"name":"editor","password":"editor-password"})",
                            "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("izde_session="), std::string::npos);
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "no TLS here";
  json body = json::parse(res->body);
  EXPECT_EQ(body["user"]["name"], "editor");
  EXPECT_EQ(body["user"].count("password_hash"), 0u);
  Login login{cookie.substr(0, cookie.find(';')), body["csrf_token"]};

  auto [me_status, me] = Send("GET", "/api/me", &login);
  EXPECT_EQ(me_status, 200);
  EXPECT_EQ(me["role"], "editor");
  EXPECT_EQ(me["csrf_token"], login.csrf);

  auto [out_status, out] = Send("POST", "/api/logout", &login, "{}");
  EXPECT_EQ(out_status, 200) << out;
  auto [after_status, after] = Send("GET", "/api/me", &login);
  EXPECT_EQ(after_status, 401);
  EXPECT_EQ(after["error"]["code"], "unauthenticated");
}

TEST_F(ApiTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
  auto [wrong_status, wrong] =
      Send("POST", "/api/login", nullptr, R"({"name":"editor","password":"not-the-password"})");
  auto [unknown_status, unknown] =
      Send("POST", "/api/login", nullptr, R"({"name":"nobody","password":"not-the-password"})");
  EXPECT_EQ(wrong_status, 401);
  EXPECT_EQ(wrong, unknown);
  EXPECT_EQ(wrong["error"]["code"], "unauthenticated");
}

TEST_F(ApiTest, LoginIsRateLimitedPerAccount) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto [status, body] =
        Send("POST", "/api/login", nullptr, R"({"name":"viewer","password":"guessing-wrong"})");
    EXPECT_EQ(status, 401) << attempt;
  }
  // Now even the right password is refused for a while.
  auto [status, body] =
      Send("POST", "/api/login", nullptr, R"({"name":"viewer","password":"viewer-password"})");
  EXPECT_EQ(status, 429) << body;
  EXPECT_EQ(body["error"]["code"], "resource_exhausted");
  // Other accounts are not affected.
  SignIn("editor");
}

TEST_F(ApiTest, AnonymousGets401OnEverythingButLogin) {
  for (const RouteInfo& route : server_->routes()) {
    if (route.path == "/api/login") continue;
    std::string path = route.path;
    for (auto [from, to] :
         {std::pair{"{id}", "1"}, std::pair{"{name}", "editor"}, std::pair{"{row}", "1"}}) {
      size_t pos = path.find(from);
      if (pos != std::string::npos) path.replace(pos, std::string(from).size(), to);
    }
    auto [status, body] = Send(route.method, path, nullptr, "{}");
    EXPECT_EQ(status, 401) << route.method << " " << route.path;
    EXPECT_EQ(body["error"]["code"], "unauthenticated") << route.path;
  }
}

TEST_F(ApiTest, StateChangingRequestsNeedTheCsrfHeader) {
  Login editor = SignIn("editor");
  auto [missing, missing_body] =
      Send("POST", "/api/persons", &editor, PersonBody("Aqbota Nurlan"), /*csrf=*/false);
  EXPECT_EQ(missing, 403);
  EXPECT_EQ(missing_body["error"]["code"], "permission_denied");
  Login wrong = editor;
  wrong.csrf = std::string(64, 'a');
  auto [bad, bad_body] = Send("POST", "/api/persons", &wrong, PersonBody("Aqbota Nurlan"));
  EXPECT_EQ(bad, 403);
  EXPECT_EQ(PersonCount(*store_), 0);
  auto [ok, ok_body] = Send("POST", "/api/persons", &editor, PersonBody("Aqbota Nurlan"));
  EXPECT_EQ(ok, 201) << ok_body;
  EXPECT_EQ(PersonCount(*store_), 1);
}

TEST_F(ApiTest, BadBodiesGetClearErrorsAndWriteNothing) {
  Login editor = SignIn("editor");
  struct Case {
    std::string body;
    int status;
    std::string field;  // empty: no field expected
  };
  std::vector<Case> cases = {
      {R"({"names":[{"text":"A"}],)", 400, ""},                           // malformed
      {"[1,2]", 400, ""},                                                 // not an object
      {R"({"names":[{"text":"A"}],"version":1e999})", 400, ""},  // beyond a double (fuzz)
      {"", 400, ""},                                                      // empty
      {PersonBody("Aqbota", R"("nickname":"x")"), 400, "nickname"},       // unknown field
      {PersonBody("Aqbota", R"("birth_date":1974)"), 400, "birth_date"},  // wrong type
      {PersonBody("Aqbota", R"("birth_date":"1974-13")"), 400, "birth_date"},
      {PersonBody("Aqbota", R"("gender":"dragon")"), 400, "gender"},
      {R"({"names":[{"text":"Aq)"
       "\xff\xfe"
       R"(bota"}]})",
       400, ""},                                   // bad UTF-8
      {R"({"ethnicity":"kazakh"})", 400, "name"},  // no name
  };
  for (const Case& each : cases) {
    auto [status, body] = Send("POST", "/api/persons", &editor, each.body);
    EXPECT_EQ(status, each.status) << each.body << " -> " << body;
    ASSERT_TRUE(body.is_object()) << each.body;
    EXPECT_EQ(body["error"]["code"], "invalid_argument") << each.body;
    EXPECT_FALSE(body["error"]["message"].get<std::string>().empty());
    if (!each.field.empty()) {
      EXPECT_EQ(body["error"]["field"], each.field) << body;
    }
  }
  // Larger than the 1 MiB limit.
  std::string huge = PersonBody("Aqbota", "\"notes\":\"" + std::string(2 << 20, 'x') + "\"");
  auto [status, body] = Send("POST", "/api/persons", &editor, huge);
  EXPECT_EQ(status, 413);
  EXPECT_EQ(body["error"]["code"], "resource_exhausted");
  EXPECT_EQ(PersonCount(*store_), 0);
  EXPECT_EQ(store_->Counts().value().audit_entries, 4) << "only the four user.create entries";
}

TEST_F(ApiTest, ListsPagesByOffsetAndCursorAndFilters) {
  Login editor = SignIn("editor");
  for (int person_idx = 0; person_idx < 7; ++person_idx) {
    std::string extra = person_idx % 2 == 0 ? R"("birth_date":"1970")" : R"("birth_date":"1990")";
    if (person_idx == 6) extra += R"(,"ethnicity":"uyghur")";
    auto [status, body] = Send("POST", "/api/persons", &editor,
                               PersonBody("Person " + std::to_string(person_idx), extra));
    ASSERT_EQ(status, 201) << body;
  }
  auto [first_status, first] = Send("GET", "/api/persons?limit=3", &editor);
  ASSERT_EQ(first_status, 200) << first;
  EXPECT_EQ(first["total"], 7);
  ASSERT_EQ(first["persons"].size(), 3u);
  EXPECT_EQ(first["persons"][0]["id"], "P-000001");
  EXPECT_EQ(first["next"], "P-000003");

  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 5; ++page) {
    auto [status, body] =
        Send("GET", "/api/persons?limit=3" + (cursor.empty() ? "" : "&after=" + cursor), &editor);
    ASSERT_EQ(status, 200);
    for (const json& person : body["persons"]) seen.push_back(person["id"].get<std::string>());
    if (body["next"].is_null()) break;
    cursor = body["next"].get<std::string>();
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 7u);

  auto [offset_status, offset] = Send("GET", "/api/persons?limit=2&offset=5", &editor);
  ASSERT_EQ(offset_status, 200);
  ASSERT_EQ(offset["persons"].size(), 2u);
  EXPECT_EQ(offset["persons"][0]["id"], "P-000006");
  EXPECT_TRUE(offset["next"].is_null());

  auto [uyghur_status, uyghur] = Send("GET", "/api/persons?ethnicity=Uyghur", &editor);
  EXPECT_EQ(uyghur["total"], 1);
  auto [born_status, born] =
      Send("GET", "/api/persons?birth_year_from=1985&birth_year_to=1995", &editor);
  EXPECT_EQ(born["total"], 3);
  auto [status_status, unknown_status] = Send("GET", "/api/persons?status=unknown", &editor);
  EXPECT_EQ(unknown_status["total"], 7);

  // An event changes the person's status, and the list follows.
  auto [event_status, event] = Send("POST", "/api/events", &editor,
                                    R"({"person":"P-000002","type":"detained","date":"2018-03"})");
  ASSERT_EQ(event_status, 201) << event;
  auto [detained_status, detained] = Send("GET", "/api/persons?status=detained", &editor);
  ASSERT_EQ(detained["total"], 1);
  EXPECT_EQ(detained["persons"][0]["id"], "P-000002");
  EXPECT_EQ(detained["persons"][0]["status"], "detained");

  auto [bad_limit, bad_limit_body] = Send("GET", "/api/persons?limit=0", &editor);
  EXPECT_EQ(bad_limit, 400);
  EXPECT_EQ(bad_limit_body["error"]["field"], "limit");
  auto [bad_param, bad_param_body] = Send("GET", "/api/persons?colour=red", &editor);
  EXPECT_EQ(bad_param, 400);
  EXPECT_EQ(bad_param_body["error"]["field"], "colour");
}

TEST_F(ApiTest, ConcurrentEditsOfTheSameVersionConflict) {
  Login first = SignIn("editor");
  Login second = SignIn("reviewer");
  auto [created_status, created] = Send("POST", "/api/persons", &first, PersonBody("Aqbota"));
  ASSERT_EQ(created_status, 201);
  EXPECT_EQ(created["person"]["version"], 1);

  auto [one, one_body] =
      Send("PATCH", "/api/persons/P-000001", &first, R"({"version":1,"occupation":"doctor"})");
  ASSERT_EQ(one, 200) << one_body;
  EXPECT_EQ(one_body["person"]["version"], 2);
  auto [two, two_body] =
      Send("PATCH", "/api/persons/P-000001", &second, R"({"version":1,"occupation":"driver"})");
  EXPECT_EQ(two, 409) << two_body;
  EXPECT_EQ(two_body["error"]["code"], "aborted");
  EXPECT_EQ(store_->GetPerson(1).value().occupation, "doctor");

  auto [missing, missing_body] =
      Send("PATCH", "/api/persons/P-000001", &first, R"({"occupation":"x"})");
  EXPECT_EQ(missing, 400);
  EXPECT_EQ(missing_body["error"]["field"], "version");
  // Grading is a reviewer's right.
  auto [grade, grade_body] =
      Send("PATCH", "/api/persons/P-000001", &first, R"({"version":2,"grade":"documented"})");
  EXPECT_EQ(grade, 403) << grade_body;
  auto [graded, graded_body] =
      Send("PATCH", "/api/persons/P-000001", &second, R"({"version":2,"grade":"documented"})");
  EXPECT_EQ(graded, 200) << graded_body;
}

TEST_F(ApiTest, HistoryShowsChangesAndRevertUndoesOne) {
  Login editor = SignIn("editor");
  ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Aqbota")).first, 201);
  ASSERT_EQ(
      Send("PATCH", "/api/persons/1", &editor, R"({"version":1,"occupation":"doctor"})").first,
      200);
  auto [status, history] = Send("GET", "/api/persons/P-000001/history", &editor);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(history["history"].size(), 2u);
  EXPECT_EQ(history["history"][1]["actor"], "web:editor");
  EXPECT_EQ(history["history"][1]["after"]["occupation"], "doctor");
  int64_t update_entry = history["history"][1]["id"];

  auto [revert_status, reverted] =
      Send("POST", "/api/audit/" + std::to_string(update_entry) + "/revert", &editor, "");
  ASSERT_EQ(revert_status, 200) << reverted;
  EXPECT_EQ(store_->GetPerson(1).value().occupation, "");
}

TEST_F(ApiTest, TestimonyAboutSeveralPersonsAndRelations) {
  Login editor = SignIn("editor");
  ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Aqbota")).first, 201);
  ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Nurlan")).first, 201);
  auto [status, testimony] = Send(
      "POST", "/api/testimonies", &editor,
      R"({"testifier_name":"A relative","date":"2019-02","medium":"video","consent":"publish",)"
      R"("persons":[{"person":"P-000001","relation":"mother"},{"person":"P-000002","relation":"father"}]})");
  ASSERT_EQ(status, 201) << testimony;
  EXPECT_EQ(testimony["persons"].size(), 2u);
  auto [get_status, got] =
      Send("GET", "/api/testimonies/" + testimony["id"].get<std::string>(), &editor);
  EXPECT_EQ(get_status, 200);
  EXPECT_EQ(got["testifier_name"], "A relative");
  auto [person_status, record] = Send("GET", "/api/persons/P-000002", &editor);
  ASSERT_EQ(person_status, 200);
  EXPECT_EQ(record["testimonies"].size(), 1u);

  auto [relation_status, relation] = Send("POST", "/api/relations", &editor,
                                          R"({"from":"P-000001","to":"P-000002","kind":"spouse"})");
  EXPECT_EQ(relation_status, 201) << relation;
  auto [missing_status, missing] = Send("GET", "/api/persons/P-000099", &editor);
  EXPECT_EQ(missing_status, 404);
  EXPECT_EQ(missing["error"]["code"], "not_found");
  auto [bad_id_status, bad_id] = Send("GET", "/api/persons/T-000001", &editor);
  EXPECT_EQ(bad_id_status, 400);
  EXPECT_EQ(bad_id["error"]["field"], "id");
}

TEST_F(ApiTest, SearchFindsAPersonAddedThroughTheApiInAnotherScript) {
  Login editor = SignIn("editor");
  ASSERT_EQ(Send("POST", "/api/persons", &editor,
                 R"({"names":[{"text":"Серікжан Біләш"}],"birth_date":"1974"})")
                .first,
            201);
  ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Gulnar Tursyn")).first, 201);
  auto [status, found] = Send("GET", "/api/search?q=Serikzhan%20Bilash&birth_year=1974", &editor);
  ASSERT_EQ(status, 200) << found;
  ASSERT_FALSE(found["results"].empty());
  EXPECT_EQ(found["results"][0]["id"], "P-000001");
  EXPECT_TRUE(found["results"][0].contains("explanation"));
  auto [empty_status, empty] = Send("GET", "/api/search?q=", &editor);
  EXPECT_EQ(empty_status, 400);
  EXPECT_EQ(empty["error"]["field"], "q");
  auto [stats_status, stats] = Send("GET", "/api/stats", &editor);
  EXPECT_EQ(stats_status, 200);
  EXPECT_EQ(stats["persons"], 2);
}

TEST_F(ApiTest, AdminManagesUsersAndSessions) {
  Login admin = SignIn("admin");
  auto [created_status, created] =
      Send("POST", "/api/users", &admin, R"({"name":"volunteer","role":"editor"})");
  ASSERT_EQ(created_status, 201) << created;
  std::string password = created["password"];
  EXPECT_EQ(password.size(), 20u);
  auto [dup_status, dup] =
      Send("POST", "/api/users", &admin, R"({"name":"volunteer","role":"editor"})");
  EXPECT_EQ(dup_status, 409);

  auto login = Client()->Post(
      "/api/login", json{{"name", "volunteer"}, {"password", password}}.dump(), "application/json");
  ASSERT_TRUE(login);
  ASSERT_EQ(login->status, 200);
  std::string cookie = login->get_header_value("Set-Cookie");
  Login volunteer{cookie.substr(0, cookie.find(';')), json::parse(login->body)["csrf_token"]};

  auto [sessions_status, sessions] = Send("GET", "/api/users/volunteer/sessions", &admin);
  ASSERT_EQ(sessions_status, 200);
  ASSERT_EQ(sessions["sessions"].size(), 1u);
  std::string session_id = sessions["sessions"][0]["id"];
  auto [revoke_status, revoked] = Send("DELETE", "/api/sessions/" + session_id, &admin);
  EXPECT_EQ(revoke_status, 200) << revoked;
  EXPECT_EQ(Send("GET", "/api/me", &volunteer).first, 401);

  auto [role_status, role] =
      Send("PATCH", "/api/users/volunteer", &admin, R"({"role":"reviewer","disabled":true})");
  ASSERT_EQ(role_status, 200) << role;
  EXPECT_EQ(role["user"]["role"], "reviewer");
  EXPECT_EQ(role["user"]["disabled"], true);
  auto [self_status, self] = Send("PATCH", "/api/users/admin", &admin, R"({"disabled":true})");
  EXPECT_EQ(self_status, 412) << self;
  auto [users_status, users] = Send("GET", "/api/users", &admin);
  EXPECT_EQ(users["users"].size(), 5u);
  EXPECT_EQ(users.dump().find("argon2"), std::string::npos);
}

// Every route of the router, for every role and anonymous: 401 for anonymous, 403 for a role
// below the route's least role, and neither for the others. The least roles are written here
// independently of the server's table, so that a route that loosens its rule fails this test.
TEST_F(ApiTest, AuthorizationMatrix) {
  const std::map<std::string, std::string> least_role = {
      {"POST /api/login", "anonymous"},
      {"POST /api/logout", "viewer"},
      {"GET /api/me", "viewer"},
      {"GET /api/persons", "viewer"},
      {"POST /api/persons", "editor"},
      {"GET /api/persons/{id}", "viewer"},
      {"PATCH /api/persons/{id}", "editor"},
      {"GET /api/persons/{id}/history", "viewer"},
      {"POST /api/audit/{id}/revert", "editor"},
      {"POST /api/events", "editor"},
      {"POST /api/testimonies", "editor"},
      {"GET /api/testimonies/{id}", "viewer"},
      {"POST /api/relations", "editor"},
      {"GET /api/search", "viewer"},
      {"GET /api/stats", "viewer"},
      {"GET /api/users", "admin"},
      {"POST /api/users", "admin"},
      {"PATCH /api/users/{name}", "admin"},
      {"GET /api/users/{name}/sessions", "admin"},
      {"DELETE /api/sessions/{id}", "admin"},
      {"GET /api/openapi.json", "viewer"},
      {"GET /api/duplicates", "viewer"},
      {"POST /api/judgements", "reviewer"},
      {"GET /api/clusters", "viewer"},
      {"GET /api/persons/{id}/cluster", "viewer"},
      {"POST /api/clusters/{id}/unmerge", "reviewer"},
      {"GET /api/lists", "viewer"},
      {"POST /api/lists", "reviewer"},
      {"GET /api/lists/{id}", "viewer"},
      {"GET /api/lists/{id}/rows", "viewer"},
      {"POST /api/lists/{id}/rows/{row}/judgement", "reviewer"},
      {"GET /api/lists/{id}/results.csv", "viewer"},
      {"POST /api/evidence", "editor"},
      {"GET /api/evidence/{id}", "viewer"},
      {"GET /api/evidence/{id}/file", "editor"},
      {"GET /api/persons/{id}/evidence", "viewer"},
      {"POST /api/admin/backup", "admin"},
  };
  const std::vector<std::string> roles = {"anonymous", "viewer", "editor", "reviewer", "admin"};
  auto rank = [&](const std::string& role) {
    return std::find(roles.begin(), roles.end(), role) - roles.begin();
  };
  std::map<std::string, Login> logins;
  for (size_t role_idx = 1; role_idx < roles.size(); ++role_idx) {
    logins[roles[role_idx]] = SignIn(roles[role_idx]);
  }
  ASSERT_EQ(server_->routes().size(), least_role.size()) << "a route is missing from this test";
  for (const RouteInfo& route : server_->routes()) {
    std::string key = route.method + " " + route.path;
    auto expected = least_role.find(key);
    ASSERT_NE(expected, least_role.end()) << key << " is not in the matrix";
    std::string path = route.path;
    for (auto [from, to] :
         {std::pair{"{id}", "1"}, std::pair{"{name}", "editor"}, std::pair{"{row}", "1"}}) {
      size_t pos = path.find(from);
      if (pos != std::string::npos) path.replace(pos, std::string(from).size(), to);
    }
    for (const std::string& role : roles) {
      // Logout ends the session it is sent with: use a fresh one.
      Login login = role == "anonymous"           ? Login{}
                    : route.path == "/api/logout" ? SignIn(role)
                                                  : logins[role];
      auto [status, body] = Send(route.method, path, role == "anonymous" ? nullptr : &login, "{}");
      std::string what = key + " as " + role + " -> " + std::to_string(status) + " " + body.dump();
      if (rank(role) >= rank(expected->second)) {
        EXPECT_NE(status, 401) << what;
        EXPECT_NE(status, 403) << what;
        EXPECT_LT(status, 500) << what;
      } else if (role == "anonymous") {
        EXPECT_EQ(status, 401) << what;
      } else {
        EXPECT_EQ(status, 403) << what;
      }
    }
  }
}

TEST_F(ApiTest, OpenApiDocumentsEveryRouteAndNothingElse) {
  Login viewer = SignIn("viewer");
  auto [status, doc] = Send("GET", "/api/openapi.json", &viewer);
  ASSERT_EQ(status, 200);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  std::set<std::string> routed, documented;
  for (const RouteInfo& route : server_->routes()) {
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    routed.insert(method + " " + route.path);
  }
  for (const auto& [path, operations] : doc["paths"].items()) {
    for (const auto& [method, operation] : operations.items()) {
      documented.insert(method + " " + path);
      EXPECT_TRUE(operation.contains("responses")) << method << " " << path;
    }
  }
  for (const std::string& route : routed) {
    EXPECT_TRUE(documented.count(route)) << route << " is not documented";
  }
  for (const std::string& entry : documented) {
    EXPECT_TRUE(routed.count(entry)) << entry << " is documented but not routed";
  }
}

TEST_F(ApiTest, UnknownRoutesGetAJsonError) {
  Login viewer = SignIn("viewer");
  auto [status, body] = Send("GET", "/api/nothing-here", &viewer);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(body["error"]["code"], "not_found");
}

class PublicReadTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    Login editor = SignIn("editor");
    ASSERT_EQ(Send("POST", "/api/persons", &editor,
                   PersonBody("Public Person",
                              R"("privacy":"public","notes":"private note","occupation":"x")"))
                  .first,
              201);
    ASSERT_EQ(Send("POST", "/api/persons", &editor, PersonBody("Restricted Person")).first, 201);
    StopServer();
    StartServer({.public_read = true});
  }
};

TEST_F(PublicReadTest, AnonymousSeesOnlyPublicEntriesAndNoPrivateField) {
  auto [status, list] = Send("GET", "/api/persons", nullptr);
  ASSERT_EQ(status, 200) << list;
  EXPECT_EQ(list["total"], 1);
  ASSERT_EQ(list["persons"].size(), 1u);
  EXPECT_EQ(list["persons"][0]["name"], "Public Person");
  auto [one_status, one] = Send("GET", "/api/persons/P-000001", nullptr);
  ASSERT_EQ(one_status, 200);
  // The redaction policy's public view (docs/privacy.md): the entry without private fields.
  ASSERT_TRUE(one.contains("person")) << one;
  EXPECT_EQ(one["person"]["id"], "P-000001");
  EXPECT_FALSE(one["person"].contains("prc_id")) << one;
  EXPECT_FALSE(one["person"].contains("notes")) << one;
  EXPECT_FALSE(one.contains("warnings")) << one;
  EXPECT_EQ(one.dump().find("private note"), std::string::npos);
  EXPECT_EQ(Send("GET", "/api/persons/P-000002", nullptr).first, 404);
  EXPECT_EQ(Send("GET", "/api/persons/P-000001/history", nullptr).first, 401);
  EXPECT_EQ(Send("POST", "/api/persons", nullptr, PersonBody("X")).first, 401);
  EXPECT_EQ(Send("GET", "/api/users", nullptr).first, 401);
}

}  // namespace
}  // namespace izde::http
