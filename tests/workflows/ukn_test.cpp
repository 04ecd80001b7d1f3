// workflows/ukn.json walked through the pure engine: Ungdomskriminalitetsnævnet, ages 10–17
// (lov om bekæmpelse af ungdomskriminalitet; docs/domain.md, "ukn"). Every person here is
// fictional.
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

constexpr const char* kForum = "ukn-midtvest";

const WorkflowDefinition& Ukn() { return Def("ukn"); }

Subject Twelve() { return AgedToday(12); }

Result<Opening> OpenAs(const std::string& role, const Subject& subject, Data data = {}) {
  return Open(Ukn(), kForum, "case_1", As(kForum, role), OpenCmd(subject, std::move(data)), Now());
}

Result<Decision> BoardDecides(const Subject& subject, const std::string& afgoerelse,
                              const std::string& months) {
  const Case c = CaseIn(Ukn(), kForum, "naevnsmoede", subject, {});
  return Decide(
      Ukn(), c, As(kForum, "naevn"),
      Cmd("afgoer", c.version, {{"afgoerelse", afgoerelse}, {"varighed_maaneder", months}}), Now());
}

TEST_CASE(
    "UKN: a police referral of a 12-year-old walks through the municipality's "
    "investigation, the board's meeting and decision, and supervision to ophørt",
    "[workflows][ukn]") {
  Walk w(Ukn(), kForum);
  w.Open("forebyggelsesbetjent", Twelve(),
         {{"henvisningsgrundlag", "politi_10_14"s}, {"forhold", "Sigtet for røveri (fiktivt)"s}},
         Now());
  CHECK(w.c().state == "henvist");
  CHECK(w.c().due_at == At("2026-11-30T10:00:00Z"));  // five hverdage

  w.Fire("socialraadgiver", "paabegynd_undersoegelse", {}, At("2026-11-24T10:00:00Z"));
  CHECK(w.c().state == "undersoegelse");
  CHECK(w.c().due_at == At("2026-12-22T10:00:00Z"));  // four weeks

  w.Fire("socialraadgiver", "send_materiale",
         {{"materiale_sendt_dato", "2026-12-18"s},
          {"indstilling", "Forbedringsforløb med fritidsjob og skolestøtte (fiktivt)"s}},
         At("2026-12-18T12:00:00Z"));
  CHECK(w.c().state == "materiale_sendt");
  // Five hverdage from Friday 18 December: 21, 22, 23, (24–27 off), 28, 29.
  CHECK(w.c().due_at == At("2026-12-29T12:00:00Z"));

  w.Fire("naevn", "beram", {{"naevnsmoede_dato", "2027-01-07"s}}, At("2026-12-21T10:00:00Z"));
  CHECK(w.c().state == "berammet");
  CHECK(w.c().due_at == At("2027-01-11T10:00:00Z"));  // 21 days

  w.Fire("naevn", "afhold_naevnsmoede", {{"naevnsmoede_holdt_dato", "2027-01-07"s}},
         At("2027-01-07T14:00:00Z"));
  CHECK(w.c().state == "naevnsmoede");
  CHECK(w.c().due_at == At("2027-01-14T14:00:00Z"));

  w.Fire("naevn", "afgoer", {{"afgoerelse", "forbedringsforloeb"s}, {"varighed_maaneder", "24"s}},
         At("2027-01-08T10:00:00Z"));
  CHECK(w.c().state == "afgjort");
  CHECK(w.c().due_at == At("2027-01-22T10:00:00Z"));  // ten hverdage

  w.Fire("kriminalforsorg", "paabegynd_tilsyn", {{"tilsyn_start_dato", "2027-01-15"s}},
         At("2027-01-15T10:00:00Z"));
  CHECK(w.c().state == "tilsyn");
  CHECK(w.c().due_at == At("2027-04-16T10:00:00Z"));  // 91 days

  w.Fire("kriminalforsorg", "afhold_statusmoede",
         {{"statusmoede_dato", "2027-04-12"s}, {"status", "Vilkår overholdt"s}},
         At("2027-04-12T10:00:00Z"));
  CHECK(w.c().state == "statusopfoelgning");
  CHECK(w.c().due_at == At("2027-04-26T10:00:00Z"));

  w.Fire("socialraadgiver", "fortsaet_tilsyn", {}, At("2027-04-14T10:00:00Z"));
  CHECK(w.c().state == "tilsyn");
  CHECK(w.c().due_at == At("2027-07-14T10:00:00Z"));

  w.Fire("kriminalforsorg", "ophoer", {{"ophoersgrund", "forloeb_gennemfoert"s}},
         At("2027-07-01T10:00:00Z"));
  CHECK(w.c().state == "ophoert");
  CHECK(w.c().version == 10);
  CHECK_FALSE(w.c().due_at.has_value());
  CHECK(w.c().data.at("afgoerelse") == Value{"forbedringsforloeb"s});
  for (const auto& role : DomainRoles()) CHECK(Offered(Ukn(), w.c(), role).empty());
}

