// workflows/ssp-plus.json walked through the pure engine: young adults 18–25 (docs/domain.md,
// "ssp-plus"). Every person here is fictional.
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

constexpr const char* kForum = "sspplus-silkeborg";

const WorkflowDefinition& SspPlus() { return Def("ssp-plus"); }

Subject YoungAdult() { return AgedToday(21, 100, "Testung Fiktivsen"); }

Result<Opening> OpenFor(const Subject& subject) {
  return Open(SspPlus(), kForum, "case_1", As(kForum, "forebyggelsesbetjent"), OpenCmd(subject),
              Now());
}

TEST_CASE(
    "SSP+: a referral walks from modtaget through drøftelse, indsats and opfølgning to "
    "afsluttet, each step by its role and with its deadline",
    "[workflows][ssp-plus]") {
  Walk w(SspPlus(), kForum);
  w.Open("kriminalforsorg", YoungAdult(), {{"anledning", "loesladt_eller_under_tilsyn"s}}, Now());
  CHECK(w.c().state == "modtaget");
  CHECK(w.c().due_at == At("2026-12-07T10:00:00Z"));  // ten hverdage

  w.Fire("koordinator", "visiter", {{"bekymringsniveau", "3"s}}, At("2026-11-24T10:00:00Z"));
  CHECK(w.c().state == "droeftelse");
  CHECK(w.c().due_at == At("2026-12-24T10:00:00Z"));

  w.Fire("kriminalforsorg", "registrer_aftaler",
         {{"moede_holdt_dato", "2026-12-10"s},
          {"aftaler", "Jobcenter og mentor (fiktivt)"s},
          {"aftale_ansvarlige", "Jobcentret og kriminalforsorgen"s},
          {"opfoelgningsdato", "2027-03-01"s}},
         At("2026-12-10T10:00:00Z"));
  CHECK(w.c().state == "indsats");
  CHECK(w.c().due_at == At("2027-03-10T10:00:00Z"));  // 90 days

  w.Fire("skole", "start_opfoelgning", {{"status", "I gang med uddannelse"s}},
         At("2027-03-01T10:00:00Z"));
  CHECK(w.c().state == "opfoelgning");
  CHECK(w.c().due_at == At("2027-03-31T10:00:00Z"));

  w.Fire("koordinator", "afslut", {{"afslutningsgrund", "bekymring_ophoert"s}},
         At("2027-03-15T10:00:00Z"));
  CHECK(w.c().state == "afsluttet");
  CHECK(w.c().version == 5);
  CHECK_FALSE(w.c().due_at.has_value());
  for (const auto& role : DomainRoles()) CHECK(Offered(SspPlus(), w.c(), role).empty());
}

TEST_CASE("SSP+: the coordinator rejects a referral with a reason, never without",
          "[workflows][ssp-plus]") {
  Walk w(SspPlus(), kForum);
  w.Open("socialraadgiver", YoungAdult(), {}, Now());
  auto missing = w.Try("koordinator", "afvis", {}, Now());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(missing.error().message, Contains("afvisningsgrund"));
  w.Fire("koordinator", "afvis", {{"afvisningsgrund", "Allerede i SSP-forløb"s}}, Now());
  CHECK(w.c().state == "afvist");
  CHECK_FALSE(w.c().due_at.has_value());
  for (const auto& role : DomainRoles()) CHECK(Offered(SspPlus(), w.c(), role).empty());
}

