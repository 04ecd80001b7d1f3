// Store::ForumStats on both backends: per-state counts and durations at a controlled clock,
// deadlines met and missed from real transitions, scoping and the audit entry.
#include "support/store_fixture.hpp"

namespace samspil::test {
namespace {

double Days(std::chrono::seconds d) { return static_cast<double>(d.count()) / 86400.0; }

TEST_CASE("forum statistics count cases per state, deadlines met and missed, escalations",
          "[store][stats]") {
  StoreFixture f(EACH_BACKEND);
  Actor koord = f.ActorOf("koord");
  const Timestamp t0 = f.clock.Now();
  Case a = f.OpenSspCase(), b = f.OpenSspCase(), c = f.OpenSspCase(), d = f.OpenSspCase(),
       e = f.OpenSspCase();
  f.OpenSspCase("ssp-b", "other");  // another forum's case counts nowhere here
  REQUIRE(a.due_at.has_value());
  const Timestamp due = *a.due_at;  // every case above entered "modtaget" at t0
  auto visit = [&](const Case& which, Timestamp at) {
    f.clock.Set(at);
    auto r = f.service.Transition(koord, which.id,
                                  {"visiter", 1, "", {{"bekymringsniveau", std::string("1")}}},
                                  f.Who(koord));
    REQUIRE(r.ok());
  };
  visit(c, t0 + std::chrono::days{1});        // well before its deadline: met
  visit(d, due);                              // exactly at it: met
  visit(e, due + std::chrono::hours{1});      // after it: missed
  const Timestamp scan = due + std::chrono::hours{2};
  CHECK(*f.store->EscalateOverdue(scan) == 3);  // a and b, and the ssp-b case

  // The transition rows keep the deadline of the state they left; the opening has none.
  CHECK(f.db.Query("SELECT seq, due_at FROM case_history WHERE case_id = '" + e.id +
                   "' ORDER BY seq") == "1|NULL|\n2|" + FormatTimestamp(due) + "|\n");

  const Timestamp now = scan + std::chrono::hours{12};
  auto stats = f.store->ForumStats(f.Who(koord), koord, "ssp-a", now);
  REQUIRE(stats.ok());
  CHECK(stats->forum_id == "ssp-a");
  CHECK(stats->total_cases == 5);
  REQUIRE(stats->states.size() == 2);

  const StateStatistics& droeftelse = stats->states[0];
  CHECK(droeftelse.state == "droeftelse");
  CHECK(droeftelse.cases == 3);
  CHECK(droeftelse.overdue == 0);
  CHECK(droeftelse.escalated == 0);
  using std::chrono::duration_cast;
  using std::chrono::seconds;
  const seconds since_c = duration_cast<seconds>(now - (t0 + std::chrono::days{1}));
  const seconds since_d = duration_cast<seconds>(now - due);
  const seconds since_e = duration_cast<seconds>(now - (due + std::chrono::hours{1}));
  CHECK(droeftelse.mean_days_in_state == Approx((Days(since_c) + Days(since_d) + Days(since_e)) / 3));
  CHECK(droeftelse.max_days_in_state == Approx(Days(since_c)));

  const StateStatistics& modtaget = stats->states[1];
  CHECK(modtaget.state == "modtaget");
  CHECK(modtaget.cases == 2);
  CHECK(modtaget.overdue == 2);
  CHECK(modtaget.escalated == 2);
  CHECK(modtaget.mean_days_in_state == Approx(Days(duration_cast<seconds>(now - t0))));
  CHECK(modtaget.max_days_in_state == Approx(Days(duration_cast<seconds>(now - t0))));

  // Escalation rows stay in their state (and were written after the deadline): they count as
  // escalations only. Openings have no deadline.
  CHECK(stats->deadlines_met == 2);
  CHECK(stats->deadlines_missed == 1);
  CHECK(stats->escalations == 2);

  // Before anything was due, nothing is overdue.
  auto early = f.store->ForumStats(f.Who(koord), koord, "ssp-a", t0 + std::chrono::hours{1});
  REQUIRE(early.ok());
  CHECK(early->states[1].overdue == 0);
  CHECK(early->states[1].escalated == 2);  // the flag is what the scan left
}

TEST_CASE("forum statistics of a forum without cases are zero", "[store][stats]") {
  StoreFixture f(EACH_BACKEND);
  Actor koord = f.ActorOf("koord");
  auto stats = f.store->ForumStats(f.Who(koord), koord, "kr-a", f.clock.Now());
  REQUIRE(stats.ok());
  CHECK(stats->forum_id == "kr-a");
  CHECK(stats->total_cases == 0);
  CHECK(stats->states.empty());
  CHECK(stats->deadlines_met == 0);
  CHECK(stats->deadlines_missed == 0);
  CHECK(stats->escalations == 0);
}

TEST_CASE("forum statistics are only for members and each read is audited", "[store][stats]") {
  StoreFixture f(EACH_BACKEND);
  f.OpenSspCase();
  const std::string audit_before = f.db.Query("SELECT COUNT(*) FROM audit_log");
  for (const char* outsider : {"other", "maegler", "admin"}) {
    INFO(outsider);
    Actor a = f.ActorOf(outsider);
    auto refused = f.store->ForumStats(f.Who(a), a, "ssp-a", f.clock.Now());
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().code == ErrorCode::kNotFound);
    // An unknown forum answers the same.
    CHECK(f.store->ForumStats(f.Who(a), a, "no-such-forum", f.clock.Now()).error().message ==
          refused.error().message);
  }
  CHECK(f.db.Query("SELECT COUNT(*) FROM audit_log") == audit_before);

