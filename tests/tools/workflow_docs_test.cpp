// docs/workflows/ is generated from workflows/ (style.md: a state machine is documented from
// its data). These tests keep the committed pages equal to the generator's output, and check
// that the output says what the data says.
#include "samspil/tools/workflow_docs.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "samspil/adapters/workflow_loader.hpp"

namespace samspil {
namespace {

const std::filesystem::path kDocsDir =
    (std::filesystem::path(SAMSPIL_WORKFLOWS_DIR) / ".." / "docs" / "workflows").lexically_normal();

std::optional<std::string> ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

LoadedWorkflows LoadShipped() {
  LoadedWorkflows loaded = LoadWorkflowDir(SAMSPIL_WORKFLOWS_DIR);
  for (const auto& p : loaded.problems) UNSCOPED_INFO(p.ToString());
  REQUIRE(loaded.problems.empty());
  REQUIRE_FALSE(loaded.by_id.empty());
  return loaded;
}

// The first line where two texts differ, to say where a page drifted.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream sa(a), sb(b);
  std::string la, lb;
  for (int line = 1;; ++line) {
    const bool more_a = static_cast<bool>(std::getline(sa, la));
    const bool more_b = static_cast<bool>(std::getline(sb, lb));
    if (!more_a && !more_b) return "texts differ only in the final newline";
    if (!more_a || !more_b || la != lb) {
      return "line " + std::to_string(line) + ":\n  committed: " + (more_a ? la : "<end>") +
             "\n  generated: " + (more_b ? lb : "<end>");
    }
  }
}

TEST_CASE("every committed workflow page equals the page generated from its JSON", "[docs]") {
  const LoadedWorkflows loaded = LoadShipped();
  for (const auto& [id, def] : loaded.by_id) {
    const auto path = kDocsDir / (id + ".md");
    const auto committed = ReadFile(path);
    if (!committed) {
      FAIL_CHECK(path.string() << " is missing: run scripts/gen-workflow-docs");
      continue;
    }
    const std::string generated = WorkflowMarkdown(def);
    // A bool, not the strings: Catch would print both pages whole.
    const bool up_to_date = *committed == generated;
    INFO(path.string() << " is out of date with workflows/" << id
                       << ".json: run scripts/gen-workflow-docs and commit the result; first "
                       << FirstDifference(*committed, generated));
    CHECK(up_to_date);
  }
}

TEST_CASE("the workflow index lists and links every workflow and nothing else", "[docs]") {
  const LoadedWorkflows loaded = LoadShipped();
  const auto index = ReadFile(kDocsDir / "README.md");
  if (!index) FAIL("docs/workflows/README.md is missing: run scripts/gen-workflow-docs");
  for (const auto& [id, def] : loaded.by_id) {
    INFO("the index does not link " << id << ": run scripts/gen-workflow-docs");
    CHECK_THAT(*index, Catch::Matchers::Contains("[`" + id + "`](" + id + ".md)"));
  }
  const std::string generated = WorkflowIndexMarkdown(loaded.by_id);
  const bool up_to_date = *index == generated;
  INFO("docs/workflows/README.md is out of date: run scripts/gen-workflow-docs; first "
       << FirstDifference(*index, generated));
  CHECK(up_to_date);
}

TEST_CASE("docs/workflows holds no page for a workflow that does not exist", "[docs]") {
  // A page left behind by a removed workflow would document a process that no longer runs.
  const LoadedWorkflows loaded = LoadShipped();
  for (const auto& entry : std::filesystem::directory_iterator(kDocsDir)) {
    const auto name = entry.path().filename();
    if (name == "README.md") continue;
    INFO("docs/workflows/" << name.string() << " has no workflows/*.json: run "
                           << "scripts/gen-workflow-docs");
    CHECK(entry.path().extension() == ".md");
    CHECK(loaded.by_id.count(entry.path().stem().string()) == 1);
  }
}

// A small definition with each feature the page must render: a multi-`from` edge, a side
// action, a referral, each kind of deadline, and a `|` and a `:` in labels.
constexpr const char* kSmallWorkflow = R"json({
  "id": "lille",
  "name": "Lille forløb",
  "version": 3,
  "open": {
    "roles": ["koordinator"],
    "fields": [
      {"name": "loesladelsesdato", "type": "date", "label": "Løsladelsesdato", "required": true}
    ],
    "guards": [{"name": "age_between", "params": {"min": 10, "max": 17}}]
  },
  "states": [
    {"id": "modtaget", "label": "Modtaget", "initial": true, "deadline": {"workdays": 10}},
    {"id": "moede", "label": "Møde | aftaler", "deadline": {"hours": 48}},
    {"id": "venter", "label": "Venter",
     "deadline": {"from_field": "loesladelsesdato", "offset_months": -3, "offset_days": 0}},
    {"id": "afsluttet", "label": "Afsluttet", "terminal": true}
  ],
  "transitions": [
    {"action": "visiter", "label": "Visitér", "from": "modtaget", "to": "moede",
     "roles": ["koordinator"]},
    {"action": "vent", "label": "Afvent: løsladelse", "from": "moede", "to": "venter",
     "roles": ["koordinator"]},
    {"action": "afslut", "label": "Afslut sagen", "from": ["moede", "venter"],
     "to": "afsluttet", "roles": ["koordinator"],
     "fields": [{"name": "grund", "type": "enum", "label": "Årsag", "required": true,
                 "options": ["faerdig", "andet"]}]},
    {"action": "henvis_konfliktraad", "label": "Henvis til konfliktråd",
     "from": ["modtaget", "moede"], "stay": true, "roles": ["koordinator"],
     "fields": [
       {"name": "kr_forum", "type": "forum", "label": "Konfliktråd", "required": true,
        "workflow": "konfliktraad"},
       {"name": "kr_resume", "type": "text", "label": "Resumé", "required": true}
     ],
     "referral": {"forum_field": "kr_forum", "summary_field": "kr_resume",
                  "legal_basis": "konfliktraad"}}
  ]
})json";

