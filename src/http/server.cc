#include "http/server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "auth/redaction.h"
#include "auth/users.h"
#include "http/catalog.h"
#include "http/connection.h"
#include "http/decode.h"
#include "http/errors.h"
#include "http/follower.h"
#include "http/name_forms.h"
#include "http/routes.h"
#include "http/search_json.h"
#include "http/static_files.h"
#include "http/views.h"
#include "registry/json.h"

namespace izde::http {

namespace internal {
extern const std::string_view kOpenApiJson;  // src/http/openapi.json, embedded
}  // namespace internal

namespace {

using nlohmann::json;

constexpr std::string_view kSessionCookie = "izde_session";

Status Unauthenticated(std::string message) {
  return Status(StatusCode::kUnauthenticated, std::move(message));
}

// "/api/persons/{id}" -> "/api/persons/([^/]+)"
std::string PathRegex(const std::string& path) {
  std::string regex;
  for (size_t pos = 0; pos < path.size(); ++pos) {
    if (path[pos] == '{') {
      pos = path.find('}', pos);
      regex += "([^/]+)";
    } else if (path[pos] == '.') {
      regex += "\\.";
    } else {
      regex += path[pos];
    }
  }
  return regex;
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string_view part(header.data() + pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    if (part.size() > name.size() && part.substr(0, name.size()) == name &&
        part[name.size()] == '=') {
      return std::string(part.substr(name.size() + 1));
    }
    pos = end + 1;
  }
  return "";
}

// The fields a client may send for a record: those of its JSON form, less what the server
// sets itself.
std::vector<std::string> WritableFields(const json& form, std::vector<std::string> server_set) {
  std::vector<std::string> fields;
  for (const std::string& key : KeysOf(form)) {
    bool skip = false;
    for (const std::string& set : server_set) skip = skip || set == key;
    if (!skip) fields.push_back(key);
  }
  return fields;
}

// A counting semaphore whose waiters sleep, and are served first come, first served: a freed
// slot is handed to the longest waiting search, never taken by one that arrives meanwhile.
// std::counting_semaphore (libstdc++ 12) spins with sched_yield before it sleeps (2% of a
// loaded server's CPU); a plain condition variable lets a newcomer take the slot before the
// woken waiter runs, so that one unlucky search waited behind many (the p99).
class SearchSlots {
 public:
  explicit SearchSlots(size_t slots) : free_(slots) {}
  void Acquire() {
    std::unique_lock lock(mu_);
    if (free_ > 0 && waiters_.empty()) {
      --free_;
      return;
    }
    Waiter* waiter = SpareWaiterLocked();
    waiter->granted = false;
    waiters_.push_back(waiter);
    waiter->granted_cv.wait(lock, [waiter] { return waiter->granted; });
    spare_.push_back(waiter);
  }
  void Release() {
    Waiter* next = nullptr;
    {
      std::lock_guard lock(mu_);
      if (waiters_.empty()) {
        ++free_;
        return;
      }
      next = waiters_.front();
      waiters_.pop_front();
      next->granted = true;
    }
    // Outside the lock, so that the woken waiter finds the mutex free instead of sleeping on
    // it once more. A Waiter lives as long as the slots (all_), so a wake-up that comes after
    // its waiter went on only wakes the Waiter's next user, who waits for its own grant.
    next->granted_cv.notify_one();
  }

 private:
  struct Waiter {
    std::condition_variable granted_cv;
    bool granted = false;  // GUARDED_BY(mu_)
  };
  Waiter* SpareWaiterLocked() {
    if (spare_.empty()) {
      all_.push_back(std::make_unique<Waiter>());
      return all_.back().get();
    }
    Waiter* waiter = spare_.back();
    spare_.pop_back();
    return waiter;
  }
  std::mutex mu_;
  std::deque<Waiter*> waiters_;               // GUARDED_BY(mu_), oldest first
  std::vector<std::unique_ptr<Waiter>> all_;  // GUARDED_BY(mu_), one per thread that waited
  std::vector<Waiter*> spare_;                // GUARDED_BY(mu_), of all_, none waiting
  size_t free_;                               // GUARDED_BY(mu_)
};

// Holds one of the server's search slots while it lives.
class SearchSlot {
 public:
  explicit SearchSlot(SearchSlots& slots) : slots_(slots) { slots_.Acquire(); }
  ~SearchSlot() { slots_.Release(); }
  SearchSlot(const SearchSlot&) = delete;
  SearchSlot& operator=(const SearchSlot&) = delete;

 private:
  SearchSlots& slots_;
};

size_t SearchSlotCount(const ServerOptions& options) {
  if (options.search_slots > 0) return options.search_slots;
  return std::max<size_t>(std::thread::hardware_concurrency(), 1);
}

}  // namespace

class ApiServer::Impl {
 public:
  Impl(registry::Registry& registry, ServerOptions options)
      : registry_(registry),
        options_(std::move(options)),
        catalog_(registry.places()),
        sessions_(registry.store(), options_.sessions, options_.clock),
        users_(registry.store(), options_.hash_cost),
        limiter_(options_.rate_limit, options_.clock),
        search_slots_(std::make_unique<SearchSlots>(SearchSlotCount(options_))) {}

  Status Init();
  Result<int> Bind(const std::string& host, int port);
  Status Run();
  void Stop();
  bool running() const { return server_->is_running(); }
  const std::vector<RouteInfo>& routes() const { return infos_; }
  size_t indexed_persons() const { return catalog_.size(); }
  Result<bool> SaveIndexSnapshot();
  const io::IndexLoadReport& index_load() const { return catalog_.load_report(); }

