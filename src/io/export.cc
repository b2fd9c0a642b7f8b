#include "io/export.h"

#include <unordered_set>

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

bool IsPublic(const Person& person) { return person.privacy == registry::Privacy::kPublic; }

Result<std::unordered_set<int64_t>> PublicPersons(registry::Store& store) {
  std::unordered_set<int64_t> ids;
  IZDE_RETURN_IF_ERROR(store.ScanPersons([&](const Person& person, const std::vector<Event>&) {
    if (IsPublic(person)) ids.insert(person.id);
    return OkStatus();
  }));
  return ids;
}

bool IsPublic(const Testimony& testimony, const std::unordered_set<int64_t>& public_persons) {
  if (testimony.consent != registry::Consent::kPublish) return false;
  // A testimony is about the persons it mentions: publishing it would expose a person whose
  // entry is not public.
  for (const auto& mention : testimony.mentions) {
    if (!public_persons.contains(mention.person_id)) return false;
  }
  return true;
}

Result<std::unordered_set<int64_t>> PublicTestimonies(
    registry::Store& store, const std::unordered_set<int64_t>& public_persons) {
  std::unordered_set<int64_t> ids;
  IZDE_RETURN_IF_ERROR(store.ScanTestimonies([&](const Testimony& testimony) {
    if (IsPublic(testimony, public_persons)) ids.insert(testimony.id);
    return OkStatus();
  }));
  return ids;
}

}  // namespace

Result<ExportReport> Export(registry::Store& store, const ExportOptions& options,
                            std::ostream& out) {
  ExportReport report;
  RowSink sink(options.kind, options.format, out);
  const bool public_only = options.public_only;
  switch (options.kind) {
    case RecordKind::kPersons:
      IZDE_RETURN_IF_ERROR(
          store.ScanPersons([&](const Person& person, const std::vector<Event>& events) {
            if (public_only && !IsPublic(person)) {
              ++report.withheld;
              return OkStatus();
            }
            ++report.records;
            return sink.Write(PersonToRow(person, events, public_only));
          }));
      break;
    case RecordKind::kTestimonies: {
      std::unordered_set<int64_t> public_persons;
      if (public_only) {
        IZDE_ASSIGN_OR_RETURN(public_persons, PublicPersons(store));
      }
      IZDE_RETURN_IF_ERROR(store.ScanTestimonies([&](const Testimony& testimony) {
        if (public_only && !IsPublic(testimony, public_persons)) {
          ++report.withheld;
          return OkStatus();
        }
        ++report.records;
        return sink.Write(TestimonyToRow(testimony, public_only));
      }));
      break;
    }
    case RecordKind::kEvents: {
      std::unordered_set<int64_t> public_persons;
      std::unordered_set<int64_t> public_testimonies;
      if (public_only) {
        IZDE_ASSIGN_OR_RETURN(public_persons, PublicPersons(store));
        IZDE_ASSIGN_OR_RETURN(public_testimonies, PublicTestimonies(store, public_persons));
      }
      IZDE_RETURN_IF_ERROR(store.ScanEvents([&](const Event& event) {
        if (!public_only) {
          ++report.records;
          return sink.Write(EventToRow(event, false));
        }
        if (!public_persons.contains(event.person_id)) {
          ++report.withheld;
          return OkStatus();
        }
        Event shown = event;
        if (!public_testimonies.contains(shown.source_testimony_id)) shown.source_testimony_id = 0;
        ++report.records;
        return sink.Write(EventToRow(shown, true));
      }));
      break;
    }
  }
  out.flush();
  if (!out) return UnavailableError("write error");
  return report;
}

}  // namespace izde::io
