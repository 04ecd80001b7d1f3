// The pages in docs/workflows/, generated from the definitions (style.md: a state machine is
// documented from its data, not by hand). tools/workflow_docs/gen_workflow_docs writes them,
// and tests/tools/workflow_docs_test.cpp fails when the committed pages drift from the data.
// Needs only the engine: reading the JSON files is the gen tool's job.
//
// Output is deterministic: it depends on the definition alone (no clock, no locale), in the
// definition's own order, so regenerating an unchanged workflow is a no-op.
#pragma once

#include <map>
#include <string>

#include "samspil/workflow.hpp"

namespace samspil {

// docs/workflows/<id>.md: title, how a case is opened, a Mermaid stateDiagram-v2, the states
// and transitions tables and the invariants that hold by construction. Headings and prose are
// English; labels stay Danish, as in the data.
// REQUIRES: a validated definition (every guard name is known, every `from` exists).
std::string WorkflowMarkdown(const WorkflowDefinition& def);

// docs/workflows/README.md: one row per workflow, linking its page, ordered by id.
std::string WorkflowIndexMarkdown(const std::map<std::string, WorkflowDefinition>& by_id);

// A deadline in words, e.g. "10 working days (hverdage)", "48 hours",
// "3 months before `loesladelsesdato`, end of day (23:59:59 UTC)".
std::string DeadlineInWords(const DeadlineSpec& deadline);

}  // namespace samspil
