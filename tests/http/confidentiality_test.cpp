// docs/domain.md rule 4: konfliktråd's mediation notes are for the mediator and the coordinator
// only. The forebyggelsesbetjent who proposed the case stays a member of the forum and sees
// how it moves, but not what the confidential steps recorded — in no response at all.
#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

// Free text that only the mediator and the coordinator may ever read (fictional).
const std::string kConsentNote = "Begge parter samtykker efter samtale (fiktivt notat)";
const std::string kMeetingNote = "Parterne talte om skaden på cyklen (fiktivt notat)";
const std::string kAgreement = "Gerningspersonen betaler 500 kr. til forurettede (fiktivt)";

// Takes a konfliktråd case opened by the betjent to aftale_indgaaet; returns its id.
std::string MediatedCase(HttpFixture& h, const Login& betjent, const Login& koord,
                         const Login& maegler) {
  auto opened = h.Post("/api/v1/cases",
                       OpenBody("kr-a", "Testung Mæglingsen", "2008-06-01",
                                "Hærværk mod en cykel; tilstået (fiktivt)",
                                R"j({"forhold":"Hærværk (fiktivt)"})j"),
                       betjent);
  INFO(opened.body);
  REQUIRE(opened.status == 201);
  const std::string id = Str(opened.Json(), "id");
  const std::string path = "/api/v1/cases/" + id + "/transitions";
  struct Step {
    const Login& who;
    std::string action;
    std::string data;
    std::string comment;
  };
  const std::vector<Step> steps = {
      {koord, "vurder_egnet",
       R"j({"identificerbar_forurettet":true,"vaesentlig_tilstaaelse":true,"vurdering":"Egnet til mægling"})j",
       "Screening afsluttet"},
      {maegler, "registrer_samtykke",
       R"j({"samtykke_offer":true,"samtykke_gerningsperson":true,"forurettet_under_18":false})j",
       kConsentNote},
      {koord, "tildel_maegler", R"j({"maegler":"Mægler Testesen"})j", ""},
      {maegler, "registrer_moede", R"j({"moede_holdt_dato":"2026-11-20"})j", kMeetingNote},
      {maegler, "registrer_aftale", "{\"aftale\":" + Quote(kAgreement) + "}", ""},
  };
  long long version = 1;
  for (const auto& step : steps) {
    auto r = h.Post(path, TransitionBody(step.action, version, step.data, step.comment), step.who);
    INFO(step.action << ": " << r.body);
    REQUIRE(r.status == 200);
    ++version;
  }
  return id;
}

// The history item of `action`.
JsonObject EntryOf(const HttpResult& history, const std::string& action) {
  JsonArray items = history.Json()->getArray("items");
  REQUIRE(items);
  for (size_t i = 0; i < items->size(); ++i) {
    if (Str(items->getObject(i), "action") == action) return items->getObject(i);
  }
  FAIL("no history entry " << action);
  return nullptr;
}

bool Flag(const JsonObject& o, const std::string& key) {
  INFO("key " << key);
  REQUIRE(o->has(key));
  REQUIRE(o->get(key).isBoolean());
  return o->getValue<bool>(key);
}

std::set<std::string> DataKeys(const JsonObject& o) {
  REQUIRE(o->isObject("data"));
  return Keys(o->getObject("data"));
}

