#include "registry/places.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "registry/internal/gazetteer_tsv.h"
#include "registry/internal/place_key.h"
#include "testing/status_matchers.h"

namespace izde::registry {
namespace {

using ::izde::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Optional;

// The code Resolve() gives, or "" for nullptr, so that failures print the text.
std::string ResolvedCode(const Gazetteer& places, std::string_view text) {
  const Division* division = places.Resolve(text);
  return division == nullptr ? "" : division->code;
}

std::vector<std::string> CodesInTable() {
  std::vector<std::string> codes;
  std::string_view table = internal::kDivisionsTsv;
  while (!table.empty()) {
    const size_t end = table.find('\n');
    const std::string_view line = table.substr(0, end);
    if (!line.empty() && line.front() != '#') codes.emplace_back(line.substr(0, line.find('\t')));
    if (end == std::string_view::npos) break;
    table.remove_prefix(end + 1);
  }
  return codes;
}

TEST(GazetteerTest, HoldsEveryDivisionOfTheStatisticalList) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  std::map<DivisionLevel, int> per_level;
  for (const std::string& code : CodesInTable()) {
    const Division* division = places.Find(code);
    ASSERT_NE(division, nullptr) << code;
    EXPECT_EQ(division->code, code);
    ++per_level[division->level];
  }
  EXPECT_EQ(per_level[DivisionLevel::kRegion], 1);
  EXPECT_EQ(per_level[DivisionLevel::kPrefecture], 15);
  EXPECT_EQ(per_level[DivisionLevel::kCounty], 108);
  EXPECT_EQ(per_level[DivisionLevel::kTownship], 1405);
  EXPECT_EQ(places.size(), 1u + 15u + 108u + 1405u);
}

TEST(GazetteerTest, FindGivesNamesAndParent) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  const Division* ghulja = places.Find("654002");
  ASSERT_NE(ghulja, nullptr);
  EXPECT_EQ(ghulja->level, DivisionLevel::kCounty);
  EXPECT_EQ(ghulja->name_zh, "伊宁市");
  EXPECT_EQ(ghulja->name_latin, "Ghulja");
  EXPECT_EQ(ghulja->parent_code, "6540");
  EXPECT_THAT(ghulja->aliases, ::testing::Contains("Кульджа"));
  EXPECT_EQ(places.Find("654099"), nullptr);
  EXPECT_EQ(places.Find(""), nullptr);
}

TEST(GazetteerTest, EveryPrefectureAndCountyHasALatinName) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  for (const std::string& code : CodesInTable()) {
    const Division* division = places.Find(code);
    ASSERT_NE(division, nullptr);
    EXPECT_FALSE(division->name_latin.empty()) << code;
    // Each resolves by its own names, unless they are shared (township names often are).
    if (division->level == DivisionLevel::kPrefecture ||
        division->level == DivisionLevel::kCounty) {
      EXPECT_EQ(ResolvedCode(places, division->name_zh), code) << division->name_zh;
      EXPECT_EQ(ResolvedCode(places, division->name_latin), code) << division->name_latin;
    }
  }
}

struct NameCase {
  std::string_view text;
  std::string_view code;
};

