// Validate(): one test per rule of workflows/README.md ("Validation") that the engine checks.
// Each starts from a sound definition, breaks one rule and expects the problem at its path.
// The JSON-level rules (malformed JSON, unknown keys, wrong JSON types, file name = id, to/stay)
// belong to the loader and are tested with it.
#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "samspil/workflow.hpp"
#include "support/builders.hpp"

namespace samspil {
namespace {

using namespace std::string_literals;
using test::DaysDeadline;
using test::Field;
using test::TinyWorkflow;

using Strings = std::vector<std::string>;

// TinyWorkflow():
//   states[0] ny (initial, 5 days)   states[1] aktiv (10 days)   states[2] lukket (terminal)
//   transitions[0] behandl: ny -> aktiv
//   transitions[1] luk: [ny, aktiv] -> lukket, fields[0] begrundelse (text, required)

// "path: message" per problem, so a failing check prints them all.
Strings Problems(const WorkflowDefinition& def) {
  Strings out;
  for (const auto& p : Validate(def)) out.push_back(p.path + ": " + p.message);
  return out;
}

// Some problem has exactly this path and a message containing `fragment`.
class HasProblem : public Catch::MatcherBase<Strings> {
 public:
  HasProblem(std::string path, std::string fragment)
      : path_(std::move(path)), fragment_(std::move(fragment)) {}