TEST_CASE(
    "UKN: an adjourned case waits seven days for the municipality, which names a new date "
    "and sends the missing information",
    "[workflows][ukn]") {
  Walk w(Ukn(), kForum);
  w.StartFrom(CaseIn(Ukn(), kForum, "naevnsmoede", Twelve(), {}));
  w.Fire("naevn", "udsaet", {{"udsaettelsesgrund", "Mangler skoleudtalelse"s}}, Now());
  CHECK(w.c().state == "udsat");
  CHECK(w.c().due_at == At("2026-11-30T10:00:00Z"));  // seven days

  w.Fire("socialraadgiver", "oplys_ny_frist", {{"forventet_klar_dato", "2026-12-15"s}},
         At("2026-11-30T09:00:00Z"));
  CHECK(w.c().state == "udsat_ny_frist");
  CHECK(w.c().due_at == At("2026-12-30T09:00:00Z"));

  w.Fire("socialraadgiver", "send_supplerende_oplysninger",
         {{"materiale_sendt_dato", "2026-12-15"s}, {"supplerende_oplysninger", "Skoleudtalelse"s}},
         At("2026-12-15T10:00:00Z"));
  CHECK(w.c().state == "materiale_sendt");
  CHECK(w.c().due_at == At("2026-12-22T10:00:00Z"));

  w.Fire("naevn", "beram", {{"naevnsmoede_dato", "2027-01-12"s}}, At("2026-12-16T10:00:00Z"));
  CHECK(w.c().state == "berammet");
  CHECK(w.c().due_at == At("2027-01-06T10:00:00Z"));
}

TEST_CASE("UKN: non-compliance during supervision takes the case back to the board",
          "[workflows][ukn]") {
  Walk w(Ukn(), kForum);
  w.StartFrom(CaseIn(Ukn(), kForum, "tilsyn", Twelve(), {}));
  w.Fire("kriminalforsorg", "anmod_genbehandling",
         {{"genbehandlingsgrund", "manglende_overholdelse"s},
          {"genbehandling_begrundelse", "Udeblevet fra aftaler"s}},
         Now());
  CHECK(w.c().state == "genbehandling");
  CHECK(w.c().due_at == At("2026-12-07T10:00:00Z"));
  w.Fire("naevn", "beram", {{"naevnsmoede_dato", InDays(14)}}, Now());
  CHECK(w.c().state == "berammet");
}

TEST_CASE("UKN: a referral lapses with a reason, never without", "[workflows][ukn]") {
  Walk w(Ukn(), kForum);
  w.Open("forebyggelsesbetjent", Twelve(), {}, Now());
  auto missing = w.Try("forebyggelsesbetjent", "henvisning_bortfalder", {}, Now());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(missing.error().message, Contains("bortfaldsgrund"));
  w.Fire("forebyggelsesbetjent", "henvisning_bortfalder",
         {{"bortfaldsgrund", "Sigtelsen er frafaldet"s}}, Now());
  CHECK(w.c().state == "bortfaldet");
  CHECK_FALSE(w.c().due_at.has_value());
  for (const auto& role : DomainRoles()) CHECK(Offered(Ukn(), w.c(), role).empty());
}

TEST_CASE("UKN: the board opens the court's referral of a convicted 16-year-old",
          "[workflows][ukn]") {
  Walk w(Ukn(), kForum);
  w.Open("naevn", AgedToday(16), {{"henvisningsgrundlag", "ret_15_17"s}}, Now());
  CHECK(w.c().state == "henvist");
}

