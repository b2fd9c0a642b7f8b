#ifndef IZDE_REGISTRY_TESTIMONY_H_
#define IZDE_REGISTRY_TESTIMONY_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/partial_date.h"
#include "core/result.h"

namespace izde::registry {

enum class Medium : uint8_t { kVideo, kLetter, kInterview, kDocument, kOther };

// What the testifier agreed to: publish as given, publish without identifying them, or
// keep private to the team.
enum class Consent : uint8_t { kPublish, kAnonymise, kPrivate };

// A person the testimony is about, and how the testifier is related to them
// ("son", "wife", "neighbour").
struct Mention {
  int64_t person_id = 0;
  std::string relation;
  friend bool operator==(const Mention&, const Mention&) = default;
};

struct Testimony {
  int64_t id = 0;
  std::string external_id;
  std::string testifier_name;      // private
  std::string testifier_contact;   // private: phone, address, messenger
  PartialDate date;
  std::string language;            // BCP 47: "kk", "ug", "ru", "zh", "en"
  Medium medium = Medium::kOther;
  std::string summary;
  std::string transcript;
  std::string link;
  Consent consent = Consent::kPrivate;
  std::vector<Mention> mentions;
  int64_t version = 0;
  std::string created_at;

  std::string public_id() const { return FormatId(IdKind::kTestimony, id); }
  friend bool operator==(const Testimony&, const Testimony&) = default;
};

std::string_view MediumName(Medium medium);  // "video", "letter", "interview", ...
Result<Medium> ParseMedium(std::string_view text);
std::string_view ConsentName(Consent consent);  // "publish", "anonymise", "private"
Result<Consent> ParseConsent(std::string_view text);  // also "anonymize"

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_TESTIMONY_H_
