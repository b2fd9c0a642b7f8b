#include "io/index_snapshot.h"

#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unicode/uversion.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <future>
#include <optional>
#include <set>
#include <utility>

#include "core/ids.h"
#include "registry/index_record.h"

namespace izde::io {
namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// The file: kMagic, u32 kFileFormat, u32 fingerprint length and bytes, i64 change position,
// u64 digest of the change at it, u64 count and i64 ids of the persons left out (no key),
// u64 length and bytes of CandidateIndex::SaveSnapshot, u64 length and bytes of the caller's
// section (format 2; format 1 files end before it and are read as having none), then u64
// checksum (Hash64, seed 0) of all that precedes it. Integers little-endian.
constexpr std::string_view kMagic = "IZDEINDX";
constexpr uint32_t kFileFormat = 2;

static_assert(std::endian::native == std::endian::little, "the snapshot is little-endian");

// A 64-bit hash of the XXH64 family: a checksum against damage and truncation, not against
// forgery (whoever can write the file can write the database beside it). About 5 GB/s.
constexpr uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

uint64_t Read64(const char* at) {
  uint64_t value = 0;
  std::memcpy(&value, at, 8);
  return value;
}

uint64_t Round(uint64_t acc, uint64_t input) {
  acc += input * kPrime2;
  acc = std::rotl(acc, 31);
  return acc * kPrime1;
}

uint64_t Merge(uint64_t acc, uint64_t lane) {
  acc ^= Round(0, lane);
  return acc * kPrime1 + kPrime4;
}

uint64_t Hash64(std::string_view bytes, uint64_t seed) {
  const char* at = bytes.data();
  const char* end = at + bytes.size();
  uint64_t hash = 0;
  if (bytes.size() >= 32) {
    uint64_t lanes[4] = {seed + kPrime1 + kPrime2, seed + kPrime2, seed, seed - kPrime1};
    for (; end - at >= 32; at += 32) {
      for (int lane = 0; lane < 4; ++lane) lanes[lane] = Round(lanes[lane], Read64(at + 8 * lane));
    }
    hash = std::rotl(lanes[0], 1) + std::rotl(lanes[1], 7) + std::rotl(lanes[2], 12) +
           std::rotl(lanes[3], 18);
    for (uint64_t lane : lanes) hash = Merge(hash, lane);
  } else {
    hash = seed + kPrime5;
  }
  hash += bytes.size();
  for (; end - at >= 8; at += 8)
    hash = std::rotl(hash ^ Round(0, Read64(at)), 27) * kPrime1 + kPrime4;
  for (; at < end; ++at) {
    hash ^= static_cast<uint64_t>(static_cast<uint8_t>(*at)) * kPrime5;
    hash = std::rotl(hash, 11) * kPrime1;
  }
  hash ^= hash >> 33;
  hash *= kPrime2;
  hash ^= hash >> 29;
  hash *= kPrime3;
  hash ^= hash >> 32;
  return hash;
}

template <typename T>
void PutFixed(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

// Reads the file's fields; a read past the end fails the reader.
class FieldReader {
 public:
  explicit FieldReader(std::string_view bytes) : bytes_(bytes) {}
  bool ok() const { return ok_; }
  size_t left() const { return bytes_.size() - pos_; }

  std::string_view Bytes(uint64_t length) {
    if (!ok_ || length > left()) {
      ok_ = false;
      return {};
    }
    std::string_view bytes = bytes_.substr(pos_, static_cast<size_t>(length));
    pos_ += static_cast<size_t>(length);
    return bytes;
  }

  template <typename T>
  T Fixed() {
    std::string_view bytes = Bytes(sizeof(T));
    T value{};
    if (ok_) std::memcpy(&value, bytes.data(), sizeof(T));
    return value;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// The GNU build id of the running program: a hash of the whole linked file that the linker
// wrote into it (ld --build-id, on by default on Debian), read from memory: no I/O.
std::string ProgramBuildId() {
  std::string id;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        auto& found = *static_cast<std::string*>(data);
        for (ElfW(Half) header_idx = 0; header_idx < info->dlpi_phnum; ++header_idx) {
          const ElfW(Phdr)& header = info->dlpi_phdr[header_idx];
          if (header.p_type != PT_NOTE) continue;
          const char* note = reinterpret_cast<const char*>(info->dlpi_addr + header.p_vaddr);
          const char* end = note + header.p_memsz;
          while (note + sizeof(ElfW(Nhdr)) <= end) {
            ElfW(Nhdr) entry;
            std::memcpy(&entry, note, sizeof(entry));
            const char* name = note + sizeof(entry);
            const char* desc = name + ((entry.n_namesz + 3) & ~3U);
            if (entry.n_type == NT_GNU_BUILD_ID && entry.n_namesz == 4 &&
                std::memcmp(name, "GNU", 4) == 0 && desc + entry.n_descsz <= end) {
              static constexpr char kHex[] = "0123456789abcdef";
              for (size_t byte_idx = 0; byte_idx < entry.n_descsz; ++byte_idx) {
                const auto byte = static_cast<uint8_t>(desc[byte_idx]);
                found.push_back(kHex[byte >> 4]);
                found.push_back(kHex[byte & 15]);
              }
              return 1;
            }
            note = desc + ((entry.n_descsz + 3) & ~3U);
          }
        }
        return 1;  // the first object is the program itself: stop there
      },
      &id);
  return id;
}

Result<std::string> ReadProgramFile() {
  std::string bytes;
  const int fd = ::open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return UnavailableError("cannot read /proc/self/exe");
  char buffer[1 << 16];
  while (true) {
    const ssize_t got = ::read(fd, buffer, sizeof(buffer));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      ::close(fd);
      if (got < 0) return UnavailableError("cannot read /proc/self/exe");
      return bytes;
    }
    bytes.append(buffer, static_cast<size_t>(got));
  }
}

// The digest of the change at `position` (0 when there is none yet): the same database, and
// the same history up to it, give the same digest; another database, or a history rewritten
// (a backup restored, then written), almost never does.
Result<uint64_t> DigestOfChangeAt(registry::Store& store, int64_t position) {
  if (position == 0) return 0;
  IZDE_ASSIGN_OR_RETURN(registry::Store::ChangeBatch batch, store.ChangesAfter(position - 1, 1));
  if (batch.changes.empty() || batch.changes.front().position != position) {
    return NotFoundError("the database holds no change at position " + std::to_string(position));
  }
  const registry::AuditEntry& entry = batch.changes.front().entry;
  std::string text = std::to_string(position) + '\n' + std::to_string(entry.id) + '\n' + entry.at +
                     '\n' + entry.actor + '\n' + entry.action + '\n' + entry.entity + '\n' +
                     entry.person;
  return Hash64(text, 0);
}

// The person a change concerns, if any: its person field, else its entity when a person.
std::optional<int64_t> PersonOfChange(const registry::AuditEntry& entry) {
  for (const std::string* text : {&entry.person, &entry.entity}) {
    if (text->empty()) continue;
    Result<int64_t> id = ParseId(IdKind::kPerson, *text);
    if (id.ok()) return *id;
  }
  return std::nullopt;
}

// Whether the index holds `fresh` (a record made from the store now) as it would after adding
// it: the same name forms as written and the same fields, as CandidateIndex keeps them.
bool HoldsAsMade(const match::IndexRecord& held, const match::IndexRecord& fresh) {
  std::vector<std::string> names;
  for (const std::string& name : fresh.names) {
    if (!name.empty() && names.size() < 255) names.push_back(name);
  }
  auto clamp = [](int year) { return std::clamp(year, -32768, 32767); };
  const match::YearRange& birth = fresh.fields.birth;
  return held.names == names && held.fields.hometown_code == fresh.fields.hometown_code &&
         held.fields.gender == fresh.fields.gender &&
         held.fields.birth.first == clamp(birth.first) &&
         held.fields.birth.last == (birth.known() ? clamp(birth.last) : 0);
}

// How many persons, spread over the ids, are compared with the store at each load.
constexpr int64_t kSpotChecks = 48;

struct Snapshot {
  std::string fingerprint;
  int64_t position = 0;
  uint64_t digest = 0;
  std::vector<int64_t> skipped;
  std::string_view index_bytes;  // into the file's bytes
  std::string_view extra;        // likewise; empty in a format 1 file
};

// The snapshot file's bytes, mapped read-only rather than read into memory: at 1M persons the
// file is 280 MB, and reading it copied every byte into pages the kernel first had to clear
// (perf of a start from the snapshot: the copy 15% and page clearing 11% of the samples). The
// mapping shares the page cache's pages. A snapshot is only ever replaced (a new file renamed
// over it, WriteFileAtomically), never rewritten in place, so the mapped file stays as it was.
class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  MappedFile(MappedFile&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  MappedFile& operator=(MappedFile&& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    return *this;
  }
  ~MappedFile() {
    if (data_ != nullptr) ::munmap(data_, size_);
  }

  // The reason it cannot be read otherwise.
  static Result<MappedFile> Open(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return NotFoundError("no snapshot");
      return UnavailableError(std::string("cannot open the snapshot: ") + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
      ::close(fd);
      return UnavailableError("the snapshot is not a regular file");
    }
    MappedFile file;
    if (info.st_size > 0) {
      file.size_ = static_cast<size_t>(info.st_size);
      // MAP_POPULATE: the pages are mapped now, in one pass, not faulted in one by one.
      void* data = ::mmap(nullptr, file.size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
      if (data == MAP_FAILED) {
        const int error = errno;
        ::close(fd);
        return UnavailableError(std::string("cannot map the snapshot: ") + std::strerror(error));
      }
      file.data_ = data;
    }
    ::close(fd);
    return file;
  }

  std::string_view bytes() const {
    return data_ == nullptr ? std::string_view() : std::string_view(static_cast<const char*>(data_), size_);
  }

 private:
  void* data_ = nullptr;
  size_t size_ = 0;
};

Result<Snapshot> ParseSnapshot(std::string_view bytes) {
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) {
    return DataLossError("the snapshot is not an izde index snapshot");
  }
  const std::string_view covered = bytes.substr(0, bytes.size() - 8);
  if (Hash64(covered, 0) != Read64(bytes.data() + covered.size())) {
    return DataLossError("the snapshot's checksum does not match (damaged or cut short)");
  }
  FieldReader in(covered.substr(kMagic.size()));
  Snapshot snapshot;
  const uint32_t format = in.Fixed<uint32_t>();
  if (in.ok() && format != kFileFormat && format != 1) {
    return DataLossError("the snapshot has file format " + std::to_string(format));
  }
  snapshot.fingerprint.assign(in.Bytes(in.Fixed<uint32_t>()));
  snapshot.position = in.Fixed<int64_t>();
  snapshot.digest = in.Fixed<uint64_t>();
  const uint64_t skipped = in.Fixed<uint64_t>();
  if (!in.ok() || skipped > in.left() / 8) return DataLossError("the snapshot is cut short");
  snapshot.skipped.resize(static_cast<size_t>(skipped));
  for (int64_t& id : snapshot.skipped) id = in.Fixed<int64_t>();
  snapshot.index_bytes = in.Bytes(in.Fixed<uint64_t>());
  if (format >= 2) snapshot.extra = in.Bytes(in.Fixed<uint64_t>());
  if (!in.ok() || in.left() != 0) return DataLossError("the snapshot's sections do not add up");
  return snapshot;
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  std::string temp = path + ".tmp-XXXXXX";
  const int fd = ::mkstemp(temp.data());  // mode 0600
  if (fd < 0) {
    return UnavailableError("cannot create " + temp + ": " + std::strerror(errno));
  }
  auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    ::close(fd);
    ::unlink(temp.c_str());
    return UnavailableError("cannot " + what + " " + temp + ": " + reason);
  };
  if (::fchmod(fd, S_IRUSR | S_IWUSR) != 0) return fail("restrict");
  size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t wrote = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote <= 0) return fail("write");
    done += static_cast<size_t>(wrote);
  }
  if (::fsync(fd) != 0) return fail("sync");
  if (::close(fd) != 0) {
    ::unlink(temp.c_str());
    return UnavailableError("cannot write " + temp);
  }
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temp.c_str());
    return UnavailableError("cannot rename " + temp + " to " + path + ": " + reason);
  }
  // The rename itself is durable once the directory is synced.
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  const int dir_fd = ::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    const int synced = ::fsync(dir_fd);  // best effort: the file itself is already synced
    static_cast<void>(synced);
    ::close(dir_fd);
  }
  return OkStatus();
}

