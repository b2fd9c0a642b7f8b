#include "store/copy.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <ostream>
#include <streambuf>
#include <utility>

#include "store/copy_tables.h"
#include "store/open.h"
#include "store/vault.h"

namespace izde::store {
namespace {

namespace fs = std::filesystem;
using internal::Cell;
using internal::ColumnType;
using internal::Key;
using internal::Row;
using internal::TableDatabase;
using internal::TableSpec;

constexpr ColumnType kInt = ColumnType::kInt;
constexpr ColumnType kText = ColumnType::kText;
constexpr ColumnType kReal = ColumnType::kReal;
constexpr ColumnType kBool = ColumnType::kBool;

// Every table of schema version 5, referenced tables before those that refer to them. A
// table added by a later migration must be added here too: a source holding a table that is
// neither here nor in kNotCopied is refused, so that a copy never silently drops data.
const std::vector<TableSpec>& Tables() {
  static const std::vector<TableSpec> tables = {
      {"users",
       {{"id", kInt},
        {"name", kText},
        {"role", kText},
        {"password_hash", kText},
        {"disabled", kBool},
        {"created_at", kText}}},
      {"persons",
       {{"id", kInt},
        {"external_id", kText},
        {"gender", kText},
        {"birth_date", kText},
        {"birth_from", kInt},
        {"birth_to", kInt},
        {"ethnicity", kText},
        {"hometown_code", kText},
        {"hometown_text", kText},
        {"occupation", kText},
        {"prc_id", kText},
        {"privacy", kText},
        {"grade", kText},
        {"notes", kText},
        {"version", kInt},
        {"created_at", kText},
        {"updated_at", kText}}},
      {"person_names",
       {{"person_id", kInt},
        {"position", kInt},
        {"text", kText},
        {"script", kText},
        {"part", kText},
        {"source", kText}},
       2,
       false},
      {"testimonies",
       {{"id", kInt},
        {"external_id", kText},
        {"testifier_name", kText},
        {"testifier_contact", kText},
        {"date", kText},
        {"language", kText},
        {"medium", kText},
        {"summary", kText},
        {"transcript", kText},
        {"link", kText},
        {"consent", kText},
        {"version", kInt},
        {"created_at", kText}}},
      {"mentions",
       {{"testimony_id", kInt}, {"position", kInt}, {"person_id", kInt}, {"relation", kText}},
       2,
       false},
      {"events",
       {{"id", kInt},
        {"person_id", kInt},
        {"type", kText},
        {"date", kText},
        {"date_from", kInt},
        {"date_to", kInt},
        {"place_code", kText},
        {"place_text", kText},
        {"testimony_id", kInt},
        {"source", kText},
        {"note", kText},
        {"version", kInt},
        {"created_at", kText}}},
      {"relations",
       {{"id", kInt},
        {"from_person", kInt},
        {"to_person", kInt},
        {"kind", kText},
        {"note", kText}}},
      {"audit",
       {{"id", kInt},
        {"at", kText},
        {"actor", kText},
        {"action", kText},
        {"entity", kText},
        {"person", kText},
        {"before", kText},
        {"after", kText},
        {"note", kText}}},
      {"candidate_pairs",
       {{"id", kInt},
        {"person_a", kInt},
        {"person_b", kInt},
        {"score", kReal},
        {"explanation", kText},
        {"created_at", kText}}},
      {"judgements",
       {{"id", kInt},
        {"person_a", kInt},
        {"person_b", kInt},
        {"verdict", kText},
        {"actor", kText},
        {"at", kText},
        {"note", kText},
        {"undone_at", kText},
        {"undone_note", kText}}},
      {"lists",
       {{"id", kInt},
        {"title", kText},
        {"source_file", kText},
        {"column_map", kText},
        {"created_by", kText},
        {"created_at", kText}}},
      {"list_rows", {{"id", kInt}, {"list_id", kInt}, {"line", kInt}, {"fields", kText}}},
      {"row_candidates",
       {{"row_id", kInt},
        {"rank", kInt},
        {"person_id", kInt},
        {"score", kReal},
        {"explanation", kText}},
       2,
       false},
      {"row_judgements",
       {{"id", kInt},
        {"row_id", kInt},
        {"person_id", kInt},
        {"verdict", kText},
        {"actor", kText},
        {"at", kText},
        {"note", kText}}},
      {"evidence",
       {{"id", kInt},
        {"person_id", kInt},
        {"testimony_id", kInt},
        {"kind", kText},
        {"media_type", kText},
        {"original_name", kText},
        {"size", kInt},
        {"sha256", kText},
        {"blob", kText},
        {"created_at", kText},
        {"added_by", kText},
        {"note", kText},
        {"privacy", kText}}},
  };
  return tables;
}

// Sessions are a server's logins, not the registry: each row holds the hash of a bearer
// token a browser presents. Carrying them over would keep every login valid on the new
// server (and in whatever copy is made), so a move asks everyone to log in again; they
// expire within hours anyway.
const std::vector<std::pair<std::string, std::string>>& NotCopied() {
  static const std::vector<std::pair<std::string, std::string>> tables = {
      {"sessions", "logins of a server: everyone logs in again on the copy"},
      {"changes",
       "PostgreSQL's change sequence that running servers follow (docs/server.md); servers of "
       "the copy load everything when they start"}};
  return tables;
}

constexpr size_t kEvidenceSizeColumn = 6;
constexpr size_t kEvidenceShaColumn = 7;
constexpr size_t kEvidenceBlobColumn = 8;

bool IsPostgres(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

// The file a SQLite location names, or the URL of a PostgreSQL one.
std::string Bare(std::string_view location) {
  if (location.starts_with("sqlite:")) location.remove_prefix(7);
  return std::string(location);
}

// A URL without its password, for messages.
std::string Shown(const std::string& location) {
  if (!IsPostgres(location)) return location;
  const size_t scheme = location.find("://") + 3;
  const size_t at = location.find('@', scheme);
  const size_t colon = location.find(':', scheme);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return location;
  return location.substr(0, colon) + ":***" + location.substr(at);
}

Result<std::unique_ptr<TableDatabase>> OpenTables(const std::string& location) {
  if (IsPostgres(location)) return internal::OpenPgTables(location);
  return internal::OpenSqliteTables(Bare(location));
}

class Sha256 {
 public:
  Sha256() { crypto_hash_sha256_init(&state_); }
  void Update(std::string_view bytes) {
    crypto_hash_sha256_update(&state_, reinterpret_cast<const unsigned char*>(bytes.data()),
                              bytes.size());
  }
  std::string Hex() {
    std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
    crypto_hash_sha256_final(&state_, digest.data());
    std::string hex(digest.size() * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
    hex.pop_back();
    return hex;
  }

 private:
  crypto_hash_sha256_state state_;
};

// One row, unambiguously: "N" for NULL, else "V<length>:<bytes>", and a newline per row.
void HashRow(Sha256& hash, const Row& row) {
  for (const Cell& cell : row) {
    if (!cell) {
      hash.Update("N");
      continue;
    }
    hash.Update(fmt::format("V{}:", cell->size()));
    hash.Update(*cell);
  }
  hash.Update("\n");
}

Result<TableDigest> DigestTable(TableDatabase& db, const TableSpec& table) {
  TableDigest digest{.table = table.name};
  Sha256 hash;
  Key after;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> rows, db.Read(table, after, 10000));
    if (rows.empty()) break;
    for (const Row& row : rows) HashRow(hash, row);
    digest.rows += static_cast<int64_t>(rows.size());
    IZDE_ASSIGN_OR_RETURN(after, internal::RowKey(table, rows.back()));
  }
  digest.sha256 = hash.Hex();
  return digest;
}

Result<std::vector<TableDigest>> DigestAll(TableDatabase& db) {
  std::vector<TableDigest> digests;
  for (const TableSpec& table : Tables()) {
    IZDE_ASSIGN_OR_RETURN(TableDigest digest, DigestTable(db, table));
    digests.push_back(std::move(digest));
  }
  return digests;
}

std::string KeyText(const Key& key) {
  std::string text;
  for (int64_t part : key) text += (text.empty() ? "" : ",") + std::to_string(part);
  return text;
}

Status Different(const TableSpec& table, const Key& key, std::string_view how) {
  return FailedPreconditionError(fmt::format(
      "the target holds a different registry: table {}, key ({}) {}; copy into an empty "
      "database, or into the one an interrupted copy of this source left",
      table.name, KeyText(key), how));
}

// Refuses a source with a table this program does not know how to copy.
Status CheckKnownTables(TableDatabase& source) {
  IZDE_ASSIGN_OR_RETURN(std::vector<std::string> names, source.Tables());
  for (const std::string& name : names) {
    const bool known = std::any_of(Tables().begin(), Tables().end(),
                                   [&](const TableSpec& table) { return name == table.name; }) ||
                       std::any_of(NotCopied().begin(), NotCopied().end(),
                                   [&](const auto& skipped) { return name == skipped.first; });
    if (!known) {
      return FailedPreconditionError(fmt::format(
          "the source has a table '{}' that this izde does not know how to copy; use the izde "
          "that wrote it",
          name));
    }
  }
  return OkStatus();
}

// Before anything is written: the target's first row of each table must be the source's.
Status CheckSameRegistry(TableDatabase& source, TableDatabase& target) {
  for (const TableSpec& table : Tables()) {
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> first, target.Read(table, {}, 1));
    if (first.empty()) continue;
    IZDE_ASSIGN_OR_RETURN(Key key, internal::RowKey(table, first[0]));
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> theirs, source.ReadRange(table, key, key));
    if (theirs.empty()) return Different(table, key, "is not in the source");
    if (theirs[0] != first[0]) return Different(table, key, "differs from the source's");
  }
  return OkStatus();
}

