// Walking the shipped workflows (workflows/*.json) through the pure engine: a fixed clock,
// fictional subjects, a Walk that fires one step after another and checks what every step
// must leave behind, and the table check that puts a case in every state and fires every
// row for every role ("start anywhere, fire one").
//
// The table's expectations are read from the JSON files themselves with Poco::JSON, not
// from the loader's WorkflowDefinition, so a row the loader drops or misreads shows up as a
// difference between what the file says and what the engine offers.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "samspil/adapters/workflow_loader.hpp"
#include "samspil/case.hpp"
#include "samspil/engine.hpp"
#include "samspil/time.hpp"
#include "samspil/workflow.hpp"
#include "support/builders.hpp"

namespace samspil::test::walk {

using namespace std::chrono_literals;

// ---- time and subjects -------------------------------------------------------------------

// Every walk starts here: Monday 23 November 2026. Ages are computed from this day.
inline Timestamp Now() { return At("2026-11-23T10:00:00Z"); }
inline Date Today() { return DateOf(Now()); }

inline Timestamp DaysAfterNow(int n) { return Now() + std::chrono::days{n}; }
inline std::string DateText(Date d) { return FormatDate(d); }
inline std::string TodayText() { return FormatDate(Today()); }
inline std::string InDays(int n) { return FormatDate(Today() + std::chrono::days{n}); }

// The day someone turned (or turns) `years` old on `on`: born exactly `years` years before.
inline Date BirthdayYearsBefore(int years, Date on = Today()) {
  std::chrono::year_month_day ymd{on};
  std::chrono::year_month_day birth = ymd - std::chrono::years{years};
  REQUIRE(birth.ok());
  return std::chrono::sys_days{birth};
}

// Someone who is exactly `years` old today and had the birthday `days_since_birthday` ago.
inline Subject AgedToday(int years, int days_since_birthday = 100,
                         const std::string& name = "Testbarn Fiktivsen") {
  return Subject{name, BirthdayYearsBefore(years) - std::chrono::days{days_since_birthday}};
}

inline Actor As(const std::string& forum, const std::string& role) {
  return ActorIn(forum, {role}, "usr_" + role);
}

// The roles of docs/domain.md, written out here rather than taken from the engine.
inline const std::vector<std::string>& DomainRoles() {
  static const std::vector<std::string> kRoles = {
      "forebyggelsesbetjent", "socialraadgiver", "skole",   "psykiatri",
      "kriminalforsorg",      "koordinator",     "maegler", "naevn"};
  return kRoles;
}

inline bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// ---- the shipped definitions ---------------------------------------------------------------

inline const LoadedWorkflows& Shipped() {
  static const LoadedWorkflows loaded = LoadWorkflowDir(SAMSPIL_WORKFLOWS_DIR);
  return loaded;
}

// The loaded definition of a shipped workflow; fails the test when any file has a problem.
inline const WorkflowDefinition& Def(const std::string& id) {
  const LoadedWorkflows& loaded = Shipped();
  for (const auto& p : loaded.problems) FAIL(p.ToString());
  auto it = loaded.by_id.find(id);
  REQUIRE(it != loaded.by_id.end());
  return it->second;
}

// ---- the JSON rows, read independently of the loader ---------------------------------------

struct RawField {
  std::string name;
  std::string type;
  bool required = false;
  std::vector<std::string> options;
  std::string workflow;
};

struct RawGuard {
  std::string name;
  std::string field;                // date guards
  std::vector<std::string> fields;  // all_true
};

struct RawRow {
  std::string action;
  std::vector<std::string> from;
  std::optional<std::string> to;  // nullopt: "stay": true
  std::vector<std::string> roles;
  std::vector<RawField> fields;
  std::vector<RawGuard> guards;
  bool referral = false;
  std::string referral_forum_field;
  std::string referral_summary_field;
  std::string legal_basis;

  const RawField* FindField(const std::string& name) const {
    for (const auto& f : fields) {
      if (f.name == name) return &f;
    }
    return nullptr;
  }
};

struct RawState {
  std::string id;
  bool initial = false;
  bool terminal = false;
  std::string deadline_kind;  // "hours", "days", "workdays", "from_field" or empty
  int amount = 0;
  std::string field;
  int offset_months = 0;
  int offset_days = 0;
};

struct RawWorkflow {
  std::string id;
  std::vector<std::string> open_roles;
  std::vector<RawField> open_fields;
  std::vector<RawGuard> open_guards;
  std::vector<RawState> states;
  std::vector<RawRow> rows;