// Builds `index` from every person of the store.
Status Build(registry::Store& store, const registry::Gazetteer& places,
             match::CandidateIndex& index, const IndexSnapshotOptions& options,
             const registry::PersonVisitor& visit, std::vector<int64_t>& skipped) {
  constexpr size_t kBatch = 4096;
  int64_t total = 0;
  if (options.progress) {
    IZDE_ASSIGN_OR_RETURN(total, store.CountPersons());
  }
  int64_t done = 0;
  std::vector<match::IndexRecord> batch;
  batch.reserve(kBatch);
  auto add_batch = [&] {
    std::vector<Status> added = index.AddBatch(batch, options.threads);
    for (size_t record_idx = 0; record_idx < batch.size(); ++record_idx) {
      // A person whose names give no search key cannot be found by name; counted.
      if (!added[record_idx].ok()) skipped.push_back(batch[record_idx].id);
    }
    done += static_cast<int64_t>(batch.size());
    batch.clear();
    if (options.progress) options.progress(done, std::max(done, total));
  };
  IZDE_RETURN_IF_ERROR(store.ScanPersons(
      [&](const registry::Person& person, const std::vector<registry::Event>& events) -> Status {
        if (visit) {
          Status visited = visit(person, events);
          if (!visited.ok()) return visited;
        }
        batch.push_back(registry::IndexRecordOf(places, person));
        if (batch.size() == kBatch) add_batch();
        return OkStatus();
      }));
  add_batch();
  // Records sharing keys numbered together: Find ~10% faster (1.4 s at 1M persons, against
  // tens of seconds of analysis). A snapshot keeps the order, so a loaded index has it too.
  index.Cluster();
  return OkStatus();
}

