#include "http/connection.h"

#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>

namespace izde::http {
namespace {

int Milliseconds(time_t sec, time_t usec) { return static_cast<int>(sec * 1000 + usec / 1000); }

void SetTimeout(int sock, int option, time_t sec, time_t usec) {
  timeval tv{};
  tv.tv_sec = sec;
  tv.tv_usec = static_cast<suseconds_t>(usec);
  setsockopt(sock, SOL_SOCKET, option, &tv, sizeof(tv));
}

// The numeric address and port of a socket address, as httplib writes them
// (getnameinfo with NI_NUMERICHOST).
void IpAndPort(const sockaddr_storage& addr, socklen_t addr_len, std::string& ip, int& port) {
  if (addr.ss_family == AF_INET) {
    port = ntohs(reinterpret_cast<const sockaddr_in*>(&addr)->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    port = ntohs(reinterpret_cast<const sockaddr_in6*>(&addr)->sin6_port);
  } else {
    return;
  }
  std::array<char, NI_MAXHOST> host{};
  if (getnameinfo(reinterpret_cast<const sockaddr*>(&addr), addr_len, host.data(),
                  static_cast<socklen_t>(host.size()), nullptr, 0, NI_NUMERICHOST) == 0) {
    ip = host.data();
  }
}

}  // namespace

ConnectionStream::ConnectionStream(int sock, time_t read_timeout_sec, time_t read_timeout_usec,
                                   time_t write_timeout_sec, time_t write_timeout_usec)
    : sock_(sock),
      read_timeout_ms_(Milliseconds(read_timeout_sec, read_timeout_usec)),
      write_timeout_ms_(Milliseconds(write_timeout_sec, write_timeout_usec)),
      read_buffer_(kReadBufferBytes) {
  // A read or a send that waits longer than its timeout fails (EAGAIN), as httplib's own
  // stream's poll before each would.
  SetTimeout(sock_, SO_RCVTIMEO, read_timeout_sec, read_timeout_usec);
  SetTimeout(sock_, SO_SNDTIMEO, write_timeout_sec, write_timeout_usec);
  // Both addresses once for the connection, not for each of its requests.
  sockaddr_storage addr{};
  socklen_t addr_len = sizeof(addr);
  if (getpeername(sock_, reinterpret_cast<sockaddr*>(&addr), &addr_len) == 0) {
    IpAndPort(addr, addr_len, remote_ip_, remote_port_);
  }
  addr = {};
  addr_len = sizeof(addr);
  if (getsockname(sock_, reinterpret_cast<sockaddr*>(&addr), &addr_len) == 0) {
    IpAndPort(addr, addr_len, local_ip_, local_port_);
  }
}

int ConnectionStream::PollIn(int timeout_ms) const {
  pollfd fd{sock_, POLLIN, 0};
  while (true) {
    const int ready = poll(&fd, 1, timeout_ms);
    if (ready < 0 && errno == EINTR) continue;
    return ready < 0 ? -1 : ready;
  }
}

bool ConnectionStream::is_readable() const {
  return read_pos_ < read_end_ || PollIn(read_timeout_ms_) > 0;
}

bool ConnectionStream::is_writable() const {
  pollfd fd{sock_, POLLOUT, 0};
  while (true) {
    const int ready = poll(&fd, 1, write_timeout_ms_);
    if (ready < 0 && errno == EINTR) continue;
    return ready > 0 && (fd.revents & (POLLERR | POLLHUP | POLLNVAL)) == 0;
  }
}

ssize_t ConnectionStream::read(char* ptr, size_t size) {
  if (read_pos_ == read_end_) {
    // Whatever is held goes first: the client may wait for it ("100 Continue") before it
    // sends what this read waits for.
    if (!held_.empty() && !Flush()) return -1;
    const bool direct = size >= read_buffer_.size();
    char* into = direct ? ptr : read_buffer_.data();
    const size_t room = direct ? size : read_buffer_.size();
    ssize_t got = -1;
    do {
      got = recv(sock_, into, room, 0);
    } while (got < 0 && errno == EINTR);
    if (got <= 0 || direct) return got;
    read_pos_ = 0;
    read_end_ = static_cast<size_t>(got);
  }
  const size_t n = std::min(size, read_end_ - read_pos_);
  std::memcpy(ptr, read_buffer_.data() + read_pos_, n);
  read_pos_ += n;
  return static_cast<ssize_t>(n);
}

ssize_t ConnectionStream::write(const char* ptr, size_t size) {
  if (held_.size() + size <= kHoldBytes) {
    held_.append(ptr, size);
    return static_cast<ssize_t>(size);
  }
  return SendAll(ptr, size) ? static_cast<ssize_t>(size) : -1;
}

bool ConnectionStream::Flush() { return held_.empty() || SendAll(nullptr, 0); }

bool ConnectionStream::SendAll(const char* data, size_t size) {
  size_t held_sent = 0;
  size_t data_sent = 0;
  while (held_sent < held_.size() || data_sent < size) {
    std::array<iovec, 2> parts{};
    size_t count = 0;
    if (held_sent < held_.size()) {
      parts[count++] = {held_.data() + held_sent, held_.size() - held_sent};
    }
    if (data_sent < size) {
      parts[count++] = {const_cast<char*>(data) + data_sent, size - data_sent};
    }
    msghdr message{};
    message.msg_iov = parts.data();
    message.msg_iovlen = count;
    const ssize_t sent = sendmsg(sock_, &message, MSG_NOSIGNAL);
    if (sent < 0) {
      if (errno == EINTR) continue;
      held_.clear();
      return false;  // the peer is gone, or the write timeout passed (EAGAIN)
    }
    size_t left = static_cast<size_t>(sent);
    const size_t from_held = std::min(left, held_.size() - held_sent);
    held_sent += from_held;
    data_sent += left - from_held;
  }
  held_.clear();
  return true;
}

void ConnectionStream::get_remote_ip_and_port(std::string& ip, int& port) const {
  ip = remote_ip_;
  port = remote_port_;
}

void ConnectionStream::get_local_ip_and_port(std::string& ip, int& port) const {
  ip = local_ip_;
  port = local_port_;
}

bool BufferedServer::process_and_close_socket(int sock) {
  bool ok = false;
  {
    ConnectionStream stream(sock, read_timeout_sec_, read_timeout_usec_, write_timeout_sec_,
                            write_timeout_usec_);
    const auto serving = [this] { return svr_sock_ != INVALID_SOCKET; };
    const int keep_alive_ms = static_cast<int>(keep_alive_timeout_sec_ * 1000);
    size_t requests_left = keep_alive_max_count_;
    while (serving() && requests_left > 0 && stream.WaitForRequest(keep_alive_ms, serving)) {
      bool connection_closed = false;
      // The last request the connection may carry is answered with "Connection: close".
      ok = process_request(stream, requests_left == 1, connection_closed, nullptr);
      ok = stream.Flush() && ok;
      if (!ok || connection_closed) break;
      --requests_left;
    }
  }
  shutdown(sock, SHUT_RDWR);
  close(sock);
  return ok;
}

}  // namespace izde::http
