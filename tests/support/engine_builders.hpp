// Builders for the engine's rule tests (tests/engine/*): small definitions written inline,
// a case in any state, a command to fire, and the error code or message of a result as text
// so that a failing check prints it. Header-only and engine-only, like builders.hpp.
#pragma once

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "samspil/engine.hpp"
#include "support/builders.hpp"

namespace samspil::test {

// The forum of every case and actor here, unless a test names another.
inline constexpr const char* kForum = "ssp_koebenhavn";

inline std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

inline DeadlineSpec Deadline(DeadlineSpec::Kind kind, int amount) {
  DeadlineSpec d;
  d.kind = kind;
  d.amount = amount;
  return d;
}

inline DeadlineSpec FromField(const std::string& field, int offset_months, int offset_days = 0) {
  DeadlineSpec d;
  d.kind = DeadlineSpec::Kind::kFromField;
  d.field = field;
  d.offset_months = offset_months;
  d.offset_days = offset_days;
  return d;
}

inline StateDef State(const std::string& id, std::optional<DeadlineSpec> deadline,
                      bool initial = false) {
  return StateDef{id, id, initial, false, deadline};
}

inline StateDef Terminal(const std::string& id) {
  return StateDef{id, id, false, true, std::nullopt};
}

inline TransitionDef Row(const std::string& action, std::vector<std::string> from,
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

inline FieldSpec EnumField(const std::string& name, std::vector<std::string> options) {
  FieldSpec f = Field(name, FieldType::kEnum);
  f.options = std::move(options);
  return f;
}

inline FieldSpec ForumField(const std::string& name, const std::string& workflow, bool required) {
  FieldSpec f = Field(name, FieldType::kForum, required);
  f.workflow = workflow;
  return f;
}

// One side action ("registrer", stay) that asks for a field of every type.
inline WorkflowDefinition FieldsWorkflow() {
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
inline WorkflowDefinition MeetingWorkflow() {
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
inline WorkflowDefinition ReleaseWorkflow() {
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
inline WorkflowDefinition ReferringWorkflow() {
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
inline WorkflowDefinition YouthBoardWorkflow() {
  WorkflowDefinition def;
  def.id = "ukn";
  def.name = "UKN";
  def.open.roles = {"naevn", "koordinator"};
  def.open.guards = {GuardCall{"age_between", {{"min", 10.0}, {"max", 17.0}}}};
  def.states = {State("modtaget", DaysDeadline(14), true), Terminal("afgjort")};
  def.transitions = {Row("afgoer", {"modtaget"}, "afgjort", {"naevn"})};
  return def;
}

inline Case CaseAt(const WorkflowDefinition& def, const std::string& state, Data data = {}) {
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

inline TransitionCommand Fire(const std::string& action, std::int64_t expected_version,
                              Data data = {}, const std::string& comment = "") {
  return TransitionCommand{action, expected_version, comment, std::move(data)};
}

inline OpenCommand OpenWith(Data data = {},
                            Subject subject = {"Mikkel Sørensen", Day("2010-05-01")},
                            const std::string& summary = "Bekymring for skolefravær") {
  return OpenCommand{std::move(subject), summary, std::move(data)};
}

template <typename T>
inline std::string CodeOf(const Result<T>& r) {
  return r.ok() ? "ok" : ErrorCodeName(r.error().code);
}

template <typename T>
inline std::string MessageOf(const Result<T>& r) {
  return r.ok() ? "" : r.error().message;
}

inline std::vector<std::string> Actions(const std::vector<const TransitionDef*>& rows) {
  std::vector<std::string> out;
  for (const auto* t : rows) out.push_back(t->action);
  return out;
}

inline const Timestamp kNow = *ParseTimestamp("2026-11-23T14:05:00Z");  // a Monday

// Deadlines as text, so a failing check prints them.
inline std::string Due(const std::optional<Timestamp>& t) {
  return t ? FormatTimestamp(*t) : "none";
}
inline std::string Due(const Result<std::optional<Timestamp>>& r) {
  return r.ok() ? Due(*r) : "error: " + r.error().message;
}

// "registrer" with a valid name unless the test gives one.
inline Result<Decision> Register(Data data) {
  data.emplace("navn", std::string("Mikkel"));
  const WorkflowDefinition def = FieldsWorkflow();
  return Decide(def, CaseAt(def, "ny"), ActorIn(kForum, {"koordinator"}),
                Fire("registrer", 4, std::move(data)), kNow);
}
}  // namespace samspil::test
