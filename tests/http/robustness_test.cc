// Server throughput settings and limits (issue 5): bodies refused from their Content-Length
// before they are read, keep-alive connections beyond httplib's default pool, and the
// session cache's revocation semantics, over the real server and a real SQLite file.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.h"
#include "store/vault.h"

namespace izde::http {
namespace {

using nlohmann::json;

// What came back on a raw connection.
struct Answer {
  std::string text;          // the response as read
  bool complete = false;     // headers and the whole body announced by Content-Length
  double first_byte_s = -1;  // seconds from sending to the first byte of the answer
};

// Sends `head` (a request without its body, or with part of it) on a fresh connection and
// reads the answer until it is complete, the server closes, or `timeout_s` passes.
Answer RawExchange(int port, const std::string& head, int timeout_s) {
  Answer answer;
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  EXPECT_GE(fd, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  timeval timeout{timeout_s, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  auto sent = std::chrono::steady_clock::now();
  EXPECT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  char buffer[4096];
  while (!answer.complete) {
    ssize_t got = ::recv(fd, buffer, sizeof(buffer), 0);
    if (got <= 0) break;  // closed or timed out
    if (answer.first_byte_s < 0) {
      answer.first_byte_s =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
    }
    answer.text.append(buffer, static_cast<size_t>(got));
    size_t body = answer.text.find("\r\n\r\n");
    size_t length = answer.text.find("Content-Length: ");
    if (body != std::string::npos && length != std::string::npos && length < body) {
      size_t bytes = std::stoul(answer.text.substr(length + 16));
      answer.complete = answer.text.size() >= body + 4 + bytes;
    }
  }
  ::close(fd);
  return answer;
}

json BodyOf(const std::string& answer) {
  size_t start = answer.find("\r\n\r\n");
  if (start == std::string::npos) return nullptr;
  return json::parse(answer.substr(start + 4), nullptr, false);
}

class LimitsTest : public ApiTest {
 protected:
  void SetUp() override {
    ASSERT_OK(store::CreateVaultKey(dir_.File("izde.key")));
    ASSERT_OK_AND_ASSIGN(vault_, store::Vault::Open({.dir = dir_.File("izde.vault"),
                                                     .key_path = dir_.File("izde.key"),
                                                     .max_bytes = 1 << 20}));
    // Uploads may be far larger than JSON bodies (the default 101 MiB against 1 MiB).
    StartServer({.vault = vault_.get()});
    editor_ = SignIn("editor");
  }

  std::string Head(const std::string& path, const std::string& type, uint64_t length) const {
    return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + editor_.cookie +
           "\r\nX-CSRF-Token: " + editor_.csrf + "\r\nContent-Type: " + type +
           "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
  }

  std::unique_ptr<store::Vault> vault_;
  Login editor_;
};

TEST_F(LimitsTest, AJsonBodyOverTheLimitIsRefusedFromItsLengthBeforeItIsRead) {
  // 50 MiB announced, one byte sent: the answer must come without waiting for the rest
  // (reading it, or waiting for it, would take the server's 5 s read timeout).
  Answer answer = RawExchange(port_, Head("/api/persons", "application/json", 50u << 20) + "{", 10);
  ASSERT_EQ(answer.text.rfind("HTTP/1.1 413", 0), 0u) << answer.text;
  EXPECT_TRUE(answer.complete) << answer.text;
  EXPECT_LT(answer.first_byte_s, 3.0);
  json body = BodyOf(answer.text);
  EXPECT_EQ(body["error"]["code"], "resource_exhausted") << answer.text;
  EXPECT_EQ(body["error"]["field"], "body") << answer.text;
  // The unread body must not be taken for a next request: the client is told to close.
  EXPECT_NE(answer.text.find("Connection: close"), std::string::npos) << answer.text;
  EXPECT_EQ(store_->Counts().value().persons, 0);
}

TEST_F(LimitsTest, AnUploadMayBeLargerThanAJsonBodyButNotLargerThanItsOwnLimit) {
  // Within the upload limit: the server waits for the body (nothing comes back before the
  // timeout), as it must for a real upload.
  Answer waiting =
      RawExchange(port_, Head("/api/evidence", "multipart/form-data; boundary=x", 2u << 20), 2);
  EXPECT_EQ(waiting.text, "");
  // Over it: refused at once.
  Answer answer =
      RawExchange(port_, Head("/api/evidence", "multipart/form-data; boundary=x", 200u << 20), 10);
  ASSERT_EQ(answer.text.rfind("HTTP/1.1 413", 0), 0u) << answer.text;
  EXPECT_LT(answer.first_byte_s, 3.0);
  EXPECT_EQ(BodyOf(answer.text)["error"]["code"], "resource_exhausted");
  // And the same 2 MiB to a JSON route is refused at once.
  Answer json_answer = RawExchange(port_, Head("/api/lists", "application/json", 2u << 20), 10);
  EXPECT_EQ(json_answer.text.rfind("HTTP/1.1 413", 0), 0u) << json_answer.text;
  EXPECT_LT(json_answer.first_byte_s, 3.0);
}

TEST_F(LimitsTest, AContentLengthThatIsNotANumberIs400) {
  std::string head = "POST /api/persons HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + editor_.cookie +
                     "\r\nContent-Type: application/json\r\n" + "Content-Length: 12abc\r\n\r\n";
  Answer answer = RawExchange(port_, head, 10);
  ASSERT_EQ(answer.text.rfind("HTTP/1.1 400", 0), 0u) << answer.text;
  EXPECT_EQ(BodyOf(answer.text)["error"]["field"], "Content-Length") << answer.text;
}

TEST_F(ApiTest, ManyKeepAliveClientsAreServedAtOnce) {
  // 24 clients, each holding its connection open over several requests: more than
  // httplib's default of 8 threads, each of which an open connection keeps busy. Every client
  // is answered once, then waits with its connection open until all 24 have been answered:
  // a server that served only as many connections as it has threads would answer 8 and leave
  // the others waiting until those 8 close. The wait gives up after 4 s, before the server's
  // keep-alive timeout (5 s) could close an idle connection and let a queued client in.
  Login viewer = SignIn("viewer");
  constexpr int kClients = 24;
  std::atomic<int> answered_once{0};
  std::atomic<int> saw_all{0};
  std::atomic<int> ok{0};
  std::vector<std::thread> clients;
  for (int client_idx = 0; client_idx < kClients; ++client_idx) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", port_);
      client.set_keep_alive(true);
      client.set_read_timeout(20);
      for (int request = 0; request < 8; ++request) {
        auto res = client.Get("/api/me", Headers(viewer, false));
        if (res && res->status == 200) ++ok;
        if (request > 0) continue;
        ++answered_once;
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(4);
        while (answered_once < kClients && std::chrono::steady_clock::now() < give_up) {
          std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        if (answered_once >= kClients) ++saw_all;
      }
    });
  }
  for (std::thread& client : clients) client.join();
  EXPECT_EQ(ok, kClients * 8);
  EXPECT_EQ(saw_all, kClients) << "clients were queued behind open connections";
}

TEST_F(ApiTest, RoleChangesDisablingAndLogoutReachCachedSessionsAtOnce) {
  Login viewer = SignIn("viewer");
  Login admin = SignIn("admin");
  ASSERT_EQ(Send("GET", "/api/me", &viewer).first, 200);  // now cached
  ASSERT_EQ(Send("POST", "/api/persons", &viewer, PersonBody("Aqbota")).first, 403);
  auto [promoted, promoted_body] =
      Send("PATCH", "/api/users/viewer", &admin, R"({"role":"editor"})");
  ASSERT_EQ(promoted, 200) << promoted_body;
  EXPECT_EQ(Send("POST", "/api/persons", &viewer, PersonBody("Aqbota")).first, 201);
  ASSERT_EQ(Send("PATCH", "/api/users/viewer", &admin, R"({"role":"viewer"})").first, 200);
  EXPECT_EQ(Send("POST", "/api/persons", &viewer, PersonBody("Aqbota")).first, 403);

  ASSERT_EQ(Send("PATCH", "/api/users/viewer", &admin, R"({"disabled":true})").first, 200);
  EXPECT_EQ(Send("GET", "/api/me", &viewer).first, 401);

  Login editor = SignIn("editor");
  ASSERT_EQ(Send("GET", "/api/me", &editor).first, 200);
  ASSERT_EQ(Send("POST", "/api/logout", &editor).first, 200);
  EXPECT_EQ(Send("GET", "/api/me", &editor).first, 401);
}

TEST_F(ApiTest, AnAccountDisabledByAnotherProcessIsRefusedWithinTheCacheTime) {
  StopServer();
  int64_t now = 1'800'000'000;
  ServerOptions options;
  options.clock = [&now] { return now; };
  options.sessions.cache_s = 2;
  StartServer(std::move(options));
  Login editor = SignIn("editor");
  ASSERT_EQ(Send("GET", "/api/me", &editor).first, 200);
  {
    // The command line, with its own connection to the file.
    ASSERT_OK_AND_ASSIGN(auto other, store::OpenStore(dir_.File("izde.db"), {}));
    auth::Users users(*other, auth::HashCost::kMinimum);
    ASSERT_OK(users.SetDisabled("editor", true, "cli:test").status());
  }
  EXPECT_EQ(Send("GET", "/api/me", &editor).first, 200) << "answered from the cache";
  now += 2;
  EXPECT_EQ(Send("GET", "/api/me", &editor).first, 401);
}

}  // namespace
}  // namespace izde::http
