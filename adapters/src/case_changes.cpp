// The CaseStore's changes: opening a case, applying a decision, the deadline scan. Each is
// one job of the writer, together with its history row and its audit entry.
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "audit_chain.hpp"
#include "samspil/adapters/json_data.hpp"
#include "soci_ports.hpp"
#include "sql/statements.hpp"
#include "sql/store_core.hpp"

namespace samspil::store_impl {

using soci::into;
using soci::use;

void SociCaseStore::InsertCase(soci::session& sql, const Opening& opening,
                               const AuditContext& who) {
  const Case& c = opening.opened;
  const long long workflow_version = c.workflow_version;
  const long long version = c.version;
  const long long escalated = c.escalated ? 1 : 0;
  const std::string birth = FormatDate(c.subject.birth_date);
  const std::string data = DataToJsonText(c.data);
  const std::string opened_at = FormatTimestamp(c.opened_at);
  const std::string updated_at = FormatTimestamp(c.updated_at);
  const std::string entered_at = FormatTimestamp(c.state_entered_at);
  std::string due_at = c.due_at ? FormatTimestamp(*c.due_at) : "";
  soci::indicator due_ind = c.due_at ? soci::i_ok : soci::i_null;
  sql << sql::kInsertCase, use(c.id), use(c.forum_id), use(c.workflow_id), use(workflow_version),
      use(c.state), use(version), use(c.subject.name), use(birth), use(c.summary), use(data),
      use(c.opened_by), use(opened_at), use(updated_at), use(entered_at), use(due_at, due_ind),
      use(escalated);
  AppendHistory(c.id, opening.entry, false, DataToJsonText(opening.entry.data));
  AuditContext acting = who;
  if (acting.role.empty()) acting.role = opening.entry.role;
  AppendAudit(core_, acting, c.opened_at, c.forum_id, c.id, "case.open", "state " + c.state);
}

void SociCaseStore::AppendHistory(const std::string& case_id, const HistoryEntry& e,
                                  bool record_deadline, const std::string& data_text) {
  SessionStatements& statements = core_.WriterStatements();
  auto& q = record_deadline ? statements.Get(statements.insert_history, true)
                            : statements.Get(statements.insert_opening_history, false);
  q.action = e.action;
  q.from = e.from;
  q.to = e.to;
  q.actor = e.actor_id;
  q.actor_ind = e.actor_id.empty() ? soci::i_null : soci::i_ok;
  q.role = e.role;
  q.at = FormatTimestamp(e.at);
  q.comment = e.comment;
  q.data = data_text;
  q.case_id = case_id;
  q.st.execute(true);
}

Status SociCaseStore::CreateCase(const Opening& opening, const Actor& actor,
                                 const AuditContext& who) {
  return core_.Write("create case", [&](soci::session& sql) -> Status {
    long long member = 0;
    sql << sql::kIsMemberOfForum, use(actor.id), use(opening.opened.forum_id), into(member);
    if (member == 0) return MakeError(ErrorCode::kNotFound, "forum not found");
    InsertCase(sql, opening, who);
    return {};
  });
}

Result<Case> SociCaseStore::ApplyDecision(const Actor& actor, const Decision& decision,
                                          std::int64_t expected_version,
                                          const std::optional<Opening>& referred,
                                          const AuditContext& who) {
  const Case& c = decision.updated;
  // Serialised before the job: the writer thread is the bottleneck, not the callers.
  const std::string data = DataToJsonText(c.data);
  const std::string history_data = DataToJsonText(decision.entry.data);
  auto applied = core_.Write("apply decision", [&](soci::session& sql) -> Result<Case> {
    // Before the UPDATE, so the row records the deadline of the state being left; a
    // refused update below rolls it back with the rest of this job.
    AppendHistory(c.id, decision.entry, true, history_data);
    SessionStatements& statements = core_.WriterStatements();
    auto& update = statements.Get(statements.update_case);
    update.state = c.state;
    update.version = c.version;
    update.data = data;
    update.updated_at = FormatTimestamp(c.updated_at);
    update.entered_at = FormatTimestamp(c.state_entered_at);
    update.due_at = c.due_at ? FormatTimestamp(*c.due_at) : "";
    update.due_ind = c.due_at ? soci::i_ok : soci::i_null;
    update.escalated = c.escalated ? 1 : 0;
    update.id = c.id;
    update.expected = expected_version;
    update.user_id = actor.id;
    update.st.execute(true);
    if (update.st.get_affected_rows() != 1) {
      auto current = FetchVisibleCase(statements, actor, c.id);
      if (!current) return current.error();
      return MakeError(ErrorCode::kVersionConflict, "expected_version " +
                                                        std::to_string(expected_version) +
                                                        " is stale: the case is at version " +
                                                        std::to_string(current->version));
    }
    std::string detail =
        decision.entry.action + " " + decision.entry.from + "->" + decision.entry.to;
    if (referred) {
      InsertCase(sql, *referred, who);
      const std::string at = FormatTimestamp(c.updated_at);
      const std::string basis = decision.referral ? decision.referral->legal_basis : "";
      sql << sql::kInsertCaseLink, use(c.id), use(referred->opened.id), use(basis),
          use(actor.id), use(at);
      detail += " referred " + referred->opened.id + " basis " + basis;
    }
    AuditContext acting = who;
    if (acting.role.empty()) acting.role = decision.entry.role;
    AppendAudit(core_, acting, c.updated_at, c.forum_id, c.id, "case.transition", detail);
    return c;
  });
  if (!applied) return applied;
  if (auto st = WithholdFrom(actor, *applied); !st) return st.error();
  return applied;
}

Result<int> SociCaseStore::EscalateOverdue(Timestamp now) {
  const std::string now_text = FormatTimestamp(now);
  int escalated = 0;
  for (;;) {
    size_t found = 0;
    // Selected inside the write job, so a second scanner sees escalated = 1.
    auto st = core_.Write("escalate", [&](soci::session& sql) -> Status {
      std::vector<std::pair<std::string, std::string>> batch;  // (id, forum)
      {
        std::string id, forum;
        soci::statement select =
            (sql.prepare << sql::kOverdueNotEscalated, use(now_text), into(id), into(forum));
        select.execute();
        while (select.fetch()) batch.emplace_back(id, forum);
      }
      found = batch.size();
      for (const auto& [id, forum] : batch) {
        soci::statement mark = (sql.prepare << sql::kMarkEscalated, use(id), use(now_text));
        mark.execute(true);
        if (mark.get_affected_rows() != 1) continue;  // another process got there first
        Case c;
        {
          CaseRow row;
          soci::statement one(sql);
          one.exchange(use(id));
          row.Bind(one);
          one.alloc();
          one.prepare(sql::kCaseById);
          one.define_and_bind();
          one.execute(true);
          c = row.ToCase();
        }
        c.escalated = false;  // EscalationFor decides on the state before this scan
        if (auto entry = EscalationFor(c, now)) {
          AppendHistory(id, *entry, true, DataToJsonText(entry->data));
          AppendAudit(core_, AuditContext{"", "", "system", "local"}, now, forum, id,
                      "case.escalate", "state " + c.state);
          ++escalated;
        }
      }
      return {};
    });
    if (!st) return st.error();
    if (found == 0) break;
  }
  if (escalated) spdlog::info("deadline scan escalated {} cases", escalated);
  return escalated;
}

}  // namespace samspil::store_impl
