#ifndef IZDE_HTTP_ROUTES_H_
#define IZDE_HTTP_ROUTES_H_

// What route handlers share, so that groups of routes can live in files of their own
// (linkage_routes.cc, evidence_routes.cc) and register through the server's one AddRoute,
// behind the same dispatcher (session, CSRF, permission). Private to http/.

#include <httplib.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/permissions.h"
#include "auth/sessions.h"
#include "core/result.h"
#include "http/catalog.h"
#include "http/server.h"
#include "registry/registry.h"

namespace izde::http {

// One request as a handler sees it.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  std::optional<auth::Authenticated> who;
  auth::Role role = auth::Role::kAnonymous;
  int status = 200;
  // Set by a handler that wrote res's body itself (a file, CSV): the dispatcher then sends
  // that instead of the returned JSON.
  bool raw = false;

  std::string actor() const { return who ? "web:" + who->user.name : "web:anonymous"; }
  std::string Param(size_t index) const {
    return index < req.matches.size() ? std::string(req.matches[index]) : std::string();
  }
};

using Handler = std::function<Result<nlohmann::json>(Call&)>;

// Registers one route: method, OpenAPI path, the action it needs (none: open), whether the
// public may read it under --public-read, and its handler.
using AddRouteFn =
    std::function<void(std::string method, std::string path, std::optional<auth::Action> action,
                       bool public_read, Handler handler)>;

// What the handlers outside server.cc may use. All references outlive the server's routes.
struct RouteContext {
  registry::Registry& registry;
  Catalog& catalog;
  const ServerOptions& options;
};

// The one JSON object of a request body: Content-Type application/json, at most `max_bytes`
// (kResourceExhausted, field "body", answered 413), then ParseJsonObject.
Result<nlohmann::json> JsonBody(const Call& call, size_t max_bytes);

// Background work a group of routes runs (list matching). Stop() ends it and records what was
// left unfinished; the server calls it once requests have stopped, and deletes the worker
// before its other members.
class RouteWorker {
 public:
  virtual ~RouteWorker() = default;
  virtual void Stop() = 0;
};

// Duplicates, judgements, clusters and external lists (docs/server.md); the returned worker
// matches uploaded lists.
std::unique_ptr<RouteWorker> AddLinkageRoutes(const AddRouteFn& add, RouteContext context);
// Administration: the backup download (docs/server.md).
void AddAdminRoutes(const AddRouteFn& add, RouteContext context);
// Evidence upload, metadata and download (docs/server.md).
void AddEvidenceRoutes(const AddRouteFn& add, RouteContext context);

}  // namespace izde::http

#endif  // IZDE_HTTP_ROUTES_H_
