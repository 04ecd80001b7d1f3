// The Poco HTTP adapter: converts requests to ApiRequest and back (api.hpp holds the
// routing and the handlers), enforces the body limit, and runs the deadline scan.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"
#include "samspil/web/api.hpp"
#include "samspil/web/metrics.hpp"

namespace samspil {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;  // 0: an ephemeral port (tests)
  // Poco serves one keep-alive connection per pool thread, so this bounds the number of
  // clients served at once.
  size_t threads = 64;
  std::chrono::seconds escalation_interval{60};  // how often the deadline scan runs
  bool scan_deadlines = true;  // tests that move the clock run the scan themselves
};

class HttpServer {
 public:
  // `api`, `store`, `clock` and `metrics` must outlive the server.
  HttpServer(const ServerConfig& config, Api& api, Store& store, Clock& clock, Metrics& metrics);
  ~HttpServer();
  // Binds and starts serving and the deadline scan. kInternal if the address is taken.
  Status Start();
  // Stops accepting, lets in-flight requests finish (up to a few seconds), stops the scan.
  void Stop();
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Runs until SIGINT or SIGTERM, then shuts down cleanly. False if it could not start.
bool RunServer(const ServerConfig& config, Store& store, const LoadedWorkflows& workflows,
               Clock& clock, IdSource& ids, const PasswordHasher& hasher);

}  // namespace samspil
