#include "core/partial_date.h"

#include <array>
#include <cctype>
#include <charconv>
#include <chrono>
#include <vector>

#include <fmt/format.h>

namespace izde {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  return text;
}

bool AllDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int ToInt(std::string_view digits) {
  int value = 0;
  std::from_chars(digits.data(), digits.data() + digits.size(), value);
  return value;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Month names by prefix. Russian and Kazakh forms cover the genitive ("апреля") because
// they are matched as prefixes of the typed word.
struct MonthName {
  std::string_view prefix;
  int month;
};
constexpr std::array<MonthName, 48> kMonthNames = {{
    {"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"may", 5}, {"jun", 6},
    {"jul", 7}, {"aug", 8}, {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12},
    {"январ", 1}, {"феврал", 2}, {"март", 3}, {"апрел", 4}, {"мая", 5}, {"июн", 6},
    {"июл", 7}, {"август", 8}, {"сентябр", 9}, {"октябр", 10}, {"ноябр", 11}, {"декабр", 12},
    {"Январ", 1}, {"Феврал", 2}, {"Март", 3}, {"Апрел", 4}, {"май", 5}, {"Июн", 6},
    {"Июл", 7}, {"Август", 8}, {"Сентябр", 9}, {"Октябр", 10}, {"Ноябр", 11}, {"Декабр", 12},
    // Core has no Unicode case folding, so capitalised Russian forms are listed; май/мая
    // are matched in lower case only.
    // Kazakh: қаңтар, ақпан, наурыз, сәуір, мамыр, маусым, шілде, тамыз, қыркүйек, қазан,
    // қараша, желтоқсан. Checked first, as the longest and most specific prefixes.
    {"мамыр", 5}, {"маусым", 6}, {"қаңтар", 1}, {"ақпан", 2}, {"наурыз", 3}, {"сәуір", 4},
    {"шілде", 7}, {"тамыз", 8}, {"қыркүйек", 9}, {"қазан", 10}, {"қараша", 11},
    {"желтоқсан", 12},
}};

int MonthFromName(std::string_view word) {
  std::string lower = AsciiLower(word);
  // Kazakh first (longest, most specific), then the rest in table order.
  for (size_t idx = 36; idx < kMonthNames.size(); ++idx) {
    if (lower.starts_with(kMonthNames[idx].prefix)) return kMonthNames[idx].month;
  }
  for (size_t idx = 0; idx < 36; ++idx) {
    const auto& name = kMonthNames[idx];
    bool latin = idx < 12;
    if (latin && lower.size() < 3) continue;
    if (lower.starts_with(name.prefix)) return name.month;
  }
  return 0;
}

Status CheckPoint(const DatePoint& point) {
  if (point.year < kMinYear || point.year > kMaxYear) {
    return InvalidArgumentError(
        fmt::format("year {} out of range {}..{}", point.year, kMinYear, kMaxYear));
  }
  if (point.month != 0 && (point.month < 1 || point.month > 12)) {
    return InvalidArgumentError(fmt::format("month {} out of range", point.month));
  }
  if (point.day != 0) {
    if (point.month == 0) return InvalidArgumentError("day given without a month");
    if (point.day < 1 || point.day > DaysInMonth(point.year, point.month)) {
      return InvalidArgumentError(fmt::format("day {} out of range for {:04}-{:02}", point.day,
                                              point.year, point.month));
    }
  }
  return OkStatus();
}

// Splits on spaces, commas, dots, slashes and hyphens, keeping the tokens.
std::vector<std::string_view> Tokens(std::string_view text) {
  std::vector<std::string_view> out;
  size_t start = 0;
  auto is_sep = [](char c) { return c == ' ' || c == ',' || c == '.' || c == '/' || c == '-'; };
  for (size_t pos = 0; pos <= text.size(); ++pos) {
    if (pos == text.size() || is_sep(text[pos])) {
      if (pos > start) out.push_back(text.substr(start, pos - start));
      start = pos + 1;
    }
  }
  return out;
}

Result<DatePoint> ParsePoint(std::string_view text) {
  text = Trim(text);
  if (text.empty()) return InvalidArgumentError("empty date");
  DatePoint point;
  if (AllDigits(text) && text.size() == 8) {  // 19740412
    point = {ToInt(text.substr(0, 4)), ToInt(text.substr(4, 2)), ToInt(text.substr(6, 2))};
    IZDE_RETURN_IF_ERROR(CheckPoint(point));
    return point;
  }
  std::vector<std::string_view> tokens = Tokens(text);
  if (tokens.empty() || tokens.size() > 3) {
    return InvalidArgumentError(fmt::format("cannot read '{}' as a date", text));
  }
  std::vector<int> numbers;
  int month_by_name = 0;
  for (std::string_view token : tokens) {
    if (AllDigits(token)) {
      if (token.size() > 4) {
        return InvalidArgumentError(fmt::format("cannot read '{}' as a date", text));
      }
      numbers.push_back(ToInt(token));
      continue;
    }
    int month = MonthFromName(token);
    // Ordinal suffixes and Russian "г." after a year are noise: "12th", "1974г".
    if (month == 0) {
      std::string lower = AsciiLower(token);
      if (lower == "th" || lower == "st" || lower == "nd" || lower == "rd" || lower == "г" ||
          lower == "года" || lower == "жыл" || lower == "ж") {
        continue;
      }
      size_t digits = 0;
      while (digits < token.size() && std::isdigit(static_cast<unsigned char>(token[digits]))) {
        ++digits;
      }
      std::string suffix = AsciiLower(token.substr(digits));
      if (digits > 0 && (suffix == "th" || suffix == "st" || suffix == "nd" || suffix == "rd" ||
                         suffix == "г" || suffix == "ж")) {
        numbers.push_back(ToInt(token.substr(0, digits)));
        continue;
      }
      return InvalidArgumentError(fmt::format("cannot read '{}' as a date", text));
    }
    if (month_by_name != 0) {
      return InvalidArgumentError(fmt::format("two month names in '{}'", text));
    }
    month_by_name = month;
  }
  // The year is the number with four digits; it is first (ISO) or last (European order).
  auto is_year = [](int value) { return value >= 1000; };
  if (month_by_name != 0) {
    if (numbers.size() == 1 && is_year(numbers[0])) {
      point = {numbers[0], month_by_name, 0};
    } else if (numbers.size() == 2 && is_year(numbers[1])) {
      point = {numbers[1], month_by_name, numbers[0]};
    } else if (numbers.size() == 2 && is_year(numbers[0])) {
      point = {numbers[0], month_by_name, numbers[1]};
    } else {
      return InvalidArgumentError(fmt::format("cannot find a four-digit year in '{}'", text));
    }
  } else if (numbers.size() == 1) {
    if (!is_year(numbers[0])) {
      return InvalidArgumentError(fmt::format("cannot find a four-digit year in '{}'", text));
    }
    point = {numbers[0], 0, 0};
  } else if (numbers.size() == 2) {
    if (is_year(numbers[0])) {
      point = {numbers[0], numbers[1], 0};  // 1974-04
    } else if (is_year(numbers[1])) {
      point = {numbers[1], numbers[0], 0};  // 04.1974
    } else {
      return InvalidArgumentError(fmt::format("cannot find a four-digit year in '{}'", text));
    }
  } else {
    if (is_year(numbers[0])) {
      point = {numbers[0], numbers[1], numbers[2]};  // 1974-04-12
    } else if (is_year(numbers[2])) {
      point = {numbers[2], numbers[1], numbers[0]};  // 12.04.1974
    } else {
      return InvalidArgumentError(fmt::format("cannot find a four-digit year in '{}'", text));
    }
  }
  IZDE_RETURN_IF_ERROR(CheckPoint(point));
  return point;
}

// Strips an "about" marker from either end; returns whether there was one.
bool StripAbout(std::string_view& text) {
  text = Trim(text);
  if (text.ends_with('?')) {
    text.remove_suffix(1);
    text = Trim(text);
    return true;
  }
  for (std::string_view marker : {"~", "circa ", "circa", "ca. ", "ca.", "ca ", "c. ", "c.",
                                  "about ", "approx. ", "approx ", "около ", "шамамен ",
                                  "примерно "}) {
    if (AsciiLower(text.substr(0, marker.size())) == marker) {
      text.remove_prefix(marker.size());
      text = Trim(text);
      return true;
    }
  }
  return false;
}

}  // namespace

std::string DatePoint::ToString() const {
  switch (precision()) {
    case DatePrecision::kUnknown: return "";
    case DatePrecision::kYear: return fmt::format("{:04}", year);
    case DatePrecision::kMonth: return fmt::format("{:04}-{:02}", year, month);
    case DatePrecision::kDay: return fmt::format("{:04}-{:02}-{:02}", year, month, day);
  }
  return "";
}

PartialDate PartialDate::Of(int year, int month, int day, bool about) {
  PartialDate date;
  date.start_ = {year, month, day};
  date.about_ = about && year != 0;
  return date;
}

Result<PartialDate> PartialDate::Parse(std::string_view text) {
  text = Trim(text);
  PartialDate date;
  if (text.empty()) return date;
  date.about_ = StripAbout(text);
  size_t dots = text.find("..");
  if (dots == std::string_view::npos) {
    IZDE_ASSIGN_OR_RETURN(date.start_, ParsePoint(text));
    return date;
  }
  std::string_view first = text.substr(0, dots);
  std::string_view second = text.substr(dots + 2);
  if (StripAbout(first)) date.about_ = true;
  IZDE_ASSIGN_OR_RETURN(date.start_, ParsePoint(first));
  IZDE_ASSIGN_OR_RETURN(DatePoint end, ParsePoint(second));
  if (end == date.start_) return date;  // "1974..1974" is just 1974
  date.end_ = end;
  if (date.LatestDay() < date.EarliestDay()) {
    return InvalidArgumentError(fmt::format("range ends ({}) before it starts ({})",
                                            end.ToString(), date.start_.ToString()));
  }
  return date;
}

std::string PartialDate::ToString() const {
  if (unknown()) return "";
  std::string out = about_ ? "~" : "";
  out += start_.ToString();
  if (is_range()) out += ".." + end_.ToString();
  return out;
}

namespace {
int32_t FirstDay(const DatePoint& point, int widen) {
  return DaysFromCivil(point.year - widen, point.month == 0 ? 1 : point.month,
                       point.day == 0 ? 1 : point.day);
}
int32_t LastDay(const DatePoint& point, int widen) {
  int month = point.month == 0 ? 12 : point.month;
  int year = point.year + widen;
  int day = point.day == 0 ? DaysInMonth(year, month) : point.day;
  return DaysFromCivil(year, month, day);
}
}  // namespace

int32_t PartialDate::EarliestDay() const {
  if (unknown()) return 0;
  return FirstDay(start_, about_ ? 1 : 0);
}

int32_t PartialDate::LatestDay() const {
  if (unknown()) return 0;
  return LastDay(end(), about_ ? 1 : 0);
}

int DaysInMonth(int year, int month) {
  static constexpr std::array<int, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return kDays[static_cast<size_t>(month - 1)] + (month == 2 && leap ? 1 : 0);
}

bool IsValidCivilDate(int year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= DaysInMonth(year, month);
}

int32_t DaysFromCivil(int year, int month, int day) {
  using namespace std::chrono;
  sys_days days = std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                  std::chrono::day{static_cast<unsigned>(day)};
  return static_cast<int32_t>(days.time_since_epoch().count());
}

}  // namespace izde
