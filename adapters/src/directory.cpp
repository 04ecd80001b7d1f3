// The Directory port: agencies, fora, users and memberships.
#include <soci/soci.h>

#include <algorithm>

#include "audit_chain.hpp"
#include "soci_ports.hpp"
#include "sql/statements.hpp"
#include "sql/store_core.hpp"

namespace samspil::store_impl {

using soci::into;
using soci::use;

namespace {

bool Exists(soci::session& sql, const char* query, const std::string& value) {
  long long count = 0;
  sql << query, use(value), into(count);
  return count > 0;
}

}  // namespace

Status SociDirectory::AddAgency(const Agency& agency, const AuditContext& who, Timestamp now) {
  if (agency.id.empty() || agency.name.empty()) {
    return MakeError(ErrorCode::kInvalidRequest, "agency id and name must not be empty");
  }
  if (std::find(AgencyKinds().begin(), AgencyKinds().end(), agency.kind) == AgencyKinds().end()) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "unknown agency kind \"" + agency.kind +
                         "\" (one of politi, kommune, region, kriminalforsorg, "
                         "anklagemyndighed, domstol, andet)");
  }
  return core_.Write("add agency", [&](soci::session& sql) -> Status {
    if (Exists(sql, sql::kCountAgencies, agency.id)) {
      return MakeError(ErrorCode::kAlreadyExists, "agency \"" + agency.id + "\" already exists");
    }
    const std::string at = FormatTimestamp(now);
    sql << sql::kInsertAgency, use(agency.id), use(agency.name), use(agency.kind), use(at);
    AppendAudit(core_, who, now, "", "", "agency.add", "agency " + agency.id);
    return {};
  });
}

Status SociDirectory::AddForum(const Forum& forum, const AuditContext& who, Timestamp now) {
  if (forum.id.empty() || forum.name.empty()) {
    return MakeError(ErrorCode::kInvalidRequest, "forum id and name must not be empty");
  }
  return core_.Write("add forum", [&](soci::session& sql) -> Status {
    if (Exists(sql, sql::kCountFora, forum.id)) {
      return MakeError(ErrorCode::kAlreadyExists, "forum \"" + forum.id + "\" already exists");
    }
    if (!Exists(sql, sql::kCountWorkflowVersions, forum.workflow_id)) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "unknown workflow \"" + forum.workflow_id + "\"");
    }
    const std::string at = FormatTimestamp(now);
    sql << sql::kInsertForum, use(forum.id), use(forum.name), use(forum.workflow_id),
        use(forum.municipality), use(at);
    AppendAudit(core_, who, now, forum.id, "", "forum.add", "forum " + forum.id);
    return {};
  });
}

Status SociDirectory::AddUser(const User& user, const std::string& password_hash,
                              const AuditContext& who, Timestamp now) {
  if (user.username.empty() || user.display_name.empty()) {
    return MakeError(ErrorCode::kInvalidRequest, "username and name must not be empty");
  }
  return core_.Write("add user", [&](soci::session& sql) -> Status {
    if (Exists(sql, sql::kCountUsernames, user.username)) {
      return MakeError(ErrorCode::kAlreadyExists, "user \"" + user.username + "\" already exists");
    }
    if (!Exists(sql, sql::kCountAgencies, user.agency_id)) {
      return MakeError(ErrorCode::kInvalidRequest, "unknown agency \"" + user.agency_id + "\"");
    }
    const std::string at = FormatTimestamp(now);
    const long long admin = user.is_admin ? 1 : 0;
    sql << sql::kInsertUser, use(user.id), use(user.username), use(user.display_name),
        use(user.agency_id), use(password_hash), use(admin), use(at);
    AppendAudit(core_, who, now, "", "", "user.add", "user " + user.id);
    return {};
  });
}

Status SociDirectory::AddMembership(const std::string& forum_id, const std::string& username,
                                    const std::string& role, const AuditContext& who,
                                    Timestamp now) {
  if (std::find(KnownRoles().begin(), KnownRoles().end(), role) == KnownRoles().end()) {
    std::string roles;
    for (const auto& r : KnownRoles()) roles += (roles.empty() ? "" : ", ") + r;
    return MakeError(ErrorCode::kInvalidRequest,
                     "unknown role \"" + role + "\" (one of " + roles + ")");
  }
  return core_.Write("add membership", [&](soci::session& sql) -> Status {
    if (!Exists(sql, sql::kCountFora, forum_id)) {
      return MakeError(ErrorCode::kInvalidRequest, "unknown forum \"" + forum_id + "\"");
    }
    std::string user_id;
    sql << sql::kUserIdByUsername, use(username), into(user_id);
    if (!sql.got_data()) {
      return MakeError(ErrorCode::kInvalidRequest, "unknown user \"" + username + "\"");
    }
    long long count = 0;
    sql << sql::kCountMemberships, use(user_id), use(forum_id), use(role), into(count);
    if (count > 0) {
      return MakeError(ErrorCode::kAlreadyExists,
                       "\"" + username + "\" already is " + role + " in " + forum_id);
    }
    const std::string at = FormatTimestamp(now);
    sql << sql::kInsertMembership, use(forum_id), use(user_id), use(role), use(at);
    AppendAudit(core_, who, now, forum_id, "", "member.add", "user " + user_id + " role " + role);
    return {};
  });
}

