// The search page written as text (search_json.h) against what it replaced: the nlohmann tree
// of RedactedSummaryJson and the search row's fields, dumped as the server dumps a reply.
#include "http/search_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "http/views.h"
#include "names/script.h"

namespace izde::http {
namespace {

using nlohmann::json;

std::string Dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Texts a name, a place or an explanation may hold, well-formed or not.
std::vector<std::string> Texts() {
  return {"",
          "Serikzhan Bilash",
          "Серікжан Біләш",
          "سەرىكجان بىلاش",
          "伊力哈木·土赫提",
          "emoji \xF0\x9F\x98\x80 and U+10FFFF \xF4\x8F\xBF\xBF",
          "same (0.93): Serikzhan Bilash ~ Серікжан Біләш",
          "quote \" backslash \\ slash /",
          "tab\tnewline\ncr\rbell\x07 unit\x1F del\x7F",
          std::string("nul \0 inside", 12),
          "lone continuation \x80 byte",
          "truncated at the end \xD0",
          "truncated three \xE4\xBC",
          "overlong \xC0\x80 and \xC1\xBF",
          "overlong three \xE0\x80\x80",
          "surrogate \xED\xA0\x80",
          "above U+10FFFF \xF4\x90\x80\x80",
          "no such lead \xF5\x80\x80\x80 \xFF",
          "bad second of four \xF0\x80\x80\x80",
          "a lead then ASCII \xE2(x",
          "\xE2\x82",
          "\x80"};
}

TEST(SearchJsonTest, StringsAreWrittenAsNlohmannDumpsThem) {
  for (const std::string& text : Texts()) {
    std::string out = "[";
    AppendJsonString(out, text);
    EXPECT_EQ(out, "[" + Dump(json(text)))
        << json(text).dump(-1, ' ', true, json::error_handler_t::replace);
  }
}

TEST(SearchJsonTest, NumbersAreWrittenAsNlohmannDumpsThem) {
  std::vector<double> values = {0.0,
                                -0.0,
                                1.0,
                                -1.0,
                                0.5,
                                0.1 + 0.2,
                                1e-4,
                                1e-5,
                                -3.25,
                                12.000000000000002,
                                1e15,
                                1e16,
                                123456789012345680.0,
                                std::numeric_limits<double>::min(),
                                std::numeric_limits<double>::denorm_min(),
                                std::numeric_limits<double>::max(),
                                std::numeric_limits<double>::quiet_NaN(),
                                std::numeric_limits<double>::infinity(),
                                -std::numeric_limits<double>::infinity()};
  std::mt19937_64 random(7);
  std::uniform_real_distribution<double> weight(-20.0, 20.0);
  for (int draw = 0; draw < 2000; ++draw) values.push_back(weight(random));
  for (int draw = 0; draw < 500; ++draw) {
    // Any bit pattern: every exponent, subnormals, NaNs.
    const uint64_t bits = random();
    double value = 0;
    std::memcpy(&value, &bits, sizeof(value));
    values.push_back(value);
  }
  for (double value : values) {
    std::string out;
    AppendJsonDouble(out, value);
    EXPECT_EQ(out, Dump(json(value))) << value;
  }
}

// The row the handler built before: RedactedSummaryJson, the score, and for a signed-in caller
// the matched name, the name in the query's script and the explanation.
json TreeRow(const registry::Person& person, const std::string& status, auth::Role role,
             double score, const SearchRowDetail* detail) {
  json row = RedactedSummaryJson(person, status, role);
  row["score"] = score;
  if (detail != nullptr) {
    row["matched_name"] = detail->matched_name;
    row["name_in_script"] = {
        {"text", detail->name_in_script.text},
        {"script", std::string(names::ScriptName(detail->name_in_script.script))},
        {"generated", detail->name_in_script.generated}};
    json explanation = json::array();
    for (const match::FieldWeight& field : detail->explanation) {
      explanation.push_back(
          {{"field", field.field}, {"value", field.value}, {"weight", field.weight}});
    }
    row["explanation"] = std::move(explanation);
  }
  return row;
}

std::vector<registry::Person> Persons() {
  std::vector<registry::Person> persons;
  registry::Person full;
  full.id = 17;
  full.names = {{.text = "Serikzhan Bilash"}, {.text = "Серікжан Біләш"}};
  full.gender = registry::Gender::kMale;
  full.birth_date = PartialDate::Of(1974, 3, 9);
  full.ethnicity = "kazakh";
  full.hometown_code = "654002";
  full.privacy = registry::Privacy::kPublic;
  full.grade = registry::Grade::kReported;
  full.version = 12;
  persons.push_back(full);
  registry::Person sparse;  // nothing known but a name
  sparse.id = 1000000;
  sparse.names = {{.text = "伊力哈木·土赫提"}};
  persons.push_back(sparse);
  registry::Person about;
  about.id = 4;
  about.names = {{.text = "quote \" and \xC0\x80 ill-formed"}};
  about.gender = registry::Gender::kFemale;
  about.birth_date = PartialDate::Of(1960, 0, 0, /*about=*/true);
  about.ethnicity = "uyghur";
  about.privacy = registry::Privacy::kPrivate;
  about.grade = registry::Grade::kUngraded;
  about.version = -3;
  persons.push_back(about);
  registry::Person nameless;  // no names: display_name() is empty
  nameless.id = 99;
  nameless.birth_date = PartialDate::Of(2001, 12);
  persons.push_back(nameless);
  return persons;
}

TEST(SearchJsonTest, RowsAreTheTreeDumpForEveryRole) {
  const std::vector<match::FieldWeight> explanation = {
      {"name", "same (0.93): Serikzhan Bilash ~ Серікжан Біләш", 7.25},
      {"birth_year", "1974 ~ 1974", 1.0000000000000002},
      {"hometown", "tab\there", -0.5},
      {"gender", "unknown", 0.0}};
  const std::vector<match::FieldWeight> no_explanation;
  const std::vector<NameForm> forms = {{"Серікжан Біләш", names::Script::kCyrillic, false},
                                       {"谢日克江", names::Script::kHan, true},
                                       {"", names::Script::kUnknown, false}};
  const std::vector<std::string> statuses = {"unknown", "detained", "a \"status\""};
  const std::vector<double> scores = {12.5, -4.0, 0.1 + 0.2, 1e-7};
  for (auth::Role role : {auth::Role::kAnonymous, auth::Role::kViewer, auth::Role::kEditor,
                          auth::Role::kReviewer, auth::Role::kAdmin}) {
    for (const registry::Person& person : Persons()) {
      for (size_t case_idx = 0; case_idx < forms.size(); ++case_idx) {
        const std::string& status = statuses[case_idx % statuses.size()];
        const double score = scores[case_idx % scores.size()];
        const std::string matched = case_idx == 0 ? "Серікжан Біләш" : "";
        const SearchRowDetail detail{matched, forms[case_idx],
                                     case_idx == 2 ? no_explanation : explanation};
        for (const SearchRowDetail* with :
             {&detail, static_cast<const SearchRowDetail*>(nullptr)}) {
          std::string out;
          AppendSearchRow(out, person, status, role, score, with);
          EXPECT_EQ(out, Dump(TreeRow(person, status, role, score, with)))
              << "role " << auth::RoleName(role) << ", person " << person.id << ", case "
              << case_idx << (with != nullptr ? ", signed in" : ", anonymous");
        }
      }
    }
  }
}

// Rows appended one after another into one page are the tree's page.
TEST(SearchJsonTest, APageOfRowsIsTheTreeDump) {
  json results = json::array();
  std::string out = "{\"results\":[";
  bool first = true;
  for (const registry::Person& person : Persons()) {
    if (!first) out += ',';
    first = false;
    AppendSearchRow(out, person, "released", auth::Role::kViewer, 3.5, nullptr);
    results.push_back(TreeRow(person, "released", auth::Role::kViewer, 3.5, nullptr));
  }
  out += "]}";
  EXPECT_EQ(out, Dump(json{{"results", results}}));
}

}  // namespace
}  // namespace izde::http