  const RawState& State(const std::string& id) const {
    for (const auto& s : states) {
      if (s.id == id) return s;
    }
    FAIL("no state " << id << " in " << this->id << ".json");
    return states.front();
  }
};

namespace detail {

using Poco::JSON::Array;
using Poco::JSON::Object;

inline std::vector<std::string> Strings(const Array::Ptr& a) {
  std::vector<std::string> out;
  if (!a) return out;
  for (unsigned i = 0; i < a->size(); ++i) out.push_back(a->getElement<std::string>(i));
  return out;
}

inline std::vector<RawField> Fields(const Object::Ptr& o) {
  std::vector<RawField> out;
  if (!o->has("fields")) return out;
  Array::Ptr a = o->getArray("fields");
  for (unsigned i = 0; i < a->size(); ++i) {
    Object::Ptr f = a->getObject(i);
    RawField field;
    field.name = f->getValue<std::string>("name");
    field.type = f->getValue<std::string>("type");
    field.required = f->has("required") && f->getValue<bool>("required");
    if (f->has("options")) field.options = Strings(f->getArray("options"));
    if (f->has("workflow")) field.workflow = f->getValue<std::string>("workflow");
    out.push_back(field);
  }
  return out;
}

inline std::vector<RawGuard> Guards(const Object::Ptr& o) {
  std::vector<RawGuard> out;
  if (!o->has("guards")) return out;
  Array::Ptr a = o->getArray("guards");
  for (unsigned i = 0; i < a->size(); ++i) {
    Object::Ptr g = a->getObject(i);
    RawGuard guard;
    guard.name = g->getValue<std::string>("name");
    if (g->has("params")) {
      Object::Ptr p = g->getObject("params");
      if (p->has("field")) guard.field = p->getValue<std::string>("field");
      if (p->has("fields")) guard.fields = Strings(p->getArray("fields"));
    }
    out.push_back(guard);
  }
  return out;
}

}  // namespace detail

// workflows/<id>.json as its author wrote it.
inline RawWorkflow ReadRaw(const std::string& id) {
  using detail::Array;
  using detail::Object;
  std::ifstream in(std::string(SAMSPIL_WORKFLOWS_DIR) + "/" + id + ".json");
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  Poco::JSON::Parser parser;
  Object::Ptr root = parser.parse(text.str()).extract<Object::Ptr>();

  RawWorkflow raw;
  raw.id = root->getValue<std::string>("id");
  Object::Ptr open = root->getObject("open");
  raw.open_roles = detail::Strings(open->getArray("roles"));
  raw.open_fields = detail::Fields(open);
  raw.open_guards = detail::Guards(open);

  Array::Ptr states = root->getArray("states");
  for (unsigned i = 0; i < states->size(); ++i) {
    Object::Ptr s = states->getObject(i);
    RawState state;
    state.id = s->getValue<std::string>("id");
    state.initial = s->has("initial") && s->getValue<bool>("initial");
    state.terminal = s->has("terminal") && s->getValue<bool>("terminal");
    if (s->has("deadline")) {
      Object::Ptr d = s->getObject("deadline");
      for (const char* kind : {"hours", "days", "workdays"}) {
        if (d->has(kind)) {
          state.deadline_kind = kind;
          state.amount = d->getValue<int>(kind);
        }
      }
      if (d->has("from_field")) {
        state.deadline_kind = "from_field";
        state.field = d->getValue<std::string>("from_field");
        if (d->has("offset_months")) state.offset_months = d->getValue<int>("offset_months");
        if (d->has("offset_days")) state.offset_days = d->getValue<int>("offset_days");
      }
    }
    raw.states.push_back(state);
  }

  Array::Ptr rows = root->getArray("transitions");
  for (unsigned i = 0; i < rows->size(); ++i) {
    Object::Ptr t = rows->getObject(i);
    RawRow row;
    row.action = t->getValue<std::string>("action");
    if (t->isArray("from")) {
      row.from = detail::Strings(t->getArray("from"));
    } else {
      row.from = {t->getValue<std::string>("from")};
    }
    if (t->has("to")) row.to = t->getValue<std::string>("to");
    row.roles = detail::Strings(t->getArray("roles"));
    row.fields = detail::Fields(t);
    row.guards = detail::Guards(t);
    if (t->has("referral")) {
      Object::Ptr r = t->getObject("referral");
      row.referral = true;
      row.referral_forum_field = r->getValue<std::string>("forum_field");
      row.referral_summary_field = r->getValue<std::string>("summary_field");
      row.legal_basis = r->getValue<std::string>("legal_basis");
    }
    raw.rows.push_back(row);
  }
  return raw;
}

// ---- commands and cases -------------------------------------------------------------------

inline TransitionCommand Cmd(const std::string& action, std::int64_t version, Data data = {},
                             const std::string& comment = "") {
  TransitionCommand c;
  c.action = action;
  c.expected_version = version;
  c.comment = comment;
  c.data = std::move(data);
  return c;
}

inline OpenCommand OpenCmd(const Subject& subject, Data data = {},
                           const std::string& summary = "Fiktiv bekymring om Testbarn Fiktivsen") {
  return OpenCommand{subject, summary, std::move(data)};
}

// A case placed directly in `state` ("start anywhere"), as if it entered it at `entered_at`.
inline Case CaseIn(const WorkflowDefinition& def, const std::string& forum,
                   const std::string& state, const Subject& subject, const Data& data,
                   Timestamp entered_at = Now() - std::chrono::days{3}, std::int64_t version = 4) {
  const StateDef* s = def.FindState(state);
  REQUIRE(s != nullptr);
  Case c;
  c.id = "case_" + def.id + "_" + state;
  c.forum_id = forum;
  c.workflow_id = def.id;
  c.workflow_version = def.version;
  c.state = state;
  c.version = version;
  c.subject = subject;
  c.summary = "Fiktiv sag om " + subject.name;
  c.data = data;
  c.opened_by = "usr_opener";
  c.opened_at = entered_at - std::chrono::days{30};
  c.updated_at = c.state_entered_at = entered_at;
  auto due = ComputeDueAt(*s, entered_at, data);
  REQUIRE(due.ok());
  c.due_at = *due;
  return c;
}

inline std::vector<std::string> ActionNames(const std::vector<const TransitionDef*>& rows) {
  std::vector<std::string> out;
  for (const auto* t : rows) out.push_back(t->action);
  return out;
}

// What the engine offers `role` on `c`.
inline std::vector<std::string> Offered(const WorkflowDefinition& def, const Case& c,
                                        const std::string& role) {
  return ActionNames(AvailableActions(def, c, As(c.forum_id, role)));
}

// A refusal by a named guard: kGuardFailed, and the message starts with "<guard>:".
inline bool RefusedByGuard(const Error& e, const std::string& guard) {
  return e.code == ErrorCode::kGuardFailed && e.message.rfind(guard + ":", 0) == 0;
}

// ---- a walk: one case, step by step ---------------------------------------------------------

class Walk {
 public:
  Walk(const WorkflowDefinition& def, std::string forum) : def_(def), forum_(std::move(forum)) {}

