// The JSON side of workflow definitions: strict parsing with file and path in every problem.
#include "samspil/adapters/workflow_loader.hpp"

#include <fstream>

#include "support/store_fixture.hpp"

namespace samspil::test {
namespace {

// A minimal valid definition; tests break one thing at a time.
const char* kValid = R"({
  "id": "mini", "name": "Mini", "version": 1,
  "open": {"roles": ["koordinator"], "fields": [
    {"name": "dato", "type": "date", "label": "Dato", "required": true}]},
  "states": [
    {"id": "ny", "label": "Ny", "initial": true, "deadline": {"workdays": 5}},
    {"id": "frist", "label": "Frist", "deadline": {"from_field": "dato", "offset_months": -3}},
    {"id": "slut", "label": "Slut", "terminal": true}],
  "transitions": [
    {"action": "videre", "label": "Videre", "from": "ny", "to": "frist", "roles": ["koordinator"],
     "guards": [{"name": "date_in_future", "params": {"field": "dato"}}]},
    {"action": "noter", "label": "Notér", "from": ["ny", "frist"], "stay": true,
     "roles": ["koordinator"], "fields": [{"name": "note", "type": "text", "label": "Note"}]},
    {"action": "luk", "label": "Luk", "from": "frist", "to": "slut", "roles": ["koordinator"]}]
})";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  auto pos = text.find(from);
  REQUIRE(pos != std::string::npos);
  return text.replace(pos, from.size(), to);
}

// The problems ParseWorkflow reports for `json`, as "FILE: PATH: message" lines.
std::vector<std::string> Problems(const std::string& json) {
  std::vector<LoadProblem> problems;
  auto def = ParseWorkflow(json, "mini.json", problems);
  CHECK(def.ok() == problems.empty());
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.ToString());
  return out;
}

bool Has(const std::vector<std::string>& problems, const std::string& expected) {
  for (const auto& p : problems) {
    if (p == expected) return true;
  }
  return false;
}

TEST_CASE("a valid definition parses into states, transitions, fields and guards", "[loader]") {
  std::vector<LoadProblem> problems;
  auto def = ParseWorkflow(kValid, "mini.json", problems);
  REQUIRE(problems.empty());
  REQUIRE(def.ok());
  CHECK(def->id == "mini");
  CHECK(def->states.size() == 3);
  CHECK(def->InitialState().id == "ny");
  CHECK(def->states[0].deadline->kind == DeadlineSpec::Kind::kWorkingDays);
  CHECK(def->states[1].deadline->offset_months == -3);
  CHECK(def->transitions[1].from == std::vector<std::string>{"ny", "frist"});
  CHECK_FALSE(def->transitions[1].to.has_value());
  CHECK(def->transitions[0].guards[0].name == "date_in_future");
  CHECK(*AsString(def->transitions[0].guards[0].params.at("field")) == "dato");
  CHECK(def->open.fields[0].required);
}

TEST_CASE("malformed JSON is refused with the file name", "[loader]") {
  auto problems = Problems("{\"id\": \"mini\",");
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].rfind("mini.json: malformed JSON", 0) == 0);
  CHECK(Problems("[1, 2]") == std::vector<std::string>{"mini.json: expected an object"});
}

