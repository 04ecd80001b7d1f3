// Issue 7: what the surface reachable without an account costs. A login flood writes a
// bounded number of audit rows; parallel guesses stop at the limit; a stranger cannot lock
// the real user out; /metrics stays small, parsable and on loopback; expected_version is a
// JSON integer from 1 to 2^53; storage failures are never the client's fault; HTTPS
// clients get a Secure cookie and HSTS.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <regex>
#include <thread>

#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

using std::chrono::seconds;

std::string LoginBody(const std::string& username, const std::string& password) {
  return "{\"username\":" + Quote(username) + ",\"password\":" + Quote(password) + "}";
}

// POSTs a login over a socket bound to `source` (any 127.x.y.z is loopback on Linux), so
// the server sees a client at another address.
HttpResult LoginFrom(HttpFixture& h, const std::string& source, const std::string& body) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in local{};
  local.sin_family = AF_INET;
  REQUIRE(::inet_pton(AF_INET, source.c_str(), &local.sin_addr) == 1);
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) == 0);
  sockaddr_in server{};
  server.sin_family = AF_INET;
  server.sin_port = htons(h.server.port());
  ::inet_pton(AF_INET, "127.0.0.1", &server.sin_addr);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&server), sizeof server) == 0);
  const std::string request =
      "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Content-Type: application/json\r\nContent-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;
  REQUIRE(::send(fd, request.data(), request.size(), 0) == static_cast<ssize_t>(request.size()));
  std::string received;
  char buffer[8192];
  for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, 0)) > 0;) received.append(buffer, n);
  ::close(fd);
  HttpResult result;
  INFO(received);
  REQUIRE(received.rfind("HTTP/1.1 ", 0) == 0);
  result.status = std::stoi(received.substr(9, 3));
  const auto end_of_head = received.find("\r\n\r\n");
  REQUIRE(end_of_head != std::string::npos);
  std::istringstream lines(received.substr(0, end_of_head));
  std::string line;
  std::getline(lines, line);
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      result.headers.add(line.substr(0, colon), line.substr(line.find_first_not_of(' ', colon + 1)));
    }
  }
  result.body = received.substr(end_of_head + 4);
  return result;
}

// docs/api.md §3: a storage failure is 500 internal or 503 unavailable, never the client's.
void CheckStorageFailure(const HttpResult& r) {
  INFO("status " << r.status << " body " << r.body);
  CHECK((r.status == 500 || r.status == 503));
  CheckErrorShape(r);
  CHECK((r.ErrorCode() == "internal" || r.ErrorCode() == "unavailable"));
}

std::vector<AuditEntry> AuditAfter(HttpFixture& h, std::int64_t seq) {
  auto entries = h.f.store->AuditEntries(seq, 100000);
  REQUIRE(entries.ok());
  return *entries;
}

std::int64_t LastAuditSeq(HttpFixture& h) {
  auto entries = AuditAfter(h, 0);
  return entries.empty() ? 0 : entries.back().seq;
}

// ---- the login flood ------------------------------------------------------------------------

