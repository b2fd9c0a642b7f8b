#include "io/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <system_error>
#include <unordered_map>
#include <utility>

#include "io/csv.h"
#include "io/jsonl.h"

namespace izde::io {
namespace {

using registry::Event;
using registry::PersonImport;
using registry::Testimony;

constexpr int64_t kProgressEvery = 1024;

// A record as it was in the file, kept only when it is rejected.
struct RawRecord {
  std::vector<std::string> fields;  // CSV
  nlohmann::ordered_json object;    // JSON Lines, when the line was an object
  std::string text;                 // JSON Lines, when it was not
};

struct Rejected {
  RawRecord raw;
  std::string reason;
};

bool IsNotFound(const Status& status) { return status.code() == StatusCode::kNotFound; }

class Importer {
 public:
  Importer(registry::Registry& registry, const ImportOptions& options, Format format,
           int64_t total_bytes)
      : registry_(registry),
        store_(registry.store()),
        options_(options),
        format_(format),
        total_bytes_(total_bytes) {
    report_.dry_run = options.dry_run;
    const auto& columns = Columns(options.kind);
    names_column_ =
        static_cast<size_t>(std::find(columns.begin(), columns.end(), "names") - columns.begin());
  }

  Result<ImportReport> Run(std::istream& in, const registry::Actor& actor) {
    IZDE_ASSIGN_OR_RETURN(const int64_t existing, CountExisting());
    store_is_empty_ = existing == 0;
    if (format_ == Format::kCsv) {
      IZDE_RETURN_IF_ERROR(ReadCsv(in));
    } else {
      IZDE_RETURN_IF_ERROR(ReadJsonl(in));
    }
    if (header_failed_ || (!report_.clean() && !options_.skip_bad)) {
      report_.refused = true;
      return std::move(report_);
    }
    if (options_.dry_run) return std::move(report_);
    if (!rejected_.empty()) IZDE_RETURN_IF_ERROR(WriteRejects());
    IZDE_RETURN_IF_ERROR(Write(actor));
    return std::move(report_);
  }

 private:
  Result<int64_t> CountExisting() {
    IZDE_ASSIGN_OR_RETURN(registry::StoreCounts counts, store_.Counts());
    switch (options_.kind) {
      case RecordKind::kPersons:
        return counts.persons;
      case RecordKind::kTestimonies:
        return counts.testimonies;
      case RecordKind::kEvents:
        return counts.events;
    }
    return counts.persons;
  }

  void Progress(int64_t bytes_read) {
    if (options_.progress && report_.records % kProgressEvery == 0) {
      options_.progress(ImportPhase::kValidating, bytes_read, total_bytes_);
    }
  }

  Status ReadCsv(std::istream& in) {
    CsvReader reader(in);
    Result<bool> first = reader.Next();
    if (!first.ok()) {
      if (first.status().code() != StatusCode::kInvalidArgument) return first.status();
      AddProblem(reader.error_line(), first.status());
      header_failed_ = true;
      return OkStatus();
    }
    if (!*first) {
      AddProblem(1, InvalidArgumentError("empty file: expected a header row"));
      header_failed_ = true;
      return OkStatus();
    }
    header_fields_.assign(reader.fields().begin(), reader.fields().end());
    const Header header = Header::Make(options_.kind, header_fields_);
    for (const Status& problem : header.problems()) AddProblem(reader.line(), problem);
    if (!header.problems().empty()) {
      header_failed_ = true;
      return OkStatus();
    }
    Row row;
    for (;;) {
      Result<bool> more = reader.Next();
      if (more.ok() && !*more) break;
      ++report_.records;
      Progress(reader.bytes_read());
      RawRecord raw;
      if (!more.ok()) {
        if (more.status().code() != StatusCode::kInvalidArgument) return more.status();
        raw.fields.assign(reader.fields().begin(), reader.fields().end());
        Reject(reader.error_line(), {more.status()}, std::move(raw));
        continue;
      }
      Status filled = header.Fill(reader.fields(), row);
      if (!filled.ok()) {
        raw.fields.assign(reader.fields().begin(), reader.fields().end());
        Reject(reader.line(), {filled}, std::move(raw));
        continue;
      }
      line_ = reader.line();
      IZDE_ASSIGN_OR_RETURN(std::vector<Status> problems, Check(row));
      if (!problems.empty()) {
        raw.fields.assign(reader.fields().begin(), reader.fields().end());
        Reject(reader.line(), problems, std::move(raw));
      }
    }
    return OkStatus();
  }

