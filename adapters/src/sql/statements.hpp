// Every SQL statement the store runs (apart from the migrations, migrations.cpp), as named
// constants, grouped by the port that runs them. Values are always bound (":name"), never
// spliced; the few statements assembled at run time are assembled here, from these
// constants and the store's own numbers, never from a caller's text.
//
// Both dialects run the same text unless a constant says otherwise.
#pragma once

#include <cctype>
#include <cstddef>
#include <string>

namespace samspil::store_impl::sql {

// --- Connections and transactions (StoreCore, Writer, Checkpointer) ---------------------

inline constexpr const char* kSqliteJournalWal = "PRAGMA journal_mode = WAL";
inline constexpr const char* kSqliteForeignKeys = "PRAGMA foreign_keys = ON";
// Followed by the value (FULL or NORMAL, checked by Store::Open).
inline constexpr const char* kSqliteSynchronous = "PRAGMA synchronous = ";
inline constexpr const char* kSqliteBusyTimeout = "PRAGMA busy_timeout = ";
inline constexpr const char* kSqliteNoAutoCheckpoint = "PRAGMA wal_autocheckpoint = 0";
inline constexpr const char* kSqliteJournalSizeLimit = "PRAGMA journal_size_limit = ";
inline constexpr const char* kSqlitePageSize = "PRAGMA page_size";
inline constexpr const char* kPostgresqlQuiet = "SET client_min_messages = warning";

// SQLite: BEGIN IMMEDIATE takes the write lock up front (writers queue on busy_timeout
// instead of failing to upgrade a read lock).
inline constexpr const char* kSqliteBeginWrite = "BEGIN IMMEDIATE";
inline constexpr const char* kBegin = "BEGIN";
// PostgreSQL: a transaction-scoped advisory lock; its id is bound (Writer, writer.cpp).
inline constexpr const char* kPostgresqlLockWriters = "SELECT pg_advisory_xact_lock(:id)";
inline constexpr const char* kCommit = "COMMIT";
inline constexpr const char* kRollback = "ROLLBACK";
inline constexpr const char* kSavepoint = "SAVEPOINT job";
inline constexpr const char* kRollbackToSavepoint = "ROLLBACK TO SAVEPOINT job";
inline constexpr const char* kReleaseSavepoint = "RELEASE SAVEPOINT job";

inline constexpr const char* kCheckpointPassive = "PRAGMA wal_checkpoint(PASSIVE)";
// RESTART, not TRUNCATE: cutting a 64 MiB file to nothing and growing it again held the
// writes ~45 ms per restart (p99 at 64 connections 34 -> 65 ms); the restarted log is
// rewritten in place, and journal_size_limit keeps the file at the limit.
inline constexpr const char* kCheckpointRestart = "PRAGMA wal_checkpoint(RESTART)";

// --- Database: schema and health ---------------------------------------------------------

inline constexpr const char* kCreateSchemaMigrations =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
    "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
inline constexpr const char* kSchemaVersion = "SELECT MAX(version) FROM schema_migrations";
inline constexpr const char* kInsertMigration =
    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)";
inline constexpr const char* kAppliedMigrations =
    "SELECT version, name FROM schema_migrations ORDER BY version";
inline constexpr const char* kPing = "SELECT 1";
// A write of no data (migration 6), committed like any change.
inline constexpr const char* kProbeWrite =
    "UPDATE readiness_probe SET probes = probes + 1 WHERE id = 1";

// --- WorkflowRegistry --------------------------------------------------------------------

inline constexpr const char* kWorkflowSha =
    "SELECT sha256 FROM workflow_versions WHERE workflow_id = :id AND version = :v";
inline constexpr const char* kInsertWorkflowVersion =
    "INSERT INTO workflow_versions (workflow_id, version, definition, sha256, registered_at) "
    "VALUES (:id, :v, :d, :s, :at)";
inline constexpr const char* kWorkflowSource =
    "SELECT definition FROM workflow_versions WHERE workflow_id = :id AND version = :v";

// --- Directory ---------------------------------------------------------------------------

inline constexpr const char* kCountAgencies = "SELECT COUNT(*) FROM agencies WHERE id = :id";
inline constexpr const char* kInsertAgency =
    "INSERT INTO agencies (id, name, kind, created_at) VALUES (:id, :n, :k, :at)";
inline constexpr const char* kCountFora = "SELECT COUNT(*) FROM fora WHERE id = :id";
inline constexpr const char* kCountWorkflowVersions =
    "SELECT COUNT(*) FROM workflow_versions WHERE workflow_id = :id";
inline constexpr const char* kInsertForum =
    "INSERT INTO fora (id, name, workflow_id, municipality, created_at) "
    "VALUES (:id, :n, :w, :m, :at)";
