#include "store/backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sqlite3.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <thread>
#include <vector>

#include "store/copy.h"
#include "store/pg_backup.h"
#include "store/vault.h"

namespace izde::store {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDatabaseName = "izde.db";
constexpr const char* kDumpName = "izde.dump";
constexpr const char* kPostgres = "postgresql";

bool IsPostgres(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

// The database file of a backup: a SQLite file or a pg_dump archive.
const char* DatabaseName(const BackupManifest& manifest) {
  return manifest.backend == kPostgres ? kDumpName : kDatabaseName;
}
constexpr const char* kVaultName = "vault";
constexpr const char* kKeyName = "izde.key";
constexpr const char* kManifestName = "manifest.txt";

// Closes a SQLite handle when it goes out of scope.
struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

Status SqliteFailure(sqlite3* db, std::string_view what) {
  return UnavailableError(
      fmt::format("{}: {}", what, db != nullptr ? sqlite3_errmsg(db) : "out of memory"));
}

Result<SqliteHandle> OpenDatabase(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int code = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle db(raw);
  if (code != SQLITE_OK) return SqliteFailure(raw, fmt::format("cannot open '{}'", path));
  sqlite3_busy_timeout(raw, 5000);
  return db;
}

// The database file a --db location names (PostgreSQL locations are handled apart).
Result<std::string> SqliteFile(std::string_view location) {
  constexpr std::string_view kPrefix = "sqlite:";
  if (location.starts_with(kPrefix)) location.remove_prefix(kPrefix.size());
  return std::string(location);
}

Result<std::string> Sha256OfFile(const fs::path& path) {
  if (sodium_init() < 0) return InternalError("libsodium failed to initialise");
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError(fmt::format("cannot read '{}'", path.string()));
  crypto_hash_sha256_state state;
  crypto_hash_sha256_init(&state);
  std::vector<char> buffer(64 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) {
      crypto_hash_sha256_update(&state, reinterpret_cast<const unsigned char*>(buffer.data()),
                                static_cast<unsigned long long>(got));
    }
  }
  if (in.bad()) return UnavailableError(fmt::format("cannot read '{}'", path.string()));
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256_final(&state, digest.data());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

// Flushes a file (or directory) to disk; best effort for directories.
void SyncPath(const fs::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

std::string QuoteIdentifier(std::string_view name) {
  std::string quoted = "\"";
  for (char c : name) {
    quoted += c;
    if (c == '"') quoted += '"';
  }
  return quoted + "\"";
}

// Rows of every ordinary table (not SQLite's own, not virtual tables, whose shadow tables
// are counted instead).
Result<std::map<std::string, int64_t>> CountRows(sqlite3* db) {
  std::vector<std::string> tables;
  {
    sqlite3_stmt* stmt = nullptr;
    const char* sql =
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name";
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
      return SqliteFailure(db, "cannot list tables");
    }
    int code = SQLITE_ROW;
    while ((code = sqlite3_step(stmt)) == SQLITE_ROW) {
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
    }
    sqlite3_finalize(stmt);
    if (code != SQLITE_DONE) return SqliteFailure(db, "cannot list tables");
  }
  std::map<std::string, int64_t> counts;
  for (const std::string& table : tables) {
    sqlite3_stmt* stmt = nullptr;
    const std::string sql = "SELECT count(*) FROM " + QuoteIdentifier(table);
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK ||
        sqlite3_step(stmt) != SQLITE_ROW) {
      sqlite3_finalize(stmt);
      return SqliteFailure(db, fmt::format("cannot count table {}", table));
    }
    counts[table] = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
  }
  return counts;
}

Status CheckIntegrity(sqlite3* db, const std::string& path) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA quick_check", -1, &stmt, nullptr) != SQLITE_OK) {
    return SqliteFailure(db, "cannot check integrity");
  }
  std::string answer;
  if (sqlite3_step(stmt) == SQLITE_ROW) {
    answer = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
  }
  sqlite3_finalize(stmt);
  if (answer != "ok") {
    return DataLossError(fmt::format("database '{}' fails its integrity check: {}", path,
                                     answer.empty() ? sqlite3_errmsg(db) : answer));
  }
  return OkStatus();
}

