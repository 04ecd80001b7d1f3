// GET /readyz (contract §4) and storage failures as 503 `unavailable`, never a user error.
#include <sys/resource.h>

#include <csignal>
#include <filesystem>

#include "http/http_helpers.hpp"
#include "support/http_fixture.hpp"

namespace samspil::test {
namespace {

std::string SqlitePath(const TestDatabase& db) {
  return db.url().substr(std::string("sqlite:").size());
}

TEST_CASE("readyz is 200 ready while the store can write", "[http][ready]") {
  HttpFixture h(EACH_BACKEND);
  auto r = h.Send("GET", "/readyz");
  CHECK(r.status == 200);
  CHECK(r.body == "{\"status\":\"ready\"}");
}

TEST_CASE("readyz is 503 unavailable once the SQLite file is deleted", "[http][ready]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  REQUIRE(h.Send("GET", "/readyz").status == 200);
  std::filesystem::remove(SqlitePath(h.f.db));
  auto r = h.Send("GET", "/readyz");
  CHECK(r.status == 503);
  CHECK(r.ErrorCode() == "unavailable");
  CHECK(h.Send("GET", "/healthz").status == 200);  // alive, but not ready
  // A new case would live only in the deleted file: refused, not acknowledged.
  auto opened = h.Post("/api/v1/cases", OpenBody("ssp-a", "Testbarn Fiktivsen", "2012-04-01"),
                       betjent);
  CHECK(opened.status == 503);
  CHECK(opened.ErrorCode() == "unavailable");
}

TEST_CASE("a write the disk cannot take is 503 unavailable, not 500", "[http][ready]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  HttpResult opened;
  {
    // No file of this process may grow past one byte, as on a full disk.
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit saved{};
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    rlimit tiny = saved;
    tiny.rlim_cur = 1;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &tiny) == 0);
    opened = h.Post("/api/v1/cases", OpenBody("ssp-a", "Testbarn Fiktivsen", "2012-04-01"),
                    betjent);
    setrlimit(RLIMIT_FSIZE, &saved);
  }
  CHECK(opened.status == 503);
  CHECK(opened.ErrorCode() == "unavailable");
  CHECK(h.f.db.Query("SELECT COUNT(*) FROM cases") == "0|\n");
}

TEST_CASE("a lost PostgreSQL connection is 503 unavailable, not 401 or 404", "[http][ready]") {
  if (!PostgresAvailable()) return;
  HttpFixture h("postgresql");
  Login betjent = h.LogIn("betjent");
  h.f.db.Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  auto listed = h.Get("/api/v1/cases", betjent);
  CHECK(listed.status == 503);
  CHECK(listed.ErrorCode() == "unavailable");
  auto ready = h.Send("GET", "/readyz");
  CHECK(ready.status == 503);
}

}  // namespace
}  // namespace samspil::test
