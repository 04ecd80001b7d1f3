// A forum's process as data: states, transitions, the fields each step asks for, the
// guards that must hold and the deadlines of each state. Parsed from workflows/*.json by
// adapters/workflow_loader and checked by Validate() before the engine runs it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "samspil/value.hpp"

namespace samspil {

// The roles of docs/domain.md; a workflow may name no other.
const std::vector<std::string>& KnownRoles();

enum class FieldType { kString, kText, kBoolean, kDate, kEnum, kForum };

// "string", "text", "boolean", "date", "enum", "forum"
const char* FieldTypeName(FieldType type);
std::optional<FieldType> ParseFieldType(const std::string& name);

struct FieldSpec {
  std::string name;  // key in the "data" object, ASCII snake_case
  FieldType type = FieldType::kString;
  std::string label;  // Danish, shown in the UI
  bool required = false;
  std::vector<std::string> options;  // kEnum: the allowed values
  // kEnum, optional: how a value reads in the UI ("bekymrende_adfaerd" → "Bekymrende
  // adfærd"); the values themselves stay ASCII ids.
  std::map<std::string, std::string> option_labels;
  std::string workflow;              // kForum: the target forum must run this workflow
};

// A named guard from the registry (guards.hpp) with its parameters from the JSON.
struct GuardCall {
  std::string name;
  Data params;
};

// How long a case may stay in a state. Exactly one kind is set.
struct DeadlineSpec {
  enum class Kind { kHours, kDays, kWorkingDays, kFromField };
  Kind kind = Kind::kDays;
  int amount = 0;         // kHours, kDays, kWorkingDays: how many after entering
  std::string field;      // kFromField: a date field of the case data
  int offset_months = 0;  // kFromField: added to that date (negative: before it)
  int offset_days = 0;    // kFromField: added after offset_months
};

struct StateDef {
  std::string id;
  std::string label;
  bool initial = false;
  bool terminal = false;
  std::optional<DeadlineSpec> deadline;  // every non-terminal state has one
};

// A referral: the action opens a linked case in another forum (docs/domain.md rule 1).
struct ReferralSpec {
  std::string forum_field;    // a kForum field naming the target forum
  std::string summary_field;  // the text passed on to the target forum
  std::string legal_basis;    // one of KnownLegalBases()
};

const std::vector<std::string>& KnownLegalBases();

struct TransitionDef {
  std::string action;
  std::string label;
  std::vector<std::string> from;
  std::optional<std::string> to;  // nullopt: the case stays in the state it is in
  std::vector<std::string> roles;
  std::vector<FieldSpec> fields;
  std::vector<GuardCall> guards;
  std::optional<ReferralSpec> referral;
  // docs/domain.md rule 4: the comment and input of this step are for the workflow's
  // confidential_roles only (konfliktråd's mediation notes).
  bool confidential = false;

  // The state a case in `from_state` moves to.
  const std::string& TargetFrom(const std::string& from_state) const {
    return to ? *to : from_state;
  }
};

// Reopening a closed case (docs/domain.md rule 6: closing keeps the history, reopening needs a
// reason): who may, and the open state the case goes back to.
struct ReopenDef {
  std::vector<std::string> roles;
  std::string to;
  std::string label;  // Danish, the UI's button
};

struct OpenDef {
  std::vector<std::string> roles;
  std::vector<FieldSpec> fields;
  std::vector<GuardCall> guards;
};

struct WorkflowDefinition {
  std::string id;
  std::string name;
  std::int64_t version = 1;
  OpenDef open;
  std::vector<StateDef> states;
  std::vector<TransitionDef> transitions;
  std::optional<ReopenDef> reopen;  // absent: a closed case stays closed
  // Who reads the comment and input of the confidential transitions (docs/domain.md rule 4).
  std::vector<std::string> confidential_roles;

  const StateDef* FindState(const std::string& id) const;
  const StateDef& InitialState() const;  // REQUIRES: a validated definition
  // The row for (state, action), or nullptr.
  const TransitionDef* FindTransition(const std::string& state, const std::string& action) const;
  bool HasAction(const std::string& action) const;
};

// One broken rule, with the JSON path it concerns: {"transitions[3].to",
// "unknown state \"vurdring\""}. The loader prefixes the file name.
struct DefinitionProblem {
  std::string path;
  std::string message;
};

// Every rule of workflows/README.md ("Validation"); empty when the definition is sound.
std::vector<DefinitionProblem> Validate(const WorkflowDefinition& def);

}  // namespace samspil
