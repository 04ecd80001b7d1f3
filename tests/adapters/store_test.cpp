// The SQLite store: migrations, scoping, optimistic locking, escalation and the audit chain.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "support/store_fixture.hpp"

namespace samspil::test {
namespace {

// Everything a command could change, as text: to show that a refusal changed nothing.
std::string Snapshot(TestDatabase& db) {
  return db.Query("SELECT * FROM cases ORDER BY id") +
         db.Query("SELECT * FROM case_history ORDER BY case_id, seq") +
         db.Query("SELECT * FROM case_links ORDER BY from_case_id") +
         db.Query("SELECT seq, hash FROM audit_log ORDER BY seq");
}

TEST_CASE("migrations are recorded once and re-running them applies nothing", "[store]") {
  TestDatabase db(EACH_BACKEND);
  const std::string url = db.url();
  auto first = OpenStoreAt(url);
  auto applied = first->AppliedMigrations();
  REQUIRE(applied.ok());
  CHECK(*applied == std::vector<std::string>{"1 initial schema", "2 sessions and escalation index",
                                             "3 deadline of each history step",
                                             "4 forum statistics indexes",
                                             "5 escalated cases index",
                                             "6 readiness probe"});
  auto again = first->Migrate();
  REQUIRE(again.ok());
  CHECK(*again == 0);
  auto second = OpenStoreAt(url);  // a second process opening the same file
  CHECK(second->AppliedMigrations()->size() == 6);
}

TEST_CASE("the SQLite database runs in WAL mode", "[store]") {
  StoreFixture f("sqlite");
  CHECK(f.db.Query("PRAGMA journal_mode") == "wal|\n");
}

TEST_CASE("SQLite's WAL stays bounded: checkpoints keep up with a burst of writes", "[store]") {
  TestDatabase db("sqlite");
  StoreOptions options;
  options.url = db.url();
  options.sqlite_synchronous = "NORMAL";  // the same checkpoints, without an fsync per commit
  options.sqlite_wal_limit_bytes = 16 * 1024 * 1024;
  auto opened = Store::Open(options);
  REQUIRE(opened.ok());
  Store& store = **opened;
  const AuditContext who{"", "", "", "cli"};
  const std::string detail(8192, 'x');
  const int entries = 5000;  // about 40 MB of WAL, well over the limit
  for (int i = 0; i < entries; ++i) {
    REQUIRE(store.RecordAudit(who, *ParseTimestamp("2026-11-23T10:00:00Z"), "", "", "test.burst", detail).ok());
  }
  const std::filesystem::path wal = db.url().substr(std::string("sqlite:").size()) + "-wal";
  std::uintmax_t size = 0;
  for (int attempt = 0; attempt < 150; ++attempt) {  // up to 15 s
    REQUIRE(store.RecordAudit(who, *ParseTimestamp("2026-11-23T10:00:01Z"), "", "", "test.after", "").ok());
    size = std::filesystem::file_size(wal);
    if (size <= static_cast<std::uintmax_t>(options.sqlite_wal_limit_bytes)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  INFO("WAL " << size << " bytes");
  CHECK(size <= static_cast<std::uintmax_t>(options.sqlite_wal_limit_bytes));
  auto verified = store.VerifyAuditChain();
  REQUIRE(verified.ok());
  CHECK(*verified > entries);
}

TEST_CASE("the schema refuses a membership of a user that does not exist", "[store]") {
  StoreFixture f(EACH_BACKEND);
  CHECK_THROWS(f.db.Exec("INSERT INTO memberships VALUES ('ssp-a', 'usr_nobody', 'skole', 'x')"));
  CHECK_NOTHROW(f.db.Exec("INSERT INTO memberships VALUES ('ssp-a', 'usr_other', 'skole', 'x')"));
}

TEST_CASE("a database URL is sqlite:PATH or a PostgreSQL URL", "[store]") {
  auto sqlite = ParseDatabaseUrl("sqlite:/tmp/x.db");
  REQUIRE(sqlite.ok());
  CHECK(sqlite->kind == DatabaseUrl::Kind::kSqlite);
  CHECK(sqlite->target == "/tmp/x.db");
  auto pg = ParseDatabaseUrl("postgresql://u:p@127.0.0.1:5432/samspil");
  REQUIRE(pg.ok());
  CHECK(pg->kind == DatabaseUrl::Kind::kPostgresql);
  CHECK(ParseDatabaseUrl("dbname=samspil host=127.0.0.1")->kind == DatabaseUrl::Kind::kPostgresql);
  CHECK(ParseDatabaseUrl("mysql://x").error().code == ErrorCode::kInvalidRequest);
  CHECK(ParseDatabaseUrl("sqlite:").error().code == ErrorCode::kInvalidRequest);
}

TEST_CASE("administration refuses unknown references and duplicates", "[store]") {
  StoreFixture f(EACH_BACKEND);
  const Timestamp now = f.clock.Now();
  CHECK(f.store->AddAgency({"x", "X", "skole"}, f.cli, now).error().code ==
        ErrorCode::kInvalidRequest);
  CHECK(f.store->AddAgency({"politi", "Igen", "politi"}, f.cli, now).error().code ==
        ErrorCode::kAlreadyExists);
  CHECK(f.store->AddForum({"ssp-a", "Igen", "ssp", ""}, f.cli, now).error().code ==
        ErrorCode::kAlreadyExists);
  CHECK(f.store->AddForum({"ny", "Ny", "ingen-workflow", ""}, f.cli, now).error().code ==
        ErrorCode::kInvalidRequest);
  CHECK(
      f.store->AddUser({"u1", "betjent", "Igen", "politi", false}, "h", f.cli, now).error().code ==
      ErrorCode::kAlreadyExists);
  CHECK(f.store->AddUser({"u2", "ny", "Ny", "ukendt-myndighed", false}, "h", f.cli, now)
            .error()
            .message.find("unknown agency") != std::string::npos);
  CHECK(f.store->AddMembership("ssp-a", "nobody", "skole", f.cli, now).error().message ==
        "unknown user \"nobody\"");
  CHECK(f.store->AddMembership("ukendt", "betjent", "skole", f.cli, now).error().message ==
        "unknown forum \"ukendt\"");
  CHECK(f.store->AddMembership("ssp-a", "betjent", "chef", f.cli, now)
            .error()
            .message.find("unknown role \"chef\"") == 0);
  CHECK(
      f.store->AddMembership("ssp-a", "betjent", "forebyggelsesbetjent", f.cli, now).error().code ==
      ErrorCode::kAlreadyExists);
  CHECK(f.store->AddMembership("ssp-a", "betjent", "skole", f.cli, now).ok());
}

TEST_CASE("a workflow version cannot change content once registered", "[store]") {
  StoreFixture f(EACH_BACKEND);
  const auto& ssp = f.workflows.by_id.at("ssp");
  CHECK(f.store->RegisterWorkflow(ssp, f.workflows.source_by_id.at("ssp")).ok());
  auto changed = f.store->RegisterWorkflow(ssp, f.workflows.source_by_id.at("ssp") + " ");
  REQUIRE_FALSE(changed.ok());
  CHECK(changed.error().message.find("raise its \"version\"") != std::string::npos);
  auto pinned = f.store->PinnedWorkflow("ssp", ssp.version);
  REQUIRE(pinned.ok());
  CHECK((*pinned)->states.size() == ssp.states.size());
  CHECK(f.store->PinnedWorkflow("ssp", 99).error().code == ErrorCode::kInternal);
}

TEST_CASE("a case is visible only to members of its forum", "[store][scope]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  CHECK(f.Get(f.ActorOf("koord"), c.id).ok());
  CHECK(f.Get(f.ActorOf("social"), c.id).ok());
  for (const char* outsider : {"other", "maegler", "admin"}) {
    INFO(outsider);
    CHECK(f.Get(f.ActorOf(outsider), c.id).error().code == ErrorCode::kNotFound);
    CHECK(f.HistoryOf(f.ActorOf(outsider), c.id).error().code == ErrorCode::kNotFound);
    CHECK(f.store->Links(f.ActorOf(outsider), c.id).error().code == ErrorCode::kNotFound);
    CaseFilter all;
    CHECK(f.List(f.ActorOf(outsider), all)->empty());
  }
  // Unknown and invisible cases are indistinguishable.
  CHECK(f.Get(f.ActorOf("other"), "case_nope").error().message ==
        f.Get(f.ActorOf("other"), c.id).error().message);
}

TEST_CASE("listing filters by forum and state within the actor's fora and pages by id",
          "[store][scope]") {
  StoreFixture f(EACH_BACKEND);
  std::vector<std::string> mine;
  for (int i = 0; i < 5; ++i) mine.push_back(f.OpenSspCase().id);
  Case theirs = f.OpenSspCase("ssp-b", "other");
  Actor koord = f.ActorOf("koord");
  auto visited = f.service.Transition(
      koord, mine[0], {"visiter", 1, "", {{"bekymringsniveau", std::string("2")}}}, f.Who(koord));
  REQUIRE(visited.ok());

  CaseFilter filter;
  auto all = f.List(koord, filter);
  REQUIRE(all->size() == 5);
  CHECK(std::none_of(all->begin(), all->end(), [&](const Case& c) { return c.id == theirs.id; }));
  CHECK(std::is_sorted(all->begin(), all->end(),
                       [](const Case& a, const Case& b) { return a.id < b.id; }));

  filter.state = "droeftelse";
  auto in_state = f.List(koord, filter);
  REQUIRE(in_state->size() == 1);
  CHECK(in_state->front().id == mine[0]);

  CaseFilter other_forum;
  other_forum.forum_id = "ssp-b";
  CHECK(f.List(koord, other_forum)->empty());

  CaseFilter page;
  page.limit = 2;
  std::vector<std::string> seen;
  int pages = 0;
  for (;;) {
    auto items = f.store->ListCases(koord, page, f.Who(koord), f.clock.Now());
    REQUIRE(items.ok());
    ++pages;
    CHECK(items->items.size() <= 2);
    for (const auto& c : items->items) seen.push_back(c.id);
    if (!items->next_cursor) break;
    CHECK(*items->next_cursor == items->items.back().id);
    page.after_id = *items->next_cursor;
  }
  std::sort(mine.begin(), mine.end());
  CHECK(seen == mine);
  CHECK(pages == 3);  // 2 + 2 + 1: the last page says there is no next one
}

TEST_CASE("every pooled session reads what was committed last", "[store]") {
  // Statements are kept prepared per session; none may pin an old snapshot of the data.
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  Actor koord = f.ActorOf("koord");
  const std::vector<std::pair<std::string, Data>> steps = {
      {"visiter", {{"bekymringsniveau", std::string("1")}}},
      {"planlaeg_moede", {{"moededato", std::string("2026-12-01")}}},
      {"planlaeg_moede", {{"moededato", std::string("2026-12-02")}}},
      {"planlaeg_moede", {{"moededato", std::string("2026-12-03")}}},
      {"planlaeg_moede", {{"moededato", std::string("2026-12-04")}}}};
  std::int64_t version = 1;
  for (const auto& [action, data] : steps) {
    INFO(action << " from version " << version);
    auto moved = f.service.Transition(koord, c.id, {action, version, "", data}, f.Who(koord));
    REQUIRE(moved.ok());
    ++version;
    for (int i = 0; i < 8; ++i) {  // more reads than the pool has sessions
      CHECK(f.Get(koord, c.id)->version == version);
      CHECK(f.store->LoadForDecision(koord, c.id)->version == version);
      CHECK(f.HistoryOf(koord, c.id)->size() == static_cast<size_t>(version));
    }
  }
}

TEST_CASE("a write job that fails after appending to the audit chain leaves it intact",
          "[store][audit]") {
  // The writer keeps the chain head between jobs; a rolled-back job must not move it, and a
  // prepared statement that failed must work again.
  StoreFixture f(EACH_BACKEND);
  Case first = f.OpenSspCase();
  Case second = f.OpenSspCase();
  const std::string refuse_second =
      "NEW.action = 'case.export' AND NEW.case_id = '" + second.id + "'";
  if (f.db.sqlite()) {
    f.db.Exec("CREATE TRIGGER refuse_export BEFORE INSERT ON audit_log WHEN " + refuse_second +
              " BEGIN SELECT RAISE(ABORT, 'refused'); END");
  } else {
    f.db.Exec(
        "CREATE FUNCTION refuse_export() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF " +
        refuse_second + " THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$");
    f.db.Exec(
        "CREATE TRIGGER refuse_export BEFORE INSERT ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION refuse_export()");
  }
  const std::string before = f.db.Query("SELECT seq, hash FROM audit_log ORDER BY seq");
  // The export appends an entry for the first case, then fails on the second's.
  auto refused = f.store->AccessLogFor(first.subject, f.cli, f.clock.Now());
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kInternal);
  CHECK(f.db.Query("SELECT seq, hash FROM audit_log ORDER BY seq") == before);

  f.db.Exec("DROP TRIGGER refuse_export" + std::string(f.db.sqlite() ? "" : " ON audit_log"));
  REQUIRE(f.store->RecordAudit(f.cli, f.clock.Now(), "", "", "test.after", "").ok());
  REQUIRE(f.store->AccessLogFor(first.subject, f.cli, f.clock.Now()).ok());
  CHECK(f.store->VerifyAuditChain().ok());
}

TEST_CASE("a stale version is a conflict and changes nothing", "[store]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  Actor koord = f.ActorOf("koord");
  REQUIRE(f.service
              .Transition(koord, c.id, {"visiter", 1, "", {{"bekymringsniveau", std::string("1")}}},
                          f.Who(koord))
              .ok());
  const std::string before = Snapshot(f.db);
  auto stale = f.service.Transition(
      koord, c.id, {"afslut", 1, "", {{"afslutningsgrund", std::string("indsats_gennemfoert")}}},
      f.Who(koord));
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == ErrorCode::kVersionConflict);
  CHECK(Snapshot(f.db) == before);
}

TEST_CASE("a stale decision loses at the store even if the engine saw the old version", "[store]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  Actor koord = f.ActorOf("koord");
  const auto& ssp = f.workflows.by_id.at("ssp");
  // Two decisions made from the same version 1; only the first may be stored.
  auto first = Decide(ssp, c, koord, {"visiter", 1, "", {{"bekymringsniveau", std::string("1")}}},
                      f.clock.Now());
  auto second = Decide(ssp, c, koord, {"afvis", 1, "", {{"afvisningsgrund", std::string("x")}}},
                       f.clock.Now());
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  REQUIRE(f.store->ApplyDecision(koord, *first, 1, std::nullopt, f.Who(koord)).ok());
  auto lost = f.store->ApplyDecision(koord, *second, 1, std::nullopt, f.Who(koord));
  REQUIRE_FALSE(lost.ok());
  CHECK(lost.error().code == ErrorCode::kVersionConflict);
  CHECK(f.Get(koord, c.id)->state == "droeftelse");
  CHECK(f.HistoryOf(koord, c.id)->size() == 2);
}

TEST_CASE("of many concurrent transitions from one version exactly one wins", "[store]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  Actor koord = f.ActorOf("koord");
  std::atomic<int> wins{0}, conflicts{0}, other{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto r = f.service.Transition(
          koord, c.id, {"visiter", 1, "", {{"bekymringsniveau", std::string("3")}}}, f.Who(koord));
      if (r.ok()) {
        ++wins;
      } else if (r.error().code == ErrorCode::kVersionConflict) {
        ++conflicts;
      } else {
        ++other;
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(wins == 1);
  CHECK(conflicts == 7);
  CHECK(other == 0);
  CHECK(f.HistoryOf(koord, c.id)->size() == 2);
  CHECK(f.store->VerifyAuditChain().ok());
}

TEST_CASE("the deadline scan escalates an overdue case once", "[store][escalation]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  Case fresh = f.OpenSspCase();
  Actor koord = f.ActorOf("koord");
  REQUIRE(c.due_at.has_value());
  // Nothing is due yet.
  CHECK(*f.store->EscalateOverdue(f.clock.Now()) == 0);
  // Move `fresh` on, so its new deadline lies later than `c`'s.
  f.clock.Set(*c.due_at - std::chrono::hours{1});
  REQUIRE(f.service
              .Transition(koord, fresh.id,
                          {"visiter", 1, "", {{"bekymringsniveau", std::string("1")}}},
                          f.Who(koord))
              .ok());
  const Timestamp after_due = *c.due_at + std::chrono::minutes{1};
  CHECK(*f.store->EscalateOverdue(after_due) == 1);
  CHECK(*f.store->EscalateOverdue(after_due) == 0);
  auto escalated = f.Get(koord, c.id);
  CHECK(escalated->escalated);
  CHECK(escalated->version == 1);  // escalation flags the case; it is not a workflow step
  auto history = f.HistoryOf(koord, c.id);
  REQUIRE(history->size() == 2);
  CHECK(history->back().action == "escalate");
  CHECK(history->back().actor_id.empty());
  CHECK_FALSE(f.Get(koord, fresh.id)->escalated);

  CaseFilter only_escalated;
  only_escalated.only_escalated = true;
  REQUIRE(f.List(koord, only_escalated)->size() == 1);
  CaseFilter overdue;
  overdue.only_overdue = true;
  overdue.now = after_due;
  CHECK(f.List(koord, overdue)->size() == 1);

  // A step into a new state clears the flag.
  f.clock.Set(after_due);
  auto moved = f.service.Transition(
      koord, c.id, {"visiter", 1, "", {{"bekymringsniveau", std::string("2")}}}, f.Who(koord));
  REQUIRE(moved.ok());
  CHECK_FALSE(moved->escalated);
}

TEST_CASE("two scanners on one database never escalate a case twice", "[store][escalation]") {
  StoreFixture f(EACH_BACKEND);
  for (int i = 0; i < 40; ++i) f.OpenSspCase();
  auto second = OpenStoreAt(f.url, 1);  // as a second process would
  const Timestamp later = f.clock.Now() + std::chrono::days{365};
  std::atomic<int> total{0};
  std::thread a([&] { total += *f.store->EscalateOverdue(later); });
  std::thread b([&] { total += *second->EscalateOverdue(later); });
  a.join();
  b.join();
  CHECK(total == 40);
  CHECK(f.db.Query("SELECT COUNT(*) FROM case_history WHERE action = 'escalate'") == "40|\n");
}

TEST_CASE("the audit chain verifies and breaks when a row is altered, deleted or inserted",
          "[store][audit]") {
  StoreFixture f(EACH_BACKEND);
  f.OpenSspCase();
  auto count = f.store->VerifyAuditChain();
  REQUIRE(count.ok());
  const auto entries = *count;
  CHECK(entries > 10);

  SECTION("the database refuses to edit it") {
    CHECK_THROWS(f.db.Exec("UPDATE audit_log SET detail = 'x' WHERE seq = 3"));
    CHECK_THROWS(f.db.Exec("DELETE FROM audit_log WHERE seq = 3"));
    CHECK_THROWS(f.db.Exec("DELETE FROM case_history"));
    CHECK(f.store->VerifyAuditChain().ok());
  }
  SECTION("an altered entry is named") {
    f.db.AllowEditing("audit_log");
    f.db.Exec("UPDATE audit_log SET actor_id = 'someone' WHERE seq = 3");
    auto broken = f.store->VerifyAuditChain();
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().message ==
          "audit chain broken at entry 3: its content does not match "
          "its hash");
  }
  SECTION("a deleted entry is named") {
    f.db.AllowEditing("audit_log");
    f.db.Exec("DELETE FROM audit_log WHERE seq = 4");
    auto broken = f.store->VerifyAuditChain();
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().message == "audit chain broken at entry 4: entry is missing");
  }
  SECTION("a re-hashed entry no longer links to its successor") {
    f.db.AllowEditing("audit_log");
    f.db.Exec(
        "UPDATE audit_log SET hash = "
        "'00000000000000000000000000000000000000000000000000000000000000ff' WHERE seq = 5");
    auto broken = f.store->VerifyAuditChain();
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().message.find("entry 5") != std::string::npos);
  }
  SECTION("an appended forged entry is named") {
    f.db.Exec(
        "INSERT INTO audit_log SELECT seq + 1, at, actor_id, agency_id, role, forum_id, "
        "case_id, action, client_address, detail, prev_hash, hash FROM audit_log "
        "WHERE seq = " +
        std::to_string(entries));
    auto broken = f.store->VerifyAuditChain();
    REQUIRE_FALSE(broken.ok());
    CHECK(broken.error().message.find("entry " + std::to_string(entries + 1)) != std::string::npos);
  }
}

TEST_CASE("the audit log records who changed what without personal data", "[store][audit]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  auto entries = f.store->AuditEntries(0, 1000);
  REQUIRE(entries.ok());
  const AuditEntry& open = entries->back();
  CHECK(open.action == "case.open");
  CHECK(open.case_id == c.id);
  CHECK(open.forum_id == "ssp-a");
  CHECK(open.actor_id == "usr_betjent");
  CHECK(open.agency_id == "politi");
  CHECK(open.client_address == "127.0.0.1");
  for (const auto& e : *entries) {
    CHECK(e.detail.find("Fiktivsen") == std::string::npos);
  }
}

TEST_CASE("a referral opens a linked case that each forum sees only from its side",
          "[store][referral]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  Actor koord = f.ActorOf("koord");
  const std::string before = Snapshot(f.db);
  // A target forum of the wrong workflow is refused, and nothing changes.
  auto wrong = f.service.Transition(koord, c.id,
                                    {"henvis_konfliktraad",
                                     1,
                                     "",
                                     {{"konfliktraad_forum", std::string("ssp-b")},
                                      {"konfliktraad_resume", std::string("Resumé")}}},
                                    f.Who(koord));
  REQUIRE_FALSE(wrong.ok());
  CHECK(wrong.error().code == ErrorCode::kInvalidRequest);
  CHECK(Snapshot(f.db) == before);

  auto referred = f.service.Transition(koord, c.id,
                                       {"henvis_konfliktraad",
                                        1,
                                        "henvist",
                                        {{"konfliktraad_forum", std::string("kr-a")},
                                         {"konfliktraad_resume", std::string("Kun dette resumé")}}},
                                       f.Who(koord));
  REQUIRE(referred.ok());
  CHECK(referred->state == c.state);  // a side action
  auto links = f.store->Links(koord, c.id);
  REQUIRE(links->size() == 1);
  const CaseLink& link = links->front();
  CHECK(link.relation == "referred_to");
  CHECK(link.forum_id == "kr-a");
  CHECK(link.legal_basis == "konfliktraad");
  CHECK_THROWS(f.db.Exec("UPDATE case_links SET legal_basis = 'samtykke'"));  // append-only

  Actor maegler = f.ActorOf("maegler");  // member of kr-a only
  auto target = f.Get(maegler, link.case_id);
  REQUIRE(target.ok());
  CHECK(target->summary == "Kun dette resumé");
  CHECK(target->subject.name == c.subject.name);
  CHECK(target->data.empty());
  CHECK(target->workflow_id == "konfliktraad");
  CHECK(f.Get(maegler, c.id).error().code == ErrorCode::kNotFound);
  auto back = f.store->Links(maegler, link.case_id);
  REQUIRE(back->size() == 1);
  CHECK(back->front().case_id == c.id);
  CHECK(back->front().relation == "referred_from");
  CHECK(f.store->VerifyAuditChain().ok());
}

TEST_CASE("a refused opening writes nothing", "[store]") {
  StoreFixture f(EACH_BACKEND);
  const std::string before = Snapshot(f.db);
  Actor betjent = f.ActorOf("betjent");
  OpenCommand adult{{"Voksen Fiktivsen", Day("1990-01-01")}, "Resumé", {}};
  auto refused = f.service.OpenCase(betjent, "ssp-a", adult, f.Who(betjent));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kGuardFailed);
  auto not_member = f.service.OpenCase(betjent, "ssp-b", adult, f.Who(betjent));
  CHECK(not_member.error().code == ErrorCode::kNotFound);
  CHECK(Snapshot(f.db) == before);
}

}  // namespace
}  // namespace samspil::test

