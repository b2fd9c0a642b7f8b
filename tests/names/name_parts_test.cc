#include "names/name_parts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "names/keys.h"
#include "testing/status_matchers.h"

namespace izde::names {
namespace {

using ::izde::testing::StatusIs;

std::vector<std::string> Roles(const ParsedName& name) {
  std::vector<std::string> roles;
  for (const NamePart& part : name.parts) {
    roles.push_back(part.text + ":" + std::string(PartRoleName(part.role)));
  }
  return roles;
}

TEST(NamePartsTest, KazakhPatronymicInCyrillicAndLatin) {
  ASSERT_OK_AND_ASSIGN(ParsedName name, ParseName("Бақыт Нұрланұлы"));
  EXPECT_THAT(Roles(name), ::testing::ElementsAre("Бақыт:given", "Нұрланұлы:patronymic"));
  EXPECT_EQ(name.parts[1].stem, "nurlan");
  EXPECT_EQ(name.parts[1].stem_key, "NLN");
  ASSERT_OK_AND_ASSIGN(ParsedName latin, ParseName("Bakhyt Nurlanuly"));
  EXPECT_EQ(latin.parts[1].role, PartRole::kPatronymic);
  EXPECT_EQ(latin.parts[1].stem, "nurlan");
  ASSERT_OK_AND_ASSIGN(ParsedName daughter, ParseName("Әсел Серікқызы"));
  EXPECT_EQ(daughter.parts[1].role, PartRole::kPatronymic);
  EXPECT_EQ(daughter.parts[1].stem, "serik");
  ASSERT_OK_AND_ASSIGN(ParsedName spaced, ParseName("Bakhyt Nurlan uly"));
  EXPECT_THAT(Roles(spaced), ::testing::ElementsAre("Bakhyt:given", "Nurlan uly:patronymic"));
  EXPECT_EQ(spaced.parts[1].stem, "nurlan");
}

TEST(NamePartsTest, RussianStyleFullName) {
  ASSERT_OK_AND_ASSIGN(ParsedName name, ParseName("Нурсултан Абишевич Назарбаев"));
  EXPECT_THAT(Roles(name), ::testing::ElementsAre("Нурсултан:given", "Абишевич:patronymic",
                                                  "Назарбаев:surname"));
  EXPECT_EQ(name.parts[1].stem, "abish");
  EXPECT_EQ(name.parts[2].stem, "nazarbay");
  ASSERT_OK_AND_ASSIGN(ParsedName reordered, ParseName("Tokayev, Kassym-Jomart"));
  EXPECT_TRUE(reordered.reordered);
  EXPECT_THAT(Roles(reordered),
              ::testing::ElementsAre("Kassym:given", "Jomart:unknown", "Tokayev:surname"));
  EXPECT_EQ(reordered.parts[2].stem, "tokay");
}

TEST(NamePartsTest, UyghurFatherNameAndHonorific) {
  ASSERT_OK_AND_ASSIGN(ParsedName name, ParseName("Hajim Ilham Tohti"));
  EXPECT_THAT(Roles(name),
              ::testing::ElementsAre("Hajim:honorific", "Ilham:given", "Tohti:father"));
  ASSERT_OK_AND_ASSIGN(ParsedName arabic, ParseName("ئىلھام توختى"));
  EXPECT_EQ(arabic.script, Script::kArabic);
  EXPECT_EQ(arabic.language, LanguageHint::kUyghur);
  EXPECT_EQ(arabic.parts[0].ascii, "ilham");
  EXPECT_EQ(arabic.parts[1].role, PartRole::kFatherName);
}

TEST(NamePartsTest, ChineseGivenDotFather) {
  ASSERT_OK_AND_ASSIGN(ParsedName name, ParseName("伊力哈木·土赫提"));
  EXPECT_THAT(Roles(name), ::testing::ElementsAre("伊力哈木:given", "土赫提:father"));
  EXPECT_EQ(name.parts[0].key, "ALM");
  EXPECT_EQ(name.parts[1].key, "TT");
  ASSERT_OK_AND_ASSIGN(ParsedName memet, ParseName("吐尔逊·买买提"));
  EXPECT_EQ(memet.parts[1].ascii, "memet");
}

TEST(NamePartsTest, AbduPrefixJoinsTheNextPart) {
  ASSERT_OK_AND_ASSIGN(ParsedName name, ParseName("Abdu Rehim Heyit"));
  ASSERT_EQ(name.parts.size(), 2u);
  EXPECT_EQ(name.parts[0].ascii, "abdurehim");
  EXPECT_EQ(name.parts[0].role, PartRole::kGiven);
  ASSERT_OK_AND_ASSIGN(ParsedName hyphen, ParseName("Abdul-Hamid"));
  ASSERT_EQ(hyphen.parts.size(), 1u);
  EXPECT_EQ(hyphen.parts[0].key, TurkicKey("abdulhamid"));
}

TEST(NamePartsTest, InitialsAndEdgeCases) {
  ASSERT_OK_AND_ASSIGN(ParsedName name, ParseName("S. Bilash"));
  EXPECT_THAT(Roles(name), ::testing::ElementsAre("S:initial", "Bilash:given"));
  ASSERT_OK_AND_ASSIGN(ParsedName empty, ParseName(" · "));
  EXPECT_TRUE(empty.parts.empty());
  ASSERT_OK_AND_ASSIGN(ParsedName imin, ParseName("Memet Imin"));
  EXPECT_EQ(imin.parts[1].role, PartRole::kFatherName);
  EXPECT_THAT(ParseName("\xc0"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_EQ(PartRoleName(PartRole::kFatherName), "father");
}

}  // namespace
}  // namespace izde::names