// Copies one table; returns the rows written.
Result<int64_t> CopyTable(TableDatabase& source, TableDatabase& target, const TableSpec& table,
                          const CopyOptions& options, int64_t& batches) {
  IZDE_ASSIGN_OR_RETURN(int64_t total, source.Count(table));
  int64_t done = 0;
  int64_t written = 0;
  Key after;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> rows,
                          source.Read(table, after, std::max<int64_t>(1, options.batch_rows)));
    if (rows.empty()) break;
    IZDE_ASSIGN_OR_RETURN(Key first, internal::RowKey(table, rows.front()));
    IZDE_ASSIGN_OR_RETURN(Key last, internal::RowKey(table, rows.back()));
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> present, target.ReadRange(table, first, last));
    // Both lists are in key order: walk them together.
    std::vector<Row> missing;
    size_t present_idx = 0;
    for (Row& row : rows) {
      IZDE_ASSIGN_OR_RETURN(Key key, internal::RowKey(table, row));
      while (present_idx < present.size()) {
        IZDE_ASSIGN_OR_RETURN(Key there, internal::RowKey(table, present[present_idx]));
        if (there >= key) break;
        return Different(table, there, "is not in the source");
      }
      if (present_idx < present.size()) {
        IZDE_ASSIGN_OR_RETURN(Key there, internal::RowKey(table, present[present_idx]));
        if (there == key) {
          if (present[present_idx] != row)
            return Different(table, key, "differs from the source's");
          ++present_idx;
          continue;
        }
      }
      missing.push_back(std::move(row));
    }
    if (present_idx < present.size()) {
      IZDE_ASSIGN_OR_RETURN(Key there, internal::RowKey(table, present[present_idx]));
      return Different(table, there, "is not in the source");
    }
    done += static_cast<int64_t>(rows.size());
    after = std::move(last);
    if (!missing.empty()) {
      IZDE_RETURN_IF_ERROR(target.Insert(table, missing)
                               .WithContext(fmt::format("copying table {} after key ({})",
                                                        table.name, KeyText(first))));
      written += static_cast<int64_t>(missing.size());
      ++batches;
      if (options.fail_after_batches >= 0 && batches >= options.fail_after_batches) {
        return AbortedError(
            fmt::format("copy stopped after {} batches, as asked (a test of resuming)", batches));
      }
    }
    if (options.progress) options.progress({.table = table.name, .done = done, .total = total});
  }
  // Rows beyond the source's last key would be another registry's.
  IZDE_ASSIGN_OR_RETURN(std::vector<Row> beyond, target.Read(table, after, 1));
  if (!beyond.empty()) {
    IZDE_ASSIGN_OR_RETURN(Key there, internal::RowKey(table, beyond[0]));
    return Different(table, there, "is not in the source");
  }
  if (table.serial) {
    IZDE_ASSIGN_OR_RETURN(int64_t sequence, source.Sequence(table));
    IZDE_RETURN_IF_ERROR(target.RaiseSequence(table, sequence));
  }
  return written;
}