namespace samspil::test {
namespace {

TEST_CASE("a storage failure is an internal error whose log carries no personal data",
          "[store][logging]") {
  StoreFixture f(EACH_BACKEND);
  // Make the database refuse every new case, as a full disk or a broken schema would.
  if (f.db.sqlite()) {
    f.db.Exec(
        "CREATE TRIGGER refuse_cases BEFORE INSERT ON cases "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END");
  } else {
    f.db.Exec(
        "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'refused'; END $$");
    f.db.Exec(
        "CREATE TRIGGER refuse_cases BEFORE INSERT ON cases "
        "FOR EACH ROW EXECUTE FUNCTION refuse()");
  }
  std::ostringstream log;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(log);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  const std::string audit_before = f.db.Query("SELECT COUNT(*) FROM audit_log");

  Actor betjent = f.ActorOf("betjent");
  OpenCommand command{{"Hemmelig Navnesen", Day("2012-02-03")}, "Fortrolig fritekst", {}};
  auto refused = f.service.OpenCase(betjent, "ssp-a", command, f.Who(betjent));
  spdlog::set_default_logger(previous);

  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == ErrorCode::kInternal);
  CHECK(refused.error().message == "storage error (create case)");
  INFO(log.str());
  CHECK(log.str().find("storage error in create case") != std::string::npos);
  for (const char* personal : {"Hemmelig", "Navnesen", "2012-02-03", "Fortrolig"}) {
    CHECK(log.str().find(personal) == std::string::npos);
  }
  CHECK(f.db.Query("SELECT COUNT(*) FROM audit_log") == audit_before);
}


// ---- issue 7: honest readiness, a bounded WAL, storage failures that are never user errors

// The log lines of the store while it lives, at debug level.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string Text() {
    spdlog::default_logger()->flush();
    return out_.str();
  }
  size_t Count(const std::string& needle) {
    const std::string text = Text();
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
      ++n;
    }
    return n;
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::string SqlitePath(const TestDatabase& db) {
  return db.url().substr(std::string("sqlite:").size());
}

// While it lives, no file of this process may grow past one byte: every write SQLite makes
// fails (EFBIG), as on a full disk. SIGXFSZ is ignored so that the write just fails.
class NoRoomToWrite {
 public:
  NoRoomToWrite() {
    std::signal(SIGXFSZ, SIG_IGN);
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved_) == 0);
    rlimit tiny = saved_;
    tiny.rlim_cur = 1;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &tiny) == 0);
  }
  ~NoRoomToWrite() { setrlimit(RLIMIT_FSIZE, &saved_); }

 private:
  rlimit saved_{};
};

