#include <fmt/format.h>

#include <array>
#include <string>
#include <string_view>

#include "store/postgres/pg_connection.h"

namespace izde::store::internal {
namespace {

// The SQLite migrations (store/sqlite/migrations.cc), one for one, in PostgreSQL's dialect:
// migration N here brings a database to the same schema version N. BIGSERIAL for the
// AUTOINCREMENT ids (its sequence never hands out an id twice), BIGINT for INTEGER, BOOLEAN
// for flags. Never edit a released migration: add the next one, in both files.
constexpr std::array<std::string_view, 6> kMigrations = {
    R"sql(
CREATE TABLE persons (
  id BIGSERIAL PRIMARY KEY,
  external_id TEXT UNIQUE,
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  birth_from BIGINT,
  birth_to BIGINT,
  ethnicity TEXT NOT NULL,
  hometown_code TEXT NOT NULL,
  hometown_text TEXT NOT NULL,
  occupation TEXT NOT NULL,
  prc_id TEXT NOT NULL,
  privacy TEXT NOT NULL,
  grade TEXT NOT NULL,
  notes TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE person_names (
  person_id BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  text TEXT NOT NULL,
  script TEXT NOT NULL,
  part TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (person_id, position)
);
CREATE TABLE testimonies (
  id BIGSERIAL PRIMARY KEY,
  external_id TEXT UNIQUE,
  testifier_name TEXT NOT NULL,
  testifier_contact TEXT NOT NULL,
  date TEXT NOT NULL,
  language TEXT NOT NULL,
  medium TEXT NOT NULL,
  summary TEXT NOT NULL,
  transcript TEXT NOT NULL,
  link TEXT NOT NULL,
  consent TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE mentions (
  testimony_id BIGINT NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
  position BIGINT NOT NULL,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  relation TEXT NOT NULL,
  PRIMARY KEY (testimony_id, position)
);
CREATE INDEX mentions_person ON mentions(person_id);
CREATE TABLE events (
  id BIGSERIAL PRIMARY KEY,
  person_id BIGINT NOT NULL REFERENCES persons(id),
  type TEXT NOT NULL,
  date TEXT NOT NULL,
  date_from BIGINT,
  date_to BIGINT,
  place_code TEXT NOT NULL,
  place_text TEXT NOT NULL,
  testimony_id BIGINT REFERENCES testimonies(id),
  source TEXT NOT NULL,
  note TEXT NOT NULL,
  version BIGINT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX events_person ON events(person_id);
CREATE INDEX events_testimony ON events(testimony_id);
CREATE TABLE relations (
  id BIGSERIAL PRIMARY KEY,
  from_person BIGINT NOT NULL REFERENCES persons(id),
  to_person BIGINT NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX relations_from ON relations(from_person);
CREATE INDEX relations_to ON relations(to_person);
CREATE TABLE audit (
  id BIGSERIAL PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  entity TEXT NOT NULL,
  person TEXT NOT NULL,
  before TEXT NOT NULL,
  after TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX audit_entity ON audit(entity);
CREATE INDEX audit_person ON audit(person) WHERE person <> '';
)sql",
    // 2: most events have no source testimony: index only those that do (bulk imports
    // write one index entry less per event).
    R"sql(
DROP INDEX events_testimony;
CREATE INDEX events_testimony ON events(testimony_id) WHERE testimony_id IS NOT NULL;
)sql",
    // 3: record linkage: the dedupe review queue, judgements (edges, never edits of persons),
    // external lists with their rows, candidates and row judgements.
    R"sql(
CREATE TABLE candidate_pairs (
  id BIGSERIAL PRIMARY KEY,
  person_a BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  person_b BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  score DOUBLE PRECISION NOT NULL,
  explanation TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (person_a, person_b),
  CHECK (person_a < person_b)
);
CREATE INDEX candidate_pairs_b ON candidate_pairs(person_b);
CREATE TABLE judgements (
  id BIGSERIAL PRIMARY KEY,
  person_a BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  person_b BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  verdict TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL,
  undone_at TEXT NOT NULL,
  undone_note TEXT NOT NULL,
  CHECK (person_a < person_b)
);
CREATE INDEX judgements_pair ON judgements(person_a, person_b);
CREATE INDEX judgements_b ON judgements(person_b);
CREATE TABLE lists (
  id BIGSERIAL PRIMARY KEY,
  title TEXT NOT NULL,
  source_file TEXT NOT NULL,
  column_map TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE list_rows (
  id BIGSERIAL PRIMARY KEY,
  list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  line BIGINT NOT NULL,
  fields TEXT NOT NULL
);
CREATE INDEX list_rows_list ON list_rows(list_id, line);
CREATE TABLE row_candidates (
  row_id BIGINT NOT NULL REFERENCES list_rows(id) ON DELETE CASCADE,
  rank BIGINT NOT NULL,
  person_id BIGINT NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  score DOUBLE PRECISION NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (row_id, rank)
);
CREATE INDEX row_candidates_person ON row_candidates(person_id);
CREATE TABLE row_judgements (
  id BIGSERIAL PRIMARY KEY,
  row_id BIGINT NOT NULL REFERENCES list_rows(id) ON DELETE CASCADE,
  person_id BIGINT REFERENCES persons(id) ON DELETE CASCADE,
  verdict TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX row_judgements_row ON row_judgements(row_id);
CREATE INDEX row_judgements_person ON row_judgements(person_id);
)sql",
    // 4: users and sessions of the server. Sessions keep only a hash of their token.
    R"sql(
CREATE TABLE users (
  id BIGSERIAL PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled BOOLEAN NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  revoked BOOLEAN NOT NULL,
  -- Orders sessions created in the same second (SQLite uses its rowid).
  seq BIGSERIAL NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
)sql",
    // 5: evidence files: the record here, the encrypted file in the vault (store/vault.h).
    R"sql(
CREATE TABLE evidence (
  id BIGSERIAL PRIMARY KEY,
  person_id BIGINT REFERENCES persons(id),
  testimony_id BIGINT REFERENCES testimonies(id),
  kind TEXT NOT NULL,
  media_type TEXT NOT NULL,
  original_name TEXT NOT NULL,
  size BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  blob TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  added_by TEXT NOT NULL,
  note TEXT NOT NULL,
  privacy TEXT NOT NULL,
  CHECK (person_id IS NOT NULL OR testimony_id IS NOT NULL)
);
CREATE INDEX evidence_person ON evidence(person_id);
CREATE INDEX evidence_testimony ON evidence(testimony_id);
)sql",
    // 6: the change sequence that servers follow (pg_changes.cc): one row per committed
    // transaction that wrote audit entries, its id taken under a lock at commit so that ids
    // grow in commit order (audit ids do not: they are taken when each entry is written).
    R"sql(
CREATE TABLE changes (
  id BIGSERIAL PRIMARY KEY,
  audit_ids BIGINT[] NOT NULL
);
)sql",
};

// Any constant shared by izde processes: the advisory lock that serialises migrations.
constexpr int64_t kMigrationLock = 0x697a6465;  // "izde"

}  // namespace

int PgLatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Result<int> PgSchemaVersion(pqxx::transaction_base& txn) {
  IZDE_ASSIGN_OR_RETURN(pqxx::result table,
                        Exec(txn, "SELECT to_regclass('izde_schema') IS NOT NULL"));
  if (!Bool(table[0], 0)) return 0;
  IZDE_ASSIGN_OR_RETURN(pqxx::result rows, Exec(txn, "SELECT max(version) FROM izde_schema"));
  return static_cast<int>(Int(rows[0], 0));
}

Status PgMigrate(ConnectionPool& pool, bool create) {
  IZDE_ASSIGN_OR_RETURN(PooledConnection connection, pool.Acquire());
  try {
    while (true) {
      pqxx::work txn(connection.get());
      IZDE_RETURN_IF_ERROR(
          Exec(txn, "SELECT pg_advisory_xact_lock($1)", Params().Int(kMigrationLock)).status());
      IZDE_ASSIGN_OR_RETURN(int version, PgSchemaVersion(txn));
      if (version > PgLatestSchemaVersion()) {
        return FailedPreconditionError(
            fmt::format("the database has schema version {}, newer than this program's {}; "
                        "upgrade izde",
                        version, PgLatestSchemaVersion()));
      }
      if (version == 0 && !create) {
        return FailedPreconditionError(
            fmt::format("'{}' is not an izde database (create one with `izde init`)",
                        pool.url().substr(0, pool.url().find('?'))));
      }
      if (version == PgLatestSchemaVersion()) return OkStatus();
      int next = version + 1;
      Status status = OkStatus();
      if (version == 0) {
        status = Exec(txn, "CREATE TABLE izde_schema (version INTEGER NOT NULL)").status();
      }
      if (status.ok()) {
        status = ExecScript(txn, std::string(kMigrations[static_cast<size_t>(next - 1)]));
      }
      if (status.ok()) {
        status =
            Exec(txn, "INSERT INTO izde_schema (version) VALUES ($1)", Params().Int(next)).status();
      }
      if (status.ok()) txn.commit();
      if (!status.ok())
        return status.WithContext(fmt::format("migration to schema version {}", next));
    }
  } catch (const std::exception& error) {
    return PgError(error, "migrating the schema");
  }
}

}  // namespace izde::store::internal
