// The REST API of docs/api.md §2, independent of the HTTP library: an ApiRequest in, an
// ApiResponse out. The transport (http_server.cpp) only converts to and from these, so the
// routing, the authentication and every handler can be reasoned about without a socket.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
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

// What the anonymous surface allows: how long a login lasts, how failed logins are
// throttled and recorded, and who may read /metrics.
//
// Failed logins are throttled per (username, client address) and per client address,
// never per username alone: a fixed lock per username would let any stranger lock the
// real user out, so a stranger's failures slow only the stranger. Each of the two counts
// lets `free_failures_*` attempts through, then makes every further attempt wait
// `backoff_base`, doubled per failure, up to `backoff_cap`. An attempt counts as a failure
// from before its password is checked until it succeeds (LoginRateLimiter::Reserve), so
// parallel guesses cannot pass the limit. The client address is ApiRequest::client_address,
// which the transport takes from a trusted proxy's X-Forwarded-For, so the users behind one
// proxy are counted apart.
struct AuthPolicy {
  std::chrono::seconds session_lifetime{12 * 3600};
  std::chrono::seconds idle_timeout{30 * 60};
  int free_failures_per_pair = 5;      // per (username, address)
  int free_failures_per_address = 20;  // per address, over all usernames
  // 30 s, not 1 s: a person retyping a password takes longer than a second, so a shorter
  // first wait let the sixth guess through as if nothing had happened.
  std::chrono::seconds backoff_base{30};
  std::chrono::seconds backoff_cap{15 * 60};
  // A count is forgotten this long after its last attempt (refused ones included, so a
  // flood that goes on is not forgotten).
  std::chrono::seconds failure_window{15 * 60};
  // Refused logins are audited as one entry per (username, address) per this window, plus
  // a summary entry with the count when more followed (RefusedLoginAudit).
  std::chrono::seconds audit_window{60};
  // /metrics answers 404 to a client that is not on loopback (the counters tell an
  // outsider how busy each route is).
  bool metrics_loopback_only = true;
};

// Throttles failed logins (see AuthPolicy). Thread-safe. In memory and bounded: a restart
// forgets, two server processes count separately, and when more than kMaxTracked pairs or
// addresses are remembered the expired ones are swept and then the longest idle dropped.
class LoginRateLimiter {
 public:
  explicit LoginRateLimiter(const AuthPolicy& policy) : policy_(policy) {}

  struct Verdict {
    bool allowed = true;
    bool by_address = false;  // refused for the address's failures, whatever the username
    std::chrono::seconds retry_after{0};  // when refused: at least 1 s, until the backoff ends
  };
  // Reserves an attempt before its password is checked; it counts as a failure until it
  // succeeds. REQUIRES: an allowed attempt is followed by exactly one of Failed, Succeeded
  // or Released with the same username and address.
  Verdict Reserve(const std::string& username, const std::string& address, Timestamp now);
  // The reserved attempt was refused: it stays counted.
  void Failed(const std::string& username, const std::string& address, Timestamp now);
  // The reserved attempt logged in: its pair starts over. The address keeps its failures,
  // or a guesser with one account of its own could clear them.
  void Succeeded(const std::string& username, const std::string& address);
  // The reserved attempt was not decided (a storage error): as if it had not been made.
  void Released(const std::string& username, const std::string& address);
  size_t TrackedKeys();  // for tests: how many pairs and addresses are remembered

  static constexpr size_t kMaxTracked = 10000;  // per map

 private:
  struct Counter {
    int failures = 0;
    int in_flight = 0;         // reserved, not yet decided
    Timestamp next_allowed{};  // once the free attempts are used up
    Timestamp last{};          // the last attempt, refused or not
  };
  using Counters = std::map<std::string, Counter>;
  Counter& Find(Counters& counters, const std::string& key, Timestamp now);
  bool Blocked(const Counter& c, int free, bool count_in_flight, Timestamp now) const;
  void Take(Counter& c, Timestamp now) const;
  void Bound(Counters& counters, Timestamp now);
  void Release(Counters& counters, const std::string& key, int free, bool failed, bool clear,
               Timestamp now);

  AuthPolicy policy_;
  std::mutex mutex_;
  Counters pairs_;      // key: username '\n' address
  Counters addresses_;  // key: address
};

// Folds refused logins into few audit entries, so that a flood of them costs the attacker
// and not our disk: the first refusal of a (username, address) in each `window` is
// written as it happens; further ones only as a count, in one summary entry written once
// the window has closed (at the next refused login, or by TakeAll at shutdown). A summary's
// detail is "count=N first=T last=T": N refusals in the window, the first of which has its
// own entry. The username is a key in memory only; an entry names an existing user by id,
// like any other audit entry. Thread-safe, bounded: beyond kMaxTracked open windows, new
// keys share one window per action with no address.
class RefusedLoginAudit {
 public:
  explicit RefusedLoginAudit(std::chrono::seconds window) : window_(window) {}

  struct Entry {
    AuditContext who;
    Timestamp at{};
    std::string action;  // "auth.login_failed" or "auth.rate_limited"
    std::string detail;  // empty for a first refusal
  };
  // Returns the entries to write now (the refusal itself if it opens a window, summaries of
  // closed windows). An empty `username` folds every refusal of the address.
  std::vector<Entry> Refused(const std::string& action, const std::string& username,
                             const AuditContext& who, Timestamp now);
  // The summaries of every window still holding unwritten refusals (at shutdown).
  std::vector<Entry> TakeAll(Timestamp now);
  size_t Tracked();

  static constexpr size_t kMaxTracked = 10000;
  static constexpr size_t kFlushPerCall = 16;  // summaries written by one refused login

 private:
  struct Window {
    AuditContext who;
    Timestamp first{}, last{};
    std::int64_t count = 0;
    std::int64_t unwritten = 0;
  };
  using Key = std::tuple<std::string, std::string, std::string>;  // action, username, address
  static Entry Summary(const std::string& action, const Window& w, Timestamp now);

  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<Key, Window> windows_;
  std::deque<std::pair<Timestamp, Key>> opened_;  // windows in the order they opened
};

// One route of the table; `pattern` segments in braces match any one segment.
struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/cases/{id}/history"
};

struct ApiHandlers;  // web/src/handlers.hpp

// The REST API: routes a request to its handler. Construction builds the handler groups
// (web/src/handlers.hpp) and hands each the dependencies it needs; the route table is
// web/src/router.cpp. `store`, `cases`, `hasher`, `clock` and `metrics` must outlive it.
class Api {
 public:
  Api(Store& store, CaseService& cases, const PasswordHasher& hasher, Clock& clock,
      Metrics& metrics, AuthPolicy policy = {});
  // Writes the summaries of refused logins still held in memory.
  ~Api();

  // Every route the server answers, for the OpenAPI check.
  static const std::vector<Route>& Routes();

  // Thread-safe. `route` is set to the matched pattern (for metrics), or "unmatched".
  // Transport headers (Strict-Transport-Security, the security headers) are the
  // transport's: see http_server.cpp.
  ApiResponse Handle(const ApiRequest& request, std::string& route);

 private:
  Clock& clock_;
  AuthPolicy policy_;
  std::unique_ptr<ApiHandlers> handlers_;
};

// The one mapping from an ErrorCode to an HTTP status (docs/api.md §3; error_mapping.cpp).
int HttpStatusOf(ErrorCode code);
// The error as the client sees it: {"error": {"code", "message"}}, internal details withheld.
ApiResponse ErrorResponse(const Error& error);

}  // namespace samspil