TEST_CASE("konfliktråd: mediation notes are withheld from a member who is neither mediator nor coordinator",
          "[http][confidential]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  Login maegler = h.LogIn("maegler");
  const std::string id = MediatedCase(h, betjent, koord, maegler);

  auto history = h.Get("/api/v1/cases/" + id + "/history", betjent);
  INFO(history.body);
  REQUIRE(history.status == 200);
  // The steps are there, with who and when; their notes are not.
  for (const char* action : {"registrer_samtykke", "registrer_moede", "registrer_aftale"}) {
    INFO(action);
    JsonObject e = EntryOf(history, action);
    CHECK(Flag(e, "confidential"));
    CHECK(Flag(e, "withheld"));
    CHECK(Str(e, "comment").empty());
    CHECK(DataKeys(e).empty());
    CHECK(e->getObject("actor"));
    CHECK_FALSE(Str(e, "at").empty());
  }
  // Screening and the mediator's assignment are not mediation notes.
  JsonObject screening = EntryOf(history, "vurder_egnet");
  CHECK_FALSE(Flag(screening, "confidential"));
  CHECK_FALSE(Flag(screening, "withheld"));
  CHECK(Str(screening, "comment") == "Screening afsluttet");
  CHECK(Str(screening->getObject("data"), "vurdering") == "Egnet til mægling");
  CHECK(Str(EntryOf(history, "open")->getObject("data"), "forhold") == "Hærværk (fiktivt)");

  auto read = h.Get("/api/v1/cases/" + id, betjent);
  REQUIRE(read.status == 200);
  CHECK(Str(read.Json(), "state") == "aftale_indgaaet");
  const auto keys = DataKeys(read.Json());
  CHECK(keys == std::set<std::string>{"forhold", "identificerbar_forurettet", "maegler",
                                      "vaesentlig_tilstaaelse", "vurdering"});

  // In no answer the betjent can get: the case, its history, the forum's list.
  auto list = h.Get("/api/v1/cases?forum_id=kr-a", betjent);
  REQUIRE(list.status == 200);
  REQUIRE(Has(ItemIds(list), id));
  for (const auto* r : {&history, &read, &list}) {
    for (const auto& secret : {kConsentNote, kMeetingNote, kAgreement, std::string("2026-11-20")}) {
      INFO(secret);
      CHECK_FALSE(Contains(r->body, secret));
    }
  }
}

TEST_CASE("konfliktråd: the mediator and the coordinator read the mediation notes whole",
          "[http][confidential]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  Login maegler = h.LogIn("maegler");
  const std::string id = MediatedCase(h, betjent, koord, maegler);

  for (const Login* reader : {&maegler, &koord}) {
    auto history = h.Get("/api/v1/cases/" + id + "/history", *reader);
    INFO(history.body);
    REQUIRE(history.status == 200);
    JsonObject consent = EntryOf(history, "registrer_samtykke");
    CHECK(Flag(consent, "confidential"));
    CHECK_FALSE(Flag(consent, "withheld"));
    CHECK(Str(consent, "comment") == kConsentNote);
    CHECK(Str(EntryOf(history, "registrer_moede"), "comment") == kMeetingNote);
    CHECK(Str(EntryOf(history, "registrer_aftale")->getObject("data"), "aftale") == kAgreement);

    auto read = h.Get("/api/v1/cases/" + id, *reader);
    REQUIRE(read.status == 200);
    CHECK(Str(read.Json()->getObject("data"), "aftale") == kAgreement);
    CHECK(Str(read.Json()->getObject("data"), "moede_holdt_dato") == "2026-11-20");
  }
}

TEST_CASE("a workflow says which steps are confidential and who reads them", "[http][confidential]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  auto r = h.Get("/api/v1/workflows/konfliktraad", betjent);
  INFO(r.body);
  REQUIRE(r.status == 200);
  JsonArray readers = r.Json()->getArray("confidential_roles");
  REQUIRE(readers);
  std::set<std::string> roles;
  for (size_t i = 0; i < readers->size(); ++i) roles.insert(readers->getElement<std::string>(i));
  CHECK(roles == std::set<std::string>{"koordinator", "maegler"});
  std::set<std::string> confidential, open;
  JsonArray transitions = r.Json()->getArray("transitions");
  for (size_t i = 0; i < transitions->size(); ++i) {
    JsonObject t = transitions->getObject(i);
    (Flag(t, "confidential") ? confidential : open).insert(Str(t, "action"));
  }
  CHECK(confidential.count("registrer_moede") == 1);
  CHECK(confidential.count("registrer_aftale") == 1);
  CHECK(open == std::set<std::string>{"vurder_egnet", "vurder_uegnet", "tildel_maegler"});

  auto ssp = h.Get("/api/v1/workflows/ssp", betjent);
  REQUIRE(ssp.status == 200);
  CHECK(ssp.Json()->getArray("confidential_roles")->size() == 0);
}

}  // namespace
}  // namespace samspil::test
