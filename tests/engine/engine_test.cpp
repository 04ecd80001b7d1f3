// The engine's rules, one at a time: start a case in any state, fire one command, and check
// what the engine decided (engine.hpp). Every rule has a case that passes and one that fails.
#include "samspil/engine.hpp"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/builders.hpp"

namespace samspil {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;
using test::ActorIn;
using test::At;
using test::Day;
using test::DaysDeadline;
using test::Field;
using test::TinyWorkflow;

constexpr const char* kForum = "ssp_koebenhavn";

// ---- builders local to these tests -----------------------------------------------------

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

DeadlineSpec Deadline(DeadlineSpec::Kind kind, int amount) {
  DeadlineSpec d;
  d.kind = kind;
  d.amount = amount;
  return d;
}

DeadlineSpec FromField(const std::string& field, int offset_months, int offset_days = 0) {
  DeadlineSpec d;
  d.kind = DeadlineSpec::Kind::kFromField;
  d.field = field;
  d.offset_months = offset_months;
  d.offset_days = offset_days;
  return d;
}

StateDef State(const std::string& id, std::optional<DeadlineSpec> deadline, bool initial = false) {
  return StateDef{id, id, initial, false, deadline};
}

StateDef Terminal(const std::string& id) { return StateDef{id, id, false, true, std::nullopt}; }

TransitionDef Row(const std::string& action, std::vector<std::string> from,
                  std::optional<std::string> to, std::vector<std::string> roles,
                  std::vector<FieldSpec> fields = {}) {
  TransitionDef t;
  t.action = action;
  t.label = action;
  t.from = std::move(from);
  t.to = std::move(to);
  t.roles = std::move(roles);
  t.fields = std::move(fields);
  return t;
}

FieldSpec EnumField(const std::string& name, std::vector<std::string> options) {
  FieldSpec f = Field(name, FieldType::kEnum);
  f.options = std::move(options);
  return f;
}

FieldSpec ForumField(const std::string& name, const std::string& workflow, bool required) {
  FieldSpec f = Field(name, FieldType::kForum, required);
  f.workflow = workflow;
  return f;
}

// One side action ("registrer", stay) that asks for a field of every type.
WorkflowDefinition FieldsWorkflow() {
  WorkflowDefinition def;
  def.id = "felter";
  def.name = "Felter";
  def.open.roles = {"koordinator"};
  def.states = {State("ny", DaysDeadline(5), true), Terminal("lukket")};
  def.transitions = {Row("registrer", {"ny"}, std::nullopt, {"koordinator"},
                         {Field("navn", FieldType::kString, true), Field("notat", FieldType::kText),
                          Field("samtykke", FieldType::kBoolean), Field("dato", FieldType::kDate),
                          EnumField("niveau", {"lav", "hoej"}), ForumField("maal", "ukn", false)}),
                     Row("luk", {"ny"}, "lukket", {"koordinator"})};
  return def;
}

// A mediation: consent A is registered first (stay), the meeting needs both consents.
WorkflowDefinition MeetingWorkflow() {
  WorkflowDefinition def;
  def.id = "moede";
  def.name = "Møde";
  def.open.roles = {"koordinator"};
  def.states = {State("ny", DaysDeadline(5), true), State("holdt", DaysDeadline(10)),
                Terminal("lukket")};
  TransitionDef consent =
      Row("samtykke_a", {"ny"}, std::nullopt, {"koordinator", "maegler"},
          {Field("samtykke_a", FieldType::kBoolean, true), Field("note", FieldType::kString)});
  TransitionDef meeting =
      Row("hold_moede", {"ny"}, "holdt", {"maegler", "koordinator"},
          {Field("samtykke_b", FieldType::kBoolean, true), Field("note", FieldType::kString)});
  meeting.guards = {
      GuardCall{"all_true", {{"fields", std::vector<std::string>{"samtykke_a", "samtykke_b"}}}}};
  def.transitions = {consent, meeting, Row("luk", {"ny", "holdt"}, "lukket", {"koordinator"})};
  return def;
}

// Kriminalforsorg-like: the deadline is three months before the release date.
WorkflowDefinition ReleaseWorkflow() {
  WorkflowDefinition def;
  def.id = "ksp";
  def.name = "KSP";
  def.open.roles = {"kriminalforsorg", "koordinator"};
  def.open.fields = {Field("loesladelsesdato", FieldType::kDate, true),
                     Field("anstalt", FieldType::kString)};
  def.states = {State("forberedelse", FromField("loesladelsesdato", -3), true),
                Terminal("afsluttet")};
  def.transitions = {Row("flyt_dato", {"forberedelse"}, std::nullopt, {"koordinator"},
                         {Field("loesladelsesdato", FieldType::kDate, true)}),
                     Row("afslut", {"forberedelse"}, "afsluttet", {"koordinator"})};
  return def;
}

// SSP-like source of referrals to the youth crime board (ukn).
WorkflowDefinition ReferringWorkflow() {
  WorkflowDefinition def;
  def.id = "ssp";
  def.name = "SSP";
  def.open.roles = {"koordinator"};
  def.states = {State("modtaget", Deadline(DeadlineSpec::Kind::kWorkingDays, 10), true),
                Terminal("afsluttet")};
  TransitionDef refer =
      Row("henvis_ukn", {"modtaget"}, std::nullopt, {"koordinator"},
          {ForumField("ukn_forum", "ukn", true), Field("ukn_resume", FieldType::kText, true)});
  refer.referral = ReferralSpec{"ukn_forum", "ukn_resume", "ukn"};
  def.transitions = {refer, Row("afslut", {"modtaget"}, "afsluttet", {"koordinator"},
                                {Field("bekymring", FieldType::kText)})};
  return def;
}

// The youth crime board: only for subjects aged 10 to 17.
WorkflowDefinition YouthBoardWorkflow() {
  WorkflowDefinition def;
  def.id = "ukn";
  def.name = "UKN";
  def.open.roles = {"naevn", "koordinator"};
  def.open.guards = {GuardCall{"age_between", {{"min", 10.0}, {"max", 17.0}}}};
  def.states = {State("modtaget", DaysDeadline(14), true), Terminal("afgjort")};
  def.transitions = {Row("afgoer", {"modtaget"}, "afgjort", {"naevn"})};
  return def;
}

Case CaseAt(const WorkflowDefinition& def, const std::string& state, Data data = {}) {
  Case c;
  c.id = "case_1";
  c.forum_id = kForum;
  c.workflow_id = def.id;
  c.workflow_version = def.version;
  c.state = state;
  c.version = 4;
  c.subject = Subject{"Mikkel Sørensen", Day("2010-05-01")};
  c.summary = "Bekymring for skolefravær";
  c.data = std::move(data);
  c.opened_by = "usr_opener";
  c.opened_at = At("2026-11-01T09:00:00Z");
  c.updated_at = c.state_entered_at = At("2026-11-20T09:00:00Z");
  const StateDef* s = def.FindState(state);
  REQUIRE(s != nullptr);
  auto due = ComputeDueAt(*s, c.state_entered_at, c.data);
  REQUIRE(due.ok());
  c.due_at = *due;
  return c;
}

TransitionCommand Fire(const std::string& action, std::int64_t expected_version, Data data = {},
                       const std::string& comment = "") {
  return TransitionCommand{action, expected_version, comment, std::move(data)};
}

OpenCommand OpenWith(Data data = {}, Subject subject = {"Mikkel Sørensen", Day("2010-05-01")},
                     const std::string& summary = "Bekymring for skolefravær") {
  return OpenCommand{std::move(subject), summary, std::move(data)};
}

template <typename T>
std::string CodeOf(const Result<T>& r) {
  return r.ok() ? "ok" : ErrorCodeName(r.error().code);
}

template <typename T>
std::string MessageOf(const Result<T>& r) {
  return r.ok() ? "" : r.error().message;
}

std::vector<std::string> Actions(const std::vector<const TransitionDef*>& rows) {
  std::vector<std::string> out;
  for (const auto* t : rows) out.push_back(t->action);
  return out;
}

const Timestamp kNow = *ParseTimestamp("2026-11-23T14:05:00Z");  // a Monday

// Deadlines as text, so a failing check prints them.
std::string Due(const std::optional<Timestamp>& t) { return t ? FormatTimestamp(*t) : "none"; }
std::string Due(const Result<std::optional<Timestamp>>& r) {
  return r.ok() ? Due(*r) : "error: " + r.error().message;
}

// "registrer" with a valid name unless the test gives one.
Result<Decision> Register(Data data) {
  data.emplace("navn", "Mikkel"s);
  const WorkflowDefinition def = FieldsWorkflow();
  return Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}),
                Fire("registrer", 4, std::move(data)), kNow);
}

}  // namespace

