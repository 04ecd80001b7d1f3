// The database backends the store's contract suite runs on, and when PostgreSQL may be left
// out. Header-only and free of SOCI, so test_main.cpp can report a skip in every binary.
//
// SQLite always. PostgreSQL when SAMSPIL_TEST_POSTGRES_URL names a server where the user may
// create databases (scripts/test-postgres sets one up and prints the variable). Without it the
// PostgreSQL half is skipped and the binary says so once, at the end of its run. With
// SAMSPIL_REQUIRE_POSTGRES=1 (set by scripts/test, which CI runs) a missing server fails every
// test that would have used it: CI must not pass having tested SQLite alone.
#pragma once

#include <atomic>
#include <catch2/catch.hpp>
#include <cstdlib>
#include <string>
#include <vector>

namespace samspil::test {

// The URL of the test server's admin database, or nullptr; an empty value counts as unset.
inline const char* PostgresAdminUrl() {
  const char* url = std::getenv("SAMSPIL_TEST_POSTGRES_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

inline bool PostgresRequired() {
  const char* required = std::getenv("SAMSPIL_REQUIRE_POSTGRES");
  return required != nullptr && std::string(required) == "1";
}

inline constexpr const char* kPostgresRequiredButMissing =
    "SAMSPIL_REQUIRE_POSTGRES=1 but SAMSPIL_TEST_POSTGRES_URL is not set: the PostgreSQL half of "
    "this test cannot run. Run eval \"$(scripts/test-postgres)\" first.";

// How many test cases ran without their PostgreSQL half; test_main.cpp warns when any did.
inline std::atomic<int>& PostgresSkips() {
  static std::atomic<int> skips{0};
  return skips;
}

// The backends of a contract test. When PostgreSQL is required it is listed even without a
// URL, so that its half fails in TestDatabase instead of vanishing from the run.
inline std::vector<std::string> Backends() {
  if (PostgresAdminUrl() != nullptr || PostgresRequired()) return {"sqlite", "postgresql"};
  ++PostgresSkips();
  return {"sqlite"};
}

// For a test of PostgreSQL alone: whether it can run. Without a server it is skipped, or,
// when PostgreSQL is required, it fails.
inline bool PostgresAvailable() {
  if (PostgresAdminUrl() != nullptr) return true;
  if (PostgresRequired()) FAIL(kPostgresRequiredButMissing);
  ++PostgresSkips();
  return false;
}

}  // namespace samspil::test

// Runs the enclosing test case once per backend; each run gets its own fixture.
#define EACH_BACKEND GENERATE(from_range(::samspil::test::Backends()))