TEST_CASE("UKN: refuses to open a case for a 9-year-old and opens one on the tenth birthday",
          "[workflows][ukn]") {
  auto nine = OpenAs("forebyggelsesbetjent", AgedToday(9, 1));
  REQUIRE_FALSE(nine.ok());
  CHECK(nine.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(nine.error().message, StartsWith("age_between:"));
  CHECK_THAT(nine.error().message, Contains("is 9"));
  CHECK(
      OpenAs("forebyggelsesbetjent", Subject{"Testbarn Fiktivsen", BirthdayYearsBefore(10)}).ok());
}

TEST_CASE("UKN: refuses to open a case for an 18-year-old and opens one the day before",
          "[workflows][ukn]") {
  auto eighteen = OpenAs("naevn", Subject{"Testung Fiktivsen", BirthdayYearsBefore(18)});
  REQUIRE_FALSE(eighteen.ok());
  CHECK(eighteen.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(eighteen.error().message, StartsWith("age_between:"));
  CHECK_THAT(eighteen.error().message, Contains("is 18"));
  CHECK(
      OpenAs("naevn", Subject{"Testung Fiktivsen", BirthdayYearsBefore(18) + std::chrono::days{1}})
          .ok());
}

TEST_CASE("UKN: only forebyggelsesbetjent and nævn may open a case", "[workflows][ukn]") {
  CheckWhoMayOpen("ukn", Twelve(), {{"henvisningsgrundlag", "politi_10_14"s}});
}

TEST_CASE("UKN: a socialrådgiver may not decide, only the board does", "[workflows][ukn]") {
  const Case c = CaseIn(Ukn(), kForum, "naevnsmoede", Twelve(), {});
  for (const char* role :
       {"socialraadgiver", "koordinator", "kriminalforsorg", "forebyggelsesbetjent"}) {
    INFO(role);
    auto r = Decide(Ukn(), c, As(kForum, role),
                    Cmd("afgoer", c.version, {{"afgoerelse", "ingen_foranstaltning"s}}), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kForbidden);
  }
  CHECK(Decide(Ukn(), c, As(kForum, "naevn"),
               Cmd("afgoer", c.version, {{"afgoerelse", "ingen_foranstaltning"s}}), Now())
            .ok());
}

TEST_CASE(
    "UKN: the investigation is sent by the municipality and supervision is started by "
    "kriminalforsorgen",
    "[workflows][ukn]") {
  const Case undersoegelse = CaseIn(Ukn(), kForum, "undersoegelse", Twelve(), {});
  auto send = Decide(Ukn(), undersoegelse, As(kForum, "naevn"),
                     Cmd("send_materiale", undersoegelse.version,
                         {{"materiale_sendt_dato", TodayText()}, {"indstilling", "Indstilling"s}}),
                     Now());
  REQUIRE_FALSE(send.ok());
  CHECK(send.error().code == ErrorCode::kForbidden);

  const Case afgjort = CaseIn(Ukn(), kForum, "afgjort", Twelve(), {});
  for (const char* role : {"socialraadgiver", "forebyggelsesbetjent", "naevn"}) {
    INFO(role);
    auto r = Decide(Ukn(), afgjort, As(kForum, role),
                    Cmd("paabegynd_tilsyn", afgjort.version, {{"tilsyn_start_dato", TodayText()}}),
                    Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kForbidden);
  }
}

TEST_CASE("UKN: a board meeting is scheduled in the future", "[workflows][ukn]") {
  const Case c = CaseIn(Ukn(), kForum, "materiale_sendt", Twelve(), {});
  auto r = Decide(Ukn(), c, As(kForum, "naevn"),
                  Cmd("beram", c.version, {{"naevnsmoede_dato", TodayText()}}), Now());
  REQUIRE_FALSE(r.ok());
  CHECK(RefusedByGuard(r.error(), "date_in_future"));
}

TEST_CASE(
    "UKN: a forbedringsforløb of a 12-year-old may last up to four years in very special "
    "cases, never longer",
    "[workflows][ukn]") {
  for (const char* months : {"24", "36", "48"}) {
    INFO(months);
    CHECK(BoardDecides(Twelve(), "forbedringsforloeb", months).ok());
  }
  auto sixty = BoardDecides(Twelve(), "forbedringsforloeb", "60");
  REQUIRE_FALSE(sixty.ok());
  CHECK(sixty.error().code == ErrorCode::kInvalidRequest);
}

// docs/domain.md, "ukn": "forbedringsforløb of up to 2 years — up to 4 for 10–14 in very special
// cases". For a 15–17-year-old anything over 24 months breaks that rule.
TEST_CASE("UKN: refuses a forbedringsforløb longer than two years for a 16-year-old",
          "[workflows][ukn]") {
  CHECK(BoardDecides(AgedToday(16), "forbedringsforloeb", "24").ok());
  for (const char* months : {"30", "36", "42", "48"}) {
    INFO(months << " months for a 16-year-old");
    auto r = BoardDecides(AgedToday(16), "forbedringsforloeb", months);
    CHECK_FALSE(r.ok());
  }
}

// docs/domain.md: the forebyggelsesbetjent "opens referrals (... UKN for 10–14-year-olds)", and a
// UKN case is opened by the police for "suspected 10–14-year-olds" or by the board for the
// court's "convicted 15–17-year-olds".
TEST_CASE(
    "UKN: the police refer 10–14-year-olds, a forebyggelsesbetjent may not open a case "
    "for a 15-year-old",
    "[workflows][ukn]") {
  CHECK(OpenAs("forebyggelsesbetjent", AgedToday(14), {{"henvisningsgrundlag", "politi_10_14"s}})
            .ok());
  auto fifteen = OpenAs("forebyggelsesbetjent", AgedToday(15));
  CHECK_FALSE(fifteen.ok());
}

TEST_CASE(
    "UKN: in every state each role is offered exactly the rows of ukn.json, and each row "
    "fires or is refused by a named guard",
    "[workflows][ukn]") {
  CheckEveryStateRoleAndRow("ukn", Twelve(), {{"henvisningsgrundlag", "politi_10_14"s}});
}

}  // namespace
}  // namespace samspil