TEST(GazetteerTest, ResolvesNamesInEveryScript) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  const NameCase cases[] = {
      // Ghulja city, not Yining county.
      {"Ghulja", "654002"},
      {"ghulja city", "654002"},
      {"GHULJA", "654002"},
      {"Gulja", "654002"},
      {"Kuldja", "654002"},
      {"Yining", "654002"},
      {"Yining City", "654002"},
      {"Yining Shi", "654002"},
      {"伊宁", "654002"},
      {"伊宁市", "654002"},
      {"Кульджа", "654002"},
      {"город Кульджа", "654002"},
      {"Кульджа город", "654002"},
      {"Құлжа", "654002"},
      {"Құлжа қаласы", "654002"},
      {"غۇلجا", "654002"},
      {"غۇلجا شەھىرى", "654002"},
      {" 伊宁 市 ", "654002"},
      // Yining county by its own names.
      {"Yining County", "654021"},
      {"伊宁县", "654021"},
      {"Ghulja County", "654021"},
      {"Құлжа ауданы", "654021"},
      {"غۇلجا ناھىيىسى", "654021"},
      {"Yining Xian", "654021"},
      // Kashgar city; the prefecture by a qualified name.
      {"Kashgar", "653101"},
      {"Kashi", "653101"},
      {"Qeshqer", "653101"},
      {"Қашқар", "653101"},
      {"Кашгар", "653101"},
      {"قەشقەر", "653101"},
      {"喀什", "653101"},
      {"喀什市", "653101"},
      {"Kashgar Prefecture", "6531"},
      {"喀什地区", "6531"},
      {"Urumqi", "6501"},
      {"Ürümchi", "6501"},
      {"Urumchi", "6501"},
      {"Үрімші", "6501"},
      {"Урумчи", "6501"},
      {"ئۈرۈمچى", "6501"},
      {"乌鲁木齐", "6501"},
      {"Urumqi County", "650121"},
      {"Hotan", "653201"},
      {"Khotan", "653201"},
      {"Xotan", "653201"},
      {"和田", "653201"},
      {"Hotan County", "653221"},
      {"Hotan Prefecture", "6532"},
      {"Aksu", "652901"},
      {"Aqsu", "652901"},
      {"Ақсу", "652901"},
      {"阿克苏", "652901"},
      {"Altay", "654301"},
      {"Altai", "654301"},
      {"Алтай", "654301"},
      {"Tacheng", "654201"},
      {"Chöchek", "654201"},
      {"Chochek", "654201"},
      {"Шәуешек", "654201"},
      {"Чугучак", "654201"},
      {"Bortala", "6527"},
      {"Бортала", "6527"},
      {"Bole", "652701"},
      {"Ili", "6540"},
      {"Іле", "6540"},
      {"Иле", "6540"},
      {"Илийский", "6540"},
      {"伊犁", "6540"},
      {"Ili Kazakh Autonomous Prefecture", "6540"},
      {"伊犁哈萨克自治州", "6540"},
      {"Karamay", "6502"},
      {"Qaramay", "6502"},
      {"Turpan", "6504"},
      {"Turfan", "6504"},
      {"Kumul", "6505"},
      {"Hami", "6505"},
      {"Korla", "652801"},
      {"Atush", "653001"},
      {"Artux", "653001"},
      {"Changji", "652301"},
      {"Sanji", "652301"},
      {"Shihezi", "659001"},
      {"Emin", "654221"},
      {"Dorbiljin", "654221"},
      {"Dörbiljin", "654221"},
      {"Nilka", "654028"},
      {"Qapqal", "654022"},
      {"Chapchal", "654022"},
      {"Tekes", "654027"},
      {"Künes", "654025"},
      {"Kunes", "654025"},
      {"Mongolkure", "654026"},
      {"Zhaosu", "654026"},
      {"Toli", "654224"},
      {"托里", "654224"},
      {"Shawan", "654203"},
      {"Burqin", "654321"},
      {"Kaba", "654324"},
      {"Jeminay", "654326"},
      {"Fuyun", "654322"},
      {"Koktogay", "654322"},
      {"Fuhai", "654323"},
      {"Burultokay", "654323"},
      {"Qinghe", "654325"},
      {"Yarkand", "653125"},
      {"Kuqa", "652902"},
      {"Kucha", "652902"},
      {"Xinjiang", "65"},
      {"新疆", "65"},
  };
  for (const NameCase& name_case : cases) {
    EXPECT_EQ(ResolvedCode(places, name_case.text), name_case.code) << name_case.text;
  }
}

TEST(GazetteerTest, ResolvesTownshipsByChineseAndPinyin) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  // 萨依布依街道, a subdistrict of Ghulja city.
  EXPECT_EQ(ResolvedCode(places, "萨依布依街道"), "654002001");
  EXPECT_EQ(ResolvedCode(places, "萨依布依"), "654002001");
  EXPECT_EQ(ResolvedCode(places, "Sayibuyi"), "654002001");
  EXPECT_EQ(ResolvedCode(places, "Sayibuyi Jiedao"), "654002001");
}

TEST(GazetteerTest, CountyWinsOverTownshipOfTheSameName) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  // 托克逊 is Toksun county and also a township of Bay county; 喀什镇 is in Yining county.
  EXPECT_EQ(ResolvedCode(places, "托克逊"), "650422");
  EXPECT_EQ(ResolvedCode(places, "喀什"), "653101");
}