WorkflowDefinition SmallWorkflow() {
  std::vector<LoadProblem> problems;
  auto def = ParseWorkflow(kSmallWorkflow, "lille.json", problems);
  for (const auto& p : problems) UNSCOPED_INFO(p.ToString());
  REQUIRE(def.ok());
  return *def;
}

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;

TEST_CASE("a workflow page shows title, opening, diagram edges, deadlines and referrals",
          "[docs]") {
  const std::string md = WorkflowMarkdown(SmallWorkflow());

  SECTION("title and the do-not-edit line") {
    CHECK_THAT(md, StartsWith("# Lille forløb (`lille`, version 3)\n"));
    CHECK_THAT(
        md,
        Contains("Generated from `workflows/lille.json` by `scripts/gen-workflow-docs` — do not "
                 "edit"));
  }
  SECTION("who may open, the opening fields and guards with description and params") {
    CHECK_THAT(md, Contains("Who may open: `koordinator`."));
    CHECK_THAT(md, Contains("| `loesladelsesdato` | date | yes | Løsladelsesdato |"));
    CHECK_THAT(md,
               Contains("- `age_between` `{\"max\": 17, \"min\": 10}` — the subject's age in full "
                        "years is within [min, max]"));
  }
  SECTION("the Mermaid diagram: labels, initial and terminal, one edge per from, side notes") {
    CHECK_THAT(md, Contains("```mermaid\nstateDiagram-v2\n"));
    CHECK_THAT(md, Contains("  state \"Møde | aftaler\" as moede\n"));
    CHECK_THAT(md, Contains("  [*] --> modtaget\n"));
    CHECK_THAT(md, Contains("  modtaget --> moede: Visitér\n"));
    // A `:` would end a Mermaid edge label early.
    CHECK_THAT(md, Contains("  moede --> venter: Afvent#58; løsladelse\n"));
    CHECK_THAT(md, Contains("  moede --> afsluttet: Afslut sagen\n"));
    CHECK_THAT(md, Contains("  venter --> afsluttet: Afslut sagen\n"));
    CHECK_THAT(md, Contains("  afsluttet --> [*]\n"));
    CHECK_THAT(md,
               Contains("  note right of modtaget\n    ↻ Henvis til konfliktråd\n  end note\n"));
    CHECK_THAT(md, Contains("  note right of moede\n    ↻ Henvis til konfliktråd\n  end note\n"));
    // A side action is no edge.
    CHECK_THAT(md, !Contains("--> modtaget: "));
  }
  SECTION("states with their deadlines in words, `|` escaped in cells") {
    CHECK_THAT(md, Contains("| `modtaget` | Modtaget | initial | 10 working days (hverdage) | "
                            "`visiter` → `moede`, `henvis_konfliktraad` (stays) |"));
    CHECK_THAT(md, Contains("| `moede` | Møde \\| aftaler | — | 48 hours |"));
    CHECK_THAT(md,
               Contains("| `venter` | Venter | — | 3 months before `loesladelsesdato`, end of day "
                        "(23:59:59 UTC) | `afslut` → `afsluttet` |"));
    CHECK_THAT(md, Contains("| `afsluttet` | Afsluttet | terminal | — | — |"));
  }
  SECTION("transitions with from, to or stays, fields and the referral") {
    CHECK_THAT(
        md,
        Contains("| `afslut` | Afslut sagen | `moede`, `venter` | `afsluttet` | `koordinator` | "
                 "`grund` (enum: `faerdig`, `andet`, required) — Årsag | — | — |"));
    CHECK_THAT(md,
               Contains("| `henvis_konfliktraad` | Henvis til konfliktråd | `modtaget`, `moede` | "
                        "(stays) |"));
    CHECK_THAT(md, Contains("`kr_forum` (forum running `konfliktraad`, required) — Konfliktråd<br>"
                            "`kr_resume` (text, required) — Resumé"));
    CHECK_THAT(md,
               Contains("opens a linked case in a forum running [`konfliktraad`](konfliktraad.md) "
                        "(chosen in `kr_forum`), passing on only `kr_resume`; legal basis "
                        "`konfliktraad` |"));
  }
  SECTION("invariants derived from the data") {
    CHECK_THAT(md, Contains("- Exactly one initial state: `modtaget` (Modtaget)"));
    CHECK_THAT(md, Contains("- Terminal states: `afsluttet` (Afsluttet). No action leaves them"));
    CHECK_THAT(md, Contains("- Every non-terminal state has a deadline"));
    CHECK_THAT(md, Contains("- A case ends only through `afslut` → `afsluttet` (`koordinator`)."));
    CHECK_THAT(md, Contains("- The deadlines of `venter` follow `loesladelsesdato`"));
    CHECK_THAT(md, !Contains("**Broken:**"));
  }
  SECTION("the same definition gives the same bytes") {
    CHECK(md == WorkflowMarkdown(SmallWorkflow()));
  }
}

