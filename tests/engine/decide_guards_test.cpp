// The guards as Decide applies them: a refusal names the rule, and a guard sees the case
// data merged with this step's input (the registry itself is in guards_test.cpp).
#include <catch2/catch.hpp>
#include <string>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using Catch::Matchers::Contains;

TEST_CASE("Rejects a meeting without both consents", "[engine][guard]") {
  const WorkflowDefinition def = MeetingWorkflow();
  auto r = Decide(def, CaseAt(def, "ny", {{"samtykke_a", true}}), ActorIn(kForum, {"maegler"}),
                  Fire("hold_moede", 4, {{"samtykke_b", false}}), kNow);
  CHECK(CodeOf(r) == "guard_failed");
  CHECK_THAT(MessageOf(r), Contains("all_true") && Contains("\"samtykke_b\""));
}

TEST_CASE("A guard sees an earlier step's input merged with this step's", "[engine][guard]") {
  const WorkflowDefinition def = MeetingWorkflow();
  auto r = Decide(def, CaseAt(def, "ny", {{"samtykke_a", true}}), ActorIn(kForum, {"maegler"}),
                  Fire("hold_moede", 4, {{"samtykke_b", true}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->updated.state == "holdt");
}

}  // namespace
}  // namespace samspil::test
