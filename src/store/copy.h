#ifndef IZDE_STORE_COPY_H_
#define IZDE_STORE_COPY_H_

// Moving a whole registry between backends and locations (`izde copy`, docs/postgres.md):
// every table row for row with its ids, the evidence vault's files as they are (still
// encrypted) and the vault key, then a check of both sides. And the per-table digest that
// check uses, which backups reuse.

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace izde::store {

// Rows and a sha256 of one table: over its rows in key order, each value written
// canonically (store/copy_tables.h: integers in decimal, reals as the shortest text that
// reads back the same, booleans 0/1, text as stored, NULL apart from ""). The same data
// gives the same digest on SQLite and PostgreSQL.
struct TableDigest {
  std::string table;
  int64_t rows = 0;
  std::string sha256;  // hex
};

// The digests of every table izde copies, in copy order. kNotFound when there is no
// database at `location`; kFailedPrecondition when it is not an izde registry.
Result<std::vector<TableDigest>> DigestRegistry(const std::string& location);

// The tables a copy moves, in the order it moves them (referenced tables first).
std::vector<std::string> CopiedTables();
// Tables a copy leaves behind, with the reason (sessions).
std::vector<std::pair<std::string, std::string>> TablesNotCopied();

struct CopyProgress {
  std::string_view table;
  int64_t done = 0;   // rows of `table` read so far
  int64_t total = 0;  // rows of `table` in the source
};

struct CopyOptions {
  int64_t batch_rows = 5000;  // rows per read and per target transaction
  std::function<void(const CopyProgress&)> progress;
  // For tests of resuming: fail with kAborted after this many batches were committed
  // (negative: never).
  int64_t fail_after_batches = -1;
};

struct TableCheck {
  std::string table;
  int64_t source_rows = 0;
  int64_t target_rows = 0;
  std::string source_sha256;
  std::string target_sha256;
  int64_t copied = 0;  // rows written by this run (0 for rows a previous run wrote)
  bool matches() const { return source_rows == target_rows && source_sha256 == target_sha256; }
};

struct CopyReport {
  std::vector<TableCheck> tables;
  int64_t vault_files = 0;            // files in the source vault
  int64_t vault_files_copied = 0;     // written by this run
  int64_t evidence_checked = 0;       // evidence records whose target file decrypted to its sha256
  bool key_copied = false;            // the source's vault key was installed at the target
  std::vector<std::string> problems;  // mismatches found by the final check; empty when verified
  bool verified() const { return problems.empty(); }
};

// Copies the registry at `from` into `to` (each a SQLite path, "sqlite:PATH" or a
// postgresql:// URL; a PostgreSQL target database must exist, a SQLite one is created).
// The target's schema is created or migrated first; both must then have the same version.
// Tables are copied in id order, in batches of options.batch_rows, each batch one
// transaction on the target; rows already there and identical are skipped, so a copy that was
// interrupted (even by kill -9) is finished by running it again. Sequences move past the
// copied ids (and past ids the source handed out and deleted). Vault files are copied as
// they are (written to a temporary name, then renamed) and the key is copied when the target
// has none (or an unused one: it is kept as "<key>.before-copy").
// Then compares the rows and sha256 of every table on both sides, and decrypts every evidence
// file at the target against the sha256 in its record: the report's `problems` list what
// differs.
// kInvalidArgument when `from` and `to` are the same; kNotFound without a source;
// kFailedPrecondition when the target holds a different registry (a row with the same key
// differs, or the target has rows the source lacks), a different vault key in use, a
// different vault file of the same name, or another schema version, or when the source has
// a table this program does not know (checked first; a later difference stops the copy there).
Result<CopyReport> CopyRegistry(const std::string& from, const std::string& to,
                                const CopyOptions& options);

}  // namespace izde::store

#endif  // IZDE_STORE_COPY_H_
