// workflows/konfliktraad.json walked through the pure engine: victim–offender mediation
// (lov om konfliktråd; docs/domain.md, "konfliktraad"). The subject is the offender. Every person
// here is fictional.
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "workflows/walk.hpp"

namespace samspil {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using namespace test::walk;
using test::At;
using test::Day;

constexpr const char* kForum = "kr-midtvest";

const WorkflowDefinition& Kr() { return Def("konfliktraad"); }

Subject MinorOffender() { return AgedToday(16); }
Subject AdultOffender() { return AgedToday(30, 100, "Testperson Fiktivsen"); }

Data Consents(bool victim, bool offender, bool victim_minor, std::optional<bool> parent) {
  Data d{{"samtykke_offer", victim},
         {"samtykke_gerningsperson", offender},
         {"forurettet_under_18", victim_minor}};
  if (parent) d["samtykke_foraelder"] = *parent;
  return d;
}

Result<Decision> RegisterConsents(const Subject& offender, const Data& consents) {
  const Case c = CaseIn(Kr(), kForum, "egnet", offender, {});
  return Decide(Kr(), c, As(kForum, "maegler"), Cmd("registrer_samtykke", c.version, consents),
                Now());
}

Result<Decision> Screen(bool victim_identifiable, bool confessed) {
  const Case c = CaseIn(Kr(), kForum, "forslag", MinorOffender(), {});
  return Decide(Kr(), c, As(kForum, "koordinator"),
                Cmd("vurder_egnet", c.version,
                    {{"identificerbar_forurettet", victim_identifiable},
                     {"vaesentlig_tilstaaelse", confessed}}),
                Now());
}

TEST_CASE(
    "Konfliktråd: a proposal walks through screening, consents, a mediator and a meeting "
    "to an agreement and afsluttet",
    "[workflows][konfliktraad]") {
  Walk w(Kr(), kForum);
  w.Open("forebyggelsesbetjent", MinorOffender(),
         {{"forhold", "Hærværk på skolens cykelskur (fiktivt)"s},
          {"journalnummer", "4100-00000-00000-26"s}},
         Now());
  CHECK(w.c().state == "forslag");
  CHECK(w.c().due_at == At("2026-12-07T10:00:00Z"));  // ten hverdage

  w.Fire("koordinator", "vurder_egnet",
         {{"identificerbar_forurettet", true}, {"vaesentlig_tilstaaelse", true}},
         At("2026-11-26T10:00:00Z"));
  CHECK(w.c().state == "egnet");
  CHECK(w.c().due_at == At("2026-12-17T10:00:00Z"));  // 21 days

  w.Fire("maegler", "registrer_samtykke", Consents(true, true, false, true),
         At("2026-12-01T10:00:00Z"));
  CHECK(w.c().state == "samtykke");
  CHECK(w.c().due_at == At("2026-12-08T10:00:00Z"));  // five hverdage

  w.Fire("koordinator", "tildel_maegler", {{"maegler", "Mægler Fiktivsen"s}},
         At("2026-12-03T10:00:00Z"));
  CHECK(w.c().state == "maegler_tildelt");
  CHECK(w.c().due_at == At("2027-01-14T10:00:00Z"));  // 42 days

  w.Fire("maegler", "planlaeg_moede", {{"moededato", "2027-01-06"s}}, At("2026-12-07T10:00:00Z"));
  CHECK(w.c().state == "maegler_tildelt");
  CHECK(w.c().due_at == At("2027-01-14T10:00:00Z"));

  w.Fire("maegler", "registrer_moede", {{"moede_holdt_dato", "2027-01-06"s}},
         At("2027-01-06T15:00:00Z"));
  CHECK(w.c().state == "moede_holdt");
  CHECK(w.c().due_at == At("2027-01-13T15:00:00Z"));

  w.Fire("maegler", "registrer_aftale", {{"aftale", "Undskyldning og to dages oprydning"s}},
         At("2027-01-07T10:00:00Z"));
  CHECK(w.c().state == "aftale_indgaaet");
  CHECK(w.c().due_at == At("2027-02-06T10:00:00Z"));  // 30 days

  w.Fire("koordinator", "afslut_med_aftale", {{"aftale_oversendt_dato", "2027-01-11"s}},
         At("2027-01-12T10:00:00Z"));
  CHECK(w.c().state == "afsluttet");
  CHECK(w.c().version == 8);
  CHECK_FALSE(w.c().due_at.has_value());
  for (const auto& role : DomainRoles()) CHECK(Offered(Kr(), w.c(), role).empty());
}

TEST_CASE(
    "Konfliktråd: a meeting without an agreement ends in ingen_aftale and afsluttet, a "
    "new meeting goes back to the mediator",
    "[workflows][konfliktraad]") {
  Walk w(Kr(), kForum);
  w.StartFrom(CaseIn(Kr(), kForum, "moede_holdt", MinorOffender(), {}));
  w.Fire("maegler", "nyt_moede", {{"begrundelse", "Forurettede ønsker et møde mere"s}}, Now());
  CHECK(w.c().state == "maegler_tildelt");
  CHECK(w.c().due_at == At("2027-01-04T10:00:00Z"));  // 42 days
  w.Fire("koordinator", "registrer_moede", {{"moede_holdt_dato", TodayText()}}, Now());
  w.Fire("maegler", "registrer_ingen_aftale", {}, At("2026-11-24T10:00:00Z"));
  CHECK(w.c().state == "ingen_aftale");
  CHECK(w.c().due_at == At("2026-12-01T10:00:00Z"));  // five hverdage
  w.Fire("koordinator", "afslut", {{"afslutningsnotat", "Parterne kunne ikke enes"s}},
         At("2026-11-25T10:00:00Z"));
  CHECK(w.c().state == "afsluttet");
  CHECK_FALSE(w.c().due_at.has_value());
}

TEST_CASE("Konfliktråd: the coordinator finds a case uegnet with a reason, never without",
          "[workflows][konfliktraad]") {
  Walk w(Kr(), kForum);
  w.Open("skole", MinorOffender(), {}, Now());
  auto missing = w.Try("koordinator", "vurder_uegnet", {}, Now());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(missing.error().message, Contains("afvisningsgrund"));
  w.Fire("koordinator", "vurder_uegnet", {{"afvisningsgrund", "Ingen identificerbar forurettet"s}},
         Now());
  CHECK(w.c().state == "uegnet");
  CHECK_FALSE(w.c().due_at.has_value());
  for (const auto& role : DomainRoles()) CHECK(Offered(Kr(), w.c(), role).empty());
}

TEST_CASE("Konfliktråd: screening refuses a case where the offender has not confessed",
          "[workflows][konfliktraad]") {
  auto r = Screen(true, false);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(r.error().message, StartsWith("all_true:"));
  CHECK_THAT(r.error().message, Contains("vaesentlig_tilstaaelse"));
  CHECK_THAT(r.error().message, !Contains("identificerbar_forurettet"));
}

TEST_CASE("Konfliktråd: screening refuses a case without an identifiable victim",
          "[workflows][konfliktraad]") {
  auto r = Screen(false, true);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(r.error().message, StartsWith("all_true:"));
  CHECK_THAT(r.error().message, Contains("identificerbar_forurettet"));

  auto neither = Screen(false, false);
  REQUIRE_FALSE(neither.ok());
  CHECK_THAT(neither.error().message, Contains("identificerbar_forurettet"));
  CHECK_THAT(neither.error().message, Contains("vaesentlig_tilstaaelse"));

  CHECK(Screen(true, true).ok());
}

TEST_CASE("Konfliktråd: rejects consent without both the victim's and the offender's consent",
          "[workflows][konfliktraad]") {
  auto no_offender = RegisterConsents(AdultOffender(), Consents(true, false, false, true));
  REQUIRE_FALSE(no_offender.ok());
  CHECK(no_offender.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(no_offender.error().message, StartsWith("all_true:"));
  CHECK_THAT(no_offender.error().message, Contains("samtykke_gerningsperson"));

  auto no_victim = RegisterConsents(AdultOffender(), Consents(false, true, false, true));
  REQUIRE_FALSE(no_victim.ok());
  CHECK(no_victim.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(no_victim.error().message, Contains("samtykke_offer"));

  auto missing = RegisterConsents(AdultOffender(), {{"samtykke_offer", true}});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
}

TEST_CASE("Konfliktråd: a minor offender needs the custodial parent's consent",
          "[workflows][konfliktraad]") {
  for (std::optional<bool> parent : {std::optional<bool>{}, std::optional<bool>{false}}) {
    auto r = RegisterConsents(MinorOffender(), Consents(true, true, false, parent));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kGuardFailed);
    CHECK_THAT(r.error().message, StartsWith("consent_if_minor:"));
  }
  CHECK(RegisterConsents(MinorOffender(), Consents(true, true, false, true)).ok());
}

TEST_CASE(
    "Konfliktråd: a minor victim needs the custodial parent's consent even when the "
    "offender is an adult",
    "[workflows][konfliktraad]") {
  auto r = RegisterConsents(AdultOffender(), Consents(true, true, true, false));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(r.error().message, StartsWith("consent_if_minor:"));
  CHECK(RegisterConsents(AdultOffender(), Consents(true, true, true, true)).ok());
}

TEST_CASE(
    "Konfliktråd: adult parties need no parent's consent, from the offender's 18th "
    "birthday on",
    "[workflows][konfliktraad]") {
  CHECK(RegisterConsents(AdultOffender(), Consents(true, true, false, std::nullopt)).ok());
  const Subject eighteen_today{"Testung Fiktivsen", Day("2008-11-23")};
  CHECK(RegisterConsents(eighteen_today, Consents(true, true, false, std::nullopt)).ok());
  const Subject eighteen_tomorrow{"Testung Fiktivsen", Day("2008-11-24")};
  auto r = RegisterConsents(eighteen_tomorrow, Consents(true, true, false, std::nullopt));
  REQUIRE_FALSE(r.ok());
  CHECK(RefusedByGuard(r.error(), "consent_if_minor"));
}

TEST_CASE(
    "Konfliktråd: a party withdrawing consent ends the case as afbrudt from every active "
    "state",
    "[workflows][konfliktraad]") {
  const RawWorkflow raw = ReadRaw("konfliktraad");
  int active = 0;
  for (const RawState& state : raw.states) {
    if (state.terminal) continue;
    ++active;
    for (const char* role : {"maegler", "koordinator"}) {
      INFO("state " << state.id << ", role " << role);
      Walk w(Kr(), kForum);
      w.StartFrom(CaseIn(Kr(), kForum, state.id, MinorOffender(), {}));
      w.Fire(role, "traek_samtykke_tilbage",
             {{"part", "forurettet"s}, {"afbrydelsesgrund", "Ønsker ikke at deltage"s}}, Now());
      CHECK(w.c().state == "afbrudt");
      CHECK_FALSE(w.c().due_at.has_value());
      for (const auto& r : DomainRoles()) CHECK(Offered(Kr(), w.c(), r).empty());
    }
  }
  CHECK(active == 7);
}

TEST_CASE("Konfliktråd: a withdrawal must say which party withdraws", "[workflows][konfliktraad]") {
  const Case c = CaseIn(Kr(), kForum, "samtykke", MinorOffender(), {});
  const Actor maegler = As(kForum, "maegler");
  for (const Data& bad : {Data{}, Data{{"part", "naboen"s}}}) {
    auto r = Decide(Kr(), c, maegler, Cmd("traek_samtykke_tilbage", c.version, bad), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidRequest);
    CHECK_THAT(r.error().message, Contains("part"));
  }
  for (const char* part : {"forurettet", "gerningsperson", "foraelder"}) {
    CHECK(Decide(Kr(), c, maegler,
                 Cmd("traek_samtykke_tilbage", c.version, {{"part", std::string(part)}}), Now())
              .ok());
  }
}

TEST_CASE("Konfliktråd: a closed, unsuitable or interrupted case cannot be interrupted again",
          "[workflows][konfliktraad]") {
  for (const char* state : {"afsluttet", "uegnet", "afbrudt"}) {
    INFO(state);
    const Case c = CaseIn(Kr(), kForum, state, MinorOffender(), {});
    auto r = Decide(Kr(), c, As(kForum, "koordinator"),
                    Cmd("traek_samtykke_tilbage", c.version, {{"part", "forurettet"s}}), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidRequest);
  }
}

TEST_CASE(
    "Konfliktråd: the mediator may not screen, the police may not register consents, and "
    "only the coordinator closes",
    "[workflows][konfliktraad]") {
  const Case forslag = CaseIn(Kr(), kForum, "forslag", MinorOffender(), {});
  auto screen = Decide(Kr(), forslag, As(kForum, "maegler"),
                       Cmd("vurder_egnet", forslag.version,
                           {{"identificerbar_forurettet", true}, {"vaesentlig_tilstaaelse", true}}),
                       Now());
  REQUIRE_FALSE(screen.ok());
  CHECK(screen.error().code == ErrorCode::kForbidden);

  const Case egnet = CaseIn(Kr(), kForum, "egnet", MinorOffender(), {});
  auto consent =
      Decide(Kr(), egnet, As(kForum, "forebyggelsesbetjent"),
             Cmd("registrer_samtykke", egnet.version, Consents(true, true, false, true)), Now());
  REQUIRE_FALSE(consent.ok());
  CHECK(consent.error().code == ErrorCode::kForbidden);

  const Case aftale = CaseIn(Kr(), kForum, "aftale_indgaaet", MinorOffender(), {});
  auto close = Decide(
      Kr(), aftale, As(kForum, "maegler"),
      Cmd("afslut_med_aftale", aftale.version, {{"aftale_oversendt_dato", TodayText()}}), Now());
  REQUIRE_FALSE(close.ok());
  CHECK(close.error().code == ErrorCode::kForbidden);
}

TEST_CASE("Konfliktråd: a mediation meeting is planned in the future and recorded in the past",
          "[workflows][konfliktraad]") {
  const Case c = CaseIn(Kr(), kForum, "maegler_tildelt", MinorOffender(), {});
  const Actor maegler = As(kForum, "maegler");
  auto plan = Decide(Kr(), c, maegler,
                     Cmd("planlaeg_moede", c.version, {{"moededato", TodayText()}}), Now());
  REQUIRE_FALSE(plan.ok());
  CHECK(RefusedByGuard(plan.error(), "date_in_future"));
  auto held = Decide(Kr(), c, maegler,
                     Cmd("registrer_moede", c.version, {{"moede_holdt_dato", InDays(1)}}), Now());
  REQUIRE_FALSE(held.ok());
  CHECK(RefusedByGuard(held.error(), "date_not_in_future"));
}

TEST_CASE(
    "Konfliktråd: only forebyggelsesbetjent, socialrådgiver, skole and koordinator may "
    "propose a case",
    "[workflows][konfliktraad]") {
  CheckWhoMayOpen("konfliktraad", MinorOffender(), {{"anmodet_af_part", false}});
}

TEST_CASE(
    "Konfliktråd: in every state each role is offered exactly the rows of "
    "konfliktraad.json, and each row fires or is refused by a named guard",
    "[workflows][konfliktraad]") {
  CheckEveryStateRoleAndRow("konfliktraad", MinorOffender(), {});
}

}  // namespace
}  // namespace samspil
