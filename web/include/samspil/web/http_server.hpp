// The Poco HTTP adapter: routing in one place, thin handlers around the CaseService and the
// Store, and the deadline scan on its own thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"

namespace samspil {

struct ServerConfig {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;                     // 0: an ephemeral port (tests)
  size_t threads = 16;                           // Poco serves one keep-alive connection per thread
  std::chrono::seconds escalation_interval{60};  // how often the deadline scan runs
};

class HttpServer {
 public:
  HttpServer(const ServerConfig& config, Store& store, const LoadedWorkflows& workflows,
             Clock& clock, IdSource& ids);
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
               Clock& clock, IdSource& ids);

}  // namespace samspil