Result<std::string> Sha256OfFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError(fmt::format("cannot read '{}'", path.string()));
  Sha256 hash;
  std::vector<char> buffer(64 * 1024);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    const std::streamsize got = in.gcount();
    if (got > 0) hash.Update(std::string_view(buffer.data(), static_cast<size_t>(got)));
  }
  if (in.bad()) return UnavailableError(fmt::format("cannot read '{}'", path.string()));
  return hash.Hex();
}

// Writes `from`'s bytes to `to` through a temporary name, flushed, mode 0600.
Status CopyFileAtomically(const fs::path& from, const fs::path& to) {
  std::error_code error;
  fs::create_directories(to.parent_path(), error);
  fs::permissions(to.parent_path(), fs::perms::owner_all, error);
  const fs::path partial = to.string() + ".copy-partial";
  fs::remove(partial, error);
  if (!fs::copy_file(from, partial, error)) {
    return UnavailableError(fmt::format("cannot copy '{}' to '{}': {}", from.string(),
                                        partial.string(), error.message()));
  }
  fs::permissions(partial, fs::perms::owner_read | fs::perms::owner_write, error);
  int fd = ::open(partial.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  fs::rename(partial, to, error);
  if (error) {
    return UnavailableError(
        fmt::format("cannot rename '{}': {}", partial.string(), error.message()));
  }
  return OkStatus();
}

// The vault's files by their names ("ab/cdef..."), without writes in progress.
Result<std::vector<std::string>> VaultFiles(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code error;
  if (!fs::exists(dir, error)) return names;
  std::error_code ignored;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    if (!it->is_regular_file(ignored)) continue;
    std::string name = fs::relative(it->path(), dir, ignored).generic_string();
    if (name.ends_with(".partial")) continue;
    names.push_back(std::move(name));
  }
  if (error) {
    return UnavailableError(
        fmt::format("cannot read the vault '{}': {}", dir.string(), error.message()));
  }
  std::sort(names.begin(), names.end());
  return names;
}

