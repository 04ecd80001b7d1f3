// Prometheus metrics kept by the server: request counts and latency histograms per route
// and status, transitions per workflow and action, escalations. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

namespace samspil {

class Metrics {
 public:
  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  void CountTransition(const std::string& workflow, const std::string& action);
  void CountEscalations(int n);

  // The text exposition format; `extra` is appended (e.g. gauges read from the database).
  std::string Render(const std::string& extra) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<long long, kBuckets.size()> counts{};
    long long count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, Histogram> requests_;
  std::map<std::pair<std::string, std::string>, long long> transitions_;
  std::atomic<long long> escalations_{0};
};

}  // namespace samspil
