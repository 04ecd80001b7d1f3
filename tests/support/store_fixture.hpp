// A fresh database (SQLite, or PostgreSQL: see test_database.hpp) with the shipped
// workflows, four fora and users of several roles, for the adapter tests.
#pragma once

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <string>

#include "samspil/adapters/case_service.hpp"
#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"
#include "support/builders.hpp"
#include "support/test_database.hpp"

namespace samspil::test {

inline LoadedWorkflows ShippedWorkflows() {
  LoadedWorkflows loaded = LoadWorkflowDir(SAMSPIL_WORKFLOWS_DIR);
  for (const auto& p : loaded.problems) FAIL(p.ToString());
  return loaded;
}

inline std::unique_ptr<Store> OpenStoreAt(const std::string& url, size_t pool_size = 2) {
  StoreOptions options;
  options.url = url;
  options.pool_size = pool_size;
  auto store = Store::Open(options);
  if (!store) FAIL(store.error().message);
  return std::move(*store);
}

// Agencies, fora "ssp-a" (ssp), "ssp-b" (ssp), "kr-a" (konfliktraad), "ukn-a" (ukn) and
// users: "betjent" (forebyggelsesbetjent in ssp-a, kr-a), "koord" (koordinator in ssp-a,
// kr-a), "social" (socialraadgiver in ssp-a), "other" (koordinator in ssp-b only),
// "maegler" (maegler in kr-a), "admin" (admin, no memberships).
struct StoreFixture {
  // `password_hash` is stored for every user: login is tested only over HTTP, with a
  // cheap hash (http_fixture.hpp); PBKDF2 at full cost is slow on purpose.
  explicit StoreFixture(const std::string& backend = "sqlite",
                        std::string password_hash = "not-a-hash")
      : db(backend), password_hash_(std::move(password_hash)) {
    Populate();
  }

  TestDatabase db;
  std::string url = db.url();
  std::unique_ptr<Store> store = OpenStoreAt(url, 4);
  LoadedWorkflows workflows = ShippedWorkflows();
  FixedClock clock{At("2026-11-23T10:00:00Z")};
  RandomIdSource ids;
  CaseService service{*store, workflows.by_id, clock, ids};
  AuditContext cli{"", "", "cli", "local"};

  void Populate() {
    for (const auto& [id, def] : workflows.by_id) {
      REQUIRE(store->RegisterWorkflow(def, workflows.source_by_id.at(id)));
    }
    REQUIRE(store->AddAgency({"politi", "Testpoliti", "politi"}, cli, clock.Now()));
    REQUIRE(store->AddAgency({"kommune", "Testkommune", "kommune"}, cli, clock.Now()));
    for (const auto& [forum, workflow] : std::vector<std::pair<std::string, std::string>>{
             {"ssp-a", "ssp"}, {"ssp-b", "ssp"}, {"kr-a", "konfliktraad"}, {"ukn-a", "ukn"}}) {
      REQUIRE(store->AddForum({forum, "Forum " + forum, workflow, "Testby"}, cli, clock.Now()));
    }
    AddUser("betjent", "politi",
            {{"ssp-a", "forebyggelsesbetjent"}, {"kr-a", "forebyggelsesbetjent"}});
    AddUser("koord", "kommune", {{"ssp-a", "koordinator"}, {"kr-a", "koordinator"}});
    AddUser("social", "kommune", {{"ssp-a", "socialraadgiver"}});
    AddUser("other", "kommune", {{"ssp-b", "koordinator"}});
    AddUser("maegler", "politi", {{"kr-a", "maegler"}});
    AddUser("admin", "politi", {}, true);
  }

  void AddUser(const std::string& username, const std::string& agency,
               std::vector<std::pair<std::string, std::string>> memberships, bool admin = false) {
    REQUIRE(store->AddUser({"usr_" + username, username, "Testperson " + username, agency, admin},
                           password_hash_, cli, clock.Now()));
    for (const auto& [forum, role] : memberships) {
      REQUIRE(store->AddMembership(forum, username, role, cli, clock.Now()));
    }
  }

  std::string password_hash_;

  Actor ActorOf(const std::string& username) {
    auto actor = store->LoadActor("usr_" + username);
    REQUIRE(actor.ok());
    return *actor;
  }

  AuditContext Who(const Actor& a) { return AuditContext{a.id, a.agency_id, "", "127.0.0.1"}; }

  // The store's audited reads, as `actor` at the fixture's time.
  Result<Case> Get(const Actor& actor, const std::string& case_id) {
    return store->GetCase(actor, case_id, Who(actor), clock.Now());
  }
  Result<std::vector<Case>> List(const Actor& actor, const CaseFilter& filter) {
    auto page = store->ListCases(actor, filter, Who(actor), clock.Now());
    if (!page) return page.error();
    return page->items;
  }
  Result<std::vector<HistoryEntry>> HistoryOf(const Actor& actor, const std::string& case_id) {
    return store->History(actor, case_id, Who(actor), clock.Now());
  }

  // An SSP case in ssp-a opened by the betjent for a 15-year-old.
  Case OpenSspCase(const std::string& forum = "ssp-a", const std::string& opener = "betjent") {
    OpenCommand command;
    command.subject = Subject{"Testbarn Fiktivsen", Day("2011-05-01")};
    command.summary = "Bekymring for skolefravær (fiktiv)";
    Actor actor = ActorOf(opener);
    auto c = service.OpenCase(actor, forum, command, Who(actor));
    if (!c) FAIL(c.error().message);
    return *c;
  }
};

}  // namespace samspil::test
