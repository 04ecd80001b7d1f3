// Decide, one rule at a time (engine.hpp): start a case in any state, fire one command, and
// check the order in which the engine refuses and what it decides when it accepts. Every rule
// has a case that passes and one that fails; the input's checks are in decide_input_test.cpp.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;

TEST_CASE("The workflows these tests use are valid definitions", "[engine][decide]") {
  for (const auto& def : {TinyWorkflow(), FieldsWorkflow(), MeetingWorkflow(), ReleaseWorkflow(),
                          ReferringWorkflow(), YouthBoardWorkflow()}) {
    INFO(def.id);
    CHECK(Validate(def).empty());
  }
}

// ---- Decide: the order of the checks ---------------------------------------------------

TEST_CASE("Decide refuses a stale version before it looks at the action", "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}), Fire("findes_ikke", 3),
                  kNow);
  CHECK(CodeOf(r) == "version_conflict");
  CHECK_THAT(MessageOf(r), Contains("stale") && Contains("version 4"));
}

TEST_CASE("Decide refuses an expected version ahead of the case as stale", "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r =
      Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}), Fire("behandl", 5), kNow);
  CHECK(CodeOf(r) == "version_conflict");
  CHECK_THAT(MessageOf(r), Contains("stale"));
}

TEST_CASE("Decide refuses an action the workflow does not know, even for a non-member",
          "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn("andet_forum", {"koordinator"}), Fire("slet", 4),
                  kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("unknown action \"slet\""));
}

TEST_CASE("Decide refuses a known action that does not leave the current state",
          "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "aktiv"), ActorIn("andet_forum", {"koordinator"}),
                  Fire("behandl", 4), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("\"behandl\" is not possible in state \"aktiv\""));
}

TEST_CASE("Decide refuses any action in a terminal state", "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "lukket"), ActorIn(kForum, {"koordinator"}),
                  Fire("luk", 4, {{"begrundelse", "igen"s}}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("not possible in state \"lukket\""));
}

TEST_CASE("Decide hides the case from an actor without a role in its forum", "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn("ssp_aarhus", {"koordinator"}),
                  Fire("behandl", 4), kNow);
  CHECK(CodeOf(r) == "not_found");
}

TEST_CASE("Decide forbids an action to a member whose roles the row does not name",
          "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  // The input is bad too: the role is checked first.
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"skole", "forebyggelsesbetjent"}),
                  Fire("luk", 4, {{"ukendt", true}}), kNow);
  CHECK(CodeOf(r) == "forbidden");
  CHECK_THAT(MessageOf(r), Contains("\"luk\"") && Contains("allowed: koordinator"));
}

TEST_CASE("Decide checks the input before the guards", "[engine][decide]") {
  const WorkflowDefinition def = MeetingWorkflow();
  // samtykke_a is absent, so all_true would refuse; the missing field is reported first.
  auto r =
      Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"maegler"}), Fire("hold_moede", 4), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("missing required field \"samtykke_b\""));
}

TEST_CASE("Decide refuses a definition other than the one the case is pinned to",
          "[engine][decide]") {
  WorkflowDefinition def = TinyWorkflow();
  const Case c = CaseAt(def, "ny");
  def.version = 2;
  auto r = Decide(def, c, ActorIn(kForum, {"koordinator"}), Fire("behandl", 4), kNow);
  CHECK(CodeOf(r) == "internal");
  CHECK_THAT(MessageOf(r), Contains("pinned"));
}

// ---- Decide: the result ----------------------------------------------------------------

TEST_CASE("Decide moves the case, bumps the version and starts the new state's deadline",
          "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  Case c = CaseAt(def, "ny", {{"tidligere", "værdi"s}});
  c.escalated = true;
  auto r = Decide(def, c, ActorIn(kForum, {"koordinator"}, "usr_koord"),
                  Fire("behandl", 4, {}, "Sagen tages op"), kNow);
  REQUIRE(CodeOf(r) == "ok");
  const Case& u = r->updated;
  CHECK(u.state == "aktiv");
  CHECK(u.version == 5);
  CHECK(u.updated_at == kNow);
  CHECK(u.state_entered_at == kNow);
  CHECK(Due(u.due_at) == "2026-12-03T14:05:00Z");  // aktiv: 10 days
  CHECK_FALSE(u.escalated);                        // a new state clears the flag
  CHECK(u.data == c.data);
  // unchanged
  CHECK(u.id == c.id);
  CHECK(u.forum_id == c.forum_id);
  CHECK(u.opened_at == c.opened_at);
  CHECK(u.opened_by == c.opened_by);
  CHECK(u.summary == c.summary);
  CHECK(u.subject.name == c.subject.name);
  CHECK_FALSE(r->referral.has_value());
}

TEST_CASE("Decide's history entry records the step", "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r =
      Decide(def, CaseAt(def, "aktiv", {{"tidligere", "værdi"s}}),
             ActorIn(kForum, {"koordinator"}, "usr_koord"),
             Fire("luk", 4, {{"begrundelse", "Forløbet er slut"s}}, "Lukket efter møde"), kNow);
  REQUIRE(CodeOf(r) == "ok");
  const HistoryEntry& e = r->entry;
  CHECK(e.seq == 0);  // the store assigns it
  CHECK(e.action == "luk");
  CHECK(e.from == "aktiv");
  CHECK(e.to == "lukket");
  CHECK(e.actor_id == "usr_koord");
  CHECK(e.role == "koordinator");
  CHECK(e.at == kNow);
  CHECK(e.comment == "Lukket efter møde");
  CHECK(e.data == Data{{"begrundelse", "Forløbet er slut"s}});  // this step's input only
}

