#ifndef IZDE_STORE_BACKUP_H_
#define IZDE_STORE_BACKUP_H_

// Backups of a registry (docs/backup.md). A backup is a directory:
//   OUT/izde.db        a SQLite database, copied with SQLite's online backup API in one read
//                      transaction, so it is consistent while a server keeps writing
//   OUT/izde.dump      or a PostgreSQL database, dumped by pg_dump --format=custom
//   OUT/vault/...      the evidence vault (<db>.vault), files still encrypted
//   OUT/izde.key       the vault key, only when asked for (it decrypts the evidence)
//   OUT/manifest.txt   "izde-backup 1", row counts per table, sha256 of every file; for
//                      PostgreSQL also "backend postgresql" and each table's digest
//                      (store/copy.h), which a restore checks the restored database against
// The directory is written under "OUT.partial" and renamed when complete.

#include <cstdint>
#include <map>
#include <string>

#include "core/result.h"

namespace izde::store {

inline constexpr const char* kBackupFormat = "izde-backup 1";

struct BackupManifest {
  std::string created_at;           // UTC, ISO 8601
  std::string backend = "sqlite";   // or "postgresql"
  int64_t database_bytes = 0;
  std::string database_sha256;                     // of OUT/izde.db, hex
  std::map<std::string, int64_t> table_rows;       // every table but SQLite's own and virtual ones
                                                   // (PostgreSQL: the tables izde copies)
  std::map<std::string, std::string> table_sha256;  // PostgreSQL only: DigestRegistry's sha256
  std::map<std::string, std::string> vault_files;  // "ab/cdef..." -> sha256 hex
  bool key_included = false;
};

struct BackupOptions {
  bool include_key = false;  // copy <db>.key into the backup (mode 0600)
};

// Copies the SQLite database at `db_path` (a file path or "sqlite:PATH"), its vault and
// optionally its key into the new directory `out_dir`; for a postgresql:// location, runs
// pg_dump (store/pg_backup.h) instead. kAlreadyExists when `out_dir` exists; kNotFound when
// the database (or pg_dump) does not; kUnavailable when a file cannot be read or written or
// pg_dump fails; kAborted when a PostgreSQL registry kept changing during the dump.
Result<BackupManifest> BackupRegistry(const std::string& db_path, const std::string& out_dir,
                                      const BackupOptions& options);

// Reads and checks a backup directory without changing anything: the manifest's format, the
// sha256 of the database and of each vault file, and the row counts of the database against
// the manifest (a PostgreSQL dump: that pg_restore reads its table of contents; its rows are
// checked by a restore). kDataLoss on any mismatch; kNotFound when `in_dir` holds no manifest.
Result<BackupManifest> VerifyBackup(const std::string& in_dir);

struct RestoreOptions {
  bool force = false;  // replace an existing database (and its vault); no server may be running
};

// Verifies `in_dir` (as VerifyBackup), then installs it as the registry at `db_path`: the
// database is copied to a temporary file beside the target, its counts checked again, and
// renamed into place; the vault likewise as a directory. kAlreadyExists when a database, vault
// or key is already at `db_path` and !force; nothing is changed then, nor on any error
// before the final renames.
// A PostgreSQL backup is restored into the existing database `db_path` (a postgresql:// URL)
// with pg_restore in one transaction; the database must hold no tables unless `force`
// (then pg_restore --clean). Its digest is then compared with the manifest's (kDataLoss when
// it differs), and the vault and key installed beside it as for SQLite.
// kFailedPrecondition when the backup's backend is not the target's (restore it to its own
// kind, then `izde copy`).
Result<BackupManifest> RestoreRegistry(const std::string& in_dir, const std::string& db_path,
                                       const RestoreOptions& options);

}  // namespace izde::store

#endif  // IZDE_STORE_BACKUP_H_
