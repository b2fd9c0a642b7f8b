#include "core/ids.h"

#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace izde {

std::string FormatId(IdKind kind, int64_t number) {
  return fmt::format("{}-{:06}", static_cast<char>(kind), number);
}

Result<int64_t> ParseId(IdKind kind, std::string_view text) {
  std::string_view digits = text;
  char letter = static_cast<char>(kind);
  if (!text.empty() && std::isalpha(static_cast<unsigned char>(text[0]))) {
    if (std::toupper(static_cast<unsigned char>(text[0])) != letter || text.size() < 3 ||
        text[1] != '-') {
      return InvalidArgumentError(
          fmt::format("'{}' is not an id of the form {}-000123", text, letter));
    }
    digits = text.substr(2);
  }
  int64_t number = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() ||
      number <= 0) {
    return InvalidArgumentError(
        fmt::format("'{}' is not an id of the form {}-000123", text, letter));
  }
  return number;
}

}  // namespace izde
