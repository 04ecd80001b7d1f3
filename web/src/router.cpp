// The route table and the one place each route meets its handler (router.hpp).
#include "router.hpp"

namespace samspil {

const std::vector<RouteEntry>& RouteTable() {
  static const std::vector<RouteEntry> kTable = {
      {{"POST", "/api/v1/auth/login"}, Endpoint::kLogin, Access::kAnyone},
      {{"POST", "/api/v1/auth/logout"}, Endpoint::kLogout, Access::kSignedIn},
      {{"GET", "/api/v1/me"}, Endpoint::kMe, Access::kSignedIn},
      {{"GET", "/api/v1/workflows"}, Endpoint::kListWorkflows, Access::kSignedIn},
      {{"GET", "/api/v1/workflows/{id}"}, Endpoint::kGetWorkflow, Access::kSignedIn},
      {{"GET", "/api/v1/fora"}, Endpoint::kListFora, Access::kSignedIn},
      {{"GET", "/api/v1/fora/{id}/stats"}, Endpoint::kForumStats, Access::kSignedIn},
      {{"POST", "/api/v1/cases"}, Endpoint::kOpenCase, Access::kSignedIn},
      {{"GET", "/api/v1/cases"}, Endpoint::kListCases, Access::kSignedIn},
      {{"GET", "/api/v1/cases/{id}"}, Endpoint::kGetCase, Access::kSignedIn},
      {{"POST", "/api/v1/cases/{id}/transitions"}, Endpoint::kTakeTransition, Access::kSignedIn},
      {{"POST", "/api/v1/cases/{id}/reopen"}, Endpoint::kReopenCase, Access::kSignedIn},
      {{"GET", "/api/v1/cases/{id}/history"}, Endpoint::kCaseHistory, Access::kSignedIn},
      {{"GET", "/api/v1/escalations"}, Endpoint::kListEscalations, Access::kSignedIn},
      {{"GET", "/healthz"}, Endpoint::kHealthz, Access::kAnyone},
      {{"GET", "/readyz"}, Endpoint::kReadyz, Access::kAnyone},
      {{"GET", "/metrics"}, Endpoint::kMetrics, Access::kOperator},
  };
  return kTable;
}

// No default: a new Endpoint without a handler does not compile (-Werror=switch).
ApiResponse CallHandler(Endpoint endpoint, ApiHandlers& h, RequestContext& ctx) {
  switch (endpoint) {
    case Endpoint::kLogin: return h.auth.Login(ctx);
    case Endpoint::kLogout: return h.auth.Logout(ctx);
    case Endpoint::kMe: return h.auth.Me(ctx);
    case Endpoint::kListWorkflows: return h.fora.ListWorkflows(ctx);
    case Endpoint::kGetWorkflow: return h.fora.GetWorkflow(ctx);
    case Endpoint::kListFora: return h.fora.ListFora(ctx);
    case Endpoint::kForumStats: return h.fora.ForumStats(ctx);
    case Endpoint::kOpenCase: return h.cases.OpenCase(ctx);
    case Endpoint::kListCases: return h.cases.ListCases(ctx);
    case Endpoint::kGetCase: return h.cases.GetCase(ctx);
    case Endpoint::kTakeTransition: return h.cases.TakeTransition(ctx);
    case Endpoint::kReopenCase: return h.cases.ReopenCase(ctx);
    case Endpoint::kCaseHistory: return h.cases.CaseHistory(ctx);
    case Endpoint::kListEscalations: return h.cases.ListEscalations(ctx);
    case Endpoint::kHealthz: return h.operations.Healthz(ctx);
    case Endpoint::kReadyz: return h.operations.Readyz(ctx);
    case Endpoint::kMetrics: return h.operations.MetricsText(ctx);
  }
  return ErrorResponse(MakeError(ErrorCode::kInternal, "no handler"));  // unreachable
}

namespace {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) out.push_back(current);
  return out;
}

bool Match(const std::string& pattern, const std::vector<std::string>& path,
           std::map<std::string, std::string>& params) {
  const auto parts = Segments(pattern);
  if (parts.size() != path.size()) return false;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].front() == '{') {
      params[parts[i].substr(1, parts[i].size() - 2)] = path[i];
    } else if (parts[i] != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

RouteMatch MatchRoute(const std::string& method, const std::string& path) {
  RouteMatch out;
  const auto segments = Segments(path);
  for (const auto& entry : RouteTable()) {
    std::map<std::string, std::string> candidate;
    if (!Match(entry.route.pattern, segments, candidate)) continue;
    out.path_known = true;
    if (entry.route.method == method) {
      out.entry = &entry;
      out.params = std::move(candidate);
      break;
    }
  }
  return out;
}

}  // namespace samspil
