#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
#include <iostream>

#include "support/backends.hpp"

namespace {

// One warning per test binary when tests ran on SQLite alone (backends.hpp), at the end of the
// run where it cannot scroll away between the tests' own output.
struct PostgresSkipWarning : Catch::TestEventListenerBase {
  using TestEventListenerBase::TestEventListenerBase;
  void testRunEnded(const Catch::TestRunStats& stats) override {
    const int skips = samspil::test::PostgresSkips();
    if (skips == 0) return;
    std::cerr << "\nWARNING: PostgreSQL was NOT tested: SAMSPIL_TEST_POSTGRES_URL is not set, so "
              << skips << " test case(s) ran on SQLite only. Run eval \"$(scripts/test-postgres)\" "
              << "first; with SAMSPIL_REQUIRE_POSTGRES=1 (scripts/test, CI) this is a failure.\n";
    TestEventListenerBase::testRunEnded(stats);
  }
};

}  // namespace

CATCH_REGISTER_LISTENER(PostgresSkipWarning)