  Status ReadJsonl(std::istream& in) {
    JsonlReader reader(in);
    Row row;
    for (;;) {
      Result<bool> more = reader.Next();
      if (more.ok() && !*more) break;
      ++report_.records;
      Progress(reader.bytes_read());
      RawRecord raw;
      if (!more.ok()) {
        if (more.status().code() != StatusCode::kInvalidArgument) return more.status();
        raw.text = reader.text();
        Reject(reader.line(), {more.status()}, std::move(raw));
        continue;
      }
      std::vector<Status> problems = RowFromJson(options_.kind, reader.object(), row);
      line_ = reader.line();
      if (problems.empty()) {
        IZDE_ASSIGN_OR_RETURN(problems, Check(row));
      }
      if (!problems.empty()) {
        raw.object = reader.object();
        Reject(reader.line(), problems, std::move(raw));
      }
    }
    return OkStatus();
  }

  // Maps and checks one record; keeps it when it is good. Problems come back as Statuses
  // with the column as field(); an error Result means the store failed.
  Result<std::vector<Status>> Check(const Row& row) {
    switch (options_.kind) {
      case RecordKind::kPersons:
        return CheckPerson(row);
      case RecordKind::kTestimonies:
        return CheckTestimony(row);
      case RecordKind::kEvents:
        return CheckEvent(row);
    }
    return std::vector<Status>{};
  }

  // Records an id or external id, or the problem of its being given twice in the file.
  template <typename Key>
  void CheckUniqueInFile(std::unordered_map<Key, int64_t>& seen, const Key& key,
                         std::string_view column, std::string_view shown,
                         std::vector<Status>& problems) {
    const auto [it, inserted] = seen.emplace(key, line_);
    if (!inserted) {
      problems.push_back(InvalidArgumentError(
          fmt::format("'{}' is also on line {}", shown, it->second), std::string(column)));
    }
  }

  // Lookups that must say "not found" to pass; a failing store stops the import.
  static Result<bool> Exists(const Status& status) {
    if (status.ok()) return true;
    if (IsNotFound(status)) return false;
    return status;
  }

  // A record's explicit id must be new in the file and in the store. `get` looks it up.
  template <typename Get>
  Status CheckNewId(int64_t id, IdKind kind, Get get, std::vector<Status>& problems) {
    if (id == 0) return OkStatus();
    std::string public_id = FormatId(kind, id);
    CheckUniqueInFile(ids_, id, "id", public_id, problems);
    if (store_is_empty_) return OkStatus();
    IZDE_ASSIGN_OR_RETURN(bool exists, Exists(get(id).status()));
    if (exists) {
      problems.push_back(
          InvalidArgumentError(fmt::format("{} already exists in the registry", public_id), "id"));
    }
    return OkStatus();
  }

  // A record's external id must be new in the file and in the store. `find` looks it up.
  template <typename Find>
  Status CheckNewExternalId(const std::string& external_id, IdKind kind, Find find,
                            std::vector<Status>& problems) {
    if (external_id.empty()) return OkStatus();
    CheckUniqueInFile(external_ids_, external_id, "external_id", external_id, problems);
    if (store_is_empty_) return OkStatus();
    Result<int64_t> found = find(external_id);
    IZDE_ASSIGN_OR_RETURN(bool exists, Exists(found.status()));
    if (exists) {
      problems.push_back(
          InvalidArgumentError(fmt::format("'{}' already exists in the registry as {}", external_id,
                                           FormatId(kind, *found)),
                               "external_id"));
    }
    return OkStatus();
  }

