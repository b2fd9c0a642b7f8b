// serve: the JSON API (docs/server.md).
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "auth/password.h"
#include "auth/users.h"
#include "cli/context.h"
#include "http/server.h"
#include "store/backup.h"
#include "store/vault.h"

namespace izde::cli {
namespace {

Result<std::pair<std::string, int>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return InvalidArgumentError("expected HOST:PORT, e.g. 127.0.0.1:8080", "listen");
  }
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  int port = 0;
  try {
    size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    if (used != listen.size() - colon - 1) port = -1;
  } catch (const std::exception&) {
    port = -1;
  }
  if (port < 0 || port > 65535) {
    return InvalidArgumentError("the port is a number from 0 to 65535", "listen");
  }
  return std::make_pair(host, port);
}

// The built web UI when --web-root is not given: web/dist of the source tree this binary was
// built in (build/izde, build/<preset>/src/cli/izde), or web/ next to an installed binary.
std::string DefaultWebRoot() {
  std::error_code error;
  std::filesystem::path dir = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "";
  dir = dir.parent_path();
  if (std::filesystem::is_regular_file(dir / "web" / "index.html", error)) return dir / "web";
  for (int level = 0; level < 6 && dir.has_relative_path(); ++level, dir = dir.parent_path()) {
    std::filesystem::path dist = dir / "web" / "dist";
    if (std::filesystem::is_regular_file(dist / "index.html", error)) return dist.string();
  }
  return "";
}

}  // namespace

