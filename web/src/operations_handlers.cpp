// Probes and metrics for the operator (handlers.hpp). /metrics is loopback-only unless the
// policy says otherwise; the router checks that before it gets here.
#include <sstream>

#include "handlers.hpp"

namespace samspil {

OperationsHandlers::OperationsHandlers(Store& store, Metrics& metrics)
    : store_(store), metrics_(metrics) {}

// Liveness: the database answers a query.
ApiResponse OperationsHandlers::Healthz(RequestContext&) {
  if (!store_.Ping()) {
    return JsonAnswer(503,
                      "{\"error\":{\"code\":\"unavailable\",\"message\":\"the database does not "
                      "answer\"}}");
  }
  return JsonAnswer(200, "{\"status\":\"ok\"}");
}

// Ready only when a write can be committed now (contract §4); whatever the reason it
// cannot, a probe gets 503 `unavailable` (the reason is in the log).
ApiResponse OperationsHandlers::Readyz(RequestContext&) {
  if (auto st = store_.Ready(); !st) {
    return ErrorResponse(MakeError(ErrorCode::kUnavailable, st.error().message));
  }
  return JsonAnswer(200, "{\"status\":\"ready\"}");
}

ApiResponse OperationsHandlers::MetricsText(RequestContext&) {
  std::ostringstream extra;
  extra << "# HELP samspil_open_cases Cases not in a terminal state, by forum and state.\n"
           "# TYPE samspil_open_cases gauge\n";
  // Without the database the request counters are still worth scraping (they show the
  // outage), so a failed count leaves the gauge out instead of failing /metrics; /readyz is
  // what reports the database.
  if (auto counts = store_.CountOpenCases()) {
    for (const auto& [key, n] : *counts) {
      extra << "samspil_open_cases{forum=\"" << PrometheusLabelValue(key.first) << "\",state=\""
            << PrometheusLabelValue(key.second) << "\"} " << n << "\n";
    }
  }
  ApiResponse r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = metrics_.Render(extra.str());
  return r;
}

}  // namespace samspil