  Result<std::vector<Status>> CheckPerson(const Row& row) {
    Mapped<PersonImport> mapped = PersonFromRow(row);
    std::vector<Status>& problems = mapped.problems;
    registry::Person& person = mapped.value.person;
    IZDE_RETURN_IF_ERROR(CheckNewId(
        person.id, IdKind::kPerson, [&](int64_t id) { return store_.GetPerson(id); }, problems));
    IZDE_RETURN_IF_ERROR(CheckNewExternalId(
        person.external_id, IdKind::kPerson,
        [&](std::string_view text) { return store_.FindPersonByExternalId(text); }, problems));
    if (problems.empty()) {
      Status normalized = registry_.NormalizePerson(person);
      if (!normalized.ok()) {
        std::string column = ColumnOfField(options_.kind, normalized.field());
        if (column == "name" && !row.values[names_column_].empty()) column = "names";
        problems.push_back(Status(normalized.code(), normalized.message(), column));
      }
    }
    if (problems.empty()) {
      report_.events_created += static_cast<int64_t>(mapped.value.events.size());
      persons_.push_back(std::move(mapped.value));
    }
    return std::move(problems);
  }

  // A person named by public id or external id. kNotFound when neither matches.
  Result<int64_t> ResolvePerson(const std::string& text) {
    if (const auto cached = person_refs_.find(text); cached != person_refs_.end()) {
      return cached->second;
    }
    int64_t id = 0;
    if (HasPublicIdForm(IdKind::kPerson, text)) {
      Result<int64_t> parsed = ParseId(IdKind::kPerson, text);
      if (parsed.ok()) {
        IZDE_ASSIGN_OR_RETURN(bool exists, Exists(store_.GetPerson(*parsed).status()));
        if (exists) id = *parsed;
      }
    }
    if (id == 0) {
      Result<int64_t> found = store_.FindPersonByExternalId(text);
      IZDE_ASSIGN_OR_RETURN(bool exists, Exists(found.status()));
      if (!exists) return NotFoundError(text);
      id = *found;
    }
    person_refs_.emplace(text, id);
    return id;
  }

  Result<int64_t> ResolveTestimony(const std::string& text) {
    if (HasPublicIdForm(IdKind::kTestimony, text)) {
      Result<int64_t> parsed = ParseId(IdKind::kTestimony, text);
      if (parsed.ok()) {
        IZDE_ASSIGN_OR_RETURN(bool exists, Exists(store_.GetTestimony(*parsed).status()));
        if (exists) return *parsed;
      }
    }
    Result<int64_t> found = store_.FindTestimonyByExternalId(text);
    IZDE_ASSIGN_OR_RETURN(bool exists, Exists(found.status()));
    if (!exists) return NotFoundError(text);
    return *found;
  }

  static Status NoPerson(const std::string& text, std::string_view column) {
    return InvalidArgumentError(fmt::format("no person with id or external id '{}'", text),
                                std::string(column));
  }

  Result<std::vector<Status>> CheckTestimony(const Row& row) {
    Mapped<TestimonyRow> mapped = TestimonyFromRow(row);
    std::vector<Status>& problems = mapped.problems;
    Testimony& testimony = mapped.value.testimony;
    IZDE_RETURN_IF_ERROR(CheckNewId(
        testimony.id, IdKind::kTestimony, [&](int64_t id) { return store_.GetTestimony(id); },
        problems));
    IZDE_RETURN_IF_ERROR(CheckNewExternalId(
        testimony.external_id, IdKind::kTestimony,
        [&](std::string_view text) { return store_.FindTestimonyByExternalId(text); }, problems));
    for (const PersonRef& ref : mapped.value.persons) {
      Result<int64_t> person = ResolvePerson(ref.text);
      if (!person.ok()) {
        if (!IsNotFound(person.status())) return person.status();
        problems.push_back(NoPerson(ref.text, "persons"));
        continue;
      }
      testimony.mentions.push_back({*person, ref.relation});
    }
    if (problems.empty()) {
      Status normalized = registry_.NormalizeTestimony(testimony);
      if (!normalized.ok()) {
        problems.push_back(Status(normalized.code(), normalized.message(),
                                  ColumnOfField(options_.kind, normalized.field())));
      }
    }
    if (problems.empty()) testimonies_.push_back(std::move(testimony));
    return std::move(problems);
  }

