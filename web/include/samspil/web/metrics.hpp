// Prometheus metrics kept by the server: request counts and latency histograms per route
// and status, transitions per workflow and action, escalations. Thread-safe.
//
// Bounded whatever clients send: a request's labels come from a closed set (the method one
// of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS or "other"; the route a pattern given to
// SetRoutes, "ui", "unmatched" or "other"; the status a number from 100 to 599, else 0), so
// random methods and paths cannot grow the exposition.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace samspil {

// A label value escaped for the text exposition format (backslash, double quote, newline).
std::string PrometheusLabelValue(const std::string& value);

class Metrics {
 public:
  // The route patterns a request may be labelled with, besides "ui" and "unmatched".
  void SetRoutes(const std::vector<std::string>& patterns);
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
  std::set<std::string> routes_{"ui", "unmatched"};
  std::map<std::tuple<std::string, std::string, int>, Histogram> requests_;
  std::map<std::pair<std::string, std::string>, long long> transitions_;
  std::atomic<long long> escalations_{0};
};

}  // namespace samspil