Result<std::string> ReadSmallFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError(fmt::format("cannot read '{}'", path.string()));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// What to do with the vault key; decided before anything is written.
struct KeyPlan {
  bool copy = false;        // install the source's key at the target
  bool move_aside = false;  // first rename the target's unused key to "<key>.before-copy"
};

Result<KeyPlan> PlanKey(const fs::path& source_key, const fs::path& target_key,
                        const fs::path& target_vault) {
  std::error_code error;
  KeyPlan plan;
  if (!fs::exists(source_key, error)) return plan;
  if (!fs::exists(target_key, error)) {
    plan.copy = true;
    return plan;
  }
  IZDE_ASSIGN_OR_RETURN(std::string ours, ReadSmallFile(source_key));
  IZDE_ASSIGN_OR_RETURN(std::string theirs, ReadSmallFile(target_key));
  if (ours == theirs) return plan;
  IZDE_ASSIGN_OR_RETURN(std::vector<std::string> stored, VaultFiles(target_vault));
  const fs::path aside = target_key.string() + ".before-copy";
  if (!stored.empty() || fs::exists(aside, error)) {
    return FailedPreconditionError(fmt::format(
        "the target's vault key '{}' is not the source's and {}; copy into a registry "
        "without evidence",
        target_key.string(),
        stored.empty() ? fmt::format("'{}' exists", aside.string()) : "files are stored under it"));
  }
  plan.copy = true;
  plan.move_aside = true;
  return plan;
}

// Refuses a target vault holding a different file under a name the source uses; returns the
// names still to copy.
Result<std::vector<std::string>> PlanVault(const fs::path& from, const fs::path& to,
                                           const std::vector<std::string>& names) {
  std::vector<std::string> to_copy;
  std::error_code error;
  for (const std::string& name : names) {
    if (!fs::exists(to / name, error)) {
      to_copy.push_back(name);
      continue;
    }
    IZDE_ASSIGN_OR_RETURN(std::string ours, Sha256OfFile(from / name));
    IZDE_ASSIGN_OR_RETURN(std::string theirs, Sha256OfFile(to / name));
    if (ours != theirs) {
      return FailedPreconditionError(
          fmt::format("the target's vault holds a different file named {}: it is not the "
                      "source's registry",
                      name));
    }
  }
  return to_copy;
}

// Discards what is written: decrypting a file to check it needs no copy of the plaintext.
class DiscardBuffer final : public std::streambuf {
 protected:
  int_type overflow(int_type c) override { return traits_type::not_eof(c); }
  std::streamsize xsputn(const char*, std::streamsize count) override { return count; }
};