  Result<std::vector<Status>> CheckEvent(const Row& row) {
    Mapped<EventRow> mapped = EventFromRow(row);
    std::vector<Status>& problems = mapped.problems;
    Event& event = mapped.value.event;
    IZDE_RETURN_IF_ERROR(CheckNewId(
        event.id, IdKind::kEvent, [&](int64_t id) { return store_.GetEvent(id); }, problems));
    if (!mapped.value.person.text.empty()) {
      Result<int64_t> person = ResolvePerson(mapped.value.person.text);
      if (person.ok()) {
        event.person_id = *person;
      } else if (IsNotFound(person.status())) {
        problems.push_back(NoPerson(mapped.value.person.text, "person"));
      } else {
        return person.status();
      }
    }
    if (!mapped.value.testimony.empty()) {
      Result<int64_t> testimony = ResolveTestimony(mapped.value.testimony);
      if (testimony.ok()) {
        event.source_testimony_id = *testimony;
      } else if (IsNotFound(testimony.status())) {
        problems.push_back(InvalidArgumentError(
            fmt::format("no testimony with id or external id '{}'", mapped.value.testimony),
            "testimony"));
      } else {
        return testimony.status();
      }
    }
    if (problems.empty()) {
      Status normalized = registry_.NormalizeEvent(event);
      if (!normalized.ok()) {
        problems.push_back(Status(normalized.code(), normalized.message(),
                                  ColumnOfField(options_.kind, normalized.field())));
      }
    }
    if (problems.empty()) events_.push_back(std::move(event));
    return std::move(problems);
  }

  std::string FormatProblem(int64_t line, const Status& problem) const {
    if (problem.field().empty())
      return fmt::format("{}:{}: {}", options_.path, line, problem.message());
    return fmt::format("{}:{}: field '{}': {}", options_.path, line, problem.field(),
                       problem.message());
  }

  void AddProblem(int64_t line, const Status& problem) {
    if (report_.problems.size() < options_.max_problems) {
      report_.problems.push_back(FormatProblem(line, problem));
    } else {
      ++report_.problems_omitted;
    }
  }

  void Reject(int64_t line, const std::vector<Status>& problems, RawRecord raw) {
    std::string reason = fmt::format("line {}: ", line);
    for (size_t problem_idx = 0; problem_idx < problems.size(); ++problem_idx) {
      AddProblem(line, problems[problem_idx]);
      if (problem_idx > 0) reason.append("; ");
      if (!problems[problem_idx].field().empty()) {
        reason.append(fmt::format("field '{}': ", problems[problem_idx].field()));
      }
      reason.append(problems[problem_idx].message());
    }
    ++report_.rejected;
    // Without skip_bad the rejected records are never written anywhere: do not keep them.
    if (options_.skip_bad && !options_.dry_run) {
      rejected_.push_back({std::move(raw), std::move(reason)});
    }
  }

  Status WriteRejects() {
    const std::string path =
        options_.rejects_path.empty() ? DefaultRejectsPath(options_.path) : options_.rejects_path;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) return UnavailableError(fmt::format("cannot write the rejects file '{}'", path));
    if (format_ == Format::kCsv) {
      CsvWriter writer(out);
      std::vector<std::string> header = header_fields_;
      // A rejects file imported again carries a reason column: reuse it.
      size_t reason_idx = header.size();
      for (size_t column_idx = 0; column_idx < header.size(); ++column_idx) {
        std::string name = header[column_idx];
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (name == "reason") reason_idx = column_idx;
      }
      if (reason_idx == header.size()) header.emplace_back("reason");
      writer.WriteRow(header);
      for (Rejected& rejected : rejected_) {
        std::vector<std::string>& fields = rejected.raw.fields;
        // A record with too few fields is padded so that the reason stays in its column;
        // one with too many keeps them all, the reason after them.
        if (fields.size() < header_fields_.size()) fields.resize(header_fields_.size());
        if (reason_idx < header_fields_.size()) {
          fields[reason_idx] = rejected.reason;
        } else {
          fields.push_back(rejected.reason);
        }
        writer.WriteRow(fields);
      }
    } else {
      JsonlWriter writer(out);
      for (Rejected& rejected : rejected_) {
        nlohmann::ordered_json object = rejected.raw.object.is_object()
                                            ? std::move(rejected.raw.object)
                                            : nlohmann::ordered_json{{"text", rejected.raw.text}};
        object["reason"] = rejected.reason;
        writer.Write(object);
      }
    }
    out.flush();
    if (!out) return UnavailableError(fmt::format("cannot write the rejects file '{}'", path));
    report_.rejects_path = path;
    return OkStatus();
  }