TEST_CASE("deadlines read as words", "[docs]") {
  auto make = [](DeadlineSpec::Kind kind, int amount) {
    DeadlineSpec d;
    d.kind = kind;
    d.amount = amount;
    return d;
  };
  CHECK(DeadlineInWords(make(DeadlineSpec::Kind::kWorkingDays, 10)) ==
        "10 working days (hverdage)");
  CHECK(DeadlineInWords(make(DeadlineSpec::Kind::kWorkingDays, 1)) == "1 working day (hverdag)");
  CHECK(DeadlineInWords(make(DeadlineSpec::Kind::kHours, 48)) == "48 hours");
  CHECK(DeadlineInWords(make(DeadlineSpec::Kind::kDays, 14)) == "14 calendar days");

  DeadlineSpec from;
  from.kind = DeadlineSpec::Kind::kFromField;
  from.field = "loesladelsesdato";
  from.offset_months = -3;
  CHECK(DeadlineInWords(from) == "3 months before `loesladelsesdato`, end of day (23:59:59 UTC)");
  from.offset_months = 0;
  from.offset_days = 1;
  CHECK(DeadlineInWords(from) == "1 day after `loesladelsesdato`, end of day (23:59:59 UTC)");
  from.offset_days = 0;
  CHECK(DeadlineInWords(from) == "`loesladelsesdato`, end of day (23:59:59 UTC)");
  from.offset_months = -1;
  from.offset_days = 2;
  CHECK(DeadlineInWords(from) ==
        "1 month before `loesladelsesdato`, then 2 days later, end of day (23:59:59 UTC)");
}

}  // namespace
}  // namespace samspil
