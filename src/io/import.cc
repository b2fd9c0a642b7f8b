#include "io/import.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>
#include <variant>

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

// One record on its way from the file to the store.
struct Item {
  int64_t line = 0;
  int64_t bytes_read = 0;        // of the file, when this record had been read
  std::vector<Status> problems;  // found while reading, mapping and normalising
  RawRecord raw;                 // kept only when it may go to the rejects file
  std::variant<std::monostate, PersonImport, TestimonyRow, EventRow> record;
};

// Batches of items from the reading thread to the writing one. Push blocks while the queue
// is full; Pop blocks while it is empty and open. Close (either side) ends both.
class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : capacity_(capacity) {}

  bool Push(std::vector<Item> batch) {
    std::unique_lock lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || batches_.size() < capacity_; });
    if (closed_) return false;
    batches_.push_back(std::move(batch));
    not_empty_.notify_one();
    return true;
  }

  std::optional<std::vector<Item>> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !batches_.empty(); });
    if (batches_.empty()) return std::nullopt;
    std::vector<Item> batch = std::move(batches_.front());
    batches_.pop_front();
    not_full_.notify_one();
    return batch;
  }

  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

 private:
  const size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_full_;
  std::condition_variable not_empty_;
  std::deque<std::vector<Item>> batches_;
  bool closed_ = false;
};

constexpr size_t kBatchSize = 512;
constexpr size_t kQueueBatches = 16;

