#include "samspil/web/api.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "samspil/adapters/json_data.hpp"

namespace samspil {

using Poco::JSON::Array;
using Poco::JSON::Object;
using Poco::Dynamic::Var;

// ---- errors -------------------------------------------------------------------------------

int HttpStatusOf(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidRequest: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kVersionConflict: return 409;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kPayloadTooLarge: return 413;
    case ErrorCode::kGuardFailed: return 422;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInvalidDefinition: return 500;
    case ErrorCode::kInternal: return 500;
    case ErrorCode::kUnavailable: return 503;
  }
  return 500;
}

namespace {

std::string Stringify(const Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_WRAP_STRINGS);
  return out.str();
}

ApiResponse JsonResponse(int status, const Object::Ptr& body) {
  ApiResponse r;
  r.status = status;
  r.body = Stringify(body);
  return r;
}

Object::Ptr NewObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Var NullableString(const std::string& s) { return s.empty() ? Var() : Var(s); }

}  // namespace

ApiResponse ErrorResponse(const Error& error) {
  // Internal details stay in the log; a client learns only that it was not its fault.
  const bool internal = HttpStatusOf(error.code) == 500;
  const bool unavailable = error.code == ErrorCode::kUnavailable;
  Object::Ptr inner = NewObject();
  inner->set("code", internal ? "internal" : ErrorCodeName(error.code));
  inner->set("message", internal      ? "internal error"
                        : unavailable ? "the database is unavailable; try again shortly"
                                      : error.message);
  // A guard's refusal starts with the guard's name ("age_between: ..."): give it to clients
  // as data, so the UI can explain the rule in Danish.
  if (error.code == ErrorCode::kGuardFailed) {
    const auto colon = error.message.find(':');
    if (colon != std::string::npos && colon > 0) {
      Object::Ptr details = NewObject();
      details->set("rule", error.message.substr(0, colon));
      inner->set("details", details);
    }
  }
  Object::Ptr outer = NewObject();
  outer->set("error", inner);
  ApiResponse r = JsonResponse(HttpStatusOf(error.code), outer);
  if (error.code == ErrorCode::kUnauthenticated) {
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"samspil\"");  // RFC 6750
  }
  return r;
}

// ---- request context ---------------------------------------------------------------------

struct Api::Caller {
  Session session;
  Actor actor;
};

struct Api::Context {
  const ApiRequest& request;
  std::map<std::string, std::string> params;  // from the route pattern
  Timestamp now;
  std::optional<Caller> caller;

  AuditContext Who() const {
    AuditContext who;
    if (caller) {
      who.actor_id = caller->actor.id;
      who.agency_id = caller->actor.agency_id;
    }
    who.client_address = request.client_address;
    return who;
  }
};