TEST_CASE("a store on a healthy database is ready and proves it with a committed write",
          "[store][ready]") {
  StoreFixture f(EACH_BACKEND);
  REQUIRE(f.store->Ready().ok());
  REQUIRE(f.store->Ready().ok());
  CHECK(f.db.Query("SELECT probes FROM readiness_probe") == "2|\n");
}

TEST_CASE("a store whose SQLite file was deleted is not ready and acknowledges no write",
          "[store][ready]") {
  StoreFixture f("sqlite");
  Case before = f.OpenSspCase();
  Actor betjent = f.ActorOf("betjent");
  const Session session{"hash-of-a-token", betjent.id, "csrf", f.clock.Now(), f.clock.Now(),
                        f.clock.Now() + std::chrono::hours{8}, false};
  REQUIRE(f.store->CreateSession(session, f.Who(betjent)).ok());
  LogCapture log;
  std::filesystem::remove(SqlitePath(f.db));

  auto ready = f.store->Ready();
  REQUIRE_FALSE(ready.ok());
  CHECK(ready.error().code == ErrorCode::kUnavailable);
  OpenCommand command;
  command.subject = Subject{"Testbarn Fiktivsen", Day("2011-05-01")};
  command.summary = "Bekymring for skolefravær (fiktiv)";
  auto opened = f.service.OpenCase(betjent, "ssp-a", command, f.Who(betjent));
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::kUnavailable);
  auto touched = f.store->TouchSession(session.token_hash, f.clock.Now() + std::chrono::hours{1});
  REQUIRE_FALSE(touched.ok());
  CHECK(touched.error().code == ErrorCode::kUnavailable);
  CHECK_FALSE(f.store->Ready().ok());
  CHECK(log.Count("deleted or replaced") == 1);
  CHECK(log.Text().find("Testbarn") == std::string::npos);
}

