// Confidential steps (docs/domain.md rule 4: konfliktråd's mediation notes are for the
// mediator and the coordinator): what a member without a confidential role reads.
#include <catch2/catch.hpp>
#include <string>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using namespace std::string_literals;

// TinyWorkflow whose `luk` (field begrundelse) is confidential to koordinator; `behandl`
// records a field `prioritet` that is not.
WorkflowDefinition ConfidentialWorkflow() {
  WorkflowDefinition def = TinyWorkflow();
  def.confidential_roles = {"koordinator"};
  def.transitions[0].fields = {Field("prioritet", FieldType::kString)};
  def.transitions[1].confidential = true;
  return def;
}

HistoryEntry Step(const std::string& action, const std::string& from, const std::string& to,
                  Data data, const std::string& comment) {
  HistoryEntry e;
  e.seq = 2;
  e.action = action;
  e.from = from;
  e.to = to;
  e.actor_id = "usr_koordinator";
  e.role = "koordinator";
  e.at = kNow;
  e.comment = comment;
  e.data = std::move(data);
  return e;
}

TEST_CASE("The confidential workflow of these tests is valid", "[engine][confidential]") {
  CHECK(Validate(ConfidentialWorkflow()).empty());
}

TEST_CASE(
    "A confidential step's comment and input are withheld from a member without a confidential "
    "role",
    "[engine][confidential]") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  const Case c = CaseAt(def, "lukket");
  const HistoryEntry read = AsReadBy(
      def, c, Step("luk", "aktiv", "lukket", {{"begrundelse", "Mæglingen gik godt"s}}, "Notat"),
      ActorIn(kForum, {"forebyggelsesbetjent"}));
  CHECK(read.confidential);
  CHECK(read.withheld);
  CHECK(read.comment.empty());
  CHECK(read.data.empty());
  // That the step happened stays visible.
  CHECK(read.action == "luk");
  CHECK(read.from == "aktiv");
  CHECK(read.to == "lukket");
  CHECK(read.actor_id == "usr_koordinator");
}

TEST_CASE("A member with a confidential role reads a confidential step whole",
          "[engine][confidential]") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  const Case c = CaseAt(def, "lukket");
  const HistoryEntry read = AsReadBy(
      def, c, Step("luk", "aktiv", "lukket", {{"begrundelse", "Mæglingen gik godt"s}}, "Notat"),
      ActorIn(kForum, {"forebyggelsesbetjent", "koordinator"}));
  CHECK(read.confidential);
  CHECK_FALSE(read.withheld);
  CHECK(read.comment == "Notat");
  CHECK(read.data.count("begrundelse") == 1);
}

TEST_CASE("A confidential role held in another forum does not open a case's confidential steps",
          "[engine][confidential]") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  Actor actor = ActorIn(kForum, {"forebyggelsesbetjent"});
  actor.roles_by_forum["ssp_aarhus"].insert("koordinator");
  const HistoryEntry read =
      AsReadBy(def, CaseAt(def, "lukket"), Step("luk", "aktiv", "lukket", {}, "Notat"), actor);
  CHECK(read.withheld);
  CHECK(read.comment.empty());
}

TEST_CASE("A step that is not confidential, the opening and an escalation are read as they are",
          "[engine][confidential]") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  const Case c = CaseAt(def, "aktiv");
  const Actor betjent = ActorIn(kForum, {"forebyggelsesbetjent"});
  for (const auto& [action, from, to] :
       {std::tuple{"behandl"s, "ny"s, "aktiv"s}, std::tuple{std::string(kOpenAction), ""s, "ny"s},
        std::tuple{std::string(kEscalateAction), "aktiv"s, "aktiv"s}}) {
    INFO(action);
    const HistoryEntry read =
        AsReadBy(def, c, Step(action, from, to, {{"prioritet", "hoej"s}}, "Bemærkning"), betjent);
    CHECK_FALSE(read.confidential);
    CHECK_FALSE(read.withheld);
    CHECK(read.comment == "Bemærkning");
    CHECK(read.data.count("prioritet") == 1);
  }
}

TEST_CASE(
    "The case data keeps a confidential step's fields from a member without a confidential role",
    "[engine][confidential]") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  const Data data{{"begrundelse", "Mæglingen gik godt"s}, {"prioritet", "hoej"s}};
  Case withheld = CaseAt(def, "lukket", data);
  WithholdConfidential(def, withheld, ActorIn(kForum, {"forebyggelsesbetjent"}));
  CHECK(withheld.data.count("begrundelse") == 0);
  CHECK(withheld.data.count("prioritet") == 1);

  Case whole = CaseAt(def, "lukket", data);
  WithholdConfidential(def, whole, ActorIn(kForum, {"koordinator"}));
  CHECK(whole.data == data);
}

TEST_CASE("A workflow without confidential steps withholds nothing", "[engine][confidential]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Data data{{"begrundelse", "Flyttet"s}};
  Case c = CaseAt(def, "lukket", data);
  WithholdConfidential(def, c, ActorIn(kForum, {"forebyggelsesbetjent"}));
  CHECK(c.data == data);
  const HistoryEntry read = AsReadBy(def, c, Step("luk", "aktiv", "lukket", data, "Notat"),
                                     ActorIn(kForum, {"forebyggelsesbetjent"}));
  CHECK_FALSE(read.confidential);
  CHECK(read.comment == "Notat");
}

}  // namespace
}  // namespace samspil::test
