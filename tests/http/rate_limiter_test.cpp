// The failed-login limiter and the folding of refused logins into few audit entries, on
// their own, with explicit timestamps (no sleeps).
#include "samspil/web/api.hpp"
#include "support/builders.hpp"

namespace samspil::test {
namespace {

using std::chrono::seconds;

// A function, not a constant: At() checks with REQUIRE, which needs a running test.
Timestamp T0() { return At("2026-11-23T10:00:00Z"); }

// One attempt that turns out wrong; whether it was allowed.
bool FailOnce(LoginRateLimiter& limiter, const std::string& user, const std::string& address,
              Timestamp now) {
  if (!limiter.Reserve(user, address, now).allowed) return false;
  limiter.Failed(user, address, now);
  return true;
}

TEST_CASE("five failures of a username from one address are free, then 30 s, each wait twice the last",
          "[limiter]") {
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  for (int i = 0; i < 5; ++i) CHECK(FailOnce(limiter, "anna", "10.0.0.1", t0));
  auto refused = limiter.Reserve("anna", "10.0.0.1", t0);
  CHECK_FALSE(refused.allowed);
  CHECK_FALSE(refused.by_address);
  CHECK(refused.retry_after == seconds{30});
  // 30 s after the 5th failure one more attempt; then 60 s, then 120 s.
  Timestamp t = t0 + seconds{29};
  CHECK_FALSE(limiter.Reserve("anna", "10.0.0.1", t).allowed);
  t = t0 + seconds{30};
  CHECK(FailOnce(limiter, "anna", "10.0.0.1", t));
  CHECK_FALSE(limiter.Reserve("anna", "10.0.0.1", t + seconds{59}).allowed);
  t += seconds{60};
  CHECK(FailOnce(limiter, "anna", "10.0.0.1", t));
  CHECK_FALSE(limiter.Reserve("anna", "10.0.0.1", t + seconds{119}).allowed);
  CHECK(limiter.Reserve("anna", "10.0.0.1", t + seconds{120}).allowed);
}

TEST_CASE("the wait is capped at the policy's backoff cap", "[limiter]") {
  const Timestamp t0 = T0();
  AuthPolicy policy;
  policy.backoff_cap = seconds{60};
  LoginRateLimiter limiter(policy);
  Timestamp t = t0;
  for (int i = 0; i < 40; ++i) {
    auto verdict = limiter.Reserve("anna", "10.0.0.1", t);
    REQUIRE(verdict.allowed);
    limiter.Failed("anna", "10.0.0.1", t);
    auto next = limiter.Reserve("anna", "10.0.0.1", t);
    if (next.allowed) {
      limiter.Released("anna", "10.0.0.1");
    } else {
      CHECK(next.retry_after <= seconds{60});
      t += next.retry_after;
    }
  }
  // Well past the free attempts: one more failure makes the next one wait the cap, no more.
  if (auto verdict = limiter.Reserve("anna", "10.0.0.1", t); verdict.allowed) {
    limiter.Released("anna", "10.0.0.1");
  } else {
    t += verdict.retry_after;
  }
  REQUIRE(FailOnce(limiter, "anna", "10.0.0.1", t));
  auto capped = limiter.Reserve("anna", "10.0.0.1", t);
  CHECK_FALSE(capped.allowed);
  CHECK(capped.retry_after == seconds{60});
  CHECK(limiter.Reserve("anna", "10.0.0.1", t + seconds{60}).allowed);
}

TEST_CASE("a stranger's failures for a username do not slow the user from another address",
          "[limiter]") {
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  // Guesses spread so that the stranger's own address never reaches its limit.
  Timestamp t = t0;
  for (int i = 0; i < 12; ++i) {
    FailOnce(limiter, "anna", "203.0.113.9", t);
    t += seconds{120};
  }
  CHECK_FALSE(limiter.Reserve("anna", "203.0.113.9", t).allowed);
  auto real = limiter.Reserve("anna", "10.0.0.1", t);
  CHECK(real.allowed);
  limiter.Succeeded("anna", "10.0.0.1");
}

TEST_CASE("an attempt counts as a failure from its reservation, so parallel guesses stop at the limit",
          "[limiter]") {
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  int allowed = 0;
  // 19 reservations at once, none decided yet: as 19 requests whose passwords are being hashed.
  for (int i = 0; i < 19; ++i) allowed += limiter.Reserve("anna", "10.0.0.1", t0).allowed;
  CHECK(allowed == 5);
}

TEST_CASE("many people logging in at once from one address are not refused", "[limiter]") {
  // An office behind one NAT address at nine o'clock: attempts in flight are no failures of
  // the address (found by the benchmark: 64 parallel logins got 44 refusals).
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  for (int i = 0; i < 64; ++i) {
    INFO(i);
    CHECK(limiter.Reserve("user" + std::to_string(i), "10.0.0.1", t0).allowed);
  }
  for (int i = 0; i < 64; ++i) limiter.Succeeded("user" + std::to_string(i), "10.0.0.1");
  // Twenty decided failures still slow the address, whoever is asked for.
  for (int i = 0; i < 20; ++i) CHECK(FailOnce(limiter, "guess" + std::to_string(i), "10.0.0.1", t0));
  CHECK_FALSE(limiter.Reserve("user1", "10.0.0.1", t0).allowed);
}

TEST_CASE("a success starts the pair over but leaves the address's failures", "[limiter]") {
  const Timestamp t0 = T0();
  AuthPolicy policy;
  policy.free_failures_per_address = 6;
  LoginRateLimiter limiter(policy);
  for (int i = 0; i < 4; ++i) FailOnce(limiter, "anna", "10.0.0.1", t0);
  REQUIRE(limiter.Reserve("anna", "10.0.0.1", t0).allowed);
  limiter.Succeeded("anna", "10.0.0.1");
  // The pair starts over: four more failures of anna's are free again ...
  CHECK(FailOnce(limiter, "anna", "10.0.0.1", t0));
  CHECK(FailOnce(limiter, "anna", "10.0.0.1", t0));
  // ... but the address has now failed six times, whatever the username.
  auto verdict = limiter.Reserve("bent", "10.0.0.1", t0);
  CHECK_FALSE(verdict.allowed);
  CHECK(verdict.by_address);
}

TEST_CASE("an attempt released undecided does not count", "[limiter]") {
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  for (int i = 0; i < 20; ++i) {
    REQUIRE(limiter.Reserve("anna", "10.0.0.1", t0).allowed);
    limiter.Released("anna", "10.0.0.1");
  }
  CHECK(limiter.Reserve("anna", "10.0.0.1", t0).allowed);
}

TEST_CASE("twenty failures from one address slow every username from it, not other addresses",
          "[limiter]") {
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  for (int i = 0; i < 20; ++i) {
    CHECK(FailOnce(limiter, "user" + std::to_string(i), "10.1.1.1", t0));
  }
  auto verdict = limiter.Reserve("helt-ny", "10.1.1.1", t0);
  CHECK_FALSE(verdict.allowed);
  CHECK(verdict.by_address);
  CHECK(limiter.Reserve("helt-ny", "10.1.1.2", t0).allowed);
}

TEST_CASE("failures are forgotten a quiet window later, but not while refused attempts go on",
          "[limiter]") {
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  for (int i = 0; i < 5; ++i) FailOnce(limiter, "anna", "10.0.0.1", t0);
  // Knocking every minute keeps the count; five failures later each attempt waits longer.
  Timestamp t = t0;
  for (int i = 0; i < 30; ++i) {
    t += seconds{60};
    auto verdict = limiter.Reserve("anna", "10.0.0.1", t);
    if (verdict.allowed) limiter.Failed("anna", "10.0.0.1", t);
  }
  CHECK_FALSE(limiter.Reserve("anna", "10.0.0.1", t + seconds{1}).allowed);
  // Quiet for the window: a fresh start.
  CHECK(limiter.Reserve("anna", "10.0.0.1", t + seconds{1} + AuthPolicy{}.failure_window).allowed);
}

TEST_CASE("a flood of made-up usernames from many addresses keeps the limiter bounded",
          "[limiter]") {
  const Timestamp t0 = T0();
  LoginRateLimiter limiter(AuthPolicy{});
  Timestamp t = t0;
  // All within one window, so nothing has expired: the bound must hold by itself.
  for (int i = 0; i < 3 * static_cast<int>(LoginRateLimiter::kMaxTracked); ++i) {
    const std::string address = "10.2." + std::to_string(i / 250) + "." + std::to_string(i % 250);
    FailOnce(limiter, "gæt-" + std::to_string(i), address, t);
    if (i % 1000 == 0) t += seconds{1};
  }
  CHECK(limiter.TrackedKeys() <= 2 * (LoginRateLimiter::kMaxTracked + 1));
}

// ---- RefusedLoginAudit -----------------------------------------------------------------------

TEST_CASE("refused logins of one username and address are one entry and one summary per window",
          "[limiter][audit]") {
  const Timestamp t0 = T0();
  RefusedLoginAudit audit(seconds{60});
  const AuditContext who{"usr_anna", "kommune", "", "10.0.0.1"};
  auto first = audit.Refused("auth.login_failed", "anna", who, t0);
  REQUIRE(first.size() == 1);
  CHECK(first[0].detail.empty());
  CHECK(first[0].who.actor_id == "usr_anna");
  CHECK(first[0].who.client_address == "10.0.0.1");
  for (int i = 1; i < 100; ++i) {
    CHECK(audit.Refused("auth.login_failed", "anna", who, t0 + seconds{i * 59 / 99}).empty());
  }
  // The next refusal after the window: the summary of the old window and the new first entry.
  auto next = audit.Refused("auth.login_failed", "anna", who, t0 + seconds{61});
  REQUIRE(next.size() == 2);
  CHECK(next[0].detail == "count=100 first=2026-11-23T10:00:00Z last=2026-11-23T10:00:59Z");
  CHECK(next[0].who.actor_id == "usr_anna");
  CHECK(next[0].action == "auth.login_failed");
  CHECK(next[1].detail.empty());
}

TEST_CASE("a window with a single refusal closes without a summary", "[limiter][audit]") {
  const Timestamp t0 = T0();
  RefusedLoginAudit audit(seconds{60});
  const AuditContext who{"", "", "", "10.0.0.1"};
  CHECK(audit.Refused("auth.login_failed", "anna", who, t0).size() == 1);
  auto later = audit.Refused("auth.login_failed", "bent", who, t0 + seconds{120});
  REQUIRE(later.size() == 1);
  CHECK(later[0].detail.empty());
  CHECK(audit.Tracked() == 1);
  CHECK(audit.TakeAll(t0 + seconds{120}).empty());
}

TEST_CASE("windows closed long ago are summarised by a later refusal of another key",
          "[limiter][audit]") {
  const Timestamp t0 = T0();
  RefusedLoginAudit audit(seconds{60});
  const AuditContext who{"", "", "", "10.0.0.1"};
  for (int i = 0; i < 3; ++i) audit.Refused("auth.rate_limited", "", who, t0);
  auto later =
      audit.Refused("auth.login_failed", "bent", AuditContext{"", "", "", "10.0.0.2"}, t0 + seconds{300});
  REQUIRE(later.size() == 2);
  CHECK(later[0].action == "auth.rate_limited");
  CHECK(later[0].who.client_address == "10.0.0.1");
  CHECK(later[0].detail.rfind("count=3 ", 0) == 0);
}

TEST_CASE("at shutdown every window still holding refusals is summarised", "[limiter][audit]") {
  const Timestamp t0 = T0();
  RefusedLoginAudit audit(seconds{60});
  const AuditContext who{"", "", "", "10.0.0.1"};
  audit.Refused("auth.login_failed", "anna", who, t0);
  audit.Refused("auth.login_failed", "anna", who, t0);
  audit.Refused("auth.login_failed", "bent", who, t0);
  auto rest = audit.TakeAll(t0 + seconds{5});
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].detail.rfind("count=2 ", 0) == 0);
  CHECK(audit.Tracked() == 0);
}

TEST_CASE("refusals from more keys than it tracks share one window and stay bounded",
          "[limiter][audit]") {
  const Timestamp t0 = T0();
  RefusedLoginAudit audit(seconds{60});
  size_t written = 0;
  for (size_t i = 0; i < RefusedLoginAudit::kMaxTracked + 5000; ++i) {
    const AuditContext who{"", "", "", "10.3." + std::to_string(i / 250) + "." +
                                           std::to_string(i % 250)};
    written += audit.Refused("auth.login_failed", "gæt", who, t0).size();
  }
  CHECK(audit.Tracked() <= RefusedLoginAudit::kMaxTracked + 1);
  CHECK(written == RefusedLoginAudit::kMaxTracked + 1);
  auto rest = audit.TakeAll(t0);
  REQUIRE(rest.size() == 1);
  CHECK(rest[0].who.client_address.empty());
  CHECK(rest[0].detail.rfind("count=5000 ", 0) == 0);
}

}  // namespace
}  // namespace samspil::test