TEST_CASE("a store whose SQLite file was replaced by another file is not ready", "[store][ready]") {
  StoreFixture f("sqlite");
  REQUIRE(f.store->Ready().ok());
  const std::string path = SqlitePath(f.db);
  std::filesystem::copy_file(path, path + ".copy");
  std::filesystem::rename(path + ".copy", path);
  auto ready = f.store->Ready();
  REQUIRE_FALSE(ready.ok());
  CHECK(ready.error().code == ErrorCode::kUnavailable);
  CHECK(f.store->RecordAudit(f.cli, f.clock.Now(), "", "", "test.after", "").error().code ==
        ErrorCode::kUnavailable);
}

TEST_CASE("a store that cannot write refuses writes, logs it once and recovers when it can again",
          "[store][ready]") {
  StoreFixture f("sqlite");
  Actor betjent = f.ActorOf("betjent");
  const std::string audit_before = f.db.Query("SELECT COUNT(*) FROM audit_log");
  LogCapture log;
  {
    NoRoomToWrite full;
    for (int i = 0; i < 3; ++i) {
      auto st = f.store->RecordAudit(f.cli, f.clock.Now(), "", "", "test.full", "");
      REQUIRE_FALSE(st.ok());
      CHECK(st.error().code == ErrorCode::kUnavailable);
    }
    auto ready = f.store->Ready();
    REQUIRE_FALSE(ready.ok());
    CHECK(ready.error().code == ErrorCode::kUnavailable);
  }
  CHECK(log.Count("database unavailable: writes fail") == 1);
  CHECK(f.db.Query("SELECT COUNT(*) FROM audit_log") == audit_before);

  // Room again: the next write commits, and readiness follows once checkpoints succeed too.
  REQUIRE(f.store->RecordAudit(f.cli, f.clock.Now(), "", "", "test.room", "").ok());
  CHECK(log.Count("database: writes work again") == 1);
  Status ready = f.store->Ready();
  for (int attempt = 0; attempt < 50 && !ready.ok(); ++attempt) {  // up to 10 checkpoints
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    ready = f.store->Ready();
  }
  CHECK(ready.ok());
}

