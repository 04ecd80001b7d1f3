// The hash chain, and the AuditLog port on it.
#include "audit_chain.hpp"

#include <soci/soci.h>

#include <algorithm>

#include "samspil/adapters/ids.hpp"
#include "soci_ports.hpp"
#include "sql/statements.hpp"
#include "sql/store_core.hpp"

namespace samspil::store_impl {

using soci::into;
using soci::use;

std::string AuditHash(const AuditEntry& e) {
  std::string canonical;
  for (const std::string& field :
       {std::to_string(e.seq), FormatTimestamp(e.at), e.actor_id, e.agency_id, e.role, e.forum_id,
        e.case_id, e.action, e.client_address, e.detail, e.prev_hash}) {
    canonical += std::to_string(field.size()) + ":" + field + ";";
  }
  return Sha256Hex(canonical);
}

void AppendAudit(StoreCore& core, const AuditContext& who, Timestamp at,
                 const std::string& forum_id, const std::string& case_id,
                 const std::string& action, const std::string& detail) {
  SessionStatements& statements = core.WriterStatements();
  AuditHead& head = core.WriterAuditHead();
  if (!head.known) {
    auto& q = statements.Get(statements.audit_head);
    const bool has_previous = q.st.execute(true);
    head.seq = has_previous ? q.seq : 0;
    head.hash = has_previous ? q.hash : kGenesisHash;
    if (has_previous) Drain(q.st);
    head.known = true;
  }
  AuditEntry e;
  e.seq = head.seq + 1;
  e.prev_hash = head.hash;
  e.at = at;
  e.actor_id = who.actor_id;
  e.agency_id = who.agency_id;
  e.role = who.role;
  e.forum_id = forum_id;
  e.case_id = case_id;
  e.action = action;
  e.client_address = who.client_address;
  e.detail = detail;
  e.hash = AuditHash(e);
  auto& q = statements.Get(statements.insert_audit);
  q.seq = e.seq;
  q.at = FormatTimestamp(e.at);
  q.actor_id = e.actor_id;
  q.agency_id = e.agency_id;
  q.role = e.role;
  q.forum_id = e.forum_id;
  q.case_id = e.case_id;
  q.action = e.action;
  q.client_address = e.client_address;
  q.detail = e.detail;
  q.prev_hash = e.prev_hash;
  q.hash = e.hash;
  q.st.execute(true);
  // Only after the INSERT succeeded; a failed job puts the head back (Writer::RunBatch).
  head.seq = e.seq;
  head.hash = e.hash;
}

AuditContext Reader(const Actor& actor, const AuditContext& who, const std::string& forum_id) {
  AuditContext reader = who;
  reader.actor_id = actor.id;
  reader.agency_id = actor.agency_id;
  reader.role.clear();
  for (const auto& r : actor.RolesIn(forum_id)) {
    reader.role += (reader.role.empty() ? "" : ",") + r;
  }
  return reader;
}

namespace {

// One row of audit_log (sql::kAuditColumns).
struct AuditRow {
  long long seq = 0;
  std::string at, actor_id, agency_id, role, forum_id, case_id, action, client_address, detail,
      prev_hash, hash;
  void Bind(soci::statement& st) {
    st.exchange(into(seq));
    for (std::string* s : {&at, &actor_id, &agency_id, &role, &forum_id, &case_id, &action,
                           &client_address, &detail, &prev_hash, &hash}) {
      st.exchange(into(*s));
    }
  }
  AuditEntry ToEntry() const {
    return AuditEntry{seq,
                      ParseTimestamp(at).value_or(Timestamp{}),
                      actor_id,
                      agency_id,
                      role,
                      forum_id,
                      case_id,
                      action,
                      client_address,
                      detail,
                      prev_hash,
                      hash};
  }
};

}  // namespace

Status SociAuditLog::RecordAudit(const AuditContext& who, Timestamp now,
                                 const std::string& forum_id, const std::string& case_id,
                                 const std::string& action, const std::string& detail) {
  return core_.Write("record audit", [&](soci::session&) -> Status {
    AppendAudit(core_, who, now, forum_id, case_id, action, detail);
    return {};
  });
}

Result<std::vector<AccessRecord>> SociAuditLog::AccessLogFor(const Subject& subject,
                                                             const AuditContext& who,
                                                             Timestamp now) {
  return core_.Write("access log", [&](soci::session& sql) -> Result<std::vector<AccessRecord>> {
    const std::string birth = FormatDate(subject.birth_date);
    std::vector<std::pair<std::string, std::string>> cases;  // (case id, forum id)
    {
      std::string id, forum;
      soci::statement st = (sql.prepare << sql::kCasesOfSubject, use(subject.name), use(birth),
                            into(id), into(forum));
      st.execute();
      while (st.fetch()) cases.emplace_back(id, forum);
    }
    std::vector<AccessRecord> out;
    for (const auto& [case_id, forum_id] : cases) {
      AccessRecord r;
      std::string at;
      soci::indicator agency_ind = soci::i_null, kind_ind = soci::i_null;
      soci::statement st =
          (sql.prepare << sql::kAccessLogOfCase, use(case_id), into(at), into(r.case_id),
           into(r.forum_name), into(r.agency_name, agency_ind), into(r.agency_kind, kind_ind),
           into(r.role), into(r.action));
      st.execute();
      while (st.fetch()) {
        r.at = ParseTimestamp(at).value_or(Timestamp{});
        if (agency_ind != soci::i_ok) r.agency_name.clear();
        if (kind_ind != soci::i_ok) r.agency_kind.clear();
        out.push_back(r);
      }
      AppendAudit(core_, who, now, forum_id, case_id, "case.export", "access-log extract");
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const AccessRecord& a, const AccessRecord& b) { return a.at < b.at; });
    return out;
  });
}

