// Logging in and out, and who I am: sessions, the login limiter and the refused logins'
// audit (handlers.hpp; AuthPolicy in api.hpp says the rules).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "handlers.hpp"
#include "json_codec.hpp"
#include "samspil/adapters/ids.hpp"

namespace samspil {
namespace {

std::string BearerToken(const std::string& authorization) {
  const std::string prefix = "Bearer ";
  if (authorization.size() > prefix.size() &&
      std::equal(prefix.begin(), prefix.end(), authorization.begin(),
                 [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    return authorization.substr(prefix.size());
  }
  return {};
}

// Secure when the client came over HTTPS: the browser then never sends the token in the
// clear. Not otherwise, or a plain-HTTP deployment (loopback, tests) could not log in.
std::string SessionCookie(const std::string& token, std::chrono::seconds max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "") + "; Max-Age=" + std::to_string(max_age.count());
}

}  // namespace

AuthHandlers::AuthHandlers(Store& store, const PasswordHasher& hasher, const AuthPolicy& policy)
    : store_(store),
      hasher_(hasher),
      policy_(policy),
      limiter_(policy),
      audit_(policy.audit_window),
      dummy_hash_(hasher.Hash(RandomHex(16))) {}

void AuthHandlers::FlushRefusedLogins(Timestamp now) {
  for (const auto& e : audit_.TakeAll(now)) {
    if (auto st = store_.RecordAudit(e.who, e.at, "", "", e.action, e.detail); !st) {
      spdlog::error("refused logins' summary not audited at shutdown: {}",
                    ErrorCodeName(st.error().code));
    }
  }
}

Result<Caller> AuthHandlers::Authenticate(const ApiRequest& request, Timestamp now) {
  std::string token = BearerToken(request.authorization);
  const bool via_cookie = token.empty() && !request.cookie.empty();
  if (via_cookie) token = request.cookie;
  const Error unauthenticated =
      MakeError(ErrorCode::kUnauthenticated, "missing, invalid or expired credentials");
  if (token.empty()) return unauthenticated;
  const std::string token_hash = Sha256Hex(token);
  auto session = store_.FindSession(token_hash);
  if (!session) {
    return session.error().code == ErrorCode::kUnauthenticated ? unauthenticated : session.error();
  }
  if (session->revoked || now >= session->expires_at ||
      now - session->last_seen_at >= policy_.idle_timeout) {
    return unauthenticated;
  }
  // A cookie is sent by the browser on its own; a change made with it must prove it comes
  // from our page, which alone knows the CSRF token.
  if (via_cookie && request.method != "GET" && request.method != "HEAD" &&
      !ConstantTimeEquals(request.csrf_token, session->csrf_token)) {
    return MakeError(ErrorCode::kUnauthenticated, "missing or wrong CSRF token");
  }
  // Idle time is kept to the minute, so a busy client does not write on every request.
  if (now - session->last_seen_at >= std::chrono::minutes{1}) {
    if (auto st = store_.TouchSession(token_hash, now); !st) return st.error();
  }
  auto actor = store_.LoadActor(session->user_id);
  if (!actor) {
    // Only a user that is gone is a reason to log out; a storage error is the server's.
    return actor.error().code == ErrorCode::kNotFound ? unauthenticated : actor.error();
  }
  return Caller{std::move(*session), std::move(*actor)};
}

Status AuthHandlers::AuditRefused(const std::string& action, const std::string& username,
                                  const AuditContext& who, Timestamp now) {
  for (const auto& e : audit_.Refused(action, username, who, now)) {
    if (auto st = store_.RecordAudit(e.who, e.at, "", "", e.action, e.detail); !st) return st;
  }
  return {};
}

ApiResponse AuthHandlers::Login(RequestContext& ctx) {
  auto login = LoginRequestFromJson(ctx.request.body);
  if (!login) return ErrorResponse(login.error());
  const std::string& username = login->username;
  const std::string& address = ctx.request.client_address;
  AuditContext who{"", "", "", address};

  // Reserved before the password is checked, so parallel guesses cannot pass the limit.
  const auto verdict = limiter_.Reserve(username, address, ctx.now);
  if (!verdict.allowed) {
    // Refused for the address: one audit window for all its usernames, or a flood of
    // made-up names would write a row each.
    if (auto st =
            AuditRefused("auth.rate_limited", verdict.by_address ? "" : username, who, ctx.now);
        !st) {
      return ErrorResponse(st.error());
    }
    ApiResponse r = ErrorResponse(
        MakeError(ErrorCode::kRateLimited, "too many failed logins; wait a little and try again"));
    r.headers.emplace_back("Retry-After",
                           std::to_string(std::max<long long>(1, verdict.retry_after.count())));
    return r;
  }
  // From here the reservation is settled exactly once: failed, succeeded, or released when
  // the store could not answer (that attempt decided nothing).
  bool settled = false;
  struct Settle {
    LoginRateLimiter& limiter;
    const std::string& username;
    const std::string& address;
    bool& settled;
    ~Settle() {
      if (!settled) limiter.Released(username, address);
    }
  } settle{limiter_, username, address, settled};

  auto user = store_.GetUserByUsername(username);
  if (!user && user.error().code != ErrorCode::kNotFound) return ErrorResponse(user.error());
  bool ok = false;
  if (user) {
    who.actor_id = user->id;
    who.agency_id = user->agency_id;
    auto stored = store_.PasswordHashOf(user->id);
    if (!stored) return ErrorResponse(stored.error());
    ok = hasher_.Verify(login->password, *stored);
  } else {
    hasher_.Verify(login->password, dummy_hash_);  // as slow as a real check: no username oracle
  }
  if (!ok) {
    limiter_.Failed(username, address, ctx.now);
    settled = true;
    if (auto st = AuditRefused("auth.login_failed", username, who, ctx.now); !st) {
      return ErrorResponse(st.error());
    }
    return ErrorResponse(MakeError(ErrorCode::kUnauthenticated, "wrong username or password"));
  }
  limiter_.Succeeded(username, address);
  settled = true;

  const std::string token = RandomHex(32);  // 256 bits from the CSPRNG
  Session session{Sha256Hex(token), user->id,  RandomHex(16), ctx.now,
                  ctx.now,          ctx.now + policy_.session_lifetime, false};
  if (auto st = store_.CreateSession(session, who); !st) return ErrorResponse(st.error());
  auto profile = store_.Profile(user->id);
  if (!profile) return ErrorResponse(profile.error());
  ApiResponse r = JsonAnswer(200, LoginJson(token, session.csrf_token, *profile));
  r.headers.emplace_back("Set-Cookie",
                         SessionCookie(token, policy_.session_lifetime, ctx.request.secure));
  return r;
}

ApiResponse AuthHandlers::Logout(RequestContext& ctx) {
  if (auto st = store_.RevokeSession(ctx.caller->session.token_hash, ctx.Who(), ctx.now); !st) {
    return ErrorResponse(st.error());
  }
  ApiResponse r;
  r.status = 204;
  r.content_type.clear();
  r.headers.emplace_back("Set-Cookie",
                         SessionCookie("", std::chrono::seconds{0}, ctx.request.secure));
  return r;
}

ApiResponse AuthHandlers::Me(RequestContext& ctx) {
  auto profile = store_.Profile(ctx.actor().id);
  if (!profile) return ErrorResponse(profile.error());
  return JsonAnswer(200, MeJson(*profile, ctx.caller->session.csrf_token));
}

}  // namespace samspil
