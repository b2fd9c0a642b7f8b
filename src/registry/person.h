#ifndef IZDE_REGISTRY_PERSON_H_
#define IZDE_REGISTRY_PERSON_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/partial_date.h"
#include "core/result.h"
#include "names/script.h"

namespace izde::registry {

enum class Gender : uint8_t { kUnknown, kMale, kFemale };

// Which part of a person's name a PersonName holds.
enum class NamePart : uint8_t { kFull, kGiven, kSurname, kPatronymic, kAlias };

// Who may see an entry. kPublic entries appear (redacted) in public exports and views;
// kRestricted ones only to the team; kPrivate ones only to editors and above.
enum class Privacy : uint8_t { kPublic, kRestricted, kPrivate };

// How well an entry is documented, set by reviewers.
//   kUngraded: nobody looked yet; kReported: one unconfirmed source;
//   kCorroborated: two independent sources; kDocumented: documentary evidence (ID, verdict).
enum class Grade : uint8_t { kUngraded, kReported, kCorroborated, kDocumented };

// One written form of a name: "Серікжан Біләш" (cyrillic, full, "testimony T-000004").
struct PersonName {
  std::string text;
  names::Script script = names::Script::kUnknown;
  NamePart part = NamePart::kFull;
  std::string source;  // where this form comes from: "import", "demo", "T-000004", ...

  friend bool operator==(const PersonName&, const PersonName&) = default;
};

struct Person {
  int64_t id = 0;                  // 0 until stored; the public id is FormatId(kPerson, id)
  std::string external_id;         // the id in the source this entry came from, if any
  std::vector<PersonName> names;   // names[0] is the primary (display) name
  Gender gender = Gender::kUnknown;
  PartialDate birth_date;
  std::string ethnicity;           // one of Ethnicities(), or empty
  std::string hometown_code;       // admin division code ("654002"), empty if unresolved
  std::string hometown_text;       // the hometown as typed ("Ghulja, Dadamtu")
  std::string occupation;
  std::string prc_id;              // 18-character resident ID number; private
  Privacy privacy = Privacy::kRestricted;
  Grade grade = Grade::kUngraded;
  std::string notes;               // private notes
  int64_t version = 0;             // incremented by every update (optimistic concurrency)
  std::string created_at;          // ISO 8601 UTC, set by the store
  std::string updated_at;

  std::string public_id() const { return FormatId(IdKind::kPerson, id); }
  const std::string& display_name() const;

  friend bool operator==(const Person&, const Person&) = default;
};

// Canonical ethnicity codes: "kazakh", "uyghur", "kyrgyz", "uzbek", "tatar", "hui", "han",
// "mongol", "tajik", "xibe", "other".
const std::vector<std::string_view>& Ethnicities();
// Maps what people type ("Kazakh", "қазақ", "казах", "哈萨克族", "uighur") to a code.
Result<std::string> ParseEthnicity(std::string_view text);

std::string_view GenderName(Gender gender);       // "unknown", "male", "female"
Result<Gender> ParseGender(std::string_view text);  // also "m", "f", "ер", "әйел", "男", "女"
std::string_view NamePartName(NamePart part);     // "full", "given", "surname", ...
Result<NamePart> ParseNamePart(std::string_view text);
std::string_view PrivacyName(Privacy privacy);    // "public", "restricted", "private"
Result<Privacy> ParsePrivacy(std::string_view text);
std::string_view GradeName(Grade grade);          // "ungraded", "reported", ...
Result<Grade> ParseGrade(std::string_view text);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_PERSON_H_
