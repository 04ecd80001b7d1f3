// The Store on SOCI: the ports (soci_ports.hpp) on one StoreCore, put together. Nothing
// here touches the database; every call is handed to the port that answers it.
#include <memory>

#include "samspil/adapters/store.hpp"
#include "soci_ports.hpp"
#include "sql/store_core.hpp"

namespace samspil {

namespace {

using namespace store_impl;

class SociStore final : public Store {
 public:
  SociStore(DatabaseUrl url, const StoreOptions& options)
      : core_(std::move(url), options),
        database_(core_),
        registry_(core_),
        directory_(core_),
        cases_(core_, registry_),
        sessions_(core_),
        audit_(core_) {}

  Status Connect() { return core_.Connect(); }
  void StartWriter() { core_.StartWriter(); }

  // Database
  Result<int> Migrate() override { return database_.Migrate(); }
  Result<std::vector<std::string>> AppliedMigrations() override {
    return database_.AppliedMigrations();
  }
  Status Ping() override { return database_.Ping(); }
  Status Ready() override { return database_.Ready(); }

  // WorkflowRegistry
  Status RegisterWorkflow(const WorkflowDefinition& def, const std::string& source) override {
    return registry_.RegisterWorkflow(def, source);
  }
  Result<std::shared_ptr<const WorkflowDefinition>> PinnedWorkflow(
      const std::string& id, std::int64_t version) override {
    return registry_.PinnedWorkflow(id, version);
  }

  // Directory
  Status AddAgency(const Agency& agency, const AuditContext& who, Timestamp now) override {
    return directory_.AddAgency(agency, who, now);
  }
  Status AddForum(const Forum& forum, const AuditContext& who, Timestamp now) override {
    return directory_.AddForum(forum, who, now);
  }
  Status AddUser(const User& user, const std::string& password_hash, const AuditContext& who,
                 Timestamp now) override {
    return directory_.AddUser(user, password_hash, who, now);
  }
  Status AddMembership(const std::string& forum_id, const std::string& username,
                       const std::string& role, const AuditContext& who, Timestamp now) override {
    return directory_.AddMembership(forum_id, username, role, who, now);
  }
  Result<Forum> GetForum(const std::string& forum_id) override {
    return directory_.GetForum(forum_id);
  }
  Result<std::vector<Forum>> ListFora() override { return directory_.ListFora(); }
  Result<User> GetUserByUsername(const std::string& username) override {
    return directory_.GetUserByUsername(username);
  }
  Result<std::string> PasswordHashOf(const std::string& user_id) override {
    return directory_.PasswordHashOf(user_id);
  }
  Result<UserProfile> Profile(const std::string& user_id) override {
    return directory_.Profile(user_id);
  }
  Result<Actor> LoadActor(const std::string& user_id) override {
    return directory_.LoadActor(user_id);
  }
  Result<std::map<std::string, std::string>> DisplayNames(
      const std::vector<std::string>& user_ids) override {
    return directory_.DisplayNames(user_ids);
  }

