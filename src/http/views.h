#ifndef IZDE_HTTP_VIEWS_H_
#define IZDE_HTTP_VIEWS_H_

#include <nlohmann/json_fwd.hpp>
#include <string_view>

#include "auth/role.h"
#include "core/result.h"
#include "registry/audit.h"
#include "registry/person.h"
#include "registry/registry.h"
#include "registry/store.h"
#include "registry/testimony.h"

namespace izde::http {

// The only functions that turn records into API responses. What a role may see is decided
// by the one redaction policy (auth/redaction.h, docs/privacy.md), which exports and
// statistics use too; `store` lets it look up what a testimony's mentions may show.

// False when `role` may not see that the person exists (a non-public entry for the public,
// a private one for a viewer); handlers answer 404 then, as for a missing record.
bool PersonVisible(const registry::Person& person, auth::Role role, registry::StoreReader& store);

// A whole record: the person, its status, events, testimonies, relations (and warnings for
// editors), each redacted. kNotFound when the role may not see the person. What the policy
// asks of the record's own person is answered from the record, not read again from `store`
// (auth::Redactor::View of a record).
Result<nlohmann::json> PersonJson(const registry::PersonRecord& record, auth::Role role,
                                  registry::StoreReader& store);

// One row of a list or search result, from the redacted person; null when withheld.
nlohmann::json PersonSummaryJson(const registry::Person& person, std::string_view status,
                                 auth::Role role, registry::StoreReader& store);
// The same row from a person already redacted for `role` (auth::Redactor::Redact): a page
// of results redacts each person once and reads nothing more.
nlohmann::json RedactedSummaryJson(const registry::Person& redacted, std::string_view status,
                                   auth::Role role);

// kNotFound when the role may not see the testimony.
Result<nlohmann::json> TestimonyJson(const registry::Testimony& testimony, auth::Role role,
                                     registry::StoreReader& store);

// An audit entry: before/after copies of records only for editors and above, who may see
// every field anyway; others see who did what, when.
nlohmann::json AuditJson(const registry::AuditEntry& entry, auth::Role role);

}  // namespace izde::http

#endif  // IZDE_HTTP_VIEWS_H_
