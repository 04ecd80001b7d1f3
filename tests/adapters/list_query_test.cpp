// The case list and the escalation list over several fora: one index range per forum,
// merged by id (or by deadline), with the same paging as a single forum.
#include <algorithm>

#include "support/store_fixture.hpp"

namespace samspil::test {
namespace {

std::vector<std::string> Ids(const std::vector<Case>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.id);
  return out;
}

// Every page of `filter` for `actor`, following the cursor; checks each page's size.
std::vector<std::string> AllPages(StoreFixture& f, const Actor& actor, CaseFilter filter) {
  std::vector<std::string> seen;
  for (int guard = 0; guard < 100; ++guard) {
    auto page = f.store->ListCases(actor, filter, f.Who(actor), f.clock.Now());
    REQUIRE(page.ok());
    CHECK(page->items.size() <= filter.limit);
    for (const auto& c : page->items) seen.push_back(c.id);
    if (!page->next_cursor) break;
    CHECK(page->items.size() == filter.limit);
    CHECK(*page->next_cursor == page->items.back().id);
    filter.after_id = *page->next_cursor;
  }
  return seen;
}

TEST_CASE("a list over several fora is merged in id order and pages across them",
          "[store][scope][list]") {
  StoreFixture f(EACH_BACKEND);
  f.AddUser("both", "politi", {{"ssp-a", "forebyggelsesbetjent"}, {"ssp-b", "koordinator"}});
  std::vector<std::string> a_ids, b_ids;
  for (int i = 0; i < 4; ++i) a_ids.push_back(f.OpenSspCase("ssp-a", "both").id);
  for (int i = 0; i < 3; ++i) b_ids.push_back(f.OpenSspCase("ssp-b", "both").id);
  f.OpenSspCase("ssp-b", "other");  // visible to "both" too: same forum
  Actor both = f.ActorOf("both");
  auto b_all = f.List(f.ActorOf("other"), CaseFilter{});
  REQUIRE(b_all->size() == 4);

  std::vector<std::string> expected = a_ids;
  for (const auto& c : *b_all) expected.push_back(c.id);
  std::sort(expected.begin(), expected.end());

  for (size_t limit : {1u, 2u, 3u, 8u, 50u}) {
    INFO("limit " << limit);
    CaseFilter filter;
    filter.limit = limit;
    CHECK(AllPages(f, both, filter) == expected);
  }

  // A forum filter keeps to that forum; one the user is not in gives nothing.
  CaseFilter only_b;
  only_b.forum_id = "ssp-b";
  only_b.limit = 2;
  CHECK(AllPages(f, both, only_b) == Ids(*b_all));
  CaseFilter not_mine;
  not_mine.forum_id = "kr-a";
  CHECK(f.List(both, not_mine)->empty());

  // A state filter across fora.
  Actor koord = f.ActorOf("koord");
  REQUIRE(f.service
              .Transition(koord, a_ids[2],
                          {"visiter", 1, "", {{"bekymringsniveau", std::string("1")}}},
                          f.Who(koord))
              .ok());
  REQUIRE(f.service
              .Transition(both, b_ids[1],
                          {"visiter", 1, "", {{"bekymringsniveau", std::string("1")}}},
                          f.Who(both))
              .ok());
  CaseFilter in_state;
  in_state.state = "droeftelse";
  in_state.limit = 1;
  std::vector<std::string> visited = {a_ids[2], b_ids[1]};
  std::sort(visited.begin(), visited.end());
  CHECK(AllPages(f, both, in_state) == visited);

  // A cursor that is no case id still pages from its place in the order.
  CaseFilter from_middle;
  from_middle.after_id = expected[3];
  from_middle.after_id += "~";  // sorts after expected[3], before expected[4]
  CHECK(Ids(*f.List(both, from_middle)) ==
        std::vector<std::string>(expected.begin() + 4, expected.end()));
}

TEST_CASE("the escalation list merges a koordinator's fora by deadline", "[store][escalation]") {
  StoreFixture f(EACH_BACKEND);
  f.AddUser("koord2", "kommune", {{"ssp-a", "koordinator"}, {"ssp-b", "koordinator"}});
  f.AddUser("skole2", "kommune", {{"ssp-a", "skole"}, {"ssp-b", "skole"}});
  const Timestamp t0 = f.clock.Now();
  // Opened a day apart, alternating fora: their deadlines are ordered like this.
  std::vector<Case> opened;
  for (int i = 0; i < 5; ++i) {
    f.clock.Set(t0 + std::chrono::days{i});
    opened.push_back(f.OpenSspCase(i % 2 == 0 ? "ssp-a" : "ssp-b", i % 2 == 0 ? "betjent" : "other"));
  }
  std::sort(opened.begin(), opened.end(), [](const Case& a, const Case& b) {
    return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
  });
  Actor koord2 = f.ActorOf("koord2");
  auto ids_at = [&](Timestamp now, size_t limit) {
    auto listed = f.store->ListEscalations(koord2, limit, f.Who(koord2), now);
    REQUIRE(listed.ok());
    return Ids(*listed);
  };
  CHECK(ids_at(*opened[0].due_at - std::chrono::seconds{1}, 100).empty());
  // At the third deadline, the first three are due, longest overdue first.
  const Timestamp third = *opened[2].due_at;
  std::vector<std::string> first_three = {opened[0].id, opened[1].id, opened[2].id};
  CHECK(ids_at(third, 100) == first_three);
  CHECK(ids_at(third, 2) == std::vector<std::string>(first_three.begin(), first_three.begin() + 2));
  // Escalated cases stay on it; the role matters: a skole member sees none of it.
  REQUIRE(*f.store->EscalateOverdue(third) == 3);
  CHECK(ids_at(third + std::chrono::hours{1}, 100) == first_three);
  Actor skole2 = f.ActorOf("skole2");
  CHECK(f.store->ListEscalations(skole2, 100, f.Who(skole2), third)->empty());
  // The koordinator of ssp-a alone sees only that forum's part.
  Actor koord = f.ActorOf("koord");
  for (const auto& c : *f.store->ListEscalations(koord, 100, f.Who(koord), third)) {
    CHECK(c.forum_id == "ssp-a");
  }
  // A scan run ahead of the reader's clock (`samspil escalate --at` a later time) flags
  // cases that are not overdue to the reader: "overdue or escalated" still lists them, in
  // deadline order with the rest, and the page limit still holds.
  const Timestamp last = *opened[4].due_at;
  REQUIRE(*f.store->EscalateOverdue(last) == 2);
  std::vector<std::string> all_five;
  for (const auto& c : opened) all_five.push_back(c.id);
  CHECK(ids_at(third, 100) == all_five);
  CHECK(ids_at(third, 4) == std::vector<std::string>(all_five.begin(), all_five.begin() + 4));
  CHECK(ids_at(t0, 100) == all_five);  // escalated, though none is overdue at t0
}

TEST_CASE("a user in more fora than one query takes still gets one ordered list",
          "[store][list]") {
  StoreFixture f(EACH_BACKEND);
  f.AddUser("many", "kommune", {});
  std::vector<std::string> ids;
  for (int i = 0; i < 103; ++i) {
    const std::string forum = "ssp-m" + std::to_string(100 + i);
    REQUIRE(f.store->AddForum({forum, "Forum " + forum, "ssp", "Testby"}, f.cli, f.clock.Now()));
    REQUIRE(f.store->AddMembership(forum, "many", "koordinator", f.cli, f.clock.Now()));
    if (i % 34 == 0) ids.push_back(f.OpenSspCase(forum, "many").id);  // fora 0, 34, 68, 102
  }
  std::sort(ids.begin(), ids.end());
  Actor many = f.ActorOf("many");
  CaseFilter filter;
  filter.limit = 3;
  CHECK(AllPages(f, many, filter) == ids);
  const Timestamp late = f.clock.Now() + std::chrono::days{365};
  auto escalations = f.store->ListEscalations(many, 3, f.Who(many), late);
  REQUIRE(escalations.ok());
  CHECK(escalations->size() == 3);
}

}  // namespace
}  // namespace samspil::test