TEST_CASE("a store that finds damaged pages answers unavailable and stays not ready",
          "[store][ready]") {
  // /healthz said ok on a file with corrupt pages; a probe write need not touch them, but the
  // first read that does marks the store not ready for good.
  StoreFixture f("sqlite");
  for (int i = 0; i < 60; ++i) f.OpenSspCase();
  const std::string pages = f.db.Query(
      "SELECT pageno FROM dbstat WHERE pagetype = 'leaf' AND name IN "
      "(SELECT name FROM sqlite_master WHERE tbl_name = 'cases') ORDER BY pageno");
  REQUIRE(std::count(pages.begin(), pages.end(), '\n') >= 2);
  const std::string path = SqlitePath(f.db);
  f.store.reset();  // closed: the WAL is checkpointed into the file
  {
    std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
    std::istringstream rows(pages);
    std::string row;
    const std::string garbage(4096, '\xA5');
    while (std::getline(rows, row)) {
      const long page = std::stol(row.substr(0, row.find('|')));
      file.seekp((page - 1) * 4096 + 8);  // past the page header's first bytes
      file.write(garbage.data(), 2048);
    }
  }
  auto reopened = OpenStoreAt(f.url, 2);
  REQUIRE(reopened);
  LogCapture log;
  auto counted = reopened->CountOpenCases();
  REQUIRE_FALSE(counted.ok());
  CHECK(counted.error().code == ErrorCode::kUnavailable);
  auto ready = reopened->Ready();
  REQUIRE_FALSE(ready.ok());
  CHECK(ready.error().code == ErrorCode::kUnavailable);
  CHECK(log.Count("damaged pages") == 1);
}

