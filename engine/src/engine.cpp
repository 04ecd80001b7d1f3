#include "samspil/engine.hpp"

#include <algorithm>

#include "samspil/calendar.hpp"
#include "samspil/guards.hpp"

namespace samspil {
namespace {

constexpr size_t kMaxStringChars = 200;
constexpr size_t kMaxTextChars = 10000;

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// Code points, not bytes: a Danish name with æøå is as long as it looks.
size_t Utf8Length(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

bool IsBlank(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
  });
}

Error Invalid(std::string message) { return MakeError(ErrorCode::kInvalidRequest, message); }

Status CheckFieldValue(const FieldSpec& f, const Value& v) {
  const std::string name = "field " + Quoted(f.name);
  auto expect = [&](const char* what) {
    return Invalid(name + ": expected " + what + ", got " + ValueKindName(v));
  };
  const std::string* s = AsString(v);
  switch (f.type) {
    case FieldType::kBoolean:
      if (!AsBool(v)) return expect("a boolean");
      return {};
    case FieldType::kString:
      if (!s) return expect("a string");
      if (s->find('\n') != std::string::npos) return Invalid(name + ": must be one line");
      if (Utf8Length(*s) > kMaxStringChars) {
        return Invalid(name + ": longer than " + std::to_string(kMaxStringChars) + " characters");
      }
      if (f.required && IsBlank(*s)) return Invalid(name + ": must not be empty");
      return {};
    case FieldType::kText:
      if (!s) return expect("a string");
      if (Utf8Length(*s) > kMaxTextChars) {
        return Invalid(name + ": longer than " + std::to_string(kMaxTextChars) + " characters");
      }
      if (f.required && IsBlank(*s)) return Invalid(name + ": must not be empty");
      return {};
    case FieldType::kDate:
      if (!s || !ParseDate(*s)) return expect("a date (YYYY-MM-DD)");
      return {};
    case FieldType::kEnum:
      if (!s) return expect("a string");
      if (std::find(f.options.begin(), f.options.end(), *s) == f.options.end()) {
        std::string options;
        for (const auto& o : f.options) options += (options.empty() ? "" : ", ") + o;
        return Invalid(name + ": " + Quoted(*s) + " is not one of " + options);
      }
      return {};
    case FieldType::kForum:
      if (!s || s->empty()) return expect("a forum id");
      return {};
  }
  return {};
}

// The input must match the declared fields exactly: no unknown keys, required ones present.
Status CheckInput(const std::vector<FieldSpec>& fields, const Data& data) {
  for (const auto& entry : data) {
    const std::string& key = entry.first;  // not a structured binding: clang 14 cannot capture one
    auto it = std::find_if(fields.begin(), fields.end(),
                           [&](const FieldSpec& f) { return f.name == key; });
    if (it == fields.end()) return Invalid("unknown field " + Quoted(key));
  }
  for (const auto& f : fields) {
    auto it = data.find(f.name);
    const bool absent = it == data.end() || std::holds_alternative<std::monostate>(it->second);
    if (absent) {
      if (f.required) return Invalid("missing required field " + Quoted(f.name));
      continue;
    }
    if (auto st = CheckFieldValue(f, it->second); !st) return st;
  }
  return {};
}

Status CheckGuards(const std::vector<GuardCall>& guards, const GuardContext& ctx) {
  for (const auto& call : guards) {
    const GuardInfo* guard = FindGuard(call.name);
    if (!guard) return MakeError(ErrorCode::kInternal, "unknown guard " + Quoted(call.name));
    if (auto refusal = guard->evaluate(call.params, ctx)) {
      return MakeError(ErrorCode::kGuardFailed, *refusal);
    }
  }
  return {};
}

// The first role of `allowed` (definition order) that the actor holds in the forum.
std::optional<std::string> ActingRole(const std::vector<std::string>& allowed,
                                      const std::set<std::string>& held) {
  for (const auto& r : allowed) {
    if (held.count(r)) return r;
  }
  return std::nullopt;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ", ") + r;
  return out;
}

Data Merge(const Data& base, const Data& input) {
  Data merged = base;
  for (const auto& [key, value] : input) {
    if (!std::holds_alternative<std::monostate>(value)) merged[key] = value;
  }
  return merged;
}

