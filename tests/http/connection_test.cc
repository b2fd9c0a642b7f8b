// How the server's connections carry requests (http/connection.h): keep-alive and its last
// request, pipelined requests, requests that arrive a few bytes at a time, "Expect:
// 100-continue", responses larger than what a write holds, the client's address, and
// connections left open when the server stops. Over raw sockets, the real server and a real
// SQLite file.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api_fixture.h"

namespace izde::http {
namespace {

using nlohmann::json;

// One raw client connection to the server on loopback.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    EXPECT_GE(fd_, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    timeval timeout{20, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void Send(const std::string& bytes) {
    EXPECT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(bytes.size()));
  }

  // True when something (or the end of the stream) can be read within `timeout_ms`.
  bool Readable(int timeout_ms) {
    if (!pending_.empty()) return true;
    pollfd fd{fd_, POLLIN, 0};
    return ::poll(&fd, 1, timeout_ms) > 0;
  }

  // The next response: its head (status line and headers) and the body its Content-Length
  // announces; nullopt when the server closed the connection (or 20 s passed) first.
  struct Response {
    std::string head;
    std::string body;
    int status = 0;
    std::string Header(const std::string& name) const {
      size_t at = head.find("\r\n" + name + ": ");
      if (at == std::string::npos) return "";
      at += name.size() + 4;
      return head.substr(at, head.find("\r\n", at) - at);
    }
  };
  std::optional<Response> Read() {
    size_t end = 0;
    while ((end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!Fill()) return std::nullopt;
    }
    Response response;
    response.head = pending_.substr(0, end + 2);
    response.status = std::stoi(response.head.substr(9, 3));
    const std::string length = response.Header("Content-Length");
    const size_t bytes = length.empty() ? 0 : std::stoul(length);
    while (pending_.size() < end + 4 + bytes) {
      if (!Fill()) return std::nullopt;
    }
    response.body = pending_.substr(end + 4, bytes);
    pending_.erase(0, end + 4 + bytes);
    return response;
  }

  // True when the server closed the connection (nothing more to read).
  bool ClosedByServer() {
    if (!pending_.empty()) return false;
    return !Fill();
  }

 private:
  bool Fill() {
    char buffer[8192];
    const ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
    if (got <= 0) return false;
    pending_.append(buffer, static_cast<size_t>(got));
    return true;
  }

  int fd_ = -1;
  std::string pending_;
};

std::string Get(const std::string& path, const std::string& cookie = "",
                const std::string& extra = "") {
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  if (!cookie.empty()) request += "Cookie: " + cookie + "\r\n";
  return request + extra + "\r\n";
}

class ConnectionTest : public ApiTest {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.keep_alive_requests = 4;
    StartServer(std::move(options));
    viewer_ = SignIn("viewer");
    Login editor = SignIn("editor");
    for (const char* name : {"Nurlan Serik", "Aygul Tursun", "Serikzhan Bilash"}) {
      auto [status, person] = Send("POST", "/api/persons", &editor, PersonBody(name));
      ASSERT_EQ(status, 201) << person.dump();
      ids_.push_back(person["person"]["id"].get<std::string>());
    }
  }

  // What a fresh httplib client gets for GET `path` as the viewer.
  std::string BodyFromClient(const std::string& path) {
    auto res = Client()->Get(path.c_str(), Headers(viewer_, false));
    EXPECT_TRUE(res);
    return res ? res->body : "";
  }

  Login viewer_;
  std::vector<std::string> ids_;
};

TEST_F(ConnectionTest, AKeepAliveConnectionCarriesItsRequestsAndClosesAfterTheLast) {
  RawConnection connection(port_);
  for (size_t request_idx = 0; request_idx < 4; ++request_idx) {
    const std::string path = "/api/persons/" + ids_[request_idx % ids_.size()];
    connection.Send(Get(path, viewer_.cookie));
    std::optional<RawConnection::Response> response = connection.Read();
    ASSERT_TRUE(response.has_value()) << "request " << request_idx;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, BodyFromClient(path));
    EXPECT_EQ(response->Header("Content-Type"), "application/json");
    // The fourth is the last the connection may carry (keep_alive_requests).
    EXPECT_EQ(response->Header("Connection"), request_idx == 3 ? "close" : "");
    if (request_idx < 3) {
      EXPECT_NE(response->Header("Keep-Alive"), "");
    }
  }
  EXPECT_TRUE(connection.ClosedByServer());
}