TEST(GazetteerTest, NamesSharedByTownshipsAreAmbiguous) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  // 荒地乡 in Kashgar city and 荒地镇 in Yarkand; three townships called 博斯坦.
  EXPECT_EQ(places.Resolve("荒地"), nullptr);
  EXPECT_EQ(places.Resolve("Huangdi"), nullptr);
  EXPECT_EQ(places.Resolve("博斯坦"), nullptr);
  // The full names still tell them apart.
  EXPECT_EQ(ResolvedCode(places, "荒地乡"), "653101205");
  EXPECT_EQ(ResolvedCode(places, "荒地镇"), "653125103");
}

TEST(GazetteerTest, UnknownOrEmptyTextResolvesToNothing) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  EXPECT_EQ(places.Resolve(""), nullptr);
  EXPECT_EQ(places.Resolve(" , "), nullptr);
  EXPECT_EQ(places.Resolve("Almaty"), nullptr);
  EXPECT_EQ(places.Resolve("city"), nullptr);
  EXPECT_EQ(places.Resolve("\xff\xfe"), nullptr);
}

TEST(GazetteerTest, ResolvesTypedCodes) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  EXPECT_EQ(ResolvedCode(places, "654002"), "654002");
  EXPECT_EQ(ResolvedCode(places, " 654021 "), "654021");
  EXPECT_EQ(ResolvedCode(places, "６５４００２"), "654002");  // full-width digits
  EXPECT_EQ(ResolvedCode(places, "654002001"), "654002001");
  EXPECT_EQ(places.Resolve("654099"), nullptr);
}

TEST(GazetteerTest, PrefectureOf) {
  const Gazetteer& places = Gazetteer::Xinjiang();
  auto prefecture_of = [&](std::string_view code) -> std::string {
    const Division* prefecture = places.PrefectureOf(code);
    return prefecture == nullptr ? "" : prefecture->code;
  };
  EXPECT_EQ(prefecture_of("654002"), "6540");
  EXPECT_EQ(prefecture_of("654002001"), "6540");
  EXPECT_EQ(prefecture_of("6540"), "6540");
  EXPECT_EQ(prefecture_of("653101"), "6531");
  EXPECT_EQ(prefecture_of("659001"), "6590");
  EXPECT_EQ(prefecture_of("65"), "");
  // A county code that is not (or no longer) listed, in a prefecture that is.
  EXPECT_EQ(prefecture_of("654099"), "6540");
  // Ili's pre-2001 prefecture 6541 is not listed, nor is anything outside Xinjiang.
  EXPECT_EQ(prefecture_of("654101"), "");
  EXPECT_EQ(prefecture_of("110105"), "");
  EXPECT_EQ(prefecture_of("Ghulja"), "");
}

TEST(GazetteerTest, XinjiangIsBuiltOnce) {
  EXPECT_EQ(&Gazetteer::Xinjiang(), &Gazetteer::Xinjiang());
}

// A small gazetteer to pin down the matching rules independently of the shipped data.
constexpr std::string_view kDivisions =
    "# code\tlevel\tparent\tname_zh\tname_latin\n"
    "65\tregion\t\t新疆\tXinjiang\n"
    "6540\tprefecture\t65\t伊犁州\tIli\n"
    "654001\tcounty\t6540\t甲河市\tJia City\n"
    "654002\tcounty\t6540\t甲河县\tJia County\n"
    "654003\tcounty\t6540\t乙山县\tYi County\n"
    "654004\tcounty\t6540\t丙县\tBing County\n"
    "654003001\ttownship\t654003\t丁镇\tDing\n"
    "654004001\ttownship\t654004\t丁乡\tDing\n"
    "654004002\ttownship\t654004\t乙山镇\tYizhen\n";
constexpr std::string_view kAliases =
    "654001\tJia\thand\n"
    "654002\tJia\tstem\n"
    "654003\tShared\thand\n"
    "654004\tShared\thand\n"
    "654003\tWeak\tstem\n"
    "654004\tWeak\tstem\n";

TEST(GazetteerRulesTest, StrongNameBeatsGeneratedShortForm) {
  ASSERT_OK_AND_ASSIGN(auto places, internal::ParseGazetteer(kDivisions, kAliases));
  EXPECT_EQ(ResolvedCode(*places, "Jia"), "654001");
  EXPECT_EQ(ResolvedCode(*places, "Jia County"), "654002");
  EXPECT_EQ(ResolvedCode(*places, "甲河县"), "654002");
  // 甲河 is the bare form of both 甲河市 and 甲河县, and nobody claims it by hand.
  EXPECT_EQ(places->Resolve("甲河"), nullptr);
}

