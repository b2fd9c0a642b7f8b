#ifndef IZDE_TESTS_TESTING_POSTGRES_SERVER_H_
#define IZDE_TESTS_TESTING_POSTGRES_SERVER_H_

// A throwaway PostgreSQL server for tests: Debian's binaries (/usr/lib/postgresql/<ver>/bin,
// or $IZDE_PG_BIN), a cluster made by initdb in a temporary directory, listening on a free
// loopback port, started with pg_ctl and stopped and removed at the end. Runs as the
// `postgres` user when the tests run as root (PostgreSQL refuses to run as root).
// Nothing depends on a server that was already running.
//
// One server per test program, started on first use (SQLite-only tests never start one) and
// stopped by a GoogleTest global environment; each test takes a fresh database.

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace izde::testing {

class PostgresServer {
 public:
  PostgresServer() = default;
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;
  ~PostgresServer() { Stop(); }

  // Starts the server; on failure returns false and says why in error().
  bool Start() {
    std::filesystem::path bin = FindBinDir();
    if (bin.empty()) {
      error_ = "no PostgreSQL binaries in /usr/lib/postgresql/*/bin (run scripts/install-deps)";
      return false;
    }
    std::string run_as;
    if (geteuid() == 0) {
      const passwd* user = getpwnam("postgres");
      if (user == nullptr) {
        error_ = "running as root and there is no `postgres` user to run the server as";
        return false;
      }
      if (chown(dir_.path().c_str(), user->pw_uid, user->pw_gid) != 0) {
        error_ = "cannot give the temporary directory to the postgres user";
        return false;
      }
      run_as = "runuser -u postgres -- ";
    }
    data_ = dir_.File("data");
    std::string log = dir_.File("server.log");
    // initdb is slow on a loaded machine (seconds): make one template cluster per version
    // and user, shared by test programs, and copy it. The copy is the throwaway cluster.
    std::filesystem::path template_dir =
        std::filesystem::temp_directory_path() / ("izde-pg-template-" + std::to_string(geteuid()) +
                                                  "-" + bin.parent_path().filename().string());
    std::error_code ignored;
    if (!std::filesystem::exists(template_dir / "PG_VERSION", ignored)) {
      std::string fresh = dir_.File("template");
      std::string initdb = run_as + Quote((bin / "initdb").string()) + " -D " + Quote(fresh) +
                           " -U postgres -A trust -E UTF8 --no-locale --no-sync >" +
                           Quote(dir_.File("initdb.log")) + " 2>&1";
      if (std::system(initdb.c_str()) != 0) {
        error_ = "initdb failed: " + ReadFile(dir_.File("initdb.log"));
        return false;
      }
      // Another test program may have made it meanwhile: the first rename wins.
      std::filesystem::rename(fresh, template_dir, ignored);
    }
    std::string copy = "cp -a " + Quote((template_dir / ".").string()) + " " + Quote(data_);
    if (std::system(copy.c_str()) != 0) {
      error_ = "cannot copy the template cluster " + template_dir.string();
      return false;
    }
    pg_ctl_ = run_as + Quote((bin / "pg_ctl").string()) + " -D " + Quote(data_);
    // A free port can be taken between probing and binding: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
      port_ = FreePort();
      if (port_ == 0) continue;
      std::string options = "-p " + std::to_string(port_) + " -k " + dir_.path().string() +
                            " -c listen_addresses=127.0.0.1 -c fsync=off"
                            " -c synchronous_commit=off -c full_page_writes=off";
      std::string start = pg_ctl_ + " -w -t 60 -l " + Quote(log) + " -o " + Quote(options) +
                          " start >/dev/null 2>&1";
      if (std::system(start.c_str()) == 0) {
        running_ = true;
        return true;
      }
    }
    error_ = "pg_ctl start failed: " + ReadFile(log);
    return false;
  }

  void Stop() {
    if (!running_) return;
    std::string stop = pg_ctl_ + " -m immediate -w stop >/dev/null 2>&1";
    if (std::system(stop.c_str()) != 0) std::fprintf(stderr, "postgres_server: stop failed\n");
    running_ = false;
  }

  const std::string& error() const { return error_; }
  int port() const { return port_; }

  // The URL of database `name` on this server.
  std::string Url(const std::string& name) const {
    return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + name;
  }

  // Creates an empty database and returns its URL; "" with error() set on failure.
  std::string CreateDatabase() {
    static std::atomic<int> counter{0};
    std::string name = "izde_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
    try {
      pqxx::connection admin(Url("postgres"));
      pqxx::nontransaction txn(admin);
      txn.exec("CREATE DATABASE " + name);
    } catch (const std::exception& e) {
      error_ = std::string("CREATE DATABASE failed: ") + e.what();
      return "";
    }
    return Url(name);
  }

 private:
  static std::string Quote(const std::string& text) {
    std::string quoted = "'";
    for (char c : text) {
      if (c == '\'') {
        quoted += "'\\''";
      } else {
        quoted += c;
      }
    }
    return quoted + "'";
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  // $IZDE_PG_BIN, or the newest /usr/lib/postgresql/<version>/bin holding initdb.
  static std::filesystem::path FindBinDir() {
    if (const char* env = std::getenv("IZDE_PG_BIN"); env != nullptr && *env != '\0') {
      return env;
    }
    std::filesystem::path best;
    int best_version = -1;
    std::error_code ignored;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ignored)) {
      std::filesystem::path bin = entry.path() / "bin";
      if (!std::filesystem::exists(bin / "initdb", ignored)) continue;
      int version = std::atoi(entry.path().filename().c_str());
      if (version > best_version) {
        best_version = version;
        best = bin;
      }
    }
    return best;
  }

  static int FreePort() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return 0;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    int port = 0;
    if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
      port = ntohs(addr.sin_port);
    }
    close(fd);
    return port;
  }

  TempDir dir_;
  std::string data_;
  std::string pg_ctl_;
  std::string error_;
  int port_ = 0;
  bool running_ = false;
};

// The test program's server, started on first call. Null when it could not start; the
// reason is in SharedPostgresError().
inline std::unique_ptr<PostgresServer>& SharedPostgresSlot() {
  static std::unique_ptr<PostgresServer> server;
  return server;
}

inline std::string& SharedPostgresError() {
  static std::string error;
  return error;
}

inline PostgresServer* SharedPostgres() {
  static bool tried = false;
  if (!tried) {
    tried = true;
    auto server = std::make_unique<PostgresServer>();
    if (server->Start()) {
      SharedPostgresSlot() = std::move(server);
    } else {
      SharedPostgresError() = server->error();
    }
  }
  return SharedPostgresSlot().get();
}

// Stops the server when the tests are done (the static's destructor is the fallback).
class PostgresEnvironment : public ::testing::Environment {
 public:
  void TearDown() override { SharedPostgresSlot().reset(); }
};

inline const bool kPostgresEnvironmentRegistered =
    (::testing::AddGlobalTestEnvironment(new PostgresEnvironment), true);

// A fresh database on the shared server; "" with a message through ADD_FAILURE otherwise.
inline std::string FreshPostgresDatabase() {
  PostgresServer* server = SharedPostgres();
  if (server == nullptr) {
    ADD_FAILURE() << "cannot start a PostgreSQL server: " << SharedPostgresError();
    return "";
  }
  std::string url = server->CreateDatabase();
  if (url.empty()) ADD_FAILURE() << server->error();
  return url;
}

}  // namespace izde::testing

#endif  // IZDE_TESTS_TESTING_POSTGRES_SERVER_H_