// Decrypts every evidence file of the target and compares it with its record.
Result<int64_t> CheckEvidence(TableDatabase& target, const fs::path& vault_dir,
                              const fs::path& key_path, std::vector<std::string>& problems) {
  const TableSpec& table = Tables().back();
  IZDE_ASSIGN_OR_RETURN(int64_t count, target.Count(table));
  if (count == 0) return 0;
  Result<std::unique_ptr<Vault>> vault =
      Vault::Open({.dir = vault_dir.string(), .key_path = key_path.string()});
  if (!vault.ok()) {
    problems.push_back(
        fmt::format("{} evidence files cannot be checked: {}", count, vault.status().message()));
    return 0;
  }
  int64_t checked = 0;
  Key after;
  while (true) {
    IZDE_ASSIGN_OR_RETURN(std::vector<Row> rows, target.Read(table, after, 1000));
    if (rows.empty()) break;
    for (const Row& row : rows) {
      const std::string blob = row[kEvidenceBlobColumn].value_or("");
      DiscardBuffer discard;
      std::ostream out(&discard);
      Result<registry::EvidenceVault::Stored> stored = (*vault)->Get(blob, out);
      if (!stored.ok()) {
        problems.push_back(fmt::format("evidence file {}: {}", blob, stored.status().message()));
      } else if (stored->sha256 != row[kEvidenceShaColumn].value_or("") ||
                 std::to_string(stored->size) != row[kEvidenceSizeColumn].value_or("")) {
        problems.push_back(fmt::format(
            "evidence file {} decrypts to sha256 {} ({} bytes), its record says {} ({} bytes)",
            blob, stored->sha256, stored->size, row[kEvidenceShaColumn].value_or(""),
            row[kEvidenceSizeColumn].value_or("")));
      } else {
        ++checked;
      }
    }
    IZDE_ASSIGN_OR_RETURN(after, internal::RowKey(table, rows.back()));
  }
  return checked;
}

}  // namespace

namespace internal {

Result<Key> RowKey(const TableSpec& table, const Row& row) {
  Key key;
  key.reserve(table.key_columns);
  for (size_t idx = 0; idx < table.key_columns; ++idx) {
    if (idx >= row.size() || !row[idx]) {
      return DataLossError(
          fmt::format("a row of {} has no {}", table.name, table.columns[idx].name));
    }
    int64_t part = 0;
    const std::string& text = *row[idx];
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), part);
    if (error != std::errc() || end != text.data() + text.size()) {
      return DataLossError(
          fmt::format("{}.{} '{}' is not an integer", table.name, table.columns[idx].name, text));
    }
    key.push_back(part);
  }
  return key;
}

std::string ColumnList(const TableSpec& table) {
  std::string list;
  for (const ColumnSpec& column : table.columns) {
    if (!list.empty()) list += ", ";
    list += fmt::format("\"{}\"", column.name);
  }
  return list;
}

std::string KeyList(const TableSpec& table) {
  std::string list;
  for (size_t idx = 0; idx < table.key_columns; ++idx) {
    if (idx > 0) list += ", ";
    list += fmt::format("\"{}\"", table.columns[idx].name);
  }
  return list;
}

}  // namespace internal

std::vector<std::string> CopiedTables() {
  std::vector<std::string> names;
  for (const TableSpec& table : Tables()) names.emplace_back(table.name);
  return names;
}

std::vector<std::pair<std::string, std::string>> TablesNotCopied() { return NotCopied(); }

Result<std::vector<TableDigest>> DigestRegistry(const std::string& location) {
  if (sodium_init() < 0) return InternalError("libsodium failed to initialise");
  // Opening the store checks that it is an izde registry and brings its schema up to date.
  IZDE_RETURN_IF_ERROR(OpenStore(location, {.create = false}).status());
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<TableDatabase> db, OpenTables(location));
  return DigestAll(*db);
}

