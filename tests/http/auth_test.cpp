// Authentication: login, logout, the web UI's cookie with its CSRF token, session timeouts
// and the rate limiting of failed logins.
#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

std::string LoginBody(const std::string& username, const std::string& password) {
  return "{\"username\":" + Quote(username) + ",\"password\":" + Quote(password) + "}";
}

int CountAudit(HttpFixture& h, const std::string& action) {
  auto entries = h.f.store->AuditEntries(0, 10000);
  REQUIRE(entries.ok());
  int n = 0;
  for (const auto& e : *entries) n += e.action == action;
  return n;
}

TEST_CASE("login answers a token, the user and an HttpOnly SameSite=Strict cookie",
          "[http][auth]") {
  HttpFixture h;
  auto r = h.Send("POST", "/api/v1/auth/login", LoginBody("koord", kPassword));
  INFO(r.body);
  REQUIRE(r.status == 200);
  JsonObject body = r.Json();
  CHECK(!Str(body, "token").empty());
  REQUIRE(body->isObject("user"));
  CHECK(Str(body->getObject("user"), "username") == "koord");
  CHECK(Str(body->getObject("user"), "id") == "usr_koord");
  // `user` is the same <me> object as GET /api/v1/me answers.
  auto me = h.Send("GET", "/api/v1/me", "", Str(body, "token"));
  REQUIRE(me.status == 200);
  std::ostringstream user;
  body->getObject("user")->stringify(user);
  std::ostringstream me_text;
  me.Json()->stringify(me_text);
  CHECK(user.str() == me_text.str());

  const std::string cookie = r.headers.get("Set-Cookie", "");
  INFO(cookie);
  CHECK(cookie.rfind(std::string(kSessionCookie) + "=", 0) == 0);
  CHECK(Contains(cookie, "HttpOnly"));
  CHECK(Contains(cookie, "SameSite=Strict"));
  // The cookie carries the same session as the token.
  Login login = h.LogIn("koord");
  CHECK(h.Send("GET", "/api/v1/me", "", "", login.cookie).status == 200);
}

TEST_CASE("logout ends the session at once", "[http][auth]") {
  HttpFixture h;
  Login a = h.LogIn("betjent");
  Login b = h.LogIn("betjent");  // a second session of the same user
  REQUIRE(h.Get("/api/v1/me", a).status == 200);

  auto out = h.Send("POST", "/api/v1/auth/logout", "", a.token);
  CHECK(out.status == 204);
  CHECK(out.body.empty());
  CheckError(h.Get("/api/v1/me", a), 401, "unauthenticated");
  CheckError(h.Get("/api/v1/cases", a), 401, "unauthenticated");
  CheckError(h.Send("GET", "/api/v1/me", "", "", a.cookie), 401, "unauthenticated");
  CheckError(h.Send("POST", "/api/v1/auth/logout", "", a.token), 401, "unauthenticated");
  // Only that session: the other one still works.
  CHECK(h.Get("/api/v1/me", b).status == 200);
  CHECK(CountAudit(h, "auth.logout") == 1);
}

TEST_CASE(
    "cookie authentication: reads with the cookie alone, changes only with the CSRF "
    "token",
    "[http][auth]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  REQUIRE(!betjent.cookie.empty());
  REQUIRE(!betjent.csrf_token.empty());
  const std::string body = OpenBody("ssp-a", "Testbarn Cookie", "2012-04-01");

  auto me = h.Send("GET", "/api/v1/me", "", "", betjent.cookie);
  INFO(me.body);
  REQUIRE(me.status == 200);
  CHECK(Str(me.Json(), "username") == "betjent");
  CHECK(h.Send("GET", "/api/v1/cases", "", "", betjent.cookie).status == 200);

  CheckError(h.Send("POST", "/api/v1/cases", body, "", betjent.cookie), 401, "unauthenticated");
  CheckError(h.Send("POST", "/api/v1/cases", body, "", betjent.cookie, "forkert-csrf-token"), 401,
             "unauthenticated");
  // The CSRF token of another session does not do either.
  Login social = h.LogIn("social");
  CheckError(h.Send("POST", "/api/v1/cases", body, "", betjent.cookie, social.csrf_token), 401,
             "unauthenticated");
  CheckError(h.Send("POST", "/api/v1/auth/logout", "", "", betjent.cookie), 401, "unauthenticated");
  // Nothing was opened by the refused requests.
  CHECK(ItemIds(h.Send("GET", "/api/v1/cases", "", "", betjent.cookie)).empty());

  auto opened = h.Send("POST", "/api/v1/cases", body, "", betjent.cookie, betjent.csrf_token);
  INFO(opened.body);
  CHECK(opened.status == 201);
  CHECK(ItemIds(h.Send("GET", "/api/v1/cases", "", "", betjent.cookie)).size() == 1);

  // Logging out with the cookie needs the token too, and then the cookie is dead.
  CHECK(h.Send("POST", "/api/v1/auth/logout", "", "", betjent.cookie, betjent.csrf_token).status ==
        204);
  CheckError(h.Send("GET", "/api/v1/me", "", "", betjent.cookie), 401, "unauthenticated");
}