// Copies `from` into the new file `to` with the online backup API: one read transaction,
// so the copy is a consistent snapshot while other connections write (WAL). The copy is
// switched to a rollback journal, so that reading it later leaves no -wal/-shm files.
Status CopyDatabase(const std::string& from, const std::string& to) {
  // Read-write (never created): a read-only connection cannot open a WAL database whose -shm
  // file is missing. The backup API only reads it.
  IZDE_ASSIGN_OR_RETURN(SqliteHandle source, OpenDatabase(from, SQLITE_OPEN_READWRITE));
  IZDE_ASSIGN_OR_RETURN(SqliteHandle dest,
                        OpenDatabase(to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
  if (backup == nullptr) return SqliteFailure(dest.get(), "cannot start the backup");
  int code = SQLITE_OK;
  for (int attempt = 0; attempt < 600; ++attempt) {
    // -1: every page in one step, under one read lock of the source.
    code = sqlite3_backup_step(backup, -1);
    if (code != SQLITE_BUSY && code != SQLITE_LOCKED) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  sqlite3_backup_finish(backup);
  if (code != SQLITE_DONE) {
    return UnavailableError(fmt::format("backup of '{}' failed: {}", from, sqlite3_errstr(code)));
  }
  if (sqlite3_errcode(dest.get()) != SQLITE_OK) {
    return SqliteFailure(dest.get(), fmt::format("cannot write '{}'", to));
  }
  if (sqlite3_exec(dest.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr, nullptr) !=
      SQLITE_OK) {
    return SqliteFailure(dest.get(), fmt::format("cannot finish '{}'", to));
  }
  return OkStatus();
}

Status CopyFile(const fs::path& from, const fs::path& to, fs::perms perms) {
  std::error_code error;
  fs::create_directories(to.parent_path(), error);
  if (error || !fs::copy_file(from, to, fs::copy_options::overwrite_existing, error)) {
    return UnavailableError(
        fmt::format("cannot copy '{}' to '{}': {}", from.string(), to.string(), error.message()));
  }
  fs::permissions(to, perms, error);
  SyncPath(to);
  return OkStatus();
}

// Copies the vault's files (not the ".partial" ones of a write in progress) from `from` to
// `to`, and returns each copy's sha256 by its name in the vault.
Result<std::map<std::string, std::string>> CopyVault(const fs::path& from, const fs::path& to) {
  std::map<std::string, std::string> files;
  std::error_code error;
  if (!fs::exists(from, error)) return files;
  std::error_code ignored;
  fs::create_directories(to, ignored);
  fs::permissions(to, fs::perms::owner_all, ignored);
  for (fs::recursive_directory_iterator it(from, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_regular_file(ignored)) continue;
    const std::string name = fs::relative(it->path(), from, ignored).generic_string();
    if (name.ends_with(".partial")) continue;
    fs::create_directories((to / name).parent_path(), ignored);
    fs::permissions((to / name).parent_path(), fs::perms::owner_all, ignored);
    IZDE_RETURN_IF_ERROR(
        CopyFile(it->path(), to / name, fs::perms::owner_read | fs::perms::owner_write));
    IZDE_ASSIGN_OR_RETURN(files[name], Sha256OfFile(to / name));
  }
  if (error) {
    return UnavailableError(
        fmt::format("cannot read the vault '{}': {}", from.string(), error.message()));
  }
  return files;
}

std::string NowUtc() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

Status WriteManifest(const BackupManifest& manifest, const fs::path& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << kBackupFormat << "\n";
  out << "created " << manifest.created_at << "\n";
  if (manifest.backend != "sqlite") out << "backend " << manifest.backend << "\n";
  out << "database " << DatabaseName(manifest) << " " << manifest.database_bytes << " "
      << manifest.database_sha256 << "\n";
  for (const auto& [table, rows] : manifest.table_rows)
    out << "rows " << table << " " << rows << "\n";
  for (const auto& [table, sha] : manifest.table_sha256)
    out << "digest " << table << " " << sha << "\n";
  for (const auto& [name, sha] : manifest.vault_files)
    out << "vault " << name << " " << sha << "\n";
  out << "key " << (manifest.key_included ? "included" : "not-included") << "\n";
  out.flush();
  if (!out) return UnavailableError(fmt::format("cannot write '{}'", path.string()));
  out.close();
  SyncPath(path);
  return OkStatus();
}

Result<BackupManifest> ReadManifest(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError(fmt::format("no backup manifest at '{}'", path.string()));
  std::string line;
  if (!std::getline(in, line) || line != kBackupFormat) {
    return DataLossError(
        fmt::format("'{}' is not an izde backup manifest (first line must be '{}')", path.string(),
                    kBackupFormat));
  }
  BackupManifest manifest;
  bool has_database = false;
  for (int line_no = 2; std::getline(in, line); ++line_no) {
    std::istringstream fields(line);
    std::string kind, a, b;
    fields >> kind >> a;
    auto bad = [&] {
      return DataLossError(fmt::format("backup manifest '{}', line {}: cannot read '{}'",
                                       path.string(), line_no, line));
    };
    if (kind == "created") {
      manifest.created_at = a;
    } else if (kind == "backend") {
      if ((a != "sqlite" && a != kPostgres) || has_database) return bad();
      manifest.backend = a;
    } else if (kind == "digest") {
      if (!(fields >> b) || b.size() != 64) return bad();
      manifest.table_sha256[a] = b;
    } else if (kind == "database") {
      if (!(fields >> manifest.database_bytes >> manifest.database_sha256) ||
          a != DatabaseName(manifest)) {
        return bad();
      }
      has_database = true;
    } else if (kind == "rows") {
      int64_t rows = -1;
      if (!(fields >> rows) || rows < 0) return bad();
      manifest.table_rows[a] = rows;
    } else if (kind == "vault") {
      // Names come from the manifest: nothing outside the backup's vault may be named.
      if (!(fields >> b) || a.find("..") != std::string::npos || a.starts_with("/")) return bad();
      manifest.vault_files[a] = b;
    } else if (kind == "key") {
      manifest.key_included = a == "included";
    } else if (!kind.empty()) {
      return bad();
    }
  }
  if (!has_database) {
    return DataLossError(fmt::format("backup manifest '{}' names no database", path.string()));
  }
  return manifest;
}

Status CheckCounts(const BackupManifest& manifest, sqlite3* db, const std::string& path) {
  IZDE_ASSIGN_OR_RETURN(auto counts, CountRows(db));
  if (counts == manifest.table_rows) return OkStatus();
  for (const auto& [table, rows] : manifest.table_rows) {
    auto found = counts.find(table);
    const int64_t have = found == counts.end() ? -1 : found->second;
    if (have != rows) {
      return DataLossError(fmt::format("database '{}', table {}: {} rows, the manifest says {}",
                                       path, table, have, rows));
    }
  }
  return DataLossError(fmt::format("database '{}' has tables the manifest does not list", path));
}

Status CheckSha(const fs::path& path, const std::string& expected) {
  IZDE_ASSIGN_OR_RETURN(std::string sha, Sha256OfFile(path));
  if (sha != expected) {
    return DataLossError(fmt::format("'{}' is corrupt: sha256 {} but the manifest says {}",
                                     path.string(), sha, expected));
  }
  return OkStatus();
}

Status Rename(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::rename(from, to, error);
  if (error) {
    return UnavailableError(
        fmt::format("cannot rename '{}' to '{}': {}", from.string(), to.string(), error.message()));
  }
  SyncPath(to.parent_path().empty() ? fs::path(".") : to.parent_path());
  return OkStatus();
}

// Makes `out_dir`.partial, where a backup is written before it is renamed to `out_dir`.
Result<fs::path> StartBackup(const std::string& out_dir) {
  std::error_code error;
  if (fs::exists(out_dir, error)) {
    return AlreadyExistsError(
        fmt::format("'{}' exists: a backup is written to a new directory", out_dir));
  }
  const fs::path partial = out_dir + ".partial";
  if (fs::exists(partial, error)) {
    return AlreadyExistsError(fmt::format(
        "'{}' exists (an unfinished backup?): remove it and try again", partial.string()));
  }
  if (!fs::create_directories(partial, error)) {
    return UnavailableError(
        fmt::format("cannot create '{}': {}", partial.string(), error.message()));
  }
  fs::permissions(partial, fs::perms::owner_all, error);
  return partial;
}

// The second half of every backup, once the database file (SQLite's copy or pg_dump's
// archive) is in `partial`: its size and sha256, the vault after it (a file stored meanwhile is
// an extra copy, never missing), the key if asked, the manifest, and the rename to `out_dir`.
Status FinishBackup(const std::string& db, const fs::path& database, const BackupOptions& options,
                    const fs::path& partial, const std::string& out_dir, BackupManifest& manifest) {
  std::error_code error;
  fs::permissions(database, fs::perms::owner_read | fs::perms::owner_write, error);
  SyncPath(database);
  manifest.database_bytes = static_cast<int64_t>(fs::file_size(database, error));
  IZDE_ASSIGN_OR_RETURN(manifest.database_sha256, Sha256OfFile(database));
  IZDE_ASSIGN_OR_RETURN(manifest.vault_files, CopyVault(DefaultVaultDir(db), partial / kVaultName));
  if (options.include_key) {
    const fs::path key = DefaultVaultKeyPath(db);
    if (!fs::exists(key, error)) {
      return NotFoundError(fmt::format("--include-key: no vault key at '{}'", key.string()));
    }
    IZDE_RETURN_IF_ERROR(
        CopyFile(key, partial / kKeyName, fs::perms::owner_read | fs::perms::owner_write));
    manifest.key_included = true;
  }
  IZDE_RETURN_IF_ERROR(WriteManifest(manifest, partial / kManifestName));
  return Rename(partial, out_dir);
}

// Copies a backup's vault files and key (if included) to `vault_partial` and `key_partial`,
// beside where a restore will rename them, and checks each file's sha256 against the manifest.
Status StageVaultAndKey(const BackupManifest& manifest, const fs::path& in,
                        const fs::path& vault_partial, const fs::path& key_partial) {
  if (!manifest.vault_files.empty()) {
    IZDE_ASSIGN_OR_RETURN(const auto copied, CopyVault(in / kVaultName, vault_partial));
    for (const auto& [name, sha] : manifest.vault_files) {
      auto found = copied.find(name);
      if (found == copied.end() || found->second != sha) {
        return DataLossError(
            fmt::format("vault file '{}' did not copy intact", (vault_partial / name).string()));
      }
    }
  }
  if (manifest.key_included) {
    IZDE_RETURN_IF_ERROR(
        CopyFile(in / kKeyName, key_partial, fs::perms::owner_read | fs::perms::owner_write));
  }
  return OkStatus();
}

// Moves the vault and key staged by StageVaultAndKey into place: a vault already at
// `vault_target` is replaced (moved aside first, removed once the new one is in place).
Status InstallVaultAndKey(const BackupManifest& manifest, const fs::path& vault_partial,
                          const fs::path& vault_target, const fs::path& key_partial,
                          const fs::path& key_target) {
  std::error_code error;
  if (!manifest.vault_files.empty()) {
    const fs::path vault_old = vault_target.string() + ".replaced";
    fs::remove_all(vault_old, error);
    if (fs::exists(vault_target, error)) IZDE_RETURN_IF_ERROR(Rename(vault_target, vault_old));
    IZDE_RETURN_IF_ERROR(Rename(vault_partial, vault_target));
    fs::remove_all(vault_old, error);
  }
  if (manifest.key_included) IZDE_RETURN_IF_ERROR(Rename(key_partial, key_target));
  return OkStatus();
}

// A PostgreSQL registry: pg_dump's archive instead of the database file, the registry's
// digest in the manifest (the rows cannot be counted in an archive without restoring it).
Result<BackupManifest> BackupPostgres(const std::string& url, const std::string& out_dir,
                                      const BackupOptions& options) {
  IZDE_ASSIGN_OR_RETURN(const fs::path partial, StartBackup(out_dir));
  auto fail = [&](Status status) {
    std::error_code ignored;
    fs::remove_all(partial, ignored);
    return status;
  };
  BackupManifest manifest;
  manifest.created_at = NowUtc();
  manifest.backend = kPostgres;
  const fs::path dump = partial / kDumpName;
  Result<std::vector<TableDigest>> digests = internal::PgDump(url, dump.string());
  if (!digests.ok()) return fail(digests.status());
  for (const TableDigest& digest : *digests) {
    manifest.table_rows[digest.table] = digest.rows;
    manifest.table_sha256[digest.table] = digest.sha256;
  }
  if (Status done = FinishBackup(url, dump, options, partial, out_dir, manifest); !done.ok()) {
    return fail(done);
  }
  return manifest;
}

}  // namespace

Result<BackupManifest> BackupRegistry(const std::string& db_path, const std::string& out_dir,
                                      const BackupOptions& options) {
  if (IsPostgres(db_path)) return BackupPostgres(db_path, out_dir, options);
  IZDE_ASSIGN_OR_RETURN(const std::string db, SqliteFile(db_path));
  std::error_code error;
  if (!fs::is_regular_file(db, error)) {
    return NotFoundError(fmt::format("no registry database at '{}'", db));
  }
  IZDE_ASSIGN_OR_RETURN(const fs::path partial, StartBackup(out_dir));
  auto fail = [&](Status status) {
    std::error_code ignored;
    fs::remove_all(partial, ignored);
    return status;
  };

  BackupManifest manifest;
  manifest.created_at = NowUtc();
  const fs::path database = partial / kDatabaseName;
  if (Status copied = CopyDatabase(db, database.string()); !copied.ok()) return fail(copied);
  {
    Result<SqliteHandle> copy = OpenDatabase(database.string(), SQLITE_OPEN_READONLY);
    if (!copy.ok()) return fail(copy.status());
    Result<std::map<std::string, int64_t>> counts = CountRows(copy->get());
    if (!counts.ok()) return fail(counts.status());
    manifest.table_rows = *std::move(counts);
  }
  if (Status done = FinishBackup(db, database, options, partial, out_dir, manifest); !done.ok()) {
    return fail(done);
  }
  return manifest;
}

Result<BackupManifest> VerifyBackup(const std::string& in_dir) {
  const fs::path in(in_dir);
  IZDE_ASSIGN_OR_RETURN(BackupManifest manifest, ReadManifest(in / kManifestName));
  IZDE_RETURN_IF_ERROR(CheckSha(in / DatabaseName(manifest), manifest.database_sha256));
  for (const auto& [name, sha] : manifest.vault_files) {
    IZDE_RETURN_IF_ERROR(CheckSha(in / kVaultName / name, sha));
  }
  std::error_code error;
  if (manifest.key_included && !fs::is_regular_file(in / kKeyName, error)) {
    return DataLossError(fmt::format("the manifest says the key is included, but '{}' is missing",
                                     (in / kKeyName).string()));
  }
  if (manifest.backend == kPostgres) {
    if (manifest.table_sha256.empty()) {
      return DataLossError(fmt::format("backup manifest in '{}' has no table digests", in_dir));
    }
    IZDE_RETURN_IF_ERROR(internal::PgCheckArchive((in / kDumpName).string()));
    return manifest;
  }
  IZDE_ASSIGN_OR_RETURN(SqliteHandle db,
                        OpenDatabase((in / kDatabaseName).string(), SQLITE_OPEN_READONLY));
  IZDE_RETURN_IF_ERROR(CheckIntegrity(db.get(), (in / kDatabaseName).string()));
  IZDE_RETURN_IF_ERROR(CheckCounts(manifest, db.get(), (in / kDatabaseName).string()));
  return manifest;
}

namespace {

// Restores a pg_dump backup into the PostgreSQL database `url`, then installs its vault and
// key as a SQLite restore does.
Result<BackupManifest> RestorePostgres(const std::string& in_dir, const std::string& url,
                                       const BackupManifest& manifest,
                                       const RestoreOptions& options) {
  const fs::path in(in_dir);
  // Absolute: a PostgreSQL registry's vault is in the working directory ("NAME.vault").
  const fs::path vault_target = fs::absolute(DefaultVaultDir(url));
  const fs::path key_target = fs::absolute(DefaultVaultKeyPath(url));
  std::error_code error;
  if (!options.force) {
    for (const fs::path& existing :
         {vault_target, manifest.key_included ? key_target : fs::path()}) {
      if (!existing.empty() && fs::exists(existing, error)) {
        return AlreadyExistsError(
            fmt::format("'{}' exists: restore refuses to replace a vault or key; use --force",
                        existing.string()));
      }
    }
  }
  const fs::path vault_partial = vault_target.string() + ".restore-partial";
  const fs::path key_partial = key_target.string() + ".restore-partial";
  auto fail = [&](Status status) {
    std::error_code ignored;
    fs::remove_all(vault_partial, ignored);
    fs::remove(key_partial, ignored);
    return status;
  };
  fail(OkStatus()).IgnoreError();
  if (Status staged = StageVaultAndKey(manifest, in, vault_partial, key_partial); !staged.ok()) {
    return fail(staged);
  }
  if (Status restored = internal::PgRestore((in / kDumpName).string(), url, options.force);
      !restored.ok()) {
    return fail(restored);
  }
  // The restored database against the digest taken with the dump.
  Result<std::vector<TableDigest>> digests = DigestRegistry(url);
  if (!digests.ok()) return fail(digests.status());
  for (const TableDigest& digest : *digests) {
    auto rows = manifest.table_rows.find(digest.table);
    auto sha = manifest.table_sha256.find(digest.table);
    if (rows == manifest.table_rows.end() || sha == manifest.table_sha256.end() ||
        rows->second != digest.rows || sha->second != digest.sha256) {
      return fail(DataLossError(fmt::format(
          "the restored database differs from the backup in table {} ({} rows, sha256 {}); "
          "drop it before trying again",
          digest.table, digest.rows, digest.sha256)));
    }
  }
  if (Status installed =
          InstallVaultAndKey(manifest, vault_partial, vault_target, key_partial, key_target);
      !installed.ok()) {
    return fail(installed);
  }
  return manifest;
}

}  // namespace

Result<BackupManifest> RestoreRegistry(const std::string& in_dir, const std::string& db_path,
                                       const RestoreOptions& options) {
  {
    IZDE_ASSIGN_OR_RETURN(BackupManifest manifest, ReadManifest(fs::path(in_dir) / kManifestName));
    const bool to_postgres = IsPostgres(db_path);
    if (to_postgres != (manifest.backend == kPostgres)) {
      return FailedPreconditionError(fmt::format(
          "'{}' is a backup of a {} registry: restore it to a {}, then use `izde copy` to move "
          "it to the other backend",
          in_dir, manifest.backend == kPostgres ? "PostgreSQL" : "SQLite",
          manifest.backend == kPostgres ? "postgresql:// database" : "SQLite file"));
    }
    if (to_postgres) {
      IZDE_ASSIGN_OR_RETURN(BackupManifest verified, VerifyBackup(in_dir));
      return RestorePostgres(in_dir, db_path, verified, options);
    }
  }
  IZDE_ASSIGN_OR_RETURN(const std::string target, SqliteFile(db_path));
  const fs::path in(in_dir);
  const fs::path vault_target = DefaultVaultDir(target);
  const fs::path key_target = DefaultVaultKeyPath(target);
  std::error_code error;
  if (!options.force) {
    for (const fs::path& existing : {fs::path(target), fs::path(target + "-wal"), vault_target}) {
      if (fs::exists(existing, error)) {
        return AlreadyExistsError(fmt::format(
            "'{}' exists: restore refuses to replace a registry; use --force (with no server "
            "running on it) or restore to a new path",
            existing.string()));
      }
    }
  }
  IZDE_ASSIGN_OR_RETURN(BackupManifest manifest, VerifyBackup(in_dir));
  if (!options.force && manifest.key_included && fs::exists(key_target, error)) {
    return AlreadyExistsError(fmt::format(
        "'{}' exists: restore refuses to replace a vault key; use --force", key_target.string()));
  }

  const fs::path db_partial = target + ".restore-partial";
  const fs::path vault_partial = vault_target.string() + ".restore-partial";
  const fs::path key_partial = key_target.string() + ".restore-partial";
  auto fail = [&](Status status) {
    std::error_code ignored;
    fs::remove(db_partial, ignored);
    fs::remove_all(vault_partial, ignored);
    fs::remove(key_partial, ignored);
    return status;
  };
  // Leftovers of an interrupted restore carry our names only: start afresh.
  fail(OkStatus()).IgnoreError();

  if (Status copied =
          CopyFile(in / kDatabaseName, db_partial, fs::perms::owner_read | fs::perms::owner_write);
      !copied.ok()) {
    return fail(copied);
  }
  // The copy is checked again, not only the backup: the disk written to may be the faulty one.
  if (Status sha = CheckSha(db_partial, manifest.database_sha256); !sha.ok()) return fail(sha);
  {
    Result<SqliteHandle> copy = OpenDatabase(db_partial.string(), SQLITE_OPEN_READONLY);
    if (!copy.ok()) return fail(copy.status());
    if (Status counts = CheckCounts(manifest, copy->get(), db_partial.string()); !counts.ok()) {
      return fail(counts);
    }
  }
  if (Status staged = StageVaultAndKey(manifest, in, vault_partial, key_partial); !staged.ok()) {
    return fail(staged);
  }

  // Everything is in place beside the target: rename. The database last, so that a registry
  // appears at `target` only with its vault and key.
  if (Status installed =
          InstallVaultAndKey(manifest, vault_partial, vault_target, key_partial, key_target);
      !installed.ok()) {
    return fail(installed);
  }
  // A -wal file of the replaced database would be replayed into the restored one.
  fs::remove(target + "-wal", error);
  fs::remove(target + "-shm", error);
  if (Status moved = Rename(db_partial, target); !moved.ok()) return fail(moved);
  return manifest;
}

}  // namespace izde::store
