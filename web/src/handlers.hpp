// The REST API's handlers, in groups by resource, each group given its dependencies by
// constructor (Api builds them). A handler is thin: it decodes the request (json_codec.hpp),
// asks the Store or the CaseService, and encodes the answer. It decides nothing itself:
// the store scopes every case query to the acting user, and the CaseService alone loads,
// lets the engine decide and applies. Private to web/; the routes are in router.cpp.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "samspil/adapters/case_service.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/web/api.hpp"
#include "samspil/web/metrics.hpp"

namespace samspil {

// The authenticated user of a request.
struct Caller {
  Session session;
  Actor actor;
};

// One request as a handler sees it.
struct RequestContext {
  const ApiRequest& request;
  std::map<std::string, std::string> params;  // from the route pattern, e.g. "id"
  Timestamp now;
  std::optional<Caller> caller;  // set on every route that requires a login

  // The audit log's "who": the caller, if any, and the client's address.
  AuditContext Who() const;
  // REQUIRES: caller
  const Actor& actor() const { return caller->actor; }
};

// An answer whose body is already JSON text.
ApiResponse JsonAnswer(int status, std::string body);

// Logging in and out, and who I am (auth_handlers.cpp).
class AuthHandlers {
 public:
  AuthHandlers(Store& store, const PasswordHasher& hasher, const AuthPolicy& policy);

  // The caller of a request: its bearer token, else its session cookie (with the CSRF
  // token on a change). kUnauthenticated when missing, unknown, revoked or expired.
  Result<Caller> Authenticate(const ApiRequest& request, Timestamp now);

  ApiResponse Login(RequestContext& ctx);   // POST /api/v1/auth/login
  ApiResponse Logout(RequestContext& ctx);  // POST /api/v1/auth/logout
  ApiResponse Me(RequestContext& ctx);      // GET /api/v1/me

  // Writes the summaries of refused logins still held in memory (at shutdown).
  void FlushRefusedLogins(Timestamp now);

 private:
  // Writes what audit_ says to write for a refused login; the first failure, if any.
  Status AuditRefused(const std::string& action, const std::string& username,
                      const AuditContext& who, Timestamp now);

  Store& store_;
  const PasswordHasher& hasher_;
  AuthPolicy policy_;
  LoginRateLimiter limiter_;
  RefusedLoginAudit audit_;
  std::string dummy_hash_;  // verified against for unknown usernames, to equalise timing
};

// The definitions and the fora (forum_handlers.cpp).
class ForumHandlers {
 public:
  ForumHandlers(Store& store, CaseService& cases);

  ApiResponse ListWorkflows(RequestContext& ctx);  // GET /api/v1/workflows
  ApiResponse GetWorkflow(RequestContext& ctx);    // GET /api/v1/workflows/{id}
  ApiResponse ListFora(RequestContext& ctx);       // GET /api/v1/fora
  ApiResponse ForumStats(RequestContext& ctx);     // GET /api/v1/fora/{id}/stats

 private:
  Store& store_;
  CaseService& cases_;
};

// Cases: open, read, list, move on, reopen, history, escalations (case_handlers.cpp).
class CaseHandlers {
 public:
  CaseHandlers(Store& store, CaseService& cases, Metrics& metrics);

  ApiResponse OpenCase(RequestContext& ctx);         // POST /api/v1/cases
  ApiResponse ListCases(RequestContext& ctx);        // GET /api/v1/cases
  ApiResponse GetCase(RequestContext& ctx);          // GET /api/v1/cases/{id}
  ApiResponse TakeTransition(RequestContext& ctx);   // POST /api/v1/cases/{id}/transitions
  ApiResponse ReopenCase(RequestContext& ctx);       // POST /api/v1/cases/{id}/reopen
  ApiResponse CaseHistory(RequestContext& ctx);      // GET /api/v1/cases/{id}/history
  ApiResponse ListEscalations(RequestContext& ctx);  // GET /api/v1/escalations

 private:
  // A case as `actor` reads it: loads its definition, links and opener's name. With
  // `referral_targets`, a forum field of an action lists the fora to refer to; only the
  // single-case read asks for it.
  Result<std::string> CaseJsonFor(const Case& c, const Actor& actor, Timestamp now,
                                  bool referral_targets = false);
  // The same with the links and names already read (a list page reads them for all its cases
  // at once: CaseStore::ListCaseViews).
  Result<std::string> CaseJsonWith(const Case& c, const Actor& actor,
                                   const std::vector<CaseLink>& links,
                                   const std::map<std::string, std::string>& names, Timestamp now,
                                   bool referral_targets = false);
  // Without referral targets the available actions depend only on the definition, the state
  // and the actor's roles in the forum, so they are serialised once per such combination: a
  // list page repeats them for every case (about 40 % of its bytes), and building them anew
  // was most of its CPU time.
  Result<std::string> ActionsJsonFor(const WorkflowDefinition& def, const Case& c,
                                     const Actor& actor, bool referral_targets);

  Store& store_;
  CaseService& cases_;
  Metrics& metrics_;
  std::mutex actions_mutex_;
  std::map<std::string, std::string> actions_json_;  // key: workflow, version, state, roles
};

// Probes and metrics for the operator (operations_handlers.cpp).
class OperationsHandlers {
 public:
  OperationsHandlers(Store& store, Metrics& metrics);

  ApiResponse Healthz(RequestContext& ctx);      // GET /healthz
  ApiResponse Readyz(RequestContext& ctx);       // GET /readyz
  ApiResponse MetricsText(RequestContext& ctx);  // GET /metrics

 private:
  Store& store_;
  Metrics& metrics_;
};

// Every handler group of one Api.
struct ApiHandlers {
  AuthHandlers auth;
  ForumHandlers fora;
  CaseHandlers cases;
  OperationsHandlers operations;
};

}  // namespace samspil