TEST_CASE("JSON-level mistakes are refused with their path", "[loader]") {
  CHECK(Has(Problems(Replace(kValid, "\"version\": 1", "\"version\": \"1\"")),
            "mini.json: version: expected a whole number"));
  CHECK(Has(Problems(Replace(kValid, "\"name\": \"Mini\", ", "")), "mini.json: name: missing"));
  CHECK(Has(Problems(Replace(kValid, "\"version\": 1", "\"version\": 1, \"colour\": \"red\"")),
            "mini.json: colour: unknown key \"colour\""));
  CHECK(
      Has(Problems(Replace(kValid, "\"label\": \"Slut\"", "\"label\": \"Slut\", \"final\": true")),
          "mini.json: states[2].final: unknown key \"final\""));
  CHECK(Has(Problems(Replace(kValid, "\"initial\": true", "\"initial\": \"yes\"")),
            "mini.json: states[0].initial: expected true or false"));
  CHECK(Has(Problems(Replace(kValid, "\"type\": \"text\"", "\"type\": \"tekst\"")),
            "mini.json: transitions[1].fields[0].type: unknown field type \"tekst\""));
  CHECK(Has(Problems(Replace(kValid, "\"stay\": true", "\"stay\": false")),
            "mini.json: transitions[1].stay: if present, must be true"));
  CHECK(Has(Problems(Replace(kValid, "\"stay\": true", "\"stay\": true, \"to\": \"ny\"")),
            "mini.json: transitions[1]: has both \"to\" and \"stay\""));
  CHECK(Has(Problems(Replace(kValid, "\"to\": \"slut\", ", "")),
            "mini.json: transitions[2]: needs \"to\" or \"stay\": true"));
  CHECK(Has(Problems(Replace(kValid, "{\"workdays\": 5}", "{\"workdays\": 5, \"days\": 2}")),
            "mini.json: states[0].deadline: needs exactly one of \"hours\", \"days\", "
            "\"workdays\", \"from_field\""));
  CHECK(Has(Problems(Replace(kValid, "\"roles\": [\"koordinator\"], \"fields\"",
                             "\"roles\": \"koordinator\", \"fields\"")),
            "mini.json: open.roles: expected a list"));
  CHECK(Has(Problems(Replace(kValid, "{\"field\": \"dato\"}", "{\"field\": {\"x\": 1}}")),
            "mini.json: transitions[0].guards[0].params: transitions[0].guards[0].params.field: "
            "expected null, a boolean, a number, a string or a list of strings"));
}

TEST_CASE("an enum's option labels are read, and must be strings", "[loader]") {
  const std::string field =
      R"({"name": "udfald", "type": "enum", "label": "Udfald", "options": ["aftale", "ingen"],
          "option_labels": {"aftale": "Aftale indgået"}})";
  const std::string with_enum =
      Replace(kValid, R"("fields": [{"name": "note", "type": "text", "label": "Note"}])",
              "\"fields\": [" + field + "]");
  std::vector<LoadProblem> problems;
  auto def = ParseWorkflow(with_enum, "mini.json", problems);
  REQUIRE(problems.empty());
  const FieldSpec& udfald = def->transitions[1].fields[0];
  CHECK(udfald.option_labels == std::map<std::string, std::string>{{"aftale", "Aftale indgået"}});
  CHECK(Has(Problems(Replace(with_enum, R"("Aftale indgået")", "1")),
            "mini.json: transitions[1].fields[0].option_labels.aftale: expected a string"));
  CHECK(Has(Problems(Replace(with_enum, R"("option_labels": {"aftale")", R"("option_labels": {"aftal")")),
            "mini.json: transitions[1].fields[0].option_labels.aftal: not one of the options"));
}

TEST_CASE("confidential steps and their readers are read, and must have JSON's types", "[loader]") {
  const std::string confidential =
      Replace(Replace(kValid, R"("id": "mini", "name": "Mini", "version": 1,)",
                      R"("id": "mini", "name": "Mini", "version": 1, "confidential_roles": ["koordinator"],)"),
              R"("stay": true,)", R"("stay": true, "confidential": true,)");
  std::vector<LoadProblem> problems;
  auto def = ParseWorkflow(confidential, "mini.json", problems);
  REQUIRE(problems.empty());
  CHECK(def->confidential_roles == std::vector<std::string>{"koordinator"});
  CHECK_FALSE(def->transitions[0].confidential);
  CHECK(def->transitions[1].confidential);
  CHECK(Has(Problems(Replace(confidential, R"("confidential": true)", R"("confidential": "ja")")),
            "mini.json: transitions[1].confidential: expected true or false"));
  CHECK(Has(Problems(Replace(confidential, R"(["koordinator"],)", R"("koordinator",)")),
            "mini.json: confidential_roles: expected a list"));
  CHECK(Has(Problems(Replace(confidential, R"("confidential": true,)", "")),
            "mini.json: confidential_roles: no transition is confidential"));
}