namespace {

Error Invalid(const std::string& message) { return MakeError(ErrorCode::kInvalidRequest, message); }

// The request body as a JSON object; 400 naming the problem otherwise.
Result<Object::Ptr> BodyObject(const ApiRequest& request) {
  Var parsed;
  try {
    Poco::JSON::Parser parser;
    parsed = parser.parse(request.body);
  } catch (const Poco::Exception&) {
    return Invalid("the body is not valid JSON");
  }
  if (parsed.type() != typeid(Object::Ptr)) return Invalid("the body must be a JSON object");
  return parsed.extract<Object::Ptr>();
}

Result<std::string> RequiredString(const Object::Ptr& obj, const std::string& path,
                                   const std::string& key) {
  if (!obj->has(key) || obj->get(key).isEmpty()) return Invalid("missing field \"" + path + "\"");
  Var v = obj->get(key);
  if (!v.isString()) return Invalid("field \"" + path + "\" must be a string");
  return v.extract<std::string>();
}

Result<std::string> OptionalString(const Object::Ptr& obj, const std::string& path,
                                   const std::string& key) {
  if (!obj->has(key) || obj->get(key).isEmpty()) return std::string();
  Var v = obj->get(key);
  if (!v.isString()) return Invalid("field \"" + path + "\" must be a string");
  return v.extract<std::string>();
}

// The version a change was based on (optimistic locking); every change must send it. Only a
// JSON integer from 1 to 2^53 (what every JSON implementation holds exactly): the parser
// gives numbers from 2^63 on as unsigned and wraps those past 2^64 (2^64 + 2 would be 2),
// `true` and 2.0 would convert, so anything but a signed integer in range is refused.
Result<std::int64_t> ExpectedVersion(const Object::Ptr& obj) {
  constexpr std::int64_t kMaxVersion = std::int64_t{1} << 53;
  const Error invalid =
      Invalid("field \"expected_version\" must be a whole number from 1 to 2^53");
  if (!obj->has("expected_version")) return invalid;
  const Var v = obj->get("expected_version");
  if (v.type() != typeid(Poco::Int64)) return invalid;
  const std::int64_t version = v.extract<Poco::Int64>();
  if (version < 1 || version > kMaxVersion) return invalid;
  return version;
}

Result<Data> OptionalData(const Object::Ptr& obj) {
  if (!obj->has("data") || obj->get("data").isEmpty()) return Data{};
  return DataFromJson(obj->get("data"), "data");
}

Object::Ptr FieldJson(const FieldSpec& f) {
  Object::Ptr o = NewObject();
  o->set("name", f.name);
  o->set("type", FieldTypeName(f.type));
  o->set("required", f.required);
  o->set("label", f.label);
  if (f.type == FieldType::kEnum) {
    Array::Ptr options = new Array;
    for (const auto& opt : f.options) options->add(opt);
    o->set("options", options);
    if (!f.option_labels.empty()) {
      Object::Ptr labels = NewObject();
      for (const auto& opt : f.options) {
        if (auto it = f.option_labels.find(opt); it != f.option_labels.end()) {
          labels->set(opt, it->second);
        }
      }
      o->set("option_labels", labels);
    }
  }
  if (f.type == FieldType::kForum) o->set("workflow", f.workflow);
  return o;
}

Array::Ptr FieldsJson(const std::vector<FieldSpec>& fields) {
  Array::Ptr a = new Array;
  for (const auto& f : fields) a->add(FieldJson(f));
  return a;
}

Array::Ptr StringsJson(const std::vector<std::string>& items) {
  Array::Ptr a = new Array;
  for (const auto& s : items) a->add(s);
  return a;
}

Object::Ptr WorkflowJson(const WorkflowDefinition& def) {
  Object::Ptr o = NewObject();
  o->set("id", def.id);
  o->set("name", def.name);
  o->set("version", def.version);
  o->set("initial", def.InitialState().id);
  Object::Ptr open = NewObject();
  open->set("roles", StringsJson(def.open.roles));
  open->set("fields", FieldsJson(def.open.fields));
  o->set("open", open);
  Array::Ptr states = new Array;
  for (const auto& s : def.states) {
    Object::Ptr so = NewObject();
    so->set("id", s.id);
    so->set("label", s.label);
    so->set("terminal", s.terminal);
    states->add(so);
  }
  o->set("states", states);
  // One row per (from, action): `from` and `to` are always single states (a side action
  // leads back to its own state).
  Array::Ptr transitions = new Array;
  for (const auto& t : def.transitions) {
    for (const auto& from : t.from) {
      Object::Ptr to = NewObject();
      to->set("action", t.action);
      to->set("label", t.label);
      to->set("from", from);
      to->set("to", t.TargetFrom(from));
      to->set("roles", StringsJson(t.roles));
      to->set("fields", FieldsJson(t.fields));
      to->set("confidential", t.confidential);
      transitions->add(to);
    }
  }
  o->set("transitions", transitions);
  o->set("confidential_roles", StringsJson(def.confidential_roles));
  if (def.reopen) {
    Object::Ptr reopen = NewObject();
    reopen->set("roles", StringsJson(def.reopen->roles));
    reopen->set("to", def.reopen->to);
    reopen->set("label", def.reopen->label);
    o->set("reopen", reopen);
  } else {
    o->set("reopen", Var());
  }
  return o;
}

Object::Ptr AgencyJson(const Agency& a) {
  Object::Ptr o = NewObject();
  o->set("id", a.id);
  o->set("name", a.name);
  o->set("kind", a.kind);
  return o;
}

Object::Ptr MeJson(const UserProfile& p) {
  Object::Ptr o = NewObject();
  o->set("id", p.user.id);
  o->set("username", p.user.username);
  o->set("display_name", p.user.display_name);
  o->set("agency", AgencyJson(p.agency));
  o->set("is_admin", p.user.is_admin);
  Array::Ptr memberships = new Array;
  for (const auto& seat : p.memberships) {
    Object::Ptr m = NewObject();
    m->set("forum_id", seat.forum.id);
    m->set("forum_name", seat.forum.name);
    m->set("workflow_id", seat.forum.workflow_id);
    m->set("role", seat.role);
    memberships->add(m);
  }
  o->set("memberships", memberships);
  return o;
}

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

bool IsLoopback(const std::string& address) {
  return address.starts_with("127.") || address == "::1" || address.starts_with("::ffff:127.");
}

Result<bool> BoolParam(const std::map<std::string, std::string>& query, const std::string& key) {
  auto it = query.find(key);
  if (it == query.end()) return false;
  if (it->second == "true") return true;
  if (it->second == "false") return false;
  return Invalid("query parameter \"" + key + "\" must be true or false");
}

}  // namespace

