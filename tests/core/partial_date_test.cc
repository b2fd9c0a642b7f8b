#include "core/partial_date.h"

#include <gtest/gtest.h>

#include "testing/status_matchers.h"

namespace izde {
namespace {

using ::izde::testing::StatusIs;
using ::testing::HasSubstr;

struct ParseCase {
  const char* input;
  const char* canonical;
};

class PartialDateParseTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(PartialDateParseTest, ParsesToCanonicalForm) {
  const ParseCase& param = GetParam();
  ASSERT_OK_AND_ASSIGN(PartialDate date, PartialDate::Parse(param.input));
  EXPECT_EQ(date.ToString(), param.canonical) << param.input;
  // The canonical form reads back to the same value.
  ASSERT_OK_AND_ASSIGN(PartialDate again, PartialDate::Parse(date.ToString()));
  EXPECT_EQ(again, date);
}

INSTANTIATE_TEST_SUITE_P(
    VolunteerForms, PartialDateParseTest,
    ::testing::Values(ParseCase{"1974", "1974"}, ParseCase{"1974-04", "1974-04"},
                      ParseCase{"1974-04-12", "1974-04-12"}, ParseCase{"1974/04/12", "1974-04-12"},
                      ParseCase{"19740412", "1974-04-12"}, ParseCase{"04.1974", "1974-04"},
                      ParseCase{"4.1974", "1974-04"}, ParseCase{"12.04.1974", "1974-04-12"},
                      ParseCase{"12 April 1974", "1974-04-12"},
                      ParseCase{"April 12, 1974", "1974-04-12"},
                      ParseCase{"Apr 1974", "1974-04"}, ParseCase{"12 апреля 1974", "1974-04-12"},
                      ParseCase{"12 сәуір 1974", "1974-04-12"},
                      ParseCase{"мамыр 2018", "2018-05"}, ParseCase{"май 2018", "2018-05"},
                      ParseCase{"about 1974", "~1974"}, ParseCase{"c. 1974", "~1974"},
                      ParseCase{"circa 1974", "~1974"}, ParseCase{"~1974", "~1974"},
                      ParseCase{"1974?", "~1974"}, ParseCase{"  1974  ", "1974"},
                      ParseCase{"2017-04..2017-06", "2017-04..2017-06"},
                      ParseCase{"2017..2018", "2017..2018"},
                      ParseCase{"1974..1974", "1974"}, ParseCase{"29.02.2016", "2016-02-29"},
                      ParseCase{"", ""}));

TEST(PartialDateTest, RejectsImpossibleDatesWithTheReason) {
  EXPECT_THAT(PartialDate::Parse("1974-13"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("month 13 out of range")));
  EXPECT_THAT(PartialDate::Parse("31.04.1974"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("day 31 out of range")));
  EXPECT_THAT(PartialDate::Parse("29.02.2017"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("day 29")));
  EXPECT_THAT(PartialDate::Parse("3000"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("year 3000 out of range")));
  EXPECT_THAT(PartialDate::Parse("12.04"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("four-digit year")));
  EXPECT_THAT(PartialDate::Parse("yesterday"), StatusIs(StatusCode::kInvalidArgument));
  EXPECT_THAT(PartialDate::Parse("2018..2017"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("before it starts")));
  EXPECT_THAT(PartialDate::Parse("1974-04-12-01"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(PartialDateTest, PrecisionAndBounds) {
  ASSERT_OK_AND_ASSIGN(PartialDate month, PartialDate::Parse("2017-02"));
  EXPECT_EQ(month.precision(), DatePrecision::kMonth);
  EXPECT_EQ(month.EarliestDay(), DaysFromCivil(2017, 2, 1));
  EXPECT_EQ(month.LatestDay(), DaysFromCivil(2017, 2, 28));

  ASSERT_OK_AND_ASSIGN(PartialDate about, PartialDate::Parse("about 1974"));
  EXPECT_TRUE(about.about());
  EXPECT_EQ(about.EarliestDay(), DaysFromCivil(1973, 1, 1));
  EXPECT_EQ(about.LatestDay(), DaysFromCivil(1975, 12, 31));

  ASSERT_OK_AND_ASSIGN(PartialDate range, PartialDate::Parse("2017-04..2017-06"));
  EXPECT_TRUE(range.is_range());
  EXPECT_EQ(range.EarliestDay(), DaysFromCivil(2017, 4, 1));
  EXPECT_EQ(range.LatestDay(), DaysFromCivil(2017, 6, 30));

  PartialDate unknown;
  EXPECT_TRUE(unknown.unknown());
  EXPECT_EQ(unknown.precision(), DatePrecision::kUnknown);
}

TEST(PartialDateTest, CivilDaysAgreeWithTheCalendar) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1) - DaysFromCivil(2000, 2, 28), 2);  // leap year
  EXPECT_EQ(DaysFromCivil(1900, 3, 1) - DaysFromCivil(1900, 2, 28), 1);  // not leap
  EXPECT_EQ(DaysInMonth(2024, 2), 29);
  EXPECT_FALSE(IsValidCivilDate(2023, 2, 29));
}

}  // namespace
}  // namespace izde