TEST_CASE("issue 7: a 10-second login flood from one address writes a bounded number of audit rows",
          "[http][auth][issue7]") {
  HttpFixture h;
  const std::int64_t before = LastAuditSeq(h);
  const Timestamp start = h.f.clock.Now();
  std::mt19937 rng(7);
  constexpr int kAttempts = 1000;  // 100 a second for 10 s of the server's clock
  for (int i = 0; i < kAttempts; ++i) {
    h.f.clock.Set(start + seconds{i / 100});
    // A third for the real user, the rest made-up names.
    const std::string user = i % 3 == 0 ? "social" : "gæt" + std::to_string(rng());
    auto r = h.Send("POST", "/api/v1/auth/login", LoginBody(user, "forkert"));
    INFO("attempt " << i << ": " << r.body);
    REQUIRE((r.status == 401 || r.status == 429));
  }
  // The first refused login after the audit window writes the flood's summaries.
  h.f.clock.Set(start + seconds{70});
  REQUIRE(h.Send("POST", "/api/v1/auth/login", LoginBody("social", "forkert")).status >= 400);

  const auto rows = AuditAfter(h, before);
  WARN("audit rows written by " << kAttempts + 1 << " refused logins: " << rows.size());
  CHECK(rows.size() <= 100);
  // Nothing is lost: each row is one refusal, or a summary of its window (count=N, of which
  // the window's first has its own row).
  std::int64_t refusals = 0;
  for (const auto& e : rows) {
    INFO(e.action << " " << e.detail);
    CHECK((e.action == "auth.login_failed" || e.action == "auth.rate_limited"));
    CHECK(e.client_address == "127.0.0.1");
    CHECK_FALSE(Contains(e.detail, "gæt"));  // made-up usernames stay out of the log
    refusals += e.detail.empty() ? 1 : std::stoll(e.detail.substr(6)) - 1;
  }
  CHECK(refusals == kAttempts + 1);
  CHECK(h.f.store->VerifyAuditChain().ok());

  // docs/quality.md: the real user can still log in from another address.
  auto real = LoginFrom(h, "127.0.0.2", LoginBody("social", kPassword));
  INFO(real.body);
  CHECK(real.status == 200);
}

// ---- parallel guesses -----------------------------------------------------------------------

// The production format at the test's cost, but each check takes a while and is counted, so
// that parallel requests overlap as they would at 600,000 iterations.
class CountingHasher final : public PasswordHasher {
 public:
  std::string Hash(const std::string& password) const override {
    return TestHasher().Hash(password);
  }
  bool Verify(const std::string& password, const std::string& stored) const override {
    ++checks;
    std::this_thread::sleep_for(std::chrono::milliseconds{300});
    return TestHasher().Verify(password, stored);
  }
  mutable std::atomic<int> checks{0};
};

TEST_CASE("issue 7: of 19 parallel logins, 18 wrong then the right one, at most 5 are checked",
          "[http][auth][issue7]") {
  CountingHasher hasher;
  HttpFixture h("sqlite", AuthPolicy{}, hasher);
  std::vector<int> statuses(18);
  std::vector<std::thread> guesses;
  for (int i = 0; i < 18; ++i) {
    guesses.emplace_back([&, i] {
      statuses[i] = h.Send("POST", "/api/v1/auth/login", LoginBody("social", "forkert")).status;
    });
  }
  // The right password once the guesses are being checked.
  for (int i = 0; i < 500 && hasher.checks < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  auto right = h.Send("POST", "/api/v1/auth/login", LoginBody("social", kPassword));
  for (auto& t : guesses) t.join();

  CHECK(hasher.checks <= 5);
  CHECK(std::count(statuses.begin(), statuses.end(), 401) <= 5);
  CHECK(std::count(statuses.begin(), statuses.end(), 401) +
            std::count(statuses.begin(), statuses.end(), 429) ==
        18);
  // The right password arrived while the limit was reached: refused, unchecked.
  CheckError(right, 429, "rate_limited");
}

// ---- no lock-out by strangers ---------------------------------------------------------------

TEST_CASE("issue 7: a stranger failing for a username does not lock out the real user at another address",
          "[http][auth][issue7]") {
  HttpFixture h;
  int last = 0;
  for (int i = 0; i < 30; ++i) {
    last = LoginFrom(h, "127.0.0.2", LoginBody("social", "forkert")).status;
    REQUIRE((last == 401 || last == 429));
  }
  CHECK(last == 429);  // the stranger is slowed down
  // The stranger stays slowed down even with the right password ...
  CheckError(LoginFrom(h, "127.0.0.2", LoginBody("social", kPassword)), 429, "rate_limited");
  // ... while the real user, at their own address, logs in.
  Login social = h.LogIn("social");
  CHECK(h.Get("/api/v1/me", social).status == 200);
}

TEST_CASE("issue 7: twenty failures from one address slow that address briefly, not others",
          "[http][auth][issue7]") {
  HttpFixture h;
  for (int i = 0; i < 20; ++i) {
    // Four attempts each for five usernames: no (username, address) reaches its own limit.
    const std::string user = "ukendt" + std::to_string(i % 5);
    CheckError(LoginFrom(h, "127.0.0.3", LoginBody(user, "forkert")), 401, "unauthenticated");
  }
  auto limited = LoginFrom(h, "127.0.0.3", LoginBody("koord", kPassword));
  CheckError(limited, 429, "rate_limited");
  CHECK(limited.headers.get("Retry-After", "") == "30");
  // Counted by the client's address: another address is not affected.
  h.LogIn("koord");
  // A backoff, not a 15-minute lock: 30 s later the address may try again.
  h.f.clock.Set(h.f.clock.Now() + seconds{30});
  CHECK(LoginFrom(h, "127.0.0.3", LoginBody("koord", kPassword)).status == 200);
}

// ---- /metrics -------------------------------------------------------------------------------

// Whether `text` is valid Prometheus text exposition: comments, and samples with label
// values quoted and escaped.
bool ParsesAsPrometheusText(const std::string& text, std::string& bad_line) {
  static const std::regex kSample(
      R"re([a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^"\\\n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(\\[\\"n]|[^"\\\n])*")*\})? [-+0-9.eEInfa]+)re");
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty() || line.rfind("# HELP ", 0) == 0 || line.rfind("# TYPE ", 0) == 0) continue;
    if (!std::regex_match(line, kSample)) {
      bad_line = line;
      return false;
    }
  }
  return true;
}

