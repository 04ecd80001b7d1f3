#include "migrations.hpp"

namespace samspil {
namespace {

// Tables shared by both dialects: portable types only (TEXT, BIGINT), timestamps as
// RFC 3339 text in UTC, which sorts in time order.
const std::vector<std::string>& CoreTables() {
  static const std::vector<std::string> kTables = {
      R"(CREATE TABLE agencies (
           id TEXT PRIMARY KEY,
           name TEXT NOT NULL,
           kind TEXT NOT NULL CHECK (kind IN ('politi', 'kommune', 'region', 'kriminalforsorg',
                                              'anklagemyndighed', 'domstol', 'andet')),
           created_at TEXT NOT NULL))",
      R"(CREATE TABLE workflow_versions (
           workflow_id TEXT NOT NULL,
           version BIGINT NOT NULL,
           definition TEXT NOT NULL,
           sha256 TEXT NOT NULL,
           registered_at TEXT NOT NULL,
           PRIMARY KEY (workflow_id, version)))",
      R"(CREATE TABLE fora (
           id TEXT PRIMARY KEY,
           name TEXT NOT NULL,
           workflow_id TEXT NOT NULL,
           municipality TEXT NOT NULL,
           created_at TEXT NOT NULL))",
      R"(CREATE TABLE users (
           id TEXT PRIMARY KEY,
           username TEXT NOT NULL UNIQUE,
           display_name TEXT NOT NULL,
           agency_id TEXT NOT NULL REFERENCES agencies (id),
           password_hash TEXT NOT NULL,
           is_admin BIGINT NOT NULL,
           created_at TEXT NOT NULL))",
      R"(CREATE TABLE memberships (
           forum_id TEXT NOT NULL REFERENCES fora (id),
           user_id TEXT NOT NULL REFERENCES users (id),
           role TEXT NOT NULL,
           created_at TEXT NOT NULL,
           PRIMARY KEY (user_id, forum_id, role)))",
      R"(CREATE TABLE cases (
           id TEXT PRIMARY KEY,
           forum_id TEXT NOT NULL REFERENCES fora (id),
           workflow_id TEXT NOT NULL,
           workflow_version BIGINT NOT NULL,
           state TEXT NOT NULL,
           version BIGINT NOT NULL,
           subject_name TEXT NOT NULL,
           subject_birth_date TEXT NOT NULL,
           summary TEXT NOT NULL,
           data TEXT NOT NULL,
           opened_by TEXT NOT NULL REFERENCES users (id),
           opened_at TEXT NOT NULL,
           updated_at TEXT NOT NULL,
           state_entered_at TEXT NOT NULL,
           due_at TEXT,
           escalated BIGINT NOT NULL,
           FOREIGN KEY (workflow_id, workflow_version)
             REFERENCES workflow_versions (workflow_id, version)))",
      "CREATE INDEX cases_forum_id ON cases (forum_id, id)",
      "CREATE INDEX cases_forum_state_id ON cases (forum_id, state, id)",
      // The deadline scan reads only cases still waiting to be escalated.
      "CREATE INDEX cases_pending_due ON cases (due_at) WHERE escalated = 0",
      R"(CREATE TABLE case_history (
           case_id TEXT NOT NULL REFERENCES cases (id),
           seq BIGINT NOT NULL,
           action TEXT NOT NULL,
           from_state TEXT NOT NULL,
           to_state TEXT NOT NULL,
           actor_id TEXT REFERENCES users (id),
           role TEXT NOT NULL,
           at TEXT NOT NULL,
           comment TEXT NOT NULL,
           data TEXT NOT NULL,
           PRIMARY KEY (case_id, seq)))",
      R"(CREATE TABLE case_links (
           from_case_id TEXT NOT NULL REFERENCES cases (id),
           to_case_id TEXT NOT NULL REFERENCES cases (id),
           legal_basis TEXT NOT NULL,
           created_by TEXT NOT NULL REFERENCES users (id),
           created_at TEXT NOT NULL,
           PRIMARY KEY (from_case_id, to_case_id)))",
      "CREATE INDEX case_links_to ON case_links (to_case_id)",
      R"(CREATE TABLE audit_log (
           seq BIGINT PRIMARY KEY,
           at TEXT NOT NULL,
           actor_id TEXT NOT NULL,
           agency_id TEXT NOT NULL,
           role TEXT NOT NULL,
           forum_id TEXT NOT NULL,
           case_id TEXT NOT NULL,
           action TEXT NOT NULL,
           client_address TEXT NOT NULL,
           detail TEXT NOT NULL,
           prev_hash TEXT NOT NULL,
           hash TEXT NOT NULL))",
      "CREATE INDEX audit_log_case ON audit_log (case_id, seq)",
  };
  return kTables;
}

// History, links and the audit log are append-only; the database refuses edits, so only
// someone bypassing it can change them, and the audit hash chain shows that.
std::string SqliteAppendOnlyTrigger(const std::string& table, const std::string& op) {
  return "CREATE TRIGGER " + table + "_no_" + op + " BEFORE " + op + " ON " + table +
         " BEGIN SELECT RAISE(ABORT, '" + table + " is append-only'); END";
}

std::vector<std::string> SqliteAppendOnly() {
  std::vector<std::string> out;
  for (const char* table : {"case_history", "case_links", "audit_log"}) {
    for (const char* op : {"UPDATE", "DELETE"}) out.push_back(SqliteAppendOnlyTrigger(table, op));
  }
  return out;
}

