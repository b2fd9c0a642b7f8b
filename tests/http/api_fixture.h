#ifndef IZDE_TESTS_HTTP_API_FIXTURE_H_
#define IZDE_TESTS_HTTP_API_FIXTURE_H_

#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "auth/users.h"
#include "http/server.h"
#include "registry/registry.h"
#include "store/open.h"
#include "testing/status_matchers.h"
#include "testing/temp_dir.h"

namespace izde::http {

// A signed-in client: its cookie and CSRF token.
struct Login {
  std::string cookie;  // "izde_session=..."
  std::string csrf;
};

// A real server on a loopback ephemeral port over a real SQLite file in a temp dir, with one
// user per role (password "<role>-password").
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override { StartServer({}); }
  void TearDown() override { StopServer(); }

  void StartServer(ServerOptions options) {
    if (store_ == nullptr) {
      ASSERT_OK_AND_ASSIGN(store_, store::OpenStore(dir_.File("izde.db"), {.create = true}));
      registry_ = std::make_unique<registry::Registry>(*store_, registry::Gazetteer::Xinjiang());
      auth::Users users(*store_, auth::HashCost::kMinimum);
      for (const char* role : {"viewer", "editor", "reviewer", "admin"}) {
        ASSERT_OK(users.Add(role, role, std::string(role) + "-password", "test").status());
      }
    }
    options.hash_cost = auth::HashCost::kMinimum;
    ASSERT_OK_AND_ASSIGN(server_, ApiServer::Create(*registry_, std::move(options)));
    ASSERT_OK_AND_ASSIGN(port_, server_->Bind("127.0.0.1", 0));
    runner_ = std::thread([this] { EXPECT_OK(server_->Run()); });
    while (!server_->running()) std::this_thread::yield();
  }

  void StopServer() {
    if (server_ == nullptr) return;
    server_->Stop();
    runner_.join();
    server_.reset();
  }

  std::unique_ptr<httplib::Client> Client() const {
    auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client->set_connection_timeout(5);
    client->set_read_timeout(20);
    return client;
  }

  static httplib::Headers Headers(const Login& login, bool csrf = true) {
    httplib::Headers headers = {{"Cookie", login.cookie}};
    if (csrf) headers.emplace("X-CSRF-Token", login.csrf);
    return headers;
  }

  Login SignIn(const std::string& name) {
    nlohmann::json body = {{"name", name}, {"password", name + "-password"}};
    auto res = Client()->Post("/api/login", body.dump(), "application/json");
    EXPECT_TRUE(res) << "no response";
    if (!res) return {};
    EXPECT_EQ(res->status, 200) << res->body;
    std::string set_cookie = res->get_header_value("Set-Cookie");
    Login login;
    login.cookie = set_cookie.substr(0, set_cookie.find(';'));
    login.csrf = nlohmann::json::parse(res->body)["csrf_token"].get<std::string>();
    return login;
  }

  // Sends a request and returns (status, parsed body or null).
  std::pair<int, nlohmann::json> Send(const std::string& method, const std::string& path,
                                      const Login* login, const std::string& body = "",
                                      bool csrf = true) {
    auto client = Client();
    httplib::Headers headers = login != nullptr ? Headers(*login, csrf) : httplib::Headers{};
    httplib::Result res =
        method == "GET"     ? client->Get(path.c_str(), headers)
        : method == "POST"  ? client->Post(path.c_str(), headers, body, "application/json")
        : method == "PATCH" ? client->Patch(path.c_str(), headers, body, "application/json")
                            : client->Delete(path.c_str(), headers, body, "application/json");
    EXPECT_TRUE(res) << method << " " << path << ": no response";
    if (!res) return {0, nullptr};
    return {res->status, nlohmann::json::parse(res->body, nullptr, false)};
  }

  static std::string PersonBody(const std::string& name, const std::string& extra = "") {
    std::string body = R"({"names":[{"text":")" + name + R"("}],"ethnicity":"kazakh")";
    if (!extra.empty()) body += "," + extra;
    return body + "}";
  }

  izde::testing::TempDir dir_;
  std::unique_ptr<registry::Store> store_;
  std::unique_ptr<registry::Registry> registry_;
  std::unique_ptr<ApiServer> server_;
  std::thread runner_;
  int port_ = 0;
};

}  // namespace izde::http

#endif  // IZDE_TESTS_HTTP_API_FIXTURE_H_
