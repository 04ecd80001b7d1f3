// workflows/ssp.json walked through the pure engine: children and young people under 18
// (docs/domain.md, "ssp"). Every person here is fictional.
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

constexpr const char* kForum = "ssp-herning";

const WorkflowDefinition& Ssp() { return Def("ssp"); }

Subject Fifteen() { return AgedToday(15); }

TEST_CASE(
    "SSP: a referral walks from modtaget through drøftelse, indsats and opfølgning to "
    "afsluttet, each step by its role and with its deadline",
    "[workflows][ssp]") {
  Walk w(Ssp(), kForum);
  w.Open("forebyggelsesbetjent", Fifteen(),
         {{"anledning", "mistanke_om_kriminalitet"s}, {"foraeldre_orienteret", true}}, Now());
  CHECK(w.c().state == "modtaget");
  // Ten hverdage from Monday 23 November: Monday 7 December, same time of day.
  CHECK(w.c().due_at == At("2026-12-07T10:00:00Z"));

  w.Fire("koordinator", "visiter", {{"bekymringsniveau", "2"s}}, At("2026-11-25T12:00:00Z"));
  CHECK(w.c().state == "droeftelse");
  CHECK(w.c().version == 2);
  CHECK(w.c().due_at == At("2026-12-25T12:00:00Z"));  // 30 days

  w.Fire("skole", "planlaeg_moede", {{"moededato", "2026-12-03"s}}, At("2026-11-26T08:00:00Z"));
  CHECK(w.c().state == "droeftelse");
  CHECK(w.c().version == 3);
  CHECK(w.c().state_entered_at == At("2026-11-25T12:00:00Z"));
  CHECK(w.c().due_at == At("2026-12-25T12:00:00Z"));  // a side step keeps the deadline

  w.Fire("socialraadgiver", "registrer_aftaler",
         {{"moede_holdt_dato", "2026-12-03"s},
          {"aftaler", "Fritidsjob undersøges; skolen følger fraværet (fiktivt)"s},
          {"aftale_ansvarlige", "Kommunens ungeteam og skolen"s},
          {"opfoelgningsdato", "2027-02-01"s}},
         At("2026-12-03T14:00:00Z"));
  CHECK(w.c().state == "indsats");
  CHECK(w.c().version == 4);
  CHECK(w.c().due_at == At("2027-03-03T14:00:00Z"));  // 90 days

  w.Fire("skole", "start_opfoelgning", {{"status", "Fraværet er faldet"s}},
         At("2027-02-01T09:00:00Z"));
  CHECK(w.c().state == "opfoelgning");
  CHECK(w.c().version == 5);
  CHECK(w.c().due_at == At("2027-03-03T09:00:00Z"));  // 30 days across February

  w.Fire("koordinator", "afslut", {{"afslutningsgrund", "bekymring_ophoert"s}},
         At("2027-02-10T11:00:00Z"));
  CHECK(w.c().state == "afsluttet");
  CHECK(w.c().version == 6);
  CHECK_FALSE(w.c().due_at.has_value());
  // The history keeps every step and the role it was taken in.
  std::vector<std::string> roles;
  for (const auto& e : w.history()) roles.push_back(e.role);
  CHECK(roles == std::vector<std::string>{"forebyggelsesbetjent", "koordinator", "skole",
                                          "socialraadgiver", "skole", "koordinator"});
  // Data from every step stays on the case.
  CHECK(w.c().data.at("bekymringsniveau") == Value{"2"s});
  CHECK(w.c().data.at("anledning") == Value{"mistanke_om_kriminalitet"s});
  for (const auto& role : DomainRoles()) CHECK(Offered(Ssp(), w.c(), role).empty());
}

