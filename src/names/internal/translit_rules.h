#ifndef IZDE_NAMES_INTERNAL_TRANSLIT_RULES_H_
#define IZDE_NAMES_INTERNAL_TRANSLIT_RULES_H_

#include <string_view>

// ICU transform rules compiled into the library from data/translit/*.txt by izde_embed
// (see src/names/CMakeLists.txt). One symbol per file.
namespace izde::names::internal {

extern const std::string_view kKazakhCyrillicLatin2021Rules;     // kk_cyrl_latn_2021.txt
extern const std::string_view kKazakhCyrillicLatinBgnRules;      // kk_cyrl_latn_bgn.txt
extern const std::string_view kKazakhCyrillicLatinEnglishRules;  // kk_cyrl_latn_en.txt
extern const std::string_view kKazakhArabicCyrillicRules;        // kk_arab_cyrl.txt
extern const std::string_view kUyghurArabicLatinRules;           // ug_arab_latn.txt
extern const std::string_view kUyghurLatinArabicRules;           // ug_latn_arab.txt
extern const std::string_view kUyghurCyrillicLatinRules;         // ug_cyrl_latn.txt
extern const std::string_view kKyrgyzCyrillicLatinBgnRules;      // ky_cyrl_latn_bgn.txt
extern const std::string_view kRussianCyrillicLatinIcaoRules;    // ru_cyrl_latn_icao.txt
extern const std::string_view kRussianCyrillicLatinBgnRules;     // ru_cyrl_latn_bgn.txt
extern const std::string_view kHanLatinRules;                    // han_latn.txt
extern const std::string_view kHanTurkicRules;                   // zh_turkic_latn.txt
extern const std::string_view kLatinAsciiTurkicRules;            // latn_ascii_turkic.txt
extern const std::string_view kHanPinyinTable;                   // han_pinyin.txt (not rules)
extern const std::string_view kTurkicChineseVariants;            // zh_turkic_variants.txt (table)
extern const std::string_view kHanVowelTable;                    // zh_vowels.txt (table)
extern const std::string_view kKeySpellingRules;                 // key_spellings.txt (table)
extern const std::string_view kHanSpellingTable;                 // zh_latn_spellings.txt (table)
extern const std::string_view kPalladiusPinyinTable;             // palladius_pinyin.txt (table)

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_TRANSLIT_RULES_H_
