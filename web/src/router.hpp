// The route table: which handler answers a method and path, and who may call it. Private
// to web/; Api (api.cpp) runs a request through it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "handlers.hpp"
#include "samspil/web/api.hpp"

namespace samspil {

// Every handler, one per route (router.cpp maps each to its group's member function).
enum class Endpoint {
  kLogin,
  kLogout,
  kMe,
  kListWorkflows,
  kGetWorkflow,
  kListFora,
  kForumStats,
  kOpenCase,
  kListCases,
  kGetCase,
  kTakeTransition,
  kReopenCase,
  kCaseHistory,
  kListEscalations,
  kHealthz,
  kReadyz,
  kMetrics,
};

enum class Access {
  kAnyone,    // no login
  kSignedIn,  // a valid session (bearer token, or cookie and CSRF token)
  kOperator,  // no login, but from loopback only unless AuthPolicy::metrics_loopback_only is off
};

struct RouteEntry {
  Route route;
  Endpoint endpoint;
  Access access;
};

const std::vector<RouteEntry>& RouteTable();

struct RouteMatch {
  const RouteEntry* entry = nullptr;          // null: no route for this method and path
  bool path_known = false;                    // some route has this path (then 405, not 404)
  std::map<std::string, std::string> params;  // "{id}" -> the path's segment
};
RouteMatch MatchRoute(const std::string& method, const std::string& path);

// Calls the handler of `endpoint`.
ApiResponse CallHandler(Endpoint endpoint, ApiHandlers& handlers, RequestContext& ctx);

}  // namespace samspil
