// The resources of docs/api.md §2 as a client sees them: /me, /workflows, the case object
// and its available actions, pagination, the access log, /healthz and /metrics.
#include <set>

#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

void CheckField(const JsonObject& field) {
  INFO("field " << (field->has("name") ? field->getValue<std::string>("name") : "?"));
  CHECK(!Str(field, "name").empty());
  const std::string type = Str(field, "type");
  CHECK(std::set<std::string>{"string", "text", "boolean", "date", "enum", "forum"}.count(type) ==
        1);
  REQUIRE(field->has("required"));
  CHECK(field->get("required").isBoolean());
  CHECK(!Str(field, "label").empty());
  if (type == "enum") {
    REQUIRE(field->isArray("options"));
    JsonArray options = field->getArray("options");
    CHECK(options->size() > 0);
    for (size_t i = 0; i < options->size(); ++i) CHECK(options->get(i).isString());
  }
}

void CheckFields(const JsonArray& fields) {
  REQUIRE(fields);
  for (size_t i = 0; i < fields->size(); ++i) CheckField(fields->getObject(i));
}

TEST_CASE("/me: the user, the agency and the memberships", "[http][resources]") {
  HttpFixture h;
  auto r = h.Get("/api/v1/me", h.LogIn("koord"));
  INFO(r.body);
  REQUIRE(r.status == 200);
  JsonObject me = r.Json();
  CHECK(Superset(Keys(me), std::set<std::string>{"id", "username", "display_name", "agency",
                                                 "is_admin", "memberships"}));
  CHECK(Str(me, "id") == "usr_koord");
  CHECK(Str(me, "username") == "koord");
  CHECK(Str(me, "display_name") == "Testperson koord");
  JsonObject agency = me->getObject("agency");
  REQUIRE(agency);
  CHECK(Str(agency, "id") == "kommune");
  CHECK(Str(agency, "name") == "Testkommune");
  CHECK(Str(agency, "kind") == "kommune");
  REQUIRE(me->get("is_admin").isBoolean());
  CHECK_FALSE(me->getValue<bool>("is_admin"));
  JsonArray memberships = me->getArray("memberships");
  REQUIRE(memberships);
  std::set<std::string> seats;
  for (size_t i = 0; i < memberships->size(); ++i) {
    JsonObject m = memberships->getObject(i);
    CHECK(Str(m, "forum_name") == "Forum " + Str(m, "forum_id"));
    seats.insert(Str(m, "forum_id") + "/" + Str(m, "workflow_id") + "/" + Str(m, "role"));
  }
  CHECK(seats == std::set<std::string>{"ssp-a/ssp/koordinator", "kr-a/konfliktraad/koordinator"});

  auto admin = h.Get("/api/v1/me", h.LogIn("admin"));
  REQUIRE(admin.status == 200);
  CHECK(admin.Json()->getValue<bool>("is_admin"));
  CHECK(admin.Json()->getArray("memberships")->size() == 0);
}

TEST_CASE("/workflows: the five required definitions, each complete", "[http][resources]") {
  HttpFixture h;
  Login koord = h.LogIn("koord");
  auto r = h.Get("/api/v1/workflows", koord);
  REQUIRE(r.status == 200);
  JsonArray items = r.Json()->getArray("items");
  REQUIRE(items);
  std::set<std::string> ids;
  for (size_t i = 0; i < items->size(); ++i) {
    JsonObject w = items->getObject(i);
    const std::string id = Str(w, "id");
    INFO("workflow " << id);
    ids.insert(id);
    CHECK(!Str(w, "name").empty());
    CHECK(w->get("version").isInteger());
    const std::string initial = Str(w, "initial");
    JsonObject open = w->getObject("open");
    REQUIRE(open);
    REQUIRE(open->isArray("roles"));
    CHECK(open->getArray("roles")->size() > 0);
    CheckFields(open->getArray("fields"));

    std::set<std::string> states;
    JsonArray state_items = w->getArray("states");
    REQUIRE(state_items);
    for (size_t s = 0; s < state_items->size(); ++s) {
      JsonObject st = state_items->getObject(s);
      states.insert(Str(st, "id"));
      CHECK(!Str(st, "label").empty());
      CHECK(st->get("terminal").isBoolean());
    }
    CHECK(states.count(initial) == 1);

    JsonArray transitions = w->getArray("transitions");
    REQUIRE(transitions);
    CHECK(transitions->size() > 0);
    for (size_t t = 0; t < transitions->size(); ++t) {
      JsonObject tr = transitions->getObject(t);
      INFO("transition " << Str(tr, "action"));
      CHECK(!Str(tr, "label").empty());
      // `from` and `to` are single state ids.
      CHECK(states.count(Str(tr, "from")) == 1);
      CHECK(states.count(Str(tr, "to")) == 1);
      REQUIRE(tr->isArray("roles"));
      CHECK(tr->getArray("roles")->size() > 0);
      CheckFields(tr->getArray("fields"));
    }
  }
  for (const char* required : {"ssp", "psp", "ksp", "konfliktraad", "ukn"}) {
    INFO(required);
    CHECK(ids.count(required) == 1);
  }

  auto one = h.Get("/api/v1/workflows/konfliktraad", koord);
  REQUIRE(one.status == 200);
  CHECK(Str(one.Json(), "id") == "konfliktraad");
  // The same object as in the list.
  for (size_t i = 0; i < items->size(); ++i) {
    if (Str(items->getObject(i), "id") != "konfliktraad") continue;
    std::ostringstream listed;
    items->getObject(i)->stringify(listed);
    std::ostringstream single;
    one.Json()->stringify(single);
    CHECK(listed.str() == single.str());
  }
  CheckError(h.Get("/api/v1/workflows/findes-ikke", koord), 404, "not_found");
}