 private:
  struct Route {
    RouteInfo info;
    Handler handler;
  };

  void AddRoute(std::string method, std::string path, std::optional<auth::Action> action,
                bool public_read, Handler handler);
  void Dispatch(const Route& route, const httplib::Request& req, httplib::Response& res);
  Status Authorize(const RouteInfo& route, Call& call);
  static void Reply(httplib::Response& res, int status, const json& body);
  Result<json> Body(const Call& call) const;
  void SetSessionCookie(httplib::Response& res, const std::string& token, int64_t max_age) const;
  Result<int64_t> PersonParam(const Call& call) const;
  void RefreshPerson(int64_t person_id);

  // Handlers, one per route.
  Result<json> Login(Call& call);
  Result<json> Logout(Call& call);
  Result<json> Me(Call& call);
  Result<json> ListPersons(Call& call);
  Result<json> CreatePerson(Call& call);
  Result<json> GetPerson(Call& call);
  Result<json> PatchPerson(Call& call);
  Result<json> PersonHistory(Call& call);
  Result<json> Revert(Call& call);
  Result<json> CreateEvent(Call& call);
  Result<json> CreateTestimony(Call& call);
  Result<json> GetTestimony(Call& call);
  Result<json> CreateRelation(Call& call);
  Result<json> Search(Call& call);
  Result<json> Stats(Call& call);
  Result<json> ListUsers(Call& call);
  Result<json> CreateUser(Call& call);
  Result<json> PatchUser(Call& call);
  Result<json> UserSessions(Call& call);
  Result<json> RevokeSession(Call& call);
  Result<json> OpenApi(Call& call);

  registry::Registry& registry_;
  ServerOptions options_;
  Catalog catalog_;
  std::unique_ptr<Follower> follower_;  // destroyed before the catalog it refreshes
  auth::Sessions sessions_;
  auth::Users users_;
  auth::LoginRateLimiter limiter_;
  std::unique_ptr<SearchSlots> search_slots_;
  // The name forms search results generate in the searcher's script, and the Chinese
  // spellings a person page generates (name_forms.h).
  GeneratedFormCache generated_forms_;
  GeneratedNamesCache generated_names_;
  std::unique_ptr<httplib::Server> server_;
  std::vector<std::unique_ptr<Route>> route_table_;
  std::vector<RouteInfo> infos_;
  json openapi_;
  // 0 before Run, 1 while Run starts or serves, 2 after; lets Stop wait out the start.
  std::atomic<int> phase_{0};
  std::atomic<bool> stop_requested_{false};
  // Background work of route groups (list matching); declared last, so deleted first.
  std::vector<std::unique_ptr<RouteWorker>> workers_;
};

// --- plumbing ------------------------------------------------------------------------------

Status ApiServer::Impl::Init() {
  IZDE_RETURN_IF_ERROR(auth::InitCrypto());
  bool tls = !options_.tls_cert.empty() || !options_.tls_key.empty();
  if (tls) {
    if (options_.tls_cert.empty() || options_.tls_key.empty()) {
      return InvalidArgumentError("HTTPS needs both --tls-cert and --tls-key", "tls");
    }
    auto ssl =
        std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(), options_.tls_key.c_str());
    if (!ssl->is_valid()) {
      return InvalidArgumentError(fmt::format("cannot load the certificate '{}' and key '{}'",
                                              options_.tls_cert, options_.tls_key),
                                  "tls");
    }
    server_ = std::move(ssl);
  } else {
    // Plain HTTP: one write per response (connection.h).
    server_ = std::make_unique<BufferedServer>();
  }
  try {
    openapi_ = json::parse(internal::kOpenApiJson);
  } catch (const json::exception& error) {
    return InternalError(std::string("the embedded OpenAPI document does not parse: ") +
                         error.what());
  }
  // Other servers on the same database (http/follower.h): the position is read before the
  // load, so that what commits during it is applied again.
  Result<std::unique_ptr<Follower>> follower = Follower::Create(registry_.store(), catalog_);
  IZDE_RETURN_IF_ERROR(catalog_.Load(registry_.store(), options_.index_snapshot));
  if (follower.ok()) {
    follower_ = std::move(follower).value();
    follower_->Start();
  } else {
    spdlog::warn("not following other servers' changes: {}", follower.status().ToString());
  }