TEST(GazetteerRulesTest, EqualClaimsAreAmbiguous) {
  ASSERT_OK_AND_ASSIGN(auto places, internal::ParseGazetteer(kDivisions, kAliases));
  EXPECT_EQ(places->Resolve("Shared"), nullptr);
  EXPECT_EQ(places->Resolve("Weak"), nullptr);
  EXPECT_EQ(places->Resolve("Ding"), nullptr);  // two townships
}

TEST(GazetteerRulesTest, CountyBeatsTownship) {
  ASSERT_OK_AND_ASSIGN(auto places, internal::ParseGazetteer(kDivisions, kAliases));
  // 乙山 is the bare form of the county 乙山县 and of the township 乙山镇.
  EXPECT_EQ(ResolvedCode(*places, "乙山"), "654003");
  EXPECT_EQ(ResolvedCode(*places, "乙山镇"), "654004002");
}

TEST(GazetteerRulesTest, ReportsMalformedTables) {
  EXPECT_THAT(internal::ParseGazetteer("65\tregion\t\t新疆\n", ""),
              StatusIs(StatusCode::kInvalidArgument, "divisions line 1: expected 5 fields"));
  EXPECT_THAT(internal::ParseGazetteer("65\tstate\t\t新疆\tXinjiang\n", ""),
              StatusIs(StatusCode::kInvalidArgument, "divisions line 1: unknown level"));
  EXPECT_THAT(
      internal::ParseGazetteer("#\n6540\tprefecture\t65\t伊犁\tIli\n", ""),
      StatusIs(StatusCode::kInvalidArgument, "divisions line 2: parent 65 not listed before"));
  EXPECT_THAT(internal::ParseGazetteer("65\tregion\t\ta\tb\n65\tregion\t\ta\tb\n", ""),
              StatusIs(StatusCode::kInvalidArgument, "divisions line 2: duplicate code"));
  EXPECT_THAT(internal::ParseGazetteer("65\tregion\t\ta\tb\n", "66\tx\n"),
              StatusIs(StatusCode::kInvalidArgument, "aliases line 1: unknown code 66"));
  EXPECT_THAT(internal::ParseGazetteer("65\tregion\t\ta\tb\n", "65\n"),
              StatusIs(StatusCode::kInvalidArgument, HasSubstr("expected 2 or 3 fields")));
}

TEST(PlaceKeyTest, FoldsCaseWidthMarksAndPunctuation) {
  EXPECT_EQ(internal::PlaceKey("Ürümchi"), "urumchi");
  EXPECT_EQ(internal::PlaceKey("Ghulja City"), "ghuljacity");
  EXPECT_EQ(internal::PlaceKey("Yan'erwo"), "yanerwo");
  EXPECT_EQ(internal::PlaceKey("伊宁 市"), "伊宁市");
  EXPECT_EQ(internal::PlaceKey("ＫＡＳＨＧＡＲ"), "kashgar");
  EXPECT_EQ(internal::PlaceKey("Құлжа"), "құлжа");
  EXPECT_EQ(internal::PlaceKey("Dörbiljin, Xinjiang."), "dorbiljinxinjiang");
  EXPECT_EQ(internal::PlaceKey("Qapqal\u0307"), "qapqal");  // stray combining mark
  // Marks of other scripts are letters there: Cyrillic й stays й.
  EXPECT_EQ(internal::PlaceKey("Кайнар"), "кайнар");
}

TEST(PlaceKeyTest, StripsWordsForKindsOfPlace) {
  using internal::StripPlaceKind;
  EXPECT_THAT(StripPlaceKind("ghuljacity"), Optional(std::string("ghulja")));
  EXPECT_THAT(StripPlaceKind("кульджагород"), Optional(std::string("кульджа")));
  EXPECT_THAT(StripPlaceKind("городкульджа"), Optional(std::string("кульджа")));
  EXPECT_THAT(StripPlaceKind("伊犁哈萨克自治州"), Optional(std::string("伊犁")));
  EXPECT_THAT(StripPlaceKind(internal::PlaceKey("غۇلجا ناھىيىسى")),
              Optional(internal::PlaceKey("غۇلجا")));
  EXPECT_EQ(StripPlaceKind("kashi"), std::nullopt);  // "ka" is no name
  EXPECT_EQ(StripPlaceKind("ghulja"), std::nullopt);
  EXPECT_EQ(StripPlaceKind("city"), std::nullopt);
}

}  // namespace
}  // namespace izde::registry
