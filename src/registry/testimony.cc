#include "registry/testimony.h"

#include <array>

#include "registry/internal/enum_names.h"

namespace izde::registry {
namespace {

constexpr std::array<std::pair<std::string_view, Medium>, 7> kMedia = {{
    {"video", Medium::kVideo}, {"letter", Medium::kLetter}, {"interview", Medium::kInterview},
    {"document", Medium::kDocument}, {"other", Medium::kOther}, {"", Medium::kOther},
    {"audio", Medium::kInterview},
}};

constexpr std::array<std::pair<std::string_view, Consent>, 5> kConsents = {{
    {"publish", Consent::kPublish}, {"anonymise", Consent::kAnonymise},
    {"anonymize", Consent::kAnonymise}, {"private", Consent::kPrivate}, {"", Consent::kPrivate},
}};

}  // namespace

std::string_view MediumName(Medium medium) {
  switch (medium) {
    case Medium::kVideo: return "video";
    case Medium::kLetter: return "letter";
    case Medium::kInterview: return "interview";
    case Medium::kDocument: return "document";
    case Medium::kOther: return "other";
  }
  return "other";
}

Result<Medium> ParseMedium(std::string_view text) {
  return internal::ParseEnum<Medium>(text, kMedia, "medium",
                                     "video, letter, interview, document, other");
}

std::string_view ConsentName(Consent consent) {
  switch (consent) {
    case Consent::kPublish: return "publish";
    case Consent::kAnonymise: return "anonymise";
    case Consent::kPrivate: return "private";
  }
  return "private";
}

Result<Consent> ParseConsent(std::string_view text) {
  return internal::ParseEnum<Consent>(text, kConsents, "consent", "publish, anonymise, private");
}

}  // namespace izde::registry
