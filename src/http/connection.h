#ifndef IZDE_HTTP_CONNECTION_H_
#define IZDE_HTTP_CONNECTION_H_

// How a plain-HTTP connection is served: httplib's own request parsing, routing and response
// writing (Server::process_request), driven by our loop over a stream that sends each
// response in one write and keeps what it read across the requests of the connection.
// Private to http/ (docs/server.md, "One write per response").
//
// httplib 0.11's SocketStream, made afresh for each request, polls before every read and
// every send (and, for a send, polls again and peeks to see that the peer is there), sends
// the status line and headers and then the body in two writes, and asks the kernel for both
// addresses of the socket each time: eleven system calls for a GET on a keep-alive
// connection, and two TCP segments for the client to read. Here: a poll while the
// connection waits for its next request, one recv, one send.

#include <httplib.h>
#include <sys/types.h>

#include <algorithm>
#include <cstddef>
#include <ctime>
#include <string>
#include <vector>

namespace izde::http {

// One connection's socket as httplib's Stream. Reads go through a buffer that lives as long
// as the connection (bytes of a next, pipelined request are kept for it); writes are held
// and go out at Flush(), or at once with what is held when a write is large (writev: no
// copy of a large body), or before a read waits (so that a client waiting for
// "100 Continue" gets it). Read and write timeouts are the socket's (SO_RCVTIMEO,
// SO_SNDTIMEO, set here). Thread safety: one thread, the connection's.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int sock, time_t read_timeout_sec, time_t read_timeout_usec,
                   time_t write_timeout_sec, time_t write_timeout_usec);

  // True when a request's first bytes are here (already read, or readable) within
  // `timeout_ms`; false on timeout, on an error, or when `keep_waiting` says to stop. Waits
  // in steps of at most 100 ms, asking `keep_waiting` after each (the server stopping).
  template <typename KeepWaiting>
  bool WaitForRequest(int timeout_ms, KeepWaiting keep_waiting) {
    if (read_pos_ < read_end_) return true;
    int waited = 0;
    while (true) {
      const int step = std::min(kWaitStepMs, std::max(timeout_ms - waited, 0));
      const int ready = PollIn(step);
      if (ready != 0) return ready > 0;
      waited += step;
      if (waited >= timeout_ms || !keep_waiting()) return false;
    }
  }
  // Sends what the writes hold. False when the socket fails or times out.
  bool Flush();

  // httplib::Stream
  bool is_readable() const override;
  bool is_writable() const override;
  ssize_t read(char* ptr, size_t size) override;
  ssize_t write(const char* ptr, size_t size) override;
  using httplib::Stream::write;
  void get_remote_ip_and_port(std::string& ip, int& port) const override;
  void get_local_ip_and_port(std::string& ip, int& port) const override;
  int socket() const override { return sock_; }

 private:
  static constexpr int kWaitStepMs = 100;
  // Writes up to this size are held (a response's status line, headers and a small body);
  // a larger one goes out at once, with what is held, in one writev.
  static constexpr size_t kHoldBytes = 16 * 1024;
  static constexpr size_t kReadBufferBytes = 16 * 1024;

  // poll(POLLIN): 1 readable (or closed: the read says which), 0 timeout, -1 error.
  int PollIn(int timeout_ms) const;
  // Sends the held bytes and then [data, data + size), all of it, in as few writes as the
  // socket takes.
  bool SendAll(const char* data, size_t size);

  int sock_;
  int read_timeout_ms_;
  int write_timeout_ms_;
  std::vector<char> read_buffer_;
  size_t read_pos_ = 0;
  size_t read_end_ = 0;
  std::string held_;
  std::string remote_ip_;
  int remote_port_ = -1;
  std::string local_ip_;
  int local_port_ = -1;
};

// httplib's Server with its connections served through ConnectionStream (above); the same
// routing, handlers, limits and answers. Keep-alive as httplib's: a connection carries up to
// keep_alive_max_count requests, the last answered with "Connection: close", and is closed
// after keep_alive_timeout without a request; and when the server stops, within 100 ms.
class BufferedServer final : public httplib::Server {
 private:
  bool process_and_close_socket(int sock) override;
};

}  // namespace izde::http

#endif  // IZDE_HTTP_CONNECTION_H_