  // Evidence uploads may be larger than JSON bodies, which JsonBody limits by itself.
  server_->set_payload_max_length(options_.vault != nullptr
                                      ? std::max(options_.max_body_bytes, options_.max_upload_bytes)
                                      : options_.max_body_bytes);
  // With a vault open the payload limit above is the upload's (101 MiB), and a JSON body
  // would be read whole before JsonBody's 1 MiB applies: a body over its route's limit is
  // refused from its Content-Length before a byte of it is read, with Connection: close.
  // Without a vault the payload limit is the JSON one, and httplib itself skips an
  // oversized body without keeping it and answers 413 (a client that sends the whole body
  // before reading gets the answer). A body without a length (chunked) is read up to the
  // payload limit, and JsonBody applies the JSON limit to it.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    const std::string length = req.get_header_value("Content-Length");
    if (options_.vault == nullptr || length.empty()) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    const bool upload =
        options_.vault != nullptr && req.method == "POST" && req.path == "/api/evidence";
    const size_t limit = upload ? std::max(options_.max_body_bytes, options_.max_upload_bytes)
                                : options_.max_body_bytes;
    uint64_t bytes = 0;
    auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), bytes);
    const bool number = error == std::errc() && end == length.data() + length.size();
    if (number && bytes <= limit) return httplib::Server::HandlerResponse::Unhandled;
    Status refused =
        number || error == std::errc::result_out_of_range
            ? Status(StatusCode::kResourceExhausted,
                     fmt::format("the request body is larger than {} bytes", limit), "body")
            : InvalidArgumentError("not a number", "Content-Length");
    Reply(res, refused.code() == StatusCode::kResourceExhausted ? 413 : 400, ErrorBody(refused));
    res.set_header("Connection", "close");
    return httplib::Server::HandlerResponse::Handled;
  });
  // A response larger than what BufferedServer holds, and every response under TLS, goes out
  // in more than one send(): without TCP_NODELAY each keep-alive request would wait for the
  // client's delayed ACK (about 40 ms). Debian's httplib is built without it.
  server_->set_tcp_nodelay(true);
  const size_t threads = std::max<size_t>(options_.threads, 1);
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server_->set_keep_alive_max_count(std::max<size_t>(options_.keep_alive_requests, 1));
  server_->set_error_handler(
      httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
        Status status;
        switch (res.status) {
          case 404:
            status = NotFoundError("no such route");
            break;
          case 413:
            status = Status(StatusCode::kResourceExhausted, "the request body is too large");
            break;
          default:
            status = res.status < 500 ? InvalidArgumentError("malformed request")
                                      : InternalError("the server failed");
        }
        int code = res.status;
        Reply(res, code, ErrorBody(status));
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr error) {
        std::string what = "unexpected failure";
        try {
          if (error) std::rethrow_exception(error);
        } catch (const std::exception& caught) {
          what = caught.what();
        } catch (...) {
        }
        Reply(res, 500, ErrorBody(InternalError(what)));
      });

  // The web UI (docs/web.md): GETs outside /api/ are files of the built web/dist.
  if (!options_.web_root.empty()) {
    IZDE_RETURN_IF_ERROR(MountStaticFiles(*server_, options_.web_root));
  }

  using auth::Action;
  auto bind = [this](Result<json> (Impl::*method)(Call&)) {
    return [this, method](Call& call) { return (this->*method)(call); };
  };
  AddRoute("POST", "/api/login", std::nullopt, false, bind(&Impl::Login));
  AddRoute("POST", "/api/logout", Action::kRead, false, bind(&Impl::Logout));
  AddRoute("GET", "/api/me", Action::kRead, false, bind(&Impl::Me));
  AddRoute("GET", "/api/persons", Action::kRead, true, bind(&Impl::ListPersons));
  AddRoute("POST", "/api/persons", Action::kWriteRecords, false, bind(&Impl::CreatePerson));
  AddRoute("GET", "/api/persons/{id}", Action::kRead, true, bind(&Impl::GetPerson));
  AddRoute("PATCH", "/api/persons/{id}", Action::kWriteRecords, false, bind(&Impl::PatchPerson));
  AddRoute("GET", "/api/persons/{id}/history", Action::kRead, false, bind(&Impl::PersonHistory));
  AddRoute("POST", "/api/audit/{id}/revert", Action::kWriteRecords, false, bind(&Impl::Revert));
  AddRoute("POST", "/api/events", Action::kWriteRecords, false, bind(&Impl::CreateEvent));
  AddRoute("POST", "/api/testimonies", Action::kWriteRecords, false, bind(&Impl::CreateTestimony));
  AddRoute("GET", "/api/testimonies/{id}", Action::kRead, false, bind(&Impl::GetTestimony));
  AddRoute("POST", "/api/relations", Action::kWriteRecords, false, bind(&Impl::CreateRelation));
  AddRoute("GET", "/api/search", Action::kRead, true, bind(&Impl::Search));
  AddRoute("GET", "/api/stats", Action::kRead, true, bind(&Impl::Stats));
  AddRoute("GET", "/api/users", Action::kManageUsers, false, bind(&Impl::ListUsers));
  AddRoute("POST", "/api/users", Action::kManageUsers, false, bind(&Impl::CreateUser));
  AddRoute("PATCH", "/api/users/{name}", Action::kManageUsers, false, bind(&Impl::PatchUser));
  AddRoute("GET", "/api/users/{name}/sessions", Action::kManageUsers, false,
           bind(&Impl::UserSessions));
  AddRoute("DELETE", "/api/sessions/{id}", Action::kManageUsers, false, bind(&Impl::RevokeSession));
  AddRoute("GET", "/api/openapi.json", Action::kRead, true, bind(&Impl::OpenApi));
  // Routes kept in files of their own (routes.h).
  AddRouteFn add = [this](std::string method, std::string path, std::optional<auth::Action> action,
                          bool public_read, Handler handler) {
    AddRoute(std::move(method), std::move(path), action, public_read, std::move(handler));
  };
  RouteContext context{registry_, catalog_, options_};
  workers_.push_back(AddLinkageRoutes(add, context));
  AddEvidenceRoutes(add, context);
  AddAdminRoutes(add, context);
  return OkStatus();
}

