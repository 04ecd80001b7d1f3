// Referrals (docs/domain.md rule 1): the action that yields a referral, and OpenReferral,
// which opens the linked case with only the subject and the summary.
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;

TEST_CASE("A referral action yields the referral to carry out", "[engine][referral]") {
  const WorkflowDefinition def = ReferringWorkflow();
  auto r = Decide(
      def, CaseAt(def, "modtaget", {{"bekymring", "Intern note"s}}),
      ActorIn(kForum, {"koordinator"}),
      Fire("henvis_ukn", 4, {{"ukn_forum", "ukn_koebenhavn"s}, {"ukn_resume", "Gentagen vold"s}}),
      kNow);
  REQUIRE(CodeOf(r) == "ok");
  REQUIRE(r->referral.has_value());
  CHECK(r->referral->target_forum_id == "ukn_koebenhavn");
  CHECK(r->referral->target_workflow_id == "ukn");
  CHECK(r->referral->legal_basis == "ukn");
  CHECK(r->referral->summary == "Gentagen vold");
  CHECK(r->updated.state == "modtaget");  // a stay action
}

TEST_CASE("A referral action without its target forum is refused", "[engine][referral]") {
  WorkflowDefinition def = ReferringWorkflow();
  def.transitions[0].fields[0].required = false;
  auto r = Decide(def, CaseAt(def, "modtaget"), ActorIn(kForum, {"koordinator"}),
                  Fire("henvis_ukn", 4, {{"ukn_resume", "Gentagen vold"s}}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("\"ukn_forum\""));
}

TEST_CASE("OpenReferral opens a case with only the subject and the summary", "[engine][referral]") {
  const WorkflowDefinition source = ReferringWorkflow();
  const WorkflowDefinition target = YouthBoardWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"}, "usr_koord");  // not in ukn
  auto d = Decide(
      source, CaseAt(source, "modtaget", {{"bekymring", "Intern note"s}}), koordinator,
      Fire("henvis_ukn", 4, {{"ukn_forum", "ukn_koebenhavn"s}, {"ukn_resume", "Gentagen vold"s}}),
      kNow);
  REQUIRE(CodeOf(d) == "ok");
  REQUIRE(d->referral.has_value());

  auto r =
      OpenReferral(target, *d->referral, d->updated, "case_2", koordinator, d->entry.role, kNow);
  REQUIRE(CodeOf(r) == "ok");
  const Case& c = r->opened;
  CHECK(c.id == "case_2");
  CHECK(c.forum_id == "ukn_koebenhavn");
  CHECK(c.workflow_id == "ukn");
  CHECK(c.workflow_version == 1);
  CHECK(c.state == "modtaget");
  CHECK(c.version == 1);
  CHECK(c.subject.name == "Mikkel Sørensen");
  CHECK(c.subject.birth_date == Day("2010-05-01"));
  CHECK(c.summary == "Gentagen vold");
  CHECK(c.data.empty());  // neither the source's data nor the referral's input
  CHECK(c.opened_by == "usr_koord");
  CHECK(c.opened_at == kNow);
  CHECK(c.state_entered_at == kNow);
  CHECK(Due(c.due_at) == "2026-12-07T14:05:00Z");  // 14 days
  CHECK_FALSE(c.escalated);

  const HistoryEntry& e = r->entry;
  CHECK(e.seq == 1);
  CHECK(e.action == "open");
  CHECK(e.from.empty());
  CHECK(e.to == "modtaget");
  CHECK(e.actor_id == "usr_koord");
  CHECK(e.role == "koordinator");
  CHECK(e.at == kNow);
  CHECK_THAT(e.comment, Contains("case_1") && Contains("ukn"));
  CHECK(e.data.empty());
}

TEST_CASE("OpenReferral applies the target's opening guards", "[engine][referral]") {
  const WorkflowDefinition target = YouthBoardWorkflow();
  const Referral referral{"ukn_koebenhavn", "ukn", "ukn", "Gentagen vold"};
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  for (const char* birth : {"2008-11-23", "2016-11-24"}) {  // 18 today; 9 until tomorrow
    INFO(birth);
    Case source = CaseAt(ReferringWorkflow(), "modtaget");
    source.subject.birth_date = Day(birth);
    auto r = OpenReferral(target, referral, source, "case_2", koordinator, "koordinator", kNow);
    CHECK(CodeOf(r) == "guard_failed");
    CHECK_THAT(MessageOf(r), Contains("age_between"));
  }
  Case ten = CaseAt(ReferringWorkflow(), "modtaget");
  ten.subject.birth_date = Day("2016-11-23");
  CHECK(CodeOf(OpenReferral(target, referral, ten, "case_2", koordinator, "koordinator", kNow)) ==
        "ok");
}

TEST_CASE("OpenReferral refuses a target workflow with required opening fields",
          "[engine][referral]") {
  const WorkflowDefinition target = ReleaseWorkflow();
  const Referral referral{"ksp_koebenhavn", "ksp", "rpl_115_ksp_a", "Løsladelse nærmer sig"};
  auto r = OpenReferral(target, referral, CaseAt(ReferringWorkflow(), "modtaget"), "case_2",
                        ActorIn(kForum, {"koordinator"}), "koordinator", kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("\"loesladelsesdato\"") && Contains("referral"));

  WorkflowDefinition optional = TinyWorkflow();
  optional.open.fields = {Field("journalnummer", FieldType::kString)};
  const Referral to_tiny{"tiny_koebenhavn", "tiny", "samtykke", "Løsladelse nærmer sig"};
  CHECK(CodeOf(OpenReferral(optional, to_tiny, CaseAt(ReferringWorkflow(), "modtaget"), "case_2",
                            ActorIn(kForum, {"koordinator"}), "koordinator", kNow)) == "ok");
}

TEST_CASE("OpenReferral refuses a blank summary", "[engine][referral]") {
  const Referral referral{"ukn_koebenhavn", "ukn", "ukn", "  "};
  auto r = OpenReferral(YouthBoardWorkflow(), referral, CaseAt(ReferringWorkflow(), "modtaget"),
                        "case_2", ActorIn(kForum, {"koordinator"}), "koordinator", kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("summary"));
}

}  // namespace
}  // namespace samspil::test
