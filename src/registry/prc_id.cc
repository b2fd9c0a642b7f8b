#include "registry/prc_id.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

namespace izde::registry {
namespace {

constexpr size_t kLength = 18;
constexpr std::string_view kField = "prc_id";

// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
constexpr std::array<int, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
constexpr std::string_view kCheckChars = "10X98765432";

// Province-level codes (GB/T 2260): the first two digits of every resident ID.
constexpr std::array<std::string_view, 34> kProvinces = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34",
    "35", "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52",
    "53", "54", "61", "62", "63", "64", "65", "71", "81", "82"};

// Prefecture-level codes that are not places of their own: 6590 groups the Production and
// Construction Corps cities, which lie inside other prefectures.
constexpr std::string_view kNonGeographicPrefecture = "6590";

Status IdError(std::string message) {
  return InvalidArgumentError(std::move(message), std::string(kField));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int DigitsValue(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

std::string_view TrimAsciiSpace(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// Spelled out here rather than with GenderName(), so that ID checks need nothing else from
// person.cc.
std::string_view GenderWord(Gender gender) {
  switch (gender) {
    case Gender::kUnknown:
      return "unknown";
    case Gender::kMale:
      return "male";
    case Gender::kFemale:
      return "female";
  }
  return "unknown";
}

std::string DescribeDivision(const Division& division) {
  return division.name_latin + " (" + division.name_zh + ", " + division.code + ")";
}

}  // namespace

Result<PrcId> ParsePrcId(std::string_view text) {
  // Pasted numbers often carry a trailing newline or space; inner spaces are an error.
  const std::string_view number = TrimAsciiSpace(text);
  if (number.size() != kLength) {
    std::string message =
        "length " + std::to_string(number.size()) + ", expected " + std::to_string(kLength);
    if (number.size() == 15 && std::all_of(number.begin(), number.end(), IsDigit)) {
      message += " (a first-generation 15-digit ID: enter the 18-digit number)";
    }
    return IdError(std::move(message));
  }
  for (size_t idx = 0; idx + 1 < kLength; ++idx) {
    if (!IsDigit(number[idx])) {
      return IdError("character " + std::to_string(idx + 1) + " is '" +
                     std::string(1, number[idx]) + "', expected a digit");
    }
  }
  const char last = number[kLength - 1] == 'x' ? 'X' : number[kLength - 1];
  if (!IsDigit(last) && last != 'X') {
    return IdError("character 18 is '" + std::string(1, number[kLength - 1]) +
                   "', expected a digit or X");
  }

  // The check digit first: a typo anywhere breaks it, and then the other fields say little.
  int sum = 0;
  for (size_t idx = 0; idx + 1 < kLength; ++idx) sum += (number[idx] - '0') * kWeights[idx];
  const char expected = kCheckChars[static_cast<size_t>(sum % 11)];
  if (last != expected) {
    return IdError("check digit is " + std::string(1, last) + ", expected " +
                   std::string(1, expected));
  }

  const std::string_view province = number.substr(0, 2);
  if (std::find(kProvinces.begin(), kProvinces.end(), province) == kProvinces.end()) {
    return IdError("province code " + std::string(province) + " is not a PRC province");
  }

  const std::string_view birth = number.substr(6, 8);
  const int year = DigitsValue(birth.substr(0, 4));
  const int month = DigitsValue(birth.substr(4, 2));
  const int day = DigitsValue(birth.substr(6, 2));
  if (year < kMinYear || year > kMaxYear || !IsValidCivilDate(year, month, day)) {
    return IdError("birth date " + std::string(birth) + " is not a date");
  }

  PrcId id;
  id.number = std::string(number.substr(0, kLength - 1)) + last;
  id.region_code = std::string(number.substr(0, 6));
  id.birth_date = DatePoint{year, month, day};
  id.gender = (number[16] - '0') % 2 == 1 ? Gender::kMale : Gender::kFemale;
  return id;
}

std::vector<std::string> PrcIdWarnings(const Person& person, const PrcId& id,
                                       const Gazetteer& places) {
  std::vector<std::string> warnings;

  // EarliestDay/LatestDay span what the entry's date may mean: the whole year for "1975",
  // the month for "1975-04", a year either side for "~1975", the whole of a range.
  if (!person.birth_date.unknown() && id.birth_date.precision() == DatePrecision::kDay) {
    const int32_t born = DaysFromCivil(id.birth_date.year, id.birth_date.month, id.birth_date.day);
    if (born < person.birth_date.EarliestDay() || born > person.birth_date.LatestDay()) {
      warnings.push_back("PRC ID says born " + id.birth_date.ToString() + ", entry says " +
                         person.birth_date.ToString());
    }
  }

  if (person.gender != Gender::kUnknown && id.gender != Gender::kUnknown &&
      person.gender != id.gender) {
    warnings.push_back("PRC ID says " + std::string(GenderWord(id.gender)) + ", entry says " +
                       std::string(GenderWord(person.gender)));
  }

  if (!id.region_code.starts_with("65")) return warnings;
  const Division* region = places.Find(id.region_code);
  if (region == nullptr) {
    // Codes change as counties merge or are renamed (Ili's 6541xx became 6540xx in 2001);
    // an ID keeps the code of its first registration, so this asks for a look, no more.
    warnings.push_back("PRC ID region " + id.region_code +
                       " is not a current Xinjiang division code (perhaps an older one)");
    return warnings;
  }
  if (!person.hometown_code.starts_with("65")) return warnings;
  const Division* id_prefecture = places.PrefectureOf(region->code);
  const Division* home_prefecture = places.PrefectureOf(person.hometown_code);
  // Only prefectures are compared: people move between counties of one prefecture, and
  // the ID keeps the county where they were first registered.
  if (id_prefecture == nullptr || home_prefecture == nullptr || id_prefecture == home_prefecture ||
      id_prefecture->code == kNonGeographicPrefecture ||
      home_prefecture->code == kNonGeographicPrefecture) {
    return warnings;
  }
  const Division* home = places.Find(person.hometown_code);
  warnings.push_back("PRC ID region " + DescribeDivision(*region) + " is in " +
                     id_prefecture->name_latin + ", hometown " +
                     (home != nullptr ? DescribeDivision(*home) : person.hometown_code) +
                     " is in " + home_prefecture->name_latin);
  return warnings;
}

}  // namespace izde::registry
