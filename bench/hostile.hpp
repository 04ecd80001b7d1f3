// Connections that an attacker or a room of browsers holds open while the real load runs
// (issue 7): silent ones, slowloris ones that trickle a header byte a second, and kept-alive
// browsers that ask for a page every 8 s; and a probe that times a new client's /healthz.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "common.hpp"

namespace samspil::bench {

// Up to the hard limit: the held connections and the server's side of them are all
// descriptors of this one process.
void RaiseFileLimit();
double ResidentMegabytes();  // this process's RSS

// One POST on a new connection from `source` (a loopback address such as 127.0.0.2, so the
// server sees another client address); the raw response, or "" when it failed.
std::string PostFrom(const std::string& source, std::uint16_t port, const std::string& path,
                     const std::string& body);

class HostileLoad {
 public:
  // Opens them all at once and keeps them open (reopening what the server closes) until
  // destroyed. One thread.
  HostileLoad(std::uint16_t port, int idle, int slow, int browsers);
  ~HostileLoad();
  int open() const;  // connections open at the last round
  long reconnects() const { return reconnects_.load(); }
  long browser_requests() const { return browser_requests_.load(); }
  int failed_connects() const { return failed_connects_; }

 private:
  enum class Kind { kIdle, kSlow, kBrowser };
  struct Held {
    Kind kind;
    int fd;
    Clock::time_point next;
    size_t sent;
  };
  void Loop();
  std::uint16_t port_;
  std::vector<Held> held_;
  std::atomic<bool> stop_{false};
  std::atomic<int> open_{0};
  std::atomic<long> reconnects_{0};
  std::atomic<long> browser_requests_{0};
  int failed_connects_ = 0;
  std::thread thread_;
};

class HealthProbe {
 public:
  HealthProbe(std::uint16_t port, std::chrono::milliseconds every);
  ~HealthProbe();
  std::vector<std::int64_t> TakeLatencies();  // microseconds, since the last call
  long failures() const { return failures_; }

 private:
  void Loop();
  std::uint16_t port_;
  std::chrono::milliseconds every_;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::int64_t> latencies_us_;
  long failures_ = 0;
  std::thread thread_;
};

}  // namespace samspil::bench
