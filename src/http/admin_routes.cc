// Administration routes: the backup download (docs/server.md). The backup itself is made by
// the function `izde serve` passes in ServerOptions::backup (store/backup.h, SQLite's online
// backup API), so that http/ stays free of store/; here it is packed as one tar archive and
// streamed from disk.
#include <fmt/format.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <system_error>
#include <vector>

#include "http/decode.h"
#include "http/routes.h"

namespace izde::http {

namespace fs = std::filesystem;

namespace {

using nlohmann::json;

constexpr size_t kBlock = 512;

// Writes `value` as a zero-padded octal number of `width - 1` digits and a NUL.
bool PutOctal(char* field, size_t width, uint64_t value) {
  std::string digits = fmt::format("{:0{}o}", value, width - 1);
  if (digits.size() > width - 1) return false;
  std::memcpy(field, digits.data(), digits.size());
  field[width - 1] = '\0';
  return true;
}

// A POSIX ustar header for a regular file of `size` bytes at `path` (relative, '/'-separated).
Result<std::array<char, kBlock>> TarHeader(const std::string& path, uint64_t size, int64_t mtime,
                                           bool secret) {
  std::array<char, kBlock> header{};
  std::string name = path;
  std::string prefix;
  if (name.size() > 100) {
    // ustar splits a long path at a '/' into prefix (155) and name (100).
    size_t cut = path.find('/', path.size() > 101 ? path.size() - 101 : 0);
    if (cut == std::string::npos || cut > 155) {
      return InvalidArgumentError(fmt::format("path too long for a tar archive: {}", path));
    }
    prefix = path.substr(0, cut);
    name = path.substr(cut + 1);
  }
  std::memcpy(header.data(), name.data(), name.size());
  PutOctal(header.data() + 100, 8, secret ? 0600 : 0644);
  PutOctal(header.data() + 108, 8, 0);
  PutOctal(header.data() + 116, 8, 0);
  if (!PutOctal(header.data() + 124, 12, size)) {
    return InvalidArgumentError(fmt::format("file too large for a tar archive: {}", path));
  }
  PutOctal(header.data() + 136, 12, static_cast<uint64_t>(std::max<int64_t>(mtime, 0)));
  header[156] = '0';
  std::memcpy(header.data() + 257, "ustar", 6);
  std::memcpy(header.data() + 263, "00", 2);
  std::memcpy(header.data() + 265, "izde", 4);
  std::memcpy(header.data() + 297, "izde", 4);
  std::memcpy(header.data() + 345, prefix.data(), prefix.size());
  // The checksum is taken with its own field as eight spaces.
  std::memset(header.data() + 148, ' ', 8);
  uint64_t sum = 0;
  for (char byte : header) sum += static_cast<unsigned char>(byte);
  std::string check = fmt::format("{:06o}", sum);
  std::memcpy(header.data() + 148, check.data(), 6);
  header[154] = '\0';
  header[155] = ' ';
  return header;
}

// Packs every regular file under `dir` into the tar file `out`, each under `top`/…, in sorted
// order so that the manifest comes where a reader expects it.
Status WriteTar(const fs::path& dir, const std::string& top, const fs::path& out) {
  std::vector<fs::path> files;
  std::error_code error;
  for (fs::recursive_directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error)) {
    if (it->is_regular_file()) files.push_back(it->path());
  }
  if (error)
    return UnavailableError(fmt::format("cannot read {}: {}", dir.string(), error.message()));
  std::sort(files.begin(), files.end());
  std::ofstream tar(out, std::ios::binary | std::ios::trunc);
  if (!tar) return UnavailableError(fmt::format("cannot write {}", out.string()));
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  std::vector<char> buffer(1 << 16);
  for (const fs::path& file : files) {
    std::string relative = fs::relative(file, dir).generic_string();
    uint64_t size = fs::file_size(file, error);
    if (error) return UnavailableError(fmt::format("cannot read {}", file.string()));
    IZDE_ASSIGN_OR_RETURN(auto header,
                          TarHeader(top + "/" + relative, size, now, relative.ends_with(".key")));
    tar.write(header.data(), kBlock);
    std::ifstream in(file, std::ios::binary);
    uint64_t copied = 0;
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      std::streamsize got = in.gcount();
      if (got <= 0) break;
      tar.write(buffer.data(), got);
      copied += static_cast<uint64_t>(got);
    }
    if (copied != size) return UnavailableError(fmt::format("{} changed while packing", relative));
    static const std::array<char, kBlock> kZeros{};
    if (size % kBlock != 0)
      tar.write(kZeros.data(), static_cast<std::streamsize>(kBlock - size % kBlock));
  }
  static const std::array<char, 2 * kBlock> kEnd{};
  tar.write(kEnd.data(), kEnd.size());
  tar.close();
  if (!tar) return UnavailableError(fmt::format("cannot write {}", out.string()));
  return OkStatus();
}