void ApiServer::Impl::AddRoute(std::string method, std::string path,
                               std::optional<auth::Action> action, bool public_read,
                               Handler handler) {
  auto route = std::make_unique<Route>(
      Route{RouteInfo{method, path, action, public_read}, std::move(handler)});
  const Route* stable = route.get();
  httplib::Server::Handler serve = [this, stable](const httplib::Request& req,
                                                  httplib::Response& res) {
    Dispatch(*stable, req, res);
  };
  std::string regex = PathRegex(path);
  if (method == "GET") {
    server_->Get(regex, serve);
  } else if (method == "POST") {
    server_->Post(regex, serve);
  } else if (method == "PATCH") {
    server_->Patch(regex, serve);
  } else {
    server_->Delete(regex, serve);
  }
  infos_.push_back(route->info);
  route_table_.push_back(std::move(route));
}

void ApiServer::Impl::Reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Content-Type-Options", "nosniff");
  // The dumped text becomes the body as it is (set_content would copy it once more).
  res.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  res.headers.erase("Content-Type");
  res.set_header("Content-Type", "application/json");
}

void ApiServer::Impl::Dispatch(const Route& route, const httplib::Request& req,
                               httplib::Response& res) {
  Call call{req, res, std::nullopt};
  Status allowed = Authorize(route.info, call);
  Result<json> body = allowed.ok() ? route.handler(call) : Result<json>(allowed);
  if (!body.ok()) {
    int status = HttpStatusOf(body.status().code());
    // A body or file over its size limit is 413, not the 429 of a rate limit.
    if (body.status().code() == StatusCode::kResourceExhausted &&
        (body.status().field() == "body" || body.status().field() == "file")) {
      status = 413;
    }
    Reply(res, status, ErrorBody(body.status()));
    return;
  }
  if (call.raw) {
    res.status = call.status;
    res.set_header("Cache-Control", "no-store");
    res.set_header("X-Content-Type-Options", "nosniff");
    return;
  }
  Reply(res, call.status, *body);
}

Status ApiServer::Impl::Authorize(const RouteInfo& route, Call& call) {
  std::string token = CookieValue(call.req, kSessionCookie);
  if (!token.empty()) {
    Result<auth::Authenticated> who = sessions_.Verify(token);
    if (who.ok()) {
      call.role = who->role;
      call.who = std::move(who).value();
    } else if (who.status().code() != StatusCode::kUnauthenticated) {
      return who.status();
    } else if (route.action) {
      return who.status();  // say why: expired, revoked, disabled
    }
  }
  if (!route.action) return OkStatus();
  if (!call.who) {
    if (options_.public_read && route.public_read) return OkStatus();
    return Unauthenticated("sign in first (POST /api/login)");
  }
  if (call.req.method != "GET" && call.req.method != "HEAD") {
    std::string csrf = call.req.get_header_value("X-CSRF-Token");
    if (csrf.empty() || !auth::ConstantTimeEquals(csrf, call.who->session.csrf_token)) {
      return PermissionDeniedError(
          "missing or wrong X-CSRF-Token header (the csrf_token from login or /api/me)");
    }
  }
  if (!auth::Allowed(call.role, *route.action)) {
    return PermissionDeniedError(fmt::format("the role {} may not {}", auth::RoleName(call.role),
                                             auth::ActionName(*route.action)));
  }
  return OkStatus();
}

Result<json> ApiServer::Impl::Body(const Call& call) const {
  return JsonBody(call, options_.max_body_bytes);
}

void ApiServer::Impl::SetSessionCookie(httplib::Response& res, const std::string& token,
                                       int64_t max_age) const {
  bool secure = !options_.tls_cert.empty();
  res.set_header("Set-Cookie",
                 fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}",
                             kSessionCookie, token, max_age, secure ? "; Secure" : ""));
}

Result<int64_t> ApiServer::Impl::PersonParam(const Call& call) const {
  Result<int64_t> id = ParseId(IdKind::kPerson, call.Param(1));
  if (!id.ok()) return InvalidArgumentError(id.status().message(), "id");
  return id;
}

void ApiServer::Impl::RefreshPerson(int64_t person_id) {
  // The write is committed; a failed refresh only leaves the lists stale until restart.
  catalog_.Refresh(registry_.store(), person_id).IgnoreError();
}

Result<int> ApiServer::Impl::Bind(const std::string& host, int port) {
  int bound = port;
  if (port == 0) {
    bound = server_->bind_to_any_port(host);
  } else if (!server_->bind_to_port(host, port)) {
    bound = -1;
  }
  if (bound <= 0) return UnavailableError(fmt::format("cannot listen on {}:{}", host, port));
  return bound;
}

Status ApiServer::Impl::Run() {
  phase_ = 1;
  if (stop_requested_) {
    phase_ = 2;
    return OkStatus();
  }
  bool ok = server_->listen_after_bind();
  phase_ = 2;
  if (!ok && !stop_requested_) return UnavailableError("the server stopped accepting connections");
  return OkStatus();
}

void ApiServer::Impl::Stop() {
  stop_requested_ = true;
  // Run may be between its check and its accept loop: wait until it serves or gives up.
  while (phase_ == 1 && !server_->is_running()) std::this_thread::yield();
  server_->stop();
  for (const std::unique_ptr<RouteWorker>& worker : workers_) worker->Stop();
  if (follower_ != nullptr) follower_->Stop();
}

Result<bool> ApiServer::Impl::SaveIndexSnapshot() {
  if (options_.index_snapshot.empty() || follower_ == nullptr) return false;
  // The follower's position vouches for the snapshot's: every change up to it is refreshed
  // (those before its start are in what Load read). Its thread is stopped; one last catch-up
  // covers what committed since its last round, this server's own last writes included.
  follower_->Stop();
  IZDE_RETURN_IF_ERROR(follower_->CatchUp());
  return catalog_.SaveSnapshot(registry_.store(), follower_->position());
}