inline constexpr const char* kCountUsernames = "SELECT COUNT(*) FROM users WHERE username = :u";
inline constexpr const char* kInsertUser =
    "INSERT INTO users (id, username, display_name, agency_id, password_hash, is_admin, "
    "created_at) VALUES (:id, :u, :n, :a, :p, :adm, :at)";
inline constexpr const char* kUserIdByUsername = "SELECT id FROM users WHERE username = :u";
inline constexpr const char* kCountMemberships =
    "SELECT COUNT(*) FROM memberships WHERE user_id = :u AND forum_id = :f AND role = :r";
inline constexpr const char* kInsertMembership =
    "INSERT INTO memberships (forum_id, user_id, role, created_at) VALUES (:f, :u, :r, :at)";
inline constexpr const char* kForum =
    "SELECT id, name, workflow_id, municipality FROM fora WHERE id = :id";
inline constexpr const char* kAllFora =
    "SELECT id, name, workflow_id, municipality FROM fora ORDER BY id";
inline constexpr const char* kUserByUsername =
    "SELECT id, username, display_name, agency_id, is_admin FROM users WHERE username = :u";
inline constexpr const char* kPasswordHash = "SELECT password_hash FROM users WHERE id = :id";
inline constexpr const char* kProfileUser =
    "SELECT u.id, u.username, u.display_name, u.agency_id, u.is_admin, a.name, a.kind "
    "FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = :id";
inline constexpr const char* kProfileSeats =
    "SELECT f.id, f.name, f.workflow_id, f.municipality, m.role "
    "FROM memberships m JOIN fora f ON f.id = m.forum_id "
    "WHERE m.user_id = :id ORDER BY f.id, m.role";
inline constexpr const char* kActorUser =
    "SELECT id, agency_id, is_admin FROM users WHERE id = :id";
inline constexpr const char* kActorMemberships =
    "SELECT forum_id, role FROM memberships WHERE user_id = :id";
inline constexpr const char* kDisplayName = "SELECT display_name FROM users WHERE id = :id";

// --- SessionStore ------------------------------------------------------------------------

inline constexpr const char* kSession =
    "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, revoked "
    "FROM sessions WHERE token_hash = :t";
inline constexpr const char* kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
    "expires_at, revoked) VALUES (:t, :u, :c, :cr, :ls, :ex, 0)";
inline constexpr const char* kTouchSession =
    "UPDATE sessions SET last_seen_at = :at WHERE token_hash = :t AND revoked = 0";
inline constexpr const char* kRevokeSession =
    "UPDATE sessions SET revoked = 1 WHERE token_hash = :t";

// --- AuditLog ----------------------------------------------------------------------------

