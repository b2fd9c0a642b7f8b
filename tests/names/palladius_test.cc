#include "names/internal/palladius.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "names/analyze.h"
#include "names/similarity.h"
#include "testing/text.h"

namespace izde::names {
namespace {

using internal::PalladiusName;
using internal::PalladiusPinyin;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

TEST(PalladiusTest, ReadsSyllablesBackAsPinyin) {
  EXPECT_EQ(PalladiusPinyin("Цзиньхуа"), "jinhua");
  EXPECT_EQ(PalladiusPinyin("ЧЭНЬ"), "chen");
  EXPECT_EQ(PalladiusPinyin("Цюаньго"), "quanguo");
  EXPECT_EQ(PalladiusPinyin("Хуэй"), "hui");         // hui is хуэй, gui гуй
  EXPECT_EQ(PalladiusPinyin("Сюэцзюнь"), "xuejun");  // ü after x and j
  EXPECT_EQ(PalladiusPinyin("Цзы"), "zi");           // zi, ci, si end in ы
  EXPECT_EQ(PalladiusPinyin("Чжуань"), "zhuan");
  size_t syllables = 0;
  EXPECT_EQ(PalladiusPinyin("Вэньхуа", &syllables), "wenhua");
  EXPECT_EQ(syllables, 2u);
}

TEST(PalladiusTest, WordsThatAreNotSyllablesReadAsNothing) {
  EXPECT_EQ(PalladiusPinyin("Марат"), "");   // no syllable ends in т
  EXPECT_EQ(PalladiusPinyin("Нұрлан"), "");  // Kazakh letters
  EXPECT_EQ(PalladiusPinyin("Li"), "");
  EXPECT_EQ(PalladiusPinyin(""), "");
  EXPECT_EQ(PalladiusPinyin("Цзиньцзиньцзиньцзиньцзинь"), "");  // longer than any name
}

// The demo's Hui names (data/demo/hui_names.tsv) give each Palladius spelling with its pinyin:
// every one must read back.
TEST(PalladiusTest, EveryDemoHuiNameReadsBackAsItsPinyin) {
  const char* source_dir = std::getenv("IZDE_SOURCE_DIR");
  const std::filesystem::path path =
      std::filesystem::path(source_dir != nullptr ? source_dir : ".") / "data" / "demo" /
      "hui_names.tsv";
  std::ifstream in(path);
  ASSERT_TRUE(in.is_open()) << path;
  int rows = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() == '#') continue;
    const std::vector<std::string> fields = ::izde::testing::SplitTabs(line);
    ASSERT_GE(fields.size(), 3u) << line;
    std::string pinyin = fields[2];
    for (char& letter : pinyin) letter = static_cast<char>(std::tolower(letter));
    EXPECT_EQ(PalladiusPinyin(fields[1]), pinyin) << fields[1];
    ++rows;
  }
  EXPECT_GT(rows, 30);
}

TEST(PalladiusTest, ANameReadsAsChineseOnlyWhenItLooksIt) {
  EXPECT_THAT(PalladiusName({"Чэнь", "Цюаньго"}), ElementsAre("chen", "quanguo"));
  EXPECT_THAT(PalladiusName({"Ли", "Мин"}), ElementsAre("li", "ming"));  // two short words
  EXPECT_THAT(PalladiusName({"Асан"}), IsEmpty());                       // one word, no mark
  EXPECT_THAT(PalladiusName({"Марат", "Ли"}), IsEmpty());  // Марат is no syllable
  EXPECT_THAT(PalladiusName({"Алина", "Лиана", "Дина", "Ли"}), IsEmpty());  // four words
}

// Before the pinyin reading, Чэнь Цюаньго scored 0.741 against Chen Quanguo and 陈·全国
// ("tsiuango" by Russian rules), 0.572 against 陈全国.
TEST(PalladiusTest, APalladiusNameMeetsItsPinyinAndItsCharacters) {
  for (const char* other : {"Chen Quanguo", "陈·全国", "陈全国"}) {
    Result<NameComparison> compared = CompareNames("Чэнь Цюаньго", other);
    ASSERT_TRUE(compared.ok()) << compared.status().ToString();
    EXPECT_EQ(compared->verdict, "same") << other << " " << compared->score;
  }
  Result<NameComparison> compared = CompareNames("Му Сюэцзюнь", "Mu Xuejun");
  ASSERT_TRUE(compared.ok());
  EXPECT_EQ(compared->verdict, "same") << compared->score;
  // The pinyin's keys block: Су Цзюнь shares Su Jun's keys.
  Result<NameAnalysis> cyrillic = AnalyzeName("Су Цзюнь");
  Result<NameAnalysis> latin = AnalyzeName("Su Jun");
  ASSERT_TRUE(cyrillic.ok() && latin.ok());
  for (const std::string& key : latin->blocking_keys) {
    EXPECT_THAT(cyrillic->blocking_keys, ::testing::Contains(key));
  }
}

}  // namespace
}  // namespace izde::names
