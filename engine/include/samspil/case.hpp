// A citizen's course through one forum's workflow, and the people acting on it.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "samspil/time.hpp"
#include "samspil/value.hpp"

namespace samspil {

struct Subject {
  std::string name;
  Date birth_date{};
};

struct Case {
  std::string id;
  std::string forum_id;
  std::string workflow_id;
  std::int64_t workflow_version = 1;  // pinned when opened
  std::string state;
  std::int64_t version = 1;  // +1 on every transition
  Subject subject;
  std::string summary;
  Data data;              // every field value given so far, latest wins
  std::string opened_by;  // user id
  Timestamp opened_at{};
  Timestamp updated_at{};
  Timestamp state_entered_at{};
  std::optional<Timestamp> due_at;  // nullopt only in terminal states
  bool escalated = false;

  bool Overdue(Timestamp now) const { return due_at && *due_at <= now; }
};

// Who acts: a user of an agency with roles per forum (memberships).
struct Actor {
  std::string id;
  std::string agency_id;
  bool is_admin = false;
  std::map<std::string, std::set<std::string>> roles_by_forum;

  const std::set<std::string>& RolesIn(const std::string& forum_id) const;
};

// One line of a case's append-only history. The store assigns `seq`.
struct HistoryEntry {
  std::int64_t seq = 0;
  std::string action;  // kOpenAction, kEscalateAction or a workflow action
  std::string from;    // empty for the opening
  std::string to;
  std::string actor_id;  // empty for the system (deadline scan)
  std::string role;      // the role the actor acted in; empty for the system
  Timestamp at{};
  std::string comment;
  Data data;  // the input of this step
  // Set when the entry is read (AsReadBy): a confidential step, and whether its comment and
  // data were withheld from this reader.
  bool confidential = false;
  bool withheld = false;
};

inline constexpr const char* kOpenAction = "open";
inline constexpr const char* kEscalateAction = "escalate";
inline constexpr const char* kReopenAction = "reopen";

}  // namespace samspil