// --- handlers ------------------------------------------------------------------------------

Result<json> ApiServer::Impl::Login(Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {"name", "password"}));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(body, "name"));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> password, OptionalString(body, "password"));
  if (!name || name->empty()) return InvalidArgumentError("required", "name");
  if (!password || password->empty()) return InvalidArgumentError("required", "password");
  const std::string& address = call.req.remote_addr;
  IZDE_RETURN_IF_ERROR(limiter_.Check(*name, address));
  Result<registry::User> user = users_.Authenticate(*name, *password);
  if (!user.ok()) {
    if (user.status().code() == StatusCode::kUnauthenticated) {
      limiter_.RecordFailure(*name, address);
    }
    return user.status();
  }
  limiter_.RecordSuccess(*name);
  IZDE_ASSIGN_OR_RETURN(auth::NewSession created, sessions_.Create(*user, address));
  SetSessionCookie(call.res, created.token, options_.sessions.lifetime_s);
  return json{{"user", auth::UserJson(*user)},
              {"role", user->role},
              {"csrf_token", created.session.csrf_token},
              {"expires_at", created.session.expires_at}};
}

Result<json> ApiServer::Impl::Logout(Call& call) {
  IZDE_RETURN_IF_ERROR(sessions_.Revoke(call.who->session.token_hash));
  SetSessionCookie(call.res, "", 0);
  return json{{"signed_out", true}};
}

Result<json> ApiServer::Impl::Me(Call& call) {
  return json{{"user", auth::UserJson(call.who->user)},
              {"role", auth::RoleName(call.role)},
              {"csrf_token", call.who->session.csrf_token},
              {"expires_at", call.who->session.expires_at}};
}

Result<json> ApiServer::Impl::ListPersons(Call& call) {
  static const std::vector<std::string> kParams = {"limit",  "offset",          "after",
                                                   "status", "ethnicity",       "prefecture",
                                                   "grade",  "birth_year_from", "birth_year_to"};
  for (const auto& [key, value] : call.req.params) {
    if (std::find(kParams.begin(), kParams.end(), key) == kParams.end()) {
      return InvalidArgumentError("unknown query parameter", key);
    }
    if (!IsValidUtf8(value)) return InvalidArgumentError("not valid UTF-8", key);
  }
  auto param = [&](const char* key) { return call.req.get_param_value(key); };
  IZDE_ASSIGN_OR_RETURN(int64_t limit, IntParam(param("limit"), "limit", 1, 500, 50));
  IZDE_ASSIGN_OR_RETURN(int64_t offset, IntParam(param("offset"), "offset", 0, INT32_MAX, 0));
  int64_t after = 0;
  if (!param("after").empty()) {
    Result<int64_t> parsed = ParseId(IdKind::kPerson, param("after"));
    if (!parsed.ok()) return InvalidArgumentError(parsed.status().message(), "after");
    after = *parsed;
  }
  PersonFilter filter;
  filter.status = param("status");
  if (!filter.status.empty() && filter.status != "unknown") {
    Result<registry::EventType> type = registry::ParseEventType(filter.status);
    if (!type.ok()) return InvalidArgumentError(type.status().message(), "status");
    filter.status = std::string(registry::EventTypeName(*type));
  }
  if (!param("ethnicity").empty()) {
    Result<std::string> code = registry::ParseEthnicity(param("ethnicity"));
    if (!code.ok()) return InvalidArgumentError(code.status().message(), "ethnicity");
    filter.ethnicity = *code;
  }
  if (!param("prefecture").empty()) {
    filter.prefecture = catalog_.PrefectureOfPlace(param("prefecture"));
    if (filter.prefecture.empty()) {
      return InvalidArgumentError("not a prefecture code or name the gazetteer knows",
                                  "prefecture");
    }
  }
  if (!param("grade").empty()) {
    Result<registry::Grade> grade = registry::ParseGrade(param("grade"));
    if (!grade.ok()) return InvalidArgumentError(grade.status().message(), "grade");
    filter.grade = *grade;
  }
  if (!param("birth_year_from").empty()) {
    IZDE_ASSIGN_OR_RETURN(int64_t year,
                          IntParam(param("birth_year_from"), "birth_year_from", 1800, 2200, 0));
    filter.born_from = static_cast<int>(year);
  }
  if (!param("birth_year_to").empty()) {
    IZDE_ASSIGN_OR_RETURN(int64_t year,
                          IntParam(param("birth_year_to"), "birth_year_to", 1800, 2200, 0));
    filter.born_to = static_cast<int>(year);
  }
  filter.public_only = !call.who;
  PersonPage page = catalog_.Page(filter, after, offset, limit);
  json persons = json::array();
  // The page comes from the catalog's rows, as search's does (Catalog::ResultPersons: what a
  // row shows, the same redaction as a stored person); a person deleted since the page was
  // chosen is left out.
  const std::vector<std::optional<Catalog::ResultPerson>> held = catalog_.ResultPersons(page.ids);
  const auth::Redactor redactor(call.role, registry_.store());
  for (const std::optional<Catalog::ResultPerson>& person : held) {
    if (!person) continue;
    std::optional<registry::Person> shown = redactor.Redact(person->person);
    if (shown) persons.push_back(RedactedSummaryJson(*shown, person->status, call.role));
  }
  return json{{"persons", persons},
              {"total", page.total},
              {"limit", limit},
              {"offset", offset},
              {"next", page.next_after == 0 ? json(nullptr)
                                            : json(FormatId(IdKind::kPerson, page.next_after))}};
}

