// workflows/ksp.json walked through the pure engine: people released from prison
// (retsplejeloven § 115, stk. 1, nr. 3; docs/domain.md, "ksp"). Every person here is fictional.
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

constexpr const char* kForum = "ksp-viborg";

const WorkflowDefinition& Ksp() { return Def("ksp"); }

Subject Inmate() { return AgedToday(34, 100, "Testperson Fiktivsen"); }

Data Basis(const std::string& release_date) {
  return {{"ksp_grundlag", "b"s}, {"loesladelsesdato", release_date}};
}

TEST_CASE(
    "KSP: a case walks from indsættelse through handleplan, koordinering, "
    "løsladelsesmøde and release to afsluttet, with deadlines from the release date",
    "[workflows][ksp]") {
  Walk w(Ksp(), kForum);
  w.Open("kriminalforsorg", Inmate(),
         {{"ksp_grundlag", "b"s},
          {"loesladelsesdato", "2027-09-15"s},
          {"institution", "Fiktivt Fængsel"s},
          {"bopaelskommune", "Viborg"s}},
         Now());
  CHECK(w.c().state == "indsat_meddelt");
  CHECK(w.c().due_at == At("2026-11-30T10:00:00Z"));  // five hverdage

  w.Fire("kriminalforsorg", "paabegynd_handleplan", {}, At("2026-11-25T09:00:00Z"));
  CHECK(w.c().state == "handleplan");
  CHECK(w.c().due_at == At("2026-12-23T09:00:00Z"));  // four weeks

  w.Fire("kriminalforsorg", "handleplan_udarbejdet",
         {{"handleplan_dato", "2026-12-10"s},
          {"handleplan_resume", "Bolig via kommunen, behandling for misbrug (fiktivt)"s}},
         At("2026-12-10T13:00:00Z"));
  CHECK(w.c().state == "koordinering");
  CHECK(w.c().due_at == At("2027-01-07T13:00:00Z"));  // four weeks

  w.Fire("socialraadgiver", "kommune_kontaktet", {{"kommune_kontakt_dato", "2027-01-05"s}},
         At("2027-01-05T08:00:00Z"));
  CHECK(w.c().state == "loesladelsesmoede");
  // Three months before the release date, at the end of that day.
  CHECK(w.c().due_at == At("2027-06-15T23:59:59Z"));

  w.Fire("kriminalforsorg", "flyt_loesladelsesdato",
         {{"loesladelsesdato", "2027-11-30"s},
          {"flytning_begrundelse", "Prøveløsladelse nægtet (fiktivt)"s}},
         At("2027-02-01T10:00:00Z"));
  CHECK(w.c().state == "loesladelsesmoede");
  CHECK(w.c().state_entered_at == At("2027-01-05T08:00:00Z"));
  CHECK(w.c().due_at == At("2027-08-30T23:59:59Z"));  // recomputed from the new date

  w.Fire("kriminalforsorg", "loesladelsesmoede_holdt",
         {{"moededato", "2027-08-20"s}, {"aftaler", "Bolig, jobcenter og netværk på plads"s}},
         At("2027-08-20T10:00:00Z"));
  CHECK(w.c().state == "klar_til_loesladelse");
  CHECK(w.c().due_at == At("2027-12-01T23:59:59Z"));  // the day after the release date

  w.Fire("kriminalforsorg", "registrer_loesladelse",
         {{"faktisk_loesladelsesdato", "2027-11-30"s}, {"loesladelsesform", "proeveloesladelse"s}},
         At("2027-11-30T08:00:00Z"));
  CHECK(w.c().state == "loesladt");
  CHECK(w.c().due_at == At("2027-12-07T08:00:00Z"));  // five hverdage from Tuesday

  w.Fire("socialraadgiver", "start_opfoelgning", {{"status", "Bor i egen lejlighed"s}},
         At("2027-12-03T10:00:00Z"));
  CHECK(w.c().state == "opfoelgning");
  CHECK(w.c().due_at == At("2028-03-02T10:00:00Z"));  // 90 days, across 29 February 2028

  w.Fire("koordinator", "afslut", {{"afslutningsgrund", "opfoelgning_gennemfoert"s}},
         At("2028-02-28T10:00:00Z"));
  CHECK(w.c().state == "afsluttet");
  CHECK(w.c().version == 9);
  CHECK_FALSE(w.c().due_at.has_value());
  CHECK(w.c().data.at("loesladelsesdato") == Value{"2027-11-30"s});
  for (const auto& role : DomainRoles()) CHECK(Offered(Ksp(), w.c(), role).empty());
}

