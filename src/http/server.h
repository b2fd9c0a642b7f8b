#ifndef IZDE_HTTP_SERVER_H_
#define IZDE_HTTP_SERVER_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "auth/clock.h"
#include "auth/password.h"
#include "auth/permissions.h"
#include "auth/rate_limit.h"
#include "auth/sessions.h"
#include "core/result.h"
#include "io/index_snapshot.h"
#include "registry/evidence.h"
#include "registry/registry.h"

namespace izde::http {

struct ServerOptions {
  // Anonymous callers may read (a minimal public view, see views.h) when true; otherwise
  // they get 401 on everything but login.
  bool public_read = false;
  // PEM files; both set means HTTPS, and session cookies are marked Secure.
  std::string tls_cert;
  std::string tls_key;
  // The built web UI (web/dist) to serve outside /api/; empty: the API alone (docs/web.md).
  std::string web_root;
  size_t max_body_bytes = 1 << 20;
  // Where evidence files are kept (registry/evidence.h; `izde serve` opens the database's
  // vault). Without one, evidence metadata can be read but no file uploaded or downloaded
  // (412). Must outlive the server.
  registry::EvidenceVault* vault = nullptr;
  // The largest multipart upload read (the vault's own limit decides the file); JSON bodies
  // stay limited to max_body_bytes.
  size_t max_upload_bytes = size_t{101} << 20;
  // Writes a backup of the registry into the new directory `out_dir` (store/backup.h; `izde
  // serve` sets it for a SQLite database). Unset: POST /api/admin/backup answers 412.
  std::function<Status(const std::string& out_dir, bool include_key)> backup;
  // Worker threads. An open keep-alive connection holds one between its requests, so there
  // should be more than the clients served at once (httplib's default is 8).
  size_t threads = 64;
  // Requests one keep-alive connection may carry before it is closed (httplib's default: 5,
  // which makes a busy client reconnect, and wait for a free thread, every 5 requests).
  size_t keep_alive_requests = 1000;
  // Searches run at once (the others wait for a slot); 0: one per core. More than the cores
  // only slows each one down: they share the CPU (docs/server.md, "Throughput").
  size_t search_slots = 0;
  // The name index snapshot (io/index_snapshot.h) read at start and written at SaveIndexSnapshot
  // (`izde serve`: DB.index beside a SQLite database, --index-cache PATH, none with
  // --no-index-cache). Empty: none, every start analyses every name.
  std::string index_snapshot;
  auth::SessionOptions sessions;
  auth::RateLimitOptions rate_limit;
  auth::HashCost hash_cost = auth::HashCost::kInteractive;  // for users created over the API
  auth::Clock clock = auth::SystemClock();
};

// One API route as registered with the router. `action` is what the caller must be allowed
// (auth/permissions.h); none for login. `public_read` routes are open to anonymous callers
// when ServerOptions::public_read is on.
struct RouteInfo {
  std::string method;  // "GET", "POST", "PATCH", "DELETE"
  std::string path;    // OpenAPI form: "/api/persons/{id}"
  std::optional<auth::Action> action;
  bool public_read = false;
};

// The JSON API over a Registry (docs/server.md).
// Thread safety: requests are served from a thread pool; Stop may be called from any thread.
class ApiServer {
 public:
  // Builds the in-memory catalog (filters, name index) from the store. kInvalidArgument when
  // the TLS files cannot be loaded.
  static Result<std::unique_ptr<ApiServer>> Create(registry::Registry& registry,
                                                   ServerOptions options);
  ~ApiServer();

  // Binds host:port (port 0: any free port) and returns the port.
  Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(): stops accepting, lets requests in flight finish, then returns.
  Status Run();
  void Stop();
  // True once Run is accepting connections.
  bool running() const;
  // After Run returned (no request in flight): applies the changes committed since the last
  // catch-up and writes the index snapshot (ServerOptions::index_snapshot) when the index
  // changed since it was loaded or written, so that the next start re-reads nothing; true when
  // written. False without a snapshot path or a change sequence to vouch for its position.
  Result<bool> SaveIndexSnapshot();
  // How the catalog's name index was loaded at start (from the snapshot or built).
  const io::IndexLoadReport& index_load() const;

  // Every route of the router, in registration order.
  const std::vector<RouteInfo>& routes() const;
  size_t indexed_persons() const;

  class Impl;

 private:
  explicit ApiServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace izde::http

#endif  // IZDE_HTTP_SERVER_H_