Date AddMonthsClamped(Date d, int months) {
  using namespace std::chrono;
  year_month_day ymd{d};
  year_month ym = year_month{ymd.year(), ymd.month()} + std::chrono::months{months};
  auto last = year_month_day_last{ym.year(), month_day_last{ym.month()}}.day();
  return sys_days{ym / std::min(ymd.day(), last)};
}

// The first two checks of every change: the definition the case is pinned to, and the
// version the caller last saw.
Status CheckPinnedVersion(const WorkflowDefinition& def, const Case& c, std::int64_t expected) {
  if (def.id != c.workflow_id || def.version != c.workflow_version) {
    return MakeError(ErrorCode::kInternal, "definition does not match the case's pinned workflow");
  }
  if (expected != c.version) {
    return MakeError(ErrorCode::kVersionConflict,
                     "expected_version " + std::to_string(expected) +
                         " is stale: the case is at version " + std::to_string(c.version));
  }
  return {};
}

bool MayReadConfidential(const WorkflowDefinition& def, const Case& c, const Actor& actor) {
  return ActingRole(def.confidential_roles, actor.RolesIn(c.forum_id)).has_value();
}

}  // namespace

std::vector<const TransitionDef*> AvailableActions(const WorkflowDefinition& def, const Case& c,
                                                   const Actor& actor) {
  std::vector<const TransitionDef*> out;
  const auto& held = actor.RolesIn(c.forum_id);
  if (held.empty()) return out;
  for (const auto& t : def.transitions) {
    if (std::find(t.from.begin(), t.from.end(), c.state) == t.from.end()) continue;
    if (ActingRole(t.roles, held)) out.push_back(&t);
  }
  return out;
}

HistoryEntry AsReadBy(const WorkflowDefinition& def, const Case& c, HistoryEntry entry,
                      const Actor& actor) {
  const TransitionDef* step = def.FindTransition(entry.from, entry.action);
  entry.confidential = step && step->confidential;
  entry.withheld = entry.confidential && !MayReadConfidential(def, c, actor);
  if (entry.withheld) {
    entry.comment.clear();
    entry.data.clear();
  }
  return entry;
}

void WithholdConfidential(const WorkflowDefinition& def, Case& c, const Actor& actor) {
  if (def.confidential_roles.empty() || MayReadConfidential(def, c, actor)) return;
  for (const auto& t : def.transitions) {
    if (!t.confidential) continue;
    for (const auto& f : t.fields) c.data.erase(f.name);
  }
}

Result<std::optional<Timestamp>> ComputeDueAt(const StateDef& state, Timestamp entered_at,
                                              const Data& data) {
  using namespace std::chrono;
  if (state.terminal || !state.deadline) return std::optional<Timestamp>{};
  const DeadlineSpec& d = *state.deadline;
  switch (d.kind) {
    case DeadlineSpec::Kind::kHours:
      return std::optional<Timestamp>{entered_at + hours{d.amount}};
    case DeadlineSpec::Kind::kDays:
      return std::optional<Timestamp>{entered_at + days{d.amount}};
    case DeadlineSpec::Kind::kWorkingDays: {
      const Date day = DateOf(entered_at);
      return std::optional<Timestamp>{AddWorkingDays(day, d.amount) + (entered_at - day)};
    }
    case DeadlineSpec::Kind::kFromField: {
      auto it = data.find(d.field);
      const std::string* text = it == data.end() ? nullptr : AsString(it->second);
      auto date = text ? ParseDate(*text) : std::nullopt;
      if (!date) {
        return Invalid("deadline of state " + Quoted(state.id) + " needs date field " +
                       Quoted(d.field));
      }
      const Date due_day = AddMonthsClamped(*date, d.offset_months) + days{d.offset_days};
      return std::optional<Timestamp>{due_day + days{1} - seconds{1}};
    }
  }
  return std::optional<Timestamp>{};
}

