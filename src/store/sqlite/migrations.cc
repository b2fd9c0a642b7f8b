#include <fmt/format.h>

#include <array>
#include <string_view>

#include "store/sqlite/connection.h"

namespace izde::store::internal {
namespace {

// Migration N brings a database from schema version N-1 to N. Never edit a released
// migration: add the next one. Enum values are stored as their names, so that the file
// reads without the program and enum order can change.
constexpr std::array<std::string_view, 6> kMigrations = {
    R"sql(
CREATE TABLE persons (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  external_id TEXT UNIQUE,
  gender TEXT NOT NULL,
  birth_date TEXT NOT NULL,
  birth_from INTEGER,
  birth_to INTEGER,
  ethnicity TEXT NOT NULL,
  hometown_code TEXT NOT NULL,
  hometown_text TEXT NOT NULL,
  occupation TEXT NOT NULL,
  prc_id TEXT NOT NULL,
  privacy TEXT NOT NULL,
  grade TEXT NOT NULL,
  notes TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE person_names (
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  text TEXT NOT NULL,
  script TEXT NOT NULL,
  part TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY (person_id, position)
) WITHOUT ROWID;
CREATE TABLE testimonies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE mentions (
  testimony_id INTEGER NOT NULL REFERENCES testimonies(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  relation TEXT NOT NULL,
  PRIMARY KEY (testimony_id, position)
) WITHOUT ROWID;
CREATE INDEX mentions_person ON mentions(person_id);
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER NOT NULL REFERENCES persons(id),
  type TEXT NOT NULL,
  date TEXT NOT NULL,
  date_from INTEGER,
  date_to INTEGER,
  place_code TEXT NOT NULL,
  place_text TEXT NOT NULL,
  testimony_id INTEGER REFERENCES testimonies(id),
  source TEXT NOT NULL,
  note TEXT NOT NULL,
  version INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX events_person ON events(person_id);
CREATE INDEX events_testimony ON events(testimony_id);
CREATE TABLE relations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  from_person INTEGER NOT NULL REFERENCES persons(id),
  to_person INTEGER NOT NULL REFERENCES persons(id),
  kind TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX relations_from ON relations(from_person);
CREATE INDEX relations_to ON relations(to_person);
CREATE TABLE audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
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
CREATE INDEX audit_person ON audit(person) WHERE person != '';
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
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_a INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  person_b INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  score REAL NOT NULL,
  explanation TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (person_a, person_b),
  CHECK (person_a < person_b)
);
CREATE INDEX candidate_pairs_b ON candidate_pairs(person_b);
CREATE TABLE judgements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_a INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  person_b INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
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
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  title TEXT NOT NULL,
  source_file TEXT NOT NULL,
  column_map TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE list_rows (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
  line INTEGER NOT NULL,
  fields TEXT NOT NULL
);
CREATE INDEX list_rows_list ON list_rows(list_id, line);
CREATE TABLE row_candidates (
  row_id INTEGER NOT NULL REFERENCES list_rows(id) ON DELETE CASCADE,
  rank INTEGER NOT NULL,
  person_id INTEGER NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
  score REAL NOT NULL,
  explanation TEXT NOT NULL,
  PRIMARY KEY (row_id, rank)
) WITHOUT ROWID;
CREATE INDEX row_candidates_person ON row_candidates(person_id);
CREATE TABLE row_judgements (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  row_id INTEGER NOT NULL REFERENCES list_rows(id) ON DELETE CASCADE,
  person_id INTEGER REFERENCES persons(id) ON DELETE CASCADE,
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
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  csrf_token TEXT NOT NULL,
  address TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
)sql",
    // 5: evidence files: the record here, the encrypted file in the vault (store/vault.h).
    R"sql(
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  person_id INTEGER REFERENCES persons(id),
  testimony_id INTEGER REFERENCES testimonies(id),
  kind TEXT NOT NULL,
  media_type TEXT NOT NULL,
  original_name TEXT NOT NULL,
  size INTEGER NOT NULL,
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
    // 6: PostgreSQL's change sequence (its table `changes`). Here audit ids already grow in
    // commit order (one writer at a time; store/sqlite/sqlite_changes.cc): nothing to add,
    // the version number stays the same as PostgreSQL's.
    R"sql(
SELECT 1;
)sql",
};

}  // namespace

int LatestSchemaVersion() { return static_cast<int>(kMigrations.size()); }

Status Migrate(SqliteConnection& connection) {
  int version = 0;
  {
    IZDE_ASSIGN_OR_RETURN(Statement stmt, connection.Prepare("PRAGMA user_version"));
    IZDE_ASSIGN_OR_RETURN(bool row, stmt.Step());
    if (row) version = static_cast<int>(stmt.Int(0));
  }
  if (version > LatestSchemaVersion()) {
    return FailedPreconditionError(
        fmt::format("the database has schema version {}, newer than this program's {}; "
                    "upgrade izde",
                    version, LatestSchemaVersion()));
  }
  for (int next = version + 1; next <= LatestSchemaVersion(); ++next) {
    IZDE_RETURN_IF_ERROR(connection.Exec("BEGIN IMMEDIATE"));
    Status status = connection.Exec(kMigrations[static_cast<size_t>(next - 1)]);
    if (status.ok()) status = connection.Exec(fmt::format("PRAGMA user_version = {}", next));
    if (status.ok()) status = connection.Exec("COMMIT");
    if (!status.ok()) {
      connection.Exec("ROLLBACK").IgnoreError();
      return status.WithContext(fmt::format("migration to schema version {}", next));
    }
  }
  return OkStatus();
}

}  // namespace izde::store::internal
