#ifndef IZDE_IO_EXPORT_H_
#define IZDE_IO_EXPORT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>

#include "core/result.h"
#include "io/records.h"
#include "registry/store.h"

namespace izde::io {

// What an export may show of each record: the record as it may be shown (withheld fields
// emptied, withheld references 0) or nullopt to leave the record out. io holds no rules of its
// own on what is private: `izde export --public` passes the redaction policy's filter
// (auth::Redactor::ExportFilter), so that exports, the API and statistics share one policy.
// A filter's error stops the export with that error.
struct RecordFilter {
  std::function<Result<std::optional<registry::Person>>(const registry::Person&)> person;
  std::function<Result<std::optional<registry::Testimony>>(const registry::Testimony&)> testimony;
  std::function<Result<std::optional<registry::Event>>(const registry::Event&)> event;
};

struct ExportOptions {
  RecordKind kind = RecordKind::kPersons;
  Format format = Format::kCsv;
  // Every record through the filter of its kind; none: every record as it is.
  std::optional<RecordFilter> filter;
};

struct ExportReport {
  int64_t records = 0;   // records written
  int64_t withheld = 0;  // records the filter left out
};

// Writes every person, testimony or event of the store in id order, in the columns of
// Columns(kind) (CSV: with a header row). Without a filter, importing the output into an
// empty registry recreates the same records with the same ids: persons first, then
// testimonies, then events. A filtered export imports too (without what it withheld).
// Returns kUnavailable when `out` fails, or the store's error.
Result<ExportReport> Export(registry::Store& store, const ExportOptions& options,
                            std::ostream& out);

}  // namespace izde::io

#endif  // IZDE_IO_EXPORT_H_
