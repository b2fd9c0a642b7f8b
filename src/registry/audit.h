#ifndef IZDE_REGISTRY_AUDIT_H_
#define IZDE_REGISTRY_AUDIT_H_

#include <cstdint>
#include <string>

namespace izde::registry {

// One change, written in the same transaction as the change itself.
// `before` and `after` are JSON documents of the whole record (empty for create/delete),
// so that any change can be shown and reverted.
struct AuditEntry {
  int64_t id = 0;
  std::string at;       // ISO 8601 UTC, set by the store
  std::string actor;    // "cli:alice", "import:persons.csv", "system"
  std::string action;   // "person.create", "person.update", "event.create", "revert", ...
  std::string entity;   // public id of the record: "P-000123", "E-000004"
  std::string person;   // public id of the person the change concerns, if any: an event's
                        // person, so that a person's history shows its events' changes
  std::string before;   // JSON, "" when the record did not exist before
  std::string after;    // JSON, "" when the record does not exist after
  std::string note;     // free text: the import file, the reverted entry, ...
};

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_AUDIT_H_
