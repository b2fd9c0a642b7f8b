#ifndef IZDE_STORE_PG_BACKUP_H_
#define IZDE_STORE_PG_BACKUP_H_

// The PostgreSQL half of backup and restore (store/backup.h, docs/backup.md): PostgreSQL's
// own pg_dump (custom format) and pg_restore, run as programs, with the registry's per-table
// digest (store/copy.h) to check what they wrote. Private to store/.

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "store/copy.h"

namespace izde::store::internal {

// The path of a PostgreSQL client program: in $IZDE_PG_BIN, else the newest
// /usr/lib/postgresql/<version>/bin that has it (Debian's layout), else on $PATH.
// kNotFound when there is none.
Result<std::string> FindPgTool(std::string_view name);

// Dumps the database at `url` into `dump_path` (pg_dump --format=custom: one snapshot) and
// returns the registry's digest, taken before and after the dump and equal both times, so
// that it describes the dump. kAborted when the registry kept changing (a server writing).
Result<std::vector<TableDigest>> PgDump(const std::string& url, const std::string& dump_path);

// Checks that pg_restore can read the archive's table of contents.
Status PgCheckArchive(const std::string& dump_path);

// Restores `dump_path` into the database at `url` in one transaction. Unless `clean`, the
// database must hold no tables (kAlreadyExists otherwise); with `clean`, objects of the
// dump that exist are dropped first.
Status PgRestore(const std::string& dump_path, const std::string& url, bool clean);

}  // namespace izde::store::internal

#endif  // IZDE_STORE_PG_BACKUP_H_
