#include "store/pg_backup.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "store/copy_tables.h"

extern char** environ;

namespace izde::store::internal {
namespace {

namespace fs = std::filesystem;

// A URL without its password, for messages.
std::string Shown(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return url;
  const size_t at = url.find('@', scheme + 3);
  const size_t colon = url.find(':', scheme + 3);
  if (at == std::string::npos || colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon) + ":***" + url.substr(at);
}

// Runs `argv` (no shell) with stdout and stderr in a temporary file; kUnavailable with the
// program's last words when it fails.
Status RunTool(const std::vector<std::string>& argv, std::string_view what) {
  char log_template[] = "/tmp/izde-pgtool-XXXXXX";
  int log_fd = ::mkstemp(log_template);
  if (log_fd < 0) return UnavailableError("cannot create a temporary file");
  ::close(log_fd);
  const std::string log_path = log_template;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_path.c_str(), O_WRONLY | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  int wait_status = 0;
  if (spawned == 0 && ::waitpid(pid, &wait_status, 0) < 0) wait_status = -1;
  std::ifstream log(log_path);
  std::stringstream output;
  output << log.rdbuf();
  std::error_code ignored;
  fs::remove(log_path, ignored);
  if (spawned != 0) {
    return UnavailableError(fmt::format("{}: cannot run {}", what, argv[0]));
  }
  if (!WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    std::string text = output.str();
    if (text.size() > 2000) text = text.substr(text.size() - 2000);
    while (!text.empty() && text.back() == '\n') text.pop_back();
    return UnavailableError(
        fmt::format("{}: {} failed: {}", what, fs::path(argv[0]).filename().string(), text));
  }
  return OkStatus();
}

bool SameDigests(const std::vector<TableDigest>& a, const std::vector<TableDigest>& b) {
  if (a.size() != b.size()) return false;
  for (size_t idx = 0; idx < a.size(); ++idx) {
    if (a[idx].table != b[idx].table || a[idx].rows != b[idx].rows ||
        a[idx].sha256 != b[idx].sha256) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<std::string> FindPgTool(std::string_view name) {
  std::error_code ignored;
  if (const char* env = std::getenv("IZDE_PG_BIN"); env != nullptr && *env != '\0') {
    const fs::path tool = fs::path(env) / name;
    if (fs::exists(tool, ignored)) return tool.string();
  }
  fs::path best;
  int best_version = -1;
  for (const auto& entry : fs::directory_iterator("/usr/lib/postgresql", ignored)) {
    const fs::path tool = entry.path() / "bin" / name;
    if (!fs::exists(tool, ignored)) continue;
    const int version = std::atoi(entry.path().filename().c_str());
    if (version > best_version) {
      best_version = version;
      best = tool;
    }
  }
  if (!best.empty()) return best.string();
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    std::stringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
      const fs::path tool = fs::path(dir) / name;
      if (!dir.empty() && fs::exists(tool, ignored)) return tool.string();
    }
  }
  return NotFoundError(fmt::format(
      "no {} (PostgreSQL's client programs): install the postgresql-client package, or set "
      "IZDE_PG_BIN to the folder that holds it",
      name));
}

Result<std::vector<TableDigest>> PgDump(const std::string& url, const std::string& dump_path) {
  IZDE_ASSIGN_OR_RETURN(std::string pg_dump, FindPgTool("pg_dump"));
  // pg_dump reads one snapshot, but the digest is read apart from it: a digest equal before
  // and after the dump is the dump's. A server writing meanwhile makes us try again.
  constexpr int kAttempts = 3;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    IZDE_ASSIGN_OR_RETURN(std::vector<TableDigest> before, DigestRegistry(url));
    std::error_code ignored;
    fs::remove(dump_path, ignored);
    IZDE_RETURN_IF_ERROR(RunTool({pg_dump, "--format=custom", "--no-owner", "--no-privileges",
                                  "--file=" + dump_path, "--dbname=" + url},
                                 fmt::format("dumping {}", Shown(url))));
    IZDE_ASSIGN_OR_RETURN(std::vector<TableDigest> after, DigestRegistry(url));
    if (SameDigests(before, after)) return after;
  }
  return AbortedError(fmt::format(
      "{} changed during each of {} dumps: stop the servers writing to it, or back up at a "
      "quieter time",
      Shown(url), kAttempts));
}

Status PgCheckArchive(const std::string& dump_path) {
  IZDE_ASSIGN_OR_RETURN(std::string pg_restore, FindPgTool("pg_restore"));
  return RunTool({pg_restore, "--list", dump_path},
                 fmt::format("reading the archive '{}'", dump_path));
}

Status PgRestore(const std::string& dump_path, const std::string& url, bool clean) {
  IZDE_ASSIGN_OR_RETURN(std::string pg_restore, FindPgTool("pg_restore"));
  IZDE_ASSIGN_OR_RETURN(std::unique_ptr<TableDatabase> target, OpenPgTables(url));
  IZDE_ASSIGN_OR_RETURN(std::vector<std::string> tables, target->Tables());
  IZDE_ASSIGN_OR_RETURN(int version, target->SchemaVersion());
  if (!clean && (!tables.empty() || version != 0)) {
    return AlreadyExistsError(fmt::format(
        "{} holds tables ({}...): restore into an empty database (createdb), or use --force to "
        "replace what the backup holds",
        Shown(url), tables.empty() ? std::string("izde_schema") : tables.front()));
  }
  std::vector<std::string> argv = {pg_restore, "--no-owner", "--no-privileges", "--exit-on-error",
                                   "--single-transaction"};
  if (clean) {
    argv.emplace_back("--clean");
    argv.emplace_back("--if-exists");
  }
  argv.push_back("--dbname=" + url);
  argv.push_back(dump_path);
  return RunTool(argv, fmt::format("restoring into {}", Shown(url)));
}

}  // namespace izde::store::internal
