// GET /api/persons/{id} for every role is the record as the redaction policy shows it
// (auth::Redactor over the store, read afresh), with the generated Chinese spellings for a
// signed-in caller: persons of each privacy, testimonies about themselves and about others
// (each consent), events that cite a testimony, relations, over the real server and a real
// SQLite file. The page reads the record's own person once (auth::Redactor::View) and keeps
// the generated spellings (name_forms.h), so each page is asked for twice.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api_fixture.h"
#include "auth/redaction.h"
#include "http/name_forms.h"

namespace izde::http {
namespace {

using nlohmann::json;

class PersonPageTest : public ApiTest {
 protected:
  void SetUp() override {
    StartServer({.public_read = true});
    Login editor = SignIn("editor");
    auto add = [&](const std::string& path, const std::string& body) {
      auto [status, made] = Send("POST", path, &editor, body);
      EXPECT_EQ(status, 201) << path << " " << body << ": " << made.dump();
    };
    add("/api/persons", PersonBody("Nurlan Serik", R"("privacy":"public","notes":"n1")"));
    add("/api/persons", PersonBody("Aygul Tursun", R"("privacy":"restricted")"));
    add("/api/persons", PersonBody("Serikzhan Bilash", R"("privacy":"private")"));
    add("/api/persons", R"({"names":[{"text":"Tursun Memet"},{"text":"吐尔逊·买买提"}],)"
                        R"("privacy":"public"})");
    add("/api/persons", PersonBody("Ильхам Тохти", R"("privacy":"public")"));
    const char* mention = R"({"person":"%s","relation":"%s"})";
    auto testimony = [&](const std::string& consent, const std::vector<std::string>& persons) {
      std::string list;
      for (const std::string& person : persons) {
        if (!list.empty()) list += ",";
        char buffer[128];
        std::snprintf(buffer, sizeof(buffer), mention, person.c_str(), "brother");
        list += buffer;
      }
      add("/api/testimonies", R"({"testifier_name":"A relative","date":"2019-02",)"
                              R"("medium":"video","consent":")" +
                                  consent + R"(","persons":[)" + list + "]}");
    };
    testimony("publish", {"P-000001"});                // T1: about itself
    testimony("publish", {"P-000001", "P-000002"});    // T2: and a restricted person
    testimony("publish", {"P-000001", "P-000003"});    // T3: and a private one
    testimony("anonymise", {"P-000002"});              // T4
    testimony("private", {"P-000001"});                // T5
    testimony("publish", {"P-000005", "P-000004"});    // T6
    add("/api/events", R"({"person":"P-000001","type":"detained","date":"2018-03",)"
                       R"("testimony":"T-000001"})");
    add("/api/events", R"({"person":"P-000001","type":"released","date":"2019",)"
                       R"("testimony":"T-000003"})");
    add("/api/events", R"({"person":"P-000002","type":"detained","date":"2017",)"
                       R"("testimony":"T-000004"})");
    add("/api/relations", R"({"from":"P-000001","to":"P-000002","kind":"sibling"})");
    add("/api/relations", R"({"from":"P-000001","to":"P-000003","kind":"spouse"})");
    add("/api/relations", R"({"from":"P-000005","to":"P-000004","kind":"parent"})");
  }

  // What the page should be for `role`: the policy's view of the record read afresh, or
  // nullopt (404) when the role may not see the person.
  std::optional<json> Expected(auth::Role role, int64_t id) {
    Result<registry::PersonRecord> record = registry_->GetPersonRecord(id);
    EXPECT_TRUE(record.ok()) << id;
    if (!record.ok()) return std::nullopt;
    auth::Redactor redactor(role, *store_);
    Result<std::optional<json>> view = redactor.View(*record);
    EXPECT_TRUE(view.ok());
    if (!view.ok() || !view->has_value()) return std::nullopt;
    json page = **view;
    std::optional<registry::Person> shown = redactor.Redact(record->person);
    if (role != auth::Role::kAnonymous && shown) {
      page["generated_names"] = GeneratedChineseNames(*shown);
    }
    return page;
  }
};

TEST_F(PersonPageTest, EveryRoleSeesTheRecordAsThePolicyShowsIt) {
  struct Caller {
    auth::Role role;
    std::optional<Login> login;
  };
  std::vector<Caller> callers = {{auth::Role::kAnonymous, std::nullopt},
                                 {auth::Role::kViewer, SignIn("viewer")},
                                 {auth::Role::kEditor, SignIn("editor")},
                                 {auth::Role::kReviewer, SignIn("reviewer")},
                                 {auth::Role::kAdmin, SignIn("admin")}};
  int shown = 0;
  int withheld = 0;
  for (int round = 0; round < 2; ++round) {
    for (const Caller& caller : callers) {
      for (int64_t id = 1; id <= 5; ++id) {
        const std::string path = "/api/persons/P-00000" + std::to_string(id);
        auto [status, page] = Send("GET", path, caller.login ? &*caller.login : nullptr);
        std::optional<json> want = Expected(caller.role, id);
        SCOPED_TRACE(path + " as " + std::string(auth::RoleName(caller.role)));
        if (!want) {
          EXPECT_EQ(status, 404) << page.dump();
          ++withheld;
          continue;
        }
        ASSERT_EQ(status, 200) << page.dump();
        EXPECT_EQ(page, *want);
        ++shown;
      }
    }
  }
  // The public sees the three public persons; viewers four (not the private one); editors
  // and above all five.
  EXPECT_EQ(shown, 2 * (3 + 4 + 5 * 3));
  EXPECT_EQ(withheld, 2 * (2 + 1));
}

TEST_F(PersonPageTest, TheRecordsTestimoniesFollowItsPersonsPrivacyChange) {
  // The page's own person is the one read with the record: after its privacy changes, the
  // testimonies about it are decided on the new privacy, as the policy does on a fresh read.
  Login editor = SignIn("editor");
  Login viewer = SignIn("viewer");
  auto [before_status, before] = Send("GET", "/api/persons/P-000005", &viewer);
  ASSERT_EQ(before_status, 200);
  EXPECT_EQ(before, *Expected(auth::Role::kViewer, 5));
  EXPECT_EQ(before["testimonies"].size(), 1u);
  auto [patched, body] = Send("PATCH", "/api/persons/P-000004", &editor,
                              R"({"version":1,"privacy":"private"})");
  ASSERT_EQ(patched, 200) << body.dump();
  auto [after_status, after] = Send("GET", "/api/persons/P-000005", &viewer);
  ASSERT_EQ(after_status, 200);
  EXPECT_EQ(after, *Expected(auth::Role::kViewer, 5));
  EXPECT_TRUE(after["testimonies"].empty()) << after.dump();  // it mentions a private person
  EXPECT_EQ(Send("GET", "/api/persons/P-000004", &viewer).first, 404);
}

}  // namespace
}  // namespace izde::http
