// Referrals between fora (need to know: a referral passes only what the referring user chose
// to pass on, and the target forum cannot see the source case) and the deadline scan with
// a controlled clock.
#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

// The link of `c` to `case_id`, or null.
JsonObject LinkTo(const JsonObject& c, const std::string& case_id) {
  JsonArray links = c->getArray("links");
  REQUIRE(links);
  for (size_t i = 0; i < links->size(); ++i) {
    if (Str(links->getObject(i), "case_id") == case_id) return links->getObject(i);
  }
  return nullptr;
}

TEST_CASE(
    "a referral to a konfliktråd is visible to its members and links both ways, but "
    "the source stays hidden from them",
    "[http][referral]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  Login maegler = h.LogIn("maegler");
  Login social = h.LogIn("social");

  JsonObject source = OpenCaseOver(h, betjent, "ssp-a", "Testbarn Henvist", "2011-02-03");
  const std::string source_id = Str(source, "id");
  const std::string resume = "Tyveri fra kiosk; har tilstået; forurettet er kendt (fiktivt)";

  auto referred =
      h.Post("/api/v1/cases/" + source_id + "/transitions",
             TransitionBody(
                 "henvis_konfliktraad", 1,
                 "{\"konfliktraad_forum\":\"kr-a\",\"konfliktraad_resume\":" + Quote(resume) + "}",
                 "henvist til mægling"),
             koord);
  INFO(referred.body);
  REQUIRE(referred.status == 200);
  // A side action: the source stays where it was, one version on.
  CHECK(Str(referred.Json(), "state") == "modtaget");
  CHECK(referred.Json()->getValue<int>("version") == 2);

  // The source shows the link to the new case in kr-a.
  auto source_now = h.Get("/api/v1/cases/" + source_id, koord);
  REQUIRE(source_now.status == 200);
  JsonArray links = source_now.Json()->getArray("links");
  REQUIRE(links->size() == 1);
  JsonObject to = links->getObject(0);
  CHECK(Str(to, "forum_id") == "kr-a");
  CHECK(Str(to, "relation") == "referred_to");
  // The legal basis of the referral, when the link shows it, is the workflow's.
  if (to->has("legal_basis")) CHECK(Str(to, "legal_basis") == "konfliktraad");
  const std::string target_id = Str(to, "case_id");
  CHECK(target_id != source_id);
  // The transition's own answer shows it too.
  CHECK(LinkTo(referred.Json(), target_id));

  // The mediator, a member of kr-a only, sees the target case: the resume, the same subject.
  auto target = h.Get("/api/v1/cases/" + target_id, maegler);
  INFO(target.body);
  REQUIRE(target.status == 200);
  JsonObject t = target.Json();
  CHECK(Str(t, "forum_id") == "kr-a");
  CHECK(Str(t, "workflow_id") == "konfliktraad");
  CHECK(Str(t, "summary") == resume);
  CHECK(Str(t->getObject("subject"), "name") == "Testbarn Henvist");
  CHECK(Str(t->getObject("subject"), "birth_date") == "2011-02-03");
  JsonObject back = LinkTo(t, source_id);
  REQUIRE(back);
  CHECK(Str(back, "forum_id") == "ssp-a");
  CHECK(Str(back, "relation") == "referred_from");
  CHECK(t->getArray("links")->size() == 1);
  // Only what the referring user chose is passed on: not the source's own summary.
  CHECK_FALSE(Contains(target.body, Str(source, "summary")));
  CHECK(h.Get("/api/v1/cases/" + target_id + "/history", maegler).status == 200);
  CHECK(Has(ItemIds(h.Get("/api/v1/cases", maegler)), target_id));

  // ... but not the source case, nor its history: exactly like a case that does not exist.
  auto hidden = h.Get("/api/v1/cases/" + source_id, maegler);
  auto missing = h.Get("/api/v1/cases/case_findes_ikke", maegler);
  CheckError(hidden, 404, "not_found");
  CHECK(hidden.body == missing.body);
  auto hidden_history = h.Get("/api/v1/cases/" + source_id + "/history", maegler);
  CheckError(hidden_history, 404, "not_found");
  CHECK(hidden_history.body == h.Get("/api/v1/cases/case_findes_ikke/history", maegler).body);
  CHECK_FALSE(Has(ItemIds(h.Get("/api/v1/cases", maegler)), source_id));
  CHECK_FALSE(Contains(h.Get("/api/v1/cases", maegler).body, Str(source, "summary")));

  // The social worker, a member of ssp-a only, sees the source but not the target.
  CHECK(h.Get("/api/v1/cases/" + source_id, social).status == 200);
  auto social_target = h.Get("/api/v1/cases/" + target_id, social);
  CheckError(social_target, 404, "not_found");
  CHECK(social_target.body == h.Get("/api/v1/cases/case_findes_ikke", social).body);
  CHECK_FALSE(Has(ItemIds(h.Get("/api/v1/cases", social)), target_id));

  // The referral's target is a fresh case in the konfliktråd's first state.
  CHECK(Str(t, "state") == "forslag");
  CHECK(t->getValue<int>("version") == 1);
}

