#ifndef IZDE_IO_EXPORT_H_
#define IZDE_IO_EXPORT_H_

#include <cstdint>
#include <ostream>

#include "core/result.h"
#include "io/records.h"
#include "registry/store.h"

namespace izde::io {

struct ExportOptions {
  RecordKind kind = RecordKind::kPersons;
  Format format = Format::kCsv;
  // Leave out every private field and every entry that is not public:
  //   persons: only privacy "public"; prc_id, notes and hometown (the typed text) are empty;
  //   testimonies: only consent "publish" and only when every person they mention is public;
  //     testifier_name, testifier_contact and transcript are empty;
  //   events: only of public persons; note is empty, and testimony is empty unless that
  //     testimony is itself exported.
  bool public_only = false;
};

struct ExportReport {
  int64_t records = 0;   // records written
  int64_t withheld = 0;  // records left out because they are not public
};

// Writes every person, testimony or event of the store in id order, in the columns of
// Columns(kind) (CSV: with a header row). Without public_only, importing the output into an
// empty registry recreates the same records with the same ids: persons first, then
// testimonies, then events.
// Returns kUnavailable when `out` fails, or the store's error.
Result<ExportReport> Export(registry::Store& store, const ExportOptions& options,
                            std::ostream& out);

}  // namespace izde::io

#endif  // IZDE_IO_EXPORT_H_
