#include "registry/evidence_use_cases.h"

#include <fmt/format.h>

#include <istream>
#include <nlohmann/json.hpp>
#include <utility>

namespace izde::registry {

// Backends that keep no evidence (see store.h).
Result<Evidence> StoreReader::GetEvidence(int64_t) {
  return FailedPreconditionError("this store keeps no evidence");
}
Result<std::vector<Evidence>> StoreReader::EvidenceOfPerson(int64_t) {
  return FailedPreconditionError("this store keeps no evidence");
}
Result<int64_t> StoreReader::CountEvidence() { return int64_t{0}; }
Result<int64_t> StoreTransaction::InsertEvidence(const Evidence&) {
  return FailedPreconditionError("this store keeps no evidence");
}
Status StoreTransaction::DeleteEvidence(int64_t) {
  return FailedPreconditionError("this store keeps no evidence");
}

namespace {

// Reads up to `size` bytes: the part of the content the type is judged by.
std::string ReadHead(std::istream& in, size_t size) {
  std::string head(size, '\0');
  in.read(head.data(), static_cast<std::streamsize>(size));
  head.resize(static_cast<size_t>(in.gcount()));
  return head;
}

}  // namespace

Result<Evidence> AddEvidence(Registry& registry, EvidenceVault& vault, EvidenceDraft draft,
                             std::istream& content, const Actor& actor) {
  if (draft.person_id == 0 && draft.testimony_id == 0) {
    return InvalidArgumentError("evidence belongs to a person or a testimony; name one", "person");
  }
  // Check what can be checked before the (possibly large) file is encrypted.
  if (draft.person_id != 0) {
    IZDE_RETURN_IF_ERROR(registry.store().GetPerson(draft.person_id).status());
  }
  if (draft.testimony_id != 0) {
    IZDE_RETURN_IF_ERROR(registry.store().GetTestimony(draft.testimony_id).status());
  }
  const std::string head = ReadHead(content, kMediaSniffBytes);
  if (content.bad()) return UnavailableError("cannot read the file");
  IZDE_ASSIGN_OR_RETURN(MediaType type, DetectMediaType(head));

  Evidence evidence;
  evidence.person_id = draft.person_id;
  evidence.testimony_id = draft.testimony_id;
  evidence.kind = draft.kind.value_or(type.kind);
  evidence.media_type = std::string(type.name);
  evidence.original_name = std::move(draft.original_name);
  evidence.note = std::move(draft.note);
  evidence.privacy = draft.privacy;
  evidence.added_by = actor.name;

  IZDE_ASSIGN_OR_RETURN(EvidenceVault::Stored stored, vault.Put(head, content));
  evidence.blob = stored.blob;
  evidence.size = stored.size;
  evidence.sha256 = stored.sha256;

  // The file is in the vault; the record and its audit entry commit together, or the file
  // goes again (an orphan file would hold data nobody can see or delete).
  Result<Evidence> recorded = [&]() -> Result<Evidence> {
    IZDE_ASSIGN_OR_RETURN(auto txn, registry.store().Begin());
    IZDE_ASSIGN_OR_RETURN(evidence.id, txn->InsertEvidence(evidence));
    IZDE_ASSIGN_OR_RETURN(Evidence saved, txn->GetEvidence(evidence.id));
    IZDE_RETURN_IF_ERROR(
        txn->AppendAudit({.actor = actor.name,
                          .action = "evidence.create",
                          .entity = saved.public_id(),
                          .person = saved.person_id == 0
                                        ? std::string()
                                        : FormatId(IdKind::kPerson, saved.person_id),
                          .after = ToJson(saved).dump()})
            .status());
    IZDE_RETURN_IF_ERROR(txn->Commit());
    return saved;
  }();
  if (!recorded.ok()) vault.Remove(stored.blob).IgnoreError();
  return recorded;
}

Result<std::vector<Evidence>> EvidenceOfPerson(Registry& registry, int64_t person_id) {
  IZDE_RETURN_IF_ERROR(registry.store().GetPerson(person_id).status());
  return registry.store().EvidenceOfPerson(person_id);
}

Status ReadEvidence(Registry& registry, EvidenceVault& vault, int64_t id, std::ostream& out) {
  IZDE_ASSIGN_OR_RETURN(Evidence evidence, registry.store().GetEvidence(id));
  IZDE_ASSIGN_OR_RETURN(EvidenceVault::Stored read, vault.Get(evidence.blob, out));
  if (read.size != evidence.size || read.sha256 != evidence.sha256) {
    return DataLossError(fmt::format(
        "{}: the vault's file decrypts to {} bytes with sha256 {}, but {} bytes with sha256 {} "
        "were recorded; it was replaced",
        evidence.public_id(), read.size, read.sha256, evidence.size, evidence.sha256));
  }
  return OkStatus();
}

}  // namespace izde::registry