// Loads the snapshot into `index` and applies the changes after it. A non-ok status says why
// the snapshot cannot be used (the index may then hold anything: the caller starts afresh);
// store errors come back as they are, in `store_error`.
Status LoadAndRefresh(registry::Store& store, const registry::Gazetteer& places,
                      match::CandidateIndex& index, const IndexSnapshotOptions& options,
                      const std::string& fingerprint, int64_t& position,
                      std::vector<int64_t>& skipped, int64_t& refreshed, Status& store_error) {
  IZDE_ASSIGN_OR_RETURN(const MappedFile file, MappedFile::Open(options.path));
  IZDE_ASSIGN_OR_RETURN(Snapshot snapshot, ParseSnapshot(file.bytes()));
  if (snapshot.fingerprint != fingerprint) {
    return FailedPreconditionError("the snapshot was made by another build of izde");
  }
  Result<int64_t> current = store.ChangePosition();
  if (!current.ok()) {
    store_error = current.status();
    return current.status();
  }
  if (snapshot.position > *current) {
    return FailedPreconditionError("the snapshot is ahead of the database (another database?)");
  }
  Result<uint64_t> digest = DigestOfChangeAt(store, snapshot.position);
  if (!digest.ok() || *digest != snapshot.digest) {
    return FailedPreconditionError(
        "the database's change at the snapshot's position differs (another database?)");
  }
  // The store's count of persons, for the check at the end, is read on another thread while
  // this one loads the index (a count walks the table's pages: 0.3 s at 1M persons when they
  // are not in the page cache). Only persons are counted (CountPersons): counting names,
  // events and the audit too took seconds more on a cold cache (at 1M, sqlite3: persons 0.32 s,
  // person_names 3.4 s, audit 1.8 s, events 1.4 s; warm 0.00 / 0.06 / 0.04 / 0.02 s). The store
  // is used by one thread at a time: this one touches it again only once the count is in
  // (`counted.get()`; the future's destructor waits on every other way out).
  std::future<Result<int64_t>> counted =
      std::async(std::launch::async, [&store] { return store.CountPersons(); });
  Status loaded = index.LoadSnapshot(snapshot.index_bytes);
  Result<int64_t> persons = counted.get();
  IZDE_RETURN_IF_ERROR(loaded);
  if (!persons.ok()) {
    store_error = persons.status();
    return persons.status();
  }
  if (options.load_extra) options.load_extra(snapshot.extra);

  // Persons named by later changes, read again. Up to the position read above: changes
  // committed since are for the next start (or the server's follower).
  std::set<int64_t> changed;
  int64_t at = snapshot.position;
  while (at < *current) {
    Result<registry::Store::ChangeBatch> batch = store.ChangesAfter(at, 10000);
    if (!batch.ok()) {
      store_error = batch.status();
      return batch.status();
    }
    if (batch->changes.empty()) break;
    for (const registry::Store::Change& change : batch->changes) {
      if (std::optional<int64_t> person = PersonOfChange(change.entry)) changed.insert(*person);
    }
    at = batch->position;
  }
  const size_t indexed = index.stats().records;
  if (changed.size() > std::max<size_t>(1000, indexed / 4)) {
    return FailedPreconditionError("too many persons changed since the snapshot");
  }
  std::set<int64_t> left_out(snapshot.skipped.begin(), snapshot.skipped.end());
  std::vector<match::IndexRecord> records;
  for (int64_t person_id : changed) {
    index.Remove(person_id);
    left_out.erase(person_id);
    Result<registry::Person> person = store.GetPerson(person_id);
    if (person.ok()) {
      records.push_back(registry::IndexRecordOf(places, *person));
    } else if (person.status().code() != StatusCode::kNotFound) {
      store_error = person.status();
      return person.status();
    }
    if (options.refreshed) {
      Status seen = options.refreshed(person_id, person.ok() ? &*person : nullptr);
      if (!seen.ok()) {
        store_error = seen;
        return seen;
      }
    }
  }
  std::vector<Status> added = index.AddBatch(records, options.threads);
  for (size_t record_idx = 0; record_idx < records.size(); ++record_idx) {
    if (!added[record_idx].ok()) left_out.insert(records[record_idx].id);
  }
  // A spot check, that the snapshot is of this database and that no write escaped the change
  // sequence: persons spread over the ids are read and must be held as the store has them
  // (or be left out, or be absent from both).
  const int64_t top = std::max<int64_t>(*persons, 1) + kSpotChecks;
  for (int64_t check = 1; check <= kSpotChecks; ++check) {
    const int64_t person_id = std::max<int64_t>(1, top * check / kSpotChecks - check % 3);
    if (changed.count(person_id) != 0) continue;
    Result<registry::Person> person = store.GetPerson(person_id);
    std::optional<match::IndexRecord> held = index.RecordOf(person_id);
    if (person.ok()) {
      const bool agrees = held ? HoldsAsMade(*held, registry::IndexRecordOf(places, *person))
                               : left_out.count(person_id) != 0;
      if (!agrees) {
        return FailedPreconditionError("the snapshot holds person " + std::to_string(person_id) +
                                       " otherwise than the database (another database?)");
      }
    } else if (person.status().code() != StatusCode::kNotFound) {
      store_error = person.status();
      return person.status();
    } else if (held || left_out.count(person_id) != 0) {
      return FailedPreconditionError("the snapshot holds person " + std::to_string(person_id) +
                                     ", whom the database does not (another database?)");
    }
  }
  // Every person must be in the index or left out: a write that no change names (none should
  // be) shows here as a count that differs.
  if (*persons != static_cast<int64_t>(index.stats().records + left_out.size())) {
    return FailedPreconditionError("the snapshot and the database count persons differently");
  }
  position = at;
  skipped.assign(left_out.begin(), left_out.end());
  refreshed = static_cast<int64_t>(changed.size());
  return OkStatus();
}

}  // namespace