TEST_CASE("The workflows these tests use are valid definitions") {
  for (const auto& def : {TinyWorkflow(), FieldsWorkflow(), MeetingWorkflow(), ReleaseWorkflow(),
                          ReferringWorkflow(), YouthBoardWorkflow()}) {
    INFO(def.id);
    CHECK(Validate(def).empty());
  }
}

// ---- AvailableActions ------------------------------------------------------------------

TEST_CASE("AvailableActions lists the rows from the current state the actor's roles may take") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"behandl", "luk"});
  CHECK(Actions(AvailableActions(def, CaseAt(def, "aktiv"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"luk"});
}

TEST_CASE("AvailableActions lists nothing for a role no row names") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK(
      AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"forebyggelsesbetjent"})).empty());
}

TEST_CASE("AvailableActions counts only roles held in the case's forum") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK(AvailableActions(def, CaseAt(def, "ny"), ActorIn("ssp_aarhus", {"koordinator"})).empty());
  Actor both = ActorIn("ssp_aarhus", {"koordinator"});
  both.roles_by_forum[kForum].insert("skole");
  CHECK(AvailableActions(def, CaseAt(def, "ny"), both).empty());
}

TEST_CASE("AvailableActions keeps only the rows whose roles the actor holds") {
  const WorkflowDefinition def = MeetingWorkflow();
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"maegler"}))) ==
        std::vector<std::string>{"samtykke_a", "hold_moede"});
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"samtykke_a", "hold_moede", "luk"});
}