TEST_CASE("The acting role is the first of the row's roles that the actor holds",
          "[engine][decide]") {
  const WorkflowDefinition def = MeetingWorkflow();
  // hold_moede names maegler before koordinator; a set of the actor's roles would sort
  // koordinator first.
  auto r = Decide(def, CaseAt(def, "ny", {{"samtykke_a", true}}),
                  ActorIn(kForum, {"koordinator", "maegler"}),
                  Fire("hold_moede", 4, {{"samtykke_b", true}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->entry.role == "maegler");
  auto consent = Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator", "maegler"}),
                        Fire("samtykke_a", 4, {{"samtykke_a", true}}), kNow);
  REQUIRE(CodeOf(consent) == "ok");
  CHECK(consent->entry.role == "koordinator");
}

TEST_CASE("Decide merges the input into the case data, the latest value winning",
          "[engine][decide]") {
  const WorkflowDefinition def = MeetingWorkflow();
  auto r = Decide(def, CaseAt(def, "ny", {{"samtykke_a", false}, {"note", "gammel"s}}),
                  ActorIn(kForum, {"koordinator"}),
                  Fire("samtykke_a", 4, {{"samtykke_a", true}, {"note", std::monostate{}}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  // a null leaves the earlier value in place
  CHECK(r->updated.data == Data{{"samtykke_a", true}, {"note", "gammel"s}});
  CHECK(r->entry.data == Data{{"samtykke_a", true}});

  auto again = Decide(def, r->updated, ActorIn(kForum, {"maegler"}),
                      Fire("hold_moede", 5, {{"samtykke_b", true}, {"note", "ny"s}}), kNow);
  REQUIRE(CodeOf(again) == "ok");
  CHECK(again->updated.data == Data{{"samtykke_a", true}, {"samtykke_b", true}, {"note", "ny"s}});
  CHECK(again->updated.version == 6);
}

TEST_CASE("A stay action keeps the state, its entry time, its deadline and its escalation",
          "[engine][decide]") {
  const WorkflowDefinition def = MeetingWorkflow();
  Case c = CaseAt(def, "ny");
  c.escalated = true;
  auto r = Decide(def, c, ActorIn(kForum, {"koordinator"}),
                  Fire("samtykke_a", 4, {{"samtykke_a", true}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  const Case& u = r->updated;
  CHECK(u.state == "ny");
  CHECK(u.version == 5);
  CHECK(u.updated_at == kNow);
  CHECK(u.state_entered_at == c.state_entered_at);
  CHECK(u.due_at == c.due_at);
  CHECK(Due(u.due_at) == "2026-11-25T09:00:00Z");
  CHECK(u.escalated);
  CHECK(r->entry.from == "ny");
  CHECK(r->entry.to == "ny");
}

TEST_CASE("A stay action that moves the deadline's date recomputes it and clears escalation",
          "[engine][decide]") {
  const WorkflowDefinition def = ReleaseWorkflow();
  Case c = CaseAt(def, "forberedelse", {{"loesladelsesdato", "2027-05-31"s}});
  REQUIRE(Due(c.due_at) == "2027-02-28T23:59:59Z");
  c.escalated = true;
  auto r = Decide(def, c, ActorIn(kForum, {"koordinator"}),
                  Fire("flyt_dato", 4, {{"loesladelsesdato", "2027-09-15"s}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->updated.state == "forberedelse");
  CHECK(r->updated.state_entered_at == c.state_entered_at);
  CHECK(Due(r->updated.due_at) == "2027-06-15T23:59:59Z");
  CHECK_FALSE(r->updated.escalated);
}

TEST_CASE("A stay action that gives the deadline's date its old value keeps the escalation",
          "[engine][decide]") {
  const WorkflowDefinition def = ReleaseWorkflow();
  Case c = CaseAt(def, "forberedelse", {{"loesladelsesdato", "2027-05-31"s}});
  c.escalated = true;
  auto r = Decide(def, c, ActorIn(kForum, {"koordinator"}),
                  Fire("flyt_dato", 4, {{"loesladelsesdato", "2027-05-31"s}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->updated.due_at == c.due_at);
  CHECK(r->updated.escalated);
}

TEST_CASE("A row with several from states can be taken from each of them", "[engine][decide]") {
  const WorkflowDefinition def = TinyWorkflow();
  for (const char* from : {"ny", "aktiv"}) {
    INFO(from);
    auto r = Decide(def, CaseAt(def, from), ActorIn(kForum, {"koordinator"}),
                    Fire("luk", 4, {{"begrundelse", "Slut"s}}), kNow);
    REQUIRE(CodeOf(r) == "ok");
    CHECK(r->updated.state == "lukket");
    CHECK(r->entry.from == from);
    CHECK_FALSE(r->updated.due_at.has_value());  // terminal: no deadline
  }
}

}  // namespace
}  // namespace samspil::test