  bool match(const Strings& problems) const override {
    const std::string prefix = path_ + ": ";
    for (const auto& p : problems) {
      if (p.rfind(prefix, 0) == 0 && p.find(fragment_, prefix.size()) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  std::string describe() const override {
    return "has a problem at " + path_ + " saying \"" + fragment_ + "\"";
  }

 private:
  std::string path_;
  std::string fragment_;
};

DeadlineSpec Deadline(DeadlineSpec::Kind kind, int amount) {
  DeadlineSpec d;
  d.kind = kind;
  d.amount = amount;
  return d;
}

DeadlineSpec FromField(const std::string& field, int offset_months) {
  DeadlineSpec d;
  d.kind = DeadlineSpec::Kind::kFromField;
  d.field = field;
  d.offset_months = offset_months;
  return d;
}

StateDef State(const std::string& id, std::optional<DeadlineSpec> deadline = DaysDeadline(3)) {
  return StateDef{id, id, false, false, std::move(deadline)};
}

TransitionDef Row(const std::string& action, std::vector<std::string> from,
                  std::optional<std::string> to, std::vector<FieldSpec> fields = {}) {
  TransitionDef t;
  t.action = action;
  t.label = action;
  t.from = std::move(from);
  t.to = std::move(to);
  t.roles = {"koordinator"};
  t.fields = std::move(fields);
  return t;
}

FieldSpec ForumField(const std::string& name, const std::string& workflow) {
  FieldSpec f = Field(name, FieldType::kForum, true);
  f.workflow = workflow;
  return f;
}

// TinyWorkflow plus transitions[2] henvis (stay from aktiv) with a referral:
//   fields[0] maal (forum, ukn), fields[1] resume (text).
WorkflowDefinition WithReferral() {
  WorkflowDefinition def = TinyWorkflow();
  TransitionDef henvis = Row("henvis", {"aktiv"}, std::nullopt,
                             {ForumField("maal", "ukn"), Field("resume", FieldType::kText, true)});
  henvis.referral = ReferralSpec{"maal", "resume", "ukn"};
  def.transitions.push_back(henvis);
  return def;
}

// Every feature at once: opening fields and guards, a from_field deadline, enum and forum
// fields, guards on a transition, a stay action with a referral, several from states.
WorkflowDefinition RichWorkflow() {
  WorkflowDefinition def = WithReferral();
  def.open.fields = {Field("loesladelsesdato", FieldType::kDate, true),
                     Field("journalnummer", FieldType::kString)};
  def.open.guards = {GuardCall{"age_between", {{"min", 10.0}, {"max", 17.0}}}};
  def.states.push_back(State("venter", FromField("loesladelsesdato", -3)));
  FieldSpec niveau = Field("niveau", FieldType::kEnum);
  niveau.options = {"lav", "hoej"};
  def.transitions[0].fields = {Field("samtykke", FieldType::kBoolean, true), niveau};
  def.transitions[0].guards = {
      GuardCall{"all_true", {{"fields", Strings{"samtykke"}}}},
      GuardCall{"consent_if_minor", {{"consent_field", "samtykke"s}, {"age", 18.0}}}};
  def.transitions[1].from = {"ny", "aktiv", "venter"};
  def.transitions.push_back(Row("vent", {"aktiv"}, "venter"));
  return def;
}

}  // namespace

TEST_CASE("Validate finds no problem in a sound definition", "[engine][validate]") {
  CHECK(Problems(TinyWorkflow()).empty());
  CHECK(Problems(WithReferral()).empty());
  CHECK(Problems(RichWorkflow()).empty());
}

TEST_CASE("Validate reports every problem, not only the first", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.name = "";
  def.states[1].label = "";
  def.transitions[0].roles = {"betjent"};
  CHECK(Problems(def) == Strings{"name: must not be empty", "states[1].label: must not be empty",
                                 "transitions[0].roles[0]: unknown role \"betjent\""});
}

// ---- states ----------------------------------------------------------------------------

TEST_CASE("Validate refuses a duplicate state id", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states.push_back(StateDef{"aktiv", "Aktiv igen", false, false, DaysDeadline(1)});
  CHECK(Problems(def) ==
        Strings{"states[3].id: duplicate state id \"aktiv\" (first at states[1])"});
}

TEST_CASE("Validate refuses a definition without an initial state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states[0].initial = false;
  CHECK(Problems(def) == Strings{"states: no initial state"});
}

TEST_CASE("Validate refuses a second initial state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states[1].initial = true;
  CHECK(Problems(def) ==
        Strings{"states[1].initial: a second initial state (the first is states[0])"});
}

TEST_CASE("Validate refuses a definition without states", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states.clear();
  def.transitions.clear();
  CHECK(Problems(def) == Strings{"states: no states"});
}

TEST_CASE("Validate refuses a terminal initial state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states[0].terminal = true;
  def.states[0].deadline.reset();
  const Strings problems = Problems(def);
  CHECK_THAT(problems, HasProblem("states[0]", "the initial state cannot be terminal"));
  // and the rows out of it are rows out of a terminal state
  CHECK_THAT(problems, HasProblem("transitions[0].from", "out of terminal state \"ny\""));
}

TEST_CASE("Validate refuses a transition from an unknown state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].from = {"nyt"};
  CHECK(Problems(def) == Strings{"transitions[0].from: unknown state \"nyt\""});
}

TEST_CASE("Validate names the index of an unknown state in a list of from states",
          "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].from = {"ny", "aktivt"};
  CHECK(Problems(def) == Strings{"transitions[1].from[1]: unknown state \"aktivt\""});
}

TEST_CASE("Validate refuses a transition to an unknown state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].to = "aktv";
  CHECK(Problems(def) == Strings{"transitions[0].to: unknown state \"aktv\""});
}

TEST_CASE("Validate refuses a transition that names no from state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].from.clear();
  CHECK_THAT(Problems(def), HasProblem("transitions[0].from", "must name at least one state"));
}

TEST_CASE("Validate refuses a state no path reaches from the initial state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states.push_back(State("glemt"));
  def.transitions.push_back(Row("afslut_glemt", {"glemt"}, "lukket"));
  CHECK(Problems(def) ==
        Strings{"states[3]: state \"glemt\" is unreachable from the initial state"});
}

TEST_CASE("Validate refuses a non-terminal state without a way out", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states.push_back(State("venter"));
  def.transitions.push_back(Row("parker", {"aktiv"}, "venter"));
  CHECK(Problems(def) == Strings{"states[3]: non-terminal state \"venter\" has no transition out"});
}

TEST_CASE("Validate does not count a stay action as a way out", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states.push_back(State("venter"));
  def.transitions.push_back(Row("parker", {"aktiv"}, "venter"));
  def.transitions.push_back(Row("noter", {"venter"}, std::nullopt));
  CHECK(Problems(def) == Strings{"states[3]: non-terminal state \"venter\" has no transition out"});
}

TEST_CASE("Validate refuses a cycle from which no terminal state can be reached",
          "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states.push_back(State("a"));
  def.states.push_back(State("b"));
  def.transitions.push_back(Row("til_a", {"aktiv"}, "a"));
  def.transitions.push_back(Row("til_b", {"a"}, "b"));
  def.transitions.push_back(Row("tilbage", {"b"}, "a"));
  CHECK(Problems(def) == Strings{"states[3]: no terminal state can be reached from \"a\"",
                                 "states[4]: no terminal state can be reached from \"b\""});
}

// ---- deadlines -------------------------------------------------------------------------

TEST_CASE("Validate refuses a non-terminal state without a deadline", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states[1].deadline.reset();
  CHECK(Problems(def) ==
        Strings{"states[1].deadline: non-terminal state \"aktiv\" has no deadline"});
}

TEST_CASE("Validate refuses a deadline on a terminal state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states[2].deadline = DaysDeadline(1);
  CHECK(Problems(def) == Strings{"states[2].deadline: a terminal state has no deadline"});
}

TEST_CASE("Validate refuses a deadline of less than one hour, day or working day",
          "[engine][validate]") {
  for (auto kind :
       {DeadlineSpec::Kind::kHours, DeadlineSpec::Kind::kDays, DeadlineSpec::Kind::kWorkingDays}) {
    for (int amount : {0, -1}) {
      INFO(static_cast<int>(kind) << " " << amount);
      WorkflowDefinition def = TinyWorkflow();
      def.states[1].deadline = Deadline(kind, amount);
      CHECK(Problems(def) == Strings{"states[1].deadline: the duration must be at least 1"});
      def.states[1].deadline = Deadline(kind, 1);
      CHECK(Problems(def).empty());
    }
  }
}

TEST_CASE("Validate takes a from_field deadline only on a required opening date field",
          "[engine][validate]") {
  const std::string problem =
      "states[1].deadline.from_field: deadline field \"frist\" must be a required date field "
      "of open.fields";
  WorkflowDefinition def = TinyWorkflow();
  def.states[1].deadline = FromField("frist", -3);
  CHECK(Problems(def) == Strings{problem});  // not declared at all

  def.open.fields = {Field("frist", FieldType::kDate, false)};
  CHECK(Problems(def) == Strings{problem});  // optional

  def.open.fields = {Field("frist", FieldType::kString, true)};
  CHECK(Problems(def) == Strings{problem});  // not a date

  def.open.fields = {};
  def.transitions[0].fields = {Field("frist", FieldType::kDate, true)};
  CHECK(Problems(def) == Strings{problem});  // not an opening field

  def.transitions[0].fields = {};
  def.open.fields = {Field("frist", FieldType::kDate, true)};
  CHECK(Problems(def).empty());
}

// ---- transitions -----------------------------------------------------------------------

TEST_CASE("Validate refuses a transition out of a terminal state", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions.push_back(Row("genaabn", {"lukket"}, "aktiv"));
  CHECK(Problems(def) ==
        Strings{"transitions[2].from: a transition out of terminal state \"lukket\""});
}

TEST_CASE("Validate refuses an ambiguous state and action pair", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions.push_back(Row("luk", {"aktiv"}, "lukket"));
  CHECK(Problems(def) == Strings{"transitions[2].action: ambiguous: action \"luk\" from state "
                                 "\"aktiv\" is also transitions[1]"});
}

TEST_CASE("Validate takes the same action from different states in different rows",
          "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].from = {"ny"};
  def.transitions.push_back(Row("luk", {"aktiv"}, "lukket"));
  CHECK(Problems(def).empty());
}

TEST_CASE("Validate refuses the action names the engine reserves", "[engine][validate]") {
  for (const char* reserved : {"open", "escalate"}) {
    INFO(reserved);
    WorkflowDefinition def = TinyWorkflow();
    def.transitions[0].action = reserved;
    CHECK(Problems(def) == Strings{"transitions[0].action: \"" + std::string(reserved) +
                                   "\" is reserved for the engine"});
  }
}

// ---- roles -----------------------------------------------------------------------------

TEST_CASE("Validate refuses an unknown role", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].roles = {"koordinator", "betjent"};
  def.open.roles = {"sagsbehandler", "koordinator"};
  CHECK(Problems(def) == Strings{"open.roles[0]: unknown role \"sagsbehandler\"",
                                 "transitions[0].roles[1]: unknown role \"betjent\""});
}

TEST_CASE("Validate takes every role of docs/domain.md", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.open.roles = KnownRoles();
  def.transitions[0].roles = KnownRoles();
  CHECK(KnownRoles().size() == 8);
  CHECK(Problems(def).empty());
}

TEST_CASE("Validate refuses an empty list of roles", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.open.roles.clear();
  def.transitions[1].roles.clear();
  CHECK(Problems(def) == Strings{"open.roles: must name at least one role",
                                 "transitions[1].roles: must name at least one role"});
}

// ---- guards ----------------------------------------------------------------------------

TEST_CASE("Validate refuses an unknown guard", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.open.guards = {GuardCall{"alder", {}}};
  def.transitions[1].guards = {GuardCall{"age_between", {{"min", 10.0}}},
                               GuardCall{"samtykke_givet", {}}};
  CHECK(Problems(def) ==
        Strings{"open.guards[0].name: unknown guard \"alder\"",
                "transitions[1].guards[1].name: unknown guard \"samtykke_givet\""});
}

TEST_CASE("Validate refuses guard parameters the guard does not take", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.open.guards = {GuardCall{"age_between", {{"min", 18.0}, {"max", 17.0}}}};
  def.transitions[1].guards = {GuardCall{"age_between", {{"mindst", 10.0}, {"max", 17.0}}}};
  CHECK(Problems(def) == Strings{"open.guards[0].params: \"min\" is greater than \"max\"",
                                 "transitions[1].guards[0].params.mindst: unknown parameter "
                                 "\"mindst\""});
}

TEST_CASE("Validate refuses a guard naming a field of the wrong type", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].guards = {GuardCall{"all_true", {{"fields", Strings{"begrundelse"}}}}};
  CHECK(Problems(def) == Strings{"transitions[1].guards[0].params.fields[0]: field "
                                 "\"begrundelse\" must be of type boolean, not text"});
}

TEST_CASE("Validate refuses a guard naming a field no step declares", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].guards = {GuardCall{"date_in_future", {{"field", "moededato"s}}}};
  CHECK(Problems(def) ==
        Strings{"transitions[0].guards[0].params.field: names undeclared field \"moededato\""});
}

TEST_CASE("Validate lets a guard name a field another step declares", "[engine][validate]") {
  // Values accumulate on the case, so a later step may check an earlier step's input.
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].fields = {Field("samtykke", FieldType::kBoolean, true)};
  def.transitions[1].guards = {GuardCall{"all_true", {{"fields", Strings{"samtykke"}}}}};
  CHECK(Problems(def).empty());
}