Result<CopyReport> CopyRegistry(const std::string& from, const std::string& to,
                                const CopyOptions& options) {
  if (sodium_init() < 0) return InternalError("libsodium failed to initialise");
  std::error_code ignored;
  const bool same =
      IsPostgres(from) || IsPostgres(to)
          ? from == to
          : fs::weakly_canonical(Bare(from), ignored) == fs::weakly_canonical(Bare(to), ignored);
  if (same) return InvalidArgumentError("the source and the target are the same registry", "to");
  // Both opened as stores first: the source must be a registry; the target gets the schema.
  IZDE_RETURN_IF_ERROR(OpenStore(from, {.create = false})
                           .status()
                           .WithContext(fmt::format("source {}", Shown(from))));
  IZDE_RETURN_IF_ERROR(
      OpenStore(to, {.create = true}).status().WithContext(fmt::format("target {}", Shown(to))));
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<TableDatabase> source, OpenTables(from));
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<TableDatabase> target, OpenTables(to));
  IZDE_ASSIGN_OR_RETURN(int source_version, source->SchemaVersion());
  IZDE_ASSIGN_OR_RETURN(int target_version, target->SchemaVersion());
  if (source_version != target_version) {
    return FailedPreconditionError(fmt::format("the source has schema version {} and the target {}",
                                               source_version, target_version));
  }
  IZDE_RETURN_IF_ERROR(CheckKnownTables(*source));
  IZDE_RETURN_IF_ERROR(CheckSameRegistry(*source, *target));

  const fs::path source_vault = DefaultVaultDir(Bare(from));
  const fs::path target_vault = DefaultVaultDir(Bare(to));
  const fs::path source_key = DefaultVaultKeyPath(Bare(from));
  const fs::path target_key = DefaultVaultKeyPath(Bare(to));
  IZDE_ASSIGN_OR_RETURN(KeyPlan key_plan, PlanKey(source_key, target_key, target_vault));
  IZDE_ASSIGN_OR_RETURN(std::vector<std::string> vault_files, VaultFiles(source_vault));
  IZDE_ASSIGN_OR_RETURN(std::vector<std::string> vault_to_copy,
                        PlanVault(source_vault, target_vault, vault_files));

  CopyReport report;
  report.vault_files = static_cast<int64_t>(vault_files.size());
  if (key_plan.move_aside) {
    std::error_code error;
    fs::rename(target_key, target_key.string() + ".before-copy", error);
    if (error) {
      return UnavailableError(
          fmt::format("cannot move '{}' aside: {}", target_key.string(), error.message()));
    }
  }
  if (key_plan.copy) {
    IZDE_RETURN_IF_ERROR(CopyFileAtomically(source_key, target_key));
    report.key_copied = true;
  }
  // Files before records: a record never names a file that is not there yet.
  fs::create_directories(target_vault, ignored);
  fs::permissions(target_vault, fs::perms::owner_all, ignored);
  for (const std::string& name : vault_to_copy) {
    IZDE_RETURN_IF_ERROR(CopyFileAtomically(source_vault / name, target_vault / name));
    ++report.vault_files_copied;
  }

  int64_t batches = 0;
  std::map<std::string, int64_t> written;
  for (const TableSpec& table : Tables()) {
    IZDE_ASSIGN_OR_RETURN(written[table.name],
                          CopyTable(*source, *target, table, options, batches));
  }

  // The check: every table on both sides, then every evidence file.
  IZDE_ASSIGN_OR_RETURN(std::vector<TableDigest> ours, DigestAll(*source));
  IZDE_ASSIGN_OR_RETURN(std::vector<TableDigest> theirs, DigestAll(*target));
  for (size_t idx = 0; idx < ours.size(); ++idx) {
    TableCheck check{.table = ours[idx].table,
                     .source_rows = ours[idx].rows,
                     .target_rows = theirs[idx].rows,
                     .source_sha256 = ours[idx].sha256,
                     .target_sha256 = theirs[idx].sha256,
                     .copied = written[ours[idx].table]};
    if (!check.matches()) {
      report.problems.push_back(
          fmt::format("table {}: {} rows sha256 {} in the source, {} rows "
                      "sha256 {} in the target",
                      check.table, check.source_rows, check.source_sha256, check.target_rows,
                      check.target_sha256));
    }
    report.tables.push_back(std::move(check));
  }
  for (const std::string& name : vault_files) {
    IZDE_ASSIGN_OR_RETURN(std::string ours_sha, Sha256OfFile(source_vault / name));
    Result<std::string> theirs_sha = Sha256OfFile(target_vault / name);
    if (!theirs_sha.ok() || *theirs_sha != ours_sha) {
      report.problems.push_back(fmt::format("vault file {} differs or is missing", name));
    }
  }
  IZDE_ASSIGN_OR_RETURN(report.evidence_checked,
                        CheckEvidence(*target, target_vault, target_key, report.problems));
  return report;
}

}  // namespace izde::store