  // Opens the case as `role`; the opening must succeed and be recorded in `role`.
  const Case& Open(const std::string& role, const Subject& subject, Data data, Timestamp at) {
    auto opened = samspil::Open(def_, forum_, "case_walk_" + def_.id, As(forum_, role),
                                OpenCmd(subject, std::move(data)), at);
    if (!opened) FAIL("opening as " << role << " refused: " << opened.error().message);
    c_ = opened->opened;
    CHECK(c_.state == def_.InitialState().id);
    CHECK(c_.version == 1);
    CHECK(c_.state_entered_at == at);
    CHECK(opened->entry.action == kOpenAction);
    CHECK(opened->entry.role == role);
    CHECK(opened->entry.actor_id == "usr_" + role);
    history_ = {opened->entry};
    return c_;
  }

  // Starts from a case built elsewhere (CaseIn).
  void StartFrom(Case c) { c_ = std::move(c); }

  Result<Decision> Try(const std::string& role, const std::string& action, Data data,
                       Timestamp at) const {
    return Decide(def_, c_, As(forum_, role), Cmd(action, c_.version, std::move(data)), at);
  }

  // Fires one step as `role`; it must succeed, and the step is checked and applied.
  const Decision& Fire(const std::string& role, const std::string& action, Data data,
                       Timestamp at) {
    INFO("firing " << action << " as " << role << " in state " << c_.state);
    auto d = Try(role, action, data, at);
    if (!d) FAIL(action << " refused: " << d.error().message);
    const Case& u = d->updated;
    CHECK(u.version == c_.version + 1);
    CHECK(u.updated_at == at);
    CHECK(d->entry.action == action);
    CHECK(d->entry.role == role);
    CHECK(d->entry.from == c_.state);
    CHECK(d->entry.to == u.state);
    CHECK(d->entry.at == at);
    for (const auto& [key, value] : data) {
      INFO("field " << key);
      CHECK(u.data.at(key) == value);
      CHECK(d->entry.data.at(key) == value);
    }
    if (u.state != c_.state) CHECK(u.state_entered_at == at);
    CHECK(u.due_at.has_value() == !def_.FindState(u.state)->terminal);
    c_ = u;
    history_.push_back(d->entry);
    last_ = std::move(*d);
    return last_;
  }