TEST_CASE("AvailableActions follows the definition's order, not the alphabet") {
  WorkflowDefinition def = TinyWorkflow();
  std::swap(def.transitions[0], def.transitions[1]);  // luk before behandl
  CHECK(Actions(AvailableActions(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}))) ==
        std::vector<std::string>{"luk", "behandl"});
}

TEST_CASE("A terminal state has no available actions") {
  const WorkflowDefinition def = TinyWorkflow();
  const Case closed = CaseAt(def, "lukket");
  CHECK_FALSE(closed.due_at.has_value());
  CHECK(AvailableActions(def, closed, ActorIn(kForum, {"koordinator", "forebyggelsesbetjent"}))
            .empty());
}

// ---- Decide: the order of the checks ---------------------------------------------------

TEST_CASE("Decide refuses a stale version before it looks at the action") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}), Fire("findes_ikke", 3),
                  kNow);
  CHECK(CodeOf(r) == "version_conflict");
  CHECK_THAT(MessageOf(r), Contains("stale") && Contains("version 4"));
}

TEST_CASE("Decide refuses an expected version ahead of the case as stale") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r =
      Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}), Fire("behandl", 5), kNow);
  CHECK(CodeOf(r) == "version_conflict");
  CHECK_THAT(MessageOf(r), Contains("stale"));
}

TEST_CASE("Decide refuses an action the workflow does not know, even for a non-member") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn("andet_forum", {"koordinator"}), Fire("slet", 4),
                  kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("unknown action \"slet\""));
}

TEST_CASE("Decide refuses a known action that does not leave the current state") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "aktiv"), ActorIn("andet_forum", {"koordinator"}),
                  Fire("behandl", 4), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("\"behandl\" is not possible in state \"aktiv\""));
}

TEST_CASE("Decide refuses any action in a terminal state") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "lukket"), ActorIn(kForum, {"koordinator"}),
                  Fire("luk", 4, {{"begrundelse", "igen"s}}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("not possible in state \"lukket\""));
}

TEST_CASE("Decide hides the case from an actor without a role in its forum") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn("ssp_aarhus", {"koordinator"}),
                  Fire("behandl", 4), kNow);
  CHECK(CodeOf(r) == "not_found");
}

TEST_CASE("Decide forbids an action to a member whose roles the row does not name") {
  const WorkflowDefinition def = TinyWorkflow();
  // The input is bad too: the role is checked first.
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"skole", "forebyggelsesbetjent"}),
                  Fire("luk", 4, {{"ukendt", true}}), kNow);
  CHECK(CodeOf(r) == "forbidden");
  CHECK_THAT(MessageOf(r), Contains("\"luk\"") && Contains("allowed: koordinator"));
}

TEST_CASE("Decide checks the input before the guards") {
  const WorkflowDefinition def = MeetingWorkflow();
  // samtykke_a is absent, so all_true would refuse; the missing field is reported first.
  auto r =
      Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"maegler"}), Fire("hold_moede", 4), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("missing required field \"samtykke_b\""));
}

TEST_CASE("Decide refuses a definition other than the one the case is pinned to") {
  WorkflowDefinition def = TinyWorkflow();
  const Case c = CaseAt(def, "ny");
  def.version = 2;
  auto r = Decide(def, c, ActorIn(kForum, {"koordinator"}), Fire("behandl", 4), kNow);
  CHECK(CodeOf(r) == "internal");
  CHECK_THAT(MessageOf(r), Contains("pinned"));
}

// ---- Decide: the input -----------------------------------------------------------------

TEST_CASE("Decide refuses a field the step does not declare") {
  CHECK(CodeOf(Register({{"notat", "ok"s}})) == "ok");
  auto r = Register({{"ukendt", "x"s}});
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("unknown field \"ukendt\""));
}

TEST_CASE("Decide refuses a step without its required field") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  auto missing = Decide(def, CaseAt(def, "ny"), koordinator, Fire("luk", 4), kNow);
  CHECK(CodeOf(missing) == "invalid_request");
  CHECK_THAT(MessageOf(missing), Contains("missing required field \"begrundelse\""));
  // null counts as not given
  auto null = Decide(def, CaseAt(def, "ny"), koordinator,
                     Fire("luk", 4, {{"begrundelse", std::monostate{}}}), kNow);
  CHECK(CodeOf(null) == "invalid_request");
  CHECK_THAT(MessageOf(null), Contains("missing required field \"begrundelse\""));
  CHECK(CodeOf(Decide(def, CaseAt(def, "ny"), koordinator,
                      Fire("luk", 4, {{"begrundelse", "Ingen bekymring"s}}), kNow)) == "ok");
}

TEST_CASE("A string field takes one line of at most 200 characters") {
  CHECK(CodeOf(Register({{"navn", Repeat("ø", 200)}})) == "ok");  // characters, not bytes

  auto too_long = Register({{"navn", Repeat("a", 201)}});
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("\"navn\"") && Contains("longer than 200"));

  auto two_lines = Register({{"navn", "Mikkel\nSørensen"s}});
  CHECK(CodeOf(two_lines) == "invalid_request");
  CHECK_THAT(MessageOf(two_lines), Contains("\"navn\"") && Contains("one line"));

  auto number = Register({{"navn", 42.0}});
  CHECK(CodeOf(number) == "invalid_request");
  CHECK_THAT(MessageOf(number), Contains("\"navn\": expected a string, got number"));
}

