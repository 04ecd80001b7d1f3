// The hot statements of one session, each prepared once and executed again with new values
// (SOCI's `sql << "..."` parses the SQL every time: a third of a transition's CPU). The
// use/into targets of each are the members beside it; a struct is made on first use, by
// the one thread that holds the session.
#pragma once

#include <soci/soci.h>

#include <memory>
#include <string>

#include "case_row.hpp"
#include "samspil/adapters/case_store.hpp"
#include "samspil/adapters/session_store.hpp"
#include "sql/statements.hpp"

namespace samspil::store_impl {

// Reads a query to its end. SQLite keeps a connection's read transaction open while one of
// its statements is mid-result; a statement kept for reuse must not pin an old snapshot.
inline void Drain(soci::statement& st) {
  while (st.fetch()) {
  }
}

struct SessionStatements {
  explicit SessionStatements(soci::session& session) : sql(session) {}
  soci::session& sql;

  struct VisibleCase {
    std::string case_id, user_id;
    CaseRow row;
    soci::statement st;
    explicit VisibleCase(soci::session& sql) : st(sql) {
      st.exchange(soci::use(case_id));
      st.exchange(soci::use(user_id));
      row.Bind(st);
      st.alloc();
      st.prepare(sql::kVisibleCase);
      st.define_and_bind();
    }
  };
  // Whether a case is visible, without reading it (its data is the costly part to read).
  struct CaseVisible {
    std::string case_id, user_id;
    int one = 0;
    soci::statement st;
    explicit CaseVisible(soci::session& sql)
        : st((sql.prepare << sql::kCaseVisible, soci::use(case_id), soci::use(user_id),
              soci::into(one))) {}
  };
  struct FindSession {
    std::string token_hash;
    Session out;
    std::string created, last_seen, expires;
    long long revoked = 0;
    soci::statement st;
    explicit FindSession(soci::session& sql)
        : st((sql.prepare << sql::kSession, soci::use(token_hash), soci::into(out.token_hash),
              soci::into(out.user_id), soci::into(out.csrf_token), soci::into(created),
              soci::into(last_seen), soci::into(expires), soci::into(revoked))) {}
  };
  struct LoadActor {
    std::string user_id, id, agency_id, forum_id, role;
    long long admin = 0;
    soci::statement user, memberships;
    explicit LoadActor(soci::session& sql)
        : user((sql.prepare << sql::kActorUser, soci::use(user_id), soci::into(id),
                soci::into(agency_id), soci::into(admin))),
          memberships((sql.prepare << sql::kActorMemberships, soci::use(user_id),
                       soci::into(forum_id), soci::into(role))) {}
  };
  struct Links {
    std::string case_id, case_id2;
    CaseLink link;
    soci::statement st;
    explicit Links(soci::session& sql)
        : st((sql.prepare << sql::kLinksOfCase, soci::use(case_id), soci::use(case_id2),
              soci::into(link.case_id), soci::into(link.forum_id), soci::into(link.relation),
              soci::into(link.legal_basis))) {}
  };
  struct DisplayName {
    std::string id, name;
    soci::statement st;
    explicit DisplayName(soci::session& sql)
        : st((sql.prepare << sql::kDisplayName, soci::use(id), soci::into(name))) {}
  };
  // The writer's.
  struct UpdateCase {
    std::string state, data, updated_at, entered_at, due_at, id, user_id;
    soci::indicator due_ind = soci::i_null;
    long long version = 0, escalated = 0, expected = 0;
    soci::statement st;
    explicit UpdateCase(soci::session& sql)
        : st((sql.prepare << sql::kUpdateCase, soci::use(state), soci::use(version),
              soci::use(data), soci::use(updated_at), soci::use(entered_at),
              soci::use(due_at, due_ind), soci::use(escalated), soci::use(id),
              soci::use(expected), soci::use(user_id))) {}
  };
  // With `record_deadline` the row keeps the due_at the case has now (see AppendHistory).
  struct InsertHistory {
    std::string action, from, to, actor, role, at, comment, data, case_id;
    soci::indicator actor_ind = soci::i_null;
    soci::statement st;
    InsertHistory(soci::session& sql, bool record_deadline)
        : st((sql.prepare << sql::InsertHistory(record_deadline), soci::use(action),
              soci::use(from), soci::use(to), soci::use(actor, actor_ind), soci::use(role),
              soci::use(at), soci::use(comment), soci::use(data), soci::use(case_id))) {}
  };
  struct AuditHeadQuery {
    long long seq = 0;
    std::string hash;
    soci::statement st;
    explicit AuditHeadQuery(soci::session& sql)
        : st((sql.prepare << sql::kAuditHead, soci::into(seq), soci::into(hash))) {}
  };
  struct InsertAudit {
    long long seq = 0;
    std::string at, actor_id, agency_id, role, forum_id, case_id, action, client_address, detail,
        prev_hash, hash;
    soci::statement st;
    explicit InsertAudit(soci::session& sql)
        : st((sql.prepare << sql::kInsertAudit, soci::use(seq), soci::use(at),
              soci::use(actor_id), soci::use(agency_id), soci::use(role), soci::use(forum_id),
              soci::use(case_id), soci::use(action), soci::use(client_address),
              soci::use(detail), soci::use(prev_hash), soci::use(hash))) {}
  };

  // The statement of type T, prepared on first use.
  template <typename T, typename... Args>
  T& Get(std::unique_ptr<T>& slot, Args... args) {
    if (!slot) slot = std::make_unique<T>(sql, args...);
    return *slot;
  }
  std::unique_ptr<VisibleCase> visible_case;
  std::unique_ptr<CaseVisible> case_visible;
  std::unique_ptr<FindSession> find_session;
  std::unique_ptr<LoadActor> load_actor;
  std::unique_ptr<Links> links;
  std::unique_ptr<DisplayName> display_name;
  std::unique_ptr<UpdateCase> update_case;
  std::unique_ptr<InsertHistory> insert_history, insert_opening_history;
  std::unique_ptr<AuditHeadQuery> audit_head;
  std::unique_ptr<InsertAudit> insert_audit;
};

}  // namespace samspil::store_impl