  Actor social = f.ActorOf("social");
  REQUIRE(f.store->ForumStats(f.Who(social), social, "ssp-a", f.clock.Now()).ok());
  auto entries = f.store->AuditEntries(0, 1000);
  REQUIRE(entries.ok());
  const AuditEntry& read = entries->back();
  CHECK(read.action == "forum.stats");
  CHECK(read.forum_id == "ssp-a");
  CHECK(read.case_id.empty());
  CHECK(read.actor_id == "usr_social");
  CHECK(read.agency_id == "kommune");
  CHECK(read.role == "socialraadgiver");
  CHECK(read.client_address == "127.0.0.1");
  CHECK(read.at == f.clock.Now());
  CHECK(f.store->VerifyAuditChain().ok());
}

TEST_CASE("migration 4 gives the history rows written before it their forum", "[store][stats]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  Actor koord = f.ActorOf("koord");
  REQUIRE(f.service
              .Transition(koord, c.id, {"visiter", 1, "", {{"bekymringsniveau", std::string("1")}}},
                          f.Who(koord))
              .ok());
  CHECK(f.db.Query("SELECT COUNT(*) FROM case_history WHERE forum_id = 'ssp-a'") == "2|\n");
  // Back to schema 3, as a database written before migration 4 is.
  f.store.reset();
  f.db.Exec("DROP TABLE readiness_probe");
  f.db.Exec("DELETE FROM schema_migrations WHERE version = 6");
  f.db.Exec("DROP INDEX cases_forum_escalated");
  f.db.Exec("DELETE FROM schema_migrations WHERE version = 5");
  f.db.Exec("DROP INDEX case_history_forum");
  f.db.Exec("DROP INDEX cases_forum_state");
  f.db.Exec("CREATE INDEX cases_forum_state_id ON cases (forum_id, state, id)");
  f.db.Exec("ALTER TABLE case_history DROP COLUMN forum_id");
  f.db.Exec("DELETE FROM schema_migrations WHERE version = 4");

  f.store = OpenStoreAt(f.url);
  CHECK(f.db.Query("SELECT COUNT(*) FROM case_history WHERE forum_id = 'ssp-a'") == "2|\n");
  CHECK(f.db.Query("SELECT COUNT(*) FROM case_history WHERE forum_id IS NULL") == "0|\n");
  CHECK_THROWS(f.db.Exec("UPDATE case_history SET comment = 'x'"));  // append-only again
  auto stats = f.store->ForumStats(f.Who(koord), koord, "ssp-a", f.clock.Now());
  REQUIRE(stats.ok());
  CHECK(stats->deadlines_met == 1);
}

}  // namespace
}  // namespace samspil::test