TEST_CASE("SSP: opfølgning can continue the indsats or take the case to a new drøftelse",
          "[workflows][ssp]") {
  Walk w(Ssp(), kForum);
  w.StartFrom(CaseIn(Ssp(), kForum, "opfoelgning", Fifteen(), {{"bekymringsniveau", "1"s}},
                     At("2026-11-20T10:00:00Z")));

  w.Fire("forebyggelsesbetjent", "fortsaet_indsats",
         {{"aftaler", "Mentorordning fortsætter"s}, {"opfoelgningsdato", InDays(45)}}, Now());
  CHECK(w.c().state == "indsats");
  CHECK(w.c().due_at == At("2027-02-21T10:00:00Z"));

  w.Fire("socialraadgiver", "start_opfoelgning", {{"status", "Ny bekymring fra skolen"s}},
         At("2027-01-04T10:00:00Z"));
  CHECK(w.c().state == "opfoelgning");
  CHECK(w.c().due_at == At("2027-02-03T10:00:00Z"));

  w.Fire("koordinator", "ny_droeftelse",
         {{"begrundelse", "Ny anmeldelse"s}, {"bekymringsniveau", "3"s}},
         At("2027-01-11T10:00:00Z"));
  CHECK(w.c().state == "droeftelse");
  CHECK(w.c().due_at == At("2027-02-10T10:00:00Z"));
  CHECK(w.c().data.at("bekymringsniveau") == Value{"3"s});  // the latest value wins
}

TEST_CASE("SSP: the modtaget deadline counts ten working days past Christmas and New Year",
          "[workflows][ssp]") {
  Walk w(Ssp(), kForum);
  w.Open("skole", Fifteen(), {}, At("2026-12-17T09:30:00Z"));
  // Fri 18, Mon 21, Tue 22, Wed 23, (24–27 off), Mon 28 .. Thu 31, (1 Jan off), Mon 4, Tue 5.
  CHECK(w.c().due_at == At("2027-01-05T09:30:00Z"));
}

TEST_CASE("SSP: the coordinator rejects a referral at visitation with a reason",
          "[workflows][ssp]") {
  Walk w(Ssp(), kForum);
  w.Open("socialraadgiver", Fifteen(), {}, Now());
  w.Fire("koordinator", "afvis", {{"afvisningsgrund", "Barnet er fraflyttet kommunen"s}},
         At("2026-11-24T10:00:00Z"));
  CHECK(w.c().state == "afvist");
  CHECK_FALSE(w.c().due_at.has_value());
  for (const auto& role : DomainRoles()) CHECK(Offered(Ssp(), w.c(), role).empty());
  auto again = w.Try("koordinator", "visiter", {{"bekymringsniveau", "1"s}}, Now());
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == ErrorCode::kInvalidRequest);
}

