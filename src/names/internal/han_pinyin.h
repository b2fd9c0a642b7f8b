#ifndef IZDE_NAMES_INTERNAL_HAN_PINYIN_H_
#define IZDE_NAMES_INTERNAL_HAN_PINYIN_H_

#include <string_view>

namespace izde::names::internal {

// The toneless pinyin of one Chinese character from data/translit/han_pinyin.txt, the table
// gen_han_pinyin.sh makes from ICU's Han-Latin/Names; empty for a code point the table lacks
// (outside U+4E00-U+9FFF, or no reading), which callers read with ICU instead.
// 买 -> "mai", 单 -> "shan" (surname reading). Thread safety: may run concurrently.
std::string_view HanPinyin(char32_t code_point);

// The code point of well-formed UTF-8 `text` at `index`, which moves past it; U+FFFD for a
// malformed sequence. For text already validated (the tables, normalised tokens).
char32_t NextCodePoint(std::string_view text, size_t& index);

}  // namespace izde::names::internal

#endif  // IZDE_NAMES_INTERNAL_HAN_PINYIN_H_
