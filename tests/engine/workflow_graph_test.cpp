// The transition graph (workflow_graph.hpp) that the validator, the generated docs and the
// demo data share: which rows are edges, reachability both ways, and shortest paths.
#include "samspil/workflow_graph.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace samspil {
namespace {

using States = std::set<std::string>;

TransitionDef Row(const std::string& action, std::vector<std::string> from,
                  std::optional<std::string> to) {
  TransitionDef t;
  t.action = action;
  t.label = action;
  t.from = std::move(from);
  t.to = std::move(to);
  t.roles = {"koordinator"};
  return t;
}

// modtaget -> vurdering -> moede -> afsluttet, with a shortcut modtaget -> afsluttet added
// after the long way, a side action, a self-loop row, a row to an unknown state, and an
// island state nothing leads to:
//
//   modtaget --visiter--> vurdering --indkald--> moede --afslut--> afsluttet
//   modtaget --------------------afvis-----------------------> afsluttet
//   vurdering --noter (stays)    moede --udsaet--> moede    moede --tabt--> findes_ikke
//   oe --forlad--> afsluttet
WorkflowDefinition Graph() {
  WorkflowDefinition def;
  def.id = "graf";
  def.states = {StateDef{"modtaget", "Modtaget", true, false, std::nullopt},
                StateDef{"vurdering", "Vurdering", false, false, std::nullopt},
                StateDef{"moede", "Møde", false, false, std::nullopt},
                StateDef{"afsluttet", "Afsluttet", false, true, std::nullopt},
                StateDef{"oe", "Ø", false, false, std::nullopt}};
  def.transitions = {Row("visiter", {"modtaget"}, "vurdering"),
                     Row("indkald", {"vurdering"}, "moede"),
                     Row("afslut", {"moede", "vurdering"}, "afsluttet"),
                     Row("afvis", {"modtaget"}, "afsluttet"),
                     Row("noter", {"vurdering"}, std::nullopt),
                     Row("udsaet", {"moede"}, "moede"),
                     Row("tabt", {"moede"}, "findes_ikke"),
                     Row("forlad", {"oe"}, "afsluttet")};
  return def;
}

std::vector<std::string> Actions(const TransitionPath& path) {
  std::vector<std::string> out;
  for (const TransitionDef* t : path) out.push_back(t->action);
  return out;
}

TEST_CASE("successors are the other known states one moving row leads to", "[graph]") {
  const auto def = Graph();
  CHECK(Successors(def, "modtaget") == States{"vurdering", "afsluttet"});
  // A side action is no edge.
  CHECK(Successors(def, "vurdering") == States{"moede", "afsluttet"});
  // Neither a row back to its own state nor one to an unknown state leads anywhere.
  CHECK(Successors(def, "moede") == States{"afsluttet"});
  CHECK(Successors(def, "afsluttet").empty());
  CHECK(Successors(def, "findes_ikke").empty());
}

TEST_CASE("successors can be limited to some rows", "[graph]") {
  const auto def = Graph();
  const TransitionFilter not_afvis = [](const TransitionDef& t) { return t.action != "afvis"; };
  CHECK(Successors(def, "modtaget", not_afvis) == States{"vurdering"});
}

TEST_CASE("reachable states include the start and follow edges forward", "[graph]") {
  const auto def = Graph();
  CHECK(Reachable(def, {"modtaget"}) == States{"modtaget", "vurdering", "moede", "afsluttet"});
  CHECK(Reachable(def, {"afsluttet"}) == States{"afsluttet"});
  CHECK(Reachable(def, {"oe", "moede"}) == States{"oe", "moede", "afsluttet"});
}

TEST_CASE("reachable backward are the states from which the start can be reached", "[graph]") {
  const auto def = Graph();
  CHECK(Reachable(def, {"afsluttet"}, Direction::kBackward) ==
        States{"afsluttet", "modtaget", "vurdering", "moede", "oe"});
  CHECK(Reachable(def, {"moede"}, Direction::kBackward) ==
        States{"moede", "vurdering", "modtaget"});
}

TEST_CASE("shortest paths reach every reachable state by the fewest rows", "[graph]") {
  const auto def = Graph();
  const auto paths = ShortestPaths(def, "modtaget");
  CHECK(paths.size() == 4);
  CHECK(paths.at("modtaget").empty());
  CHECK(Actions(paths.at("vurdering")) == std::vector<std::string>{"visiter"});
  CHECK(Actions(paths.at("moede")) == std::vector<std::string>{"visiter", "indkald"});
  // The direct row beats the long way round, although the long way's rows come first.
  CHECK(Actions(paths.at("afsluttet")) == std::vector<std::string>{"afvis"});
  CHECK(paths.count("oe") == 0);
  CHECK(paths.count("findes_ikke") == 0);
  // The pointers are the definition's own rows.
  CHECK(paths.at("vurdering").front() == &def.transitions[0]);
}

TEST_CASE("shortest paths take the first row in definition order among equally short ones",
          "[graph]") {
  auto def = Graph();
  def.transitions.push_back(Row("spring", {"modtaget"}, "vurdering"));
  CHECK(Actions(ShortestPaths(def, "modtaget").at("vurdering")) ==
        std::vector<std::string>{"visiter"});
}

TEST_CASE("shortest paths skip the rows a filter leaves out", "[graph]") {
  const auto def = Graph();
  const auto paths =
      ShortestPaths(def, "modtaget", [](const TransitionDef& t) { return t.action != "afvis"; });
  CHECK(Actions(paths.at("afsluttet")) == std::vector<std::string>{"visiter", "afslut"});
}

}  // namespace
}  // namespace samspil