TEST_CASE(
    "KSP: a release date moved to 31 May gives a løsladelsesmøde deadline on the last day "
    "of February",
    "[workflows][ksp]") {
  Walk w(Ksp(), kForum);
  w.StartFrom(CaseIn(Ksp(), kForum, "loesladelsesmoede", Inmate(), Basis("2027-09-15")));
  REQUIRE(w.c().due_at == At("2027-06-15T23:59:59Z"));
  w.Fire("koordinator", "flyt_loesladelsesdato",
         {{"loesladelsesdato", "2027-05-31"s}, {"flytning_begrundelse", "Ny beregning"s}}, Now());
  CHECK(w.c().due_at == At("2027-02-28T23:59:59Z"));
}

TEST_CASE("KSP: moving the release date in a state with a fixed deadline keeps that deadline",
          "[workflows][ksp]") {
  Walk w(Ksp(), kForum);
  w.StartFrom(CaseIn(Ksp(), kForum, "handleplan", Inmate(), Basis("2027-09-15"),
                     At("2026-11-20T10:00:00Z")));
  REQUIRE(w.c().due_at == At("2026-12-18T10:00:00Z"));
  w.Fire("kriminalforsorg", "flyt_loesladelsesdato",
         {{"loesladelsesdato", "2028-01-10"s}, {"flytning_begrundelse", "Ny dom"s}}, Now());
  CHECK(w.c().state == "handleplan");
  CHECK(w.c().due_at == At("2026-12-18T10:00:00Z"));
  // ... and the new date governs the løsladelsesmøde once the case gets there.
  w.Fire("kriminalforsorg", "handleplan_udarbejdet",
         {{"handleplan_dato", TodayText()}, {"handleplan_resume", "Handleplan"s}}, Now());
  w.Fire("kriminalforsorg", "kommune_kontaktet", {{"kommune_kontakt_dato", TodayText()}}, Now());
  CHECK(w.c().due_at == At("2027-10-10T23:59:59Z"));
}

TEST_CASE("KSP: a moved release date opens a new deadline window and clears the escalation",
          "[workflows][ksp]") {
  Case c = CaseIn(Ksp(), kForum, "loesladelsesmoede", Inmate(), Basis("2027-01-10"));
  REQUIRE(c.due_at == At("2026-10-10T23:59:59Z"));
  REQUIRE(EscalationFor(c, Now()).has_value());
  c.escalated = true;
  Walk w(Ksp(), kForum);
  w.StartFrom(c);
  w.Fire("kriminalforsorg", "flyt_loesladelsesdato",
         {{"loesladelsesdato", "2027-06-30"s}, {"flytning_begrundelse", "Prøveløsladelse nægtet"s}},
         Now());
  CHECK(w.c().due_at == At("2027-03-30T23:59:59Z"));
  CHECK_FALSE(w.c().escalated);
  CHECK_FALSE(EscalationFor(w.c(), Now()).has_value());
}

TEST_CASE("KSP: the release date cannot be moved to today or earlier", "[workflows][ksp]") {
  const Case c = CaseIn(Ksp(), kForum, "koordinering", Inmate(), Basis("2027-09-15"));
  for (const std::string& date : {TodayText(), InDays(-1)}) {
    INFO(date);
    auto r = Decide(Ksp(), c, As(kForum, "kriminalforsorg"),
                    Cmd("flyt_loesladelsesdato", c.version,
                        {{"loesladelsesdato", date}, {"flytning_begrundelse", "Fejl"s}}),
                    Now());
    REQUIRE_FALSE(r.ok());
    CHECK(RefusedByGuard(r.error(), "date_in_future"));
  }
}

TEST_CASE("KSP: a short sentence may go straight to release, and the deadline skips Easter",
          "[workflows][ksp]") {
  Walk w(Ksp(), kForum);
  w.StartFrom(CaseIn(Ksp(), kForum, "indsat_meddelt", Inmate(), Basis("2027-04-01"),
                     At("2027-03-22T10:00:00Z")));
  w.Fire("kriminalforsorg", "registrer_loesladelse",
         {{"faktisk_loesladelsesdato", "2027-03-24"s}, {"loesladelsesform", "fuld_tid"s}},
         At("2027-03-24T10:00:00Z"));
  CHECK(w.c().state == "loesladt");
  // Wednesday 24 March 2027; skærtorsdag, langfredag and 2. påskedag are not hverdage.
  CHECK(w.c().due_at == At("2027-04-05T10:00:00Z"));
}

