#include "store/sqlite/sqlite_evidence.h"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

namespace izde::store::internal {
namespace {

using registry::Evidence;

constexpr std::string_view kColumns =
    "id, person_id, testimony_id, kind, media_type, original_name, size, sha256, blob, "
    "created_at, added_by, note, privacy";

Result<Evidence> ReadEvidence(const Statement& row) {
  Evidence evidence;
  evidence.id = row.Int(0);
  evidence.person_id = row.Int(1);
  evidence.testimony_id = row.Int(2);
  auto stored = [&](auto parsed, const char* column) {
    if (!parsed.ok()) {
      return Status(StatusCode::kDataLoss,
                    fmt::format("evidence row {}: stored {} does not parse: {}", evidence.id,
                                column, parsed.status().message()));
    }
    return OkStatus();
  };
  Result<registry::EvidenceKind> kind = registry::ParseEvidenceKind(row.Text(3));
  IZDE_RETURN_IF_ERROR(stored(kind, "kind"));
  evidence.kind = *kind;
  evidence.media_type = row.Text(4);
  evidence.original_name = row.Text(5);
  evidence.size = row.Int(6);
  evidence.sha256 = row.Text(7);
  evidence.blob = row.Text(8);
  evidence.created_at = row.Text(9);
  evidence.added_by = row.Text(10);
  evidence.note = row.Text(11);
  Result<registry::Privacy> privacy = registry::ParsePrivacy(row.Text(12));
  IZDE_RETURN_IF_ERROR(stored(privacy, "privacy"));
  evidence.privacy = *privacy;
  return evidence;
}

Result<std::vector<Evidence>> ReadAll(Statement& stmt) {
  std::vector<Evidence> out;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) break;
    IZDE_ASSIGN_OR_RETURN(Evidence evidence, ReadEvidence(stmt));
    out.push_back(std::move(evidence));
  }
  return out;
}

}  // namespace

Result<Evidence> GetEvidence(SqliteConnection& connection, int64_t id) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare(fmt::format(
                                            "SELECT {} FROM evidence WHERE id = ?", kColumns)));
  stmt.Bind(1, id);
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  if (!row) return NotFoundError(fmt::format("no evidence {}", FormatId(IdKind::kEvidence, id)));
  return ReadEvidence(stmt);
}

Result<std::vector<Evidence>> EvidenceOfPerson(SqliteConnection& connection, int64_t person_id) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt,
                        connection.Prepare(fmt::format(
                            "SELECT {} FROM evidence WHERE person_id = ?1 OR testimony_id IN "
                            "(SELECT testimony_id FROM mentions WHERE person_id = ?1) ORDER BY id",
                            kColumns)));
  stmt.Bind(1, person_id);
  return ReadAll(stmt);
}

Result<int64_t> CountEvidence(SqliteConnection& connection) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare("SELECT count(*) FROM evidence"));
  IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
  return row ? stmt.Int(0) : 0;
}

Result<int64_t> InsertEvidence(SqliteConnection& connection, const Evidence& evidence) {
  if (evidence.person_id == 0 && evidence.testimony_id == 0) {
    return InvalidArgumentError("evidence belongs to a person or a testimony", "person");
  }
  // The foreign keys would refuse a missing person too, with a message naming no record.
  if (evidence.person_id != 0) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare("SELECT 1 FROM persons WHERE id = ?"));
    stmt.Bind(1, evidence.person_id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      return NotFoundError(
          fmt::format("no person {}", FormatId(IdKind::kPerson, evidence.person_id)));
    }
  }
  if (evidence.testimony_id != 0) {
    IZDE_ASSIGN_OR_RETURN(Statement stmt,
                          connection.Prepare("SELECT 1 FROM testimonies WHERE id = ?"));
    stmt.Bind(1, evidence.testimony_id);
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (!row) {
      return NotFoundError(
          fmt::format("no testimony {}", FormatId(IdKind::kTestimony, evidence.testimony_id)));
    }
  }
  IZDE_ASSIGN_OR_RETURN(
      Statement stmt,
      connection.Prepare(
          fmt::format("INSERT INTO evidence ({}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", kColumns)));
  std::string created_at = evidence.created_at;
  if (created_at.empty()) {
    auto now = std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
    created_at = fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", now);
  }
  stmt.BindIdOrNull(1, evidence.id)
      .BindIdOrNull(2, evidence.person_id)
      .BindIdOrNull(3, evidence.testimony_id)
      .Bind(4, registry::EvidenceKindName(evidence.kind))
      .Bind(5, evidence.media_type)
      .Bind(6, evidence.original_name)
      .Bind(7, evidence.size)
      .Bind(8, evidence.sha256)
      .Bind(9, evidence.blob)
      .Bind(10, created_at)
      .Bind(11, evidence.added_by)
      .Bind(12, evidence.note)
      .Bind(13, registry::PrivacyName(evidence.privacy));
  IZDE_RETURN_IF_ERROR(stmt.Run());
  return sqlite3_last_insert_rowid(connection.db());
}

Status DeleteEvidence(SqliteConnection& connection, int64_t id) {
  IZDE_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare("DELETE FROM evidence WHERE id = ?"));
  stmt.Bind(1, id);
  IZDE_RETURN_IF_ERROR(stmt.Run());
  if (sqlite3_changes(connection.db()) == 0) {
    return NotFoundError(fmt::format("no evidence {}", FormatId(IdKind::kEvidence, id)));
  }
  return OkStatus();
}

}  // namespace izde::store::internal
