#include "registry/index_record.h"

#include <gtest/gtest.h>

#include "testing/fixtures.h"

namespace izde::registry {
namespace {

TEST(IndexRecordTest, CarriesEveryNameFormAndTheComparedFields) {
  Person person = ::izde::testing::SamplePerson("ix-1");
  person.id = 42;
  person.gender = Gender::kFemale;
  person.birth_date = PartialDate::Parse("about 1974").value();
  person.hometown_code = "";
  person.hometown_text = "Кульджа";
  match::IndexRecord record = IndexRecordOf(Gazetteer::Xinjiang(), person);
  EXPECT_EQ(record.id, 42);
  ASSERT_EQ(record.names.size(), person.names.size());
  EXPECT_EQ(record.names[0], person.names[0].text);
  EXPECT_EQ(record.fields.birth.first, 1973);  // "about" widens by a year on each side
  EXPECT_EQ(record.fields.birth.last, 1975);
  EXPECT_EQ(record.fields.hometown_code, "654002");  // the typed text, resolved
  EXPECT_EQ(record.fields.gender, match::Gender::kFemale);
}

TEST(IndexRecordTest, PlaceCodeTakesCodesAndNamesAndLeavesTheUnknownEmpty) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  EXPECT_EQ(PlaceCode(places, "654002"), "654002");
  EXPECT_EQ(PlaceCode(places, "伊宁"), "654002");
  EXPECT_EQ(PlaceCode(places, "Atlantis"), "");
  EXPECT_EQ(PlaceCode(places, ""), "");
  EXPECT_FALSE(YearsOf(PartialDate()).known());
}

}  // namespace
}  // namespace izde::registry
