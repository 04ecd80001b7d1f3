// AvailableActions: the rows a member may take from a case's current state, which is what a
// client is shown as buttons (docs/api.md, the case's available_actions).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

TEST_CASE("AvailableActions lists the rows from the current state the actor's roles may take",
          "[engine][actions]") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"behandl", "luk"});
  CHECK(Actions(AvailableActions(def, CaseAt(def, "aktiv"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"luk"});
}

TEST_CASE("AvailableActions lists nothing for a role no row names", "[engine][actions]") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK(
      AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"forebyggelsesbetjent"})).empty());
}

TEST_CASE("AvailableActions counts only roles held in the case's forum", "[engine][actions]") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK(AvailableActions(def, CaseAt(def, "ny"), ActorIn("ssp_aarhus", {"koordinator"})).empty());
  Actor both = ActorIn("ssp_aarhus", {"koordinator"});
  both.roles_by_forum[kForum].insert("skole");
  CHECK(AvailableActions(def, CaseAt(def, "ny"), both).empty());
}

TEST_CASE("AvailableActions keeps only the rows whose roles the actor holds", "[engine][actions]") {
  const WorkflowDefinition def = MeetingWorkflow();
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"maegler"}))) ==
        std::vector<std::string>{"samtykke_a", "hold_moede"});
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"samtykke_a", "hold_moede", "luk"});
}

TEST_CASE("AvailableActions follows the definition's order, not the alphabet",
          "[engine][actions]") {
  WorkflowDefinition def = TinyWorkflow();
  std::swap(def.transitions[0], def.transitions[1]);  // luk before behandl
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"luk", "behandl"});
}

TEST_CASE("A terminal state has no available actions", "[engine][actions]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Case closed = CaseAt(def, "lukket");
  CHECK_FALSE(closed.due_at.has_value());
  CHECK(AvailableActions(def, closed, ActorIn(kForum, {"koordinator", "forebyggelsesbetjent"}))
            .empty());
}

}  // namespace
}  // namespace samspil::test