TEST_CASE("sessions: 30 minutes idle ends them, activity keeps them up to their lifetime",
          "[http][auth]") {
  HttpFixture h;
  const Timestamp start = h.f.clock.Now();

  SECTION("31 minutes idle is 401") {
    Login koord = h.LogIn("koord");
    h.f.clock.Set(start + std::chrono::minutes{29});
    CHECK(h.Get("/api/v1/me", koord).status == 200);
    h.f.clock.Set(start + std::chrono::minutes{29 + 31});
    CheckError(h.Get("/api/v1/me", koord), 401, "unauthenticated");
    CheckError(h.Send("GET", "/api/v1/me", "", "", koord.cookie), 401, "unauthenticated");
  }
  SECTION("31 minutes idle right after login is 401") {
    Login koord = h.LogIn("koord");
    h.f.clock.Set(start + std::chrono::minutes{31});
    CheckError(h.Get("/api/v1/me", koord), 401, "unauthenticated");
  }
  SECTION("a request every 20 minutes keeps the session, until 12 hours after login") {
    Login koord = h.LogIn("koord");
    auto t = start;
    for (int i = 0; i < 35; ++i) {  // 11 h 40 min
      t += std::chrono::minutes{20};
      h.f.clock.Set(t);
      INFO("after " << (i + 1) * 20 << " minutes");
      REQUIRE(h.Get("/api/v1/me", koord).status == 200);
    }
    h.f.clock.Set(start + std::chrono::hours{12});
    CheckError(h.Get("/api/v1/me", koord), 401, "unauthenticated");
  }
}

TEST_CASE(
    "login: a wrong username and a wrong password are indistinguishable, and both are "
    "audited",
    "[http][auth]") {
  HttpFixture h;
  auto wrong_user = h.Send("POST", "/api/v1/auth/login", LoginBody("findes_ikke", kPassword));
  auto wrong_password = h.Send("POST", "/api/v1/auth/login", LoginBody("koord", "forkert"));
  CheckError(wrong_user, 401, "unauthenticated");
  CheckError(wrong_password, 401, "unauthenticated");
  CHECK(wrong_user.body == wrong_password.body);
  CHECK(wrong_user.headers.get("Set-Cookie", "") == "");
  CHECK(wrong_password.headers.get("Set-Cookie", "") == "");

  auto entries = h.f.store->AuditEntries(0, 10000);
  REQUIRE(entries.ok());
  int failed = 0;
  bool koord_failed = false;
  for (const auto& e : *entries) {
    if (e.action != "auth.login_failed") continue;
    ++failed;
    CHECK(e.client_address == "127.0.0.1");
    koord_failed = koord_failed || e.actor_id == "usr_koord";
    // Never the password tried.
    CHECK_FALSE(Contains(e.detail, "forkert"));
    CHECK_FALSE(Contains(e.detail, kPassword));
  }
  CHECK(failed == 2);
  CHECK(koord_failed);
  CHECK(h.f.store->VerifyAuditChain().ok());
}

TEST_CASE(
    "login: after 5 failures of a username from one address the next attempts there wait 30, "
    "60 seconds, even with the right password",
    "[http][auth]") {
  HttpFixture h;
  const Timestamp start = h.f.clock.Now();
  for (int i = 0; i < 5; ++i) {
    INFO("attempt " << i + 1);
    CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("social", "forkert")), 401,
               "unauthenticated");
  }
  // One audit entry for the five: the rest are counted in a summary when its window closes.
  CHECK(CountAudit(h, "auth.login_failed") == 1);
  auto limited = h.Send("POST", "/api/v1/auth/login", LoginBody("social", kPassword));
  CheckError(limited, 429, "rate_limited");
  CHECK(limited.headers.get("Set-Cookie", "") == "");
  CHECK(limited.headers.get("Retry-After", "") == "30");

  // Per username: another user still logs in from the same address.
  h.LogIn("koord");

  // 30 s later one more attempt; wrong again, the next waits 60 s.
  h.f.clock.Set(start + std::chrono::seconds{29});
  CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("social", kPassword)), 429,
             "rate_limited");
  h.f.clock.Set(start + std::chrono::seconds{30});
  CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("social", "forkert")), 401,
             "unauthenticated");
  CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("social", kPassword)), 429,
             "rate_limited");
  h.f.clock.Set(start + std::chrono::seconds{89});
  CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("social", kPassword)), 429,
             "rate_limited");
  h.f.clock.Set(start + std::chrono::seconds{90});
  Login social = h.LogIn("social");
  CHECK(h.Get("/api/v1/me", social).status == 200);

  // The window closed: the next refused login writes the summary of the first one.
  h.f.clock.Set(start + std::chrono::minutes{2});
  CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("social", "forkert")), 401,
             "unauthenticated");
  auto entries = h.f.store->AuditEntries(0, 10000);
  REQUIRE(entries.ok());
  bool summarised = false;
  for (const auto& e : *entries) {
    if (e.action == "auth.login_failed" && e.actor_id == "usr_social" &&
        e.detail.rfind("count=6 ", 0) == 0) {
      summarised = true;
    }
  }
  CHECK(summarised);
}

TEST_CASE("login: 20 failures from one address limit every username from it", "[http][auth]") {
  HttpFixture h;
  for (int i = 0; i < 20; ++i) {
    // Four attempts each for five usernames: no username reaches its own limit.
    const std::string user = "ukendt" + std::to_string(i % 5);
    CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody(user, "forkert")), 401,
               "unauthenticated");
  }
  CheckError(h.Send("POST", "/api/v1/auth/login", LoginBody("koord", kPassword)), 429,
             "rate_limited");
}

}  // namespace
}  // namespace samspil::test
