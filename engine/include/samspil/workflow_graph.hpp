// A workflow's states as a graph whose edges are the transitions that move a case: one edge
// from each `from` to the transition's target, when that is another known state (a side
// action, or a row whose `to` is its own `from`, is no edge). The validator, the generated
// docs and the demo data all ask this graph, so they agree on what "reachable" means.
//
// Pure functions of the definition; none requires it to be valid (a broken reference is
// simply no edge), so Validate() can use them to explain what is wrong.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "samspil/workflow.hpp"

namespace samspil {

// Which transitions count as edges; an empty filter counts them all.
using TransitionFilter = std::function<bool(const TransitionDef&)>;

// The states one moving transition leads to from `state`.
std::set<std::string> Successors(const WorkflowDefinition& def, const std::string& state,
                                 const TransitionFilter& use = {});

// `start` and every state reachable from it along the edges; with kBackward, every state
// from which one of `start` can be reached.
enum class Direction { kForward, kBackward };
std::set<std::string> Reachable(const WorkflowDefinition& def, const std::set<std::string>& start,
                                Direction direction = Direction::kForward);

// For every state reachable from `start`, a shortest sequence of transitions that takes a
// case there (empty for `start` itself). Breadth-first in definition order, so the path
// chosen among equally short ones is the same on every run. The pointers point into `def`.
using TransitionPath = std::vector<const TransitionDef*>;
std::map<std::string, TransitionPath> ShortestPaths(const WorkflowDefinition& def,
                                                    const std::string& start,
                                                    const TransitionFilter& use = {});

}  // namespace samspil