Result<Opening> Open(const WorkflowDefinition& def, const std::string& forum_id,
                     const std::string& case_id, const Actor& actor, const OpenCommand& command,
                     Timestamp now) {
  const auto& held = actor.RolesIn(forum_id);
  if (held.empty())
    return MakeError(ErrorCode::kNotFound, "forum " + Quoted(forum_id) + " not found");
  auto role = ActingRole(def.open.roles, held);
  if (!role) {
    return MakeError(
        ErrorCode::kForbidden,
        "your role in this forum may not open a case (allowed: " + JoinRoles(def.open.roles) + ")");
  }
  const std::string& name = command.subject.name;
  if (IsBlank(name)) return Invalid("subject.name must not be empty");
  if (Utf8Length(name) > kMaxStringChars || name.find('\n') != std::string::npos) {
    return Invalid("subject.name must be one line of at most 200 characters");
  }
  if (command.subject.birth_date > DateOf(now))
    return Invalid("subject.birth_date is in the future");
  if (IsBlank(command.summary)) return Invalid("summary must not be empty");
  if (Utf8Length(command.summary) > kMaxTextChars) {
    return Invalid("summary is longer than 10000 characters");
  }
  if (auto st = CheckInput(def.open.fields, command.data); !st) return st.error();
  if (auto st = CheckGuards(def.open.guards, {command.subject, command.data, now, *role}); !st) {
    return st.error();
  }

  Case c;
  c.id = case_id;
  c.forum_id = forum_id;
  c.workflow_id = def.id;
  c.workflow_version = def.version;
  c.state = def.InitialState().id;
  c.version = 1;
  c.subject = command.subject;
  c.summary = command.summary;
  c.data = Merge({}, command.data);
  c.opened_by = actor.id;
  c.opened_at = c.updated_at = c.state_entered_at = now;
  auto due = ComputeDueAt(def.InitialState(), now, c.data);
  if (!due) return due.error();
  c.due_at = *due;

  HistoryEntry entry{1, kOpenAction, "", c.state, actor.id, *role, now, "", c.data};
  return Opening{std::move(c), std::move(entry)};
}

Result<Decision> Decide(const WorkflowDefinition& def, const Case& c, const Actor& actor,
                        const TransitionCommand& command, Timestamp now) {
  if (auto st = CheckPinnedVersion(def, c, command.expected_version); !st) return st.error();
  if (!def.HasAction(command.action)) {
    return Invalid("unknown action " + Quoted(command.action) + " in workflow " + Quoted(def.id));
  }
  const TransitionDef* t = def.FindTransition(c.state, command.action);
  if (!t) {
    return Invalid("action " + Quoted(command.action) + " is not possible in state " +
                   Quoted(c.state));
  }
  const auto& held = actor.RolesIn(c.forum_id);
  if (held.empty()) return MakeError(ErrorCode::kNotFound, "case not found");
  auto role = ActingRole(t->roles, held);
  if (!role) {
    return MakeError(ErrorCode::kForbidden, "your role may not take action " +
                                                Quoted(command.action) +
                                                " (allowed: " + JoinRoles(t->roles) + ")");
  }
  if (Utf8Length(command.comment) > kMaxTextChars) {
    return Invalid("comment is longer than 10000 characters");
  }
  if (auto st = CheckInput(t->fields, command.data); !st) return st.error();
  const Data merged = Merge(c.data, command.data);
  if (auto st = CheckGuards(t->guards, {c.subject, merged, now, *role}); !st) return st.error();

  Decision d;
  Case& u = d.updated;
  u = c;
  u.state = t->TargetFrom(c.state);
  u.version = c.version + 1;
  u.data = merged;
  u.updated_at = now;
  const bool moved = u.state != c.state;
  if (moved) u.state_entered_at = now;
  const StateDef* target = def.FindState(u.state);
  if (!target) return MakeError(ErrorCode::kInternal, "unknown target state " + Quoted(u.state));
  auto due = ComputeDueAt(*target, u.state_entered_at, merged);
  if (!due) return due.error();
  u.due_at = *due;
  // A new deadline opens a new window: the escalation of the old one no longer applies.
  u.escalated = !moved && c.escalated && u.due_at == c.due_at;

  d.entry = HistoryEntry{0,       command.action,  c.state,
                         u.state, actor.id,        *role,
                         now,     command.comment, Merge({}, command.data)};
  if (t->referral) {
    const ReferralSpec& r = *t->referral;
    auto text = [&](const std::string& field) {
      auto it = command.data.find(field);
      const std::string* s = it == command.data.end() ? nullptr : AsString(it->second);
      return s ? *s : std::string();
    };
    const std::string target_forum = text(r.forum_field);
    if (target_forum.empty()) return Invalid("missing required field " + Quoted(r.forum_field));
    std::string target_workflow;
    for (const auto& f : t->fields) {
      if (f.name == r.forum_field) target_workflow = f.workflow;
    }
    d.referral = Referral{target_forum, target_workflow, r.legal_basis, text(r.summary_field)};
  }
  return d;
}

