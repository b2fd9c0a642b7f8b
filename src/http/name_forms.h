#ifndef IZDE_HTTP_NAME_FORMS_H_
#define IZDE_HTTP_NAME_FORMS_H_

// The name forms the API adds to what is stored: the form of a search result in the searcher's
// script, and the generated Chinese-character spellings a person page marks as such
// (docs/server.md). Private to http/.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "registry/person.h"

namespace izde::http {

// The name of `person` that best fits the script of `query`:
//   the matched form when it is written in that script, else the person's first stored name
//   in that script, else one generated for it (Han: the best Chinese variant, Latin: the
//   primary name's first Latin reading, Arabic: the Uyghur Arabic spelling of that reading),
//   else the primary name.
// {"text": "吐尔逊·买买提", "script": "han", "generated": true}. A query of mixed or unknown
// script gives the matched form (or the primary name).
nlohmann::json NameInQueryScript(const registry::Person& person, std::string_view query,
                                 const std::string& matched_name);

// The likely Chinese-character spellings of the person's first non-Han name, best first, at
// most `max_variants`, or none when the person already has a Han name or no name gives any:
// [{"text": "努尔兰", "score": 0.8, "from": "Nurlan"}]. Never stored: the person page shows them
// as "generated, not from a source".
nlohmann::json GeneratedChineseNames(const registry::Person& person, size_t max_variants = 3);

}  // namespace izde::http

#endif  // IZDE_HTTP_NAME_FORMS_H_