Result<std::int64_t> SociAuditLog::VerifyAuditChain() {
  return core_.Guarded("verify audit", [&]() -> Result<std::int64_t> {
    soci::session sql(core_.pool());
    AuditRow row;
    soci::statement st(sql);
    row.Bind(st);
    st.alloc();
    st.prepare(sql::kAuditChain);
    st.define_and_bind();
    st.execute(false);
    std::int64_t expected_seq = 1;
    std::string prev = kGenesisHash;
    while (st.fetch()) {
      AuditEntry e = row.ToEntry();
      const std::string where = "audit chain broken at entry " + std::to_string(e.seq) + ": ";
      if (e.seq != expected_seq) {
        return MakeError(
            ErrorCode::kInternal,
            "audit chain broken at entry " + std::to_string(expected_seq) + ": entry is missing");
      }
      if (e.prev_hash != prev) {
        return MakeError(ErrorCode::kInternal, where + "it does not link to the entry before");
      }
      if (AuditHash(e) != e.hash) {
        return MakeError(ErrorCode::kInternal, where + "its content does not match its hash");
      }
      prev = e.hash;
      ++expected_seq;
    }
    return expected_seq - 1;
  });
}

Result<std::vector<AuditEntry>> SociAuditLog::AuditEntries(std::int64_t after_seq, size_t limit) {
  return core_.Guarded("audit entries", [&]() -> Result<std::vector<AuditEntry>> {
    soci::session sql(core_.pool());
    AuditRow row;
    const long long after = after_seq;
    soci::statement st(sql);
    st.exchange(use(after));
    row.Bind(st);
    st.alloc();
    st.prepare(sql::kAuditEntriesAfter + std::to_string(std::clamp<size_t>(limit, 1, 10000)));
    st.define_and_bind();
    st.execute(false);
    std::vector<AuditEntry> out;
    while (st.fetch()) out.push_back(row.ToEntry());
    return out;
  });
}

}  // namespace samspil::store_impl