void AddServeCommands(CLI::App& app, Context& context, Action& action) {
  struct ServeFlags {
    std::string listen = "127.0.0.1:8080";
    std::string tls_cert, tls_key;
    bool public_read = false;
    std::string web_root;
    size_t threads = http::ServerOptions{}.threads;
    size_t search_slots = 0;
  };
  auto flags = std::make_shared<ServeFlags>();
  CLI::App* serve = app.add_subcommand("serve", "Serve the JSON API (docs/server.md)");
  serve->add_option("--listen", flags->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  serve->add_option("--tls-cert", flags->tls_cert, "PEM certificate: serve HTTPS");
  serve->add_option("--tls-key", flags->tls_key, "PEM private key of --tls-cert");
  serve->add_flag("--public-read", flags->public_read,
                  "Let anonymous callers read the public view (off by default)");
  serve->add_option("--web-root", flags->web_root,
                    "Folder of the built web UI (default: web/dist of the source tree, or web/ "
                    "next to the program; docs/web.md)");
  serve->add_option("--threads", flags->threads,
                    "Worker threads; an open keep-alive connection holds one (docs/server.md)")
      ->capture_default_str()
      ->check(CLI::Range(1, 4096));
  serve->add_option("--search-slots", flags->search_slots,
                    "Searches run at once, the others wait in turn (0: one per core)")
      ->capture_default_str()
      ->check(CLI::Range(0, 4096));
  serve->callback([&, flags] {
    action = [&, flags]() -> Status {
      IZDE_ASSIGN_OR_RETURN(auto listen, ParseListen(flags->listen));
      IZDE_ASSIGN_OR_RETURN(registry::Registry * registry, context.OpenRegistry());

      // A database without accounts gets its first admin, whose password is shown once.
      IZDE_ASSIGN_OR_RETURN(std::vector<registry::User> users, registry->store().ListUsers());
      std::string first_password;
      if (users.empty()) {
        first_password = auth::GeneratePassword();
        auth::Users accounts(registry->store());
        IZDE_RETURN_IF_ERROR(
            accounts.Add("admin", "admin", first_password, context.actor().name).status());
      }

      // SIGTERM and SIGINT are taken by sigwait below, not by a handler: block them before
      // the server's threads start, so that every thread inherits the mask.
      sigset_t signals;
      sigemptyset(&signals);
      sigaddset(&signals, SIGTERM);
      sigaddset(&signals, SIGINT);
      sigaddset(&signals, SIGUSR1);
      pthread_sigmask(SIG_BLOCK, &signals, nullptr);

      // The evidence vault beside the database: without its key the server still runs, but
      // evidence files can be neither uploaded nor downloaded.
      std::string db_file = context.db_path;
      if (db_file.rfind("sqlite:", 0) == 0) db_file = db_file.substr(7);
      Result<std::unique_ptr<store::Vault>> vault =
          store::Vault::Open({.dir = store::DefaultVaultDir(db_file),
                              .key_path = store::DefaultVaultKeyPath(db_file)});
      if (!vault.ok()) {
        context.err() << fmt::format("izde: evidence uploads and downloads are off: {}\n",
                                     vault.status().message());
      }

      http::ServerOptions options;
      if (vault.ok()) options.vault = vault->get();
      // POST /api/admin/backup: the backup `izde backup` makes (SQLite only).
      options.backup = [db_path = context.db_path](const std::string& out_dir, bool include_key) {
        Status made =
            store::BackupRegistry(db_path, out_dir, {.include_key = include_key}).status();
        if (made.code() != StatusCode::kFailedPrecondition) return made;
        return FailedPreconditionError(
            "the web backup is for SQLite databases; back up PostgreSQL with `izde backup` "
            "on the server (docs/backup.md)");
      };
      options.index_snapshot = context.IndexSnapshotPath();
      options.public_read = flags->public_read;
      options.threads = flags->threads;
      options.search_slots = flags->search_slots;
      options.tls_cert = flags->tls_cert;
      options.tls_key = flags->tls_key;
      options.web_root = flags->web_root.empty() ? DefaultWebRoot() : flags->web_root;
      if (options.web_root.empty()) {
        context.err() << "izde: no built web UI found (make run builds it; docs/web.md), "
                         "serving the API alone\n";
      }
      IZDE_ASSIGN_OR_RETURN(std::unique_ptr<http::ApiServer> server,
                            http::ApiServer::Create(*registry, options));
      IZDE_ASSIGN_OR_RETURN(int port, server->Bind(listen.first, listen.second));
      const io::IndexLoadReport& index = server->index_load();
      if (index.from_snapshot) {
        context.err() << fmt::format("index: {} persons read from {} in {:.1f} s ({} re-read)\n",
                                     index.indexed, options.index_snapshot, index.load_s,
                                     index.refreshed);
      } else {
        context.err() << fmt::format(
            "index: {} persons analysed in {:.1f} s{}\n", index.indexed, index.build_s,
            index.rebuilt_because.empty() ? ""
                                          : " (snapshot not used: " + index.rebuilt_because + ")");
      }

      Status run_status;
      std::atomic<bool> finished{false};
      pthread_t main_thread = pthread_self();
      std::thread runner([&] {
        run_status = server->Run();
        finished = true;
        // Wake the main thread if the server ended by itself.
        pthread_kill(main_thread, SIGUSR1);
      });
      while (!server->running() && !finished) std::this_thread::yield();

      std::string scheme = flags->tls_cert.empty() ? "http" : "https";
      context.out() << fmt::format("izde serving {} persons at {}://{}:{}/{} (Ctrl-C to stop)\n",
                                   server->indexed_persons(), scheme, listen.first, port,
                                   options.web_root.empty() ? "api/" : "");
      if (!first_password.empty()) {
        context.out() << fmt::format(
            "Created the first account: admin, password {} (shown once; change it with "
            "`izde user passwd admin`)\n",
            first_password);
      }
      context.out().flush();

      int received = 0;
      sigwait(&signals, &received);
      if (received != SIGUSR1) {
        context.err() << fmt::format("izde: {}, finishing requests in flight\n",
                                     received == SIGTERM ? "SIGTERM" : "SIGINT");
        server->Stop();
      }
      runner.join();
      // The index as it is now, for the next start (not with --no-index-cache).
      Result<bool> saved = server->SaveIndexSnapshot();
      if (!saved.ok()) {
        context.err() << fmt::format("warning: the index snapshot was not written: {}\n",
                                     saved.status().message());
      } else if (*saved) {
        context.err() << fmt::format("index: snapshot written to {}\n", options.index_snapshot);
      }
      return run_status;
    };
  });
}

}  // namespace izde::cli