  const Case& c() const { return c_; }
  const std::vector<HistoryEntry>& history() const { return history_; }

 private:
  const WorkflowDefinition& def_;
  std::string forum_;
  Case c_;
  std::vector<HistoryEntry> history_;
  Decision last_;
};

// ---- the table: every state, every role, every row ------------------------------------------

// Input that is well-formed for `row`: every field (or only the required ones) with a value
// of its type, dates chosen so that the row's date guards can hold.
inline Data WellFormedInput(const RawRow& row, bool required_only) {
  Data data;
  for (const auto& f : row.fields) {
    if (required_only && !f.required) continue;
    if (f.type == "string") {
      data[f.name] = std::string("Fiktiv værdi");
    } else if (f.type == "text") {
      data[f.name] = std::string("Fiktiv tekst om Testbarn Fiktivsen");
    } else if (f.type == "boolean") {
      data[f.name] = true;
    } else if (f.type == "date") {
      bool wants_future = false;
      for (const auto& g : row.guards) {
        if (g.name == "date_in_future" && g.field == f.name) wants_future = true;
      }
      data[f.name] = wants_future ? InDays(60) : TodayText();
    } else if (f.type == "enum") {
      REQUIRE_FALSE(f.options.empty());
      data[f.name] = f.options.front();
    } else if (f.type == "forum") {
      data[f.name] = "forum-" + f.workflow;
    } else {
      FAIL("unknown field type " << f.type);
    }
  }
  return data;
}

// The end (23:59:59Z) of a date field moved by whole months (clamped to the month's last
// day) and then days: what a "from_field" deadline should be, computed here by hand.
inline Timestamp EndOfShiftedDay(const std::string& ymd, int months, int days) {
  using namespace std::chrono;
  year_month_day d{Day(ymd)};
  year_month_day moved = d + std::chrono::months{months};
  if (!moved.ok()) moved = year_month_day_last{moved.year(), month_day_last{moved.month()}};
  return sys_days{moved} + std::chrono::days{days} + 23h + 59min + 59s;
}

// What a successful step out of `before` by `role` must have produced, judged from the JSON.
inline void CheckStep(const RawWorkflow& raw, const RawRow& row, const Case& before,
                      const std::string& role, const Data& input, const Decision& d,
                      Timestamp now) {
  using namespace std::chrono;
  const Case& u = d.updated;
  const std::string expected_state = row.to ? *row.to : before.state;
  CHECK(u.state == expected_state);
  CHECK(u.version == before.version + 1);
  CHECK(d.entry.role == role);
  CHECK(d.entry.action == row.action);
  CHECK(d.entry.from == before.state);
  CHECK(d.entry.to == expected_state);
  CHECK(u.state_entered_at == (u.state == before.state ? before.state_entered_at : now));

  const RawState& target = raw.State(expected_state);
  if (target.terminal) {
    CHECK_FALSE(u.due_at.has_value());
  } else {
    REQUIRE(u.due_at.has_value());
    const Timestamp entered = u.state_entered_at;
    if (target.deadline_kind == "days") {
      CHECK(*u.due_at == entered + std::chrono::days{target.amount});
    } else if (target.deadline_kind == "hours") {
      CHECK(*u.due_at == entered + hours{target.amount});
    } else if (target.deadline_kind == "workdays") {
      // Same time of day, on a weekday, at least N calendar days later.
      const Date due_day = DateOf(*u.due_at);
      CHECK(*u.due_at - due_day == entered - DateOf(entered));
      CHECK(weekday{due_day}.iso_encoding() <= 5);
      CHECK(due_day >= DateOf(entered) + std::chrono::days{target.amount});
    } else if (target.deadline_kind == "from_field") {
      const std::string* date = AsString(u.data.at(target.field));
      REQUIRE(date != nullptr);
      CHECK(*u.due_at == EndOfShiftedDay(*date, target.offset_months, target.offset_days));
    } else {
      FAIL("state " << target.id << " has no deadline in " << raw.id << ".json");
    }
  }

  if (row.referral) {
    REQUIRE(d.referral.has_value());
    const RawField* forum = row.FindField(row.referral_forum_field);
    REQUIRE(forum != nullptr);
    CHECK(d.referral->target_workflow_id == forum->workflow);
    CHECK(d.referral->legal_basis == row.legal_basis);
    CHECK(Value{d.referral->target_forum_id} == input.at(row.referral_forum_field));
    CHECK(Value{d.referral->summary} == input.at(row.referral_summary_field));
  } else {
    CHECK_FALSE(d.referral.has_value());
  }
}

// For every state of the workflow and every role of docs/domain.md:
//  - AvailableActions lists exactly the rows of the JSON whose `from` holds the state and
//    whose roles hold the role, in file order;
//  - firing any row with well-formed input (all fields, or only the required ones) succeeds
//    or is refused by one of the row's named guards; a row from elsewhere is kInvalidRequest,
//    a role the row does not name is kForbidden;
//  - leaving out any required field is kInvalidRequest naming it.
// `data` is the case data every case carries (e.g. the opening fields).
inline void CheckEveryStateRoleAndRow(const std::string& id, const Subject& subject,
                                      const Data& data) {
  const WorkflowDefinition& def = Def(id);
  const RawWorkflow raw = ReadRaw(id);
  REQUIRE(raw.id == id);
  REQUIRE(def.transitions.size() == raw.rows.size());
  REQUIRE(def.states.size() == raw.states.size());
  const std::string forum = "forum-" + id;

  for (const RawState& state : raw.states) {
    const Case c = CaseIn(def, forum, state.id, subject, data);
    CHECK(c.due_at.has_value() == !state.terminal);
    for (const std::string& role : DomainRoles()) {
      INFO(id << ": state " << state.id << ", role " << role);
      std::vector<std::string> expected;
      for (const RawRow& row : raw.rows) {
        if (Contains(row.from, state.id) && Contains(row.roles, role)) {
          expected.push_back(row.action);
        }
      }
      CHECK(Offered(def, c, role) == expected);
      if (state.terminal) CHECK(expected.empty());

      const Actor actor = As(forum, role);
      for (const RawRow& row : raw.rows) {
        INFO("action " << row.action);
        for (bool required_only : {false, true}) {
          const Data input = WellFormedInput(row, required_only);
          auto r = Decide(def, c, actor, Cmd(row.action, c.version, input), Now());
          if (!Contains(row.from, state.id)) {
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code == ErrorCode::kInvalidRequest);
            continue;
          }
          if (!Contains(row.roles, role)) {
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code == ErrorCode::kForbidden);
            continue;
          }
          if (r.ok()) {
            CheckStep(raw, row, c, role, input, *r, Now());
          } else {
            INFO("refused: " << r.error().message);
            bool named = false;
            for (const auto& g : row.guards) named = named || RefusedByGuard(r.error(), g.name);
            CHECK(named);
          }
        }
        if (Contains(row.from, state.id) && Contains(row.roles, role)) {
          for (const RawField& f : row.fields) {
            if (!f.required) continue;
            Data input = WellFormedInput(row, false);
            input.erase(f.name);
            auto r = Decide(def, c, actor, Cmd(row.action, c.version, input), Now());
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().code == ErrorCode::kInvalidRequest);
            CHECK_THAT(r.error().message, Catch::Matchers::Contains(f.name));
          }
        }
      }
    }
  }
}

