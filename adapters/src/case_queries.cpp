// The CaseStore's reads: every one scoped by the actor, and recorded in the audit log
// before its data goes out.
#include <soci/soci.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <tuple>

#include "audit_chain.hpp"
#include "samspil/adapters/json_data.hpp"
#include "soci_ports.hpp"
#include "sql/statements.hpp"
#include "sql/store_core.hpp"

namespace samspil::store_impl {

using soci::into;
using soci::use;

namespace {

// The fora the user is a member of (with `role` only, unless empty), ordered by id.
std::vector<std::string> MemberFora(soci::session& sql, const std::string& user_id,
                                    const std::string& role) {
  std::vector<std::string> out;
  std::string forum;
  soci::statement st =
      role.empty()
          ? (sql.prepare << sql::kMemberFora, use(user_id), into(forum))
          : (sql.prepare << sql::kMemberForaAs, use(user_id), use(role), into(forum));
  st.execute();
  while (st.fetch()) out.push_back(forum);
  std::sort(out.begin(), out.end());  // byte order, whatever the collation
  return out;
}

// The first `limit` cases, ordered by `order` (columns of `cases`), of those in `fora`
// that meet `conditions` (SQL on alias c; `bind` binds one forum's id, then the values of
// its placeholders). Each forum is its own subquery with its own ORDER BY and LIMIT, so
// each is one index range scan (cases_forum_id, cases_forum_state, cases_forum_due)
// that stops after `limit` rows, however many cases the other fora hold; the outer ORDER
// BY merges them. A membership test per row, as an EXISTS over all cases would be, walks
// every case in id order until enough visible ones turn up.
std::vector<Case> PerForumPage(
    soci::session& sql, const std::vector<std::string>& fora, const std::string& conditions,
    const std::string& order, size_t limit,
    const std::function<void(soci::statement&, const std::string&)>& bind) {
  // SQLite allows 500 terms in a compound SELECT; a user in more fora gets several
  // queries, merged here.
  constexpr size_t kForaPerQuery = 100;
  std::string inner_order;
  for (size_t start = 0; start < order.size();) {
    size_t comma = order.find(',', start);
    std::string column = order.substr(start, comma == std::string::npos ? comma : comma - start);
    column.erase(0, column.find_first_not_of(' '));
    inner_order += (inner_order.empty() ? "c." : ", c.") + column;
    start = comma == std::string::npos ? order.size() : comma + 1;
  }
  std::vector<Case> out;
  for (size_t first = 0; first < fora.size(); first += kForaPerQuery) {
    const size_t last = std::min(fora.size(), first + kForaPerQuery);
    std::string query;
    for (size_t i = first; i < last; ++i) {
      query += (i == first ? "" : sql::kUnionAll);
      // Placeholders are positional, but SQLite binds a repeated name once: each
      // subquery gets names of its own.
      query += sql::ForumPageSubquery(conditions, inner_order, limit, i - first);
    }
    query += sql::OrderAndLimit(order, limit);
    CaseRow row;
    soci::statement st(sql);
    for (size_t i = first; i < last; ++i) bind(st, fora[i]);
    row.Bind(st);
    st.alloc();
    st.prepare(query);
    st.define_and_bind();
    st.execute(false);
    while (st.fetch()) out.push_back(row.ToCase());
  }
  if (fora.size() > kForaPerQuery) {
    // Only for users in very many fora: merge the queries' pages.
    std::sort(out.begin(), out.end(), [&](const Case& a, const Case& b) {
      if (order == "id") return a.id < b.id;
      return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
    });
    if (out.size() > limit) out.resize(limit);
  }
  return out;
}

// One page of the cases `actor` may see that meet `filter`, ordered by id.
CasePage PageOf(soci::session& sql, const Actor& actor, const CaseFilter& filter) {
  std::vector<std::string> fora = MemberFora(sql, actor.id, "");
  if (filter.forum_id) {
    const bool member = std::find(fora.begin(), fora.end(), *filter.forum_id) != fora.end();
    fora.assign(member ? 1 : 0, *filter.forum_id);
  }
  std::string conditions = sql::kAfterCursor;
  if (filter.state) conditions += sql::kAndInState;
  if (filter.only_escalated) conditions += sql::kAndEscalated;
  if (filter.only_overdue) conditions += sql::kAndOverdue;
  const std::string now_text = FormatTimestamp(filter.now.value_or(Timestamp{}));
  // One more than asked for tells whether there is a next page.
  const size_t limit = std::clamp<size_t>(filter.limit, 1, 500);
  auto bind = [&](soci::statement& st, const std::string& forum) {
    st.exchange(use(forum));
    st.exchange(use(filter.after_id));
    if (filter.state) st.exchange(use(*filter.state));
    if (filter.only_overdue) st.exchange(use(now_text));
  };
  CasePage page;
  page.items = PerForumPage(sql, fora, conditions, "id", limit + 1, bind);
  if (page.items.size() > limit) {
    page.items.pop_back();
    page.next_cursor = page.items.back().id;
  }
  return page;
}

// Each case's links (as Links gives them), every case of `cases` with an entry: one
// statement for the whole page.
std::map<std::string, std::vector<CaseLink>> LinksOf(soci::session& sql,
                                                     const std::vector<Case>& cases) {
  std::map<std::string, std::vector<CaseLink>> out;
  for (const auto& c : cases) out[c.id];
  if (cases.empty()) return out;
  std::string of_case;
  CaseLink link;
  soci::statement st(sql);
  for (int half = 0; half < 2; ++half) {
    for (const auto& c : cases) st.exchange(use(c.id));
  }
  st.exchange(into(of_case));
  st.exchange(into(link.case_id));
  st.exchange(into(link.forum_id));
  st.exchange(into(link.relation));
  st.exchange(into(link.legal_basis));
  st.alloc();
  st.prepare(sql::LinksOfCases(cases.size()));
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) out[of_case].push_back(link);
  return out;
}

// The display names of the users who opened `cases` (as DisplayNames gives them): one
// statement for the whole page.
std::map<std::string, std::string> OpenersOf(soci::session& sql, const std::vector<Case>& cases) {
  std::map<std::string, std::string> out;
  std::vector<std::string> ids;
  for (const auto& c : cases) {
    if (!c.opened_by.empty()) ids.push_back(c.opened_by);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  if (ids.empty()) return out;
  std::string id, name;
  soci::statement st(sql);
  for (const auto& user : ids) st.exchange(use(user));
  st.exchange(into(id));
  st.exchange(into(name));
  st.alloc();
  st.prepare(sql::DisplayNamesOf(ids.size()));
  st.define_and_bind();
  st.execute(false);
  while (st.fetch()) out[id] = name;
  return out;
}

}  // namespace

Result<Case> SociCaseStore::FetchVisibleCase(SessionStatements& statements, const Actor& actor,
                                             const std::string& case_id) {
  auto& q = statements.Get(statements.visible_case);
  q.case_id = case_id;
  q.user_id = actor.id;
  if (!q.st.execute(true)) return MakeError(ErrorCode::kNotFound, "case not found");
  Case c = q.row.ToCase();
  Drain(q.st);
  return c;
}

Status SociCaseStore::RecordReads(const Actor& actor, const AuditContext& who, Timestamp now,
                                  const std::string& action, const std::vector<Case>& cases) {
  if (cases.empty()) return {};
  return core_.Write("record reads", [&](soci::session&) -> Status {
    for (const auto& c : cases) {
      AppendAudit(core_, Reader(actor, who, c.forum_id), now, c.forum_id, c.id, action, "");
    }
    return {};
  });
}

Status SociCaseStore::WithholdFrom(const Actor& actor, Case& c) {
  auto def = registry_.PinnedWorkflow(c.workflow_id, c.workflow_version);
  if (!def) return def.error();
  WithholdConfidential(**def, c, actor);
  return {};
}

Result<Case> SociCaseStore::GetCase(const Actor& actor, const std::string& case_id,
                                    const AuditContext& who, Timestamp now) {
  auto read = core_.Guarded("get case", [&]() -> Result<Case> {
    StoreCore::Lease lease(core_);
    auto c = FetchVisibleCase(lease.statements, actor, case_id);
    if (!c) return c.error();
    if (auto st = RecordReads(actor, who, now, "case.read", {*c}); !st) return st.error();
    return c;
  });
  if (!read) return read;
  if (auto st = WithholdFrom(actor, *read); !st) return st.error();
  return read;
}

Result<Case> SociCaseStore::LoadForDecision(const Actor& actor, const std::string& case_id) {
  return core_.Guarded("load case", [&]() -> Result<Case> {
    StoreCore::Lease lease(core_);
    return FetchVisibleCase(lease.statements, actor, case_id);
  });
}

Result<CasePage> SociCaseStore::ListCases(const Actor& actor, const CaseFilter& filter,
                                          const AuditContext& who, Timestamp now) {
  auto read = core_.Guarded("list cases", [&]() -> Result<CasePage> {
    soci::session sql(core_.pool());
    CasePage page = PageOf(sql, actor, filter);
    if (auto st = RecordReads(actor, who, now, "case.list", page.items); !st) return st.error();
    return page;
  });
  if (!read) return read;
  for (auto& c : read->items) {
    if (auto st = WithholdFrom(actor, c); !st) return st.error();
  }
  return read;
}

Result<CaseViewPage> SociCaseStore::ListCaseViews(const Actor& actor, const CaseFilter& filter,
                                                  const AuditContext& who, Timestamp now) {
  auto read = core_.Guarded("list case views", [&]() -> Result<CaseViewPage> {
    soci::session sql(core_.pool());
    CasePage page = PageOf(sql, actor, filter);
    CaseViewPage out;
    // Of the visible cases just read: the links of a case the actor may see, like Links.
    out.links = LinksOf(sql, page.items);
    out.display_names = OpenersOf(sql, page.items);
    out.items = std::move(page.items);
    out.next_cursor = std::move(page.next_cursor);
    if (auto st = RecordReads(actor, who, now, "case.list", out.items); !st) return st.error();
    return out;
  });
  if (!read) return read;
  for (auto& c : read->items) {
    if (auto st = WithholdFrom(actor, c); !st) return st.error();
  }
  return read;
}

Result<std::vector<Case>> SociCaseStore::ListEscalations(const Actor& actor, size_t limit,
                                                         const AuditContext& who,
                                                         Timestamp now) {
  auto read = core_.Guarded("list escalations", [&]() -> Result<std::vector<Case>> {
    soci::session sql(core_.pool());
    const std::string now_text = FormatTimestamp(now);
    // Overdue or escalated, as two index ranges per forum: the overdue ones in
    // cases_forum_due, then the escalated ones not yet overdue at this clock (a scan run
    // ahead of it, `escalate --at`) in the partial cases_forum_escalated. The two are
    // disjoint and the second's deadlines all come after the first's, so appending keeps
    // the order. An OR would make each forum one scan of all its cases.
    const size_t page_size = std::clamp<size_t>(limit, 1, 1000);
    const auto fora = MemberFora(sql, actor.id, "koordinator");
    auto bind = [&](soci::statement& st, const std::string& forum) {
      st.exchange(use(forum));
      st.exchange(use(now_text));
    };
    std::vector<Case> out = PerForumPage(sql, fora, sql::kOverdue, "due_at, id", page_size, bind);
    if (out.size() < page_size) {
      for (auto& c : PerForumPage(sql, fora, sql::kEscalatedNotYetOverdue, "due_at, id",
                                  page_size - out.size(), bind)) {
        out.push_back(std::move(c));
      }
    }
    if (auto st = RecordReads(actor, who, now, "case.list", out); !st) return st.error();
    return out;
  });
  if (!read) return read;
  for (auto& c : *read) {
    if (auto st = WithholdFrom(actor, c); !st) return st.error();
  }
  return read;
}

Result<ForumStatistics> SociCaseStore::ForumStats(const AuditContext& who, const Actor& actor,
                                                  const std::string& forum_id, Timestamp now) {
  return core_.Guarded("forum stats", [&]() -> Result<ForumStatistics> {
    soci::session sql(core_.pool());
    long long member = 0;
    sql << sql::kIsMemberOfForum, use(actor.id), use(forum_id), into(member);
    if (member == 0) return MakeError(ErrorCode::kNotFound, "forum not found");

    ForumStatistics out;
    out.forum_id = forum_id;
    const std::string now_text = FormatTimestamp(now);
    const double now_seconds = static_cast<double>(
        std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    constexpr double kSecondsPerDay = 86400.0;
    {
      std::string state, oldest_entry;
      long long cases = 0, overdue = 0, escalated = 0;
      double entered_sum = 0;
      soci::statement st =
          (sql.prepare << sql::kForumStateStatistics, use(now_text), use(forum_id), into(state),
           into(cases), into(overdue), into(escalated), into(entered_sum), into(oldest_entry));
      st.execute();
      while (st.fetch()) {
        StateStatistics s;
        s.state = state;
        s.cases = cases;
        s.overdue = overdue;
        s.escalated = escalated;
        s.mean_days_in_state =
            (now_seconds - entered_sum / static_cast<double>(cases)) / kSecondsPerDay;
        const Timestamp oldest = ParseTimestamp(oldest_entry).value_or(now);
        s.max_days_in_state = std::chrono::duration<double>(now - oldest).count() / kSecondsPerDay;
        out.total_cases += cases;
        out.states.push_back(std::move(s));
      }
    }
    // Byte order, whatever the database's collation.
    std::sort(out.states.begin(), out.states.end(),
              [](const StateStatistics& a, const StateStatistics& b) { return a.state < b.state; });
    {
      long long met = 0, missed = 0, escalations = 0;
      const std::string escalate = kEscalateAction;
      soci::indicator met_ind = soci::i_null, missed_ind = soci::i_null,
                      escalations_ind = soci::i_null;
      sql << sql::kForumHistoryStatistics, use(escalate), use(forum_id), into(met, met_ind),
          into(missed, missed_ind), into(escalations, escalations_ind);
      out.deadlines_met = met_ind == soci::i_ok ? met : 0;
      out.deadlines_missed = missed_ind == soci::i_ok ? missed : 0;
      out.escalations = escalations_ind == soci::i_ok ? escalations : 0;
    }

    if (auto st = core_.Write("record stats read", [&](soci::session&) -> Status {
          AppendAudit(core_, Reader(actor, who, forum_id), now, forum_id, "", "forum.stats", "");
          return {};
        });
        !st) {
      return st.error();
    }
    return out;
  });
}

Result<std::vector<HistoryEntry>> SociCaseStore::History(const Actor& actor,
                                                         const std::string& case_id,
                                                         const AuditContext& who, Timestamp now) {
  Case visible_case;
  auto read = core_.Guarded("history", [&]() -> Result<std::vector<HistoryEntry>> {
    StoreCore::Lease lease(core_);
    soci::session& sql = lease.sql;
    auto visible = FetchVisibleCase(lease.statements, actor, case_id);
    if (!visible) return visible.error();
    visible_case = *visible;
    if (auto st = RecordReads(actor, who, now, "case.history", {*visible}); !st) {
      return st.error();
    }
    std::vector<HistoryEntry> out;
    long long seq = 0;
    std::string action, from, to, actor_id, role, at, comment, data;
    soci::indicator actor_ind = soci::i_null;
    soci::statement st =
        (sql.prepare << sql::kHistoryOfCase, use(case_id), into(seq), into(action), into(from),
         into(to), into(actor_id, actor_ind), into(role), into(at), into(comment), into(data));
    st.execute();
    while (st.fetch()) {
      HistoryEntry e;
      e.seq = seq;
      e.action = action;
      e.from = from;
      e.to = to;
      e.actor_id = actor_ind == soci::i_ok ? actor_id : "";
      e.role = role;
      e.at = ParseTimestamp(at).value_or(Timestamp{});
      e.comment = comment;
      auto parsed = DataFromJsonText(data);
      if (!parsed) {
        throw CorruptData("case " + case_id + ": stored data of history entry " +
                          std::to_string(seq) + " does not parse");
      }
      e.data = std::move(*parsed);
      out.push_back(std::move(e));
    }
    return out;
  });
  if (!read) return read;
  auto def = registry_.PinnedWorkflow(visible_case.workflow_id, visible_case.workflow_version);
  if (!def) return def.error();
  for (auto& e : *read) e = AsReadBy(**def, visible_case, std::move(e), actor);
  return read;
}

Result<std::vector<CaseLink>> SociCaseStore::Links(const Actor& actor,
                                                   const std::string& case_id) {
  return core_.Guarded("links", [&]() -> Result<std::vector<CaseLink>> {
    StoreCore::Lease lease(core_);
    auto& visible = lease.statements.Get(lease.statements.case_visible);
    visible.case_id = case_id;
    visible.user_id = actor.id;
    if (!visible.st.execute(true)) return MakeError(ErrorCode::kNotFound, "case not found");
    Drain(visible.st);
    auto& q = lease.statements.Get(lease.statements.links);
    q.case_id = case_id;
    q.case_id2 = case_id;
    std::vector<CaseLink> out;
    q.st.execute();
    while (q.st.fetch()) out.push_back(q.link);
    return out;
  });
}

Result<std::map<std::pair<std::string, std::string>, std::int64_t>>
SociCaseStore::CountOpenCases() {
  using Counts = std::map<std::pair<std::string, std::string>, std::int64_t>;
  return core_.Guarded("count open cases", [&]() -> Result<Counts> {
    soci::session sql(core_.pool());
    Counts out;
    std::string forum, state;
    long long n = 0;
    soci::statement st = (sql.prepare << sql::kCountOpenCases, into(forum), into(state), into(n));
    st.execute();
    while (st.fetch()) out[{forum, state}] = n;
    return out;
  });
}

Result<std::int64_t> SociCaseStore::CountCases() {
  return core_.Guarded("count cases", [&]() -> Result<std::int64_t> {
    soci::session sql(core_.pool());
    long long n = 0;
    sql << sql::kCountCases, into(n);
    return static_cast<std::int64_t>(n);
  });
}

}  // namespace samspil::store_impl