  // CaseStore
  Status CreateCase(const Opening& opening, const Actor& actor, const AuditContext& who) override {
    return cases_.CreateCase(opening, actor, who);
  }
  Result<Case> GetCase(const Actor& actor, const std::string& case_id, const AuditContext& who,
                       Timestamp now) override {
    return cases_.GetCase(actor, case_id, who, now);
  }
  Result<CasePage> ListCases(const Actor& actor, const CaseFilter& filter, const AuditContext& who,
                             Timestamp now) override {
    return cases_.ListCases(actor, filter, who, now);
  }
  Result<CaseViewPage> ListCaseViews(const Actor& actor, const CaseFilter& filter,
                                     const AuditContext& who, Timestamp now) override {
    return cases_.ListCaseViews(actor, filter, who, now);
  }
  Result<std::vector<Case>> ListEscalations(const Actor& actor, size_t limit,
                                            const AuditContext& who, Timestamp now) override {
    return cases_.ListEscalations(actor, limit, who, now);
  }
  Result<ForumStatistics> ForumStats(const AuditContext& who, const Actor& actor,
                                     const std::string& forum_id, Timestamp now) override {
    return cases_.ForumStats(who, actor, forum_id, now);
  }
  Result<std::vector<HistoryEntry>> History(const Actor& actor, const std::string& case_id,
                                            const AuditContext& who, Timestamp now) override {
    return cases_.History(actor, case_id, who, now);
  }
  Result<std::vector<CaseLink>> Links(const Actor& actor, const std::string& case_id) override {
    return cases_.Links(actor, case_id);
  }
  Result<Case> LoadForDecision(const Actor& actor, const std::string& case_id) override {
    return cases_.LoadForDecision(actor, case_id);
  }
  Result<Case> ApplyDecision(const Actor& actor, const Decision& decision,
                             std::int64_t expected_version, const std::optional<Opening>& referred,
                             const AuditContext& who) override {
    return cases_.ApplyDecision(actor, decision, expected_version, referred, who);
  }
  Result<int> EscalateOverdue(Timestamp now) override { return cases_.EscalateOverdue(now); }
  Result<std::int64_t> CountCases() override { return cases_.CountCases(); }
  Result<std::map<std::pair<std::string, std::string>, std::int64_t>> CountOpenCases() override {
    return cases_.CountOpenCases();
  }

  // SessionStore
  Status CreateSession(const Session& session, const AuditContext& who) override {
    return sessions_.CreateSession(session, who);
  }
  Result<Session> FindSession(const std::string& token_hash) override {
    return sessions_.FindSession(token_hash);
  }
  Status TouchSession(const std::string& token_hash, Timestamp now) override {
    return sessions_.TouchSession(token_hash, now);
  }
  Status RevokeSession(const std::string& token_hash, const AuditContext& who,
                       Timestamp now) override {
    return sessions_.RevokeSession(token_hash, who, now);
  }

  // AuditLog
  Status RecordAudit(const AuditContext& who, Timestamp now, const std::string& forum_id,
                     const std::string& case_id, const std::string& action,
                     const std::string& detail) override {
    return audit_.RecordAudit(who, now, forum_id, case_id, action, detail);
  }
  Result<std::vector<AccessRecord>> AccessLogFor(const Subject& subject, const AuditContext& who,
                                                 Timestamp now) override {
    return audit_.AccessLogFor(subject, who, now);
  }
  Result<std::int64_t> VerifyAuditChain() override { return audit_.VerifyAuditChain(); }
  Result<std::vector<AuditEntry>> AuditEntries(std::int64_t after_seq, size_t limit) override {
    return audit_.AuditEntries(after_seq, limit);
  }

 private:
  StoreCore core_;  // outlives the ports, which hold references to it
  SociDatabase database_;
  SociWorkflowRegistry registry_;
  SociDirectory directory_;
  SociCaseStore cases_;
  SociSessionStore sessions_;
  SociAuditLog audit_;
};

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  auto url = ParseDatabaseUrl(options.url);
  if (!url) return url.error();
  if (options.sqlite_synchronous != "FULL" && options.sqlite_synchronous != "NORMAL") {
    return MakeError(ErrorCode::kInvalidRequest, "sqlite synchronous must be FULL or NORMAL");
  }
  if (options.pool_size < 1) {
    return MakeError(ErrorCode::kInvalidRequest, "the pool needs at least one session");
  }
  if (options.sqlite_wal_limit_bytes < 1 || options.sqlite_checkpoint_max_pause_ms < 0) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "the WAL limit must be positive and the checkpoint pause not negative");
  }
  auto store = std::make_unique<SociStore>(*url, options);
  if (auto st = store->Connect(); !st) return st.error();
  if (auto migrated = store->Migrate(); !migrated) return migrated.error();
  store->StartWriter();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace samspil