// The actions a user whose roles in the forum are `roles` may take from `state`, according
// to the workflow definition the API serves.
std::set<std::string> ExpectedActions(HttpFixture& h, const Login& who, const std::string& workflow,
                                      const std::string& state,
                                      const std::set<std::string>& roles) {
  auto r = h.Get("/api/v1/workflows/" + workflow, who);
  REQUIRE(r.status == 200);
  std::set<std::string> out;
  JsonArray transitions = r.Json()->getArray("transitions");
  for (size_t i = 0; i < transitions->size(); ++i) {
    JsonObject t = transitions->getObject(i);
    if (Str(t, "from") != state) continue;
    JsonArray allowed = t->getArray("roles");
    for (size_t k = 0; k < allowed->size(); ++k) {
      if (roles.count(allowed->getElement<std::string>(k))) out.insert(Str(t, "action"));
    }
  }
  return out;
}

std::set<std::string> Actions(const JsonObject& c) {
  std::set<std::string> out;
  JsonArray actions = c->getArray("available_actions");
  REQUIRE(actions);
  for (size_t i = 0; i < actions->size(); ++i) {
    JsonObject a = actions->getObject(i);
    CHECK(Superset(Keys(a), std::set<std::string>{"action", "label", "to", "fields"}));
    CHECK(!Str(a, "label").empty());
    CHECK(!Str(a, "to").empty());
    CheckFields(a->getArray("fields"));
    out.insert(Str(a, "action"));
  }
  return out;
}

