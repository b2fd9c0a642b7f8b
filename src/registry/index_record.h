#ifndef IZDE_REGISTRY_INDEX_RECORD_H_
#define IZDE_REGISTRY_INDEX_RECORD_H_

#include <string>
#include <string_view>

#include "core/partial_date.h"
#include "match/candidate_index.h"
#include "match/scoring.h"
#include "registry/person.h"
#include "registry/places.h"

namespace izde::registry {

// The registry's records in the match layer's terms, for every caller that builds a
// candidate index or a query: `izde search`, `dedupe`, `match` and the server's catalog.

match::Gender MatchGender(Gender gender);

// The years a partial date admits; "about" widens it by one on each side.
match::YearRange YearsOf(const PartialDate& date);

// A place as typed (any script) or a division code; empty when the gazetteer does not know it.
std::string PlaceCode(const Gazetteer& places, std::string_view text);

// The division code of a person's hometown: the code, else the typed text where the gazetteer
// knows it (imports may leave a resolvable place as text).
std::string HometownCode(const Gazetteer& places, const Person& person);

// Every name form of the person, its birth years, hometown and gender.
match::IndexRecord IndexRecordOf(const Gazetteer& places, const Person& person);

// A scorer that compares hometowns by the gazetteer's prefectures. `places` must outlive it.
match::Scorer MakeScorer(const Gazetteer& places);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_INDEX_RECORD_H_
