// The case store port: cases, their history and links, the deadline scan, and the figures
// drawn from them.
//
// Access is decided here, not in the callers: every method that returns case data takes
// the acting user (an Actor with its memberships) and only ever returns cases of fora the
// actor is a member of. A case the actor may not see is kNotFound, exactly like a case
// that does not exist.
//
// Atomicity: every change is one transaction together with its history row and its audit
// entry. Every read that returns a case is recorded in the audit log before the data is
// returned (docs/domain.md rule 3): a read that cannot be recorded fails with kInternal rather
// than go unrecorded.
//
// Errors: a storage failure is never a user error. kUnavailable when the database cannot
// be reached or cannot write right now, kInternal for a bug or stored data that does not
// parse; kNotFound, kVersionConflict and the like only for what they say.
//
// Thread-safety: may be called from many threads at once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "samspil/adapters/audit_log.hpp"
#include "samspil/case.hpp"
#include "samspil/engine.hpp"
#include "samspil/error.hpp"

namespace samspil {

struct CaseLink {
  std::string case_id;   // the other case
  std::string forum_id;  // its forum
  std::string relation;  // "referred_to" or "referred_from"
  std::string legal_basis;
};

struct CaseFilter {
  std::optional<std::string> forum_id;
  std::optional<std::string> state;
  bool only_overdue = false;
  bool only_escalated = false;
  std::optional<Timestamp> now;  // needed with only_overdue
  size_t limit = 50;
  std::string after_id;  // cursor: cases ordered by id, strictly after this one
};

struct CasePage {
  std::vector<Case> items;
  std::optional<std::string> next_cursor;  // the id to pass as after_id; nullopt at the end
};

// A page of cases as a list shows them: the cases of ListCases, each with its links, and
// the display names of the users who opened them.
struct CaseViewPage {
  std::vector<Case> items;
  std::optional<std::string> next_cursor;  // as CasePage's
  std::map<std::string, std::vector<CaseLink>> links;  // by case id; an entry for every item
  std::map<std::string, std::string> display_names;    // by user id: the items' openers
};

// Per-forum figures for the coordinators' overview. Counts and durations only, no personal
// data.
struct StateStatistics {
  std::string state;
  std::int64_t cases = 0;          // cases now in this state
  std::int64_t overdue = 0;        // of them with due_at <= now
  std::int64_t escalated = 0;      // of them marked escalated
  double mean_days_in_state = 0;   // mean of (now - state_entered_at) in days over those cases
  double max_days_in_state = 0;
};
struct ForumStatistics {
  std::string forum_id;
  std::int64_t total_cases = 0;
  std::vector<StateStatistics> states;  // every state that holds at least one case, ordered by state id
  std::int64_t deadlines_met = 0;       // history steps that left a state (from_state != to_state) at or before the deadline that state had
  std::int64_t deadlines_missed = 0;    // ... after it
  std::int64_t escalations = 0;         // escalation entries in the history of the forum's cases
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // What a reader gets follows docs/domain.md rule 4: cases without the confidential steps' data
  // (WithholdConfidential) and history entries as AsReadBy gives them, unless the reader
  // holds a confidential role.
  virtual Status CreateCase(const Opening& opening, const Actor& actor,
                            const AuditContext& who) = 0;
  virtual Result<Case> GetCase(const Actor& actor, const std::string& case_id,
                               const AuditContext& who, Timestamp now) = 0;
  // Ordered by id; one audit entry per case returned.
  virtual Result<CasePage> ListCases(const Actor& actor, const CaseFilter& filter,
                                     const AuditContext& who, Timestamp now) = 0;
  // ListCases (the same cases, scope, audit entries and withholding), each case with its
  // links as Links gives them and its opener's display name as DisplayNames gives it, read
  // in a fixed number of statements whatever the page size (not one per case).
  virtual Result<CaseViewPage> ListCaseViews(const Actor& actor, const CaseFilter& filter,
                                             const AuditContext& who, Timestamp now) = 0;
  // Overdue (at `now`) or escalated cases of every forum where the actor is koordinator,
  // the longest overdue first.
  virtual Result<std::vector<Case>> ListEscalations(const Actor& actor, size_t limit,
                                                    const AuditContext& who, Timestamp now) = 0;
  // Figures for one forum at `now`, scoped like a case read: a forum the actor is not a
  // member of is kNotFound (admins included). Recorded as one "forum.stats" audit entry.
  // Steps stored before schema version 3 have no recorded deadline and count in neither
  // deadlines_met nor deadlines_missed.
  virtual Result<ForumStatistics> ForumStats(const AuditContext& who, const Actor& actor,
                                             const std::string& forum_id, Timestamp now) = 0;
  virtual Result<std::vector<HistoryEntry>> History(const Actor& actor, const std::string& case_id,
                                                    const AuditContext& who, Timestamp now) = 0;
  // The links of a visible case (ids only; read together with the case, which is audited).
  virtual Result<std::vector<CaseLink>> Links(const Actor& actor, const std::string& case_id) = 0;
  // The case as a decision needs it, not audited on its own: only for a change, whose
  // audit entry records the access.
  virtual Result<Case> LoadForDecision(const Actor& actor, const std::string& case_id) = 0;

  // Persists a decision atomically: the versioned update (kVersionConflict when another
  // transition got there first), the history row and the audit entry. With a referral,
  // `referred` is the linked case opened in the target forum in the same transaction.
  virtual Result<Case> ApplyDecision(const Actor& actor, const Decision& decision,
                                     std::int64_t expected_version,
                                     const std::optional<Opening>& referred,
                                     const AuditContext& who) = 0;

  // The deadline scan: marks every case overdue at `now` and not yet escalated as
  // escalated, once, with an escalation history entry and an audit entry. Safe to run from
  // two processes at once. Returns how many cases it escalated.
  virtual Result<int> EscalateOverdue(Timestamp now) = 0;

  virtual Result<std::int64_t> CountCases() = 0;
  // Cases not in a terminal state, by (forum, state): for /metrics. No personal data.
  virtual Result<std::map<std::pair<std::string, std::string>, std::int64_t>> CountOpenCases() = 0;
};

}  // namespace samspil
