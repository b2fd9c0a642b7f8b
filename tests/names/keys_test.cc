#include "names/keys.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "names/internal/custom_keys.h"
#include "names/transliterate.h"
#include "testing/status_matchers.h"

namespace izde::names {
namespace {

using ::izde::testing::StatusIs;
using ::testing::ElementsAre;

TEST(TurkicKeyTest, SurvivesSpellingsAndPinyin) {
  EXPECT_EQ(TurkicKey("serikzhan"), "SLKJN");
  EXPECT_EQ(TurkicKey("serikjan"), "SLKJN");
  EXPECT_EQ(TurkicKey("sailikejiang"), "SLKJN");
  EXPECT_EQ(TurkicKey("ilham"), "ALM");
  EXPECT_EQ(TurkicKey("yilihamu"), "ALM");
  EXPECT_EQ(TurkicKey("ilkham"), "ALM");
  EXPECT_EQ(TurkicKey("tohti"), "TT");
  EXPECT_EQ(TurkicKey("toxti"), "TT");
  EXPECT_EQ(TurkicKey("tuheti"), "TT");
  EXPECT_EQ(TurkicKey("memet"), "MMT");
  EXPECT_EQ(TurkicKey("maimaiti"), "MMT");
  EXPECT_EQ(TurkicKey("mehmet"), "MMT");
  EXPECT_EQ(TurkicKey("nurlan"), "NLN");
  EXPECT_EQ(TurkicKey("nuerlan"), "NLN");
  EXPECT_EQ(TurkicKey("abbas"), "ABS");
  EXPECT_EQ(TurkicKey("abdurehim"), "ABTLM");
  EXPECT_EQ(TurkicKey("abudoureyimu"), "ABTLM");
  EXPECT_EQ(TurkicKey("haitiwaji"), "ATJ");
  EXPECT_EQ(TurkicKey("khaiitivadzhi"), "ATJ");
  EXPECT_EQ(TurkicKey("zhumaghaliuly"), TurkicKey("zhumagaliuly"));
}

TEST(TurkicKeyTest, WesternSpellings) {
  EXPECT_EQ(TurkicKey("beatz"), TurkicKey("beats"));
  EXPECT_EQ(TurkicKey("carew"), "KL");    // c before a back vowel is k
  EXPECT_EQ(TurkicKey("cicero"), "SSL");  // c before e and i is s
  EXPECT_EQ(TurkicKey("mackail"), "MKL");
  EXPECT_EQ(TurkicKey("potocki"), "BTSK");  // Polish -cki is -цкий (pototskii)
  EXPECT_EQ(TurkicKey("potocka"), TurkicKey("pototskaia"));
  EXPECT_EQ(TurkicKey("nicky"), "NK");  // English ck otherwise
}

// The contextual rules of data/translit/key_spellings.txt.
TEST(TurkicKeyTest, SpellingRulesFromTheTable) {
  EXPECT_EQ(TurkicKey("tchaikovsky"), TurkicKey("chaikovskii"));  // French and English tch
  EXPECT_EQ(TurkicKey("coolidge"), "KLJ");                        // dge = 柯立芝 kelizhi
  EXPECT_EQ(TurkicKey("bridget"), TurkicKey("bridzhit"));
  EXPECT_EQ(TurkicKey("edgar"), "ATKL");                  // dg before a back vowel: d + g
  EXPECT_EQ(TurkicKey("czeslaw"), TurkicKey("cheslav"));  // Polish cz
  // Polish j after a vowel before c, k, s, t is y; elsewhere it keeps its class.
  EXPECT_EQ(TurkicKey("wojtek"), TurkicKey("voitek"));
  EXPECT_EQ(TurkicKey("mikolajczyk"), TurkicKey("mikolaichik"));
  EXPECT_EQ(TurkicKey("jan"), "JN");
  EXPECT_EQ(TurkicKey("faraj"), "BLJ");
  EXPECT_EQ(TurkicKey("sajwani"), "SJN");
  EXPECT_EQ(TurkicKey("serikjan"), "SLKJN");
}

// Pinyin read as the sounds it transcribes in foreign names: x is s, q is ch.
TEST(CustomKeysTest, KeyWithoutCodaRLeavesOutRAfterAVowel) {
  EXPECT_EQ(internal::KeyWithoutCodaR("auber"), "AB");     // 奥柏 aobo
  EXPECT_EQ(internal::KeyWithoutCodaR("harty"), "AT");     // 哈蒂 hadi
  EXPECT_EQ(internal::KeyWithoutCodaR("schwaber"), "XB");  // 施瓦布 shiwabu
  EXPECT_EQ(internal::KeyWithoutCodaR("verner"), "AN");    // both r: "vene"
  // An r before a vowel or after a consonant is written (Maria, Bravo): no key.
  EXPECT_EQ(internal::KeyWithoutCodaR("maria"), "");
  EXPECT_EQ(internal::KeyWithoutCodaR("bravo"), "");
  EXPECT_EQ(internal::KeyWithoutCodaR("r"), "");
  EXPECT_EQ(internal::KeyWithoutCodaR(""), "");
}

TEST(CustomKeysTest, WesternPinyinKeyReadsJAndQAsK) {
  EXPECT_EQ(internal::WesternPinyinKey("jida"), "KT");     // 吉达 = Gita
  EXPECT_EQ(internal::WesternPinyinKey("qierxi"), "KLS");  // 琦兒喜 = Kiersey
  EXPECT_EQ(internal::WesternPinyinKey("jiaer"), "KL");    // 加爾 = Gál
  EXPECT_EQ(internal::WesternPinyinKey("sailike"), "");    // no j or q: no key
  EXPECT_EQ(TurkicKey("jida"), "JT");                      // the plain key keeps j
}

TEST(CustomKeysTest, CustomRulesToKeyCountsTheCustomsAWordNeeds) {
  using internal::CustomRulesToKey;
  // j as y counts for two (cost=2): a j written 喬 or 裘 (Jude = 裘德) ranks above it.
  EXPECT_EQ(CustomRulesToKey("jan", "AN", 3), 2);      // 扬 yang: j as y
  EXPECT_EQ(CustomRulesToKey("eefje", "AB", 3), 2);    // 埃菲耶 aifeiye
  EXPECT_EQ(CustomRulesToKey("jan", "AN", 1), -1);
  EXPECT_EQ(CustomRulesToKey("khoren", "KLN", 2), 1);  // 可倫 kelun; the plain key drops kh
  EXPECT_EQ(TurkicKey("khoren"), "ALN");
  EXPECT_EQ(CustomRulesToKey("fouquet", "BK", 2), 1);  // 富凯 fukai: French final t
  EXPECT_EQ(CustomRulesToKey("arthaud", "AT", 2), 2);  // 阿爾托 aerto: coda r and final d
  EXPECT_EQ(CustomRulesToKey("bercot", "BK", 2), 2);   // 貝考 beikao: coda r and final t
  EXPECT_EQ(CustomRulesToKey("arthaud", "AT", 1), -1);  // two customs needed, one allowed
  EXPECT_EQ(TurkicKey("jan"), "JN");                    // the plain key keeps j
}

TEST(CustomKeysTest, CustomRulesToKeyReadsEachCustomOnlyWhereNeeded) {
  using internal::CustomRulesToKey;
  // Jogis = 約吉斯 yuejisi: j as y, and the final s written (a silent final s is no custom).
  EXPECT_EQ(CustomRulesToKey("jogis", "AKS", 3), 2);
  // Two customs for one spelling: French ch as sh (Chervin = 薛文 xuewen, read shuewen), the
  // English ch stays plain (Richard = 理查德 licha...).
  EXPECT_EQ(CustomRulesToKey("chervin", "XN", 2), 2);    // ch as sh, coda r
  EXPECT_EQ(CustomRulesToKey("chervin", "XLBN", 2), 2);  // ch as sh, v as f
  EXPECT_EQ(CustomRulesToKey("chervin", "XBN", 2), -1);  // and the coda r: three customs
  EXPECT_EQ(CustomRulesToKey("richard", "LJLT", 2), -1);  // the plain key: no custom
  // An initial s as shi, th as s: Smith = 史密斯 shimisi.
  EXPECT_EQ(TurkicKey("smith"), "SMT");
  EXPECT_EQ(CustomRulesToKey("smith", "XMS", 2), 2);
  EXPECT_EQ(CustomRulesToKey("smith", "SMS", 2), 1);  // 斯密斯 simisi
  // Only at the start: Basil = 巴西爾 keeps its s inside the word.
  EXPECT_EQ(CustomRulesToKey("basil", "BXL", 2), -1);
  // v as f: Yvon = 伊馮 yifeng; Yves = 伊夫 yifu would need its final s silent, no custom.
  EXPECT_EQ(CustomRulesToKey("yvon", "ABN", 2), 1);
  EXPECT_EQ(CustomRulesToKey("yves", "AB", 2), -1);
  // x as ks, two classes: Baxter = 巴克斯特 bakesite.
  EXPECT_EQ(CustomRulesToKey("baxter", "BKSTL", 2), 1);
  // Italian c and g before e and i: Cesare = 切萨雷 qiesalei, Gentile = 真蒂莱 zhendilai.
  EXPECT_EQ(CustomRulesToKey("cesare", "JSL", 2), 1);
  EXPECT_EQ(CustomRulesToKey("gentile", "JNTL", 2), 1);
  // -ic without its accent: Jovanovic = 約萬諾維奇 yuewannuoweiqi (j as y too).
  EXPECT_EQ(CustomRulesToKey("jovanovic", "ANJ", 3), 3);
  // Mc, kn, gh: McPhatter = 麦克菲特 (and its coda r), Knighton = 奈頓 naidun.
  EXPECT_EQ(CustomRulesToKey("mcphatter", "MKBT", 2), 2);
  EXPECT_EQ(CustomRulesToKey("knighton", "NTN", 2), 2);
}

TEST(CustomKeysTest, CustomRulesToKeyRefusesWhatNoCustomMakes) {
  using internal::CustomRulesToKey;
  EXPECT_EQ(CustomRulesToKey("maria", "ML", 2), -1);    // the plain key
  EXPECT_EQ(CustomRulesToKey("kodjovi", "KJ", 2), -1);  // dj is a plain rule: J
  EXPECT_EQ(CustomRulesToKey("antonius", "ANTN", 2), -1);  // a final s is written
  EXPECT_EQ(CustomRulesToKey("eliott", "AL", 2), -1);      // t after t: no custom
  EXPECT_EQ(CustomRulesToKey("", "AN", 2), -1);
  EXPECT_EQ(CustomRulesToKey("jan", "", 2), -1);
  EXPECT_EQ(CustomRulesToKey("jan", "AN", 0), -1);
}

TEST(TurkicKeyTest, DjIsJ) {
  EXPECT_EQ(TurkicKey("kodjovi"), "KJ");  // 科乔维 kēqiáowéi
  EXPECT_EQ(TurkicKey("ahidjo"), "AJ");   // 阿希喬
  EXPECT_EQ(TurkicKey("adam"), "ATM");    // a d elsewhere is T
}

TEST(PinyinKeyTest, ReadsXAsSAndQAsCh) {
  EXPECT_EQ(PinyinKey("xieerdun"), "SLTN");
  EXPECT_EQ(PinyinKey("qieerxi"), "JLS");
  EXPECT_EQ(PinyinKey("cuierbi"), "SLB");  // 翠兒碧: c is ts, not the k of TurkicKey
  EXPECT_EQ(TurkicKey("cuierbi"), "KLB");
  EXPECT_EQ(PinyinKey("chen"), "JN");  // ch stays ch
  EXPECT_EQ(TurkicKey("qieerxi"), "KL");
  EXPECT_EQ(PinyinKey("yilihamu"), TurkicKey("yilihamu"));  // no x or q: the Turkic key
}

TEST(TurkicKeyTest, ApostropheBreaksDigraphs) {
  EXPECT_EQ(TurkicKey("is'haq"), "ASK");
  EXPECT_EQ(TurkicKey("ishaq"), "AXK");
  EXPECT_EQ(TurkicKey(""), "");
  EXPECT_EQ(TurkicKey("123-"), "");
}

TEST(AsciiFormTest, FoldsEveryScript) {
  auto ascii = [](std::string_view text) { return AsciiForm(text).value(); };
  EXPECT_EQ(ascii("Серікжан Біләш"), "serikzhan bilash");
  EXPECT_EQ(ascii("Serıkjan Bıläş"), "serikjan bilash");
  EXPECT_EQ(ascii("Qūanyş Äbdığaliev"), "quanysh abdighaliev");
  EXPECT_EQ(ascii("ئىلھام توختى"), "ilham toxti");
  EXPECT_EQ(ascii("Il’kham Zulhumar Is'haq"), "ilkham zulhumar ishaq");
  EXPECT_EQ(ascii("伊力哈木·土赫提"), "yilihamu tuheti");
  EXPECT_THAT(AsciiForm("\xfe"), StatusIs(StatusCode::kInvalidArgument));
}

TEST(AsciiFormTest, AsciiFastPathAgreesWithTheRules) {
  // A trailing "·" (dropped by the rules) forces the ICU path for the same text.
  for (const char* text : {"Serikzhan BILASH", "is'haq O\"Neil", "Abc-Def 42", "", "  x  "}) {
    ASSERT_OK_AND_ASSIGN(std::string fast, Transliterate(text, Transform::kLatinToAscii));
    ASSERT_OK_AND_ASSIGN(std::string rules,
                         Transliterate(std::string(text) + "\u00B7", Transform::kLatinToAscii));
    EXPECT_EQ(fast, rules) << text;
  }
}

TEST(BlockingKeysTest, OnePersonAcrossScriptsSharesKeys) {
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> latin, BlockingKeys("Ilham Tohti"));
  EXPECT_THAT(latin, ElementsAre("ALM", "TT"));
  for (const char* other : {"ئىلھام توختى", "伊力哈木·土赫提", "Ильхам Тохти", "ILHAM TOXTI"}) {
    ASSERT_OK_AND_ASSIGN(std::vector<std::string> keys, BlockingKeys(other));
    EXPECT_THAT(keys, ElementsAre("ALM", "TT")) << other;
  }
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> kazakh, BlockingKeys("Серікжан Біләш"));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> chinese, BlockingKeys("赛力克江·比拉什"));
  EXPECT_THAT(kazakh, ::testing::IsSupersetOf({"SLKJN", "BLX"}));
  EXPECT_THAT(chinese, ::testing::IsSupersetOf({"SLKJN", "BLX"}));
}

TEST(KeyFormsTest, ListsEachReading) {
  ASSERT_OK_AND_ASSIGN(std::vector<KeyedForm> forms, KeyForms("Біләш"));
  ASSERT_EQ(forms.size(), 3u);
  EXPECT_EQ(forms[0].transform, "kk-Cyrl-Latn-en");
  EXPECT_EQ(forms[0].latin, "Bilash");
  EXPECT_EQ(forms[0].ascii, "bilash");
  EXPECT_THAT(forms[0].keys, ElementsAre("BLX"));
  EXPECT_EQ(forms[2].latin, "Bıläş");
  EXPECT_EQ(forms[2].ascii, "bilash");
}

}  // namespace
}  // namespace izde::names