TEST_CASE("SSP: rejects a rejection without a reason as an invalid request", "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "modtaget", Fifteen(), {});
  const Actor koordinator = As(kForum, "koordinator");

  auto missing = Decide(Ssp(), c, koordinator, Cmd("afvis", c.version), Now());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(missing.error().message, Contains("afvisningsgrund"));

  auto blank =
      Decide(Ssp(), c, koordinator, Cmd("afvis", c.version, {{"afvisningsgrund", "  "s}}), Now());
  REQUIRE_FALSE(blank.ok());
  CHECK(blank.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(blank.error().message, Contains("afvisningsgrund"));
}

TEST_CASE("SSP: a visitation needs a concern level from 1 to 4", "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "modtaget", Fifteen(), {});
  const Actor koordinator = As(kForum, "koordinator");
  for (const char* level : {"1", "2", "3", "4"}) {
    INFO("level " << level);
    auto ok = Decide(Ssp(), c, koordinator,
                     Cmd("visiter", c.version, {{"bekymringsniveau", std::string(level)}}), Now());
    CHECK(ok.ok());
  }
  for (const Data& bad :
       {Data{}, Data{{"bekymringsniveau", "5"s}}, Data{{"bekymringsniveau", 2.0}}}) {
    auto r = Decide(Ssp(), c, koordinator, Cmd("visiter", c.version, bad), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kInvalidRequest);
    CHECK_THAT(r.error().message, Contains("bekymringsniveau"));
  }
}

TEST_CASE("SSP: refuses to open a case for someone who turns 18 today", "[workflows][ssp]") {
  const Subject eighteen{"Testung Fiktivsen", Day("2008-11-23")};
  auto r =
      Open(Ssp(), kForum, "case_1", As(kForum, "forebyggelsesbetjent"), OpenCmd(eighteen), Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(r.error().message, StartsWith("age_between:"));
  CHECK_THAT(r.error().message, Contains("is 18"));
}

TEST_CASE("SSP: opens a case for someone who turns 18 tomorrow", "[workflows][ssp]") {
  const Subject seventeen{"Testung Fiktivsen", Day("2008-11-24")};
  auto r =
      Open(Ssp(), kForum, "case_1", As(kForum, "forebyggelsesbetjent"), OpenCmd(seventeen), Now());
  REQUIRE(r.ok());
  CHECK(r->opened.state == "modtaget");
}

TEST_CASE("SSP: only forebyggelsesbetjent, socialrådgiver, skole and koordinator may open a case",
          "[workflows][ssp]") {
  CheckWhoMayOpen("ssp", Fifteen(), {{"anledning", "bekymrende_adfaerd"s}});
  for (const char* role : {"psykiatri", "kriminalforsorg", "maegler", "naevn"}) {
    auto r = Open(Ssp(), kForum, "case_1", As(kForum, role), OpenCmd(Fifteen()), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kForbidden);
  }
}

TEST_CASE("SSP: a forebyggelsesbetjent may not visit a case", "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "modtaget", Fifteen(), {});
  for (const char* role : {"forebyggelsesbetjent", "socialraadgiver", "skole"}) {
    INFO(role);
    auto r = Decide(Ssp(), c, As(kForum, role),
                    Cmd("visiter", c.version, {{"bekymringsniveau", "2"s}}), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kForbidden);
    CHECK_THAT(r.error().message, Contains("visiter"));
  }
}

TEST_CASE("SSP: the school may plan the § 115 meeting but not record its agreements",
          "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "droeftelse", Fifteen(), {{"bekymringsniveau", "2"s}});
  const Actor skole = As(kForum, "skole");
  CHECK(Decide(Ssp(), c, skole, Cmd("planlaeg_moede", c.version, {{"moededato", InDays(7)}}), Now())
            .ok());
  auto r = Decide(Ssp(), c, skole,
                  Cmd("registrer_aftaler", c.version,
                      {{"moede_holdt_dato", TodayText()},
                       {"aftaler", "Aftaler"s},
                       {"aftale_ansvarlige", "Skolen"s},
                       {"opfoelgningsdato", InDays(30)}}),
                  Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kForbidden);
}

TEST_CASE("SSP: only the coordinator closes a case", "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "indsats", Fifteen(), {});
  for (const char* role : {"forebyggelsesbetjent", "socialraadgiver", "skole"}) {
    auto r = Decide(Ssp(), c, As(kForum, role),
                    Cmd("afslut", c.version, {{"afslutningsgrund", "fraflyttet"s}}), Now());
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::kForbidden);
  }
}

TEST_CASE("SSP: a member of another forum cannot act on the case", "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "modtaget", Fifteen(), {});
  const Actor outsider = As("ssp-holstebro", "koordinator");
  CHECK(AvailableActions(Ssp(), c, outsider).empty());
  auto r =
      Decide(Ssp(), c, outsider, Cmd("visiter", c.version, {{"bekymringsniveau", "1"s}}), Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kNotFound);
}

TEST_CASE("SSP: a step on a stale version is refused as a conflict", "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "modtaget", Fifteen(), {}, Now(), 3);
  auto r = Decide(Ssp(), c, As(kForum, "koordinator"),
                  Cmd("visiter", 2, {{"bekymringsniveau", "1"s}}), Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kVersionConflict);
}

TEST_CASE(
    "SSP: refers to konfliktråd with the konfliktraad legal basis and opens a linked case "
    "that carries only the subject and the summary",
    "[workflows][ssp][konfliktraad]") {
  Walk w(Ssp(), kForum);
  w.StartFrom(CaseIn(Ssp(), kForum, "droeftelse", Fifteen(),
                     {{"bekymringsniveau", "3"s}, {"uddannelsessted", "Fiktiv Skole"s}},
                     At("2026-11-20T10:00:00Z")));
  const auto due_before = w.c().due_at;
  const Decision& d =
      w.Fire("socialraadgiver", "henvis_konfliktraad",
             {{"konfliktraad_forum", "kr-midtvest"s},
              {"konfliktraad_resume", "Vold mod klassekammerat; har erkendt forholdet (fiktivt)"s}},
             Now());
  CHECK(w.c().state == "droeftelse");
  CHECK(w.c().due_at == due_before);
  REQUIRE(d.referral.has_value());
  CHECK(d.referral->target_forum_id == "kr-midtvest");
  CHECK(d.referral->target_workflow_id == "konfliktraad");
  CHECK(d.referral->legal_basis == "konfliktraad");
  CHECK(d.referral->summary == "Vold mod klassekammerat; har erkendt forholdet (fiktivt)");

  auto linked = OpenReferral(Def("konfliktraad"), *d.referral, w.c(), "case_kr_1",
                             As(kForum, "socialraadgiver"), "socialraadgiver", Now());
  REQUIRE(linked.ok());
  const Case& kr = linked->opened;
  CHECK(kr.forum_id == "kr-midtvest");
  CHECK(kr.workflow_id == "konfliktraad");
  CHECK(kr.state == "forslag");
  CHECK(kr.version == 1);
  CHECK(kr.subject.name == w.c().subject.name);
  CHECK(kr.subject.birth_date == w.c().subject.birth_date);
  CHECK(kr.summary == d.referral->summary);
  CHECK(kr.data.empty());  // nothing of the SSP case's data travels
  CHECK(kr.due_at == At("2026-12-07T10:00:00Z"));
  CHECK(linked->entry.role == "socialraadgiver");
  CHECK_THAT(linked->entry.comment, Contains("konfliktraad"));
  CHECK_THAT(linked->entry.comment, Contains(w.c().id));
}

TEST_CASE("SSP: refers a 13-year-old to UKN with the ukn legal basis", "[workflows][ssp][ukn]") {
  Walk w(Ssp(), kForum);
  w.StartFrom(CaseIn(Ssp(), kForum, "modtaget", AgedToday(13), {}));
  const Decision& d = w.Fire(
      "forebyggelsesbetjent", "henvis_ukn",
      {{"ukn_forum", "ukn-midtvest"s}, {"ukn_resume", "Sigtet for røveri (fiktivt)"s}}, Now());
  CHECK(w.c().state == "modtaget");
  REQUIRE(d.referral.has_value());
  CHECK(d.referral->target_forum_id == "ukn-midtvest");
  CHECK(d.referral->target_workflow_id == "ukn");
  CHECK(d.referral->legal_basis == "ukn");

  auto linked = OpenReferral(Def("ukn"), *d.referral, w.c(), "case_ukn_1",
                             As(kForum, "forebyggelsesbetjent"), "forebyggelsesbetjent", Now());
  REQUIRE(linked.ok());
  CHECK(linked->opened.workflow_id == "ukn");
  CHECK(linked->opened.state == "henvist");
  CHECK(linked->opened.due_at == At("2026-11-30T10:00:00Z"));  // five hverdage
}

TEST_CASE("SSP: the UKN referral is refused for a 9-year-old by its age guard",
          "[workflows][ssp][ukn]") {
  const Case c = CaseIn(Ssp(), kForum, "droeftelse", AgedToday(9), {});
  const Data input{{"ukn_forum", "ukn-midtvest"s}, {"ukn_resume", "Hærværk (fiktivt)"s}};
  auto r = Decide(Ssp(), c, As(kForum, "koordinator"), Cmd("henvis_ukn", c.version, input), Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(r.error().message, StartsWith("age_between:"));

  // The same child on the tenth birthday may be referred.
  const Case ten = CaseIn(Ssp(), kForum, "droeftelse",
                          Subject{"Testbarn Fiktivsen", BirthdayYearsBefore(10)}, {});
  CHECK(Decide(Ssp(), ten, As(kForum, "koordinator"), Cmd("henvis_ukn", ten.version, input), Now())
            .ok());

  // And UKN's own opening guard refuses the linked case, should the referral get that far.
  const Referral referral{"ukn-midtvest", "ukn", "ukn", "Hærværk (fiktivt)"};
  auto linked = OpenReferral(Def("ukn"), referral, c, "case_ukn_1", As(kForum, "koordinator"),
                             "koordinator", Now());
  REQUIRE_FALSE(linked.ok());
  CHECK(linked.error().code == ErrorCode::kGuardFailed);
  CHECK_THAT(linked.error().message, StartsWith("age_between:"));
}

TEST_CASE("SSP: the school may refer to konfliktråd but not to UKN", "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "indsats", AgedToday(13), {});
  const Actor skole = As(kForum, "skole");
  auto ukn = Decide(
      Ssp(), c, skole,
      Cmd("henvis_ukn", c.version, {{"ukn_forum", "ukn-midtvest"s}, {"ukn_resume", "Resumé"s}}),
      Now());
  REQUIRE_FALSE(ukn.ok());
  CHECK(ukn.error().code == ErrorCode::kForbidden);
  auto kr =
      Decide(Ssp(), c, skole,
             Cmd("henvis_konfliktraad", c.version,
                 {{"konfliktraad_forum", "kr-midtvest"s}, {"konfliktraad_resume", "Resumé"s}}),
             Now());
  CHECK(kr.ok());
}

TEST_CASE("SSP: a referral without a summary is refused as an invalid request",
          "[workflows][ssp]") {
  const Case c = CaseIn(Ssp(), kForum, "indsats", Fifteen(), {});
  auto r = Decide(Ssp(), c, As(kForum, "koordinator"),
                  Cmd("henvis_konfliktraad", c.version, {{"konfliktraad_forum", "kr-midtvest"s}}),
                  Now());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::kInvalidRequest);
  CHECK_THAT(r.error().message, Contains("konfliktraad_resume"));
}

TEST_CASE("SSP: recording a sent underretning keeps the state and refuses a date ahead",
          "[workflows][ssp]") {
  Walk w(Ssp(), kForum);
  w.StartFrom(CaseIn(Ssp(), kForum, "indsats", Fifteen(), {}, At("2026-11-02T10:00:00Z")));
  auto ahead = w.Try("skole", "registrer_underretning", {{"underretning_dato", InDays(1)}}, Now());
  REQUIRE_FALSE(ahead.ok());
  CHECK(RefusedByGuard(ahead.error(), "date_not_in_future"));
  const Decision& d = w.Fire(
      "skole", "registrer_underretning",
      {{"underretning_dato", TodayText()}, {"underretning_note", "Sendt til kommunen"s}}, Now());
  CHECK(w.c().state == "indsats");
  CHECK(w.c().state_entered_at == At("2026-11-02T10:00:00Z"));
  CHECK(w.c().due_at == At("2027-01-31T10:00:00Z"));  // still 90 days from entering indsats
  CHECK_FALSE(d.referral.has_value());
}

TEST_CASE(
    "SSP: the deadline scan escalates an overdue case once, a side step keeps the flag and "
    "a new state clears it",
    "[workflows][ssp]") {
  Case c = CaseIn(Ssp(), kForum, "droeftelse", Fifteen(), {}, At("2026-10-20T10:00:00Z"));
  REQUIRE(c.due_at == At("2026-11-19T10:00:00Z"));
  CHECK_FALSE(EscalationFor(c, At("2026-11-19T09:59:59Z")).has_value());
  auto e = EscalationFor(c, Now());
  REQUIRE(e.has_value());
  CHECK(e->action == kEscalateAction);
  CHECK(e->from == "droeftelse");
  CHECK(e->to == "droeftelse");
  CHECK(e->role.empty());
  c.escalated = true;
  CHECK_FALSE(EscalationFor(c, Now()).has_value());

  Walk w(Ssp(), kForum);
  w.StartFrom(c);
  w.Fire("skole", "planlaeg_moede", {{"moededato", InDays(2)}}, Now());
  CHECK(w.c().escalated);
  CHECK(w.c().due_at == At("2026-11-19T10:00:00Z"));
  w.Fire("forebyggelsesbetjent", "registrer_aftaler",
         {{"moede_holdt_dato", TodayText()},
          {"aftaler", "Aftaler (fiktive)"s},
          {"aftale_ansvarlige", "Politiet"s},
          {"opfoelgningsdato", InDays(30)}},
         Now());
  CHECK_FALSE(w.c().escalated);
  CHECK(w.c().due_at == At("2027-02-21T10:00:00Z"));
}

TEST_CASE(
    "SSP: in every state each role is offered exactly the rows of ssp.json, and each row "
    "fires or is refused by a named guard",
    "[workflows][ssp]") {
  CheckEveryStateRoleAndRow("ssp", Fifteen(), {{"anledning", "andet"s}});
}

}  // namespace
}  // namespace samspil
