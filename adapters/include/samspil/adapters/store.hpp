// Durable state through SOCI: SQLite (embedded default) or PostgreSQL, chosen by URL.
//
// Access is decided here, not in the callers: every method that returns case data takes
// the acting user (an Actor with its memberships) and only ever returns cases of fora the
// actor is a member of. A case the actor may not see is kNotFound, exactly like a case
// that does not exist.
//
// Every change is one transaction together with its history row and its audit entry; the
// audit log is append-only and hash-chained (each entry holds the previous entry's hash).
//
// Errors: a storage failure is never a user error. kUnavailable when the database cannot
// be reached or cannot write right now (see Ready()), kInternal for a bug or stored data
// that does not parse; kNotFound, kVersionConflict and the like only for what they say.
//
// Thread-safety: a Store may be used from many threads; it keeps a pool of sessions.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "samspil/case.hpp"
#include "samspil/engine.hpp"
#include "samspil/error.hpp"
#include "samspil/workflow.hpp"

namespace samspil {

// Parsed --db URL: "sqlite:PATH", "postgresql://user:pass@host:port/db" or a libpq
// "key=value ..." string.
struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgresql };
  Kind kind = Kind::kSqlite;
  std::string target;  // the SQLite path, or the PostgreSQL connection string
};
Result<DatabaseUrl> ParseDatabaseUrl(const std::string& url);

struct StoreOptions {
  std::string url = "sqlite:samspil.db";
  // Reading sessions (connections), shared by the request threads; the writer has one more
  // (and SQLite's checkpointer another). 16 lets four server processes share a PostgreSQL
  // with its default max_connections = 100: 4 x (16 + 1) = 68, leaving room for the CLI
  // and an operator's psql.
  size_t pool_size = 16;
  std::string sqlite_synchronous = "FULL";  // FULL: an acknowledged commit survives a power cut
  int busy_timeout_ms = 10000;              // how long a writer waits for SQLite's write lock
  // SQLite: when the WAL's log grows past this size, the checkpointer restarts it from its
  // beginning (a RESTART checkpoint), even if readers never pause: the WAL file, and the
  // shared memory that indexes it, stay about this size under any sustained load. The file
  // is rewritten in place and cut back to this size (journal_size_limit), never to zero:
  // growing it anew costs every commit that extends it a metadata write.
  std::int64_t sqlite_wal_limit_bytes = 64 * 1024 * 1024;
  // SQLite: the longest the restart may wait for readers that still read the old WAL
  // (SQLite's busy handler). The writer holds its next batch meanwhile, so this bounds the
  // pause a restart adds to writes (plus copying the last few pages: a few ms). A restart
  // that cannot finish within it is tried again 200 ms later.
  int sqlite_checkpoint_max_pause_ms = 100;
};

inline const std::vector<std::string>& AgencyKinds() {
  static const std::vector<std::string> kKinds = {
      "politi", "kommune", "region", "kriminalforsorg", "anklagemyndighed", "domstol", "andet"};
  return kKinds;
}

struct Agency {
  std::string id;
  std::string name;
  std::string kind;  // one of AgencyKinds()
};

struct Forum {
  std::string id;
  std::string name;
  std::string workflow_id;
  std::string municipality;  // may be empty
};

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  std::string agency_id;
  bool is_admin = false;
};

struct Membership {
  std::string forum_id;
  std::string user_id;
  std::string role;
};

// A user as /me shows them: their agency and their memberships with the fora's names.
struct UserProfile {
  User user;
  Agency agency;
  struct Seat {
    Forum forum;
    std::string role;
  };
  std::vector<Seat> memberships;  // ordered by forum id, then role
};

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

struct CaseLink {
  std::string case_id;   // the other case
  std::string forum_id;  // its forum
  std::string relation;  // "referred_to" or "referred_from"
  std::string legal_basis;
};

// A login session. Only the SHA-256 of the bearer token is stored, so a copy of the
// database does not let anyone in.
struct Session {
  std::string token_hash;
  std::string user_id;
  std::string csrf_token;
  Timestamp created_at{};
  Timestamp last_seen_at{};
  Timestamp expires_at{};
  bool revoked = false;
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

class Store {
 public:
  // Opens (creating the SQLite file if needed) and migrates to the latest schema.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  virtual ~Store() = default;