std::string DefaultIndexSnapshotPath(const registry::Store& store) {
  constexpr std::string_view kSqlite = "sqlite:";
  const std::string location = store.Describe();
  if (location.rfind(kSqlite, 0) != 0) return "";
  const std::string path = location.substr(kSqlite.size());
  // An in-memory database has no place beside it.
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) return "";
  return path + ".index";
}

const std::string& EngineFingerprint() {
  static const std::string fingerprint = [] {
    // The linker's build id when there is one, else a hash of the program's file.
    std::string program = ProgramBuildId();
    if (program.empty()) {
      Result<std::string> bytes = ReadProgramFile();
      if (!bytes.ok() || bytes->empty()) return std::string();
      char hex[40];
      std::snprintf(hex, sizeof(hex), "%016llx%016llx",
                    static_cast<unsigned long long>(Hash64(*bytes, 0)),
                    static_cast<unsigned long long>(Hash64(*bytes, kPrime3)));
      program = std::string("file ") + hex;
    } else {
      program = "build-id " + program;
    }
    UVersionInfo version;
    u_getVersion(version);
    char icu[U_MAX_VERSION_STRING_LENGTH] = {};
    u_versionToString(version, icu);
    return program + " icu " + icu;
  }();
  return fingerprint;
}

Status WriteIndexSnapshot(registry::Store& store, const match::CandidateIndex& index,
                          int64_t position, const std::vector<int64_t>& skipped,
                          const std::string& path, const std::string& fingerprint,
                          std::string_view extra) {
  IZDE_ASSIGN_OR_RETURN(uint64_t digest, DigestOfChangeAt(store, position));
  const std::string index_bytes = index.SaveSnapshot();
  std::string out;
  out.reserve(index_bytes.size() + extra.size() + fingerprint.size() + 8 * skipped.size() + 72);
  out.append(kMagic);
  PutFixed<uint32_t>(out, kFileFormat);
  PutFixed<uint32_t>(out, static_cast<uint32_t>(fingerprint.size()));
  out.append(fingerprint);
  PutFixed<int64_t>(out, position);
  PutFixed<uint64_t>(out, digest);
  PutFixed<uint64_t>(out, skipped.size());
  for (int64_t id : skipped) PutFixed<int64_t>(out, id);
  PutFixed<uint64_t>(out, index_bytes.size());
  out.append(index_bytes);
  PutFixed<uint64_t>(out, extra.size());
  out.append(extra);
  PutFixed<uint64_t>(out, Hash64(out, 0));
  return WriteFileAtomically(path, out);
}

