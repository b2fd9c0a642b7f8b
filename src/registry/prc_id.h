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

// Checks length, characters, the ISO 7064 MOD 11-2 check digit, the province part of the
// region code and the embedded birth date. kInvalidArgument (field "prc_id") says which.
Result<PrcId> ParsePrcId(std::string_view text);

// Warnings when a valid PRC ID disagrees with the rest of the entry: birth date, gender,
// or a hometown in another county/prefecture than the ID's region code.
std::vector<std::string> PrcIdWarnings(const Person& person, const PrcId& id,
                                       const Gazetteer& places);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_PRC_ID_H_