// Who may open: every opening role of the JSON opens (or is refused by a named opening
// guard), every other role is kForbidden, a non-member is kNotFound.
inline void CheckWhoMayOpen(const std::string& id, const Subject& subject, const Data& data) {
  const WorkflowDefinition& def = Def(id);
  const RawWorkflow raw = ReadRaw(id);
  const std::string forum = "forum-" + id;
  for (const std::string& role : DomainRoles()) {
    INFO(id << ": opening as " << role);
    auto opened = Open(def, forum, "case_x", As(forum, role), OpenCmd(subject, data), Now());
    if (Contains(raw.open_roles, role)) {
      if (opened.ok()) {
        CHECK(opened->entry.role == role);
        CHECK(opened->opened.state == def.InitialState().id);
        CHECK(opened->opened.due_at.has_value());
      } else {
        bool named = false;
        for (const auto& g : raw.open_guards) {
          named = named || RefusedByGuard(opened.error(), g.name);
        }
        CHECK(named);
      }
    } else {
      REQUIRE_FALSE(opened.ok());
      CHECK(opened.error().code == ErrorCode::kForbidden);
    }
  }
  auto outsider =
      Open(def, forum, "case_x", As("another-forum", "koordinator"), OpenCmd(subject, data), Now());
  REQUIRE_FALSE(outsider.ok());
  CHECK(outsider.error().code == ErrorCode::kNotFound);
}

}  // namespace samspil::test::walk