TEST_CASE("stored case data that does not parse is an internal error, not an empty object",
          "[store]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  f.db.Exec("UPDATE cases SET data = '{\"bekymringsniveau\": ' WHERE id = '" + c.id + "'");
  Actor koord = f.ActorOf("koord");
  auto read = f.Get(koord, c.id);
  REQUIRE_FALSE(read.ok());
  CHECK(read.error().code == ErrorCode::kInternal);
  auto listed = f.List(koord, CaseFilter{});
  REQUIRE_FALSE(listed.ok());
  CHECK(listed.error().code == ErrorCode::kInternal);
  // The guards would have run on {} : the transition must not happen at all.
  auto moved = f.service.Transition(koord, c.id, {"visiter", 1, "", {}}, f.Who(koord));
  REQUIRE_FALSE(moved.ok());
  CHECK(moved.error().code == ErrorCode::kInternal);
  CHECK(f.db.Query("SELECT version FROM cases WHERE id = '" + c.id + "'") == "1|\n");
}

TEST_CASE("a history entry whose stored data does not parse is an internal error", "[store]") {
  StoreFixture f(EACH_BACKEND);
  Case c = f.OpenSspCase();
  f.db.AllowEditing("case_history");
  f.db.Exec("UPDATE case_history SET data = 'not json' WHERE case_id = '" + c.id + "'");
  auto history = f.HistoryOf(f.ActorOf("koord"), c.id);
  REQUIRE_FALSE(history.ok());
  CHECK(history.error().code == ErrorCode::kInternal);
}