inline constexpr const char* kAuditHead =
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
inline constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (seq, at, actor_id, agency_id, role, forum_id, case_id, action, "
    "client_address, detail, prev_hash, hash) "
    "VALUES (:s, :at, :ac, :ag, :r, :f, :c, :a, :ca, :d, :p, :h)";
inline constexpr const char* kAuditColumns =
    "seq, at, actor_id, agency_id, role, forum_id, case_id, action, client_address, detail, "
    "prev_hash, hash";
inline const std::string kAuditChain =
    std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq";
// Followed by the row limit (a number the store clamps, never a caller's text).
inline const std::string kAuditEntriesAfter =
    std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE seq > :after " +
    "ORDER BY seq LIMIT ";
inline constexpr const char* kCasesOfSubject =
    "SELECT id, forum_id FROM cases WHERE subject_name = :n AND subject_birth_date = :b "
    "ORDER BY id";
inline constexpr const char* kAccessLogOfCase =
    "SELECT a.at, a.case_id, f.name, g.name, g.kind, a.role, a.action "
    "FROM audit_log a JOIN fora f ON f.id = a.forum_id "
    "LEFT JOIN agencies g ON g.id = a.agency_id "
    "WHERE a.case_id = :c ORDER BY a.seq";

// --- CaseStore ---------------------------------------------------------------------------

inline constexpr const char* kCaseColumns =
    "c.id, c.forum_id, c.workflow_id, c.workflow_version, c.state, c.version, c.subject_name, "
    "c.subject_birth_date, c.summary, c.data, c.opened_by, c.opened_at, c.updated_at, "
    "c.state_entered_at, c.due_at, c.escalated";

// Visible to the actor: a member of the case's forum. Bound as :uid.
inline constexpr const char* kVisibleToActor =
    "EXISTS (SELECT 1 FROM memberships m WHERE m.forum_id = c.forum_id AND m.user_id = :uid)";

inline const std::string kVisibleCase = std::string("SELECT ") + kCaseColumns +
                                        " FROM cases c WHERE c.id = :id AND " + kVisibleToActor;
// Whether a case is visible, without reading it (its data is the costly part to read).
inline const std::string kCaseVisible =
    std::string("SELECT 1 FROM cases c WHERE c.id = :id AND ") + kVisibleToActor;
inline const std::string kCaseById =
    std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE c.id = :id";

inline constexpr const char* kLinksOfCase =
    "SELECT l.to_case_id, c.forum_id, 'referred_to', l.legal_basis "
    "FROM case_links l JOIN cases c ON c.id = l.to_case_id "
    "WHERE l.from_case_id = :id "
    "UNION ALL "
    "SELECT l.from_case_id, c.forum_id, 'referred_from', l.legal_basis "
    "FROM case_links l JOIN cases c ON c.id = l.from_case_id "
    "WHERE l.to_case_id = :id2";

// ":prefix0, :prefix1, ..." (n placeholders): an IN list of bound values.
inline std::string Placeholders(const char* prefix, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += (i ? ", :" : ":") + std::string(prefix) + std::to_string(i);
  return out;
}
// kLinksOfCase for n cases at once, each row led by the id of the case it belongs to. The
// ids are bound twice, as :f0... then :t0... (SQLite binds a repeated name once).
inline std::string LinksOfCases(size_t n) {
  return "SELECT l.from_case_id, l.to_case_id, c.forum_id, 'referred_to', l.legal_basis "
         "FROM case_links l JOIN cases c ON c.id = l.to_case_id "
         "WHERE l.from_case_id IN (" + Placeholders("f", n) + ") "
         "UNION ALL "
         "SELECT l.to_case_id, l.from_case_id, c.forum_id, 'referred_from', l.legal_basis "
         "FROM case_links l JOIN cases c ON c.id = l.from_case_id "
         "WHERE l.to_case_id IN (" + Placeholders("t", n) + ")";
}
// kDisplayName for n users at once.
inline std::string DisplayNamesOf(size_t n) {
  return "SELECT id, display_name FROM users WHERE id IN (" + Placeholders("u", n) + ")";
}

inline constexpr const char* kInsertCase =
    "INSERT INTO cases (id, forum_id, workflow_id, workflow_version, state, version, "
    "subject_name, subject_birth_date, summary, data, opened_by, opened_at, updated_at, "
    "state_entered_at, due_at, escalated) VALUES (:id, :f, :w, :wv, :s, :v, :sn, :sb, "
    ":sum, :d, :by, :oa, :ua, :ea, :due, :esc)";
inline constexpr const char* kUpdateCase =
    "UPDATE cases SET state = :s, version = :v, data = :d, updated_at = :u, "
    "state_entered_at = :e, due_at = :due, escalated = :esc WHERE id = :id AND "
    "version = :expected AND EXISTS (SELECT 1 FROM memberships m WHERE "
    "m.forum_id = cases.forum_id AND m.user_id = :uid)";
inline constexpr const char* kInsertCaseLink =
    "INSERT INTO case_links (from_case_id, to_case_id, legal_basis, created_by, created_at) "
    "VALUES (:f, :t, :b, :by, :at)";

// The next history row of case :c. With `record_deadline` the row keeps the due_at the
// case has now (see AppendHistory); the opening row records none.
inline std::string InsertHistory(bool record_deadline) {
  return std::string(
             "INSERT INTO case_history (case_id, seq, action, from_state, to_state, actor_id, "
             "role, at, comment, data, forum_id, due_at) "
             "SELECT c.id, (SELECT COALESCE(MAX(h.seq), 0) + 1 FROM case_history h WHERE "
             "h.case_id = c.id), :a, :f, :t, :actor, :r, :at, :cm, :d, c.forum_id, ") +
         (record_deadline ? "c.due_at" : "NULL") + " FROM cases c WHERE c.id = :c";
}
inline constexpr const char* kHistoryOfCase =
    "SELECT seq, action, from_state, to_state, actor_id, role, at, comment, data "
    "FROM case_history WHERE case_id = :id ORDER BY seq";

inline constexpr const char* kIsMemberOfForum =
    "SELECT COUNT(*) FROM memberships WHERE user_id = :u AND forum_id = :f";
inline constexpr const char* kMemberFora =
    "SELECT DISTINCT forum_id FROM memberships WHERE user_id = :u ORDER BY forum_id";
inline constexpr const char* kMemberForaAs =
    "SELECT DISTINCT forum_id FROM memberships WHERE user_id = :u AND role = :r "
    "ORDER BY forum_id";

// ListCases' conditions on alias c, in the order their values are bound.
inline constexpr const char* kAfterCursor = "c.id > :after";
inline constexpr const char* kAndInState = " AND c.state = :state";
inline constexpr const char* kAndEscalated = " AND c.escalated = 1";
inline constexpr const char* kAndOverdue = " AND c.due_at IS NOT NULL AND c.due_at <= :now";
// ListEscalations' two disjoint ranges.
inline constexpr const char* kOverdue = "c.due_at <= :now";
inline constexpr const char* kEscalatedNotYetOverdue = "c.escalated = 1 AND c.due_at > :now";

// `sql` with `suffix` appended to the name of every ":name" placeholder from `from` on.
inline std::string SuffixPlaceholders(const std::string& sql, size_t from,
                                      const std::string& suffix) {
  std::string out = sql.substr(0, from);
  for (size_t i = from; i < sql.size(); ++i) {
    out += sql[i];
    if (sql[i] != ':') continue;
    while (i + 1 < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i + 1])) ||
                                  sql[i + 1] == '_')) {
      out += sql[++i];
    }
    out += suffix;
  }
  return out;
}

