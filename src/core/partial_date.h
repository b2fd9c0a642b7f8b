#ifndef IZDE_CORE_PARTIAL_DATE_H_
#define IZDE_CORE_PARTIAL_DATE_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace izde {

inline constexpr int kMinYear = 1800;
inline constexpr int kMaxYear = 2100;

enum class DatePrecision : uint8_t { kUnknown = 0, kYear, kMonth, kDay };

// One calendar point known to a precision: year only, year and month, or a full date.
// Unknown parts are 0.
struct DatePoint {
  int year = 0;
  int month = 0;
  int day = 0;

  DatePrecision precision() const {
    if (year == 0) return DatePrecision::kUnknown;
    if (month == 0) return DatePrecision::kYear;
    if (day == 0) return DatePrecision::kMonth;
    return DatePrecision::kDay;
  }
  // "1974", "1974-04", "1974-04-12"; "" when unknown.
  std::string ToString() const;
  friend bool operator==(const DatePoint&, const DatePoint&) = default;
};

// A date as relatives remember it: unknown, a year, a month, a day, "about" a year, or a
// range such as 2017-04..2017-06 (detained "between April and June 2017").
//
// The canonical text form (ToString) parses back to the same value:
//   "" | "1974" | "1974-04" | "1974-04-12" | "~1974" | "2017-04..2017-06" | "~2017..2018"
class PartialDate {
 public:
  PartialDate() = default;
  static PartialDate Of(int year, int month = 0, int day = 0, bool about = false);

  // Parses the forms volunteers type:
  //   1974 | 1974-04 | 1974-04-12 | 1974/04/12 | 19740412 | 04.1974 | 12.04.1974
  //   12 April 1974 | April 12, 1974 | Apr 1974 | 12 апреля 1974
  //   about 1974 | c. 1974 | ca 1974 | circa 1974 | ~1974 | 1974?
  //   A..B (a range of any two of the above, B not before A)
  // Empty or blank text is the unknown date. Returns kInvalidArgument with a message that
  // names the problem ("month 13 out of range", "day 31 out of range for 1974-04").
  static Result<PartialDate> Parse(std::string_view text);

  bool unknown() const { return start_.year == 0; }
  bool about() const { return about_; }
  bool is_range() const { return end_.year != 0; }
  const DatePoint& start() const { return start_; }
  // The end of a range; equal to start() when this is not a range.
  const DatePoint& end() const { return is_range() ? end_ : start_; }
  DatePrecision precision() const { return start_.precision(); }

  std::string ToString() const;

  // Days since 1970-01-01 of the first and last day the date may denote (about widens a
  // year by one on each side). For sorting and range filters. Unknown dates return 0, 0.
  int32_t EarliestDay() const;
  int32_t LatestDay() const;

  friend bool operator==(const PartialDate&, const PartialDate&) = default;

 private:
  DatePoint start_;
  DatePoint end_;  // year 0 unless a range
  bool about_ = false;
};

// Days since 1970-01-01 of a valid civil date.
int32_t DaysFromCivil(int year, int month, int day);
bool IsValidCivilDate(int year, int month, int day);
int DaysInMonth(int year, int month);

}  // namespace izde

#endif  // IZDE_CORE_PARTIAL_DATE_H_
