#include "io/export.h"

#include "io/csv.h"
#include "io/jsonl.h"

namespace izde::io {
namespace {

using registry::Event;
using registry::Person;
using registry::Testimony;

// Writes rows in the chosen format.
class RowSink {
 public:
  RowSink(RecordKind kind, Format format, std::ostream& out)
      : kind_(kind), format_(format), out_(out), csv_(out), jsonl_(out) {
    if (format_ == Format::kCsv) csv_.WriteRow(std::span<const std::string_view>(Columns(kind)));
  }

  Status Write(const Row& row) {
    if (format_ == Format::kCsv) {
      csv_.WriteRow(row.values);
    } else {
      jsonl_.Write(RowToJson(kind_, row));
    }
    // Stop a scan of a million rows as soon as the disk is full, not at its end.
    if (!out_) return UnavailableError("write error");
    return OkStatus();
  }

 private:
  RecordKind kind_;
  Format format_;
  std::ostream& out_;
  CsvWriter csv_;
  JsonlWriter jsonl_;
};

}  // namespace

Result<ExportReport> Export(registry::Store& store, const ExportOptions& options,
                            std::ostream& out) {
  ExportReport report;
  RowSink sink(options.kind, options.format, out);
  const RecordFilter* filter = options.filter ? &*options.filter : nullptr;
  // Writes `record` as `filter` lets it be shown, or counts it as withheld.
  auto write = [&](const auto& record, const auto* filter_fn, auto to_row) -> Status {
    if (filter_fn == nullptr || !*filter_fn) {
      ++report.records;
      return sink.Write(to_row(record));
    }
    IZDE_ASSIGN_OR_RETURN(auto shown, (*filter_fn)(record));
    if (!shown.has_value()) {
      ++report.withheld;
      return OkStatus();
    }
    ++report.records;
    return sink.Write(to_row(*shown));
  };
  switch (options.kind) {
    case RecordKind::kPersons:
      IZDE_RETURN_IF_ERROR(
          store.ScanPersons([&](const Person& person, const std::vector<Event>& events) {
            // The current status is derived from every event: the events of a person shown
            // are shown with it.
            return write(person, filter ? &filter->person : nullptr,
                         [&](const Person& shown) { return PersonToRow(shown, events); });
          }));
      break;
    case RecordKind::kTestimonies:
      IZDE_RETURN_IF_ERROR(store.ScanTestimonies([&](const Testimony& testimony) {
        return write(testimony, filter ? &filter->testimony : nullptr,
                     [](const Testimony& shown) { return TestimonyToRow(shown); });
      }));
      break;
    case RecordKind::kEvents:
      IZDE_RETURN_IF_ERROR(store.ScanEvents([&](const Event& event) {
        return write(event, filter ? &filter->event : nullptr,
                     [](const Event& shown) { return EventToRow(shown); });
      }));
      break;
  }
  out.flush();
  if (!out) return UnavailableError("write error");
  return report;
}

}  // namespace izde::io