TEST_CASE("a case object has every key of the contract, and the caller's own actions",
          "[http][resources]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  Login social = h.LogIn("social");
  const std::string id =
      Str(OpenCaseOver(h, betjent, "ssp-a", "Testbarn Form", "2012-04-01"), "id");

  auto r = h.Get("/api/v1/cases/" + id, betjent);
  INFO(r.body);
  REQUIRE(r.status == 200);
  JsonObject c = r.Json();
  CHECK(Superset(
      Keys(c), std::set<std::string>{"id", "forum_id", "workflow_id", "state", "version", "subject",
                                     "summary", "opened_by", "opened_at", "updated_at", "due_at",
                                     "overdue", "escalated", "available_actions", "links"}));
  CHECK(Str(c, "id") == id);
  CHECK(Str(c, "forum_id") == "ssp-a");
  CHECK(Str(c, "workflow_id") == "ssp");
  CHECK(Str(c, "state") == "modtaget");
  CHECK(c->get("version").isInteger());
  CHECK(c->getValue<int>("version") == 1);
  JsonObject subject = c->getObject("subject");
  REQUIRE(subject);
  CHECK(Str(subject, "name") == "Testbarn Form");
  CHECK(Str(subject, "birth_date") == "2012-04-01");
  CHECK(Str(c, "summary") == "Bekymring for skolefravær (fiktiv)");
  JsonObject opened_by = c->getObject("opened_by");
  REQUIRE(opened_by);
  CHECK(Str(opened_by, "id") == "usr_betjent");
  CHECK(Str(opened_by, "display_name") == "Testperson betjent");
  CHECK(Str(c, "opened_at") == FormatTimestamp(h.f.clock.Now()));
  CHECK(Str(c, "updated_at") == FormatTimestamp(h.f.clock.Now()));
  // RFC 3339 in UTC.
  auto due = ParseTimestamp(Str(c, "due_at"));
  REQUIRE(due);
  CHECK(Str(c, "due_at").back() == 'Z');
  CHECK(*due > h.f.clock.Now());
  CHECK(c->get("overdue").isBoolean());
  CHECK(c->get("escalated").isBoolean());
  REQUIRE(c->isArray("links"));
  CHECK(c->getArray("links")->size() == 0);

  // available_actions: exactly what the caller's roles may do from the state.
  const auto betjent_actions = Actions(c);
  CHECK(betjent_actions ==
        ExpectedActions(h, betjent, "ssp", "modtaget", {"forebyggelsesbetjent"}));
  CHECK(betjent_actions.count("visiter") == 0);
  CHECK(betjent_actions.count("henvis_konfliktraad") == 1);

  auto as_koord = h.Get("/api/v1/cases/" + id, koord);
  const auto koord_actions = Actions(as_koord.Json());
  CHECK(koord_actions == ExpectedActions(h, koord, "ssp", "modtaget", {"koordinator"}));
  CHECK(koord_actions.count("visiter") == 1);
  CHECK(koord_actions.count("afvis") == 1);

  auto as_social = h.Get("/api/v1/cases/" + id, social);
  const auto social_actions = Actions(as_social.Json());
  CHECK(social_actions == ExpectedActions(h, social, "ssp", "modtaget", {"socialraadgiver"}));
  CHECK(social_actions.count("visiter") == 0);

  // A list gives each caller the same actions as the single read; they are serialised once
  // per (workflow, state, roles), so the second round is answered from that.
  auto listed_actions = [&](const Login& who) {
    auto r = h.Get("/api/v1/cases?forum_id=ssp-a", who);
    REQUIRE(r.status == 200);
    JsonArray items = r.Json()->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      if (Str(items->getObject(i), "id") == id) return Actions(items->getObject(i));
    }
    FAIL("the case is not listed");
    return decltype(Actions(c)){};
  };
  for (int round = 0; round < 2; ++round) {
    INFO("round " << round);
    CHECK(listed_actions(koord) == koord_actions);
    CHECK(listed_actions(social) == social_actions);
    CHECK(listed_actions(betjent) == betjent_actions);
  }

  // The transition's answer is the updated case, computed for the caller.
  auto moved = h.Post("/api/v1/cases/" + id + "/transitions",
                      TransitionBody("visiter", 1, kVisiterData), koord);
  REQUIRE(moved.status == 200);
  CHECK(Actions(moved.Json()) == ExpectedActions(h, koord, "ssp", "droeftelse", {"koordinator"}));

  // A terminal state has no available actions.
  auto closed =
      h.Post("/api/v1/cases/" + id + "/transitions",
             TransitionBody("afslut", 2, R"j({"afslutningsgrund":"bekymring_ophoert"})j"), koord);
  INFO(closed.body);
  REQUIRE(closed.status == 200);
  CHECK(Str(closed.Json(), "state") == "afsluttet");
  CHECK(Actions(closed.Json()).empty());
  CHECK(closed.Json()->isNull("due_at"));
  CHECK_FALSE(closed.Json()->getValue<bool>("overdue"));
  // Closed is not deleted: it is still there, with its history.
  CHECK(h.Get("/api/v1/cases/" + id, betjent).status == 200);

  auto history = h.Get("/api/v1/cases/" + id + "/history", betjent);
  REQUIRE(history.status == 200);
  JsonArray items = history.Json()->getArray("items");
  REQUIRE(items->size() == 3);
  const std::vector<std::string> actions = {"open", "visiter", "afslut"};
  for (size_t i = 0; i < items->size(); ++i) {
    JsonObject e = items->getObject(i);
    INFO("entry " << i);
    CHECK(Superset(Keys(e), std::set<std::string>{"seq", "action", "from", "to", "actor", "role",
                                                  "at", "comment"}));
    CHECK(e->getValue<int>("seq") == static_cast<int>(i + 1));
    CHECK(Str(e, "action") == actions[i]);
    CHECK(ParseTimestamp(Str(e, "at")).has_value());
  }
  CHECK(items->getObject(0)->isNull("from"));
  CHECK(Str(items->getObject(0), "to") == "modtaget");
  CHECK(Str(items->getObject(0)->getObject("actor"), "id") == "usr_betjent");
  CHECK(Str(items->getObject(0), "role") == "forebyggelsesbetjent");
  CHECK(Str(items->getObject(1), "from") == "modtaget");
  CHECK(Str(items->getObject(1), "to") == "droeftelse");
  CHECK(Str(items->getObject(1)->getObject("actor"), "display_name") == "Testperson koord");
  CHECK(Str(items->getObject(2), "to") == "afsluttet");
}

