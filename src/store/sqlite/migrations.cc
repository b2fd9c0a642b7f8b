#include <array>
#include <string_view>

#include <fmt/format.h>

#include "store/sqlite/connection.h"

namespace izde::store::internal {
namespace {

// Migration N brings a database from schema version N-1 to N. Never edit a released
// migration: add the next one. Enum values are stored as their names, so that the file
// reads without the program and enum order can change.
constexpr std::array<std::string_view, 2> kMigrations = {
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
    // Evidence files: the record here, the encrypted file in the vault (store/vault.h).
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