// One forum's page (PerForumPage): the cases of forum :forum that meet `conditions`,
// ordered by `inner_order`, at most `limit`; its placeholders renamed with suffix _n, for
// SQLite binds a repeated name once.
inline std::string ForumPageSubquery(const std::string& conditions,
                                     const std::string& inner_order, size_t limit, size_t n) {
  const std::string query = std::string("SELECT * FROM (SELECT ") + kCaseColumns +
                            " FROM cases c WHERE c.forum_id = :forum AND " + conditions +
                            " ORDER BY " + inner_order + " LIMIT " + std::to_string(limit) +
                            ") AS f" + std::to_string(n);
  return SuffixPlaceholders(query, 0, "_" + std::to_string(n));
}
inline constexpr const char* kUnionAll = " UNION ALL ";
// The merged pages' order and limit (`order` names columns of `cases`).
inline std::string OrderAndLimit(const std::string& order, size_t limit) {
  return " ORDER BY " + order + " LIMIT " + std::to_string(limit);
}

inline constexpr const char* kOverdueNotEscalated =
    "SELECT id, forum_id FROM cases WHERE escalated = 0 AND due_at <= :now "
    "ORDER BY due_at LIMIT 500";
inline constexpr const char* kMarkEscalated =
    "UPDATE cases SET escalated = 1 WHERE id = :id AND escalated = 0 AND due_at <= :now";

// Terminal states have no deadline, so due_at IS NOT NULL is "open".
inline constexpr const char* kCountOpenCases =
    "SELECT forum_id, state, COUNT(*) FROM cases WHERE due_at IS NOT NULL "
    "GROUP BY forum_id, state";
inline constexpr const char* kCountCases = "SELECT COUNT(*) FROM cases";

// Seconds since 1970 of an RFC 3339 UTC text column as FormatTimestamp writes it
// ("YYYY-MM-DDTHH:MM:SSZ"), in SQL both SQLite and PostgreSQL run, so the statistics can sum
// durations in the database instead of fetching every row (days from the civil date as in
// H. Hinnant's days_from_civil; all operands are positive, so integer division is floor).
inline std::string EpochSecondsSql(const std::string& column) {
  auto part = [&](int from, int length) {
    return "CAST(SUBSTR(" + column + ", " + std::to_string(from) + ", " + std::to_string(length) +
           ") AS BIGINT)";
  };
  const std::string month = part(6, 2);
  const std::string year = "(" + part(1, 4) + " - CASE WHEN " + month + " <= 2 THEN 1 ELSE 0 END)";
  const std::string march_based_month = "((" + month + " + 9) % 12)";
  const std::string days = "(365 * " + year + " + " + year + " / 4 - " + year + " / 100 + " +
                           year + " / 400 + (153 * " + march_based_month + " + 2) / 5 + " +
                           part(9, 2) + " - 719469)";
  return "(" + days + " * 86400 + " + part(12, 2) + " * 3600 + " + part(15, 2) + " * 60 + " +
         part(18, 2) + ")";
}

// One pass over the forum's range of cases_forum_state, which covers the columns read,
// grouped by state; the day arithmetic is summed in SQL (mean = now - mean of the entry
// times).
inline const std::string kForumStateStatistics =
    "SELECT state, COUNT(*), SUM(CASE WHEN due_at <= :now THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN escalated = 1 THEN 1 ELSE 0 END), SUM(" +
    EpochSecondsSql("state_entered_at") +
    "), MIN(state_entered_at) FROM cases WHERE forum_id = :f GROUP BY state";
// Steps that left a state carry the deadline that state had (NULL: none, or the row
// predates it); escalation rows stay in their state. Read from the covering
// case_history_forum index alone.
inline constexpr const char* kForumHistoryStatistics =
    "SELECT SUM(CASE WHEN h.from_state <> h.to_state AND h.at <= h.due_at THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN h.from_state <> h.to_state AND h.at > h.due_at THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN h.action = :esc THEN 1 ELSE 0 END) "
    "FROM case_history h WHERE h.forum_id = :f";

}  // namespace samspil::store_impl::sql
