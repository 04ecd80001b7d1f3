// The REST API of contract.md §2, independent of the HTTP library: an ApiRequest in, an
// ApiResponse out. The Poco adapter (http_server.cpp) only converts to and from these, so
// the routing, the authentication and every handler can be reasoned about in one place.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "samspil/adapters/case_service.hpp"
#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/web/metrics.hpp"

namespace samspil {

inline constexpr size_t kMaxBodyBytes = 1024 * 1024;
inline constexpr const char* kSessionCookie = "samspil_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // without the query string
  std::map<std::string, std::string> query;
  std::string authorization;  // the Authorization header, if any
  std::string cookie;         // the value of the samspil_session cookie, if any
  std::string csrf_token;     // the X-CSRF-Token header, if any
  std::string body;
  // The client's address: the peer's, or X-Forwarded-For's when the peer is a trusted proxy.
  std::string client_address;
  // Whether the client reached us over HTTPS (our TLS, or X-Forwarded-Proto from a trusted
  // proxy): the session cookie is then marked Secure.
  bool secure = false;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // e.g. Set-Cookie
};

// How long a login lasts, and how failed logins are limited.
struct AuthPolicy {
  std::chrono::seconds session_lifetime{12 * 3600};
  std::chrono::seconds idle_timeout{30 * 60};
  int max_failures_per_username = 5;   // within `failure_window`
  int max_failures_per_address = 20;
  std::chrono::seconds failure_window{15 * 60};
};

// Counts failed logins per key in a sliding window. Thread-safe. In memory: a restart
// forgets, and two server processes count separately (documented in the README).
class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(const AuthPolicy& policy) : policy_(policy) {}
  bool Limited(const std::string& username, const std::string& address, Timestamp now);
  void RecordFailure(const std::string& username, const std::string& address, Timestamp now);
  void RecordSuccess(const std::string& username);
  size_t TrackedKeys();  // for tests: how many usernames and addresses are remembered

  static constexpr size_t kSweepAbove = 10000;

 private:
  int Count(const std::string& key, Timestamp now);
  AuthPolicy policy_;
  std::mutex mutex_;
  std::map<std::string, std::vector<Timestamp>> failures_;
};

// One route of the table; `pattern` segments in braces match any one segment.
struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/cases/{id}/history"
};

class Api {
 public:
  Api(Store& store, CaseService& cases, const PasswordHasher& hasher, Clock& clock,
      Metrics& metrics, AuthPolicy policy = {});

  // Every route the server answers, for the OpenAPI check.
  static const std::vector<Route>& Routes();

  // Thread-safe. `route` is set to the matched pattern (for metrics), or "unmatched".
  ApiResponse Handle(const ApiRequest& request, std::string& route);

 private:
  struct Caller;  // the authenticated user of a request
  struct Context;
  using Handler = ApiResponse (Api::*)(Context&);
  struct RouteEntry {
    Route route;
    Handler handler;
    bool authenticated;
  };
  static const std::vector<RouteEntry>& Table();

  Result<Caller> Authenticate(const ApiRequest& request, Timestamp now);

  ApiResponse Login(Context& ctx);
  ApiResponse Logout(Context& ctx);
  ApiResponse Me(Context& ctx);
  ApiResponse ListWorkflows(Context& ctx);
  ApiResponse GetWorkflow(Context& ctx);
  ApiResponse ListFora(Context& ctx);
  ApiResponse ForumStats(Context& ctx);
  ApiResponse OpenCase(Context& ctx);
  ApiResponse ListCases(Context& ctx);
  ApiResponse GetCase(Context& ctx);
  ApiResponse TakeTransition(Context& ctx);
  ApiResponse ReopenCase(Context& ctx);
  ApiResponse CaseHistory(Context& ctx);
  ApiResponse ListEscalations(Context& ctx);
  ApiResponse Healthz(Context& ctx);
  ApiResponse Readyz(Context& ctx);
  ApiResponse MetricsText(Context& ctx);

  // With `referral_targets`, a `forum` field of an available action lists the fora that
  // run its workflow ("forums": [{"id", "name"}]) — the referral form needs them, and the
  // user is usually no member of the target forum. Only the single-case read asks for it.
  Result<std::string> CaseJson(const Case& c, const Actor& actor, Timestamp now,
                               bool referral_targets = false);
  // The case's "available_actions" as JSON text. Without referral targets they depend only
  // on the definition, the state and the actor's roles in the forum, so they are serialised
  // once per such combination: a list page repeats them for every case (about 40 % of its
  // bytes), and building them anew was most of its CPU time.
  Result<std::string> ActionsJson(const WorkflowDefinition& def, const Case& c, const Actor& actor,
                                  bool referral_targets);

  std::mutex actions_mutex_;
  std::map<std::string, std::string> actions_json_;  // key: workflow, version, state, roles

  Store& store_;
  CaseService& cases_;
  const PasswordHasher& hasher_;
  Clock& clock_;
  Metrics& metrics_;
  AuthPolicy policy_;
  LoginRateLimiter limiter_;
  std::string dummy_hash_;  // verified against for unknown usernames, to equalise timing
};

// The one mapping from an ErrorCode to an HTTP status (contract.md §2).
int HttpStatusOf(ErrorCode code);
ApiResponse ErrorResponse(const Error& error);

}  // namespace samspil
