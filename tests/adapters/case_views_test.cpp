// CaseStore::ListCaseViews on both backends: the page ListCases gives, each case with its
// links and its opener's name exactly as the per-case reads (Links, DisplayNames) give them,
// and never a case the actor may not see.
#include <algorithm>
#include <tuple>

#include "samspil/adapters/json_data.hpp"
#include "support/store_fixture.hpp"

namespace samspil::test {
namespace {

std::vector<std::string> Ids(const std::vector<Case>& cases) {
  std::vector<std::string> out;
  for (const auto& c : cases) out.push_back(c.id);
  return out;
}

// Links as comparable rows in a fixed order: neither read promises one within a case.
std::vector<std::tuple<std::string, std::string, std::string, std::string>> Rows(
    const std::vector<CaseLink>& links) {
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> out;
  for (const auto& l : links) out.emplace_back(l.case_id, l.forum_id, l.relation, l.legal_basis);
  std::sort(out.begin(), out.end());
  return out;
}

std::string CaseListEntries(StoreFixture& f) {
  return f.db.Query("SELECT COUNT(*) FROM audit_log WHERE action = 'case.list'");
}

TEST_CASE("a page of case views holds the cases, links and openers' names of the per-case reads",
          "[store][scope]") {
  StoreFixture f(EACH_BACKEND);
  // Four cases in ssp-a (one opened by the koordinator), one of them referred to kr-a, so
  // that a link shows from each side; one case in ssp-b.
  std::vector<Case> in_ssp_a;
  for (int i = 0; i < 3; ++i) in_ssp_a.push_back(f.OpenSspCase());
  in_ssp_a.push_back(f.OpenSspCase("ssp-a", "koord"));
  const Case theirs = f.OpenSspCase("ssp-b", "other");
  Actor koord = f.ActorOf("koord");
  auto referred = f.service.Transition(koord, in_ssp_a[1].id,
                                       {"henvis_konfliktraad",
                                        1,
                                        "henvist",
                                        {{"konfliktraad_forum", std::string("kr-a")},
                                         {"konfliktraad_resume", std::string("Resumé")}}},
                                       f.Who(koord));
  REQUIRE(referred.ok());
  auto sent = f.store->Links(koord, in_ssp_a[1].id);
  REQUIRE(sent->size() == 1);
  const std::string kr_case = sent->front().case_id;

  for (const auto& [username, expected_count] : std::vector<std::pair<std::string, size_t>>{
           {"koord", 5}, {"betjent", 5}, {"social", 4}, {"maegler", 1}, {"other", 1},
           {"admin", 0}}) {
    INFO(username);
    Actor actor = f.ActorOf(username);
    CaseFilter filter;
    filter.limit = 2;  // several pages, the cursor as ListCases gives it
    std::vector<std::string> seen;
    for (;;) {
      const std::string listed_before = CaseListEntries(f);
      auto views = f.store->ListCaseViews(actor, filter, f.Who(actor), f.clock.Now());
      REQUIRE(views.ok());
      const std::string listed_after = CaseListEntries(f);
      auto page = f.store->ListCases(actor, filter, f.Who(actor), f.clock.Now());
      REQUIRE(page.ok());
      CHECK(Ids(views->items) == Ids(page->items));
      CHECK(views->next_cursor == page->next_cursor);
      // Audited like ListCases: one entry per case returned.
      CHECK(std::stoul(listed_after) - std::stoul(listed_before) == views->items.size());
      CHECK(views->links.size() == views->items.size());
      std::vector<std::string> openers;
      for (size_t i = 0; i < views->items.size(); ++i) {
        const Case& c = views->items[i];
        seen.push_back(c.id);
        CHECK(DataToJsonText(c.data) == DataToJsonText(page->items[i].data));
        auto links = f.store->Links(actor, c.id);
        REQUIRE(links.ok());
        REQUIRE(views->links.count(c.id) == 1);
        CHECK(Rows(views->links.at(c.id)) == Rows(*links));
        openers.push_back(c.opened_by);
      }
      auto names = f.store->DisplayNames(openers);
      REQUIRE(names.ok());
      CHECK(views->display_names == *names);
      if (!views->next_cursor) break;
      filter.after_id = *views->next_cursor;
    }
    CHECK(seen.size() == expected_count);
    for (const auto& id : seen) CHECK(f.Get(actor, id).ok());  // each one visible to them
    if (username != "other") {
      CHECK(std::find(seen.begin(), seen.end(), theirs.id) == seen.end());
    }
  }

  // What a view shows beside a case, spelled out once.
  CaseFilter in_kr;
  in_kr.forum_id = "kr-a";
  Actor maegler = f.ActorOf("maegler");
  auto kr_view = f.store->ListCaseViews(maegler, in_kr, f.Who(maegler), f.clock.Now());
  REQUIRE(kr_view.ok());
  REQUIRE(kr_view->items.size() == 1);
  CHECK(kr_view->items.front().id == kr_case);
  const auto& back = kr_view->links.at(kr_case);
  REQUIRE(back.size() == 1);
  CHECK(back.front().case_id == in_ssp_a[1].id);
  CHECK(back.front().relation == "referred_from");
  CaseFilter in_ssp;
  in_ssp.forum_id = "ssp-a";
  auto ssp_view = f.store->ListCaseViews(koord, in_ssp, f.Who(koord), f.clock.Now());
  REQUIRE(ssp_view.ok());
  CHECK(ssp_view->items.size() == 4);
  CHECK(ssp_view->links.at(in_ssp_a[1].id).front().relation == "referred_to");
  CHECK(ssp_view->links.at(in_ssp_a[0].id).empty());
  CHECK(ssp_view->display_names ==
        std::map<std::string, std::string>{{"usr_betjent", "Testperson betjent"},
                                           {"usr_koord", "Testperson koord"}});
  CHECK(f.store->VerifyAuditChain().ok());
}

TEST_CASE("an empty page of case views is no error and holds nothing", "[store][scope]") {
  StoreFixture f(EACH_BACKEND);
  Actor admin = f.ActorOf("admin");
  auto views = f.store->ListCaseViews(admin, CaseFilter{}, f.Who(admin), f.clock.Now());
  REQUIRE(views.ok());
  CHECK(views->items.empty());
  CHECK(views->links.empty());
  CHECK(views->display_names.empty());
  CHECK_FALSE(views->next_cursor.has_value());
}

}  // namespace
}  // namespace samspil::test