TEST_CASE("POST /cases answers 201 with the case, the list has it", "[http][resources]") {
  HttpFixture h;
  Login social = h.LogIn("social");
  auto r = h.Post("/api/v1/cases",
                  OpenBody("ssp-a", "Testbarn Åse Ærø", "2013-06-07", "Fravær (fiktiv)",
                           R"j({"anledning":"bekymrende_adfaerd","foraeldre_orienteret":true})j"),
                  social);
  INFO(r.body);
  REQUIRE(r.status == 201);
  CHECK(Str(r.Json()->getObject("subject"), "name") == "Testbarn Åse Ærø");  // UTF-8 both ways
  CHECK(Str(r.Json()->getObject("opened_by"), "id") == "usr_social");
  auto listed = h.Get("/api/v1/cases", social);
  CHECK(ItemIds(listed) == std::vector<std::string>{Str(r.Json(), "id")});
  CHECK(listed.Json()->isNull("next_cursor"));
}

TEST_CASE("pagination: limit and next_cursor walk every case once, in a stable order",
          "[http][pagination]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login other = h.LogIn("other");
  std::set<std::string> opened;
  for (int i = 0; i < 7; ++i) {
    opened.insert(Str(OpenCaseOver(h, betjent, "ssp-a", "Testbarn " + std::to_string(i)), "id"));
  }
  OpenCaseOver(h, other, "ssp-b");  // not visible to the betjent, not on its pages

  auto all = h.Get("/api/v1/cases", betjent);
  REQUIRE(all.status == 200);
  const auto everything = ItemIds(all);
  CHECK(std::set<std::string>(everything.begin(), everything.end()) == opened);
  CHECK(all.Json()->isNull("next_cursor"));

  std::vector<std::string> walked;
  std::vector<size_t> sizes;
  std::string query = "/api/v1/cases?limit=3";
  for (int page = 0; page < 10; ++page) {
    auto r = h.Get(query, betjent);
    INFO(query << " " << r.body);
    REQUIRE(r.status == 200);
    auto ids = ItemIds(r);
    sizes.push_back(ids.size());
    walked.insert(walked.end(), ids.begin(), ids.end());
    JsonObject body = r.Json();
    REQUIRE(body->has("next_cursor"));
    if (body->isNull("next_cursor")) break;
    query = "/api/v1/cases?limit=3&cursor=" + Encode(Str(body, "next_cursor"));
  }
  CHECK(sizes == std::vector<size_t>{3, 3, 1});
  CHECK(walked == everything);  // no duplicates, none missing, the same order
  CHECK(std::set<std::string>(walked.begin(), walked.end()).size() == 7);

  // The same walk again gives the same pages.
  auto first = h.Get("/api/v1/cases?limit=3", betjent);
  CHECK(ItemIds(first) == std::vector<std::string>(everything.begin(), everything.begin() + 3));

  // A filter applies across pages too.
  auto filtered = h.Get("/api/v1/cases?forum_id=ssp-a&state=modtaget&limit=7", betjent);
  CHECK(ItemIds(filtered) == everything);
  CHECK(filtered.Json()->isNull("next_cursor"));
  CHECK(ItemIds(h.Get("/api/v1/cases?state=droeftelse", betjent)).empty());
  CHECK(ItemIds(h.Get("/api/v1/cases?forum_id=ssp-b", betjent)).empty());
}

