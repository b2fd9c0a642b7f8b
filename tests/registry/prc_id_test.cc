#include "registry/prc_id.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "testing/status_matchers.h"

namespace izde::registry {
namespace {

using ::izde::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The check character computed from ISO 7064's own definition (weight of position i, counted
// from the right starting at 1 for the check character, is 2^(i-1) mod 11; the check makes
// the weighted sum 1 mod 11), not from the weight table prc_id.cc uses.
char CheckChar(std::string_view first17) {
  int sum = 0;
  int weight = 2;  // 2^1 for the rightmost of the 17 digits
  for (size_t idx = first17.size(); idx-- > 0;) {
    sum += (first17[idx] - '0') * weight;
    weight = weight * 2 % 11;
  }
  const int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

// A valid ID from its parts: region (6 digits), birth date (8), sequence (3).
std::string MakeId(std::string_view region, std::string_view birth, std::string_view sequence) {
  std::string first17 = std::string(region) + std::string(birth) + std::string(sequence);
  return first17 + CheckChar(first17);
}

// The sequence of the first ID for region and birth whose check character is `check`.
std::string MakeIdWithCheck(std::string_view region, std::string_view birth, char check) {
  for (int seq = 0; seq < 1000; ++seq) {
    std::string sequence = std::to_string(seq);
    sequence.insert(0, 3 - sequence.size(), '0');
    std::string id = MakeId(region, birth, sequence);
    if (id.back() == check) return id;
  }
  ADD_FAILURE() << "no sequence gives check " << check;
  return "";
}

TEST(PrcIdTest, HelperAgreesWithTheStandardsExample) {
  // GB 11643-1999's worked example.
  EXPECT_EQ(CheckChar("11010519491231002"), 'X');
}

TEST(PrcIdTest, ParsesTheStandardsExample) {
  ASSERT_OK_AND_ASSIGN(PrcId id, ParsePrcId("11010519491231002X"));
  EXPECT_EQ(id.number, "11010519491231002X");
  EXPECT_EQ(id.region_code, "110105");
  EXPECT_EQ(id.birth_date, (DatePoint{1949, 12, 31}));
  EXPECT_EQ(id.gender, Gender::kFemale);  // digit 17 is 2
}

TEST(PrcIdTest, ParsesFieldsOfAConstructedId) {
  const std::string number = MakeId("654002", "19740412", "123");
  ASSERT_OK_AND_ASSIGN(PrcId id, ParsePrcId(number));
  EXPECT_EQ(id.number, number);
  EXPECT_EQ(id.region_code, "654002");
  EXPECT_EQ(id.birth_date, (DatePoint{1974, 4, 12}));
  EXPECT_EQ(id.gender, Gender::kMale);  // digit 17 is 3

  ASSERT_OK_AND_ASSIGN(PrcId woman, ParsePrcId(MakeId("654002", "19740412", "128")));
  EXPECT_EQ(woman.gender, Gender::kFemale);
}

TEST(PrcIdTest, AcceptsEveryValidCheckCharacter) {
  // One ID per possible check character, so each entry of "10X98765432" is exercised.
  for (char check : std::string("0123456789X")) {
    const std::string number = MakeIdWithCheck("653101", "19850101", check);
    EXPECT_OK(ParsePrcId(number));
  }
}

TEST(PrcIdTest, NormalisesLowerCaseXAndSurroundingSpace) {
  std::string number = MakeIdWithCheck("654021", "19620930", 'X');
  std::string typed = " " + number.substr(0, 17) + "x\n";
  ASSERT_OK_AND_ASSIGN(PrcId id, ParsePrcId(typed));
  EXPECT_EQ(id.number, number);
}

TEST(PrcIdTest, RejectsWrongLength) {
  const std::string number = MakeId("654002", "19740412", "123");
  EXPECT_THAT(ParsePrcId(number.substr(0, 17)),
              StatusIs(StatusCode::kInvalidArgument, "length 17, expected 18"));
  EXPECT_THAT(ParsePrcId(number + "1"),
              StatusIs(StatusCode::kInvalidArgument, "length 19, expected 18"));
  EXPECT_THAT(ParsePrcId(""), StatusIs(StatusCode::kInvalidArgument, "length 0, expected 18"));
  EXPECT_THAT(ParsePrcId("654002740412123"),
              StatusIs(StatusCode::kInvalidArgument,
                       HasSubstr("length 15, expected 18 (a first-generation 15-digit ID")));
}

TEST(PrcIdTest, RejectsCharactersThatAreNotDigits) {
  std::string number = MakeId("654002", "19740412", "123");
  number[4] = 'a';
  EXPECT_THAT(ParsePrcId(number),
              StatusIs(StatusCode::kInvalidArgument, "character 5 is 'a', expected a digit"));
  number = MakeId("654002", "19740412", "123");
  number[16] = 'X';  // X is only allowed last
  EXPECT_THAT(ParsePrcId(number),
              StatusIs(StatusCode::kInvalidArgument, "character 17 is 'X', expected a digit"));
  number = MakeId("654002", "19740412", "123");
  number[17] = 'Y';
  EXPECT_THAT(ParsePrcId(number),
              StatusIs(StatusCode::kInvalidArgument, "character 18 is 'Y', expected a digit or X"));
}

TEST(PrcIdTest, RejectsWrongCheckDigitSayingWhichWasExpected) {
  std::string number = MakeIdWithCheck("654002", "19740412", 'X');
  number[17] = '5';
  const Result<PrcId> parsed = ParsePrcId(number);
  EXPECT_THAT(parsed, StatusIs(StatusCode::kInvalidArgument, "check digit is 5, expected X"));
  EXPECT_EQ(parsed.status().field(), "prc_id");
}

TEST(PrcIdTest, CheckDigitCatchesEverySingleDigitTypo) {
  const std::string number = MakeId("654002", "19740412", "123");
  for (size_t pos = 0; pos < 17; ++pos) {
    for (char digit = '0'; digit <= '9'; ++digit) {
      if (digit == number[pos]) continue;
      std::string typo = number;
      typo[pos] = digit;
      EXPECT_THAT(ParsePrcId(typo),
                  StatusIs(StatusCode::kInvalidArgument, HasSubstr("check digit")))
          << typo;
    }
  }
}

TEST(PrcIdTest, CheckDigitCatchesSwappedNeighbours) {
  const std::string number = MakeId("654002", "19740412", "123");
  for (size_t pos = 0; pos + 1 < 17; ++pos) {
    if (number[pos] == number[pos + 1]) continue;
    std::string swapped = number;
    std::swap(swapped[pos], swapped[pos + 1]);
    EXPECT_THAT(ParsePrcId(swapped),
                StatusIs(StatusCode::kInvalidArgument, HasSubstr("check digit")))
        << swapped;
  }
}

TEST(PrcIdTest, RejectsUnknownProvince) {
  EXPECT_THAT(ParsePrcId(MakeId("994002", "19740412", "123")),
              StatusIs(StatusCode::kInvalidArgument, "province code 99 is not a PRC province"));
  EXPECT_THAT(ParsePrcId(MakeId("204002", "19740412", "123")),
              StatusIs(StatusCode::kInvalidArgument, "province code 20 is not a PRC province"));
  EXPECT_THAT(ParsePrcId(MakeId("664002", "19740412", "123")),
              StatusIs(StatusCode::kInvalidArgument, "province code 66 is not a PRC province"));
  // Every real province is accepted, Hong Kong, Macau and Taiwan included.
  for (std::string_view province :
       {"11", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"}) {
    EXPECT_OK(ParsePrcId(MakeId(std::string(province) + "0101", "19740412", "123")));
  }
}

TEST(PrcIdTest, RejectsBirthDatesThatAreNotDates) {
  const Result<PrcId> parsed = ParsePrcId(MakeId("654002", "19741341", "123"));
  EXPECT_THAT(parsed, StatusIs(StatusCode::kInvalidArgument, "birth date 19741341 is not a date"));
  EXPECT_EQ(parsed.status().field(), "prc_id");
  EXPECT_THAT(ParsePrcId(MakeId("654002", "19740431", "123")),
              StatusIs(StatusCode::kInvalidArgument, "birth date 19740431 is not a date"));
  EXPECT_THAT(ParsePrcId(MakeId("654002", "19010229", "123")),
              StatusIs(StatusCode::kInvalidArgument, "birth date 19010229 is not a date"));
  EXPECT_THAT(ParsePrcId(MakeId("654002", "17991231", "123")),
              StatusIs(StatusCode::kInvalidArgument, "birth date 17991231 is not a date"));
  EXPECT_OK(ParsePrcId(MakeId("654002", "20000229", "123")));
}

// Warnings.

Person Entry(PartialDate birth, Gender gender, std::string hometown_code) {
  Person person;
  person.birth_date = birth;
  person.gender = gender;
  person.hometown_code = std::move(hometown_code);
  return person;
}

PrcId Id(std::string_view region, std::string_view birth, std::string_view sequence) {
  Result<PrcId> id = ParsePrcId(MakeId(region, birth, sequence));
  EXPECT_OK(id);
  return id.value_or(PrcId{});
}

class PrcIdWarningsTest : public ::testing::Test {
 protected:
  const Gazetteer& places_ = Gazetteer::Xinjiang();
  const PrcId ghulja_man_ = Id("654002", "19740412", "123");
};

TEST_F(PrcIdWarningsTest, NoneWhenTheEntryAgrees) {
  EXPECT_THAT(PrcIdWarnings(Entry(PartialDate::Of(1974, 4, 12), Gender::kMale, "654002"),
                            ghulja_man_, places_),
              IsEmpty());
  // Nothing known, nothing to disagree with.
  EXPECT_THAT(PrcIdWarnings(Person{}, ghulja_man_, places_), IsEmpty());
}

TEST_F(PrcIdWarningsTest, BirthYearDiffers) {
  EXPECT_THAT(
      PrcIdWarnings(Entry(PartialDate::Of(1975), Gender::kUnknown, ""), ghulja_man_, places_),
      ElementsAre("PRC ID says born 1974-04-12, entry says 1975"));
}

TEST_F(PrcIdWarningsTest, BirthDateComparedAtTheEntrysPrecision) {
  auto warnings_for = [&](PartialDate birth) {
    return PrcIdWarnings(Entry(birth, Gender::kUnknown, ""), ghulja_man_, places_);
  };
  EXPECT_THAT(warnings_for(PartialDate::Of(1974)), IsEmpty());
  EXPECT_THAT(warnings_for(PartialDate::Of(1974, 4)), IsEmpty());
  EXPECT_THAT(warnings_for(PartialDate::Of(1974, 5)),
              ElementsAre("PRC ID says born 1974-04-12, entry says 1974-05"));
  EXPECT_THAT(warnings_for(PartialDate::Of(1974, 4, 13)),
              ElementsAre("PRC ID says born 1974-04-12, entry says 1974-04-13"));
}

TEST_F(PrcIdWarningsTest, AboutDatesAllowAYearEitherSide) {
  auto warnings_for = [&](PartialDate birth) {
    return PrcIdWarnings(Entry(birth, Gender::kUnknown, ""), ghulja_man_, places_);
  };
  EXPECT_THAT(warnings_for(PartialDate::Of(1975, 0, 0, /*about=*/true)), IsEmpty());
  EXPECT_THAT(warnings_for(PartialDate::Of(1973, 0, 0, /*about=*/true)), IsEmpty());
  EXPECT_THAT(warnings_for(PartialDate::Of(1976, 0, 0, /*about=*/true)),
              ElementsAre("PRC ID says born 1974-04-12, entry says ~1976"));
}

TEST_F(PrcIdWarningsTest, RangesContainingTheDateAgree) {
  ASSERT_OK_AND_ASSIGN(PartialDate range, PartialDate::Parse("1972..1974"));
  EXPECT_THAT(PrcIdWarnings(Entry(range, Gender::kUnknown, ""), ghulja_man_, places_), IsEmpty());
  ASSERT_OK_AND_ASSIGN(PartialDate later, PartialDate::Parse("1975..1977"));
  EXPECT_THAT(PrcIdWarnings(Entry(later, Gender::kUnknown, ""), ghulja_man_, places_),
              ElementsAre("PRC ID says born 1974-04-12, entry says 1975..1977"));
}

TEST_F(PrcIdWarningsTest, GenderDiffers) {
  EXPECT_THAT(PrcIdWarnings(Entry(PartialDate(), Gender::kFemale, ""), ghulja_man_, places_),
              ElementsAre("PRC ID says male, entry says female"));
  const PrcId woman = Id("654002", "19740412", "128");
  EXPECT_THAT(PrcIdWarnings(Entry(PartialDate(), Gender::kMale, ""), woman, places_),
              ElementsAre("PRC ID says female, entry says male"));
}

TEST_F(PrcIdWarningsTest, HometownInAnotherPrefectureNamesBoth) {
  EXPECT_THAT(
      PrcIdWarnings(Entry(PartialDate(), Gender::kUnknown, "653101"), ghulja_man_, places_),
      ElementsAre("PRC ID region Ghulja (伊宁市, 654002) is in Ili Kazakh Autonomous Prefecture, "
                  "hometown Kashgar (喀什市, 653101) is in Kashgar Prefecture"));
}

TEST_F(PrcIdWarningsTest, HometownInTheSamePrefectureIsFine) {
  // Yining County, a township of Ghulja city, and the prefecture itself.
  for (std::string_view hometown : {"654021", "654002001", "6540"}) {
    EXPECT_THAT(PrcIdWarnings(Entry(PartialDate(), Gender::kUnknown, std::string(hometown)),
                              ghulja_man_, places_),
                IsEmpty())
        << hometown;
  }
}

TEST_F(PrcIdWarningsTest, CorpsCitiesAreNotComparedByPrefecture) {
  // Shihezi is grouped under 6590 but lies in Changji's land.
  EXPECT_THAT(PrcIdWarnings(Entry(PartialDate(), Gender::kUnknown, "652301"),
                            Id("659001", "19800101", "001"), places_),
              IsEmpty());
}

TEST_F(PrcIdWarningsTest, UnknownXinjiangRegionCode) {
  // 654101 was Yining city's code before Ili's reorganisation.
  EXPECT_THAT(PrcIdWarnings(Entry(PartialDate(), Gender::kUnknown, "653101"),
                            Id("654101", "19740412", "123"), places_),
              ElementsAre("PRC ID region 654101 is not a current Xinjiang division code "
                          "(perhaps an older one)"));
  // Outside Xinjiang the gazetteer knows nothing, so it says nothing.
  EXPECT_THAT(PrcIdWarnings(Entry(PartialDate(), Gender::kUnknown, "653101"),
                            Id("110105", "19740412", "123"), places_),
              IsEmpty());
}

TEST_F(PrcIdWarningsTest, SeveralDisagreementsGiveSeveralWarnings) {
  EXPECT_THAT(
      PrcIdWarnings(Entry(PartialDate::Of(1980), Gender::kFemale, "653201"), ghulja_man_, places_),
      ElementsAre(HasSubstr("born"), HasSubstr("female"), HasSubstr("Hotan Prefecture")));
}

}  // namespace
}  // namespace izde::registry
