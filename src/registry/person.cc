#include "registry/person.h"

#include <array>
#include <utility>

#include "registry/internal/enum_names.h"

namespace izde::registry {
namespace {

using internal::ParseEnum;

constexpr std::array<std::pair<std::string_view, Gender>, 16> kGenders = {{
    {"unknown", Gender::kUnknown}, {"", Gender::kUnknown}, {"u", Gender::kUnknown},
    {"male", Gender::kMale}, {"m", Gender::kMale}, {"man", Gender::kMale},
    {"ер", Gender::kMale}, {"муж", Gender::kMale}, {"男", Gender::kMale},
    {"female", Gender::kFemale}, {"f", Gender::kFemale}, {"woman", Gender::kFemale},
    {"әйел", Gender::kFemale}, {"жен", Gender::kFemale}, {"女", Gender::kFemale},
    {"w", Gender::kFemale},
}};

constexpr std::array<std::pair<std::string_view, NamePart>, 7> kNameParts = {{
    {"full", NamePart::kFull}, {"given", NamePart::kGiven}, {"surname", NamePart::kSurname},
    {"family", NamePart::kSurname}, {"patronymic", NamePart::kPatronymic},
    {"alias", NamePart::kAlias}, {"", NamePart::kFull},
}};

constexpr std::array<std::pair<std::string_view, Privacy>, 4> kPrivacies = {{
    {"public", Privacy::kPublic}, {"restricted", Privacy::kRestricted},
    {"private", Privacy::kPrivate}, {"", Privacy::kRestricted},
}};

constexpr std::array<std::pair<std::string_view, Grade>, 5> kGrades = {{
    {"ungraded", Grade::kUngraded}, {"reported", Grade::kReported},
    {"corroborated", Grade::kCorroborated}, {"documented", Grade::kDocumented},
    {"", Grade::kUngraded},
}};

// What people type for an ethnicity, in the registry's languages, mapped to a code.
constexpr std::array<std::pair<std::string_view, std::string_view>, 45> kEthnicities = {{
    {"kazakh", "kazakh"}, {"qazaq", "kazakh"}, {"kazak", "kazakh"}, {"қазақ", "kazakh"},
    {"казах", "kazakh"}, {"казашка", "kazakh"}, {"哈萨克族", "kazakh"}, {"哈萨克", "kazakh"},
    {"uyghur", "uyghur"}, {"uighur", "uyghur"}, {"uygur", "uyghur"}, {"ұйғыр", "uyghur"},
    {"уйгур", "uyghur"}, {"уйгурка", "uyghur"}, {"ئۇيغۇر", "uyghur"}, {"维吾尔族", "uyghur"},
    {"维吾尔", "uyghur"}, {"kyrgyz", "kyrgyz"}, {"kirghiz", "kyrgyz"}, {"қырғыз", "kyrgyz"},
    {"киргиз", "kyrgyz"}, {"柯尔克孜族", "kyrgyz"}, {"uzbek", "uzbek"}, {"өзбек", "uzbek"},
    {"узбек", "uzbek"}, {"乌孜别克族", "uzbek"}, {"tatar", "tatar"}, {"татар", "tatar"},
    {"塔塔尔族", "tatar"}, {"hui", "hui"}, {"dungan", "hui"}, {"дүнген", "hui"},
    {"дунган", "hui"}, {"回族", "hui"}, {"han", "han"}, {"汉族", "han"},
    {"mongol", "mongol"}, {"mongolian", "mongol"}, {"蒙古族", "mongol"}, {"tajik", "tajik"},
    {"塔吉克族", "tajik"}, {"xibe", "xibe"}, {"sibe", "xibe"}, {"锡伯族", "xibe"},
    {"other", "other"},
}};

}  // namespace

const std::string& Person::display_name() const {
  static const std::string kEmpty;
  return names.empty() ? kEmpty : names.front().text;
}

const std::vector<std::string_view>& Ethnicities() {
  static const std::vector<std::string_view> kCodes = {
      "kazakh", "uyghur", "kyrgyz", "uzbek", "tatar", "hui",
      "han",    "mongol", "tajik",  "xibe",  "other"};
  return kCodes;
}

Result<std::string> ParseEthnicity(std::string_view text) {
  std::string word = internal::CanonicalWord(text);
  if (word.empty()) return std::string();
  for (const auto& [spelling, code] : kEthnicities) {
    if (spelling == word) return std::string(code);
  }
  return InvalidArgumentError("'" + std::string(text) +
                                  "' is not a known ethnicity (kazakh, uyghur, kyrgyz, uzbek, "
                                  "tatar, hui, han, mongol, tajik, xibe, other)",
                              "ethnicity");
}

std::string_view GenderName(Gender gender) {
  switch (gender) {
    case Gender::kUnknown: return "unknown";
    case Gender::kMale: return "male";
    case Gender::kFemale: return "female";
  }
  return "unknown";
}

Result<Gender> ParseGender(std::string_view text) {
  return ParseEnum<Gender>(text, kGenders, "gender", "male, female, unknown");
}

std::string_view NamePartName(NamePart part) {
  switch (part) {
    case NamePart::kFull: return "full";
    case NamePart::kGiven: return "given";
    case NamePart::kSurname: return "surname";
    case NamePart::kPatronymic: return "patronymic";
    case NamePart::kAlias: return "alias";
  }
  return "full";
}

Result<NamePart> ParseNamePart(std::string_view text) {
  return ParseEnum<NamePart>(text, kNameParts, "name_part",
                             "full, given, surname, patronymic, alias");
}

std::string_view PrivacyName(Privacy privacy) {
  switch (privacy) {
    case Privacy::kPublic: return "public";
    case Privacy::kRestricted: return "restricted";
    case Privacy::kPrivate: return "private";
  }
  return "restricted";
}

Result<Privacy> ParsePrivacy(std::string_view text) {
  return ParseEnum<Privacy>(text, kPrivacies, "privacy", "public, restricted, private");
}

std::string_view GradeName(Grade grade) {
  switch (grade) {
    case Grade::kUngraded: return "ungraded";
    case Grade::kReported: return "reported";
    case Grade::kCorroborated: return "corroborated";
    case Grade::kDocumented: return "documented";
  }
  return "ungraded";
}

Result<Grade> ParseGrade(std::string_view text) {
  return ParseEnum<Grade>(text, kGrades, "grade",
                          "ungraded, reported, corroborated, documented");
}

}  // namespace izde::registry