TEST_CASE("KSP: refuses to open a case without its § 115 basis as an invalid request",
          "[workflows][ksp]") {
  const Actor kf = As(kForum, "kriminalforsorg");
  auto missing = Open(Ksp(), kForum, "case_1", kf,
                      OpenCmd(Inmate(), {{"loesladelsesdato", InDays(200)}}), Now());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(missing.error().message, Contains("ksp_grundlag"));

  auto other =
      Open(Ksp(), kForum, "case_1", kf,
           OpenCmd(Inmate(), {{"ksp_grundlag", "d"s}, {"loesladelsesdato", InDays(200)}}), Now());
  REQUIRE_FALSE(other.ok());
  CHECK(other.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(other.error().message, Contains("ksp_grundlag"));

  for (const char* basis : {"a", "b", "c"}) {
    INFO(basis);
    CHECK(Open(Ksp(), kForum, "case_1", kf,
               OpenCmd(Inmate(),
                       {{"ksp_grundlag", std::string(basis)}, {"loesladelsesdato", InDays(200)}}),
               Now())
              .ok());
  }
}

TEST_CASE("KSP: refuses to open a case without a release date", "[workflows][ksp]") {
  auto r = Open(Ksp(), kForum, "case_1", As(kForum, "koordinator"),
                OpenCmd(Inmate(), {{"ksp_grundlag", "a"s}}), Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(r.error().message, Contains("loesladelsesdato"));
}

TEST_CASE("KSP: refuses to open a case whose release date is today or in the past",
          "[workflows][ksp]") {
  for (const std::string& date : {InDays(-1), TodayText()}) {
    INFO(date);
    auto r = Open(Ksp(), kForum, "case_1", As(kForum, "kriminalforsorg"),
                  OpenCmd(Inmate(), Basis(date)), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kGuardFailed);
    CHECK_THAT(r.error().message, StartsWith("date_in_future:"));
  }
  CHECK(Open(Ksp(), kForum, "case_1", As(kForum, "kriminalforsorg"),
             OpenCmd(Inmate(), Basis(InDays(1))), Now())
            .ok());
}

TEST_CASE("KSP: only kriminalforsorg and koordinator may open a case", "[workflows][ksp]") {
  CheckWhoMayOpen("ksp", Inmate(), Basis("2027-09-15"));
}

TEST_CASE("KSP: the municipality may not move the release date, and only the coordinator closes",
          "[workflows][ksp]") {
  const Case c = CaseIn(Ksp(), kForum, "koordinering", Inmate(), Basis("2027-09-15"));
  auto move = Decide(Ksp(), c, As(kForum, "socialraadgiver"),
                     Cmd("flyt_loesladelsesdato", c.version,
                         {{"loesladelsesdato", InDays(300)}, {"flytning_begrundelse", "Ny dom"s}}),
                     Now());
  REQUIRE_FALSE(move.ok());
  CHECK(move.error().code == ErrorCode::kForbidden);
  auto close = Decide(Ksp(), c, As(kForum, "kriminalforsorg"),
                      Cmd("afslut", c.version, {{"afslutningsgrund", "udvist"s}}), Now());
  REQUIRE_FALSE(close.ok());
  CHECK(close.error().code == ErrorCode::kForbidden);
}

TEST_CASE("KSP: the release date cannot be moved after release", "[workflows][ksp]") {
  const Case c = CaseIn(Ksp(), kForum, "loesladt", Inmate(), Basis("2027-09-15"));
  auto r = Decide(Ksp(), c, As(kForum, "kriminalforsorg"),
                  Cmd("flyt_loesladelsesdato", c.version,
                      {{"loesladelsesdato", InDays(300)}, {"flytning_begrundelse", "Ny dom"s}}),
                  Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kInvalidRequest);
}

TEST_CASE(
    "KSP: in every state each role is offered exactly the rows of ksp.json, and each row "
    "fires or is refused by a named guard",
    "[workflows][ksp]") {
  CheckEveryStateRoleAndRow("ksp", Inmate(), Basis("2027-09-15"));
}

}  // namespace
}  // namespace samspil
