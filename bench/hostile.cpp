#include "hostile.hpp"

#include <fcntl.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iostream>
#include <random>

namespace samspil::bench {
namespace {

int ConnectTo(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  return fd;
}

bool SendAll(int fd, const std::string& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

}  // namespace

void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

std::string PostFrom(const std::string& source, std::uint16_t port, const std::string& path,
                     const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return "";
  sockaddr_in from{};
  from.sin_family = AF_INET;
  inet_pton(AF_INET, source.c_str(), &from.sin_addr);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&from), sizeof from) == 0 &&
      ::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof to) == 0) {
    const std::string request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    if (SendAll(fd, request)) {
      char buffer[4096];
      ssize_t n = 0;
      while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0) answer.append(buffer, static_cast<size_t>(n));
    }
  }
  ::close(fd);
  return answer;
}

double ResidentMegabytes() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  }
  return 0;
}

HostileLoad::HostileLoad(std::uint16_t port, int idle, int slow, int browsers)
    : port_(port) {
  for (int i = 0; i < idle; ++i) held_.push_back({Kind::kIdle, -1, {}, 0});
  for (int i = 0; i < slow; ++i) held_.push_back({Kind::kSlow, -1, {}, 0});
  for (int i = 0; i < browsers; ++i) held_.push_back({Kind::kBrowser, -1, {}, 0});
  // Open them all before the measurement starts, spread over the first second of browsing.
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> offset_ms(0, 8000);
  const auto now = Clock::now();
  for (auto& h : held_) {
    h.fd = ConnectTo(port_);
    if (h.fd < 0) ++failed_connects_;
    h.next = now + std::chrono::milliseconds(h.kind == Kind::kBrowser ? offset_ms(rng) : 0);
  }
  thread_ = std::thread([this] { Loop(); });
}

HostileLoad::~HostileLoad() {
  stop_ = true;
  thread_.join();
  for (auto& h : held_) {
    if (h.fd >= 0) ::close(h.fd);
  }
}

int HostileLoad::open() const { return open_.load(); }

// One thread keeps them all: what the server closes is opened again, slow headers get a
// byte a second, browsers send a request every 8 s and read the answer.
void HostileLoad::Loop() {
  const std::string browser_request =
      "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: bench-browser\r\n\r\n";
  std::vector<pollfd> fds;
  char buffer[4096];
  while (!stop_) {
    const auto now = Clock::now();
    int open = 0;
    for (auto& h : held_) {
      if (h.fd < 0) {
        h.fd = ConnectTo(port_);
        ++reconnects_;
        if (h.fd < 0) continue;
        h.sent = 0;
        if (h.kind == Kind::kSlow) h.next = now;
      }
      ++open;
      if (now < h.next) continue;
      if (h.kind == Kind::kSlow) {
        // A header that never ends: "GET / HTTP/1.1\r\nX-a: a\r\n..." a byte at a time.
        static const std::string kSlowHeader = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        const char c = h.sent < kSlowHeader.size() ? kSlowHeader[h.sent] : 'x';
        if (!SendAll(h.fd, std::string(1, c))) {
          ::close(h.fd);
          h.fd = -1;
          continue;
        }
        ++h.sent;
        h.next = now + std::chrono::seconds(1);
      } else if (h.kind == Kind::kBrowser) {
        if (!SendAll(h.fd, browser_request)) {
          ::close(h.fd);
          h.fd = -1;
          continue;
        }
        ++browser_requests_;
        h.next = now + std::chrono::seconds(8);
      }
    }
    open_ = open;
    // Read (and drop) what comes back; a closed connection is reopened on the next round.
    fds.clear();
    for (auto& h : held_) {
      if (h.fd >= 0) fds.push_back({h.fd, POLLIN, 0});
    }
    ::poll(fds.data(), fds.size(), 100);
    size_t k = 0;
    for (auto& h : held_) {
      if (h.fd < 0) continue;
      const pollfd& p = fds[k++];
      if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = ::recv(h.fd, buffer, sizeof buffer, 0);
      if (n <= 0) {
        ::close(h.fd);
        h.fd = -1;
        if (h.kind == Kind::kBrowser) h.next = Clock::now();  // the next visit reconnects
      }
    }
  }
}

HealthProbe::HealthProbe(std::uint16_t port, std::chrono::milliseconds every)
    : port_(port), every_(every), thread_([this] { Loop(); }) {}

HealthProbe::~HealthProbe() {
  stop_ = true;
  thread_.join();
}

std::vector<std::int64_t> HealthProbe::TakeLatencies() {
  std::lock_guard lock(mutex_);
  return std::move(latencies_us_);
}

// A new client: a new connection, GET /healthz, the whole answer; the time from connect to
// the last byte. A failure or a 10 s wait counts as 10 s.
void HealthProbe::Loop() {
  const std::string request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
  char buffer[2048];
  while (!stop_) {
    const auto started = Clock::now();
    const int fd = ConnectTo(port_);
    bool ok = fd >= 0 && SendAll(fd, request);
    std::string answer;
    while (ok) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 10000) <= 0) {
        ok = false;
        break;
      }
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<size_t>(n));
    }
    if (fd >= 0) ::close(fd);
    ok = ok && answer.rfind("HTTP/1.1 200", 0) == 0;
    const auto took = ok ? Micros(Clock::now() - started) : std::int64_t{10'000'000};
    {
      std::lock_guard lock(mutex_);
      latencies_us_.push_back(took);
      if (!ok) ++failures_;
    }
    std::this_thread::sleep_until(started + every_);
  }
}

}  // namespace samspil::bench