Result<json> ApiServer::Impl::CreatePerson(Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  static const std::vector<std::string> kFields = WritableFields(
      registry::ToJson(registry::Person{}), {"id", "version", "created_at", "updated_at"});
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, kFields));
  IZDE_ASSIGN_OR_RETURN(registry::Person person, registry::PersonFromJson(body));
  if (person.grade != registry::Grade::kUngraded &&
      !auth::Allowed(call.role, auth::Action::kGrade)) {
    return Status(StatusCode::kPermissionDenied, "only reviewers may grade entries", "grade");
  }
  IZDE_ASSIGN_OR_RETURN(registry::Person added,
                        registry_.AddPerson(std::move(person), {call.actor()}));
  RefreshPerson(added.id);
  IZDE_ASSIGN_OR_RETURN(registry::PersonRecord record, registry_.GetPersonRecord(added.id));
  call.status = 201;
  return PersonJson(record, call.role, registry_.store());
}

Result<json> ApiServer::Impl::GetPerson(Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t id, PersonParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::PersonRecord record, registry_.GetPersonRecord(id));
  if (!PersonVisible(record.person, call.role, registry_.store())) {
    return NotFoundError(fmt::format("no person {}", FormatId(IdKind::kPerson, id)));
  }
  IZDE_ASSIGN_OR_RETURN(json view, PersonJson(record, call.role, registry_.store()));
  std::optional<registry::Person> shown =
      auth::Redactor(call.role, registry_.store()).Redact(record.person);
  if (call.who && shown) {
    view["generated_names"] = GeneratedChineseNames(*shown, 3, &generated_names_);  // not stored
  }
  return view;
}

Result<json> ApiServer::Impl::PatchPerson(Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t id, PersonParam(call));
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  static const std::vector<std::string> kFields =
      WritableFields(registry::ToJson(registry::Person{}), {"id", "created_at", "updated_at"});
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, kFields));
  if (!body.contains("version") || !body["version"].is_number_integer()) {
    return InvalidArgumentError("send the version you edited (an integer)", "version");
  }
  IZDE_ASSIGN_OR_RETURN(registry::Person stored, registry_.store().GetPerson(id));
  json merged = registry::ToJson(stored);
  for (const auto& [key, value] : body.items()) merged[key] = value;
  IZDE_ASSIGN_OR_RETURN(registry::Person person, registry::PersonFromJson(merged));
  person.id = id;
  if (person.grade != stored.grade && !auth::Allowed(call.role, auth::Action::kGrade)) {
    return Status(StatusCode::kPermissionDenied, "only reviewers may grade entries", "grade");
  }
  IZDE_ASSIGN_OR_RETURN(registry::Person updated,
                        registry_.UpdatePerson(std::move(person), {call.actor()}));
  RefreshPerson(updated.id);
  IZDE_ASSIGN_OR_RETURN(registry::PersonRecord record, registry_.GetPersonRecord(id));
  return PersonJson(record, call.role, registry_.store());
}

Result<json> ApiServer::Impl::PersonHistory(Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t id, PersonParam(call));
  IZDE_ASSIGN_OR_RETURN(registry::Person person, registry_.store().GetPerson(id));
  if (!PersonVisible(person, call.role, registry_.store())) {
    return NotFoundError(fmt::format("no person {}", person.public_id()));
  }
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::AuditEntry> entries,
                        registry_.History(FormatId(IdKind::kPerson, id)));
  json history = json::array();
  for (const registry::AuditEntry& entry : entries) history.push_back(AuditJson(entry, call.role));
  return json{{"person", FormatId(IdKind::kPerson, id)}, {"history", history}};
}

Result<json> ApiServer::Impl::Revert(Call& call) {
  IZDE_ASSIGN_OR_RETURN(int64_t audit_id, IntParam(call.Param(1), "id", 1, INT64_MAX, 0));
  if (!call.req.body.empty()) {
    IZDE_ASSIGN_OR_RETURN(json body, Body(call));
    IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {}));
  }
  IZDE_ASSIGN_OR_RETURN(registry::AuditEntry reverted, registry_.store().GetAuditEntry(audit_id));
  IZDE_ASSIGN_OR_RETURN(int64_t new_entry, registry_.Revert(audit_id, {call.actor()}));
  for (const std::string& entity : {reverted.person, reverted.entity}) {
    Result<int64_t> person = ParseId(IdKind::kPerson, entity);
    if (!entity.empty() && person.ok()) RefreshPerson(*person);
  }
  return json{{"reverted", audit_id}, {"audit_id", new_entry}};
}

Result<json> ApiServer::Impl::CreateEvent(Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  static const std::vector<std::string> kFields =
      WritableFields(registry::ToJson(registry::Event{}), {"id", "version", "created_at"});
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, kFields));
  IZDE_ASSIGN_OR_RETURN(registry::Event event, registry::EventFromJson(body));
  IZDE_ASSIGN_OR_RETURN(registry::Event added,
                        registry_.AddEvent(std::move(event), {call.actor()}));
  RefreshPerson(added.person_id);
  call.status = 201;
  return registry::ToJson(added);
}