  Status Write(const registry::Actor& actor) {
    registry::ProgressFn progress;
    if (options_.progress) {
      progress = [this](int64_t done, int64_t total) {
        options_.progress(ImportPhase::kWriting, done, total);
      };
    }
    switch (options_.kind) {
      case RecordKind::kPersons: {
        if (persons_.empty()) break;
        IZDE_ASSIGN_OR_RETURN(registry::ImportSummary summary,
                              registry_.ImportPersons(std::move(persons_), actor, progress));
        report_.imported = static_cast<int64_t>(summary.person_ids.size());
        report_.events_created = summary.events_created;
        break;
      }
      case RecordKind::kTestimonies: {
        if (testimonies_.empty()) break;
        IZDE_ASSIGN_OR_RETURN(report_.imported, registry_.ImportTestimonies(std::move(testimonies_),
                                                                            actor, progress));
        break;
      }
      case RecordKind::kEvents: {
        if (events_.empty()) break;
        IZDE_ASSIGN_OR_RETURN(report_.imported,
                              registry_.ImportEvents(std::move(events_), actor, progress));
        break;
      }
    }
    return OkStatus();
  }

  registry::Registry& registry_;
  registry::StoreReader& store_;
  const ImportOptions& options_;
  const io::Format format_;
  const int64_t total_bytes_;
  ImportReport report_;
  bool header_failed_ = false;
  bool store_is_empty_ = false;
  size_t names_column_ = 0;
  int64_t line_ = 0;
  std::vector<std::string> header_fields_;
  std::vector<Rejected> rejected_;
  std::unordered_map<int64_t, int64_t> ids_;  // id -> line
  std::unordered_map<std::string, int64_t> external_ids_;
  std::unordered_map<std::string, int64_t> person_refs_;
  std::vector<PersonImport> persons_;
  std::vector<Testimony> testimonies_;
  std::vector<Event> events_;
};

}  // namespace

std::string DefaultRejectsPath(std::string_view path) {
  const size_t slash = path.rfind('/');
  const size_t dot = path.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash) ||
      dot == (slash == std::string_view::npos ? 0 : slash + 1)) {
    return std::string(path) + ".rejects";
  }
  return fmt::format("{}.rejects{}", path.substr(0, dot), path.substr(dot));
}

Result<ImportReport> ImportStream(registry::Registry& registry, std::istream& in,
                                  const ImportOptions& options, const registry::Actor& actor) {
  if (!options.format.has_value()) {
    return InvalidArgumentError("the format of the input must be given", "format");
  }
  Importer importer(registry, options, *options.format, 0);
  return importer.Run(in, actor);
}

Result<ImportReport> Import(registry::Registry& registry, const ImportOptions& options,
                            const registry::Actor& actor) {
  Format format = Format::kCsv;
  if (options.format.has_value()) {
    format = *options.format;
  } else {
    IZDE_ASSIGN_OR_RETURN(format, FormatFromPath(options.path));
  }
  std::error_code error;
  const std::filesystem::path path(options.path);
  if (!std::filesystem::is_regular_file(path, error)) {
    return NotFoundError(fmt::format("no such file: '{}'", options.path));
  }
  const auto size = std::filesystem::file_size(path, error);
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError(fmt::format("cannot open '{}'", options.path));
  Importer importer(registry, options, format, error ? 0 : static_cast<int64_t>(size));
  return importer.Run(in, actor);
}

}  // namespace izde::io
