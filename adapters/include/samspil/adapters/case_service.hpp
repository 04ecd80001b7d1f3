// The use cases around a case: load what the engine needs, let it decide, persist the
// decision. Shared by the CLI (seed-demo), the HTTP handlers and the tests, so the rules are
// applied the same way everywhere. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/engine.hpp"

namespace samspil {

class CaseService {
 public:
  // `current` are the loaded definitions (new cases use them); cases opened under an
  // older version are decided by the version they are pinned to, read from the store.
  CaseService(Store& store, std::map<std::string, WorkflowDefinition> current, Clock& clock,
              IdSource& ids);

  const std::map<std::string, WorkflowDefinition>& Workflows() const { return current_; }

  Result<Case> OpenCase(const Actor& actor, const std::string& forum_id, const OpenCommand& command,
                        const AuditContext& who);

  // kNotFound when the actor may not see the case; otherwise as Decide().
  Result<Case> Transition(const Actor& actor, const std::string& case_id,
                          const TransitionCommand& command, const AuditContext& who);

  // kNotFound when the actor may not see the case; otherwise as samspil::Reopen().
  Result<Case> Reopen(const Actor& actor, const std::string& case_id,
                      const ReopenCommand& command, const AuditContext& who);

  // The definition a case is pinned to (the store's, parsed once).
  Result<std::shared_ptr<const WorkflowDefinition>> DefinitionOf(const Case& c);

 private:
  Store& store_;
  std::map<std::string, WorkflowDefinition> current_;
  Clock& clock_;
  IdSource& ids_;
};

}  // namespace samspil