TEST_CASE("Validate refuses an opening guard naming a field only a later step declares",
          "[engine][validate]") {
  // Nothing but the opening fields exists when a case is opened.
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].fields = {Field("samtykke", FieldType::kBoolean, true)};
  def.open.guards = {GuardCall{"all_true", {{"fields", Strings{"samtykke"}}}}};
  CHECK(Problems(def) ==
        Strings{"open.guards[0].params.fields[0]: names undeclared field \"samtykke\""});
  def.open.fields = {Field("samtykke", FieldType::kBoolean, true)};
  def.transitions[0].fields.clear();
  CHECK(Problems(def).empty());
}

// ---- referrals -------------------------------------------------------------------------

TEST_CASE("Validate refuses an unknown legal basis", "[engine][validate]") {
  WorkflowDefinition def = WithReferral();
  def.transitions[2].referral->legal_basis = "rpl_999";
  CHECK(Problems(def) ==
        Strings{"transitions[2].referral.legal_basis: unknown legal basis \"rpl_999\""});
}

TEST_CASE("Validate takes every known legal basis", "[engine][validate]") {
  for (const auto& basis : KnownLegalBases()) {
    INFO(basis);
    WorkflowDefinition def = WithReferral();
    def.transitions[2].referral->legal_basis = basis;
    CHECK(Problems(def).empty());
  }
}