TEST_CASE(
    "SSP+: refuses to open a case for a 17-year-old who turns 18 tomorrow and opens one "
    "on the 18th birthday",
    "[workflows][ssp-plus]") {
  auto seventeen = OpenFor({"Testung Fiktivsen", BirthdayYearsBefore(18) + std::chrono::days{1}});
  REQUIRE_FALSE(seventeen.ok());
  CHECK(seventeen.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(seventeen.error().message, StartsWith("age_between:"));
  CHECK_THAT(seventeen.error().message, Contains("is 17"));
  CHECK(OpenFor({"Testung Fiktivsen", BirthdayYearsBefore(18)}).ok());
}

TEST_CASE(
    "SSP+: refuses to open a case for someone who turns 26 today and opens one the day "
    "before",
    "[workflows][ssp-plus]") {
  auto twenty_six = OpenFor({"Testung Fiktivsen", BirthdayYearsBefore(26)});
  REQUIRE_FALSE(twenty_six.ok());
  CHECK(twenty_six.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(twenty_six.error().message, StartsWith("age_between:"));
  CHECK_THAT(twenty_six.error().message, Contains("is 26"));
  CHECK(OpenFor({"Testung Fiktivsen", BirthdayYearsBefore(26) + std::chrono::days{1}}).ok());
}

TEST_CASE("SSP+: only the coordinator visits, and the school may not record agreements",
          "[workflows][ssp-plus]") {
  const Case modtaget = CaseIn(SspPlus(), kForum, "modtaget", YoungAdult(), {});
  for (const char* role : {"forebyggelsesbetjent", "kriminalforsorg", "skole"}) {
    INFO(role);
    auto r = Decide(SspPlus(), modtaget, As(kForum, role),
                    Cmd("visiter", modtaget.version, {{"bekymringsniveau", "1"s}}), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kForbidden);
  }
  const Case droeftelse = CaseIn(SspPlus(), kForum, "droeftelse", YoungAdult(), {});
  auto r = Decide(SspPlus(), droeftelse, As(kForum, "skole"),
                  Cmd("registrer_aftaler", droeftelse.version,
                      {{"moede_holdt_dato", TodayText()},
                       {"aftaler", "Aftaler"s},
                       {"aftale_ansvarlige", "Skolen"s},
                       {"opfoelgningsdato", InDays(30)}}),
                  Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kForbidden);
}

TEST_CASE(
    "SSP+: refers to konfliktråd with the konfliktraad legal basis, and offers no UKN "
    "referral for adults",
    "[workflows][ssp-plus][konfliktraad]") {
  Walk w(SspPlus(), kForum);
  w.StartFrom(CaseIn(SspPlus(), kForum, "indsats", YoungAdult(), {}));
  const Decision& d = w.Fire(
      "kriminalforsorg", "henvis_konfliktraad",
      {{"konfliktraad_forum", "kr-midtvest"s}, {"konfliktraad_resume", "Vold i nattelivet"s}},
      Now());
  CHECK(w.c().state == "indsats");
  REQUIRE(d.referral.has_value());
  CHECK(d.referral->target_workflow_id == "konfliktraad");
  CHECK(d.referral->legal_basis == "konfliktraad");
  auto linked = OpenReferral(Def("konfliktraad"), *d.referral, w.c(), "case_kr_2",
                             As(kForum, "kriminalforsorg"), "kriminalforsorg", Now());
  REQUIRE(linked.ok());
  CHECK(linked->opened.state == "forslag");
  CHECK(linked->opened.summary == "Vold i nattelivet");

  auto ukn = w.Try("koordinator", "henvis_ukn",
                   {{"ukn_forum", "ukn-midtvest"s}, {"ukn_resume", "Resumé"s}}, Now());
  REQUIRE_FALSE(ukn.ok());
  CHECK(ukn.error().code == ErrorCode::kInvalidRequest);
}

TEST_CASE(
    "SSP+: only forebyggelsesbetjent, socialrådgiver, skole, kriminalforsorg and "
    "koordinator may open a case",
    "[workflows][ssp-plus]") {
  CheckWhoMayOpen("ssp-plus", YoungAdult(), {{"anledning", "andet"s}});
}

TEST_CASE(
    "SSP+: in every state each role is offered exactly the rows of ssp-plus.json, and each "
    "row fires or is refused by a named guard",
    "[workflows][ssp-plus]") {
  CheckEveryStateRoleAndRow("ssp-plus", YoungAdult(), {{"anledning", "andet"s}});
}

}  // namespace
}  // namespace samspil