Result<Forum> SociDirectory::GetForum(const std::string& forum_id) {
  return core_.Guarded("get forum", [&]() -> Result<Forum> {
    soci::session sql(core_.pool());
    Forum f;
    sql << sql::kForum, use(forum_id), into(f.id), into(f.name), into(f.workflow_id),
        into(f.municipality);
    if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "forum not found");
    return f;
  });
}

Result<std::vector<Forum>> SociDirectory::ListFora() {
  return core_.Guarded("list fora", [&]() -> Result<std::vector<Forum>> {
    soci::session sql(core_.pool());
    std::vector<Forum> out;
    Forum f;
    soci::statement st = (sql.prepare << sql::kAllFora, into(f.id), into(f.name),
                          into(f.workflow_id), into(f.municipality));
    st.execute();
    while (st.fetch()) out.push_back(f);
    return out;
  });
}

Result<User> SociDirectory::GetUserByUsername(const std::string& username) {
  return core_.Guarded("get user", [&]() -> Result<User> {
    soci::session sql(core_.pool());
    User u;
    long long admin = 0;
    sql << sql::kUserByUsername, use(username), into(u.id), into(u.username),
        into(u.display_name), into(u.agency_id), into(admin);
    if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "user not found");
    u.is_admin = admin != 0;
    return u;
  });
}

Result<std::string> SociDirectory::PasswordHashOf(const std::string& user_id) {
  return core_.Guarded("password hash", [&]() -> Result<std::string> {
    soci::session sql(core_.pool());
    std::string hash;
    sql << sql::kPasswordHash, use(user_id), into(hash);
    if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "user not found");
    return hash;
  });
}

Result<UserProfile> SociDirectory::Profile(const std::string& user_id) {
  return core_.Guarded("profile", [&]() -> Result<UserProfile> {
    soci::session sql(core_.pool());
    UserProfile p;
    long long admin = 0;
    sql << sql::kProfileUser, use(user_id), into(p.user.id), into(p.user.username),
        into(p.user.display_name), into(p.user.agency_id), into(admin), into(p.agency.name),
        into(p.agency.kind);
    if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "user not found");
    p.user.is_admin = admin != 0;
    p.agency.id = p.user.agency_id;
    UserProfile::Seat seat;
    soci::statement st =
        (sql.prepare << sql::kProfileSeats, use(user_id), into(seat.forum.id),
         into(seat.forum.name), into(seat.forum.workflow_id), into(seat.forum.municipality),
         into(seat.role));
    st.execute();
    while (st.fetch()) p.memberships.push_back(seat);
    return p;
  });
}

Result<Actor> SociDirectory::LoadActor(const std::string& user_id) {
  return core_.Guarded("load actor", [&]() -> Result<Actor> {
    StoreCore::Lease lease(core_);
    auto& q = lease.statements.Get(lease.statements.load_actor);
    q.user_id = user_id;
    if (!q.user.execute(true)) return MakeError(ErrorCode::kNotFound, "user not found");
    Actor actor;
    actor.id = q.id;
    actor.agency_id = q.agency_id;
    actor.is_admin = q.admin != 0;
    Drain(q.user);
    q.memberships.execute();
    while (q.memberships.fetch()) actor.roles_by_forum[q.forum_id].insert(q.role);
    return actor;
  });
}

Result<std::map<std::string, std::string>> SociDirectory::DisplayNames(
    const std::vector<std::string>& user_ids) {
  return core_.Guarded("display names", [&]() -> Result<std::map<std::string, std::string>> {
    StoreCore::Lease lease(core_);
    auto& q = lease.statements.Get(lease.statements.display_name);
    std::map<std::string, std::string> out;
    for (const auto& id : user_ids) {
      if (id.empty() || out.count(id)) continue;
      q.id = id;
      if (q.st.execute(true)) {
        out[id] = q.name;
        Drain(q.st);
      }
    }
    return out;
  });
}

}  // namespace samspil::store_impl