// ---- routing ------------------------------------------------------------------------------

Api::Api(Store& store, CaseService& cases, const PasswordHasher& hasher, Clock& clock,
         Metrics& metrics, AuthPolicy policy)
    : store_(store),
      cases_(cases),
      hasher_(hasher),
      clock_(clock),
      metrics_(metrics),
      policy_(policy),
      limiter_(policy),
      audit_(policy.audit_window),
      dummy_hash_(hasher.Hash(RandomHex(16))) {
  // /metrics labels requests by route: only these, so that no request can add a label.
  std::vector<std::string> patterns;
  for (const auto& e : Table()) patterns.push_back(e.route.pattern);
  metrics_.SetRoutes(patterns);
}

Api::~Api() {
  for (const auto& e : audit_.TakeAll(clock_.Now())) {
    if (auto st = store_.RecordAudit(e.who, e.at, "", "", e.action, e.detail); !st) {
      spdlog::error("refused logins' summary not audited at shutdown: {}",
                    ErrorCodeName(st.error().code));
    }
  }
}

const std::vector<Api::RouteEntry>& Api::Table() {
  static const std::vector<RouteEntry> kTable = {
      {{"POST", "/api/v1/auth/login"}, &Api::Login, false},
      {{"POST", "/api/v1/auth/logout"}, &Api::Logout, true},
      {{"GET", "/api/v1/me"}, &Api::Me, true},
      {{"GET", "/api/v1/workflows"}, &Api::ListWorkflows, true},
      {{"GET", "/api/v1/workflows/{id}"}, &Api::GetWorkflow, true},
      {{"GET", "/api/v1/fora"}, &Api::ListFora, true},
      {{"GET", "/api/v1/fora/{id}/stats"}, &Api::ForumStats, true},
      {{"POST", "/api/v1/cases"}, &Api::OpenCase, true},
      {{"GET", "/api/v1/cases"}, &Api::ListCases, true},
      {{"GET", "/api/v1/cases/{id}"}, &Api::GetCase, true},
      {{"POST", "/api/v1/cases/{id}/transitions"}, &Api::TakeTransition, true},
      {{"POST", "/api/v1/cases/{id}/reopen"}, &Api::ReopenCase, true},
      {{"GET", "/api/v1/cases/{id}/history"}, &Api::CaseHistory, true},
      {{"GET", "/api/v1/escalations"}, &Api::ListEscalations, true},
      {{"GET", "/healthz"}, &Api::Healthz, false},
      {{"GET", "/readyz"}, &Api::Readyz, false},
      {{"GET", "/metrics"}, &Api::MetricsText, false},
  };
  return kTable;
}