TEST_CASE("a reopen block is read, and its keys checked", "[loader]") {
  const std::string reopening =
      Replace(kValid, R"("id": "mini", "name": "Mini", "version": 1,)",
              R"("id": "mini", "name": "Mini", "version": 1,
                 "reopen": {"roles": ["koordinator"], "to": "ny", "label": "Genåbn sagen"},)");
  std::vector<LoadProblem> problems;
  auto def = ParseWorkflow(reopening, "mini.json", problems);
  REQUIRE(problems.empty());
  REQUIRE(def->reopen);
  CHECK(def->reopen->roles == std::vector<std::string>{"koordinator"});
  CHECK(def->reopen->to == "ny");
  CHECK(def->reopen->label == "Genåbn sagen");
  CHECK(Has(Problems(Replace(reopening, R"("label": "Genåbn sagen")", R"("lable": "Genåbn sagen")")),
            "mini.json: reopen.lable: unknown key \"lable\""));
  CHECK(Has(Problems(Replace(reopening, R"("to": "ny")", R"("to": "slut")")),
            "mini.json: reopen.to: a reopened case must go to an open state, not terminal \"slut\""));
}

TEST_CASE("semantic rules are reported with the file and the path", "[loader]") {
  CHECK(Problems(Replace(kValid, "\"to\": \"slut\"", "\"to\": \"slutt\"")) ==
        std::vector<std::string>{"mini.json: transitions[2].to: unknown state \"slutt\""});
  CHECK(Has(Problems(Replace(kValid, "\"roles\": [\"koordinator\"]}]", "\"roles\": [\"chef\"]}]")),
            "mini.json: transitions[2].roles[0]: unknown role \"chef\""));
}

TEST_CASE("a directory is loaded in name order, and file names must match ids", "[loader]") {
  TempDir dir;
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.path() / name) << text;
  };
  write("mini.json", kValid);
  write("andet.json", kValid);  // id "mini" in andet.json
  write("brudt.json", Replace(kValid, "\"to\": \"slut\"", "\"to\": \"x\""));
  write("noter.txt", "not a workflow");  // ignored
  LoadedWorkflows loaded = LoadWorkflowDir(dir.path());
  CHECK(loaded.by_id.size() == 1);
  CHECK(loaded.by_id.count("mini") == 1);
  CHECK(loaded.source_by_id.at("mini") == kValid);
  std::vector<std::string> problems;
  for (const auto& p : loaded.problems) problems.push_back(p.ToString());
  CHECK(problems ==
        std::vector<std::string>{"andet.json: id: \"mini\" does not match the file name",
                                 "brudt.json: transitions[2].to: unknown state \"x\""});
}

TEST_CASE("an empty or missing directory is a problem, not an empty success", "[loader]") {
  TempDir dir;
  CHECK(LoadWorkflowDir(dir.path()).problems.size() == 1);
  auto missing = LoadWorkflowDir(dir.path() / "nope");
  REQUIRE(missing.problems.size() == 1);
  CHECK(missing.problems[0].message == "not a directory");
}

TEST_CASE("every shipped workflow loads without a problem", "[loader]") {
  LoadedWorkflows loaded = LoadWorkflowDir(SAMSPIL_WORKFLOWS_DIR);
  for (const auto& p : loaded.problems) FAIL(p.ToString());
  for (const char* id : {"ssp", "psp", "ksp", "konfliktraad", "ukn"}) {
    INFO(id);
    CHECK(loaded.by_id.count(id) == 1);
  }
}

}  // namespace
}  // namespace samspil::test