std::vector<std::string> PostgresqlAppendOnly() {
  std::vector<std::string> out = {
      R"(CREATE FUNCTION samspil_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END $$)"};
  for (const char* table : {"case_history", "case_links", "audit_log"}) {
    out.push_back(std::string("CREATE TRIGGER ") + table +
                  "_append_only BEFORE UPDATE OR DELETE ON " + table +
                  " FOR EACH ROW EXECUTE FUNCTION samspil_append_only()");
  }
  return out;
}

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// Login sessions, and the index the escalation list reads by.
const std::vector<std::string>& SessionsAndEscalations() {
  static const std::vector<std::string> kStatements = {
      R"(CREATE TABLE sessions (
           token_hash TEXT PRIMARY KEY,
           user_id TEXT NOT NULL REFERENCES users (id),
           csrf_token TEXT NOT NULL,
           created_at TEXT NOT NULL,
           last_seen_at TEXT NOT NULL,
           expires_at TEXT NOT NULL,
           revoked BIGINT NOT NULL))",
      "CREATE INDEX sessions_user ON sessions (user_id)",
      "CREATE INDEX cases_forum_due ON cases (forum_id, due_at)",
      "CREATE INDEX cases_subject ON cases (subject_name, subject_birth_date)",
  };
  return kStatements;
}

// The deadline each step left behind: case_history.due_at is the due_at the case had when the
// row was written (NULL for the opening and for rows written before this migration), so the
// forum statistics can tell a deadline met from one missed.
const std::vector<std::string>& HistoryDeadlines() {
  static const std::vector<std::string> kStatements = {
      "ALTER TABLE case_history ADD COLUMN due_at TEXT",
  };
  return kStatements;
}

// The forum statistics read a forum's part of the history and of the cases without touching
// table rows: case_history gets the forum of its case (copied once here, written with every
// new row), and the index by forum and state also holds the columns the statistics add up.
// The existing rows are filled in with the append-only trigger lifted for this one UPDATE,
// inside the migration's transaction.
std::vector<std::string> ForumStatisticsIndexes(const std::vector<std::string>& lift,
                                                const std::vector<std::string>& restore) {
  std::vector<std::string> out = {"ALTER TABLE case_history ADD COLUMN forum_id TEXT"};
  out.insert(out.end(), lift.begin(), lift.end());
  out.push_back(
      "UPDATE case_history SET forum_id = "
      "(SELECT c.forum_id FROM cases c WHERE c.id = case_history.case_id)");
  out.insert(out.end(), restore.begin(), restore.end());
  out.push_back(
      "CREATE INDEX case_history_forum ON case_history "
      "(forum_id, action, from_state, to_state, at, due_at)");
  // Replaces cases_forum_state_id (same leading columns, so the list by state still uses it).
  out.push_back("DROP INDEX cases_forum_state_id");
  out.push_back(
      "CREATE INDEX cases_forum_state ON cases "
      "(forum_id, state, id, due_at, escalated, state_entered_at)");
  return out;
}

// The escalation list is "overdue or escalated" (docs/api.md §2.4): a case escalated by a scan
// that ran ahead of the reader's clock (`samspil escalate --at`) is not yet overdue to the
// reader, so the flagged cases get an index range of their own, as small as they are few.
const std::vector<std::string>& EscalatedIndex() {
  static const std::vector<std::string> kStatements = {
      "CREATE INDEX cases_forum_escalated ON cases (forum_id, due_at, id) WHERE escalated = 1",
  };
  return kStatements;
}

// Store::Ready() proves that a write can be committed by updating this one row through the
// writer: a real page written and synced, as any change is, yet no data of anyone's.
const std::vector<std::string>& ReadinessProbe() {
  static const std::vector<std::string> kStatements = {
      "CREATE TABLE readiness_probe (id BIGINT PRIMARY KEY, probes BIGINT NOT NULL)",
      "INSERT INTO readiness_probe (id, probes) VALUES (1, 0)",
  };
  return kStatements;
}

}  // namespace

const std::vector<Migration>& SqliteMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema", Concat(CoreTables(), SqliteAppendOnly())},
      {2, "sessions and escalation index", SessionsAndEscalations()},
      {3, "deadline of each history step", HistoryDeadlines()},
      {4, "forum statistics indexes",
       ForumStatisticsIndexes({"DROP TRIGGER case_history_no_UPDATE"},
                              {SqliteAppendOnlyTrigger("case_history", "UPDATE")})},
      {5, "escalated cases index", EscalatedIndex()},
      {6, "readiness probe", ReadinessProbe()},
  };
  return kMigrations;
}

const std::vector<Migration>& PostgresqlMigrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "initial schema", Concat(CoreTables(), PostgresqlAppendOnly())},
      {2, "sessions and escalation index", SessionsAndEscalations()},
      {3, "deadline of each history step", HistoryDeadlines()},
      {4, "forum statistics indexes",
       ForumStatisticsIndexes(
           {"ALTER TABLE case_history DISABLE TRIGGER case_history_append_only"},
           {"ALTER TABLE case_history ENABLE TRIGGER case_history_append_only"})},
      {5, "escalated cases index", EscalatedIndex()},
      {6, "readiness probe", ReadinessProbe()},
  };
  return kMigrations;
}

}  // namespace samspil
