// The name forms the API adds: the name in the searcher's script, generated Chinese variants.
#include "http/name_forms.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api_fixture.h"
#include "names/script.h"

namespace izde::http {
namespace {

using nlohmann::json;

registry::Person PersonNamed(std::vector<std::string> texts) {
  registry::Person person;
  for (std::string& text : texts) person.names.push_back({.text = std::move(text)});
  return person;
}

bool IsHan(const std::string& text) {
  Result<names::Script> script = names::DetectScript(text);
  return script.ok() && *script == names::Script::kHan;
}

TEST(NameFormsTest, TheMatchedFormWinsWhenItIsInTheQueryScript) {
  registry::Person person = PersonNamed({"Tursun Memet", "Турсун Мемет"});
  json shown = NameInQueryScript(person, "Турсун", "Турсун Мемет");
  EXPECT_EQ(shown["text"], "Турсун Мемет");
  EXPECT_EQ(shown["script"], "cyrillic");
  EXPECT_EQ(shown["generated"], false);
}

TEST(NameFormsTest, AStoredNameInTheQueryScriptComesBeforeAGeneratedOne) {
  registry::Person person = PersonNamed({"Tursun Memet", "吐尔逊·买买提"});
  json shown = NameInQueryScript(person, "吐尔逊", "Tursun Memet");
  EXPECT_EQ(shown["text"], "吐尔逊·买买提");
  EXPECT_EQ(shown["generated"], false);
}

TEST(NameFormsTest, AHanQueryGetsAGeneratedChineseFormMarkedSo) {
  registry::Person person = PersonNamed({"Tursun Memet"});
  json shown = NameInQueryScript(person, "吐尔逊·买买提", "Tursun Memet");
  EXPECT_EQ(shown["script"], "han");
  EXPECT_EQ(shown["generated"], true);
  EXPECT_TRUE(IsHan(shown["text"].get<std::string>())) << shown;
}

TEST(NameFormsTest, ALatinQueryGetsTheLatinReadingOfACyrillicName) {
  registry::Person person = PersonNamed({"Серікжан Біләш"});
  json shown = NameInQueryScript(person, "Serikzhan", "Серікжан Біләш");
  EXPECT_EQ(shown["script"], "latin");
  EXPECT_EQ(shown["generated"], true);
  EXPECT_EQ(shown["text"], "Serikzhan Bilash");
}

TEST(NameFormsTest, AnArabicQueryGetsAUyghurArabicSpelling) {
  registry::Person person = PersonNamed({"Ilham Tohti"});
  json shown = NameInQueryScript(person, "ئىلھام توختى", "Ilham Tohti");
  EXPECT_EQ(shown["script"], "arabic");
  EXPECT_EQ(shown["generated"], true);
}

TEST(NameFormsTest, ACyrillicQueryWithoutACyrillicFormFallsBackToThePrimaryName) {
  registry::Person person = PersonNamed({"Tursun Memet"});
  json shown = NameInQueryScript(person, "Турсун", "Tursun Memet");
  EXPECT_EQ(shown["text"], "Tursun Memet");
  EXPECT_EQ(shown["generated"], false);
}

TEST(NameFormsTest, GeneratedChineseNamesOnlyWithoutAHanNameOnRecord) {
  json generated = GeneratedChineseNames(PersonNamed({"Nurlan"}), 3);
  ASSERT_FALSE(generated.empty());
  EXPECT_LE(generated.size(), 3u);
  for (const json& variant : generated) {
    EXPECT_TRUE(IsHan(variant["text"].get<std::string>())) << variant;
    EXPECT_EQ(variant["from"], "Nurlan");
    EXPECT_GT(variant["score"].get<double>(), 0);
  }
  EXPECT_TRUE(GeneratedChineseNames(PersonNamed({"Nurlan", "努尔兰"})).empty());
  EXPECT_TRUE(GeneratedChineseNames(PersonNamed({})).empty());
}

// Persons whose names differ in one text, in order or in number, in every script: what the
// caches' tests run over.
std::vector<registry::Person> CachePersons() {
  return {PersonNamed({"Nurlan"}),
          PersonNamed({"Nurlan Bek"}),
          PersonNamed({"Bek", "Nurlan"}),
          PersonNamed({"Nurlan", "Bek"}),
          PersonNamed({"Ilham Tohti"}),
          PersonNamed({"Ильхам Тохти"}),
          PersonNamed({"Серікжан Біләш", "Serikzhan Bilash"}),
          PersonNamed({"ئىلھام توختى"}),
          PersonNamed({"Tursun Memet", "吐尔逊"})};
}

// The cache of generated forms gives the answer computed afresh, for persons whose names
// differ in one text, in order or in number, in every script a query may be written in, and
// keeps giving it after entries were dropped (a capacity of 3 over 9 persons); the second
// round over the same persons is served from it.
TEST(NameFormsTest, CachedGeneratedFormsAreTheFormsComputedAfresh) {
  const std::vector<registry::Person> persons = CachePersons();
  const std::vector<std::string> queries = {"Nurlan", "Нұрлан", "نۇرلان", "努尔兰", "1974"};
  GeneratedFormCache small(3);
  GeneratedFormCache large;
  int generated = 0;
  for (int round = 0; round < 2; ++round) {
    for (const registry::Person& person : persons) {
      for (const std::string& query : queries) {
        const json want = NameInQueryScript(person, query, "");
        EXPECT_EQ(NameInQueryScript(person, query, "", &small), want) << query;
        EXPECT_EQ(NameInQueryScript(person, query, "", &large), want) << query;
        if (want["generated"] == true) ++generated;
      }
    }
    if (round == 0) {
      EXPECT_EQ(large.hits(), 0u);
    }
  }
  EXPECT_GT(generated, 10);
  // Every generated form of the second round (and each "none generated") comes from the cache.
  EXPECT_GE(large.hits(), static_cast<uint64_t>(generated / 2));
}

// The cache of generated Chinese spellings gives the array computed afresh, for persons whose
// names differ in one text, in order or in number (a Han name on record: none), for one and
// three variants, after entries were dropped (a capacity of 3), and serves the second round.
TEST(NameFormsTest, CachedGeneratedChineseNamesAreTheNamesComputedAfresh) {
  std::vector<registry::Person> persons = CachePersons();
  persons.push_back(PersonNamed({}));
  GeneratedNamesCache small(3);
  GeneratedNamesCache large;
  int non_empty = 0;
  for (int round = 0; round < 2; ++round) {
    for (const registry::Person& person : persons) {
      for (size_t variants : {size_t{1}, size_t{3}}) {
        const json want = GeneratedChineseNames(person, variants);
        EXPECT_EQ(GeneratedChineseNames(person, variants, &small), want) << variants;
        EXPECT_EQ(GeneratedChineseNames(person, variants, &large), want) << variants;
        if (!want.empty()) ++non_empty;
      }
    }
    if (round == 0) {
      EXPECT_EQ(large.hits(), 0u);
    }
  }
  EXPECT_GT(non_empty, 10);
  EXPECT_EQ(large.hits(), persons.size() * 2);
}

TEST_F(ApiTest, SearchShowsTheNameInTheSearchersScriptAndThePersonItsGeneratedVariants) {
  Login editor = SignIn("editor");
  auto [created, body] = Send("POST", "/api/persons", &editor, PersonBody("Tursun Memet"));
  ASSERT_EQ(created, 201) << body;
  std::string id = body["person"]["id"].get<std::string>();

  Login viewer = SignIn("viewer");
  auto [status, found] =
      Send("GET", "/api/search?q=%E5%90%90%E5%B0%94%E9%80%8A%C2%B7%E4%B9%B0%E4%B9%B0%E6%8F%90",
           &viewer);  // 吐尔逊·买买提
  ASSERT_EQ(status, 200) << found;
  ASSERT_FALSE(found["results"].empty()) << found;
  const json& first = found["results"][0];
  EXPECT_EQ(first["id"], id);
  EXPECT_EQ(first["name"], "Tursun Memet");
  EXPECT_EQ(first["name_in_script"]["script"], "han");
  EXPECT_EQ(first["name_in_script"]["generated"], true);

  auto [latin_status, latin] = Send("GET", "/api/search?q=Tursun", &viewer);
  ASSERT_EQ(latin_status, 200);
  ASSERT_FALSE(latin["results"].empty());
  EXPECT_EQ(latin["results"][0]["name_in_script"]["text"], "Tursun Memet");
  EXPECT_EQ(latin["results"][0]["name_in_script"]["generated"], false);

  auto [person_status, person] = Send("GET", "/api/persons/" + id, &viewer);
  ASSERT_EQ(person_status, 200);
  ASSERT_FALSE(person["generated_names"].empty()) << person;
  for (const json& variant : person["generated_names"]) {
    EXPECT_TRUE(IsHan(variant["text"].get<std::string>()));
    for (const json& name : person["person"]["names"]) EXPECT_NE(name["text"], variant["text"]);
  }
}

}  // namespace
}  // namespace izde::http