// A private directory under the system's temporary directory, removed when the last owner
// (the request, then the response's stream) lets go of it.
class TempDir {
 public:
  static Result<std::shared_ptr<TempDir>> Make() {
    std::string pattern = (fs::temp_directory_path() / "izde-backup-XXXXXX").string();
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    if (mkdtemp(name.data()) == nullptr) {
      return UnavailableError("cannot make a temporary directory for the backup");
    }
    return std::shared_ptr<TempDir>(new TempDir(name.data()));
  }
  ~TempDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

// "20261130T065100Z"
std::string Stamp() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  std::array<char, 32> text{};
  std::strftime(text.data(), text.size(), "%Y%m%dT%H%M%SZ", &utc);
  return text.data();
}

Result<json> Backup(RouteContext& context, Call& call) {
  json body = json::object();
  if (!call.req.body.empty()) {
    IZDE_ASSIGN_OR_RETURN(body, JsonBody(call, context.options.max_body_bytes));
  }
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {"include_key"}));
  bool include_key = false;
  if (body.contains("include_key")) {
    if (!body["include_key"].is_boolean()) {
      return InvalidArgumentError("expected true or false", "include_key");
    }
    include_key = body["include_key"].get<bool>();
  }
  if (!context.options.backup) {
    return FailedPreconditionError(
        "this server cannot make backups; run `izde backup OUT` where the database is");
  }
  IZDE_ASSIGN_OR_RETURN(std::shared_ptr<TempDir> temp, TempDir::Make());
  std::string top = "izde-backup-" + Stamp();
  IZDE_RETURN_IF_ERROR(context.options.backup((temp->path() / top).string(), include_key));
  fs::path tar = temp->path() / (top + ".tar");
  IZDE_RETURN_IF_ERROR(WriteTar(temp->path() / top, top, tar));
  std::error_code error;
  uint64_t size = fs::file_size(tar, error);
  if (error) return UnavailableError("cannot read the packed backup");

  // Who took a copy of everything, and whether with the key, stays on record.
  IZDE_ASSIGN_OR_RETURN(auto txn, context.registry.store().Begin());
  IZDE_RETURN_IF_ERROR(
      txn->AppendAudit(
             {.actor = call.actor(),
              .action = "backup.download",
              .entity = top,
              .after = json{{"file", top + ".tar"}, {"bytes", size}, {"include_key", include_key}}
                           .dump(),
              .note = include_key ? "with the vault key" : ""})
          .status());
  IZDE_RETURN_IF_ERROR(txn->Commit());

  auto stream = std::make_shared<std::ifstream>(tar, std::ios::binary);
  if (!*stream) return UnavailableError("cannot read the packed backup");
  call.raw = true;
  call.res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}.tar\"", top));
  call.res.set_content_provider(
      static_cast<size_t>(size), "application/x-tar",
      [stream, temp](size_t offset, size_t length, httplib::DataSink& sink) {
        std::array<char, 1 << 16> chunk{};
        stream->seekg(static_cast<std::streamoff>(offset));
        stream->read(chunk.data(), static_cast<std::streamsize>(std::min(length, chunk.size())));
        std::streamsize got = stream->gcount();
        if (got <= 0) return false;
        return sink.write(chunk.data(), static_cast<size_t>(got));
      },
      [stream, temp](bool) { stream->close(); });
  return json(nullptr);
}

}  // namespace

void AddAdminRoutes(const AddRouteFn& add, RouteContext context) {
  add("POST", "/api/admin/backup", auth::Action::kBackups, false,
      [context](Call& call) mutable { return Backup(context, call); });
}

}  // namespace izde::http
