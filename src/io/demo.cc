#include "io/demo.h"

#include <fmt/format.h>

#include <array>
#include <cassert>
#include <cstdint>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ids.h"
#include "core/partial_date.h"
#include "names/script.h"
#include "registry/event.h"
#include "registry/json.h"
#include "registry/person.h"

namespace izde::io {
namespace internal {
// Compiled in from data/demo/ by izde_embed (src/io/CMakeLists.txt).
extern const std::string_view kDemoKazakhNames;
extern const std::string_view kDemoUyghurNames;
extern const std::string_view kDemoHuiNames;
extern const std::string_view kDemoHometowns;
}  // namespace internal

namespace {

using registry::EventType;
using registry::Gender;
using registry::NamePart;
using registry::RelationKind;
using Script = names::Script;

// ---------------------------------------------------------------------------------------
// Randomness. xoshiro256** seeded through splitmix64: small, fast, and the same on every
// platform, which std::mt19937 is too, but std::uniform_int_distribution is not.

uint64_t SplitMix64(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& word : state_) word = SplitMix64(seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(state_[1] * 5, 7) * 9;
    const uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = Rotl(state_[3], 45);
    return result;
  }

  // Uniform in [0, n). The modulo bias is below 2^-40 for the small n used here, far
  // under anything a demo could show, and modulo is portable where 128-bit products are not.
  size_t Index(size_t n) { return static_cast<size_t>(Next() % static_cast<uint64_t>(n)); }
  // Uniform in [lo, hi].
  int Range(int lo, int hi) {
    return lo + static_cast<int>(Index(static_cast<size_t>(hi - lo) + 1));
  }
  // True with probability per_mille / 1000.
  bool Chance(int per_mille) { return Range(0, 999) < per_mille; }

  // An index into `weights`, drawn in proportion to them.
  template <size_t N>
  size_t Pick(const std::array<int, N>& weights) {
    int total = 0;
    for (int weight : weights) total += weight;
    int roll = Range(0, total - 1);
    for (size_t idx = 0; idx < N; ++idx) {
      if (roll < weights[idx]) return idx;
      roll -= weights[idx];
    }
    return N - 1;
  }

