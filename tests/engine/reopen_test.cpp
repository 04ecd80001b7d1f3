// Reopening a closed case (docs/domain.md rule 6: closing keeps the history, reopening needs
// a reason).
#include <catch2/catch.hpp>
#include <cstdint>
#include <string>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;

// TinyWorkflow whose closed cases a koordinator may send back to `aktiv`.
WorkflowDefinition ReopeningWorkflow() {
  WorkflowDefinition def = TinyWorkflow();
  def.reopen = ReopenDef{{"koordinator"}, "aktiv", "Genåbn sagen"};
  return def;
}

ReopenCommand ReopenWith(const std::string& reason, std::int64_t expected_version = 4) {
  return ReopenCommand{expected_version, reason};
}

TEST_CASE("The reopening workflow of these tests is valid", "[engine][reopen]") {
  CHECK(Validate(ReopeningWorkflow()).empty());
}

TEST_CASE("Reopen sends a closed case back with a new deadline, its data and a reason kept",
          "[engine][reopen]") {
  const WorkflowDefinition def = ReopeningWorkflow();
  Case closed = CaseAt(def, "lukket", {{"begrundelse", "Flyttet"s}});
  closed.due_at.reset();
  closed.escalated = true;
  auto r = Reopen(def, closed, ActorIn(kForum, {"koordinator"}),
                  ReopenWith("Familien er flyttet tilbage"), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->updated.state == "aktiv");
  CHECK(r->updated.version == 5);
  CHECK(r->updated.state_entered_at == kNow);
  CHECK(r->updated.updated_at == kNow);
  CHECK(Due(r->updated.due_at) == "2026-12-03T14:05:00Z");  // aktiv: 10 days
  CHECK_FALSE(r->updated.escalated);
  CHECK(r->updated.data == closed.data);
  CHECK(r->entry.action == kReopenAction);
  CHECK(r->entry.from == "lukket");
  CHECK(r->entry.to == "aktiv");
  CHECK(r->entry.role == "koordinator");
  CHECK(r->entry.comment == "Familien er flyttet tilbage");
  CHECK_FALSE(r->referral);
}

TEST_CASE("Reopen refuses a stale version first", "[engine][reopen]") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto r = Reopen(def, CaseAt(def, "lukket"), ActorIn("andet_forum", {"koordinator"}),
                  ReopenWith("Ny viden", 3), kNow);
  CHECK(CodeOf(r) == "version_conflict");
}

TEST_CASE("Reopen hides the case from a non-member", "[engine][reopen]") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto r = Reopen(def, CaseAt(def, "lukket"), ActorIn("andet_forum", {"koordinator"}),
                  ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(r) == "not_found");
}

TEST_CASE("Reopen refuses a case that is not closed, and a workflow without reopening",
          "[engine][reopen]") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto open = Reopen(def, CaseAt(def, "aktiv"), ActorIn(kForum, {"koordinator"}),
                     ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(open) == "invalid_request");
  CHECK_THAT(MessageOf(open), Contains("only a closed case"));
  const WorkflowDefinition never = TinyWorkflow();
  auto r = Reopen(never, CaseAt(never, "lukket"), ActorIn(kForum, {"koordinator"}),
                  ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("does not reopen"));
}

TEST_CASE("Reopen forbids a member whose role may not reopen", "[engine][reopen]") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto r = Reopen(def, CaseAt(def, "lukket"), ActorIn(kForum, {"forebyggelsesbetjent"}),
                  ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(r) == "forbidden");
  CHECK_THAT(MessageOf(r), Contains("koordinator"));
}

TEST_CASE("Reopen needs a reason of at most 10000 characters", "[engine][reopen]") {
  const WorkflowDefinition def = ReopeningWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  for (const std::string& blank : {""s, "  \n\t "s}) {
    auto r = Reopen(def, CaseAt(def, "lukket"), koordinator, ReopenWith(blank), kNow);
    CHECK(CodeOf(r) == "invalid_request");
    CHECK_THAT(MessageOf(r), Contains("needs a reason"));
  }
  CHECK(CodeOf(Reopen(def, CaseAt(def, "lukket"), koordinator, ReopenWith(Repeat("x", 10001)),
                      kNow)) == "invalid_request");
  CHECK(CodeOf(Reopen(def, CaseAt(def, "lukket"), koordinator, ReopenWith(Repeat("x", 10000)),
                      kNow)) == "ok");
}

TEST_CASE("MayReopen needs a closed case, a workflow that reopens and a role that may",
          "[engine][reopen]") {
  const WorkflowDefinition def = ReopeningWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  CHECK(MayReopen(def, CaseAt(def, "lukket"), koordinator));
  CHECK_FALSE(MayReopen(def, CaseAt(def, "aktiv"), koordinator));
  CHECK_FALSE(MayReopen(def, CaseAt(def, "lukket"), ActorIn(kForum, {"forebyggelsesbetjent"})));
  CHECK_FALSE(MayReopen(def, CaseAt(def, "lukket"), ActorIn("andet_forum", {"koordinator"})));
  const WorkflowDefinition never = TinyWorkflow();
  CHECK_FALSE(MayReopen(never, CaseAt(never, "lukket"), koordinator));
}

}  // namespace
}  // namespace samspil::test
