#ifndef IZDE_REGISTRY_PRC_ID_H_
#define IZDE_REGISTRY_PRC_ID_H_

#include <string>
#include <string_view>
#include <vector>

#include "core/partial_date.h"
#include "core/result.h"
#include "registry/person.h"
#include "registry/places.h"

namespace izde::registry {

// What an 18-character PRC resident identity number encodes (GB 11643-1999).
struct PrcId {
  std::string number;        // normalised: upper-case X
  std::string region_code;   // first 6 digits: the county of first registration
  DatePoint birth_date;      // digits 7-14
  Gender gender = Gender::kUnknown;  // digit 17: odd male, even female
};

// Checks, in this order, length ("length 17, expected 18"), characters (17 digits, then a
// digit or X/x), the ISO 7064 MOD 11-2 check digit ("check digit is 5, expected X"), the
// province part of the region code, and the embedded birth date ("birth date 19741341 is
// not a date"; years kMinYear..kMaxYear). Each failure is kInvalidArgument with field
// "prc_id". Surrounding ASCII whitespace is ignored. The region code is not looked up: an
// ID keeps the code of its first registration, which may since have been retired.
Result<PrcId> ParsePrcId(std::string_view text);

// Human-readable warnings when a valid PRC ID disagrees with the rest of the entry:
//   - the birth date, at the precision of the entry's date (an "about" year allows a year
//     either side, a range its whole span): "PRC ID says born 1974-04-12, entry says 1975";
//   - the gender, when the entry has one: "PRC ID says male, entry says female";
//   - a Xinjiang region code `places` does not know (perhaps a retired one);
//   - a Xinjiang hometown_code in another prefecture than the ID's region code, naming
//     both. Counties of one prefecture are not compared (people move within a prefecture),
//     nor is 6590, which groups Corps cities lying inside other prefectures.
// Empty when everything agrees or nothing can be compared.
std::vector<std::string> PrcIdWarnings(const Person& person, const PrcId& id,
                                       const Gazetteer& places);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_PRC_ID_H_