  template <typename T>
  const T& Of(const std::vector<T>& items) {
    return items[Index(items.size())];
  }
  template <typename T, size_t N>
  const T& Of(const std::array<T, N>& items) {
    return items[Index(N)];
  }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::array<uint64_t, 4> state_{};
};

// ---------------------------------------------------------------------------------------
// Name and place tables, parsed once from the embedded TSV files. Entries are views into
// the embedded data, which lives as long as the program.

struct NameEntry {
  std::string_view cyrillic;
  std::string_view latin;
  std::string_view arabic;
  std::string_view han;
};

struct Hometown {
  std::string_view code;
  std::vector<std::string_view> latin;  // first is the common name
  std::string_view zh;
  std::string_view cyrillic;     // empty if none
  std::array<int, 4> weights{};  // by Ethnicity below
};

enum Ethnicity : uint8_t { kKazakh, kUyghur, kKyrgyz, kHui };
size_t Idx(Ethnicity ethnicity) { return static_cast<size_t>(ethnicity); }
constexpr std::array<std::string_view, 4> kEthnicityCodes = {"kazakh", "uyghur", "kyrgyz", "hui"};
// Shares among persons a volunteer registry of this kind holds: mostly Kazakhs and
// Uyghurs, a few Kyrgyz and Hui.
constexpr std::array<int, 4> kEthnicityWeights = {50, 42, 4, 4};

struct Tables {
  std::vector<NameEntry> kazakh_male, kazakh_female, uyghur_male, uyghur_female;
  std::vector<NameEntry> hui_surnames, hui_male, hui_female;
  std::vector<Hometown> hometowns;
};

std::vector<std::string_view> SplitView(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t end = text.find(sep, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

// Calls `row` with the tab-separated fields of each non-comment, non-empty line.
template <typename Fn>
void ForEachRow(std::string_view tsv, size_t columns, Fn&& row) {
  for (std::string_view line : SplitView(tsv, '\n')) {
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> fields = SplitView(line, '\t');
    // The tables are compiled in: a malformed row is a bug in data/demo/, not input.
    assert(fields.size() == columns && "malformed row in data/demo");
    if (fields.size() != columns) continue;
    row(fields);
  }
}

int ParseWeight(std::string_view text) {
  int value = 0;
  for (char digit : text) value = value * 10 + (digit - '0');
  return value;
}

Tables ParseTables() {
  Tables tables;
  // gender cyrillic latin arabic han
  auto add_names = [](std::string_view tsv, std::vector<NameEntry>& male,
                      std::vector<NameEntry>& female) {
    ForEachRow(tsv, 5, [&](const std::vector<std::string_view>& fields) {
      NameEntry entry{fields[1], fields[2], fields[3], fields[4]};
      (fields[0] == "f" ? female : male).push_back(entry);
    });
  };
  add_names(internal::kDemoKazakhNames, tables.kazakh_male, tables.kazakh_female);
  add_names(internal::kDemoUyghurNames, tables.uyghur_male, tables.uyghur_female);
  // kind cyrillic latin han
  ForEachRow(internal::kDemoHuiNames, 4, [&](const std::vector<std::string_view>& fields) {
    NameEntry entry{fields[1], fields[2], {}, fields[3]};
    if (fields[0] == "s") {
      tables.hui_surnames.push_back(entry);
    } else {
      (fields[0] == "f" ? tables.hui_female : tables.hui_male).push_back(entry);
    }
  });
  // code latin zh cyrillic weight_kazakh weight_uyghur weight_kyrgyz weight_hui
  ForEachRow(internal::kDemoHometowns, 8, [&](const std::vector<std::string_view>& fields) {
    Hometown town;
    town.code = fields[0];
    town.latin = SplitView(fields[1], '|');
    town.zh = fields[2];
    town.cyrillic = fields[3] == "-" ? std::string_view() : fields[3];
    for (size_t idx = 0; idx < 4; ++idx) town.weights[idx] = ParseWeight(fields[4 + idx]);
    tables.hometowns.push_back(std::move(town));
  });
  return tables;
}

const Tables& GetTables() {
  static const Tables* const tables = new Tables(ParseTables());  // never destroyed
  return *tables;
}

// ---------------------------------------------------------------------------------------
// Dates.

// Inverse of DaysFromCivil (H. Hinnant's civil_from_days).
DatePoint CivilFromDays(int32_t days) {
  int64_t z = static_cast<int64_t>(days) + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {static_cast<int>(year), static_cast<int>(month), static_cast<int>(day)};
}

// The day as relatives remember it: often only the month or the year.
PartialDate Blur(int32_t days, Rng& rng, int day_per_mille, int month_per_mille) {
  DatePoint point = CivilFromDays(days);
  int roll = rng.Range(0, 999);
  if (roll < day_per_mille) return PartialDate::Of(point.year, point.month, point.day);
  if (roll < day_per_mille + month_per_mille) return PartialDate::Of(point.year, point.month);
  return PartialDate::Of(point.year);
}

// ---------------------------------------------------------------------------------------
// Spellings.

// One alternative spelling of a Latin name, as lists and press reports produce them.
struct Respelling {
  std::string_view from;
  std::string_view to;
};
constexpr std::array<Respelling, 16> kRespellings = {{
    {"zh", "j"},
    {"Zh", "J"},
    {"kh", "h"},
    {"kh", "q"},
    {"Kh", "H"},
    {"jan", "zhan"},
    {"zhan", "jan"},
    {"Ye", "E"},
    {"ss", "s"},
    {"k", "q"},
    {"ay", "ai"},
    {"ai", "ay"},
    {"sh", "ch"},
    {"yk", "ik"},
    {"uly", "ulı"},
    {"mm", "m"},
}};

// `name` with one respelling or, where none applies, two adjacent letters swapped (a typo).
std::string Respell(std::string_view name, Rng& rng) {
  std::string out(name);
  size_t start = rng.Index(kRespellings.size());
  for (size_t step = 0; step < kRespellings.size(); ++step) {
    const Respelling& rule = kRespellings[(start + step) % kRespellings.size()];
    size_t pos = out.find(rule.from, 1);  // not the first letter: keeps initials stable
    if (rule.from.front() >= 'A' && rule.from.front() <= 'Z') pos = out.find(rule.from);
    if (pos == std::string::npos) continue;
    out.replace(pos, rule.from.size(), rule.to);
    return out;
  }
  for (size_t pos = 1; pos + 2 < out.size(); ++pos) {
    unsigned char left = static_cast<unsigned char>(out[pos]);
    unsigned char right = static_cast<unsigned char>(out[pos + 1]);
    if (left >= 'a' && left <= 'z' && right >= 'a' && right <= 'z' && left != right) {
      std::swap(out[pos], out[pos + 1]);
      return out;
    }
  }
  return out;
}

// A ULY name as the press writes it: no diacritics, x as kh or h, q often as k.
std::string PressUyghur(std::string_view uly, Rng& rng) {
  const bool x_as_kh = rng.Chance(500);
  const bool q_as_k = rng.Chance(600);
  std::string out;
  out.reserve(uly.size() + 2);
  for (size_t pos = 0; pos < uly.size(); ++pos) {
    char letter = uly[pos];
    if (letter == '\xC3' && pos + 1 < uly.size()) {  // é ö ü É Ö Ü
      switch (uly[++pos]) {
        case '\xA9':
          out += 'e';
          break;
        case '\xB6':
          out += 'o';
          break;
        case '\xBC':
          out += 'u';
          break;
        case '\x89':
          out += 'E';
          break;
        case '\x96':
          out += 'O';
          break;
        case '\x9C':
          out += 'U';
          break;
        default:
          out += letter;
          out += uly[pos];
          break;
      }
    } else if (letter == 'x' || letter == 'X') {
      if (letter == 'X') {
        out += x_as_kh ? "Kh" : "H";
      } else {
        out += x_as_kh ? "kh" : "h";
      }
    } else if ((letter == 'q' || letter == 'Q') && q_as_k) {
      out += letter == 'Q' ? 'K' : 'k';
    } else {
      out += letter;
    }
  }
  return out;
}

// Kyrgyz writes the Kazakh-only letters with their nearest Kyrgyz ones.
std::string KyrgyzCyrillic(std::string_view kazakh) {
  struct Swap {
    std::string_view from, to;
  };
  static constexpr std::array<Swap, 12> kSwaps = {{{"ұ", "у"},
                                                   {"Ұ", "У"},
                                                   {"қ", "к"},
                                                   {"Қ", "К"},
                                                   {"ғ", "г"},
                                                   {"Ғ", "Г"},
                                                   {"і", "и"},
                                                   {"І", "И"},
                                                   {"ә", "а"},
                                                   {"Ә", "А"},
                                                   {"һ", "х"},
                                                   {"Һ", "Х"}}};
  std::string out(kazakh);
  for (const Swap& swap : kSwaps) {
    for (size_t pos = out.find(swap.from); pos != std::string::npos;
         pos = out.find(swap.from, pos + swap.to.size())) {
      out.replace(pos, swap.from.size(), swap.to);
    }
  }
  return out;
}

std::string Upper(std::string_view latin) {
  std::string out(latin);
  for (char& letter : out) {
    if (letter >= 'a' && letter <= 'z') letter = static_cast<char>(letter - 'a' + 'A');
  }
  return out;
}

std::string Join(std::string_view a, std::string_view sep, std::string_view b) {
  std::string out;
  out.reserve(a.size() + sep.size() + b.size());
  out.append(a).append(sep).append(b);
  return out;
}

// ---------------------------------------------------------------------------------------
// Other vocabularies.

constexpr std::array<std::string_view, 24> kOccupations = {
    "farmer",   "herder",        "teacher",  "driver",     "trader",      "doctor",
    "student",  "accountant",    "imam",     "retired",    "businessman", "writer",
    "nurse",    "civil servant", "cook",     "tailor",     "engineer",    "veterinarian",
    "mechanic", "journalist",    "musician", "shopkeeper", "housewife",   "construction worker"};

constexpr std::array<std::string_view, 5> kBorderCrossings = {"Khorgos", "Dulata", "Bakhty",
                                                              "Maikapchagai", "Jeminay"};
constexpr std::array<std::string_view, 6> kKazakhstanTowns = {"Almaty",  "Zharkent", "Taldykorgan",
                                                              "Oskemen", "Astana",   "Shymkent"};

// The first detention event's year, or 0.
int DetentionYear(const std::vector<registry::Event>& events) {
  for (const registry::Event& event : events) {
    if (event.type == EventType::kDetained || event.type == EventType::kCamp ||
        event.type == EventType::kPrison) {
      return event.date.start().year;
    }
  }
  return 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------

struct DemoGenerator::Impl {
  Impl(const DemoOptions& opts, const registry::Gazetteer* places_in)
      : options(opts),
        tables(GetTables()),
        rng(opts.seed),
        // A separate stream, so that testimonies never shift the persons a seed gives.
        testimony_rng(opts.seed ^ 0x7e571a0ca11ed0c5ULL),
        places(places_in != nullptr && places_in->size() > 0 ? places_in : nullptr) {
    for (const Hometown& town : tables.hometowns) {
      if (places != nullptr && places->Find(town.code) == nullptr) {
        continue;
      }
      hometowns.push_back(&town);
    }
    if (hometowns.empty()) {  // a gazetteer without any of our counties: use them anyway
      for (const Hometown& town : tables.hometowns) hometowns.push_back(&town);
    }
    for (size_t eth = 0; eth < 4; ++eth) {
      int total = 0;
      for (const Hometown* town : hometowns) {
        total += town->weights[eth];
        cumulative[eth].push_back(total);
      }
    }
  }

  const Hometown& PickHometown(Ethnicity ethnicity) {
    const std::vector<int>& sums = cumulative[Idx(ethnicity)];
    if (sums.back() == 0) return *hometowns[rng.Index(hometowns.size())];
    int roll = rng.Range(0, sums.back() - 1);
    size_t lo = 0;
    size_t hi = sums.size() - 1;
    while (lo < hi) {  // first index whose cumulative weight exceeds roll
      size_t mid = (lo + hi) / 2;
      if (sums[mid] > roll) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return *hometowns[lo];
  }

  const std::vector<NameEntry>& GivenNames(Ethnicity ethnicity, Gender gender) const {
    bool female = gender == Gender::kFemale;
    switch (ethnicity) {
      case kKazakh:
      case kKyrgyz:
        return female ? tables.kazakh_female : tables.kazakh_male;
      case kUyghur:
        return female ? tables.uyghur_female : tables.uyghur_male;
      case kHui:
        return female ? tables.hui_female : tables.hui_male;
    }
    return tables.kazakh_male;
  }

  void Generate(DemoPerson& out);
  void MakeNames(Ethnicity ethnicity, Gender gender, const NameEntry& given,
                 const NameEntry& father, std::vector<registry::PersonName>& names);
  void MakeEvents(const Hometown& town, Ethnicity ethnicity, std::vector<registry::Event>& events);
  std::string MakePrcId(std::string_view region, const DatePoint& birth, Gender gender);
  std::string HometownText(const Hometown& town);

  DemoOptions options;
  const Tables& tables;
  Rng rng;
  Rng testimony_rng;
  const registry::Gazetteer* places;  // null when none or empty
  std::vector<const Hometown*> hometowns;
  std::array<std::vector<int>, 4> cumulative;
  int64_t generated = 0;
  int64_t testimonies_made = 0;

  // The previous person, for kin.
  bool has_previous = false;
  Ethnicity prev_ethnicity = kKazakh;
  Gender prev_gender = Gender::kUnknown;
  const NameEntry* prev_given = nullptr;
  const NameEntry* prev_father = nullptr;
  const Hometown* prev_town = nullptr;
  int prev_birth_year = 0;
};

void DemoGenerator::Impl::Generate(DemoPerson& out) {
  registry::Person& person = out.row.person;
  person = registry::Person();
  out.row.events.clear();
  out.kin_of_previous.reset();

  // Families: some persons are kin of the one before, as a testimony about a family gives.
  std::optional<RelationKind> kin;
  if (has_previous) {
    int roll = rng.Range(0, 999);
    if (roll < 150) {
      kin = RelationKind::kSibling;
    } else if (roll < 190) {
      kin = RelationKind::kSpouse;
    } else if (roll < 215 && prev_gender == Gender::kMale) {
      kin = RelationKind::kChild;  // this person is a child of the previous one
    } else if (roll < 235) {
      kin = RelationKind::kParent;  // this person is the previous one's father
    }
  }

  Ethnicity ethnicity = kin ? prev_ethnicity : static_cast<Ethnicity>(rng.Pick(kEthnicityWeights));
  Gender gender;
  if (kin == RelationKind::kSpouse) {
    gender = prev_gender == Gender::kMale ? Gender::kFemale : Gender::kMale;
  } else if (kin == RelationKind::kParent) {
    gender = Gender::kMale;
  } else {
    gender = rng.Chance(700) ? Gender::kMale : Gender::kFemale;  // most detainees are men
  }

  const std::vector<NameEntry>& given_names = GivenNames(ethnicity, gender);
  const std::vector<NameEntry>& fathers =
      ethnicity == kHui ? tables.hui_surnames : GivenNames(ethnicity, Gender::kMale);
  const NameEntry* given = &given_names[rng.Index(given_names.size())];
  const NameEntry* father = &fathers[rng.Index(fathers.size())];
  int birth_year = 1945 + rng.Range(0, 25) + rng.Range(0, 25);
  if (kin == RelationKind::kSibling) {
    father = prev_father;
    birth_year = prev_birth_year + rng.Range(-8, 8);
  } else if (kin == RelationKind::kSpouse) {
    birth_year = prev_birth_year + rng.Range(-6, 6);
  } else if (kin == RelationKind::kChild) {
    // A Kazakh or Uyghur child carries the father's given name; a Hui child his surname.
    father = ethnicity == kHui ? prev_father : prev_given;
    birth_year = prev_birth_year + rng.Range(20, 35);
  } else if (kin == RelationKind::kParent) {
    if (ethnicity == kHui) {
      father = prev_father;
    } else {
      given = prev_father;
    }
    birth_year = prev_birth_year - rng.Range(20, 35);
  }
  if (birth_year > 2004) birth_year = 2004;
  if (birth_year < 1925) birth_year = 1925;

  MakeNames(ethnicity, gender, *given, *father, person.names);
  person.gender = gender;
  person.ethnicity = std::string(kEthnicityCodes[Idx(ethnicity)]);

  // Birth dates as families know them: full dates from documents, often only a year.
  int birth_month = rng.Range(1, 12);
  int birth_day = rng.Range(1, DaysInMonth(birth_year, birth_month));
  switch (rng.Pick(std::array<int, 4>{45, 10, 35, 10})) {
    case 0:
      person.birth_date = PartialDate::Of(birth_year, birth_month, birth_day);
      break;
    case 1:
      person.birth_date = PartialDate::Of(birth_year, birth_month);
      break;
    case 2:
      person.birth_date = PartialDate::Of(birth_year);
      break;
    default:
      person.birth_date = PartialDate::Of(birth_year, 0, 0, /*about=*/true);
      break;
  }

  const Hometown& town = kin ? *prev_town : PickHometown(ethnicity);
  person.hometown_code = std::string(town.code);
  person.hometown_text = HometownText(town);
  // An ID number needs the full birth date, which families who have it also give.
  if (person.birth_date.precision() == DatePrecision::kDay && rng.Chance(600)) {
    person.prc_id = MakePrcId(town.code, person.birth_date.start(), gender);
  }
  if (rng.Chance(800)) person.occupation = std::string(rng.Of(kOccupations));
  person.privacy = static_cast<registry::Privacy>(rng.Pick(std::array<int, 3>{18, 75, 7}));
  person.grade = static_cast<registry::Grade>(rng.Pick(std::array<int, 4>{30, 40, 20, 10}));

  MakeEvents(town, ethnicity, out.row.events);
  out.kin_of_previous = kin;

  has_previous = true;
  prev_ethnicity = ethnicity;
  prev_gender = gender;
  prev_given = given;
  prev_father = father;
  prev_town = &town;
  prev_birth_year = birth_year;
  ++generated;
}

void DemoGenerator::Impl::MakeNames(Ethnicity ethnicity, Gender gender, const NameEntry& given,
                                    const NameEntry& father,
                                    std::vector<registry::PersonName>& names) {
  struct Form {
    std::string text;
    Script script;
  };
  std::array<Form, 4> forms;  // cyrillic, latin, arabic, han; empty text: not available
  const bool female = gender == Gender::kFemale;
  if (ethnicity == kHui) {
    // Chinese order: surname first, no separator in characters.
    forms[0] = {Join(father.cyrillic, " ", given.cyrillic), Script::kCyrillic};
    forms[1] = {Join(father.latin, " ", given.latin), Script::kLatin};
    forms[3] = {Join(father.han, "", given.han), Script::kHan};
  } else {
    std::string_view cyr_suffix, lat_suffix, arab_suffix;
    if (ethnicity == kKazakh && rng.Chance(300)) {
      cyr_suffix = female ? "қызы" : "ұлы";
      lat_suffix = female ? "kyzy" : "uly";
      arab_suffix = female ? "قىزى" : "ۇلى";
    } else if (ethnicity == kKyrgyz && rng.Chance(500)) {
      cyr_suffix = female ? " кызы" : " уулу";
      lat_suffix = female ? " kyzy" : " uulu";
    }
    forms[0] = {Join(given.cyrillic, " ", father.cyrillic), Script::kCyrillic};
    forms[0].text.append(cyr_suffix);
    if (ethnicity == kKyrgyz) forms[0].text = KyrgyzCyrillic(forms[0].text);
    forms[1] = {Join(given.latin, " ", father.latin), Script::kLatin};
    if (ethnicity == kUyghur && rng.Chance(500)) {
      forms[1].text = PressUyghur(forms[1].text, rng);
    }
    forms[1].text.append(lat_suffix);
    if (rng.Chance(50)) {  // as rosters print it: FATHER Given
      forms[1].text = Upper(father.latin).append(lat_suffix).append(" ").append(given.latin);
    }
    forms[2] = {Join(given.arabic, " ", father.arabic), Script::kArabic};
    forms[2].text.append(arab_suffix);
    forms[3] = {Join(given.han, "·", father.han), Script::kHan};
  }

  // The primary form is the script the first testimony came in.
  std::array<int, 4> primary_weights =
      ethnicity == kHui ? std::array<int, 4>{5, 35, 0, 60}
                        : (ethnicity == kUyghur ? std::array<int, 4>{10, 50, 25, 15}
                                                : std::array<int, 4>{45, 35, 5, 15});
  size_t primary = rng.Pick(primary_weights);
  std::array<size_t, 4> order = {primary, 0, 0, 0};
  size_t filled = 1;
  for (size_t idx = 0; idx < 4; ++idx) {
    if (idx != primary && !forms[idx].text.empty()) order[filled++] = idx;
  }
  for (size_t idx = filled - 1; idx > 1; --idx) {  // shuffle the others (Fisher-Yates)
    size_t other = 1 + rng.Index(idx);
    std::swap(order[idx], order[other]);
  }
  size_t count = 2 + rng.Pick(std::array<int, 3>{45, 35, 20});
  if (count > filled) count = filled;

  names.clear();
  names.reserve(count + 1);
  for (size_t idx = 0; idx < count; ++idx) {
    Form& form = forms[order[idx]];
    names.push_back({std::move(form.text), form.script, NamePart::kFull, "demo"});
  }
  // Misspelt Latin forms, so that de-duplication has something to find: sometimes the only
  // Latin form, sometimes an alias next to the correct one.
  if (ethnicity != kHui && rng.Chance(200)) {
    for (registry::PersonName& name : names) {
      if (name.script != Script::kLatin) continue;
      std::string respelt = Respell(name.text, rng);
      if (rng.Chance(500) || names.size() >= 4) {
        name.text = std::move(respelt);
      } else {
        names.push_back({std::move(respelt), Script::kLatin, NamePart::kAlias, "demo"});
      }
      break;
    }
  }
}

std::string DemoGenerator::Impl::HometownText(const Hometown& town) {
  switch (rng.Pick(std::array<int, 5>{40, 25, 20, 10, 5})) {
    case 0:
      return std::string(town.latin.front());
    case 1:
      return std::string(town.zh);
    case 2:
      if (!town.cyrillic.empty()) return std::string(town.cyrillic);
      return std::string(rng.Of(town.latin));
    case 3:
      return std::string(rng.Of(town.latin)).append(", Xinjiang");
    default:
      return {};  // only the code is known (from an ID card)
  }
}

std::string DemoGenerator::Impl::MakePrcId(std::string_view region, const DatePoint& birth,
                                           Gender gender) {
  std::string id;
  id.reserve(18);
  id.append(region);
  auto append_digits = [&id](int value, int width) {
    char digits[8];
    for (int pos = width - 1; pos >= 0; --pos) {
      digits[pos] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
    id.append(digits, static_cast<size_t>(width));
  };
  append_digits(birth.year, 4);
  append_digits(birth.month, 2);
  append_digits(birth.day, 2);
  append_digits(rng.Range(0, 99), 2);
  // The 17th digit is odd for men and even for women.
  int sex_digit = 2 * rng.Range(0, 4) + (gender == Gender::kMale ? 1 : 0);
  append_digits(sex_digit, 1);
  // ISO 7064 MOD 11-2 over the first 17 digits.
  static constexpr std::array<int, 17> kWeights = {7, 9, 10, 5,  8, 4, 2, 1, 6,
                                                   3, 7, 9,  10, 5, 8, 4, 2};
  int sum = 0;
  for (size_t pos = 0; pos < 17; ++pos) sum += (id[pos] - '0') * kWeights[pos];
  id += "10X98765432"[sum % 11];
  return id;
}

void DemoGenerator::Impl::MakeEvents(const Hometown& town, Ethnicity ethnicity,
                                     std::vector<registry::Event>& events) {
  // The story is told along a day counter that only moves forward, so that the events are
  // in order whatever precision each date keeps.
  static const int32_t kFirstDay = DaysFromCivil(2017, 1, 1);
  static const int32_t kLastDay = DaysFromCivil(2025, 12, 31);
  std::string_view town_name = town.latin.front();

  auto add = [&](EventType type, int32_t day, std::string place_text = {}, std::string note = {}) {
    registry::Event event;
    event.type = type;
    event.date = Blur(day, rng, 350, 450);
    if (!place_text.empty() && type != EventType::kLeftChina && type != EventType::kArrivedAbroad) {
      event.place_code = std::string(town.code);
    } else if (!place_text.empty() && places != nullptr) {
      // As Registry::NormalizeEvent would: a border crossing such as Khorgos is a division.
      if (const registry::Division* division = places->Resolve(place_text)) {
        event.place_code = division->code;
      }
    }
    event.place_text = std::move(place_text);
    event.source = "demo";
    event.note = std::move(note);
    events.push_back(std::move(event));
  };

  // Most detentions came in 2017 and 2018.
  int year_offset = static_cast<int>(rng.Pick(std::array<int, 3>{45, 42, 13}));
  int32_t day = kFirstDay + year_offset * 365 + rng.Range(0, 364);

  // Families who only know that contact broke off have a last contact and nothing else.
  const bool detained = rng.Chance(880);
  if (!detained || rng.Chance(600)) {
    int32_t contact = day - rng.Range(0, 240);
    static constexpr std::array<std::string_view, 4> kContactNotes = {
        "last phone call", "last WeChat message", "last visit", ""};
    add(EventType::kLastContact, contact, {}, std::string(rng.Of(kContactNotes)));
  }
  if (!detained) {
    if (rng.Chance(150)) add(EventType::kPassportConfiscated, day + rng.Range(0, 90));
    return;
  }
  static constexpr std::array<std::string_view, 5> kDetainNotes = {
      "taken from home at night", "summoned to the police station",
      "detained after returning from Kazakhstan", "detained at work", ""};
  add(EventType::kDetained, day, std::string(town_name), std::string(rng.Of(kDetainNotes)));
  if (rng.Chance(60)) {
    // "Taken between April and June 2017": a range of months around the day.
    DatePoint from = CivilFromDays(day - rng.Range(0, 60));
    DatePoint to = CivilFromDays(day + rng.Range(20, 60));
    Result<PartialDate> range = PartialDate::Parse(
        fmt::format("{:04}-{:02}..{:04}-{:02}", from.year, from.month, to.year, to.month));
    if (range.ok()) events.back().date = *range;
  }

  int sentence_years = 0;
  switch (rng.Pick(std::array<int, 4>{60, 22, 12, 6})) {
    case 0:  // camp
      day += rng.Range(1, 60);
      add(EventType::kCamp, day,
          std::string(town_name) + " vocational training centre No. " +
              std::to_string(rng.Range(1, 9)));
      break;
    case 2:  // camp, then a sentence
      day += rng.Range(1, 60);
      add(EventType::kCamp, day, std::string(town_name) + " camp");
      [[fallthrough]];
    case 1: {  // sentenced and imprisoned
      static constexpr std::array<int, 8> kYears = {3, 5, 7, 10, 12, 15, 17, 20};
      sentence_years = rng.Of(kYears);
      day += rng.Range(60, 540);
      add(EventType::kSentenced, day, std::string(town_name) + " court",
          "sentenced to " + std::to_string(sentence_years) + " years");
      day += rng.Range(7, 90);
      add(EventType::kPrison, day, std::string(town_name) + " prison");
      break;
    }
    default:  // nothing more is known
      break;
  }

  bool released = sentence_years == 0 ? rng.Chance(550) : sentence_years <= 5 && rng.Chance(300);
  if (released) {
    day += sentence_years > 0 ? sentence_years * 365 - rng.Range(0, 300) : rng.Range(120, 900);
    if (day > kLastDay) return;
    add(EventType::kReleased, day, std::string(town_name));
    if (rng.Chance(300)) {
      day += rng.Range(0, 30);
      add(EventType::kHouseArrest, day, std::string(town_name));
    }
    if (rng.Chance(200)) {
      day += rng.Range(0, 60);
      add(EventType::kPassportConfiscated, day);
    }
    // Kazakhs were the ones let go in numbers (the "2,000 ethnic Kazakhs" of late 2018).
    int leave_per_mille = ethnicity == kKazakh || ethnicity == kKyrgyz ? 350 : 30;
    if (rng.Chance(leave_per_mille)) {
      day += rng.Range(30, 400);
      if (day > kLastDay) return;
      add(EventType::kPermittedToLeave, day);
      day += rng.Range(1, 60);
      if (day > kLastDay) return;
      add(EventType::kLeftChina, day, std::string(rng.Of(kBorderCrossings)));
      day += rng.Range(0, 3);
      std::string_view arrived = ethnicity == kKyrgyz   ? "Bishkek"
                                 : ethnicity == kUyghur ? "Istanbul"
                                                        : rng.Of(kKazakhstanTowns);
      add(EventType::kArrivedAbroad, day, std::string(arrived));
      if (ethnicity == kKazakh && rng.Chance(700)) {
        day += rng.Range(30, 365);
        if (day > kLastDay) return;
        add(EventType::kCitizenshipApplied, day);
        if (rng.Chance(550)) {
          day += rng.Range(90, 700);
          if (day > kLastDay) return;
          add(EventType::kCitizenshipGranted, day);
        }
      }
      return;  // abroad: no death in custody
    }
  }
  if (rng.Chance(20)) {
    day += rng.Range(30, 1500);
    if (day > kLastDay) return;
    add(EventType::kDeceased, day, {}, released ? "died after release" : "died in custody");
  }
}

// ---------------------------------------------------------------------------------------

DemoGenerator::DemoGenerator(const DemoOptions& options, const registry::Gazetteer* places)
    : impl_(std::make_unique<Impl>(options, places)) {}

DemoGenerator::~DemoGenerator() = default;

bool DemoGenerator::Next(DemoPerson& out) {
  if (impl_->generated >= impl_->options.persons) return false;
  impl_->Generate(out);
  return true;
}

int64_t DemoGenerator::generated() const { return impl_->generated; }

DemoGenerator::PersonFacts FactsOf(const DemoPerson& person) {
  DemoGenerator::PersonFacts facts;
  facts.person_id = person.row.person.id;
  facts.gender = person.row.person.gender;
  for (std::string_view code : kEthnicityCodes) {
    if (code == person.row.person.ethnicity) facts.ethnicity = code;  // static storage
  }
  facts.detention_year = DetentionYear(person.row.events);
  facts.kin_of_previous = person.kin_of_previous.has_value();
  return facts;
}

namespace {

struct Language {
  std::string_view code;
  std::string_view with_year;  // {} is replaced by the year of detention
  std::string_view without_year;
};
constexpr std::array<Language, 5> kLanguages = {{
    {"kk", "{} жылы ұсталған туысы туралы куәлік. Содан бері хабар жоқ.",
     "Шыңжаңдағы туыстарымен байланыс үзілді."},
    {"ug", "{}-يىلى تۇتقۇن قىلىنغان تۇغقىنى ھەققىدە گۇۋاھلىق. شۇنىڭدىن بۇيان ئالاقە يوق.",
     "شىنجاڭدىكى تۇغقانلىرى بىلەن ئالاقە ئۈزۈلدى."},
    {"ru", "Свидетельство о родственнике, задержанном в {} году. Связи с тех пор нет.",
     "Связь с родственниками в Синьцзяне прервалась."},
    {"zh", "关于{}年被拘押的亲属的证词，此后一直失去联系。", "与新疆亲属失去联系。"},
    {"en", "Relative detained in {}; the family has had no contact since.",
     "The testifier lost contact with relatives in Xinjiang."},
}};

std::string Summary(const Language& language, int year) {
  if (year == 0) return std::string(language.without_year);
  std::string text(language.with_year);
  size_t pos = text.find("{}");
  text.replace(pos, 2, std::to_string(year));
  return text;
}

}  // namespace

std::vector<registry::Testimony> DemoGenerator::MakeTestimonies(
    std::span<const PersonFacts> persons) {
  Rng& rng = impl_->testimony_rng;
  const Tables& tables = impl_->tables;
  std::vector<registry::Testimony> out;
  out.reserve(persons.size());

  size_t group_start = 0;
  while (group_start < persons.size()) {
    size_t group_end = group_start + 1;
    while (group_end < persons.size() && persons[group_end].kin_of_previous) ++group_end;
    std::span<const PersonFacts> family = persons.subspan(group_start, group_end - group_start);
    group_start = group_end;

    const PersonFacts& first = family.front();
    size_t ethnicity = 0;
    for (size_t idx = 0; idx < kEthnicityCodes.size(); ++idx) {
      if (kEthnicityCodes[idx] == first.ethnicity) ethnicity = idx;
    }
    // Several relatives testify about one family, years apart.
    size_t testimonies = 1 + rng.Pick(std::array<int, 3>{70, 22, 8});
    for (size_t count = 0; count < testimonies; ++count) {
      registry::Testimony testimony;
      // The testifier speaks the family's language, or the one of the country they live in.
      std::array<int, 5> language_weights = {60, 0, 20, 10, 10};  // kk ug ru zh en
      if (ethnicity == kUyghur) language_weights = {0, 60, 10, 10, 20};
      if (ethnicity == kKyrgyz) language_weights = {20, 0, 60, 0, 20};
      if (ethnicity == kHui) language_weights = {0, 0, 30, 70, 0};
      const Language& language = kLanguages[rng.Pick(language_weights)];
      testimony.language = std::string(language.code);

      // A synthetic testifier: a random given name and a random father's name.
      const bool uyghur = ethnicity == kUyghur;
      const std::vector<NameEntry>& given =
          rng.Chance(500) ? (uyghur ? tables.uyghur_male : tables.kazakh_male)
                          : (uyghur ? tables.uyghur_female : tables.kazakh_female);
      const std::vector<NameEntry>& fathers = uyghur ? tables.uyghur_male : tables.kazakh_male;
      const NameEntry& name = rng.Of(given);
      const NameEntry& father = rng.Of(fathers);
      if (ethnicity == kHui) {
        const std::vector<NameEntry>& hui_given =
            rng.Chance(500) ? tables.hui_male : tables.hui_female;
        const NameEntry& surname = rng.Of(tables.hui_surnames);
        const NameEntry& hui_name = rng.Of(hui_given);
        testimony.testifier_name = language.code == "zh"
                                       ? Join(surname.han, "", hui_name.han)
                                       : Join(surname.cyrillic, " ", hui_name.cyrillic);
      } else if (language.code == "en") {
        testimony.testifier_name = Join(name.latin, " ", father.latin);
      } else if (language.code == "zh") {
        testimony.testifier_name = Join(name.han, "·", father.han);
      } else if (language.code == "ug") {
        testimony.testifier_name = Join(name.arabic, " ", father.arabic);
      } else {
        testimony.testifier_name = Join(name.cyrillic, " ", father.cyrillic);
      }

      // Contacts from ranges no real subscriber has: +7 700 000 xxxx as the project
      // uses for examples, 555-01xx (reserved for fiction), example.org (RFC 2606).
      char number[8];
      int roll = rng.Range(0, 999);
      if (roll < 600) {
        std::snprintf(number, sizeof number, "%04d", rng.Range(0, 9999));
        testimony.testifier_contact = std::string("+7 700 000 ") + number;
      } else if (roll < 750) {
        std::snprintf(number, sizeof number, "%02d", rng.Range(0, 99));
        testimony.testifier_contact = std::string("+1 202 555 01") + number;
      } else {
        std::string user(name.latin);
        for (char& letter : user) {
          if (letter >= 'A' && letter <= 'Z') letter = static_cast<char>(letter - 'A' + 'a');
        }
        testimony.testifier_contact = user + std::to_string(rng.Range(1, 999)) + "@example.org";
      }

      // Relatives abroad began to testify in 2018, mostly a year or more after the arrest.
      int year = first.detention_year + 1 < 2018 ? 2018 : first.detention_year + 1;
      year += rng.Range(0, 2);
      int month = rng.Range(1, 12);
      testimony.date = rng.Chance(700)
                           ? PartialDate::Of(year, month, rng.Range(1, DaysInMonth(year, month)))
                           : PartialDate::Of(year, month);
      testimony.medium =
          static_cast<registry::Medium>(rng.Pick(std::array<int, 4>{45, 15, 30, 10}));
      testimony.consent = static_cast<registry::Consent>(rng.Pick(std::array<int, 3>{17, 38, 45}));
      if (testimony.medium == registry::Medium::kVideo &&
          testimony.consent == registry::Consent::kPublish) {
        testimony.link =
            "https://example.org/demo/testimonies/" + std::to_string(impl_->testimonies_made + 1);
      }
      testimony.summary = Summary(language, first.detention_year);

      // Mentions: the first testimony about a family names up to three of its members; later
      // ones name its first member (the one testified about first) and maybe others.
      const size_t most = family.size() < 3 ? family.size() : 3;
      size_t mentions = count == 0 ? most : 1 + rng.Index(most);
      for (size_t idx = 0; idx < mentions; ++idx) {
        const PersonFacts& person = family[idx];
        static constexpr std::array<std::string_view, 10> kRelations = {
            "son",    "daughter", "brother", "sister", "mother",
            "father", "nephew",   "niece",   "cousin", "neighbour"};
        std::string_view relation = rng.Of(kRelations);
        if (rng.Chance(150)) relation = person.gender == Gender::kFemale ? "husband" : "wife";
        testimony.mentions.push_back({person.person_id, std::string(relation)});
      }
      ++impl_->testimonies_made;
      out.push_back(std::move(testimony));
    }
  }
  return out;
}

namespace {

// Registry::AddRelation, for many relations in one transaction: one transaction per
// relation made relations the slowest part of a large demo (0.4 ms each on SQLite).
// Writes the same records and audit entries as AddRelation; the persons are known to
// exist, as they were just imported.
// TODO: replace with a Registry::ImportRelations use case once the registry has one.
Status WriteRelations(registry::Registry& registry, std::vector<registry::Relation>& relations,
                      const registry::Actor& actor) {
  if (relations.empty()) return OkStatus();
  IZDE_ASSIGN_OR_RETURN(auto txn, registry.store().Begin());
  for (registry::Relation& relation : relations) {
    IZDE_ASSIGN_OR_RETURN(relation.id, txn->InsertRelation(relation));
    registry::AuditEntry entry;
    entry.actor = actor.name;
    entry.action = "relation.create";
    entry.entity = FormatId(IdKind::kRelation, relation.id);
    entry.person = FormatId(IdKind::kPerson, relation.from_person);
    entry.after =
        registry::ToJson(relation).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    IZDE_RETURN_IF_ERROR(txn->AppendAudit(entry).status());
  }
  return txn->Commit();
}

}  // namespace

Result<DemoSummary> PopulateDemo(registry::Registry& registry, const DemoOptions& options,
                                 const registry::Actor& actor,
                                 const registry::ProgressFn& progress) {
  if (options.persons < 0) {
    return InvalidArgumentError("the number of persons must not be negative", "persons");
  }
  if (options.batch_size <= 0) {
    return InvalidArgumentError("the batch size must be positive", "batch_size");
  }
  DemoGenerator generator(options, &registry.places());
  DemoSummary summary;
  const size_t batch_size = static_cast<size_t>(options.batch_size);
  std::vector<registry::PersonImport> rows;
  std::vector<DemoGenerator::PersonFacts> facts;
  std::vector<std::optional<registry::RelationKind>> kin;
  int64_t previous_id = 0;  // the last person of the previous batch, for kin across batches
  DemoPerson person;
  if (progress) progress(0, options.persons);

  while (generator.generated() < options.persons) {
    rows.clear();
    facts.clear();
    kin.clear();
    rows.reserve(batch_size);
    while (rows.size() < batch_size && generator.Next(person)) {
      facts.push_back(FactsOf(person));
      kin.push_back(person.kin_of_previous);
      summary.events += static_cast<int64_t>(person.row.events.size());
      rows.push_back(std::move(person.row));
    }
    const size_t count = rows.size();
    IZDE_ASSIGN_OR_RETURN(registry::ImportSummary imported,
                          registry.ImportPersons(std::move(rows), actor));
    if (imported.person_ids.size() != count) {
      return InternalError("ImportPersons returned " + std::to_string(imported.person_ids.size()) +
                           " ids for " + std::to_string(count) + " persons");
    }
    summary.persons += static_cast<int64_t>(count);

    for (size_t idx = 0; idx < count; ++idx) facts[idx].person_id = imported.person_ids[idx];
    std::vector<registry::Testimony> testimonies = generator.MakeTestimonies(facts);
    if (!testimonies.empty()) {
      IZDE_ASSIGN_OR_RETURN(int64_t written,
                            registry.ImportTestimonies(std::move(testimonies), actor));
      summary.testimonies += written;
    }

    std::vector<registry::Relation> relations;
    for (size_t idx = 0; idx < count; ++idx) {
      int64_t to = idx == 0 ? previous_id : imported.person_ids[idx - 1];
      if (!kin[idx] || to == 0) continue;
      registry::Relation relation;
      relation.from_person = imported.person_ids[idx];
      relation.to_person = to;
      relation.kind = *kin[idx];
      relation.note = "demo";
      relations.push_back(std::move(relation));
    }
    IZDE_RETURN_IF_ERROR(WriteRelations(registry, relations, actor));
    summary.relations += static_cast<int64_t>(relations.size());
    previous_id = imported.person_ids.empty() ? previous_id : imported.person_ids.back();
    if (progress) progress(summary.persons, options.persons);
  }
  return summary;
}

}  // namespace izde::io