Result<json> ApiServer::Impl::CreateTestimony(Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  static const std::vector<std::string> kFields =
      WritableFields(registry::ToJson(registry::Testimony{}), {"id", "version", "created_at"});
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, kFields));
  IZDE_ASSIGN_OR_RETURN(registry::Testimony testimony, registry::TestimonyFromJson(body));
  IZDE_ASSIGN_OR_RETURN(registry::Testimony added,
                        registry_.RecordTestimony(std::move(testimony), {call.actor()}));
  call.status = 201;
  return TestimonyJson(added, call.role, registry_.store());
}

Result<json> ApiServer::Impl::GetTestimony(Call& call) {
  Result<int64_t> id = ParseId(IdKind::kTestimony, call.Param(1));
  if (!id.ok()) return InvalidArgumentError(id.status().message(), "id");
  IZDE_ASSIGN_OR_RETURN(registry::Testimony testimony, registry_.store().GetTestimony(*id));
  return TestimonyJson(testimony, call.role, registry_.store());
}

Result<json> ApiServer::Impl::CreateRelation(Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  static const std::vector<std::string> kFields =
      WritableFields(registry::ToJson(registry::Relation{}), {"id"});
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, kFields));
  IZDE_ASSIGN_OR_RETURN(registry::Relation relation, registry::RelationFromJson(body));
  IZDE_ASSIGN_OR_RETURN(registry::Relation added,
                        registry_.AddRelation(std::move(relation), {call.actor()}));
  call.status = 201;
  return registry::ToJson(added);
}

Result<json> ApiServer::Impl::Search(Call& call) {
  static const std::vector<std::string> kParams = {"q", "birth_year", "place", "gender", "limit"};
  for (const auto& [key, value] : call.req.params) {
    if (std::find(kParams.begin(), kParams.end(), key) == kParams.end()) {
      return InvalidArgumentError("unknown query parameter", key);
    }
    if (!IsValidUtf8(value)) return InvalidArgumentError("not valid UTF-8", key);
  }
  auto param = [&](const char* key) { return call.req.get_param_value(key); };
  match::Query query;
  if (param("q").empty()) return InvalidArgumentError("give a name to search for", "q");
  query.names = {param("q")};
  IZDE_ASSIGN_OR_RETURN(int64_t limit, IntParam(param("limit"), "limit", 1, 100, 10));
  Result<PartialDate> birth = PartialDate::Parse(param("birth_year"));
  if (!birth.ok()) return InvalidArgumentError(birth.status().message(), "birth_year");
  if (!birth->unknown()) {
    int widen = birth->about() ? 1 : 0;
    query.fields.birth = {birth->start().year - widen, birth->end().year + widen};
  }
  if (!param("place").empty()) {
    query.fields.hometown_code = catalog_.DivisionOfPlace(param("place"));
    if (query.fields.hometown_code.empty()) {
      return InvalidArgumentError("not a place code or name the gazetteer knows", "place");
    }
  }
  Result<registry::Gender> gender = registry::ParseGender(param("gender"));
  if (!gender.ok()) return InvalidArgumentError(gender.status().message(), "gender");
  query.fields.gender = *gender == registry::Gender::kMale     ? match::Gender::kMale
                        : *gender == registry::Gender::kFemale ? match::Gender::kFemale
                                                               : match::Gender::kUnknown;
  // A search is CPU work (the index, then the page's JSON): at most search_slots_ run at
  // once, and the others wait here, so that 16 clients on two cores do not each take 8
  // times as long (docs/server.md, "Throughput").
  SearchSlot slot(*search_slots_);
  Result<std::vector<match::Candidate>> found = catalog_.Find(query, static_cast<int>(limit));
  if (!found.ok()) {
    return Status(found.status().code(), found.status().message(), "q");
  }
  // The page of candidates comes from the catalog's rows, not the database (Catalog::
  // ResultPersons: what a result row shows); each is redacted once, by the same policy as a
  // stored person (a person's visibility is its privacy, auth/redaction.h).
  std::vector<int64_t> ids;
  ids.reserve(found->size());
  for (const match::Candidate& candidate : *found) ids.push_back(candidate.id);
  std::vector<std::optional<Catalog::ResultPerson>> persons = catalog_.ResultPersons(ids);
  const auth::Redactor redactor(call.role, registry_.store());
  const names::Script query_script = QueryScript(param("q"));
  // The page is written as text (search_json.h: the bytes the tree's dump gave, without the
  // tree), straight into the response's body.
  std::string& out = call.res.body;
  out.clear();
  out.reserve(256 + found->size() * (call.who ? 1024 : 256));
  out += "{\"results\":[";
  bool first = true;
  for (size_t found_idx = 0; found_idx < found->size(); ++found_idx) {
    const match::Candidate& candidate = (*found)[found_idx];
    if (!persons[found_idx]) continue;  // deleted
    std::optional<registry::Person> shown = redactor.Redact(persons[found_idx]->person);
    if (!shown) continue;
    if (!first) out += ',';
    first = false;
    if (call.who) {
      const NameForm name_in_script =
          NameFormInScript(*shown, query_script, candidate.matched_name, &generated_forms_);
      const SearchRowDetail detail{candidate.matched_name, name_in_script,
                                   candidate.score.explanation};
      AppendSearchRow(out, *shown, persons[found_idx]->status, call.role, candidate.score.total,
                      &detail);
    } else {
      AppendSearchRow(out, *shown, persons[found_idx]->status, call.role, candidate.score.total,
                      nullptr);
    }
  }
  out += "]}";
  call.raw = true;
  call.res.set_header("Content-Type", "application/json");
  return json();
}

