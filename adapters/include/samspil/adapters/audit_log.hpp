// The audit log port: the append-only, hash-chained record of who read or changed what
// (docs/domain.md rule 3), and the citizen's access-log extract drawn from it (GDPR art. 15).
//
// Atomicity: each entry is written in the same transaction as the change it records (the
// other ports append theirs); RecordAudit and AccessLogFor are each one transaction of
// their own. Entries are appended in one total order; each holds the previous entry's
// hash, so an edited, removed or reordered entry breaks the chain (VerifyAuditChain).
//
// Errors: kUnavailable when the database cannot be reached or cannot write right now,
// kInternal for a bug, stored data that does not parse, or a broken chain.
//
// Thread-safety: may be called from many threads at once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "samspil/case.hpp"
#include "samspil/error.hpp"

namespace samspil {

// Who did something, for the audit log. `actor_id` empty means the system or the CLI
// operator (then `role` says which, e.g. "cli").
struct AuditContext {
  std::string actor_id;
  std::string agency_id;
  std::string role;
  std::string client_address;
};

struct AuditEntry {
  std::int64_t seq = 0;
  Timestamp at{};
  std::string actor_id, agency_id, role, forum_id, case_id, action, client_address, detail;
  std::string prev_hash, hash;
};

// One line of a citizen's access-log extract (GDPR art. 15): who looked at or changed
// their case, when. Names of agencies and fora, never of other citizens.
struct AccessRecord {
  Timestamp at{};
  std::string case_id;
  std::string forum_name;
  std::string agency_name;  // empty for the system (deadline scan)
  std::string agency_kind;
  std::string role;
  std::string action;  // case.read, case.list, case.history, case.open, case.transition, ...
};

class AuditLog {
 public:
  virtual ~AuditLog() = default;

  // An audit entry of its own (a failed login, a logout, an export).
  virtual Status RecordAudit(const AuditContext& who, Timestamp now, const std::string& forum_id,
                             const std::string& case_id, const std::string& action,
                             const std::string& detail) = 0;

  // The access-log extract for the citizen with this name and birth date, oldest first;
  // the export itself is recorded as "case.export" on each of their cases.
  virtual Result<std::vector<AccessRecord>> AccessLogFor(const Subject& subject,
                                                         const AuditContext& who,
                                                         Timestamp now) = 0;

  // Recomputes the audit hash chain. kInternal naming the first broken entry, or the count.
  virtual Result<std::int64_t> VerifyAuditChain() = 0;
  virtual Result<std::vector<AuditEntry>> AuditEntries(std::int64_t after_seq, size_t limit) = 0;
};

}  // namespace samspil