TEST_CASE(
    "the access log: every read is recorded with who, agency, role and address, a "
    "refused change is not",
    "[http][audit]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login social = h.LogIn("social");
  const std::string id = Str(OpenCaseOver(h, betjent), "id");

  auto last_seq = [&] {
    auto entries = h.f.store->AuditEntries(0, 100000);
    REQUIRE(entries.ok());
    return entries->empty() ? std::int64_t{0} : entries->back().seq;
  };
  auto entries_after = [&](std::int64_t seq) {
    auto entries = h.f.store->AuditEntries(seq, 100000);
    REQUIRE(entries.ok());
    return *entries;
  };
  auto check_read = [&](const std::vector<AuditEntry>& entries, const std::string& action) {
    int n = 0;
    for (const auto& e : entries) {
      if (e.action != action || e.case_id != id) continue;
      ++n;
      CHECK(e.actor_id == "usr_social");
      CHECK(e.agency_id == "kommune");
      CHECK(e.role == "socialraadgiver");
      CHECK(e.forum_id == "ssp-a");
      CHECK(e.client_address == "127.0.0.1");
      CHECK(e.at == h.f.clock.Now());
    }
    CHECK(n == 1);
  };

  std::int64_t seq = last_seq();
  REQUIRE(h.Get("/api/v1/cases/" + id, social).status == 200);
  {
    INFO("case.read");
    check_read(entries_after(seq), "case.read");
  }
  seq = last_seq();
  REQUIRE(h.Get("/api/v1/cases/" + id + "/history", social).status == 200);
  {
    INFO("case.history");
    check_read(entries_after(seq), "case.history");
  }
  seq = last_seq();
  REQUIRE(Has(ItemIds(h.Get("/api/v1/cases", social)), id));
  {
    INFO("case.list");
    check_read(entries_after(seq), "case.list");
  }

  // A refused transition (the social worker may not visit) changes nothing and records no
  // transition.
  seq = last_seq();
  CheckError(h.Post("/api/v1/cases/" + id + "/transitions",
                    TransitionBody("visiter", 1, kVisiterData), social),
             403, "forbidden");
  CheckError(
      h.Post("/api/v1/cases/" + id + "/transitions",
             TransitionBody("registrer_underretning", 1, R"j({"underretning_dato":"2030-01-01"})j"),
             social),
      422, "guard_failed");
  CheckError(
      h.Post("/api/v1/cases/" + id + "/transitions",
             TransitionBody("registrer_underretning", 7, R"j({"underretning_dato":"2026-11-20"})j"),
             social),
      409, "version_conflict");
  for (const auto& e : entries_after(seq)) {
    INFO(e.action);
    CHECK(e.action != "case.transition");
  }

  // A taken one is recorded, by its actor in its role.
  seq = last_seq();
  REQUIRE(
      h.Post("/api/v1/cases/" + id + "/transitions",
             TransitionBody("registrer_underretning", 1, R"j({"underretning_dato":"2026-11-20"})j"),
             social)
          .status == 200);
  int transitions = 0;
  for (const auto& e : entries_after(seq)) {
    if (e.action != "case.transition") continue;
    ++transitions;
    CHECK(e.case_id == id);
    CHECK(e.actor_id == "usr_social");
    CHECK(e.role == "socialraadgiver");
    CHECK(e.client_address == "127.0.0.1");
  }
  CHECK(transitions == 1);

  auto chain = h.f.store->VerifyAuditChain();
  INFO((chain.ok() ? "" : chain.error().message));
  CHECK(chain.ok());
}

TEST_CASE("/healthz without authentication, /metrics counts transitions", "[http][operations]") {
  HttpFixture h;
  auto health = h.Send("GET", "/healthz");
  REQUIRE(health.status == 200);
  CHECK(Keys(health.Json()) == std::set<std::string>{"status"});
  CHECK(Str(health.Json(), "status") == "ok");

  Login koord = h.LogIn("koord");
  const std::string id = Str(OpenCaseOver(h, koord), "id");
  REQUIRE(h.Post("/api/v1/cases/" + id + "/transitions", TransitionBody("visiter", 1, kVisiterData),
                 koord)
              .status == 200);

  auto metrics = h.Send("GET", "/metrics");
  REQUIRE(metrics.status == 200);
  CHECK(Contains(metrics.headers.get("Content-Type", ""), "text/plain"));
  INFO(metrics.body);
  CHECK(Contains(metrics.body, "samspil_transitions_total"));
  std::istringstream lines(metrics.body);
  std::string line;
  bool counted = false;
  while (std::getline(lines, line)) {
    if (line.rfind("samspil_transitions_total{", 0) == 0 && Contains(line, "visiter")) {
      counted = line.substr(line.rfind(' ') + 1) == "1";
    }
  }
  CHECK(counted);
  CHECK(Contains(metrics.body, "samspil_http_requests_total"));
  // Aggregates only: no case ids, no names.
  CHECK_FALSE(Contains(metrics.body, id));
  CHECK_FALSE(Contains(metrics.body, "Testbarn"));
}

}  // namespace
}  // namespace samspil::test
