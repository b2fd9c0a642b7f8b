#include "store/postgres/pg_evidence.h"

#include <fmt/format.h>

#include "core/ids.h"
#include "store/postgres/pg_connection.h"
#include "store/row_values.h"

namespace izde::store::internal {
namespace {

using registry::Evidence;

constexpr std::string_view kColumns =
    "id, person_id, testimony_id, kind, media_type, original_name, size, sha256, blob, "
    "created_at, added_by, note, privacy";

Result<Evidence> ReadEvidence(const pqxx::row& row) {
  Evidence evidence;
  evidence.id = Int(row, 0);
  evidence.person_id = Int(row, 1);
  evidence.testimony_id = Int(row, 2);
  auto stored = [&](const Status& parsed, const char* column) {
    if (parsed.ok()) return OkStatus();
    return DataLossError(fmt::format("evidence row {}: stored {} does not parse: {}", evidence.id,
                                     column, parsed.message()));
  };
  Result<registry::EvidenceKind> kind = registry::ParseEvidenceKind(Text(row, 3));
  IZDE_RETURN_IF_ERROR(stored(kind.status(), "kind"));
  evidence.kind = *kind;
  evidence.media_type = Text(row, 4);
  evidence.original_name = Text(row, 5);
  evidence.size = Int(row, 6);
  evidence.sha256 = Text(row, 7);
  evidence.blob = Text(row, 8);
  evidence.created_at = Text(row, 9);
  evidence.added_by = Text(row, 10);
  evidence.note = Text(row, 11);
  Result<registry::Privacy> privacy = registry::ParsePrivacy(Text(row, 12));
  IZDE_RETURN_IF_ERROR(stored(privacy.status(), "privacy"));
  evidence.privacy = *privacy;
  return evidence;
}

Status Exists(pqxx::transaction_base& txn, std::string_view table, IdKind kind, int64_t id,
              std::string_view what) {
  IZDE_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Exec(txn, fmt::format("SELECT 1 FROM {} WHERE id = $1", table), Params().Int(id)));
  if (rows.empty()) return NotFoundError(fmt::format("no {} {}", what, FormatId(kind, id)));
  return OkStatus();
}

}  // namespace

Result<Evidence> PgGetEvidence(pqxx::transaction_base& txn, int64_t id) {
  IZDE_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Exec(txn, fmt::format("SELECT {} FROM evidence WHERE id = $1", kColumns), Params().Int(id)));
  if (rows.empty()) {
    return NotFoundError(fmt::format("no evidence {}", FormatId(IdKind::kEvidence, id)));
  }
  return ReadEvidence(rows[0]);
}

Result<std::vector<Evidence>> PgEvidenceOfPerson(pqxx::transaction_base& txn, int64_t person_id) {
  IZDE_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Exec(txn,
           fmt::format("SELECT {} FROM evidence WHERE person_id = $1 OR testimony_id IN "
                       "(SELECT testimony_id FROM mentions WHERE person_id = $1) ORDER BY id",
                       kColumns),
           Params().Int(person_id)));
  std::vector<Evidence> out;
  for (const pqxx::row& row : rows) {
    IZDE_ASSIGN_OR_RETURN(Evidence evidence, ReadEvidence(row));
    out.push_back(std::move(evidence));
  }
  return out;
}

Result<int64_t> PgCountEvidence(pqxx::transaction_base& txn) {
  IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(txn, "SELECT count(*) FROM evidence"));
  return Int(rows[0], 0);
}

Result<int64_t> PgInsertEvidence(pqxx::transaction_base& txn, const Evidence& evidence) {
  if (evidence.person_id == 0 && evidence.testimony_id == 0) {
    return InvalidArgumentError("evidence belongs to a person or a testimony", "person");
  }
  // The foreign keys would refuse a missing person too, with a message naming no record.
  if (evidence.person_id != 0) {
    IZDE_RETURN_IF_ERROR(Exists(txn, "persons", IdKind::kPerson, evidence.person_id, "person"));
  }
  if (evidence.testimony_id != 0) {
    IZDE_RETURN_IF_ERROR(
        Exists(txn, "testimonies", IdKind::kTestimony, evidence.testimony_id, "testimony"));
  }
  IZDE_ASSIGN_OR_RETURN(
      pqxx::result rows,
      Exec(
          txn,
          fmt::format("INSERT INTO evidence ({}) VALUES (COALESCE($1, nextval('evidence_id_seq')), "
                      "$2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
                      kColumns),
          Params()
              .IdOrNull(evidence.id)
              .IdOrNull(evidence.person_id)
              .IdOrNull(evidence.testimony_id)
              .Text(registry::EvidenceKindName(evidence.kind))
              .Text(evidence.media_type)
              .Text(evidence.original_name)
              .Int(evidence.size)
              .Text(evidence.sha256)
              .Text(evidence.blob)
              .Text(evidence.created_at.empty() ? NowIso() : evidence.created_at)
              .Text(evidence.added_by)
              .Text(evidence.note)
              .Text(registry::PrivacyName(evidence.privacy))));
  int64_t id = Int(rows[0], 0);
  if (evidence.id != 0) {
    // An evidence record restored with its id moves the sequence past it.
    IZDE_RETURN_IF_ERROR(
        Exec(txn,
             "SELECT setval('evidence_id_seq', GREATEST($1::bigint, (SELECT CASE WHEN "
             "is_called THEN last_value ELSE 0 END FROM evidence_id_seq)))",
             Params().Int(evidence.id))
            .status());
  }
  return id;
}

Status PgDeleteEvidence(pqxx::transaction_base& txn, int64_t id) {
  IZDE_ASSIGN_OR_RETURN(pqxx::result rows,
                        Exec(txn, "DELETE FROM evidence WHERE id = $1", Params().Int(id)));
  if (rows.affected_rows() == 0) {
    return NotFoundError(fmt::format("no evidence {}", FormatId(IdKind::kEvidence, id)));
  }
  return OkStatus();
}

}  // namespace izde::store::internal
