// The store's ports on SOCI, one class each, all on one StoreCore (sql/store_core.hpp);
// soci_store.cpp puts them together as the Store. Each is implemented in the file named
// beside it.
#pragma once

#include <soci/soci.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "samspil/adapters/store.hpp"
#include "sql/session_statements.hpp"

namespace samspil::store_impl {

class StoreCore;

// database.cpp
class SociDatabase final : public Database {
 public:
  explicit SociDatabase(StoreCore& core) : core_(core) {}
  Result<int> Migrate() override;
  Result<std::vector<std::string>> AppliedMigrations() override;
  Status Ping() override;
  Status Ready() override;

 private:
  StoreCore& core_;
};

// workflow_registry.cpp
class SociWorkflowRegistry final : public WorkflowRegistry {
 public:
  explicit SociWorkflowRegistry(StoreCore& core) : core_(core) {}
  Status RegisterWorkflow(const WorkflowDefinition& def, const std::string& source) override;
  Result<std::shared_ptr<const WorkflowDefinition>> PinnedWorkflow(const std::string& id,
                                                                   std::int64_t version) override;

 private:
  StoreCore& core_;
  std::mutex definitions_mutex_;
  std::map<std::pair<std::string, std::int64_t>, std::shared_ptr<const WorkflowDefinition>>
      definitions_;  // PinnedWorkflow's, parsed once
};

// directory.cpp
class SociDirectory final : public Directory {
 public:
  explicit SociDirectory(StoreCore& core) : core_(core) {}
  Status AddAgency(const Agency& agency, const AuditContext& who, Timestamp now) override;
  Status AddForum(const Forum& forum, const AuditContext& who, Timestamp now) override;
  Status AddUser(const User& user, const std::string& password_hash, const AuditContext& who,
                 Timestamp now) override;
  Status AddMembership(const std::string& forum_id, const std::string& username,
                       const std::string& role, const AuditContext& who, Timestamp now) override;
  Result<Forum> GetForum(const std::string& forum_id) override;
  Result<std::vector<Forum>> ListFora() override;
  Result<User> GetUserByUsername(const std::string& username) override;
  Result<std::string> PasswordHashOf(const std::string& user_id) override;
  Result<UserProfile> Profile(const std::string& user_id) override;
  Result<Actor> LoadActor(const std::string& user_id) override;
  Result<std::map<std::string, std::string>> DisplayNames(
      const std::vector<std::string>& user_ids) override;

 private:
  StoreCore& core_;
};

// sessions.cpp
class SociSessionStore final : public SessionStore {
 public:
  explicit SociSessionStore(StoreCore& core) : core_(core) {}
  Status CreateSession(const Session& session, const AuditContext& who) override;
  Result<Session> FindSession(const std::string& token_hash) override;
  Status TouchSession(const std::string& token_hash, Timestamp now) override;
  Status RevokeSession(const std::string& token_hash, const AuditContext& who,
                       Timestamp now) override;

 private:
  StoreCore& core_;
};

// audit_chain.cpp
class SociAuditLog final : public AuditLog {
 public:
  explicit SociAuditLog(StoreCore& core) : core_(core) {}
  Status RecordAudit(const AuditContext& who, Timestamp now, const std::string& forum_id,
                     const std::string& case_id, const std::string& action,
                     const std::string& detail) override;
  Result<std::vector<AccessRecord>> AccessLogFor(const Subject& subject, const AuditContext& who,
                                                 Timestamp now) override;
  Result<std::int64_t> VerifyAuditChain() override;
  Result<std::vector<AuditEntry>> AuditEntries(std::int64_t after_seq, size_t limit) override;

 private:
  StoreCore& core_;
};

// The reads in case_queries.cpp, the changes in case_changes.cpp. Definitions come from
// `registry` (to withhold what a reader may not see).
class SociCaseStore final : public CaseStore {
 public:
  SociCaseStore(StoreCore& core, WorkflowRegistry& registry)
      : core_(core), registry_(registry) {}

  Status CreateCase(const Opening& opening, const Actor& actor, const AuditContext& who) override;
  Result<Case> GetCase(const Actor& actor, const std::string& case_id, const AuditContext& who,
                       Timestamp now) override;
  Result<CasePage> ListCases(const Actor& actor, const CaseFilter& filter, const AuditContext& who,
                             Timestamp now) override;
  Result<CaseViewPage> ListCaseViews(const Actor& actor, const CaseFilter& filter,
                                     const AuditContext& who, Timestamp now) override;
  Result<std::vector<Case>> ListEscalations(const Actor& actor, size_t limit,
                                            const AuditContext& who, Timestamp now) override;
  Result<ForumStatistics> ForumStats(const AuditContext& who, const Actor& actor,
                                     const std::string& forum_id, Timestamp now) override;
  Result<std::vector<HistoryEntry>> History(const Actor& actor, const std::string& case_id,
                                            const AuditContext& who, Timestamp now) override;
  Result<std::vector<CaseLink>> Links(const Actor& actor, const std::string& case_id) override;
  Result<Case> LoadForDecision(const Actor& actor, const std::string& case_id) override;
  Result<Case> ApplyDecision(const Actor& actor, const Decision& decision,
                             std::int64_t expected_version, const std::optional<Opening>& referred,
                             const AuditContext& who) override;
  Result<int> EscalateOverdue(Timestamp now) override;
  Result<std::int64_t> CountCases() override;
  Result<std::map<std::pair<std::string, std::string>, std::int64_t>> CountOpenCases() override;

 private:
  // The case if `actor` may see it, else kNotFound.
  static Result<Case> FetchVisibleCase(SessionStatements& statements, const Actor& actor,
                                       const std::string& case_id);
  // The opened case, its opening history row and its audit entry.
  // REQUIRES: inside a write job.
  void InsertCase(soci::session& sql, const Opening& opening, const AuditContext& who);
  // Appends `e` as the case's next history row, with `data_text` its data as JSON text. With
  // `record_deadline` the row keeps the due_at the case has now, i.e. the deadline of the
  // state the step leaves, so a transition must append before its UPDATE; the opening row
  // records none. A case that does not exist gets no row.
  // REQUIRES: inside a write job.
  void AppendHistory(const std::string& case_id, const HistoryEntry& e, bool record_deadline,
                     const std::string& data_text);
  // Records that `actor` read these cases, one audit entry each, in one transaction.
  // The role recorded is what the actor holds in the case's forum.
  Status RecordReads(const Actor& actor, const AuditContext& who, Timestamp now,
                     const std::string& action, const std::vector<Case>& cases);
  // docs/domain.md rule 4 on a case handed to a reader. Called after the read's session is
  // returned to the pool: a definition not yet cached is read with a session of its own.
  Status WithholdFrom(const Actor& actor, Case& c);

  StoreCore& core_;
  WorkflowRegistry& registry_;
};

}  // namespace samspil::store_impl