  // Applies pending migrations; returns how many were applied (0 when up to date).
  virtual Result<int> Migrate() = 0;
  virtual Result<std::vector<std::string>> AppliedMigrations() = 0;
  // Liveness: the database answers a query.
  virtual Status Ping() = 0;
  // Readiness: a write can be committed now. Commits a write of no data (a counter row)
  // through the writer, as part of its next batch, exactly as a real change would be; on
  // SQLite it first checks that the file this store opened is still the file at its path.
  // kUnavailable when it cannot (the file is deleted or replaced, the disk is full, an I/O
  // error, the lock is held past the busy timeout, PostgreSQL is unreachable, or
  // checkpoints fail), kInternal for anything else. Waits at most as long as a write does.
  //
  // What it reports, every write sees too: while the database cannot keep a change, every
  // change fails with kUnavailable and nothing is acknowledged. A store whose SQLite file
  // was deleted or replaced stays unavailable until the process reopens it (restart): the
  // opened file is no longer what anyone will read. Every other condition clears by itself
  // once a write commits again (disk space freed, the lock released, the server back).
  // The first failure and the recovery are logged once each.
  virtual Status Ready() = 0;

  // Records a definition version the first time it is seen. The same (id, version) with
  // different content is refused: a changed workflow needs a new version, because open cases
  // stay pinned to the version they started with.
  virtual Status RegisterWorkflow(const WorkflowDefinition& def, const std::string& source) = 0;
  // The definition a case is pinned to (parsed once per process).
  virtual Result<std::shared_ptr<const WorkflowDefinition>> PinnedWorkflow(
      const std::string& id, std::int64_t version) = 0;

  // Administration (CLI; later the admin API). Each writes an audit entry.
  virtual Status AddAgency(const Agency& agency, const AuditContext& who, Timestamp now) = 0;
  virtual Status AddForum(const Forum& forum, const AuditContext& who, Timestamp now) = 0;
  virtual Status AddUser(const User& user, const std::string& password_hash,
                         const AuditContext& who, Timestamp now) = 0;
  virtual Status AddMembership(const std::string& forum_id, const std::string& username,
                               const std::string& role, const AuditContext& who, Timestamp now) = 0;
  virtual Result<Forum> GetForum(const std::string& forum_id) = 0;
  virtual Result<std::vector<Forum>> ListFora() = 0;
  virtual Result<User> GetUserByUsername(const std::string& username) = 0;
  virtual Result<std::string> PasswordHashOf(const std::string& user_id) = 0;
  virtual Result<UserProfile> Profile(const std::string& user_id) = 0;
  // The user with their memberships, as the engine sees them.
  virtual Result<Actor> LoadActor(const std::string& user_id) = 0;

  // Case data, always scoped by `actor`. Every read that returns a case is recorded in the
  // audit log before the data is returned (domain.md rule 3): a read that cannot be
  // recorded fails with kInternal rather than go unrecorded. What a reader gets follows
  // domain.md rule 4: cases without the confidential steps' data (WithholdConfidential) and
  // history entries as AsReadBy gives them, unless the reader holds a confidential role.
  virtual Status CreateCase(const Opening& opening, const Actor& actor,
                            const AuditContext& who) = 0;
  virtual Result<Case> GetCase(const Actor& actor, const std::string& case_id,
                               const AuditContext& who, Timestamp now) = 0;
  // Ordered by id; one audit entry per case returned.
  virtual Result<CasePage> ListCases(const Actor& actor, const CaseFilter& filter,
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
  // Display names of users, by id (for history and case JSON); unknown ids are left out.
  virtual Result<std::map<std::string, std::string>> DisplayNames(
      const std::vector<std::string>& user_ids) = 0;

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

  // Sessions (the REST API's bearer tokens and the UI's cookie).
  virtual Status CreateSession(const Session& session, const AuditContext& who) = 0;
  virtual Result<Session> FindSession(const std::string& token_hash) = 0;
  // Through the writer, batched with other changes (never a write lock of its own).
  virtual Status TouchSession(const std::string& token_hash, Timestamp now) = 0;
  virtual Status RevokeSession(const std::string& token_hash, const AuditContext& who,
                               Timestamp now) = 0;

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