TEST_CASE("A required string field must not be blank") {
  auto blank = Register({{"navn", " \t "s}});
  CHECK(CodeOf(blank) == "invalid_request");
  CHECK_THAT(MessageOf(blank), Contains("\"navn\"") && Contains("must not be empty"));
}

TEST_CASE("A required text field of nothing but line breaks is blank") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}),
                  Fire("luk", 4, {{"begrundelse", "\n \n"s}}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("\"begrundelse\"") && Contains("must not be empty"));
}

TEST_CASE("A text field takes at most 10000 characters, newlines included") {
  CHECK(CodeOf(Register({{"notat", Repeat("a", 9990) + "\nlinje to"}})) == "ok");
  CHECK(CodeOf(Register({{"notat", Repeat("æ", 10000)}})) == "ok");
  auto too_long = Register({{"notat", Repeat("a", 10001)}});
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("\"notat\"") && Contains("longer than 10000"));
  auto boolean = Register({{"notat", true}});
  CHECK(CodeOf(boolean) == "invalid_request");
  CHECK_THAT(MessageOf(boolean), Contains("\"notat\": expected a string, got boolean"));
}

TEST_CASE("A boolean field takes true or false, not the word") {
  CHECK(CodeOf(Register({{"samtykke", false}})) == "ok");
  auto word = Register({{"samtykke", "true"s}});
  CHECK(CodeOf(word) == "invalid_request");
  CHECK_THAT(MessageOf(word), Contains("\"samtykke\": expected a boolean, got string"));
}

TEST_CASE("A date field takes a valid YYYY-MM-DD date") {
  CHECK(CodeOf(Register({{"dato", "2026-11-23"s}})) == "ok");
  for (const char* bad : {"2026-02-30", "23-11-2026", "2026-11-23T10:00:00Z", ""}) {
    INFO(bad);
    auto r = Register({{"dato", std::string(bad)}});
    CHECK(CodeOf(r) == "invalid_request");
    CHECK_THAT(MessageOf(r), Contains("\"dato\": expected a date (YYYY-MM-DD)"));
  }
}

TEST_CASE("An enum field takes one of its options") {
  CHECK(CodeOf(Register({{"niveau", "hoej"s}})) == "ok");
  auto other = Register({{"niveau", "mellem"s}});
  CHECK(CodeOf(other) == "invalid_request");
  CHECK_THAT(MessageOf(other), Contains("\"niveau\": \"mellem\" is not one of lav, hoej"));
  auto list = Register({{"niveau", std::vector<std::string>{"lav"}}});
  CHECK(CodeOf(list) == "invalid_request");
  CHECK_THAT(MessageOf(list), Contains("\"niveau\": expected a string, got list"));
}

TEST_CASE("A forum field takes a non-empty forum id") {
  CHECK(CodeOf(Register({{"maal", "ukn_koebenhavn"s}})) == "ok");
  auto empty = Register({{"maal", ""s}});
  CHECK(CodeOf(empty) == "invalid_request");
  CHECK_THAT(MessageOf(empty), Contains("\"maal\": expected a forum id"));
}

TEST_CASE("Decide refuses a comment over 10000 characters") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  CHECK(CodeOf(Decide(def, CaseAt(def, "ny"), koordinator,
                      Fire("behandl", 4, {}, Repeat("a", 10000)), kNow)) == "ok");
  auto r =
      Decide(def, CaseAt(def, "ny"), koordinator, Fire("behandl", 4, {}, Repeat("a", 10001)), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("comment"));
}

// ---- Decide: guards --------------------------------------------------------------------

TEST_CASE("Rejects a meeting without both consents") {
  const WorkflowDefinition def = MeetingWorkflow();
  auto r = Decide(def, CaseAt(def, "ny", {{"samtykke_a", true}}), ActorIn(kForum, {"maegler"}),
                  Fire("hold_moede", 4, {{"samtykke_b", false}}), kNow);
  CHECK(CodeOf(r) == "guard_failed");
  CHECK_THAT(MessageOf(r), Contains("all_true") && Contains("\"samtykke_b\""));
}

