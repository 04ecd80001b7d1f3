// The HTTP adapter: an event loop (Boost.Asio on epoll, HTTP/1.1 parsed by Boost.Beast)
// holds every connection — idle, slow, keep-alive — without a thread; a request reaches the
// worker pool only once its headers and body have fully arrived, and its answer is written
// by the loop, so a slow reader never holds a worker. It converts requests to ApiRequest
// and back (api.hpp holds the routing and the handlers), adds the headers every answer
// carries (the security headers; Strict-Transport-Security over HTTPS, here and nowhere
// else), enforces the size and time limits, speaks TLS when given a certificate, and runs
// the deadline scan. main() builds it and everything it is given.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/web/api.hpp"
#include "samspil/web/metrics.hpp"

namespace samspil {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port (tests)
  // Workers: requests handled at once (each may wait on the database). Connections are
  // not bound to them.
  size_t threads = 64;
  std::chrono::seconds escalation_interval{60};  // how often the deadline scan runs
  bool scan_deadlines = true;  // tests that move the clock run the scan themselves

  // Connections held at once; one more is closed at once, never queued.
  size_t max_connections = 10000;
  // From a request's first byte to the end of its headers (a slowloris gets this long).
  std::chrono::milliseconds header_timeout{10000};
  // For the whole body once the headers are in (1 MiB at most).
  std::chrono::milliseconds body_timeout{30000};
  // A kept-alive connection waits this long for the next request's first byte.
  std::chrono::milliseconds idle_timeout{5000};
  // For writing one response (a client that does not read is dropped after it).
  std::chrono::milliseconds write_timeout{30000};
  size_t io_threads = 1;  // event-loop threads; one keeps up with the workers on 2 cores
  // HTTPS on the same port when both are set (PEM files; the certificate may be a chain).
  std::string tls_cert;
  std::string tls_key;
  // Peers that may set X-Forwarded-For / X-Forwarded-Proto (forwarded.hpp), as CIDRs.
  std::vector<std::string> trusted_proxies;
  // /metrics answers any client, not only loopback ones (AuthPolicy::metrics_loopback_only).
  bool metrics_public = false;
};

class HttpServer {
 public:
  // `api`, `store`, `clock` and `metrics` must outlive the server.
  HttpServer(const ServerConfig& config, Api& api, Store& store, Clock& clock, Metrics& metrics);
  ~HttpServer();
  // Binds and starts serving and the deadline scan. kInternal if the address is taken;
  // kInvalidRequest naming the file or value if the TLS files or a proxy CIDR are bad.
  Status Start();
  // Stops accepting, lets in-flight requests finish (up to a few seconds), stops the scan.
  void Stop();
  // Start(), then serves until SIGINT or SIGTERM, then Stop(). False if it could not start.
  // REQUIRES: BlockShutdownSignals() was called before any thread of the server started.
  bool ServeUntilSignal();
  std::uint16_t port() const;
  size_t open_connections() const;  // for tests and metrics

  struct Impl;  // the event loop, the workers and the connections (http_server.cpp)

 private:
  std::unique_ptr<Impl> impl_;
};

// For `samspil serve`: blocks SIGINT and SIGTERM in the calling thread, so that the threads
// it starts afterwards inherit the mask and only ServeUntilSignal receives them; and
// ignores SIGPIPE (a client that goes away mid-write must not kill the server).
void BlockShutdownSignals();

}  // namespace samspil