Result<IndexLoadReport> LoadIndex(registry::Store& store, const registry::Gazetteer& places,
                                  match::CandidateIndex& index, const IndexSnapshotOptions& options,
                                  const registry::PersonVisitor& visit) {
  IndexLoadReport report;
  const std::string& fingerprint =
      options.fingerprint.empty() ? EngineFingerprint() : options.fingerprint;
  bool keep = !options.path.empty();
  if (keep && fingerprint.empty()) {
    keep = false;
    report.rebuilt_because = "this program cannot fingerprint itself";
  }
  int64_t position = 0;
  std::vector<int64_t> skipped;
  if (keep) {
    Clock::time_point start = Clock::now();
    Status store_error;
    Status loaded = LoadAndRefresh(store, places, index, options, fingerprint, position, skipped,
                                   report.refreshed, store_error);
    if (!store_error.ok()) return store_error;
    report.load_s = SecondsSince(start);
    if (loaded.ok()) {
      report.from_snapshot = true;
    } else {
      report.rebuilt_because = loaded.message();
      index.LoadSnapshot(match::CandidateIndex().SaveSnapshot()).IgnoreError();  // emptied
      skipped.clear();
      report.refreshed = 0;
    }
  }
  if (!report.from_snapshot) {
    Clock::time_point start = Clock::now();
    // The position is read before the scan: changes committed during it are applied again
    // at the next load.
    if (keep) {
      Result<int64_t> current = store.ChangePosition();
      if (current.ok()) {
        position = *current;
      } else {
        keep = false;
        report.rebuilt_because = current.status().message();
      }
    }
    IZDE_RETURN_IF_ERROR(Build(store, places, index, options, visit, skipped));
    report.build_s = SecondsSince(start);
  }
  report.indexed = static_cast<int64_t>(index.stats().records);
  report.skipped = static_cast<int64_t>(skipped.size());
  report.position = position;
  if (keep && (!report.from_snapshot || report.refreshed > 0)) {
    Clock::time_point start = Clock::now();
    const std::string extra = options.save_extra ? options.save_extra() : std::string();
    Status written =
        WriteIndexSnapshot(store, index, position, skipped, options.path, fingerprint, extra);
    report.write_s = SecondsSince(start);
    report.written = written.ok();
    if (!written.ok()) report.write_error = written.message();
  }
  std::sort(skipped.begin(), skipped.end());
  report.left_out = std::move(skipped);
  return report;
}

}  // namespace izde::io
