// The failed-login limiter on its own, with a controlled clock.
#include "samspil/web/api.hpp"
#include "support/builders.hpp"

namespace samspil::test {
namespace {

TEST_CASE("five failures for a username within the window limit it, not others", "[limiter]") {
  LoginRateLimiter limiter(AuthPolicy{});
  const Timestamp t0 = At("2026-11-23T10:00:00Z");
  for (int i = 0; i < 4; ++i) limiter.RecordFailure("anna", "10.0.0." + std::to_string(i), t0);
  CHECK_FALSE(limiter.Limited("anna", "10.0.0.9", t0));
  limiter.RecordFailure("anna", "10.0.0.5", t0);
  CHECK(limiter.Limited("anna", "10.0.0.9", t0));
  CHECK_FALSE(limiter.Limited("bent", "10.0.0.9", t0));
  // The window slides: 15 minutes later the failures no longer count.
  CHECK(limiter.Limited("anna", "10.0.0.9", t0 + std::chrono::minutes{14}));
  CHECK_FALSE(limiter.Limited("anna", "10.0.0.9", t0 + std::chrono::minutes{15}));
}

TEST_CASE("twenty failures from one address limit every username from it", "[limiter]") {
  LoginRateLimiter limiter(AuthPolicy{});
  const Timestamp t0 = At("2026-11-23T10:00:00Z");
  for (int i = 0; i < 20; ++i) limiter.RecordFailure("user" + std::to_string(i), "10.1.1.1", t0);
  CHECK(limiter.Limited("helt-ny", "10.1.1.1", t0));
  CHECK_FALSE(limiter.Limited("helt-ny", "10.1.1.2", t0));
}

TEST_CASE("a successful login clears its username's failures", "[limiter]") {
  LoginRateLimiter limiter(AuthPolicy{});
  const Timestamp t0 = At("2026-11-23T10:00:00Z");
  for (int i = 0; i < 4; ++i) limiter.RecordFailure("anna", "10.0.0.1", t0);
  limiter.RecordSuccess("anna");
  limiter.RecordFailure("anna", "10.0.0.1", t0);
  CHECK_FALSE(limiter.Limited("anna", "10.0.0.2", t0));
}

TEST_CASE("guessed usernames do not pile up in memory", "[limiter]") {
  LoginRateLimiter limiter(AuthPolicy{});
  Timestamp t = At("2026-11-23T10:00:00Z");
  // Three rounds of distinct guesses, each round after the previous one's window.
  for (int round = 0; round < 3; ++round) {
    for (size_t i = 0; i < LoginRateLimiter::kSweepAbove; ++i) {
      limiter.RecordFailure("gæt-" + std::to_string(round) + "-" + std::to_string(i),
                            "10.9.9." + std::to_string(round), t);
    }
    t += std::chrono::minutes{16};
  }
  // Without the sweep: 3 × 10,000 usernames + 3 addresses.
  CHECK(limiter.TrackedKeys() <= LoginRateLimiter::kSweepAbove + 2);
}

}  // namespace
}  // namespace samspil::test