TEST_CASE("issue 7: random methods and paths do not grow /metrics, which stays parsable",
          "[http][operations][issue7]") {
  HttpFixture h;
  std::mt19937 rng(33);
  const std::string chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789\"\\{}=,";
  auto random_token = [&](size_t n) {
    std::string s;
    for (size_t i = 0; i < n; ++i) s += chars[rng() % chars.size()];
    return s;
  };
  const std::vector<std::string> fixed = {"GE\"T", "X\\Y", "get", "BREW", "PROPFIND"};
  for (int i = 0; i < 400; ++i) {
    const std::string method = i < 5 ? fixed[i] : random_token(1 + rng() % 12);
    const std::string path = i % 2 ? "/api/v1/" + random_token(8) : "/" + random_token(6);
    SendOnSocket(h,
                 method + " " + path +
                     " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
                 "");
  }
  auto metrics = h.Send("GET", "/metrics");
  REQUIRE(metrics.status == 200);
  INFO(metrics.body.substr(0, 4000));
  CHECK(metrics.body.size() < 64 * 1024);
  std::string bad_line;
  CHECK(ParsesAsPrometheusText(metrics.body, bad_line));
  INFO(bad_line);
  // Only the closed set of methods.
  std::smatch m;
  std::string rest = metrics.body;
  static const std::regex kMethod(R"re(method="([^"]*)")re");
  while (std::regex_search(rest, m, kMethod)) {
    CHECK(std::set<std::string>{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
                                "other"}
              .count(m[1].str()) == 1);
    rest = m.suffix();
  }
}

TEST_CASE("metric label values are escaped for the text format", "[operations][issue7]") {
  CHECK(PrometheusLabelValue("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  Metrics metrics;
  metrics.CountTransition("wf\"1", "act\\ion\n");
  metrics.ObserveRequest("GET", "/not/a/route", 200, 0.001);
  const std::string text = metrics.Render("");
  CHECK(Contains(text, "samspil_transitions_total{workflow=\"wf\\\"1\",action=\"act\\\\ion\\n\"} 1"));
  CHECK(Contains(text, "route=\"other\""));
  CHECK_FALSE(Contains(text, "/not/a/route"));
  std::string bad_line;
  CHECK(ParsesAsPrometheusText(text, bad_line));
  INFO(bad_line);
}

ApiResponse HandleDirect(Api& api, const std::string& method, const std::string& path,
                         const std::string& address, bool secure = false,
                         const std::string& body = "", const std::string& token = "") {
  ApiRequest request;
  request.method = method;
  request.path = path;
  request.client_address = address;
  request.secure = secure;
  request.body = body;
  if (!token.empty()) request.authorization = "Bearer " + token;
  std::string route;
  return api.Handle(request, route);
}

TEST_CASE("issue 7: /metrics answers 404 to a client that is not on loopback",
          "[http][operations][issue7]") {
  HttpFixture h;
  CHECK(HandleDirect(h.api, "GET", "/metrics", "203.0.113.7").status == 404);
  CHECK(HandleDirect(h.api, "GET", "/metrics", "2001:db8::7").status == 404);
  CHECK(HandleDirect(h.api, "GET", "/metrics", "127.0.0.1").status == 200);
  CHECK(HandleDirect(h.api, "GET", "/metrics", "::1").status == 200);
  CHECK(h.Send("GET", "/metrics").status == 200);  // over real HTTP on loopback
}

TEST_CASE("with metrics_loopback_only off /metrics answers any client", "[http][operations][issue7]") {
  AuthPolicy policy;
  policy.metrics_loopback_only = false;
  HttpFixture h("sqlite", policy);
  CHECK(HandleDirect(h.api, "GET", "/metrics", "203.0.113.7").status == 200);
}

// ---- strict edges ---------------------------------------------------------------------------

TEST_CASE("issue 7: expected_version is only a JSON integer from 1 to 2^53", "[http][errors][issue7]") {
  HttpFixture h;
  Login koord = h.LogIn("koord");
  const std::string id = Str(OpenCaseOver(h, koord), "id");
  const std::string path = "/api/v1/cases/" + id + "/transitions";
  auto body = [](const std::string& version) {
    return R"j({"action":"visiter","expected_version":)j" + version +
           R"j(,"data":{"bekymringsniveau":"2"}})j";
  };
  for (const std::string bad :
       {"18446744073709551617" /* 2^64 + 1: the parser wraps it to 1 */,
        "18446744073709551618" /* 2^64 + 2 */, "9223372036854775808" /* 2^63 */,
        "9223372036854775807", "9007199254740993" /* 2^53 + 1 */, "true", "false", "1.0", "2.0",
        "1e0", "\"1\"", "0", "-1", "-0", "null", "[1]", "{}"}) {
    INFO("expected_version " << bad);
    auto r = h.Post(path, body(bad), koord);
    CheckError(r, 400, "invalid_request");
    CHECK(Contains(ErrorMessage(r), "expected_version"));
  }
  auto missing = h.Post(path, R"j({"action":"visiter","data":{"bekymringsniveau":"2"}})j", koord);
  CheckError(missing, 400, "invalid_request");
  // Nothing was taken as version 1.
  CHECK(h.Get("/api/v1/cases/" + id, koord).Json()->getValue<int>("version") == 1);
  // In range but not the case's version: a conflict, not a malformed request.
  CheckError(h.Post(path, body("9007199254740992"), koord), 409, "version_conflict");
  CHECK(h.Post(path, body("1"), koord).status == 200);
  // The reopen reads it the same way.
  CheckError(h.Post("/api/v1/cases/" + id + "/reopen",
                    R"j({"expected_version":18446744073709551618,"reason":"fejl"})j", koord),
             400, "invalid_request");
}

TEST_CASE("issue 7: a storage failure while loading the caller is a 500, not a 401",
          "[http][errors][issue7]") {
  HttpFixture h;  // SQLite: the failure is a table gone under the running server
  Login koord = h.LogIn("koord");
  h.f.db.Exec("DROP TABLE memberships");
  auto r = h.Get("/api/v1/me", koord);
  // A 401 would make the UI log the user out for the server's fault.
  CheckStorageFailure(r);
}

TEST_CASE("issue 7: a storage failure while looking up the login's user is a 500, not a 401",
          "[http][errors][issue7]") {
  HttpFixture h;
  h.f.db.Exec("ALTER TABLE users RENAME TO users_gone");
  CheckStorageFailure(h.Send("POST", "/api/v1/auth/login", LoginBody("koord", kPassword)));
}

TEST_CASE("issue 7: a refused login whose audit entry cannot be written fails",
          "[http][errors][issue7]") {
  HttpFixture h;
  for (int i = 0; i < 5; ++i) {
    CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("social", "forkert")), 401,
               "unauthenticated");
  }
  h.f.db.Exec(
      "CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log WHEN NEW.action = "
      "'auth.rate_limited' BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  CheckStorageFailure(h.Send("POST", "/api/v1/auth/login", LoginBody("social", "forkert")));
}

// ---- HTTPS --------------------------------------------------------------------------------

std::vector<std::string> HeaderValues(const ApiResponse& r, const std::string& name) {
  std::vector<std::string> values;
  for (const auto& [n, v] : r.headers) {
    if (n == name) values.push_back(v);
  }
  return values;
}

// HSTS is the transport's alone (issue 8): tls_test.cpp checks that every answer over HTTPS
// carries it exactly once, these same ones included, and a plain-HTTP answer never.
TEST_CASE("issue 7: over HTTPS the session cookie is Secure, and the Api leaves HSTS to the transport",
          "[http][auth][issue7][issue8]") {
  HttpFixture h;
  const std::string login_body = LoginBody("koord", kPassword);
  auto login = HandleDirect(h.api, "POST", "/api/v1/auth/login", "127.0.0.1", true, login_body);
  REQUIRE(login.status == 200);
  auto cookies = HeaderValues(login, "Set-Cookie");
  REQUIRE(cookies.size() == 1);
  CHECK(Contains(cookies[0], "; Secure"));
  CHECK(Contains(cookies[0], "HttpOnly"));
  CHECK(HeaderValues(login, "Strict-Transport-Security").empty());

  Poco::JSON::Parser parser;
  const std::string token = parser.parse(login.body)
                                .extract<Poco::JSON::Object::Ptr>()
                                ->getValue<std::string>("token");
  auto me = HandleDirect(h.api, "GET", "/api/v1/me", "127.0.0.1", true, "", token);
  CHECK(me.status == 200);
  CHECK(HeaderValues(me, "Strict-Transport-Security").empty());
  auto error = HandleDirect(h.api, "GET", "/api/v1/me", "127.0.0.1", true);
  CHECK(error.status == 401);
  CHECK(HeaderValues(error, "Strict-Transport-Security").empty());
  auto unknown = HandleDirect(h.api, "GET", "/api/v1/findes-ikke", "127.0.0.1", true);
  CHECK(HeaderValues(unknown, "Strict-Transport-Security").empty());

  auto logout = HandleDirect(h.api, "POST", "/api/v1/auth/logout", "127.0.0.1", true, "", token);
  CHECK(logout.status == 204);
  auto cleared = HeaderValues(logout, "Set-Cookie");
  REQUIRE(cleared.size() == 1);
  CHECK(Contains(cleared[0], "Max-Age=0"));
  CHECK(Contains(cleared[0], "; Secure"));

  // Over plain HTTP: no Secure (the browser would drop the cookie) and no HSTS.
  auto plain = HandleDirect(h.api, "POST", "/api/v1/auth/login", "127.0.0.1", false, login_body);
  REQUIRE(plain.status == 200);
  CHECK_FALSE(Contains(HeaderValues(plain, "Set-Cookie").at(0), "Secure"));
  CHECK(HeaderValues(plain, "Strict-Transport-Security").empty());
  auto over_http = h.Send("POST", "/api/v1/auth/login", login_body);
  CHECK_FALSE(over_http.headers.has("Strict-Transport-Security"));
}

}  // namespace
}  // namespace samspil::test