TEST_CASE("Validate refuses a referral whose forum field is not a forum field of its row",
          "[engine][validate]") {
  WorkflowDefinition def = WithReferral();
  def.transitions[2].referral->forum_field = "resume";
  CHECK(Problems(def) == Strings{"transitions[2].referral.forum_field: \"resume\" is not a forum "
                                 "field of this transition"});
  def.transitions[2].referral->forum_field = "ukendt";
  CHECK_THAT(Problems(def),
             HasProblem("transitions[2].referral.forum_field", "\"ukendt\" is not a forum field"));
}

TEST_CASE("Validate refuses a referral whose summary field is not a text field of its row",
          "[engine][validate]") {
  WorkflowDefinition def = WithReferral();
  def.transitions[2].referral->summary_field = "maal";
  CHECK(Problems(def) == Strings{"transitions[2].referral.summary_field: \"maal\" is not a text "
                                 "field of this transition"});
  // a text field of another row does not count
  def.transitions[2].referral->summary_field = "begrundelse";
  CHECK(Problems(def) == Strings{"transitions[2].referral.summary_field: \"begrundelse\" is not "
                                 "a text field of this transition"});
}

// ---- fields ----------------------------------------------------------------------------

TEST_CASE("Validate refuses an enum field without options", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].fields.push_back(Field("udfald", FieldType::kEnum));
  CHECK(Problems(def) == Strings{"transitions[1].fields[1].options: an enum field needs options"});
}

