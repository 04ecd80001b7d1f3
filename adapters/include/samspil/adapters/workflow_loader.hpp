// Reads workflow definitions from JSON (Poco::JSON) and validates them. Every problem is
// reported as "FILE: PATH: message" so an author can find it.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "samspil/error.hpp"
#include "samspil/workflow.hpp"

namespace samspil {

struct LoadProblem {
  std::string file;  // the file name, e.g. "ssp.json"
  std::string path;  // the JSON path, e.g. "transitions[3].to"; empty for file-level
  std::string message;
  std::string ToString() const;  // "ssp.json: transitions[3].to: unknown state \"x\""
};

struct LoadedWorkflows {
  std::map<std::string, WorkflowDefinition> by_id;
  std::map<std::string, std::string> source_by_id;  // the exact JSON text, for pinning
  std::vector<LoadProblem> problems;                // empty when all are sound
};

// Parses and validates one definition given as text; `file` names it in problems.
// Returns the definition only when there is no problem.
Result<WorkflowDefinition> ParseWorkflow(const std::string& json_text, const std::string& file,
                                         std::vector<LoadProblem>& problems);

// Loads every *.json in `dir` (sorted by name), parses and validates each, and checks
// that file names match ids. Definitions with problems are left out of `by_id`.
LoadedWorkflows LoadWorkflowDir(const std::filesystem::path& dir);

}  // namespace samspil
