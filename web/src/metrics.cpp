#include "samspil/web/metrics.hpp"

#include <array>
#include <sstream>

namespace samspil {

std::string PrometheusLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

const std::string& MethodLabel(const std::string& method) {
  static const std::array<std::string, 8> kMethods = {"GET",    "HEAD",    "POST", "PUT",
                                                      "PATCH",  "DELETE",  "OPTIONS", "other"};
  for (size_t i = 0; i + 1 < kMethods.size(); ++i) {
    if (method == kMethods[i]) return kMethods[i];
  }
  return kMethods.back();
}

}  // namespace

void Metrics::SetRoutes(const std::vector<std::string>& patterns) {
  std::lock_guard lock(mutex_);
  routes_.insert(patterns.begin(), patterns.end());
}

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::lock_guard lock(mutex_);
  const std::string& route_label = routes_.count(route) ? route : std::string("other");
  Histogram& h = requests_[{MethodLabel(method), route_label,
                            status >= 100 && status <= 599 ? status : 0}];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::CountTransition(const std::string& workflow, const std::string& action) {
  std::lock_guard lock(mutex_);
  ++transitions_[{workflow, action}];
}

void Metrics::CountEscalations(int n) { escalations_ += n; }

std::string Metrics::Render(const std::string& extra) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP samspil_http_requests_total HTTP requests by method, route and status.\n"
         "# TYPE samspil_http_requests_total counter\n";
  for (const auto& [key, h] : requests_) {
    const auto& [method, route, status] = key;
    out << "samspil_http_requests_total{method=\"" << PrometheusLabelValue(method)
        << "\",route=\"" << PrometheusLabelValue(route) << "\",status=\"" << status << "\"} "
        << h.count << "\n";
  }
  out << "# HELP samspil_http_request_duration_seconds Time to answer a request.\n"
         "# TYPE samspil_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : requests_) {
    const auto& [method, route, status] = key;
    const std::string labels = "method=\"" + PrometheusLabelValue(method) + "\",route=\"" +
                               PrometheusLabelValue(route) + "\",status=\"" +
                               std::to_string(status) + "\"";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << "samspil_http_request_duration_seconds_bucket{" << labels << ",le=\"" << kBuckets[i]
          << "\"} " << h.counts[i] << "\n";
    }
    out << "samspil_http_request_duration_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count
        << "\n"
        << "samspil_http_request_duration_seconds_sum{" << labels << "} " << h.sum << "\n"
        << "samspil_http_request_duration_seconds_count{" << labels << "} " << h.count << "\n";
  }
  out << "# HELP samspil_transitions_total Transitions taken, by workflow and action.\n"
         "# TYPE samspil_transitions_total counter\n";
  for (const auto& [key, n] : transitions_) {
    out << "samspil_transitions_total{workflow=\"" << PrometheusLabelValue(key.first)
        << "\",action=\"" << PrometheusLabelValue(key.second) << "\"} " << n << "\n";
  }
  out << "# HELP samspil_escalations_total Cases escalated by this process's deadline scan.\n"
         "# TYPE samspil_escalations_total counter\n"
      << "samspil_escalations_total " << escalations_.load() << "\n"
      << extra;
  return out.str();
}

}  // namespace samspil