TEST_CASE("A guard sees an earlier step's input merged with this step's") {
  const WorkflowDefinition def = MeetingWorkflow();
  auto r = Decide(def, CaseAt(def, "ny", {{"samtykke_a", true}}), ActorIn(kForum, {"maegler"}),
                  Fire("hold_moede", 4, {{"samtykke_b", true}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->updated.state == "holdt");
}

// ---- Decide: the result ----------------------------------------------------------------

TEST_CASE("Decide moves the case, bumps the version and starts the new state's deadline") {
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

TEST_CASE("Decide's history entry records the step") {
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

TEST_CASE("The acting role is the first of the row's roles that the actor holds") {
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

TEST_CASE("Decide merges the input into the case data, the latest value winning") {
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

TEST_CASE("A stay action keeps the state, its entry time, its deadline and its escalation") {
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

TEST_CASE("A stay action that moves the deadline's date recomputes it and clears escalation") {
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

TEST_CASE("A stay action that gives the deadline's date its old value keeps the escalation") {
  const WorkflowDefinition def = ReleaseWorkflow();
  Case c = CaseAt(def, "forberedelse", {{"loesladelsesdato", "2027-05-31"s}});
  c.escalated = true;
  auto r = Decide(def, c, ActorIn(kForum, {"koordinator"}),
                  Fire("flyt_dato", 4, {{"loesladelsesdato", "2027-05-31"s}}), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->updated.due_at == c.due_at);
  CHECK(r->updated.escalated);
}

TEST_CASE("A row with several from states can be taken from each of them") {
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

// ---- Open ------------------------------------------------------------------------------

TEST_CASE("Open starts a case in the initial state at version 1") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r =
      Open(def, kForum, "case_9", ActorIn(kForum, {"koordinator"}, "usr_koord"), OpenWith(), kNow);
  REQUIRE(CodeOf(r) == "ok");
  const Case& c = r->opened;
  CHECK(c.id == "case_9");
  CHECK(c.forum_id == kForum);
  CHECK(c.workflow_id == "tiny");
  CHECK(c.workflow_version == 1);
  CHECK(c.state == "ny");
  CHECK(c.version == 1);
  CHECK(c.subject.name == "Mikkel Sørensen");
  CHECK(c.subject.birth_date == Day("2010-05-01"));
  CHECK(c.summary == "Bekymring for skolefravær");
  CHECK(c.data.empty());
  CHECK(c.opened_by == "usr_koord");
  CHECK(c.opened_at == kNow);
  CHECK(c.updated_at == kNow);
  CHECK(c.state_entered_at == kNow);
  CHECK(Due(c.due_at) == "2026-11-28T14:05:00Z");  // ny: 5 days
  CHECK_FALSE(c.escalated);

  const HistoryEntry& e = r->entry;
  CHECK(e.seq == 1);
  CHECK(e.action == "open");
  CHECK(e.from.empty());
  CHECK(e.to == "ny");
  CHECK(e.actor_id == "usr_koord");
  CHECK(e.role == "koordinator");
  CHECK(e.at == kNow);
}

TEST_CASE("Open acts in the first opening role the actor holds") {
  WorkflowDefinition def = TinyWorkflow();
  def.open.roles = {"koordinator", "forebyggelsesbetjent"};
  auto r = Open(def, kForum, "case_9", ActorIn(kForum, {"forebyggelsesbetjent", "koordinator"}),
                OpenWith(), kNow);
  REQUIRE(CodeOf(r) == "ok");
  CHECK(r->entry.role == "koordinator");
}

TEST_CASE("Open forbids a member whose role may not open a case") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Open(def, kForum, "case_9", ActorIn(kForum, {"skole"}), OpenWith(), kNow);
  CHECK(CodeOf(r) == "forbidden");
  CHECK_THAT(MessageOf(r),
             Contains("may not open") && Contains("allowed: forebyggelsesbetjent, koordinator"));
}

TEST_CASE("Open hides a forum the actor is not a member of") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Open(def, kForum, "case_9", ActorIn("ssp_aarhus", {"koordinator"}), OpenWith(), kNow);
  CHECK(CodeOf(r) == "not_found");
  CHECK_THAT(MessageOf(r), Contains(kForum));
}

TEST_CASE("Open refuses a blank subject name") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  for (const char* blank : {"", "   ", "\t"}) {
    INFO('"' << blank << '"');
    auto r =
        Open(def, kForum, "case_9", koordinator, OpenWith({}, {blank, Day("2010-05-01")}), kNow);
    CHECK(CodeOf(r) == "invalid_request");
    CHECK_THAT(MessageOf(r), Contains("subject.name must not be empty"));
  }
}

TEST_CASE("Open takes a subject name of one line of at most 200 characters") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  auto name = [&](const std::string& n) {
    return Open(def, kForum, "case_9", koordinator, OpenWith({}, {n, Day("2010-05-01")}), kNow);
  };
  CHECK(CodeOf(name(Repeat("å", 200))) == "ok");
  auto too_long = name(Repeat("a", 201));
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("subject.name") && Contains("200 characters"));
  auto two_lines = name("Mikkel\nSørensen");
  CHECK(CodeOf(two_lines) == "invalid_request");
  CHECK_THAT(MessageOf(two_lines), Contains("subject.name must be one line"));
}

TEST_CASE("Open refuses a birth date in the future, and takes today") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  CHECK(CodeOf(Open(def, kForum, "case_9", koordinator, OpenWith({}, {"Nyfødt", Day("2026-11-23")}),
                    kNow)) == "ok");
  auto r =
      Open(def, kForum, "case_9", koordinator, OpenWith({}, {"Ufødt", Day("2026-11-24")}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("subject.birth_date is in the future"));
}

TEST_CASE("Open refuses a blank or overlong summary") {
  const WorkflowDefinition def = TinyWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  const Subject subject{"Mikkel Sørensen", Day("2010-05-01")};
  auto blank = Open(def, kForum, "case_9", koordinator, OpenWith({}, subject, " "), kNow);
  CHECK(CodeOf(blank) == "invalid_request");
  CHECK_THAT(MessageOf(blank), Contains("summary must not be empty"));
  auto too_long =
      Open(def, kForum, "case_9", koordinator, OpenWith({}, subject, Repeat("a", 10001)), kNow);
  CHECK(CodeOf(too_long) == "invalid_request");
  CHECK_THAT(MessageOf(too_long), Contains("summary is longer than 10000"));
  CHECK(CodeOf(Open(def, kForum, "case_9", koordinator, OpenWith({}, subject, Repeat("a", 10000)),
                    kNow)) == "ok");
}

TEST_CASE("Open refuses a summary of nothing but line breaks and spaces") {
  const WorkflowDefinition def = TinyWorkflow();
  auto r = Open(def, kForum, "case_9", ActorIn(kForum, {"koordinator"}),
                OpenWith({}, {"Mikkel Sørensen", Day("2010-05-01")}, " \n\r\n\t"), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("summary must not be empty"));
}

TEST_CASE("Open checks the opening fields and keeps them on the case") {
  const WorkflowDefinition def = ReleaseWorkflow();
  const Actor betjent = ActorIn(kForum, {"kriminalforsorg"});
  auto ok = Open(def, kForum, "case_9", betjent,
                 OpenWith({{"loesladelsesdato", "2027-05-31"s}, {"anstalt", "Vestre"s}}), kNow);
  REQUIRE(CodeOf(ok) == "ok");
  const Data expected{{"loesladelsesdato", "2027-05-31"s}, {"anstalt", "Vestre"s}};
  CHECK(ok->opened.data == expected);
  CHECK(ok->entry.data == expected);
  CHECK(ok->entry.role == "kriminalforsorg");
  CHECK(Due(ok->opened.due_at) == "2027-02-28T23:59:59Z");

  auto missing = Open(def, kForum, "case_9", betjent, OpenWith({{"anstalt", "Vestre"s}}), kNow);
  CHECK(CodeOf(missing) == "invalid_request");
  CHECK_THAT(MessageOf(missing), Contains("missing required field \"loesladelsesdato\""));

  auto unknown = Open(def, kForum, "case_9", betjent,
                      OpenWith({{"loesladelsesdato", "2027-05-31"s}, {"cpr", "x"s}}), kNow);
  CHECK(CodeOf(unknown) == "invalid_request");
  CHECK_THAT(MessageOf(unknown), Contains("unknown field \"cpr\""));

  auto ill_typed =
      Open(def, kForum, "case_9", betjent, OpenWith({{"loesladelsesdato", "31-05-2027"s}}), kNow);
  CHECK(CodeOf(ill_typed) == "invalid_request");
  CHECK_THAT(MessageOf(ill_typed), Contains("\"loesladelsesdato\": expected a date"));
}

TEST_CASE("Open applies the opening guards") {
  const WorkflowDefinition def = YouthBoardWorkflow();
  const Actor naevn = ActorIn(kForum, {"naevn"});
  CHECK(CodeOf(Open(def, kForum, "case_9", naevn, OpenWith({}, {"Ung", Day("2008-11-24")}),
                    kNow)) == "ok");  // 17 until tomorrow
  auto adult = Open(def, kForum, "case_9", naevn, OpenWith({}, {"Voksen", Day("2008-11-23")}),
                    kNow);  // 18 today
  CHECK(CodeOf(adult) == "guard_failed");
  CHECK_THAT(MessageOf(adult), Contains("age_between") && Contains("(is 18)"));
}

// ---- ComputeDueAt ----------------------------------------------------------------------

TEST_CASE("An hours deadline is that many hours after entering the state") {
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kHours, 48)),
                          At("2026-11-23T14:05:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-11-25T14:05:00Z");
}

TEST_CASE("A days deadline counts calendar days, weekends included") {
  auto due = ComputeDueAt(State("s", DaysDeadline(6)), At("2026-12-18T10:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-12-24T10:00:00Z");
}

TEST_CASE("A workdays deadline skips the weekend at the same time of day") {
  // Friday 18 December 2026: Mon 21, Tue 22, Wed 23.
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 3)),
                          At("2026-12-18T10:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-12-23T10:00:00Z");
}

