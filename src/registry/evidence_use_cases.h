#ifndef IZDE_REGISTRY_EVIDENCE_USE_CASES_H_
#define IZDE_REGISTRY_EVIDENCE_USE_CASES_H_

// The use cases of evidence: add a file to a person or testimony, list, read back. Free
// functions over Registry, so that the Registry class stays as it is; like its methods, each
// write goes through one store transaction together with its audit entry.

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "registry/evidence.h"
#include "registry/registry.h"

namespace izde::registry {

// What a user gives when adding evidence; the rest is found in the content.
struct EvidenceDraft {
  int64_t person_id = 0;  // at least one of person_id and testimony_id
  int64_t testimony_id = 0;
  std::optional<EvidenceKind> kind;  // default: the kind of the detected media type
  std::string original_name;
  std::string note;
  Privacy privacy = Privacy::kRestricted;
};

// Reads `content` to its end, detects its type from its first bytes, stores it encrypted in
// `vault` and records it with the audit entry "evidence.create".
// kInvalidArgument (field "person"/"testimony"/"file") for a draft naming nothing, or an
// unknown or empty content; kNotFound when the person or testimony does not exist (checked
// before the content is read); kResourceExhausted over the vault's size limit. Nothing is
// left behind on failure: a file stored before a failed transaction is removed.
Result<Evidence> AddEvidence(Registry& registry, EvidenceVault& vault, EvidenceDraft draft,
                             std::istream& content, const Actor& actor);

// The evidence of a person (attached to it or to a testimony mentioning it), by id.
// kNotFound when the person does not exist.
Result<std::vector<Evidence>> EvidenceOfPerson(Registry& registry, int64_t person_id);

// Writes the content of evidence `id` to `out`. kDataLoss when the vault's file does not
// decrypt, or decrypts to other bytes than were recorded (size or sha256); `out` may then
// hold part of it, which the caller must discard.
Status ReadEvidence(Registry& registry, EvidenceVault& vault, int64_t id, std::ostream& out);

}  // namespace izde::registry

#endif  // IZDE_REGISTRY_EVIDENCE_USE_CASES_H_