const std::vector<Route>& Api::Routes() {
  static const std::vector<Route> kRoutes = [] {
    std::vector<Route> out;
    for (const auto& e : Table()) out.push_back(e.route);
    return out;
  }();
  return kRoutes;
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

ApiResponse Api::Handle(const ApiRequest& request, std::string& route) {
  ApiResponse r = Dispatch(request, route);
  // HSTS on every answer over HTTPS: a browser that has seen it never tries plain HTTP
  // again (RFC 6797); over plain HTTP a browser ignores it, so it is not sent.
  if (request.secure) r.headers.emplace_back("Strict-Transport-Security", "max-age=31536000");
  return r;
}

ApiResponse Api::Dispatch(const ApiRequest& request, std::string& route) {
  route = "unmatched";
  const auto path = Segments(request.path);
  const RouteEntry* found = nullptr;
  bool path_known = false;
  std::map<std::string, std::string> params;
  for (const auto& entry : Table()) {
    std::map<std::string, std::string> candidate;
    if (!Match(entry.route.pattern, path, candidate)) continue;
    path_known = true;
    if (entry.route.method == request.method) {
      found = &entry;
      params = std::move(candidate);
      break;
    }
  }
  if (!found) {
    if (path_known) {
      ApiResponse r = ErrorResponse(Invalid("method " + request.method + " is not allowed here"));
      r.status = 405;
      return r;
    }
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such resource"));
  }
  if (found->handler == &Api::MetricsText && policy_.metrics_loopback_only &&
      !IsLoopback(request.client_address)) {
    // As if there were no such route: the counters are for the operator on this machine.
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such resource"));
  }
  route = found->route.pattern;
  Context ctx{request, std::move(params), clock_.Now(), std::nullopt};
  if (found->authenticated) {
    auto caller = Authenticate(request, ctx.now);
    if (!caller) return ErrorResponse(caller.error());
    ctx.caller = std::move(*caller);
  }
  try {
    return (this->*(found->handler))(ctx);
  } catch (const std::exception& e) {
    // The type only: a library's message may quote the request, which may be personal.
    spdlog::error("unhandled {} on {} {}", typeid(e).name(), request.method, route);
    return ErrorResponse(MakeError(ErrorCode::kInternal, "internal error"));
  }
}

// ---- authentication -----------------------------------------------------------------------

Result<Api::Caller> Api::Authenticate(const ApiRequest& request, Timestamp now) {
  std::string token = BearerToken(request.authorization);
  const bool via_cookie = token.empty() && !request.cookie.empty();
  if (via_cookie) token = request.cookie;
  const Error unauthenticated =
      MakeError(ErrorCode::kUnauthenticated, "missing, invalid or expired credentials");
  if (token.empty()) return unauthenticated;
  const std::string token_hash = Sha256Hex(token);
  auto session = store_.FindSession(token_hash);
  if (!session) {
    return session.error().code == ErrorCode::kUnauthenticated ? unauthenticated
                                                               : session.error();
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

Status Api::AuditRefused(const std::string& action, const std::string& username,
                         const AuditContext& who, Timestamp now) {
  for (const auto& e : audit_.Refused(action, username, who, now)) {
    if (auto st = store_.RecordAudit(e.who, e.at, "", "", e.action, e.detail); !st) return st;
  }
  return {};
}

ApiResponse Api::Login(Context& ctx) {
  auto body = BodyObject(ctx.request);
  if (!body) return ErrorResponse(body.error());
  auto username = RequiredString(*body, "username", "username");
  if (!username) return ErrorResponse(username.error());
  auto password = RequiredString(*body, "password", "password");
  if (!password) return ErrorResponse(password.error());
  const std::string& address = ctx.request.client_address;
  AuditContext who{"", "", "", address};

  // Reserved before the password is checked, so parallel guesses cannot pass the limit.
  const auto verdict = limiter_.Reserve(*username, address, ctx.now);
  if (!verdict.allowed) {
    // Refused for the address: one audit window for all its usernames, or a flood of
    // made-up names would write a row each.
    if (auto st = AuditRefused("auth.rate_limited", verdict.by_address ? "" : *username, who,
                               ctx.now);
        !st) {
      return ErrorResponse(st.error());
    }
    ApiResponse r = ErrorResponse(MakeError(
        ErrorCode::kRateLimited, "too many failed logins; wait a little and try again"));
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
  } settle{limiter_, *username, address, settled};

  auto user = store_.GetUserByUsername(*username);
  if (!user && user.error().code != ErrorCode::kNotFound) return ErrorResponse(user.error());
  bool ok = false;
  if (user) {
    who.actor_id = user->id;
    who.agency_id = user->agency_id;
    auto stored = store_.PasswordHashOf(user->id);
    if (!stored) return ErrorResponse(stored.error());
    ok = hasher_.Verify(*password, *stored);
  } else {
    hasher_.Verify(*password, dummy_hash_);  // as slow as a real check: no username oracle
  }
  if (!ok) {
    limiter_.Failed(*username, address, ctx.now);
    settled = true;
    if (auto st = AuditRefused("auth.login_failed", *username, who, ctx.now); !st) {
      return ErrorResponse(st.error());
    }
    return ErrorResponse(
        MakeError(ErrorCode::kUnauthenticated, "wrong username or password"));
  }
  limiter_.Succeeded(*username, address);
  settled = true;

  const std::string token = RandomHex(32);  // 256 bits from the CSPRNG
  Session session{Sha256Hex(token), user->id,  RandomHex(16), ctx.now,
                  ctx.now,          ctx.now + policy_.session_lifetime, false};
  if (auto st = store_.CreateSession(session, who); !st) return ErrorResponse(st.error());
  auto profile = store_.Profile(user->id);
  if (!profile) return ErrorResponse(profile.error());
  Object::Ptr out = NewObject();
  out->set("token", token);
  out->set("csrf_token", session.csrf_token);
  Object::Ptr me = MeJson(*profile);
  me->set("csrf_token", session.csrf_token);  // the same <me> as GET /me answers
  out->set("user", me);
  ApiResponse r = JsonResponse(200, out);
  r.headers.emplace_back("Set-Cookie",
                         SessionCookie(token, policy_.session_lifetime, ctx.request.secure));
  return r;
}

ApiResponse Api::Logout(Context& ctx) {
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

// ---- resources ----------------------------------------------------------------------------

ApiResponse Api::Me(Context& ctx) {
  auto profile = store_.Profile(ctx.caller->actor.id);
  if (!profile) return ErrorResponse(profile.error());
  Object::Ptr me = MeJson(*profile);
  // The UI keeps only the HttpOnly cookie across a reload; this is how it learns the CSRF
  // token again. Another site cannot read this answer (no CORS), so it stays a secret.
  me->set("csrf_token", ctx.caller->session.csrf_token);
  return JsonResponse(200, me);
}

ApiResponse Api::ListWorkflows(Context&) {
  Array::Ptr items = new Array;
  for (const auto& [id, def] : cases_.Workflows()) items->add(WorkflowJson(def));
  Object::Ptr out = NewObject();
  out->set("items", items);
  return JsonResponse(200, out);
}

ApiResponse Api::GetWorkflow(Context& ctx) {
  auto it = cases_.Workflows().find(ctx.params.at("id"));
  if (it == cases_.Workflows().end()) {
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such workflow"));
  }
  return JsonResponse(200, WorkflowJson(it->second));
}

ApiResponse Api::ListFora(Context& ctx) {
  const Actor& actor = ctx.caller->actor;
  std::vector<Forum> fora;
  if (actor.is_admin) {
    auto all = store_.ListFora();
    if (!all) return ErrorResponse(all.error());
    fora = std::move(*all);
  } else {
    auto profile = store_.Profile(actor.id);
    if (!profile) return ErrorResponse(profile.error());
    for (const auto& seat : profile->memberships) {
      if (fora.empty() || fora.back().id != seat.forum.id) fora.push_back(seat.forum);
    }
  }
  Array::Ptr items = new Array;
  for (const auto& f : fora) {
    Object::Ptr o = NewObject();
    o->set("id", f.id);
    o->set("name", f.name);
    o->set("workflow_id", f.workflow_id);
    o->set("municipality", NullableString(f.municipality));
    const auto& roles = actor.RolesIn(f.id);
    // A user may hold several roles in a forum: my_role is the first, my_roles all of them.
    o->set("my_role", roles.empty() ? Var() : Var(*roles.begin()));
    o->set("my_roles", StringsJson(std::vector<std::string>(roles.begin(), roles.end())));
    items->add(o);
  }
  Object::Ptr out = NewObject();
  out->set("items", items);
  return JsonResponse(200, out);
}

Result<std::string> Api::CaseJson(const Case& c, const Actor& actor, Timestamp now,
                                  bool referral_targets) {
  auto def = cases_.DefinitionOf(c);
  if (!def) return def.error();
  auto links = store_.Links(actor, c.id);
  if (!links) return links.error();
  auto names = store_.DisplayNames({c.opened_by});
  if (!names) return names.error();

  Object::Ptr o = NewObject();
  o->set("id", c.id);
  o->set("forum_id", c.forum_id);
  o->set("workflow_id", c.workflow_id);
  o->set("workflow_version", c.workflow_version);
  o->set("state", c.state);
  const StateDef* state = (*def)->FindState(c.state);
  o->set("state_label", state ? state->label : c.state);
  o->set("version", c.version);
  Object::Ptr subject = NewObject();
  subject->set("name", c.subject.name);
  subject->set("birth_date", FormatDate(c.subject.birth_date));
  o->set("subject", subject);
  o->set("summary", c.summary);
  o->set("data", DataToJson(c.data));  // what the steps recorded, as this reader may see it
  Object::Ptr opened_by = NewObject();
  opened_by->set("id", c.opened_by);
  opened_by->set("display_name", names->count(c.opened_by) ? names->at(c.opened_by) : "");
  o->set("opened_by", opened_by);
  o->set("opened_at", FormatTimestamp(c.opened_at));
  o->set("updated_at", FormatTimestamp(c.updated_at));
  o->set("due_at", c.due_at ? Var(FormatTimestamp(*c.due_at)) : Var());
  o->set("overdue", c.Overdue(now));
  o->set("escalated", c.escalated);
  if (MayReopen(**def, c, actor)) {
    Object::Ptr reopen = NewObject();
    reopen->set("label", (*def)->reopen->label);
    reopen->set("to", (*def)->reopen->to);
    o->set("reopen", reopen);
  } else {
    o->set("reopen", Var());  // not closed, not reopenable, or not this user's to reopen
  }
  Array::Ptr link_items = new Array;
  for (const auto& l : *links) {
    Object::Ptr lo = NewObject();
    lo->set("case_id", l.case_id);
    lo->set("forum_id", l.forum_id);
    lo->set("relation", l.relation);
    lo->set("legal_basis", l.legal_basis);
    link_items->add(lo);
  }
  o->set("links", link_items);
  auto actions = ActionsJson(**def, c, actor, referral_targets);
  if (!actions) return actions.error();
  std::string out = Stringify(o);  // "{...}": the actions go in before the closing brace
  out.pop_back();
  return out + ",\"available_actions\":" + *actions + "}";
}

Result<std::string> Api::ActionsJson(const WorkflowDefinition& def, const Case& c,
                                     const Actor& actor, bool referral_targets) {
  std::string key;
  if (!referral_targets) {
    key = def.id + '\n' + std::to_string(def.version) + '\n' + c.state;
    for (const auto& role : actor.RolesIn(c.forum_id)) key += '\n' + role;
    std::lock_guard lock(actions_mutex_);
    if (auto it = actions_json_.find(key); it != actions_json_.end()) return it->second;
  }
  Array::Ptr actions = new Array;
  std::optional<std::vector<Forum>> all_fora;
  for (const TransitionDef* t : AvailableActions(def, c, actor)) {
    Object::Ptr a = NewObject();
    a->set("action", t->action);
    a->set("label", t->label);
    a->set("to", t->TargetFrom(c.state));
    Array::Ptr fields = FieldsJson(t->fields);
    for (size_t i = 0; referral_targets && i < t->fields.size(); ++i) {
      const FieldSpec& f = t->fields[i];
      if (f.type != FieldType::kForum) continue;
      if (!all_fora) {
        auto listed = store_.ListFora();
        if (!listed) return listed.error();
        all_fora = std::move(*listed);
      }
      Array::Ptr targets = new Array;
      for (const auto& forum : *all_fora) {
        if (forum.workflow_id != f.workflow) continue;
        Object::Ptr fo = NewObject();
        fo->set("id", forum.id);
        fo->set("name", forum.name);
        targets->add(fo);
      }
      fields->getObject(static_cast<unsigned>(i))->set("forums", targets);
    }
    a->set("fields", fields);
    actions->add(a);
  }
  std::string text = Stringify(actions);
  if (!referral_targets) {
    std::lock_guard lock(actions_mutex_);
    actions_json_.emplace(key, text);
  }
  return text;
}

namespace {

// Concatenates already-serialised objects into {"items": [...], ...}.
std::string ItemsJson(const std::vector<std::string>& items, const std::string& tail = "") {
  std::string out = "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]" + tail + "}";
}

ApiResponse RawJson(int status, std::string body) {
  ApiResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

// The Overblik page's figures: every state of the forum's workflow in definition order
// (zeros included, so a chart always has the same rows), no personal data.
ApiResponse Api::ForumStats(Context& ctx) {
  const Actor& actor = ctx.caller->actor;
  const std::string& forum_id = ctx.params.at("id");
  auto stats = store_.ForumStats(ctx.Who(), actor, forum_id, ctx.now);
  if (!stats) return ErrorResponse(stats.error());
  auto profile = store_.Profile(actor.id);
  if (!profile) return ErrorResponse(profile.error());
  const auto seat = std::find_if(profile->memberships.begin(), profile->memberships.end(),
                                 [&](const auto& m) { return m.forum.id == forum_id; });
  if (seat == profile->memberships.end()) {
    return ErrorResponse(MakeError(ErrorCode::kNotFound, "no such forum"));
  }
  auto def = cases_.Workflows().find(seat->forum.workflow_id);
  if (def == cases_.Workflows().end()) {
    return ErrorResponse(MakeError(ErrorCode::kInternal, "forum runs an unloaded workflow"));
  }
  Array::Ptr states = new Array;
  for (const auto& s : def->second.states) {
    StateStatistics figures{s.id};
    for (const auto& found : stats->states) {
      if (found.state == s.id) figures = found;
    }
    Object::Ptr o = NewObject();
    o->set("state", s.id);
    o->set("label", s.label);
    o->set("terminal", s.terminal);
    o->set("cases", figures.cases);
    o->set("overdue", figures.overdue);
    o->set("escalated", figures.escalated);
    o->set("mean_days_in_state", figures.mean_days_in_state);
    o->set("max_days_in_state", figures.max_days_in_state);
    states->add(o);
  }
  Object::Ptr deadlines = NewObject();
  deadlines->set("met", stats->deadlines_met);
  deadlines->set("missed", stats->deadlines_missed);
  Object::Ptr out = NewObject();
  out->set("forum_id", forum_id);
  out->set("forum_name", seat->forum.name);
  out->set("workflow_id", seat->forum.workflow_id);
  out->set("generated_at", FormatTimestamp(ctx.now));
  out->set("total_cases", stats->total_cases);
  out->set("states", states);
  out->set("deadlines", deadlines);
  out->set("escalations", stats->escalations);
  return JsonResponse(200, out);
}

ApiResponse Api::OpenCase(Context& ctx) {
  auto body = BodyObject(ctx.request);
  if (!body) return ErrorResponse(body.error());
  auto forum_id = RequiredString(*body, "forum_id", "forum_id");
  if (!forum_id) return ErrorResponse(forum_id.error());
  if (!(*body)->has("subject") || (*body)->get("subject").type() != typeid(Object::Ptr)) {
    return ErrorResponse(Invalid("field \"subject\" must be an object with name and birth_date"));
  }
  Object::Ptr subject = (*body)->getObject("subject");
  auto name = RequiredString(subject, "subject.name", "name");
  if (!name) return ErrorResponse(name.error());
  auto birth_text = RequiredString(subject, "subject.birth_date", "birth_date");
  if (!birth_text) return ErrorResponse(birth_text.error());
  auto birth = ParseDate(*birth_text);
  if (!birth) return ErrorResponse(Invalid("field \"subject.birth_date\" must be YYYY-MM-DD"));
  auto summary = RequiredString(*body, "summary", "summary");
  if (!summary) return ErrorResponse(summary.error());
  auto data = OptionalData(*body);
  if (!data) return ErrorResponse(data.error());

  const Actor& actor = ctx.caller->actor;
  OpenCommand command{Subject{*name, *birth}, *summary, std::move(*data)};
  auto opened = cases_.OpenCase(actor, *forum_id, command, ctx.Who());
  if (!opened) return ErrorResponse(opened.error());
  auto json = CaseJson(*opened, actor, ctx.now);
  if (!json) return ErrorResponse(json.error());
  return RawJson(201, std::move(*json));
}

ApiResponse Api::ListCases(Context& ctx) {
  const auto& query = ctx.request.query;
  CaseFilter filter;
  if (auto it = query.find("forum_id"); it != query.end() && !it->second.empty()) {
    filter.forum_id = it->second;
  }
  if (auto it = query.find("state"); it != query.end() && !it->second.empty()) {
    filter.state = it->second;
  }
  auto overdue = BoolParam(query, "overdue");
  if (!overdue) return ErrorResponse(overdue.error());
  auto escalated = BoolParam(query, "escalated");
  if (!escalated) return ErrorResponse(escalated.error());
  filter.only_overdue = *overdue;
  filter.only_escalated = *escalated;
  filter.now = ctx.now;
  if (auto it = query.find("limit"); it != query.end()) {
    size_t used = 0;
    int limit = 0;
    try {
      limit = std::stoi(it->second, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != it->second.size() || limit < 1 || limit > 500) {
      return ErrorResponse(Invalid("query parameter \"limit\" must be a number from 1 to 500"));
    }
    filter.limit = static_cast<size_t>(limit);
  }
  if (auto it = query.find("cursor"); it != query.end()) filter.after_id = it->second;

  const Actor& actor = ctx.caller->actor;
  auto page = store_.ListCases(actor, filter, ctx.Who(), ctx.now);
  if (!page) return ErrorResponse(page.error());
  std::vector<std::string> items;
  for (const auto& c : page->items) {
    auto json = CaseJson(c, actor, ctx.now);
    if (!json) return ErrorResponse(json.error());
    items.push_back(std::move(*json));
  }
  const std::string cursor =
      page->next_cursor ? Stringify(Var(*page->next_cursor)) : std::string("null");
  return RawJson(200, ItemsJson(items, ",\"next_cursor\":" + cursor));
}

ApiResponse Api::GetCase(Context& ctx) {
  const Actor& actor = ctx.caller->actor;
  auto c = store_.GetCase(actor, ctx.params.at("id"), ctx.Who(), ctx.now);
  if (!c) return ErrorResponse(c.error());
  auto json = CaseJson(*c, actor, ctx.now, /*referral_targets=*/true);
  if (!json) return ErrorResponse(json.error());
  return RawJson(200, std::move(*json));
}

ApiResponse Api::TakeTransition(Context& ctx) {
  auto body = BodyObject(ctx.request);
  if (!body) return ErrorResponse(body.error());
  auto action = RequiredString(*body, "action", "action");
  if (!action) return ErrorResponse(action.error());
  auto expected_version = ExpectedVersion(*body);
  if (!expected_version) return ErrorResponse(expected_version.error());
  auto comment = OptionalString(*body, "comment", "comment");
  if (!comment) return ErrorResponse(comment.error());
  auto data = OptionalData(*body);
  if (!data) return ErrorResponse(data.error());

  const Actor& actor = ctx.caller->actor;
  TransitionCommand command{*action, *expected_version, *comment, std::move(*data)};
  auto updated = cases_.Transition(actor, ctx.params.at("id"), command, ctx.Who());
  if (!updated) return ErrorResponse(updated.error());
  metrics_.CountTransition(updated->workflow_id, *action);
  auto json = CaseJson(*updated, actor, ctx.now);
  if (!json) return ErrorResponse(json.error());
  return RawJson(200, std::move(*json));
}

// domain.md rule 6: a closed case is reopened with a reason, never silently.
ApiResponse Api::ReopenCase(Context& ctx) {
  auto body = BodyObject(ctx.request);
  if (!body) return ErrorResponse(body.error());
  auto expected_version = ExpectedVersion(*body);
  if (!expected_version) return ErrorResponse(expected_version.error());
  auto reason = RequiredString(*body, "reason", "reason");
  if (!reason) return ErrorResponse(reason.error());
  const Actor& actor = ctx.caller->actor;
  ReopenCommand command{*expected_version, *reason};
  auto reopened = cases_.Reopen(actor, ctx.params.at("id"), command, ctx.Who());
  if (!reopened) return ErrorResponse(reopened.error());
  metrics_.CountTransition(reopened->workflow_id, kReopenAction);
  auto json = CaseJson(*reopened, actor, ctx.now);
  if (!json) return ErrorResponse(json.error());
  return RawJson(200, std::move(*json));
}

ApiResponse Api::CaseHistory(Context& ctx) {
  const Actor& actor = ctx.caller->actor;
  auto history = store_.History(actor, ctx.params.at("id"), ctx.Who(), ctx.now);
  if (!history) return ErrorResponse(history.error());
  // Who acted and for which agency (domain.md: who, agency, role); few distinct actors.
  std::map<std::string, UserProfile> actors;
  for (const auto& e : *history) {
    if (e.actor_id.empty() || actors.count(e.actor_id)) continue;
    auto profile = store_.Profile(e.actor_id);
    if (!profile) return ErrorResponse(profile.error());
    actors.emplace(e.actor_id, std::move(*profile));
  }
  Array::Ptr items = new Array;
  for (const auto& e : *history) {
    Object::Ptr o = NewObject();
    o->set("seq", e.seq);
    o->set("action", e.action);
    o->set("from", NullableString(e.from));
    o->set("to", e.to);
    if (e.actor_id.empty()) {
      o->set("actor", Var());  // the system: the deadline scan
    } else {
      Object::Ptr who = NewObject();
      who->set("id", e.actor_id);
      const UserProfile& profile = actors.at(e.actor_id);
      who->set("display_name", profile.user.display_name);
      who->set("agency", AgencyJson(profile.agency));
      o->set("actor", who);
    }
    o->set("role", NullableString(e.role));
    o->set("at", FormatTimestamp(e.at));
    o->set("comment", e.comment);
    o->set("data", DataToJson(e.data));
    // domain.md rule 4: a confidential step's comment and data are empty for a reader
    // without a confidential role, and say so.
    o->set("confidential", e.confidential);
    o->set("withheld", e.withheld);
    items->add(o);
  }
  Object::Ptr out = NewObject();
  out->set("items", items);
  return JsonResponse(200, out);
}

ApiResponse Api::ListEscalations(Context& ctx) {
  const Actor& actor = ctx.caller->actor;
  auto cases = store_.ListEscalations(actor, 500, ctx.Who(), ctx.now);
  if (!cases) return ErrorResponse(cases.error());
  std::vector<std::string> items;
  for (const auto& c : *cases) {
    auto json = CaseJson(c, actor, ctx.now);
    if (!json) return ErrorResponse(json.error());
    items.push_back(std::move(*json));
  }
  return RawJson(200, ItemsJson(items));
}

ApiResponse Api::Healthz(Context&) {
  if (!store_.Ping()) {
    ApiResponse r = RawJson(503, "{\"error\":{\"code\":\"unavailable\",\"message\":\"the "
                                 "database does not answer\"}}");
    return r;
  }
  return RawJson(200, "{\"status\":\"ok\"}");
}

// Ready only when a write can be committed now (contract §4); whatever the reason it
// cannot, a probe gets 503 `unavailable` (the reason is in the log).
ApiResponse Api::Readyz(Context&) {
  if (auto st = store_.Ready(); !st) {
    return ErrorResponse(MakeError(ErrorCode::kUnavailable, st.error().message));
  }
  return RawJson(200, "{\"status\":\"ready\"}");
}

ApiResponse Api::MetricsText(Context&) {
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