TEST_CASE("A workdays deadline skips Christmas") {
  // From Friday 18 December 2026: 21, 22, 23, (24-25 juleaftensdag/juledag, 26-27 the
  // weekend and 2. juledag), 28, 29.
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 5)),
                          At("2026-12-18T10:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-12-29T10:00:00Z");
  // From Wednesday 23 December: 28, 29, 30.
  auto later = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 3)),
                            At("2026-12-23T16:30:00Z"), {});
  REQUIRE(later.ok());
  CHECK(Due(later) == "2026-12-30T16:30:00Z");
}

TEST_CASE("A workdays deadline skips Easter") {
  // Easter Sunday 2027 is 28 March: skærtorsdag 25, langfredag 26, 2. påskedag 29.
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 2)),
                          At("2027-03-24T08:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2027-03-31T08:00:00Z");
}

TEST_CASE("A from_field deadline is the end of the field's date moved by the offsets") {
  const StateDef s = State("s", FromField("loesladelsesdato", -3));
  auto due = [&](const std::string& date) {
    return ComputeDueAt(s, kNow, {{"loesladelsesdato", date}});
  };
  CHECK(Due(due("2027-08-15")) == "2027-05-15T23:59:59Z");
  CHECK(Due(due("2027-05-31")) == "2027-02-28T23:59:59Z");  // clamped to the month's end
  CHECK(Due(due("2028-05-31")) == "2028-02-29T23:59:59Z");  // leap year
  CHECK(Due(due("2027-02-15")) == "2026-11-15T23:59:59Z");  // into the year before
  auto with_days = ComputeDueAt(State("s", FromField("loesladelsesdato", -3, 1)), kNow,
                                {{"loesladelsesdato", "2027-05-31"s}});
  REQUIRE(with_days.ok());
  CHECK(Due(with_days) == "2027-03-01T23:59:59Z");  // days are added after the months
}

