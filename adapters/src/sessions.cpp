// The SessionStore port: login sessions, by the SHA-256 of their token.
#include <soci/soci.h>

#include "audit_chain.hpp"
#include "soci_ports.hpp"
#include "sql/statements.hpp"
#include "sql/store_core.hpp"

namespace samspil::store_impl {

using soci::use;

Status SociSessionStore::CreateSession(const Session& session, const AuditContext& who) {
  return core_.Write("create session", [&](soci::session& sql) -> Status {
    const std::string created = FormatTimestamp(session.created_at);
    const std::string expires = FormatTimestamp(session.expires_at);
    sql << sql::kInsertSession, use(session.token_hash), use(session.user_id),
        use(session.csrf_token), use(created), use(created), use(expires);
    AppendAudit(core_, who, session.created_at, "", "", "auth.login", "user " + session.user_id);
    return {};
  });
}

Result<Session> SociSessionStore::FindSession(const std::string& token_hash) {
  return core_.Guarded("find session", [&]() -> Result<Session> {
    StoreCore::Lease lease(core_);
    auto& q = lease.statements.Get(lease.statements.find_session);
    q.token_hash = token_hash;
    if (!q.st.execute(true)) return MakeError(ErrorCode::kUnauthenticated, "unknown session");
    Session out = q.out;
    out.created_at = ParseTimestamp(q.created).value_or(Timestamp{});
    out.last_seen_at = ParseTimestamp(q.last_seen).value_or(Timestamp{});
    out.expires_at = ParseTimestamp(q.expires).value_or(Timestamp{});
    out.revoked = q.revoked != 0;
    Drain(q.st);
    return out;
  });
}

Status SociSessionStore::TouchSession(const std::string& token_hash, Timestamp now) {
  return core_.Write("touch session", [&](soci::session& sql) -> Status {
    const std::string at = FormatTimestamp(now);
    sql << sql::kTouchSession, use(at), use(token_hash);
    return {};
  });
}

Status SociSessionStore::RevokeSession(const std::string& token_hash, const AuditContext& who,
                                       Timestamp now) {
  return core_.Write("revoke session", [&](soci::session& sql) -> Status {
    sql << sql::kRevokeSession, use(token_hash);
    AppendAudit(core_, who, now, "", "", "auth.logout", "");
    return {};
  });
}

}  // namespace samspil::store_impl
