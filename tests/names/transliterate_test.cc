#include "names/transliterate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "testing/status_matchers.h"

namespace izde::names {
namespace {

using ::izde::testing::StatusIs;

std::string T(std::string_view text, Transform transform) {
  Result<std::string> result = Transliterate(text, transform);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : "<error>";
}

TEST(TransliterateTest, EveryTransformCompiles) {
  for (Transform transform : AllTransforms()) {
    Result<std::string> result = Transliterate("a", transform);
    EXPECT_TRUE(result.ok()) << TransformName(transform) << ": " << result.status().ToString();
  }
}

TEST(TransliterateTest, NamesRoundTrip) {
  for (Transform transform : AllTransforms()) {
    ASSERT_OK_AND_ASSIGN(Transform parsed, ParseTransform(TransformName(transform)));
    EXPECT_EQ(parsed, transform);
  }
  EXPECT_THAT(ParseTransform("kk-Latn-Klingon"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(TransliterateTest, KazakhCyrillicToLatin) {
  EXPECT_EQ(T("Серікжан Біләш", Transform::kKazakhCyrillicToLatinEnglish), "Serikzhan Bilash");
  EXPECT_EQ(T("Серікжан Біләш", Transform::kKazakhCyrillicToLatinBgn), "Serikzhan Biläsh");
  EXPECT_EQ(T("Серікжан Біләш", Transform::kKazakhCyrillicToLatin2021), "Serıkjan Bıläş");
  EXPECT_EQ(T("Қайрат Жұмағалиұлы", Transform::kKazakhCyrillicToLatinEnglish),
            "Kayrat Zhumagaliuly");
  EXPECT_EQ(T("Қайрат Жұмағалиұлы", Transform::kKazakhCyrillicToLatin2021), "Qairat Jūmağaliūly");
  EXPECT_EQ(T("ЖҰМАҒАЛИҰЛЫ Ж.", Transform::kKazakhCyrillicToLatinBgn), "ZHUMAGHALĪULY Zh.");
  EXPECT_EQ(T("ИЛИЯС", Transform::kKazakhCyrillicToLatin2021), "İLİİAS");  // я -> ia -> İA
}

// The sample text published with the 2021 alphabet (as Wikipedia's "Kazakh alphabets" gives it):
// І is dotless ı, И and Й dotted i, Ұ is Ū and У plain u, Ы is y.
TEST(TransliterateTest, KazakhCyrillicToLatin2021SampleText) {
  const Transform t = Transform::kKazakhCyrillicToLatin2021;
  EXPECT_EQ(T("Бұрыңғы өткен заманда", t), "Būryñğy ötken zamanda");
  EXPECT_EQ(T("бір данышпан кісі", t), "bır danyşpan kısı");
  EXPECT_EQ(T("үйіне келіп", t), "üiıne kelıp");
  EXPECT_EQ(T("сый беріп", t), "syi berıp");
  EXPECT_EQ(T("Бұл маған", t), "Būl mağan");
  EXPECT_EQ(T("Сауытбай Ұлжан", t), "Sauytbai Ūljan");
}

TEST(TransliterateTest, KazakhArabicToCyrillicAcceptsBothFrontMarkers) {
  EXPECT_EQ(T("ٴبىلاش", Transform::kKazakhArabicToCyrillic), "біләш");
  EXPECT_EQ(T("ءبىلاش", Transform::kKazakhArabicToCyrillic), "біләш");
  EXPECT_EQ(T("قايرات", Transform::kKazakhArabicToCyrillic), "қайрат");
  EXPECT_EQ(T("نۇرلان", Transform::kKazakhArabicToCyrillic), "нұрлан");
  EXPECT_EQ(T("ٴومىرزاق", Transform::kKazakhArabicToCyrillic), "өмірзақ");  // ق keeps а back
}

TEST(TransliterateTest, UyghurArabicAndLatin) {
  EXPECT_EQ(T("ئىلھام توختى", Transform::kUyghurArabicToLatin), "ilham toxti");
  EXPECT_EQ(T("مەسئۇل", Transform::kUyghurArabicToLatin), "mes'ul");
  EXPECT_EQ(T("ئىسھاق", Transform::kUyghurArabicToLatin), "is'haq");
  EXPECT_EQ(T("Ilham Toxti", Transform::kUyghurLatinToArabic), "ئىلھام توختى");
  EXPECT_EQ(T("nemen'gan", Transform::kUyghurLatinToArabic), "نەمەنگان");
  EXPECT_EQ(T("Шинҗаң", Transform::kUyghurCyrillicToLatin), "Shinjang");
}

TEST(TransliterateTest, RussianCyrillicToLatin) {
  EXPECT_EQ(T("Ильхам Тохти", Transform::kRussianCyrillicToLatinIcao), "Ilkham Tokhti");
  EXPECT_EQ(T("Ильхам Тохти", Transform::kRussianCyrillicToLatinBgn), "Il’kham Tokhti");
  EXPECT_EQ(T("Юлия Евгеньевна", Transform::kRussianCyrillicToLatinIcao), "Iuliia Evgenevna");
}

TEST(TransliterateTest, HanToPinyinAndTurkic) {
  EXPECT_EQ(T("伊力哈木·土赫提", Transform::kHanToPinyin), "Yilihamu Tuheti");
  EXPECT_EQ(T("买买提", Transform::kHanToTurkic), "Memet");
  EXPECT_EQ(T("伊力哈木·土赫提", Transform::kHanToTurkic), "Iliham Tuht");
  EXPECT_EQ(T("阿不都热依木", Transform::kHanToTurkic), "Abdureim");
  EXPECT_EQ(T("古丽娜尔", Transform::kHanToTurkic), "Gulnar");
}

TEST(TransliterateTest, InvalidUtf8IsAnError) {
  for (Transform transform : AllTransforms()) {
    EXPECT_THAT(Transliterate("\xc3(", transform), StatusIs(StatusCode::kInvalidArgument));
  }
}

TEST(TransliterateTest, EmptyInputGivesEmptyOutput) {
  for (Transform transform : AllTransforms()) {
    EXPECT_EQ(T("", transform), "") << TransformName(transform);
  }
}

TEST(TransliterateTest, ConcurrentCallsAgree) {
  std::vector<std::thread> threads;
  std::vector<std::string> results(8);
  for (size_t thread_idx = 0; thread_idx < results.size(); ++thread_idx) {
    threads.emplace_back([&results, thread_idx] {
      for (int round = 0; round < 50; ++round) {
        results[thread_idx] =
            Transliterate("Серікжан Біләш", Transform::kKazakhCyrillicToLatinEnglish).value();
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& result : results) EXPECT_EQ(result, "Serikzhan Bilash");
}

TEST(LatinFormsTest, PicksTransformsFromScriptAndLanguage) {
  ASSERT_OK_AND_ASSIGN(auto kazakh, LatinForms("Серікжан Біләш"));
  ASSERT_GE(kazakh.size(), 3u);
  EXPECT_EQ(kazakh[0].transform, "kk-Cyrl-Latn-en");
  EXPECT_EQ(kazakh[0].text, "Serikzhan Bilash");
  ASSERT_OK_AND_ASSIGN(auto uyghur, LatinForms("ئىلھام توختى"));
  ASSERT_EQ(uyghur.size(), 1u);
  EXPECT_EQ(uyghur[0].text, "ilham toxti");
  ASSERT_OK_AND_ASSIGN(auto han, LatinForms("伊力哈木·土赫提"));
  ASSERT_EQ(han.size(), 2u);
  EXPECT_EQ(han[0].transform, "zh-Hani-Latn");
  ASSERT_OK_AND_ASSIGN(auto tote, LatinForms("ٴبىلاش"));
  ASSERT_FALSE(tote.empty());
  EXPECT_EQ(tote[0].transform, "kk-Arab-Cyrl+kk-Cyrl-Latn-en");
  EXPECT_EQ(tote[0].text, "bilash");
  ASSERT_OK_AND_ASSIGN(auto mixed, LatinForms("Ilham ئىلھام 伊力哈木 Көшесi"));
  ASSERT_EQ(mixed.size(), 1u);
  EXPECT_EQ(mixed[0].transform, "mixed");
  EXPECT_EQ(mixed[0].text, "Ilham ilham Yilihamu Koshesi");
  ASSERT_OK_AND_ASSIGN(auto latin, LatinForms("Bilash,  Serikzhan"));
  ASSERT_EQ(latin.size(), 1u);
  EXPECT_EQ(latin[0].text, "Serikzhan Bilash");
}

}  // namespace
}  // namespace izde::names