TEST_CASE("Validate refuses an enum field with the same option twice", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  FieldSpec udfald = Field("udfald", FieldType::kEnum);
  udfald.options = {"aftale", "ingen_aftale", "aftale"};
  def.transitions[1].fields.push_back(udfald);
  CHECK(Problems(def) == Strings{"transitions[1].fields[1].options: duplicate option"});
}

TEST_CASE("Validate takes option labels for an enum's own options only", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  FieldSpec udfald = Field("udfald", FieldType::kEnum);
  udfald.options = {"aftale", "ingen_aftale"};
  udfald.option_labels = {{"aftale", "Aftale indgået"}};
  def.transitions[1].fields.push_back(udfald);
  CHECK(Problems(def).empty());
  def.transitions[1].fields[1].option_labels["ingen_aftle"] = "Ingen aftale";
  def.transitions[1].fields[1].option_labels["aftale"] = "";
  CHECK(Problems(def) ==
        Strings{"transitions[1].fields[1].option_labels.aftale: must not be empty",
                "transitions[1].fields[1].option_labels.ingen_aftle: not one of the options"});
  def.transitions[1].fields[0].option_labels = {{"x", "X"}};
  CHECK(Problems(def).size() == 3);
  CHECK(Problems(def).front() ==
        "transitions[1].fields[0].option_labels: only an enum field has option labels");
}