bool MayReopen(const WorkflowDefinition& def, const Case& c, const Actor& actor) {
  const StateDef* state = def.FindState(c.state);
  return def.reopen && state && state->terminal &&
         ActingRole(def.reopen->roles, actor.RolesIn(c.forum_id)).has_value();
}

Result<Decision> Reopen(const WorkflowDefinition& def, const Case& c, const Actor& actor,
                        const ReopenCommand& command, Timestamp now) {
  if (auto st = CheckPinnedVersion(def, c, command.expected_version); !st) return st.error();
  const auto& held = actor.RolesIn(c.forum_id);
  if (held.empty()) return MakeError(ErrorCode::kNotFound, "case not found");
  if (!def.reopen) return Invalid("workflow " + Quoted(def.id) + " does not reopen closed cases");
  const StateDef* current = def.FindState(c.state);
  if (!current || !current->terminal) {
    return Invalid("only a closed case can be reopened; the case is in state " + Quoted(c.state));
  }
  auto role = ActingRole(def.reopen->roles, held);
  if (!role) {
    return MakeError(ErrorCode::kForbidden,
                     "your role may not reopen a case (allowed: " + JoinRoles(def.reopen->roles) + ")");
  }
  if (IsBlank(command.reason)) return Invalid("reopening needs a reason");
  if (Utf8Length(command.reason) > kMaxTextChars) {
    return Invalid("reason is longer than 10000 characters");
  }
  const StateDef* target = def.FindState(def.reopen->to);
  if (!target) return MakeError(ErrorCode::kInternal, "unknown reopen state " + Quoted(def.reopen->to));

  Decision d;
  Case& u = d.updated;
  u = c;
  u.state = target->id;
  u.version = c.version + 1;
  u.updated_at = u.state_entered_at = now;
  auto due = ComputeDueAt(*target, now, c.data);
  if (!due) return due.error();
  u.due_at = *due;
  u.escalated = false;
  d.entry = HistoryEntry{0, kReopenAction, c.state, u.state, actor.id, *role, now, command.reason, {}};
  return d;
}

Result<Opening> OpenReferral(const WorkflowDefinition& target, const Referral& referral,
                             const Case& source, const std::string& case_id, const Actor& actor,
                             const std::string& role, Timestamp now) {
  for (const auto& f : target.open.fields) {
    if (f.required) {
      return Invalid("workflow " + Quoted(target.id) + " needs opening field " + Quoted(f.name) +
                     ", which a referral cannot give");
    }
  }
  if (IsBlank(referral.summary)) return Invalid("the referral summary must not be empty");
  const Data none;
  if (auto st = CheckGuards(target.open.guards, {source.subject, none, now, role}); !st) {
    return st.error();
  }
  Case c;
  c.id = case_id;
  c.forum_id = referral.target_forum_id;
  c.workflow_id = target.id;
  c.workflow_version = target.version;
  c.state = target.InitialState().id;
  c.subject = source.subject;
  c.summary = referral.summary;
  c.opened_by = actor.id;
  c.opened_at = c.updated_at = c.state_entered_at = now;
  auto due = ComputeDueAt(target.InitialState(), now, c.data);
  if (!due) return due.error();
  c.due_at = *due;
  HistoryEntry entry{
      1,        kOpenAction,
      "",       c.state,
      actor.id, role,
      now,      "referral from case " + source.id + " (" + referral.legal_basis + ")",
      {}};
  return Opening{std::move(c), std::move(entry)};
}

std::optional<HistoryEntry> EscalationFor(const Case& c, Timestamp now) {
  if (c.escalated || !c.Overdue(now)) return std::nullopt;
  return HistoryEntry{0,       kEscalateAction,
                      c.state, c.state,
                      "",      "",
                      now,     "deadline " + FormatTimestamp(*c.due_at) + " passed",
                      {}};
}

}  // namespace samspil