TEST_F(ConnectionTest, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection connection(port_);
  std::string requests;
  for (const std::string& id : ids_) requests += Get("/api/persons/" + id, viewer_.cookie);
  requests += Get("/api/no-such-route", viewer_.cookie);
  connection.Send(requests);  // one write: the server reads them together
  for (const std::string& id : ids_) {
    std::optional<RawConnection::Response> response = connection.Read();
    ASSERT_TRUE(response.has_value()) << id;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(json::parse(response->body)["person"]["id"], id);
  }
  std::optional<RawConnection::Response> missing = connection.Read();
  ASSERT_TRUE(missing.has_value());
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(json::parse(missing->body)["error"]["code"], "not_found");
}

TEST_F(ConnectionTest, ARequestThatArrivesAFewBytesAtATimeIsAnswered) {
  RawConnection connection(port_);
  const std::string path = "/api/search?q=Nurlan";
  const std::string request = Get(path, viewer_.cookie);
  for (size_t at = 0; at < request.size(); at += 7) {
    connection.Send(request.substr(at, 7));
    ::usleep(1000);
  }
  std::optional<RawConnection::Response> response = connection.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, BodyFromClient(path));
  EXPECT_EQ(json::parse(response->body)["results"][0]["id"], ids_[0]);
}

TEST_F(ConnectionTest, AClientThatExpects100ContinueGetsItBeforeItSendsTheBody) {
  RawConnection connection(port_);
  const std::string body = R"({"name":"viewer","password":"viewer-password"})";
  connection.Send("POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  "Content-Type: application/json\r\nExpect: 100-continue\r\n"
                  "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n");
  // The server reads the body only after this: were "100 Continue" held back until the
  // response, both sides would wait for the other until the server's read timeout.
  ASSERT_TRUE(connection.Readable(3000)) << "no 100 Continue";
  std::optional<RawConnection::Response> interim = connection.Read();
  ASSERT_TRUE(interim.has_value());
  EXPECT_EQ(interim->status, 100);
  connection.Send(body);
  std::optional<RawConnection::Response> response = connection.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200) << response->body;
  EXPECT_EQ(json::parse(response->body)["role"], "viewer");
}

TEST_F(ConnectionTest, ALargeResponseComesWholeAndTheConnectionGoesOn) {
  Login admin = SignIn("admin");
  RawConnection connection(port_);
  // The OpenAPI document is far larger than what a write holds (16 KiB): it goes out with
  // the head in one writev, or more when the socket takes less.
  connection.Send(Get("/api/openapi.json", admin.cookie));
  std::optional<RawConnection::Response> document = connection.Read();
  ASSERT_TRUE(document.has_value());
  EXPECT_EQ(document->status, 200);
  EXPECT_GT(document->body.size(), size_t{16 * 1024});
  EXPECT_EQ(document->body, BodyFromClient("/api/openapi.json"));
  // A small one after it, on the same connection.
  connection.Send(Get("/api/persons/" + ids_[1], viewer_.cookie));
  std::optional<RawConnection::Response> person = connection.Read();
  ASSERT_TRUE(person.has_value());
  EXPECT_EQ(json::parse(person->body)["person"]["id"], ids_[1]);
}

TEST_F(ConnectionTest, TheClientsAddressIsRecordedWithItsSession) {
  Login admin = SignIn("admin");
  auto [status, sessions] = Send("GET", "/api/users/viewer/sessions", &admin);
  ASSERT_EQ(status, 200) << sessions.dump();
  ASSERT_FALSE(sessions["sessions"].empty());
  for (const json& session : sessions["sessions"]) EXPECT_EQ(session["address"], "127.0.0.1");
}

TEST_F(ConnectionTest, AClientThatLeavesMidRequestDoesNotStopTheOthers) {
  {
    RawConnection gone(port_);
    gone.Send("GET /api/persons/" + ids_[0] + " HTTP/1.1\r\nHost: 1");
  }  // closed before the end of its headers
  RawConnection connection(port_);
  connection.Send(Get("/api/persons/" + ids_[2], viewer_.cookie));
  std::optional<RawConnection::Response> response = connection.Read();
  ASSERT_TRUE(response.has_value());
  EXPECT_EQ(response->status, 200);
}

TEST_F(ConnectionTest, StoppingClosesIdleKeepAliveConnections) {
  RawConnection connection(port_);
  connection.Send(Get("/api/persons/" + ids_[0], viewer_.cookie));
  ASSERT_TRUE(connection.Read().has_value());
  StopServer();  // returns once every connection's thread is done
  EXPECT_TRUE(connection.ClosedByServer());
}

}  // namespace
}  // namespace izde::http