TEST_CASE("Validate refuses options on a field that is not an enum", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].fields[0].options = {"a", "b"};
  CHECK(Problems(def) ==
        Strings{"transitions[1].fields[0].options: only an enum field has options"});
}

TEST_CASE("Validate refuses a forum field without a workflow", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].fields.push_back(Field("maal", FieldType::kForum));
  CHECK(Problems(def) ==
        Strings{"transitions[1].fields[1].workflow: a forum field must name the target workflow"});
}

TEST_CASE("Validate refuses a workflow on a field that is not a forum field",
          "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].fields[0].workflow = "ukn";
  CHECK(Problems(def) ==
        Strings{"transitions[1].fields[0].workflow: only a forum field names a workflow"});
}

TEST_CASE("Validate refuses a duplicate field name within one step", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].fields.push_back(Field("begrundelse", FieldType::kText));
  CHECK(Problems(def) == Strings{"transitions[1].fields[1].name: duplicate field \"begrundelse\""});
  def = TinyWorkflow();
  def.open.fields = {Field("dato", FieldType::kDate), Field("dato", FieldType::kDate)};
  CHECK(Problems(def) == Strings{"open.fields[1].name: duplicate field \"dato\""});
}

TEST_CASE("Validate takes the same field name with the same type in different steps",
          "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].fields = {Field("begrundelse", FieldType::kText)};
  CHECK(Problems(def).empty());
}

TEST_CASE("Validate refuses a field declared with two types in different steps",
          "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].fields = {Field("begrundelse", FieldType::kString)};
  CHECK(Problems(def) == Strings{"transitions[1].fields[0].type: field \"begrundelse\" is "
                                 "declared as string elsewhere"});
  def = TinyWorkflow();
  def.open.fields = {Field("dato", FieldType::kDate)};
  def.transitions[0].fields = {Field("dato", FieldType::kString)};
  CHECK(Problems(def) ==
        Strings{"transitions[0].fields[0].type: field \"dato\" is declared as date elsewhere"});
}

// ---- names and labels ------------------------------------------------------------------

TEST_CASE("Validate refuses an empty workflow id or name", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.id = "";
  CHECK(Problems(def) == Strings{"id: must not be empty"});
  def = TinyWorkflow();
  def.name = "";
  CHECK(Problems(def) == Strings{"name: must not be empty"});
}

TEST_CASE("Validate refuses a version below 1", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.version = 0;
  CHECK(Problems(def) == Strings{"version: must be a whole number of at least 1"});
}

TEST_CASE("Validate refuses an empty state id or label", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.states[1].label = "";
  CHECK(Problems(def) == Strings{"states[1].label: must not be empty"});
  def = TinyWorkflow();
  def.states[2].id = "";
  CHECK_THAT(Problems(def), HasProblem("states[2].id", "must not be empty"));
}

TEST_CASE("Validate refuses an empty action or transition label", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].action = "";
  CHECK(Problems(def) == Strings{"transitions[0].action: must not be empty"});
  def = TinyWorkflow();
  def.transitions[0].label = "";
  CHECK(Problems(def) == Strings{"transitions[0].label: must not be empty"});
}

TEST_CASE("Validate refuses an empty field name or label", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[1].fields[0].label = "";
  CHECK(Problems(def) == Strings{"transitions[1].fields[0].label: must not be empty"});
  def = TinyWorkflow();
  def.open.fields = {Field("", FieldType::kString)};
  def.open.fields[0].label = "Navn";
  CHECK(Problems(def) == Strings{"open.fields[0].name: must not be empty"});
}

// ---- confidentiality (docs/domain.md rule 4) -------------------------------------------------

namespace {

// TinyWorkflow with `luk` (transitions[1], field begrundelse) confidential to koordinator.
WorkflowDefinition WithConfidentialStep() {
  WorkflowDefinition def = TinyWorkflow();
  def.confidential_roles = {"koordinator"};
  def.transitions[1].confidential = true;
  return def;
}

}  // namespace

