// Guards: named C++ predicates that a workflow file switches on with parameters.
// Data names behaviour, code implements it; adding a guard means adding it here.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "samspil/case.hpp"
#include "samspil/value.hpp"
#include "samspil/workflow.hpp"

namespace samspil {

// What a guard may look at.
struct GuardContext {
  const Subject& subject;
  const Data& data;  // the case data merged with this step's input
  Timestamp now;
  std::string role = {};  // the role the actor acts in (at a referral: the referring role)
};

struct GuardInfo {
  std::string name;
  std::string description;  // for docs/workflows and the API
  // Checks the JSON parameters against what the guard takes and the fields the workflow
  // declares; paths are relative to the guard ("params.min"). Empty: fine.
  std::function<std::vector<DefinitionProblem>(
      const Data& params, const std::map<std::string, FieldType>& declared_fields)>
      check_params;
  // nullopt when the guard holds, else the reason in words (Danish is not required here:
  // the message names the guard and the rule, e.g. "age_between: the subject is 18, ...").
  std::function<std::optional<std::string>(const Data& params, const GuardContext& ctx)> evaluate;
};

// The registry; lookup by name, nullptr if unknown.
const std::vector<GuardInfo>& Guards();
const GuardInfo* FindGuard(const std::string& name);

}  // namespace samspil