// An import in two stages. Read: parse the file, map each record and normalise what needs no
// store (Prepare). Store: check each record against the file and the store, and write the
// good ones at once through a BulkWriter, whose transaction commits at the end only if the
// import is not refused. Persons, the bulk of large imports, are read on a second thread
// while the first writes; testimonies and events go through both stages on one thread.
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
    keep_raw_ = options.skip_bad && !options.dry_run;
  }

  Result<ImportReport> Run(std::istream& in, const registry::Actor& actor) {
    IZDE_ASSIGN_OR_RETURN(const int64_t existing, CountExisting());
    store_is_empty_ = existing == 0;
    std::optional<CsvReader> csv;
    std::optional<JsonlReader> jsonl;
    if (format_ == Format::kCsv) {
      csv.emplace(in);
      IZDE_RETURN_IF_ERROR(ReadCsvHeader(*csv));
    } else {
      jsonl.emplace(in);
    }
    if (header_failed_) {
      report_.refused = true;
      return std::move(report_);
    }
    if (!options_.dry_run) {
      IZDE_ASSIGN_OR_RETURN(writer_, registry_.BeginBulk(actor));
    }
    auto produce = [&](const std::function<bool(Item &&)>& emit) {
      return csv.has_value() ? ReadCsv(*csv, emit) : ReadJsonl(*jsonl, emit);
    };
    if (options_.kind == RecordKind::kPersons) {
      IZDE_RETURN_IF_ERROR(RunInTwoThreads(produce));
    } else {
      Status stored = OkStatus();
      Status read = produce([&](Item&& item) {
        stored = Store(item);
        return stored.ok();
      });
      IZDE_RETURN_IF_ERROR(stored);
      IZDE_RETURN_IF_ERROR(read);
    }
    if (!report_.clean() && !options_.skip_bad) {
      report_.refused = true;
      report_.imported = 0;
      return std::move(report_);  // writer_ rolls back
    }
    if (options_.dry_run) return std::move(report_);
    if (!rejected_.empty()) IZDE_RETURN_IF_ERROR(WriteRejects());
    if (options_.progress) options_.progress(ImportPhase::kWriting, 0, report_.imported);
    IZDE_RETURN_IF_ERROR(writer_->Commit());
    if (options_.progress) {
      options_.progress(ImportPhase::kWriting, report_.imported, report_.imported);
    }
    return std::move(report_);
  }

 private:
  using Produce = std::function<Status(const std::function<bool(Item&&)>&)>;

  // Reads on a second thread, stores on this one (which owns the store transaction).
  Status RunInTwoThreads(const Produce& produce) {
    BatchQueue queue(kQueueBatches);
    Status read = OkStatus();
    std::thread reader([&] {
      std::vector<Item> batch;
      batch.reserve(kBatchSize);
      read = produce([&](Item&& item) {
        batch.push_back(std::move(item));
        if (batch.size() < kBatchSize) return true;
        bool open = queue.Push(std::move(batch));
        batch = {};
        batch.reserve(kBatchSize);
        return open;
      });
      if (!batch.empty()) queue.Push(std::move(batch));
      queue.Close();
    });
    Status stored = OkStatus();
    while (std::optional<std::vector<Item>> batch = queue.Pop()) {
      for (Item& item : *batch) {
        stored = Store(item);
        if (!stored.ok()) break;
      }
      if (!stored.ok()) {
        queue.Close();  // the reader stops at its next push
        break;
      }
    }
    reader.join();
    IZDE_RETURN_IF_ERROR(stored);
    return read;
  }

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

  // Lookups see the records written so far when there is a transaction.
  registry::StoreReader& reader() {
    return writer_ != nullptr ? writer_->reader() : static_cast<registry::StoreReader&>(store_);
  }

  Status ReadCsvHeader(CsvReader& reader) {
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
    header_.emplace(Header::Make(options_.kind, header_fields_));
    for (const Status& problem : header_->problems()) AddProblem(reader.line(), problem);
    if (!header_->problems().empty()) header_failed_ = true;
    return OkStatus();
  }

  // --- the read stage: no store, no report -------------------------------------------------

  // Calls emit for every record after the header; stops early when emit returns false.
  // Returns an error only when the file cannot be read.
  Status ReadCsv(CsvReader& reader, const std::function<bool(Item&&)>& emit) const {
    Row row;
    for (;;) {
      Result<bool> more = reader.Next();
      if (more.ok() && !*more) break;
      Item item;
      item.bytes_read = reader.bytes_read();
      item.line = reader.line();
      if (!more.ok()) {
        if (more.status().code() != StatusCode::kInvalidArgument) return more.status();
        item.line = reader.error_line();
        item.problems.push_back(more.status());
        item.raw.fields.assign(reader.fields().begin(), reader.fields().end());
      } else if (Status filled = header_->Fill(reader.fields(), row); !filled.ok()) {
        item.problems.push_back(filled);
        item.raw.fields.assign(reader.fields().begin(), reader.fields().end());
      } else {
        Prepare(row, item);
        if (keep_raw_ || !item.problems.empty()) {
          item.raw.fields.assign(reader.fields().begin(), reader.fields().end());
        }
      }
      if (!emit(std::move(item))) break;
    }
    return OkStatus();
  }

  Status ReadJsonl(JsonlReader& reader, const std::function<bool(Item&&)>& emit) const {
    Row row;
    for (;;) {
      Result<bool> more = reader.Next();
      if (more.ok() && !*more) break;
      Item item;
      item.bytes_read = reader.bytes_read();
      item.line = reader.line();
      if (!more.ok()) {
        if (more.status().code() != StatusCode::kInvalidArgument) return more.status();
        item.problems.push_back(more.status());
        item.raw.text = reader.text();
      } else {
        item.problems = RowFromJson(options_.kind, reader.object(), row);
        if (item.problems.empty()) Prepare(row, item);
        if (keep_raw_ || !item.problems.empty()) item.raw.object = reader.object();
      }
      if (!emit(std::move(item))) break;
    }
    return OkStatus();
  }

  // Maps a row and normalises what needs no store (persons); the record goes into item
  // unless mapping found problems.
  void Prepare(const Row& row, Item& item) const {
    switch (options_.kind) {
      case RecordKind::kPersons: {
        Mapped<PersonImport> mapped = PersonFromRow(row);
        if (mapped.ok()) {
          Status normalized = registry_.NormalizePerson(mapped.value.person);
          if (!normalized.ok()) {
            std::string column = ColumnOfField(options_.kind, normalized.field());
            if (column == "name" && !row.values[names_column_].empty()) column = "names";
            mapped.problems.push_back(Status(normalized.code(), normalized.message(), column));
          }
        }
        Take(std::move(mapped), item);
        return;
      }
      case RecordKind::kTestimonies:
        Take(TestimonyFromRow(row), item);
        return;
      case RecordKind::kEvents:
        Take(EventFromRow(row), item);
        return;
    }
  }

  template <typename T>
  static void Take(Mapped<T>&& mapped, Item& item) {
    if (mapped.ok()) {
      item.record = std::move(mapped.value);
    } else {
      for (Status& problem : mapped.problems) item.problems.push_back(std::move(problem));
    }
  }

  // --- the store stage: checks against the file and the store, writes, reports -------------

  Status Store(Item& item) {
    ++report_.records;
    line_ = item.line;
    if (options_.progress && report_.records % kProgressEvery == 0) {
      options_.progress(ImportPhase::kValidating, item.bytes_read, total_bytes_);
    }
    if (auto* person = std::get_if<PersonImport>(&item.record)) {
      IZDE_RETURN_IF_ERROR(StorePerson(*person, item.problems));
    } else if (auto* testimony = std::get_if<TestimonyRow>(&item.record)) {
      IZDE_RETURN_IF_ERROR(StoreTestimony(*testimony, item.problems));
    } else if (auto* event = std::get_if<EventRow>(&item.record)) {
      IZDE_RETURN_IF_ERROR(StoreEvent(*event, item.problems));
    }
    if (!item.problems.empty()) Reject(item.line, item.problems, std::move(item.raw));
    return OkStatus();
  }

  // True while good records are written: not a dry run, and no problem yet that will
  // refuse the whole import.
  bool writing() const { return writer_ != nullptr && (options_.skip_bad || report_.clean()); }

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

  Status StorePerson(PersonImport& row, std::vector<Status>& problems) {
    registry::Person& person = row.person;
    IZDE_RETURN_IF_ERROR(CheckNewId(
        person.id, IdKind::kPerson, [&](int64_t id) { return reader().GetPerson(id); }, problems));
    IZDE_RETURN_IF_ERROR(CheckNewExternalId(
        person.external_id, IdKind::kPerson,
        [&](std::string_view text) { return reader().FindPersonByExternalId(text); }, problems));
    if (!problems.empty()) return OkStatus();
    report_.events_created += static_cast<int64_t>(row.events.size());
    if (!writing()) return OkStatus();
    ++report_.imported;
    return writer_->AddPerson(row).status().WithContext(fmt::format("line {}", line_));
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
        IZDE_ASSIGN_OR_RETURN(bool exists, Exists(reader().GetPerson(*parsed).status()));
        if (exists) id = *parsed;
      }
    }
    if (id == 0) {
      Result<int64_t> found = reader().FindPersonByExternalId(text);
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
        IZDE_ASSIGN_OR_RETURN(bool exists, Exists(reader().GetTestimony(*parsed).status()));
        if (exists) return *parsed;
      }
    }
    Result<int64_t> found = reader().FindTestimonyByExternalId(text);
    IZDE_ASSIGN_OR_RETURN(bool exists, Exists(found.status()));
    if (!exists) return NotFoundError(text);
    return *found;
  }

  static Status NoPerson(const std::string& text, std::string_view column) {
    return InvalidArgumentError(fmt::format("no person with id or external id '{}'", text),
                                std::string(column));
  }

  Status StoreTestimony(TestimonyRow& row, std::vector<Status>& problems) {
    Testimony& testimony = row.testimony;
    IZDE_RETURN_IF_ERROR(CheckNewId(
        testimony.id, IdKind::kTestimony, [&](int64_t id) { return reader().GetTestimony(id); },
        problems));
    IZDE_RETURN_IF_ERROR(CheckNewExternalId(
        testimony.external_id, IdKind::kTestimony,
        [&](std::string_view text) { return reader().FindTestimonyByExternalId(text); }, problems));
    for (const PersonRef& ref : row.persons) {
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
    if (!problems.empty() || !writing()) return OkStatus();
    ++report_.imported;
    return writer_->AddTestimony(testimony).status().WithContext(fmt::format("line {}", line_));
  }

  Status StoreEvent(EventRow& row, std::vector<Status>& problems) {
    Event& event = row.event;
    IZDE_RETURN_IF_ERROR(CheckNewId(
        event.id, IdKind::kEvent, [&](int64_t id) { return reader().GetEvent(id); }, problems));
    if (!row.person.text.empty()) {
      Result<int64_t> person = ResolvePerson(row.person.text);
      if (person.ok()) {
        event.person_id = *person;
      } else if (IsNotFound(person.status())) {
        problems.push_back(NoPerson(row.person.text, "person"));
      } else {
        return person.status();
      }
    }
    if (!row.testimony.empty()) {
      Result<int64_t> testimony = ResolveTestimony(row.testimony);
      if (testimony.ok()) {
        event.source_testimony_id = *testimony;
      } else if (IsNotFound(testimony.status())) {
        problems.push_back(InvalidArgumentError(
            fmt::format("no testimony with id or external id '{}'", row.testimony), "testimony"));
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
    if (!problems.empty() || !writing()) return OkStatus();
    ++report_.imported;
    return writer_->AddEvent(event).status().WithContext(fmt::format("line {}", line_));
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
    if (keep_raw_) rejected_.push_back({std::move(raw), std::move(reason)});
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

  registry::Registry& registry_;
  registry::Store& store_;
  const ImportOptions& options_;
  const io::Format format_;
  const int64_t total_bytes_;
  ImportReport report_;
  bool header_failed_ = false;
  bool store_is_empty_ = false;
  bool keep_raw_ = false;
  size_t names_column_ = 0;
  int64_t line_ = 0;
  std::vector<std::string> header_fields_;
  std::optional<Header> header_;
  std::unique_ptr<registry::BulkWriter> writer_;
  std::vector<Rejected> rejected_;
  std::unordered_map<int64_t, int64_t> ids_;  // id -> line
  std::unordered_map<std::string, int64_t> external_ids_;
  std::unordered_map<std::string, int64_t> person_refs_;
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
