#include "samspil/workflow_graph.hpp"

#include <algorithm>
#include <deque>

namespace samspil {
namespace {

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Calls `edge(from, to, transition)` for every edge of the graph, in definition order.
template <typename Edge>
void ForEachEdge(const WorkflowDefinition& def, const TransitionFilter& use, Edge edge) {
  for (const auto& t : def.transitions) {
    if (use && !use(t)) continue;
    for (const auto& from : t.from) {
      const std::string& to = t.TargetFrom(from);
      if (to != from && def.FindState(to)) edge(from, to, t);
    }
  }
}

}  // namespace

std::set<std::string> Successors(const WorkflowDefinition& def, const std::string& state,
                                 const TransitionFilter& use) {
  std::set<std::string> next;
  ForEachEdge(def, use, [&](const std::string& from, const std::string& to, const TransitionDef&) {
    if (from == state) next.insert(to);
  });
  return next;
}

std::set<std::string> Reachable(const WorkflowDefinition& def, const std::set<std::string>& start,
                                Direction direction) {
  std::set<std::string> seen = start;
  std::deque<std::string> queue(start.begin(), start.end());
  const bool forward = direction == Direction::kForward;
  while (!queue.empty()) {
    const std::string at = queue.front();
    queue.pop_front();
    ForEachEdge(def, {}, [&](const std::string& from, const std::string& to, const TransitionDef&) {
      const std::string& src = forward ? from : to;
      const std::string& dst = forward ? to : from;
      if (src == at && seen.insert(dst).second) queue.push_back(dst);
    });
  }
  return seen;
}

std::map<std::string, TransitionPath> ShortestPaths(const WorkflowDefinition& def,
                                                    const std::string& start,
                                                    const TransitionFilter& use) {
  std::map<std::string, TransitionPath> paths{{start, {}}};
  std::deque<std::string> queue{start};
  while (!queue.empty()) {
    const std::string state = queue.front();
    queue.pop_front();
    // One look per transition, not per `from` entry: the first row that reaches a state wins.
    for (const auto& t : def.transitions) {
      if ((use && !use(t)) || !Contains(t.from, state)) continue;
      const std::string& to = t.TargetFrom(state);
      if (to == state || !def.FindState(to) || paths.count(to)) continue;
      TransitionPath path = paths[state];
      path.push_back(&t);
      paths.emplace(to, std::move(path));
      queue.push_back(to);
    }
  }
  return paths;
}

}  // namespace samspil
