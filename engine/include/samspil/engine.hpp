// The deterministic core: what an actor may do to a case, and what happens when they do.
// No I/O and no hidden inputs: the definition, the case, the actor, the command, the time
// and fresh ids are all arguments, so every rule can be tested by calling a function.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "samspil/case.hpp"
#include "samspil/error.hpp"
#include "samspil/workflow.hpp"

namespace samspil {

// The actions `actor` may take on `c` now: the rows from its current state whose roles
// include one of the actor's roles in the case's forum. Guards are not evaluated (they
// need the input). Empty in a terminal state. Order: the definition's order.
std::vector<const TransitionDef*> AvailableActions(const WorkflowDefinition& def, const Case& c,
                                                   const Actor& actor);

struct OpenCommand {
  Subject subject;
  std::string summary;
  Data data;  // the workflow's opening fields (open.fields)
};

struct Opening {
  Case opened;
  HistoryEntry entry;  // seq 1, action kOpenAction
};

// Opens a case of `def` in `forum_id`. Refuses with kNotFound when the actor is no member
// of the forum (no existence leak), kForbidden when their roles there may not open,
// kInvalidRequest for a bad subject/summary/field, and kGuardFailed naming the guard when
// an opening guard refuses.
Result<Opening> Open(const WorkflowDefinition& def, const std::string& forum_id,
                     const std::string& case_id, const Actor& actor, const OpenCommand& command,
                     Timestamp now);

struct TransitionCommand {
  std::string action;
  std::int64_t expected_version = 0;
  std::string comment;
  Data data;
};

// A referral to carry out in the same transaction as the transition (docs/domain.md rule 1).
struct Referral {
  std::string target_forum_id;
  std::string target_workflow_id;
  std::string legal_basis;
  std::string summary;
};

struct Decision {
  Case updated;  // new state, version + 1, due_at, data merged
  HistoryEntry entry;
  std::optional<Referral> referral;
};

// `def` must be the definition the case is pinned to (else kInternal).
// Checks, in this order: the version (kVersionConflict), that the workflow knows the
// action (kInvalidRequest), that it leaves the current state (kInvalidRequest), that the
// actor is a member of the case's forum (kNotFound) with a role the row allows
// (kForbidden), the comment (≤ 10,000 characters) and the input against the declared
// fields (kInvalidRequest), the guards (kGuardFailed). Every refusal message names the
// rule that refused.
Result<Decision> Decide(const WorkflowDefinition& def, const Case& c, const Actor& actor,
                        const TransitionCommand& command, Timestamp now);

struct ReopenCommand {
  std::int64_t expected_version = 0;
  std::string reason;  // required: docs/domain.md rule 6
};

// Whether `actor` may reopen `c` now: the workflow allows reopening, the case is in a
// terminal state and the actor holds one of reopen.roles in its forum.
bool MayReopen(const WorkflowDefinition& def, const Case& c, const Actor& actor);

// Reopens a closed case (docs/domain.md rule 6): back to reopen.to with a new deadline, version
// + 1, not escalated, and a history entry kReopenAction whose comment is the reason; the
// data and the history so far are kept. Checks, in this order: the pinned definition
// (kInternal), the version (kVersionConflict), membership (kNotFound), that the workflow
// allows reopening and the case is closed (kInvalidRequest), the role (kForbidden), the
// reason: not blank, at most 10,000 characters (kInvalidRequest).
Result<Decision> Reopen(const WorkflowDefinition& def, const Case& c, const Actor& actor,
                        const ReopenCommand& command, Timestamp now);

// Opens the linked case a referral creates in the target forum (docs/domain.md rule 1). The
// referring actor needs no membership there; the target's opening guards still apply
// (kGuardFailed), and it carries only the subject and the summary passed on, so a target
// workflow with required opening fields cannot take referrals (kInvalidRequest).
// `role` is the role the actor referred in.
Result<Opening> OpenReferral(const WorkflowDefinition& target, const Referral& referral,
                             const Case& source, const std::string& case_id, const Actor& actor,
                             const std::string& role, Timestamp now);

// When a case that entered `state` at `entered_at` with `data` is due; nullopt for a
// terminal state. A kFromField deadline whose field is absent or not a date is an error.
Result<std::optional<Timestamp>> ComputeDueAt(const StateDef& state, Timestamp entered_at,
                                              const Data& data);

// docs/domain.md rule 4 (konfliktråd: mediation notes for the mediator and the coordinator
// only). A transition marked confidential keeps its comment and input from every member of
// the forum without one of the workflow's confidential_roles; that the step happened —
// action, states, who and when — stays visible to all members.
//
// `entry` of case `c` as `actor` may read it: `confidential` set for a confidential step,
// and its comment and data emptied (`withheld` set) unless the actor may read them.
HistoryEntry AsReadBy(const WorkflowDefinition& def, const Case& c, HistoryEntry entry,
                      const Actor& actor);

// Removes from `c.data` the values of confidential transitions' fields, unless the actor
// may read them. For every case handed to a reader; never for a decision (the guards and
// deadlines need the whole data).
void WithholdConfidential(const WorkflowDefinition& def, Case& c, const Actor& actor);

// The deadline scan's decision for one case: an escalation entry if it is overdue and not
// escalated yet, else nullopt. The caller sets `escalated` and appends the entry.
std::optional<HistoryEntry> EscalationFor(const Case& c, Timestamp now);

}  // namespace samspil