Result<json> ApiServer::Impl::Stats(Call& call) {
  // Counts only over the persons the caller may see: the same policy as the records.
  IZDE_ASSIGN_OR_RETURN(registry::Stats stats,
                        registry_.ComputeStats(auth::StatsFilter(call.role)));
  json by_year = json::object();
  for (const auto& [year, count] : stats.by_detention_year) by_year[std::to_string(year)] = count;
  return json{{"persons", stats.persons},
              {"by_status", stats.by_status},
              {"by_ethnicity", stats.by_ethnicity},
              {"by_prefecture", stats.by_prefecture},
              {"by_detention_year", by_year}};
}

Result<json> ApiServer::Impl::ListUsers(Call&) {
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::User> all, registry_.store().ListUsers());
  json users = json::array();
  for (const registry::User& user : all) users.push_back(auth::UserJson(user));
  return json{{"users", users}};
}

Result<json> ApiServer::Impl::CreateUser(Call& call) {
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {"name", "role", "password"}));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(body, "name"));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> role, OptionalString(body, "role"));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> password, OptionalString(body, "password"));
  if (!name) return InvalidArgumentError("required", "name");
  if (!role) return InvalidArgumentError("required", "role");
  bool generated = !password.has_value();
  std::string chosen = generated ? auth::GeneratePassword() : *password;
  IZDE_ASSIGN_OR_RETURN(registry::User user, users_.Add(*name, *role, chosen, call.actor()));
  json reply = {{"user", auth::UserJson(user)}};
  if (generated) reply["password"] = chosen;  // shown once
  call.status = 201;
  return reply;
}

Result<json> ApiServer::Impl::PatchUser(Call& call) {
  std::string name = call.Param(1);
  IZDE_ASSIGN_OR_RETURN(json body, Body(call));
  IZDE_RETURN_IF_ERROR(CheckKnownFields(body, {"role", "disabled", "password"}));
  if (body.empty())
    return InvalidArgumentError("nothing to change: send role, disabled or password");
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> role, OptionalString(body, "role"));
  IZDE_ASSIGN_OR_RETURN(std::optional<std::string> password, OptionalString(body, "password"));
  std::optional<bool> disabled;
  if (body.contains("disabled")) {
    if (!body["disabled"].is_boolean())
      return InvalidArgumentError("expected true or false", "disabled");
    disabled = body["disabled"].get<bool>();
  }
  if (name == call.who->user.name && ((disabled && *disabled) || (role && *role != "admin"))) {
    return FailedPreconditionError("you cannot disable or demote your own account");
  }
  IZDE_ASSIGN_OR_RETURN(registry::User user, registry_.store().FindUserByName(name));
  if (role) {
    IZDE_ASSIGN_OR_RETURN(user, users_.SetRole(name, *role, call.actor()));
  }
  if (password) {
    IZDE_ASSIGN_OR_RETURN(user, users_.SetPassword(name, *password, call.actor()));
  }
  if (disabled) {
    IZDE_ASSIGN_OR_RETURN(user, users_.SetDisabled(name, *disabled, call.actor()));
  }
  if ((disabled && *disabled) || password) {
    IZDE_RETURN_IF_ERROR(sessions_.RevokeAllOf(user.id));
  }
  // Cached sessions carry the account as it was (its role): read it again.
  sessions_.Forget(user.id);
  return json{{"user", auth::UserJson(user)}};
}

Result<json> ApiServer::Impl::UserSessions(Call& call) {
  IZDE_ASSIGN_OR_RETURN(registry::User user, registry_.store().FindUserByName(call.Param(1)));
  IZDE_ASSIGN_OR_RETURN(std::vector<registry::Session> all,
                        registry_.store().ListSessions(user.id));
  json sessions = json::array();
  for (const registry::Session& session : all) {
    sessions.push_back({{"id", session.token_hash},
                        {"address", session.address},
                        {"created_at", session.created_at},
                        {"expires_at", session.expires_at},
                        {"last_seen_at", session.last_seen_at},
                        {"revoked", session.revoked},
                        {"current", session.token_hash == call.who->session.token_hash}});
  }
  return json{{"user", user.name}, {"sessions", sessions}};
}

Result<json> ApiServer::Impl::RevokeSession(Call& call) {
  IZDE_RETURN_IF_ERROR(sessions_.Revoke(call.Param(1)));
  return json{{"revoked", call.Param(1)}};
}

Result<json> ApiServer::Impl::OpenApi(Call&) { return openapi_; }

// --- ApiServer -----------------------------------------------------------------------------

ApiServer::ApiServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ApiServer::~ApiServer() = default;

Result<std::unique_ptr<ApiServer>> ApiServer::Create(registry::Registry& registry,
                                                     ServerOptions options) {
  auto impl = std::make_unique<Impl>(registry, std::move(options));
  IZDE_RETURN_IF_ERROR(impl->Init());
  return std::unique_ptr<ApiServer>(new ApiServer(std::move(impl)));
}

Result<int> ApiServer::Bind(const std::string& host, int port) { return impl_->Bind(host, port); }
Status ApiServer::Run() { return impl_->Run(); }
void ApiServer::Stop() { impl_->Stop(); }
bool ApiServer::running() const { return impl_->running(); }
const std::vector<RouteInfo>& ApiServer::routes() const { return impl_->routes(); }
size_t ApiServer::indexed_persons() const { return impl_->indexed_persons(); }
Result<bool> ApiServer::SaveIndexSnapshot() { return impl_->SaveIndexSnapshot(); }
const io::IndexLoadReport& ApiServer::index_load() const { return impl_->index_load(); }

}  // namespace izde::http