TEST_CASE("Validate takes a confidential step its roles may read", "[engine][validate]") {
  CHECK(Problems(WithConfidentialStep()).empty());
}

TEST_CASE("Validate refuses a confidential step without confidential_roles", "[engine][validate]") {
  WorkflowDefinition def = WithConfidentialStep();
  def.confidential_roles.clear();
  CHECK_THAT(Problems(def), HasProblem("transitions[1].confidential", "confidential_roles"));
}

TEST_CASE("Validate refuses confidential_roles when no step is confidential",
          "[engine][validate]") {
  WorkflowDefinition def = WithConfidentialStep();
  def.transitions[1].confidential = false;
  CHECK_THAT(Problems(def), HasProblem("confidential_roles", "no transition is confidential"));
}

TEST_CASE("Validate refuses an unknown or repeated confidential role", "[engine][validate]") {
  WorkflowDefinition def = WithConfidentialStep();
  def.confidential_roles = {"koordinator", "mediator", "koordinator"};
  CHECK_THAT(Problems(def), HasProblem("confidential_roles[1]", "unknown role \"mediator\""));
  CHECK_THAT(Problems(def), HasProblem("confidential_roles[2]", "duplicate role"));
}

TEST_CASE("Validate refuses a confidential step that a role without read access may take",
          "[engine][validate]") {
  WorkflowDefinition def = WithConfidentialStep();
  def.transitions[1].roles = {"koordinator", "skole"};
  CHECK_THAT(Problems(def), HasProblem("transitions[1].roles[1]", "not in confidential_roles"));
}

TEST_CASE("Validate refuses a field that is confidential in one step and not in another",
          "[engine][validate]") {
  WorkflowDefinition def = WithConfidentialStep();
  def.transitions[0].fields = {Field("begrundelse", FieldType::kText)};
  CHECK_THAT(Problems(def),
             HasProblem("transitions[1].fields[0].name", "not at transitions[0].fields[0]"));
}

TEST_CASE("Validate refuses a confidential referral", "[engine][validate]") {
  WorkflowDefinition def = WithReferral();
  def.confidential_roles = {"koordinator"};
  def.transitions[2].confidential = true;
  CHECK_THAT(Problems(def), HasProblem("transitions[2].referral", "cannot pass its input"));
}

// ---- reopening (docs/domain.md rule 6) --------------------------------------------------------

TEST_CASE("Validate takes a reopen block that sends closed cases to an open state",
          "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.reopen = ReopenDef{{"koordinator"}, "ny", "Genåbn sagen"};
  CHECK(Problems(def).empty());
}

TEST_CASE(
    "Validate refuses a reopen block with an unknown or terminal state, an unknown role or no "
    "label",
    "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.reopen = ReopenDef{{"koordinator"}, "nyy", "Genåbn sagen"};
  CHECK_THAT(Problems(def), HasProblem("reopen.to", "unknown state \"nyy\""));
  def.reopen = ReopenDef{{"koordinator"}, "lukket", "Genåbn sagen"};
  CHECK_THAT(Problems(def), HasProblem("reopen.to", "not terminal \"lukket\""));
  def.reopen = ReopenDef{{"direktoer"}, "ny", ""};
  CHECK_THAT(Problems(def), HasProblem("reopen.roles[0]", "unknown role \"direktoer\""));
  CHECK_THAT(Problems(def), HasProblem("reopen.label", "must not be empty"));
  def.reopen = ReopenDef{{}, "ny", "Genåbn sagen"};
  CHECK_THAT(Problems(def), HasProblem("reopen.roles", "at least one role"));
}

TEST_CASE("Validate reserves the action name reopen for the engine", "[engine][validate]") {
  WorkflowDefinition def = TinyWorkflow();
  def.transitions[0].action = "reopen";
  CHECK_THAT(Problems(def), HasProblem("transitions[0].action", "reserved"));
}

}  // namespace samspil
