// The Api: a request through the route table (router.cpp) to its handler (handlers.hpp),
// with the checks every route shares: method and path, who may call it, the login, and
// the last line of defence against an exception.
#include "samspil/web/api.hpp"

#include <spdlog/spdlog.h>

#include "handlers.hpp"
#include "router.hpp"

namespace samspil {
namespace {

bool IsLoopback(const std::string& address) {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

}  // namespace

AuditContext RequestContext::Who() const {
  AuditContext who;
  if (caller) {
    who.actor_id = caller->actor.id;
    who.agency_id = caller->actor.agency_id;
  }
  who.client_address = request.client_address;
  return who;
}

ApiResponse JsonAnswer(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Api::Api(Store& store, CaseService& cases, const PasswordHasher& hasher, Clock& clock,
         Metrics& metrics, AuthPolicy policy)
    : clock_(clock),
      policy_(policy),
      handlers_(new ApiHandlers{AuthHandlers(store, hasher, policy), ForumHandlers(store, cases),
                                CaseHandlers(store, cases, metrics),
                                OperationsHandlers(store, metrics)}) {
  // /metrics labels requests by route: only these, so that no request can add a label.
  std::vector<std::string> patterns;
  for (const auto& e : RouteTable()) patterns.push_back(e.route.pattern);
  metrics.SetRoutes(patterns);
}

Api::~Api() { handlers_->auth.FlushRefusedLogins(clock_.Now()); }

const std::vector<Route>& Api::Routes() {
  static const std::vector<Route> kRoutes = [] {
    std::vector<Route> out;
    for (const auto& e : RouteTable()) out.push_back(e.route);
    return out;
  }();
  return kRoutes;
}

ApiResponse Api::Handle(const ApiRequest& request, std::string& route) {
  route = "unmatched";
  RouteMatch match = MatchRoute(request.method, request.path);
  if (!match.entry) {
    if (match.path_known) {
      ApiResponse r = ErrorResponse(MakeError(ErrorCode::kInvalidRequest,
                                              "method " + request.method + " is not allowed here"));
      r.status = 405;
      return r;
    }
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such resource"));
  }
  const RouteEntry& entry = *match.entry;
  if (entry.access == Access::kOperator && policy_.metrics_loopback_only &&
      !IsLoopback(request.client_address)) {
    // As if there were no such route: the counters are for the operator on this machine.
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such resource"));
  }
  route = entry.route.pattern;
  RequestContext ctx{request, std::move(match.params), clock_.Now(), std::nullopt};
  if (entry.access == Access::kSignedIn) {
    auto caller = handlers_->auth.Authenticate(request, ctx.now);
    if (!caller) return ErrorResponse(caller.error());
    ctx.caller = std::move(*caller);
  }
  try {
    return CallHandler(entry.endpoint, *handlers_, ctx);
  } catch (const std::exception& e) {
    // The type only: a library's message may quote the request, which may be personal.
    spdlog::error("unhandled {} on {} {}", typeid(e).name(), request.method, route);
    return ErrorResponse(MakeError(ErrorCode::kInternal, "internal error"));
  }
}

}  // namespace samspil
