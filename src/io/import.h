#ifndef IZDE_IO_IMPORT_H_
#define IZDE_IO_IMPORT_H_

#include <cstdint>
#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/records.h"
#include "registry/registry.h"

namespace izde::io {

enum class ImportPhase : uint8_t {
  kValidating,  // reading, checking and writing into the open transaction: done/total are
                // bytes of the file (total 0 when unknown: a pipe)
  kWriting,     // committing: done/total are records (reported before and after the commit)
};
using ImportProgressFn = std::function<void(ImportPhase phase, int64_t done, int64_t total)>;

struct ImportOptions {
  RecordKind kind = RecordKind::kPersons;
  // The file to read. Also the FILE of every problem ("persons.csv:7: ...").
  std::string path;
  // From the extension of `path` when not given.
  std::optional<Format> format;
  // Import the good records and write the bad ones, each with a `reason`, to rejects_path.
  // Without it one bad record means nothing is written.
  bool skip_bad = false;
  // Default: `path` with ".rejects" before the extension ("persons.rejects.csv").
  std::string rejects_path;
  // Validate everything (including against the store) and write nothing, no rejects file.
  bool dry_run = false;
  // At most this many problems are listed; ImportReport::problems_omitted counts the rest.
  size_t max_problems = 1000;
  ImportProgressFn progress;
};

struct ImportReport {
  int64_t records = 0;         // records read, the header not counted
  int64_t imported = 0;        // records written (0 after a dry run or a refused import)
  int64_t rejected = 0;        // records with at least one problem
  int64_t events_created = 0;  // persons: the events their `status` column created
  // One line per problem: "persons.csv:7: field 'birth_date': month 13 out of range".
  std::vector<std::string> problems;
  int64_t problems_omitted = 0;  // problems beyond max_problems
  std::string rejects_path;      // the rejects file written, "" if none
  bool dry_run = false;
  // Nothing was written because of problems: a bad header (even with skip_bad), or any bad
  // record without skip_bad. The command should then exit with an error.
  bool refused = false;

  // True when the file had no problem. With skip_bad the good records are imported even
  // when this is false; without it, false means nothing was written.
  bool clean() const { return problems.empty() && problems_omitted == 0; }
  // Records that passed every check: what a dry run would import.
  int64_t valid() const { return records - rejected; }
};

// Imports a file of persons, testimonies or events into the registry.
//
// Every record is read, mapped, normalised (Registry::Normalize*) and checked against the
// file and the store: an id or external_id given twice in the file or already in the store,
// a reference to a person or testimony that does not exist. Good records are written as
// they come, into one transaction (Registry::BeginBulk) that commits only at the end, so
// that memory stays flat however long the file is; a problem without skip_bad stops the
// writing, the rest of the file is still checked, and the transaction is rolled back:
// nothing is written. Persons are read and checked on a second thread while the first one
// writes.
// Testimonies and events refer to persons (public id or external id) already in the store,
// so import persons first, then testimonies, then events.
//
// Returns the report, also when the file has problems (see ImportReport::clean()).
// Returns an error Status only when the import could not be carried out: the file cannot be
// opened (kNotFound) or read, its format is unknown (kInvalidArgument), the rejects file
// cannot be written, or the store fails (then nothing was written).
Result<ImportReport> Import(registry::Registry& registry, const ImportOptions& options,
                            const registry::Actor& actor);

// The same, reading from `in` (standard input, a test); options.path names it in problems
// and options.format must be set.
Result<ImportReport> ImportStream(registry::Registry& registry, std::istream& in,
                                  const ImportOptions& options, const registry::Actor& actor);

// "dir/persons.csv" -> "dir/persons.rejects.csv".
std::string DefaultRejectsPath(std::string_view path);

}  // namespace izde::io

#endif  // IZDE_IO_IMPORT_H_
