// The workflow registry port: every definition version a case may be pinned to, stored with
// its source so that a case opened under an old version is still decided by it.
//
// Atomicity: RegisterWorkflow is one transaction.
//
// Errors: kInvalidDefinition when an (id, version) already registered is registered again
// with different content; kInternal from PinnedWorkflow for a version never registered or a
// stored source that no longer parses; kUnavailable when the database cannot be reached or
// cannot write right now.
//
// Thread-safety: may be called from many threads at once; PinnedWorkflow parses each
// version once per process and shares the result.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "samspil/error.hpp"
#include "samspil/workflow.hpp"

namespace samspil {

class WorkflowRegistry {
 public:
  virtual ~WorkflowRegistry() = default;

  // Records a definition version the first time it is seen. The same (id, version) with
  // different content is refused: a changed workflow needs a new version, because open cases
  // stay pinned to the version they started with.
  virtual Status RegisterWorkflow(const WorkflowDefinition& def, const std::string& source) = 0;
  // The definition a case is pinned to (parsed once per process).
  virtual Result<std::shared_ptr<const WorkflowDefinition>> PinnedWorkflow(
      const std::string& id, std::int64_t version) = 0;
};

}  // namespace samspil
