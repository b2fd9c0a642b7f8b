#ifndef IZDE_HTTP_SEARCH_JSON_H_
#define IZDE_HTTP_SEARCH_JSON_H_

// The search page's JSON written as text, without building an nlohmann tree first: the tree
// and its dump were about a tenth of a search's CPU at 1M persons outside the index
// (docs/server.md, "Throughput"). The text is byte for byte what the tree's
// dump(-1, ' ', false, error_handler_t::replace) gives: keys in the tree's (sorted) order,
// numbers and strings as nlohmann writes them (tests/http/search_json_test.cc holds them
// together). Private to http/.

#include <string>
#include <string_view>
#include <vector>

#include "auth/role.h"
#include "http/name_forms.h"
#include "match/scoring.h"
#include "registry/person.h"

namespace izde::http {

// `text` as a JSON string: verbatim when it is well-formed UTF-8 with nothing to escape,
// else as nlohmann escapes it (an ill-formed sequence becomes U+FFFD).
void AppendJsonString(std::string& out, std::string_view text);
// `value` as nlohmann writes a double: shortest round trip ("0.5", "1.0", "1e-05"); null when
// not finite.
void AppendJsonDouble(std::string& out, double value);

// What a signed-in caller sees beyond the summary in a search result row.
struct SearchRowDetail {
  const std::string& matched_name;
  const NameForm& name_in_script;
  const std::vector<match::FieldWeight>& explanation;
};

// One row of GET /api/search: RedactedSummaryJson(redacted, status, role) (views.h) with
// "score", and, with `detail`, "matched_name", "name_in_script" and "explanation".
void AppendSearchRow(std::string& out, const registry::Person& redacted, std::string_view status,
                     auth::Role role, double score, const SearchRowDetail* detail);

}  // namespace izde::http

#endif  // IZDE_HTTP_SEARCH_JSON_H_