TEST_CASE("A from_field deadline without its date is an error naming the field") {
  const StateDef s = State("forberedelse", FromField("loesladelsesdato", -3));
  for (const Data& data :
       {Data{}, Data{{"loesladelsesdato", "31-05-2027"s}}, Data{{"loesladelsesdato", true}}}) {
    auto due = ComputeDueAt(s, kNow, data);
    CHECK(CodeOf(due) == "invalid_request");
    CHECK_THAT(MessageOf(due), Contains("\"forberedelse\"") && Contains("\"loesladelsesdato\""));
  }
}

TEST_CASE("A terminal state has no deadline") {
  auto due = ComputeDueAt(Terminal("lukket"), kNow, {});
  REQUIRE(due.ok());
  CHECK_FALSE(due->has_value());
}

// ---- EscalationFor ---------------------------------------------------------------------

TEST_CASE("A case before its deadline is not escalated") {
  const WorkflowDefinition def = TinyWorkflow();
  const Case c = CaseAt(def, "ny");  // due 2026-11-25T09:00:00Z
  CHECK_FALSE(EscalationFor(c, At("2026-11-25T08:59:59Z")).has_value());
}

TEST_CASE("A case at or past its deadline is escalated by the system") {
  const WorkflowDefinition def = TinyWorkflow();
  const Case c = CaseAt(def, "ny");
  for (const char* when : {"2026-11-25T09:00:00Z", "2026-12-01T00:00:00Z"}) {
    INFO(when);
    auto e = EscalationFor(c, At(when));
    REQUIRE(e.has_value());
    CHECK(e->action == "escalate");
    CHECK(e->from == "ny");
    CHECK(e->to == "ny");
    CHECK(e->actor_id.empty());
    CHECK(e->role.empty());
    CHECK(e->at == At(when));
    CHECK_THAT(e->comment, Contains("2026-11-25T09:00:00Z"));
    CHECK(e->data.empty());
  }
}

TEST_CASE("A case is escalated only once per deadline") {
  const WorkflowDefinition def = TinyWorkflow();
  Case c = CaseAt(def, "ny");
  c.escalated = true;
  CHECK_FALSE(EscalationFor(c, At("2026-12-01T00:00:00Z")).has_value());
}

TEST_CASE("A case in a terminal state is never escalated") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK_FALSE(EscalationFor(CaseAt(def, "lukket"), At("2030-01-01T00:00:00Z")).has_value());
}

// ---- Referrals -------------------------------------------------------------------------