TEST_CASE("a lost PostgreSQL connection is unavailable, not a missing forum", "[store][ready]") {
  if (!PostgresAvailable()) return;
  StoreFixture f("postgresql");
  Actor betjent = f.ActorOf("betjent");
  f.db.Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE datname = current_database() AND pid <> pg_backend_pid()");
  OpenCommand command;
  command.subject = Subject{"Testbarn Fiktivsen", Day("2011-05-01")};
  command.summary = "Bekymring for skolefravær (fiktiv)";
  auto opened = f.service.OpenCase(betjent, "ssp-a", command, f.Who(betjent));
  REQUIRE_FALSE(opened.ok());
  CHECK(opened.error().code == ErrorCode::kUnavailable);
  auto forum = f.store->GetForum("ssp-a");
  REQUIRE_FALSE(forum.ok());
  CHECK(forum.error().code == ErrorCode::kUnavailable);
  auto ready = f.store->Ready();
  REQUIRE_FALSE(ready.ok());
  CHECK(ready.error().code == ErrorCode::kUnavailable);
}

// Issue 7: under sustained reads and writes the WAL grew to 9.7 GB, because PASSIVE
// checkpoints never let it restart while some reader is always active.
TEST_CASE("the WAL stays under its limit under sustained writes and overlapping readers",
          "[store][wal]") {
  constexpr std::int64_t kLimit = 4 * 1024 * 1024;
  // The writer wakes the checkpointer as soon as the WAL passes the limit, and past twice
  // the limit starts no batch until it has restarted the log: one batch of the eight
  // writers below (~100 KiB) may follow, however late the checkpointer's thread runs.
  constexpr std::int64_t kBound = 2 * kLimit + 1024 * 1024;
  TestDatabase db("sqlite");
  StoreOptions options;
  options.url = db.url();
  options.pool_size = 2;
  options.sqlite_wal_limit_bytes = kLimit;
  options.sqlite_checkpoint_max_pause_ms = 100;
  LogCapture log;
  auto opened = Store::Open(options);
  REQUIRE(opened.ok());
  Store& store = **opened;
  const std::string path = SqlitePath(db);
  const AuditContext who{"", "", "", "cli"};
  const Timestamp at = *ParseTimestamp("2026-11-23T10:00:00Z");

  std::atomic<bool> stop{false};
  std::atomic<std::int64_t> largest_wal{0};
  // Readers as list pages keep them: a read transaction open while a page is rendered,
  // started one after the other so that one is always under way.
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&, r] {
      soci::session sql(*soci::factory_sqlite3(), "db=\"" + path + "\"");
      std::this_thread::sleep_for(std::chrono::milliseconds(7 * r));
      long long rows = 0;
      while (!stop) {
        sql << "BEGIN";
        sql << "SELECT COUNT(*) FROM audit_log", soci::into(rows);
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        sql << "COMMIT";
      }
    });
  }
  std::thread sampler([&] {
    while (!stop) {
      std::error_code ec;
      const auto size = static_cast<std::int64_t>(std::filesystem::file_size(path + "-wal", ec));
      if (!ec && size > largest_wal) largest_wal = size;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  });
  // About 100 MB of WAL frames in all: 25 times the limit.
  const std::string detail(4096, 'x');
  std::atomic<long long> slowest_write_us{0};
  std::vector<std::thread> writers;
  for (int w = 0; w < 8; ++w) {  // several, so that their writes share commits
    writers.emplace_back([&] {
      for (int i = 0; i < 2500; ++i) {
        const auto started = std::chrono::steady_clock::now();
        if (!store.RecordAudit(who, at, "", "", "test.load", detail).ok()) return;
        const long long us = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::steady_clock::now() - started)
                                 .count();
        if (us > slowest_write_us) slowest_write_us = us;
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : readers) t.join();
  sampler.join();

  // The pauses the restarts caused, from the checkpointer's own log lines.
  long long worst_pause_us = 0;
  int restarts = 0;
  std::istringstream lines(log.Text());
  for (std::string line; std::getline(lines, line);) {
    const auto held = line.find("writes held ");
    if (held == std::string::npos) continue;
    ++restarts;
    worst_pause_us = std::max(worst_pause_us, std::stoll(line.substr(held + 12)));
  }
  WARN("largest WAL " << largest_wal / 1024 << " KiB (limit " << kLimit / 1024 << " KiB); "
                      << restarts << " restarts, the longest held writes " << worst_pause_us
                      << " us; slowest write " << slowest_write_us << " us");
  INFO(log.Text());
  CHECK(largest_wal <= kBound);
  auto verified = store.VerifyAuditChain();
  REQUIRE(verified.ok());
  CHECK(*verified >= 20000);
}

}  // namespace
}  // namespace samspil::test
