#ifndef IZDE_REGISTRY_JSON_H_
#define IZDE_REGISTRY_JSON_H_

#include <nlohmann/json_fwd.hpp>

#include "core/result.h"
#include "registry/audit.h"
#include "registry/event.h"
#include "registry/person.h"
#include "registry/relation.h"
#include "registry/testimony.h"

namespace izde::registry {

// The JSON form of each record: public ids ("P-000123"), enum names, dates in their
// canonical text. Used by the audit trail (before/after), `--json` output and the API.
// FromJson(ToJson(x)) == x for every record; FromJson returns kInvalidArgument naming the
// field at fault for anything else.
nlohmann::json ToJson(const Person& person);
nlohmann::json ToJson(const Event& event);
nlohmann::json ToJson(const Testimony& testimony);
nlohmann::json ToJson(const Relation& relation);
nlohmann::json ToJson(const AuditEntry& entry);

Result<Person> PersonFromJson(const nlohmann::json& json);
Result<Event> EventFromJson(const nlohmann::json& json);
Result<Testimony> TestimonyFromJson(const nlohmann::json& json);
Result<Relation> RelationFromJson(const nlohmann::json& json);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_JSON_H_