TEST_CASE("A referral action yields the referral to carry out") {
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

TEST_CASE("A referral action without its target forum is refused") {
  WorkflowDefinition def = ReferringWorkflow();
  def.transitions[0].fields[0].required = false;
  auto r = Decide(def, CaseAt(def, "modtaget"), ActorIn(kForum, {"koordinator"}),
                  Fire("henvis_ukn", 4, {{"ukn_resume", "Gentagen vold"s}}), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("\"ukn_forum\""));
}

TEST_CASE("OpenReferral opens a case with only the subject and the summary") {
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

TEST_CASE("OpenReferral applies the target's opening guards") {
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

TEST_CASE("OpenReferral refuses a target workflow with required opening fields") {
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

TEST_CASE("OpenReferral refuses a blank summary") {
  const Referral referral{"ukn_koebenhavn", "ukn", "ukn", "  "};
  auto r = OpenReferral(YouthBoardWorkflow(), referral, CaseAt(ReferringWorkflow(), "modtaget"),
                        "case_2", ActorIn(kForum, {"koordinator"}), "koordinator", kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("summary"));
}

// ---- confidentiality (domain.md rule 4) -------------------------------------------------

namespace {

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

}  // namespace

TEST_CASE("The confidential workflow of these tests is valid") {
  CHECK(Validate(ConfidentialWorkflow()).empty());
}

TEST_CASE("A confidential step's comment and input are withheld from a member without a confidential role") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  const Case c = CaseAt(def, "lukket");
  const HistoryEntry read =
      AsReadBy(def, c, Step("luk", "aktiv", "lukket", {{"begrundelse", "Mæglingen gik godt"s}}, "Notat"),
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

TEST_CASE("A member with a confidential role reads a confidential step whole") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  const Case c = CaseAt(def, "lukket");
  const HistoryEntry read =
      AsReadBy(def, c, Step("luk", "aktiv", "lukket", {{"begrundelse", "Mæglingen gik godt"s}}, "Notat"),
               ActorIn(kForum, {"forebyggelsesbetjent", "koordinator"}));
  CHECK(read.confidential);
  CHECK_FALSE(read.withheld);
  CHECK(read.comment == "Notat");
  CHECK(read.data.count("begrundelse") == 1);
}

TEST_CASE("A confidential role held in another forum does not open a case's confidential steps") {
  const WorkflowDefinition def = ConfidentialWorkflow();
  Actor actor = ActorIn(kForum, {"forebyggelsesbetjent"});
  actor.roles_by_forum["ssp_aarhus"].insert("koordinator");
  const HistoryEntry read = AsReadBy(def, CaseAt(def, "lukket"),
                                     Step("luk", "aktiv", "lukket", {}, "Notat"), actor);
  CHECK(read.withheld);
  CHECK(read.comment.empty());
}

TEST_CASE("A step that is not confidential, the opening and an escalation are read as they are") {
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

TEST_CASE("The case data keeps a confidential step's fields from a member without a confidential role") {
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

TEST_CASE("A workflow without confidential steps withholds nothing") {
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

// ---- reopening (domain.md rule 6) --------------------------------------------------------

namespace {

// TinyWorkflow whose closed cases a koordinator may send back to `aktiv`.
WorkflowDefinition ReopeningWorkflow() {
  WorkflowDefinition def = TinyWorkflow();
  def.reopen = ReopenDef{{"koordinator"}, "aktiv", "Genåbn sagen"};
  return def;
}

ReopenCommand ReopenWith(const std::string& reason, std::int64_t expected_version = 4) {
  return ReopenCommand{expected_version, reason};
}

}  // namespace

TEST_CASE("The reopening workflow of these tests is valid") { CHECK(Validate(ReopeningWorkflow()).empty()); }

TEST_CASE("Reopen sends a closed case back with a new deadline, its data and a reason kept") {
  const WorkflowDefinition def = ReopeningWorkflow();
  Case closed = CaseAt(def, "lukket", {{"begrundelse", "Flyttet"s}});
  closed.due_at.reset();
  closed.escalated = true;
  auto r = Reopen(def, closed, ActorIn(kForum, {"koordinator"}), ReopenWith("Familien er flyttet tilbage"), kNow);
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

TEST_CASE("Reopen refuses a stale version first") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto r = Reopen(def, CaseAt(def, "lukket"), ActorIn("andet_forum", {"koordinator"}),
                  ReopenWith("Ny viden", 3), kNow);
  CHECK(CodeOf(r) == "version_conflict");
}

TEST_CASE("Reopen hides the case from a non-member") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto r = Reopen(def, CaseAt(def, "lukket"), ActorIn("andet_forum", {"koordinator"}),
                  ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(r) == "not_found");
}

TEST_CASE("Reopen refuses a case that is not closed, and a workflow without reopening") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto open = Reopen(def, CaseAt(def, "aktiv"), ActorIn(kForum, {"koordinator"}), ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(open) == "invalid_request");
  CHECK_THAT(MessageOf(open), Contains("only a closed case"));
  const WorkflowDefinition never = TinyWorkflow();
  auto r = Reopen(never, CaseAt(never, "lukket"), ActorIn(kForum, {"koordinator"}), ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(r) == "invalid_request");
  CHECK_THAT(MessageOf(r), Contains("does not reopen"));
}

TEST_CASE("Reopen forbids a member whose role may not reopen") {
  const WorkflowDefinition def = ReopeningWorkflow();
  auto r = Reopen(def, CaseAt(def, "lukket"), ActorIn(kForum, {"forebyggelsesbetjent"}),
                  ReopenWith("Ny viden"), kNow);
  CHECK(CodeOf(r) == "forbidden");
  CHECK_THAT(MessageOf(r), Contains("koordinator"));
}

TEST_CASE("Reopen needs a reason of at most 10000 characters") {
  const WorkflowDefinition def = ReopeningWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  for (const std::string& blank : {""s, "  \n\t "s}) {
    auto r = Reopen(def, CaseAt(def, "lukket"), koordinator, ReopenWith(blank), kNow);
    CHECK(CodeOf(r) == "invalid_request");
    CHECK_THAT(MessageOf(r), Contains("needs a reason"));
  }
  CHECK(CodeOf(Reopen(def, CaseAt(def, "lukket"), koordinator, ReopenWith(Repeat("x", 10001)), kNow)) ==
        "invalid_request");
  CHECK(CodeOf(Reopen(def, CaseAt(def, "lukket"), koordinator, ReopenWith(Repeat("x", 10000)), kNow)) == "ok");
}

TEST_CASE("MayReopen: a closed case, a workflow that reopens, a role that may") {
  const WorkflowDefinition def = ReopeningWorkflow();
  const Actor koordinator = ActorIn(kForum, {"koordinator"});
  CHECK(MayReopen(def, CaseAt(def, "lukket"), koordinator));
  CHECK_FALSE(MayReopen(def, CaseAt(def, "aktiv"), koordinator));
  CHECK_FALSE(MayReopen(def, CaseAt(def, "lukket"), ActorIn(kForum, {"forebyggelsesbetjent"})));
  CHECK_FALSE(MayReopen(def, CaseAt(def, "lukket"), ActorIn("andet_forum", {"koordinator"})));
  const WorkflowDefinition never = TinyWorkflow();
  CHECK_FALSE(MayReopen(never, CaseAt(never, "lukket"), koordinator));
}

}  // namespace samspil
