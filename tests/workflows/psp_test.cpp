// workflows/psp.json walked through the pure engine: vulnerable and psychiatric citizens
// (docs/domain.md, "psp"). Every person here is fictional.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "workflows/walk.hpp"

namespace samspil {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;
using namespace test::walk;
using test::At;

constexpr const char* kForum = "psp-holstebro";

const WorkflowDefinition& Psp() { return Def("psp"); }

Subject Adult() { return AgedToday(41, 100, "Testperson Fiktivsen"); }

TEST_CASE(
    "PSP: a henvendelse walks through visitation, the operative group, a lead agency, "
    "indsats and opfølgning to afsluttet",
    "[workflows][psp]") {
  Walk w(Psp(), kForum);
  w.Open("psykiatri", Adult(), {{"problemstilling", "psykisk_lidelse"s}}, Now());
  CHECK(w.c().state == "henvendelse");
  CHECK(w.c().due_at == At("2026-11-30T10:00:00Z"));  // five hverdage

  w.Fire("koordinator", "visiter", {{"visitationsnotat", "Til operativgruppen"s}},
         At("2026-11-24T09:00:00Z"));
  CHECK(w.c().state == "visiteret");
  CHECK(w.c().due_at == At("2026-12-24T09:00:00Z"));  // 30 days

  w.Fire("forebyggelsesbetjent", "registrer_droeftelse",
         {{"moededato", "2026-12-02"s}, {"droeftelse_resume", "Gentagne uroligheder (fiktivt)"s}},
         At("2026-12-02T13:00:00Z"));
  CHECK(w.c().state == "droeftet");
  CHECK(w.c().due_at == At("2026-12-16T13:00:00Z"));  // ten hverdage

  w.Fire("socialraadgiver", "placer_ansvar",
         {{"ansvarlig_myndighedstype", "region"s},
          {"ansvarlig_myndighed", "Regionens distriktspsykiatri (fiktiv)"s},
          {"aftaler", "Distriktspsykiatrien tager kontakt inden for en uge"s}},
         At("2026-12-18T10:00:00Z"));
  CHECK(w.c().state == "ansvar_placeret");
  // Ten hverdage from Friday 18 December skip 24–27 December and 1 January.
  CHECK(w.c().due_at == At("2027-01-06T10:00:00Z"));

  w.Fire("psykiatri", "start_indsats", {{"indsats_beskrivelse", "Opsøgende behandling"s}},
         At("2027-01-04T10:00:00Z"));
  CHECK(w.c().state == "indsats");
  CHECK(w.c().due_at == At("2027-04-04T10:00:00Z"));  // 90 days

  w.Fire("socialraadgiver", "start_opfoelgning", {{"status", "Stabil"s}},
         At("2027-03-15T10:00:00Z"));
  CHECK(w.c().state == "opfoelgning");
  CHECK(w.c().due_at == At("2027-04-14T10:00:00Z"));

  w.Fire("koordinator", "afslut", {{"afslutningsgrund", "indsats_gennemfoert"s}},
         At("2027-04-01T10:00:00Z"));
  CHECK(w.c().state == "afsluttet");
  CHECK(w.c().version == 7);
  CHECK_FALSE(w.c().due_at.has_value());
  CHECK(w.c().data.at("ansvarlig_myndighedstype") == Value{"region"s});
  for (const auto& role : DomainRoles()) CHECK(Offered(Psp(), w.c(), role).empty());
}

TEST_CASE(
    "PSP: a case the operative group cannot lift goes to the visitations- og "
    "koordinationsgruppe and comes back with a decision",
    "[workflows][psp]") {
  Walk w(Psp(), kForum);
  w.StartFrom(CaseIn(Psp(), kForum, "droeftet", Adult(), {}, At("2026-11-20T10:00:00Z")));

  w.Fire("koordinator", "eskaler_vkg",
         {{"eskaleringsgrund", "Ingen myndighed kan alene løfte sagen"s}}, Now());
  CHECK(w.c().state == "eskaleret_vkg");
  CHECK(w.c().due_at == At("2026-12-23T10:00:00Z"));  // 30 days

  w.Fire("koordinator", "vkg_tilbage",
         {{"vkg_moededato", "2026-12-08"s}, {"vkg_beslutning", "Operativgruppen fortsætter"s}},
         At("2026-12-09T10:00:00Z"));
  CHECK(w.c().state == "droeftet");
  CHECK(w.c().due_at == At("2026-12-23T10:00:00Z"));  // ten hverdage from Wednesday 9 Dec

  w.Fire("koordinator", "eskaler_vkg", {{"eskaleringsgrund", "Fortsat uafklaret"s}},
         At("2026-12-10T10:00:00Z"));
  w.Fire("koordinator", "vkg_placer_ansvar",
         {{"vkg_moededato", "2027-01-05"s},
          {"vkg_beslutning", "Kommunen har ansvaret"s},
          {"ansvarlig_myndighedstype", "kommune"s},
          {"ansvarlig_myndighed", "Socialpsykiatrien (fiktiv)"s},
          {"aftaler", "Bostøtte iværksættes"s}},
         At("2027-01-05T15:00:00Z"));
  CHECK(w.c().state == "ansvar_placeret");
  CHECK(w.c().due_at == At("2027-01-19T15:00:00Z"));
  CHECK(w.c().data.at("vkg_beslutning") == Value{"Kommunen har ansvaret"s});
}

TEST_CASE(
    "PSP: only the coordinator escalates to the visitations- og koordinationsgruppe, and "
    "only with a reason",
    "[workflows][psp]") {
  const Case c = CaseIn(Psp(), kForum, "droeftet", Adult(), {});
  for (const char* role : {"psykiatri", "socialraadgiver", "forebyggelsesbetjent"}) {
    INFO(role);
    auto r = Decide(Psp(), c, As(kForum, role),
                    Cmd("eskaler_vkg", c.version, {{"eskaleringsgrund", "Grund"s}}), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kForbidden);
  }
  auto missing = Decide(Psp(), c, As(kForum, "koordinator"), Cmd("eskaler_vkg", c.version), Now());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(missing.error().message, Contains("eskaleringsgrund"));
}

TEST_CASE("PSP: the group's decision cannot be dated after today", "[workflows][psp]") {
  const Case c = CaseIn(Psp(), kForum, "eskaleret_vkg", Adult(), {});
  auto r = Decide(Psp(), c, As(kForum, "koordinator"),
                  Cmd("vkg_tilbage", c.version,
                      {{"vkg_moededato", InDays(1)}, {"vkg_beslutning", "Beslutning"s}}),
                  Now());
  REQUIRE_FALSE(r.ok());
  CHECK(RefusedByGuard(r.error(), "date_not_in_future"));
}

TEST_CASE("PSP: the coordinator rejects a henvendelse with a reason, never without",
          "[workflows][psp]") {
  Walk w(Psp(), kForum);
  w.Open("forebyggelsesbetjent", Adult(), {}, Now());
  auto missing = w.Try("koordinator", "afvis", {}, Now());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(missing.error().message, Contains("afvisningsgrund"));

  w.Fire("koordinator", "afvis", {{"afvisningsgrund", "Uden for målgruppen"s}}, Now());
  CHECK(w.c().state == "afvist");
  CHECK_FALSE(w.c().due_at.has_value());
  for (const auto& role : DomainRoles()) CHECK(Offered(Psp(), w.c(), role).empty());
}

TEST_CASE("PSP: a forebyggelsesbetjent may not visit a henvendelse", "[workflows][psp]") {
  const Case c = CaseIn(Psp(), kForum, "henvendelse", Adult(), {});
  auto r = Decide(Psp(), c, As(kForum, "forebyggelsesbetjent"), Cmd("visiter", c.version), Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kForbidden);
}

TEST_CASE("PSP: opfølgning can take the case back to the operative group", "[workflows][psp]") {
  Walk w(Psp(), kForum);
  w.StartFrom(CaseIn(Psp(), kForum, "opfoelgning", Adult(), {}));
  w.Fire("psykiatri", "ny_droeftelse", {{"begrundelse", "Indlagt igen"s}}, Now());
  CHECK(w.c().state == "visiteret");
  CHECK(w.c().due_at == At("2026-12-23T10:00:00Z"));
}

TEST_CASE(
    "PSP: only forebyggelsesbetjent, socialrådgiver, psykiatri and koordinator may open a "
    "case",
    "[workflows][psp]") {
  CheckWhoMayOpen("psp", Adult(), {{"problemstilling", "misbrug"s}});
}

TEST_CASE(
    "PSP: in every state each role is offered exactly the rows of psp.json, and each row "
    "fires or is refused by a named guard",
    "[workflows][psp]") {
  CheckEveryStateRoleAndRow("psp", Adult(), {{"problemstilling", "andet"s}});
}

}  // namespace
}  // namespace samspil