TEST_CASE(
    "a referral to a forum of the wrong workflow or an unknown forum is refused and "
    "changes nothing",
    "[http][referral]") {
  HttpFixture h;
  Login koord = h.LogIn("koord");
  const std::string id = Str(OpenCaseOver(h, koord), "id");
  for (const char* forum : {"ssp-b", "findes-ikke"}) {
    INFO(forum);
    auto r = h.Post("/api/v1/cases/" + id + "/transitions",
                    TransitionBody("henvis_konfliktraad", 1,
                                   std::string("{\"konfliktraad_forum\":\"") + forum +
                                       "\",\"konfliktraad_resume\":\"x\"}"),
                    koord);
    CHECK(r.status >= 400);
    CHECK(r.status < 500);
    CheckErrorShape(r);
  }
  auto c = h.Get("/api/v1/cases/" + id, koord);
  CHECK(c.Json()->getValue<int>("version") == 1);
  CHECK(c.Json()->getArray("links")->size() == 0);
}

TEST_CASE(
    "escalation: past its deadline a case is overdue, the scan escalates it once, and "
    "coordinators see it",
    "[http][escalation]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  JsonObject opened = OpenCaseOver(h, betjent);
  const std::string late_id = Str(opened, "id");
  REQUIRE_FALSE(opened->isNull("due_at"));
  CHECK_FALSE(opened->getValue<bool>("overdue"));
  CHECK_FALSE(opened->getValue<bool>("escalated"));
  auto due = ParseTimestamp(Str(opened, "due_at"));
  REQUIRE(due);
  CHECK(*due > h.f.clock.Now());


  // Not yet overdue: the scan does nothing.
  auto none = h.f.store->EscalateOverdue(h.f.clock.Now());
  REQUIRE(none.ok());
  CHECK(*none == 0);

  // An hour past the deadline. The sessions have gone idle meanwhile: log in again.
  h.f.clock.Set(*due + std::chrono::hours{1});
  betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  Login other = h.LogIn("other");
  const std::string fresh_id = Str(OpenCaseOver(h, betjent), "id");

  auto ids = [&](const std::string& query, const Login& who) {
    auto r = h.Get("/api/v1/cases" + query, who);
    INFO(query << " " << r.body);
    REQUIRE(r.status == 200);
    return ItemIds(r);
  };

  // Overdue before the scan, not yet escalated.
  auto before = h.Get("/api/v1/cases/" + late_id, koord);
  CHECK(before.Json()->getValue<bool>("overdue"));
  CHECK_FALSE(before.Json()->getValue<bool>("escalated"));
  CHECK(ids("?overdue=true", koord) == std::vector<std::string>{late_id});
  CHECK(ids("?escalated=true", koord).empty());

  auto scanned = h.f.store->EscalateOverdue(h.f.clock.Now());
  REQUIRE(scanned.ok());
  CHECK(*scanned == 1);
  auto again = h.f.store->EscalateOverdue(h.f.clock.Now());
  REQUIRE(again.ok());
  CHECK(*again == 0);  // escalated once

  // The coordinator's escalation list holds it, overdue and escalated; not the fresh one.
  auto escalations = h.Get("/api/v1/escalations", koord);
  INFO(escalations.body);
  REQUIRE(escalations.status == 200);
  REQUIRE(ItemIds(escalations) == std::vector<std::string>{late_id});
  JsonObject listed = escalations.Json()->getArray("items")->getObject(0);
  CHECK(listed->getValue<bool>("overdue"));
  CHECK(listed->getValue<bool>("escalated"));

  // The betjent is no coordinator; `other` coordinates another forum.
  auto not_coordinator = h.Get("/api/v1/escalations", betjent);
  REQUIRE(not_coordinator.status == 200);
  CHECK(ItemIds(not_coordinator).empty());
  CHECK(ItemIds(h.Get("/api/v1/escalations", other)).empty());

  // The list filters.
  CHECK(ids("?escalated=true", koord) == std::vector<std::string>{late_id});
  CHECK(ids("?overdue=true", koord) == std::vector<std::string>{late_id});
  CHECK(ids("?overdue=true&escalated=true", betjent) == std::vector<std::string>{late_id});
  CHECK(ids("?escalated=false", koord).size() == 2);
  auto all = ids("", koord);
  CHECK(Has(all, late_id));
  CHECK(Has(all, fresh_id));
  CHECK(ids("?escalated=true", other).empty());

  auto late = h.Get("/api/v1/cases/" + late_id, betjent);
  CHECK(late.Json()->getValue<bool>("escalated"));
  CHECK(late.Json()->getValue<bool>("overdue"));
  CHECK_FALSE(h.Get("/api/v1/cases/" + fresh_id, betjent).Json()->getValue<bool>("escalated"));

  // The history shows the escalation, by the system (actor null).
  auto history = h.Get("/api/v1/cases/" + late_id + "/history", koord);
  REQUIRE(history.status == 200);
  JsonArray items = history.Json()->getArray("items");
  REQUIRE(items->size() == 2);
  JsonObject escalate = items->getObject(1);
  CHECK(Str(escalate, "action") == "escalate");
  CHECK(escalate->has("actor"));
  CHECK(escalate->isNull("actor"));
  CHECK(escalate->getValue<int>("seq") == 2);

  // Moving it on clears the flag: a new state, a new deadline.
  auto moved =
      h.Post("/api/v1/cases/" + late_id + "/transitions",
             TransitionBody("visiter", late.Json()->getValue<int>("version"), kVisiterData), koord);
  INFO(moved.body);
  REQUIRE(moved.status == 200);
  CHECK_FALSE(moved.Json()->getValue<bool>("escalated"));
  CHECK_FALSE(moved.Json()->getValue<bool>("overdue"));
  CHECK(ItemIds(h.Get("/api/v1/escalations", koord)).empty());
}

}  // namespace
}  // namespace samspil::test
