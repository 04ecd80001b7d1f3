// Domain values to response bodies (json_codec.hpp). Keys keep the order they are set in.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Stringifier.h>

#include <sstream>

#include "json_codec.hpp"
#include "samspil/adapters/json_data.hpp"

namespace samspil {
namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;

std::string Stringify(const Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out, 0, -1, Poco::JSON_WRAP_STRINGS);
  return out.str();
}

Object::Ptr NewObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Var NullableString(const std::string& s) { return s.empty() ? Var() : Var(s); }

Array::Ptr StringsJson(const std::vector<std::string>& items) {
  Array::Ptr a = new Array;
  for (const auto& s : items) a->add(s);
  return a;
}

Object::Ptr FieldObject(const FieldSpec& f) {
  Object::Ptr o = NewObject();
  o->set("name", f.name);
  o->set("type", FieldTypeName(f.type));
  o->set("required", f.required);
  o->set("label", f.label);
  if (f.type == FieldType::kEnum) {
    Array::Ptr options = new Array;
    for (const auto& opt : f.options) options->add(opt);
    o->set("options", options);
    if (!f.option_labels.empty()) {
      Object::Ptr labels = NewObject();
      for (const auto& opt : f.options) {
        if (auto it = f.option_labels.find(opt); it != f.option_labels.end()) {
          labels->set(opt, it->second);
        }
      }
      o->set("option_labels", labels);
    }
  }
  if (f.type == FieldType::kForum) o->set("workflow", f.workflow);
  return o;
}

Array::Ptr FieldsArray(const std::vector<FieldSpec>& fields) {
  Array::Ptr a = new Array;
  for (const auto& f : fields) a->add(FieldObject(f));
  return a;
}

Object::Ptr WorkflowObject(const WorkflowDefinition& def) {
  Object::Ptr o = NewObject();
  o->set("id", def.id);
  o->set("name", def.name);
  o->set("version", def.version);
  o->set("initial", def.InitialState().id);
  Object::Ptr open = NewObject();
  open->set("roles", StringsJson(def.open.roles));
  open->set("fields", FieldsArray(def.open.fields));
  o->set("open", open);
  Array::Ptr states = new Array;
  for (const auto& s : def.states) {
    Object::Ptr so = NewObject();
    so->set("id", s.id);
    so->set("label", s.label);
    so->set("terminal", s.terminal);
    states->add(so);
  }
  o->set("states", states);
  // One row per (from, action): `from` and `to` are always single states (a side action
  // leads back to its own state).
  Array::Ptr transitions = new Array;
  for (const auto& t : def.transitions) {
    for (const auto& from : t.from) {
      Object::Ptr to = NewObject();
      to->set("action", t.action);
      to->set("label", t.label);
      to->set("from", from);
      to->set("to", t.TargetFrom(from));
      to->set("roles", StringsJson(t.roles));
      to->set("fields", FieldsArray(t.fields));
      to->set("confidential", t.confidential);
      transitions->add(to);
    }
  }
  o->set("transitions", transitions);
  o->set("confidential_roles", StringsJson(def.confidential_roles));
  if (def.reopen) {
    Object::Ptr reopen = NewObject();
    reopen->set("roles", StringsJson(def.reopen->roles));
    reopen->set("to", def.reopen->to);
    reopen->set("label", def.reopen->label);
    o->set("reopen", reopen);
  } else {
    o->set("reopen", Var());
  }
  return o;
}

Object::Ptr AgencyObject(const Agency& a) {
  Object::Ptr o = NewObject();
  o->set("id", a.id);
  o->set("name", a.name);
  o->set("kind", a.kind);
  return o;
}

Object::Ptr MeObject(const UserProfile& p, const std::string& csrf_token) {
  Object::Ptr o = NewObject();
  o->set("id", p.user.id);
  o->set("username", p.user.username);
  o->set("display_name", p.user.display_name);
  o->set("agency", AgencyObject(p.agency));
  o->set("is_admin", p.user.is_admin);
  Array::Ptr memberships = new Array;
  for (const auto& seat : p.memberships) {
    Object::Ptr m = NewObject();
    m->set("forum_id", seat.forum.id);
    m->set("forum_name", seat.forum.name);
    m->set("workflow_id", seat.forum.workflow_id);
    m->set("role", seat.role);
    memberships->add(m);
  }
  o->set("memberships", memberships);
  // The UI keeps only the HttpOnly cookie across a reload; this is how it learns the CSRF
  // token again. Another site cannot read this answer (no CORS), so it stays a secret.
  o->set("csrf_token", csrf_token);
  return o;
}

}  // namespace

std::string ErrorJson(const std::string& code, const std::string& message,
                      const std::string& rule) {
  Object::Ptr inner = NewObject();
  inner->set("code", code);
  inner->set("message", message);
  if (!rule.empty()) {
    Object::Ptr details = NewObject();
    details->set("rule", rule);
    inner->set("details", details);
  }
  Object::Ptr outer = NewObject();
  outer->set("error", inner);
  return Stringify(outer);
}

std::string MeJson(const UserProfile& profile, const std::string& csrf_token) {
  return Stringify(MeObject(profile, csrf_token));
}

std::string LoginJson(const std::string& token, const std::string& csrf_token,
                      const UserProfile& profile) {
  Object::Ptr out = NewObject();
  out->set("token", token);
  out->set("csrf_token", csrf_token);
  out->set("user", MeObject(profile, csrf_token));
  return Stringify(out);
}

std::string WorkflowJson(const WorkflowDefinition& def) { return Stringify(WorkflowObject(def)); }

std::string WorkflowsJson(const std::map<std::string, WorkflowDefinition>& workflows) {
  Array::Ptr items = new Array;
  for (const auto& [id, def] : workflows) items->add(WorkflowObject(def));
  Object::Ptr out = NewObject();
  out->set("items", items);
  return Stringify(out);
}

std::string ForaJson(const std::vector<Forum>& fora, const Actor& actor) {
  Array::Ptr items = new Array;
  for (const auto& f : fora) {
    Object::Ptr o = NewObject();
    o->set("id", f.id);
    o->set("name", f.name);
    o->set("workflow_id", f.workflow_id);
    o->set("municipality", NullableString(f.municipality));
    const auto& roles = actor.RolesIn(f.id);
    // A user may hold several roles in a forum: my_role is the first, my_roles all of them.
    o->set("my_role", roles.empty() ? Var() : Var(*roles.begin()));
    o->set("my_roles", StringsJson(std::vector<std::string>(roles.begin(), roles.end())));
    items->add(o);
  }
  Object::Ptr out = NewObject();
  out->set("items", items);
  return Stringify(out);
}

std::string ForumStatsJson(const Forum& forum, const WorkflowDefinition& def,
                           const ForumStatistics& stats, Timestamp now) {
  Array::Ptr states = new Array;
  for (const auto& s : def.states) {
    StateStatistics figures{s.id};
    for (const auto& found : stats.states) {
      if (found.state == s.id) figures = found;
    }
    Object::Ptr o = NewObject();
    o->set("state", s.id);
    o->set("label", s.label);
    o->set("terminal", s.terminal);
    o->set("cases", figures.cases);
    o->set("overdue", figures.overdue);
    o->set("escalated", figures.escalated);
    o->set("mean_days_in_state", figures.mean_days_in_state);
    o->set("max_days_in_state", figures.max_days_in_state);
    states->add(o);
  }
  Object::Ptr deadlines = NewObject();
  deadlines->set("met", stats.deadlines_met);
  deadlines->set("missed", stats.deadlines_missed);
  Object::Ptr out = NewObject();
  out->set("forum_id", forum.id);
  out->set("forum_name", forum.name);
  out->set("workflow_id", forum.workflow_id);
  out->set("generated_at", FormatTimestamp(now));
  out->set("total_cases", stats.total_cases);
  out->set("states", states);
  out->set("deadlines", deadlines);
  out->set("escalations", stats.escalations);
  return Stringify(out);
}

std::string HistoryJson(const std::vector<HistoryEntry>& history,
                        const std::map<std::string, UserProfile>& actors) {
  Array::Ptr items = new Array;
  for (const auto& e : history) {
    Object::Ptr o = NewObject();
    o->set("seq", e.seq);
    o->set("action", e.action);
    o->set("from", NullableString(e.from));
    o->set("to", e.to);
    if (e.actor_id.empty()) {
      o->set("actor", Var());  // the system: the deadline scan
    } else {
      Object::Ptr who = NewObject();
      who->set("id", e.actor_id);
      const UserProfile& profile = actors.at(e.actor_id);
      who->set("display_name", profile.user.display_name);
      who->set("agency", AgencyObject(profile.agency));
      o->set("actor", who);
    }
    o->set("role", NullableString(e.role));
    o->set("at", FormatTimestamp(e.at));
    o->set("comment", e.comment);
    o->set("data", DataToJson(e.data));
    // docs/domain.md rule 4: a confidential step's comment and data are empty for a reader
    // without a confidential role, and say so.
    o->set("confidential", e.confidential);
    o->set("withheld", e.withheld);
    items->add(o);
  }
  Object::Ptr out = NewObject();
  out->set("items", items);
  return Stringify(out);
}

bool AsksForForum(const WorkflowDefinition& def, const Case& c, const Actor& actor) {
  for (const TransitionDef* t : AvailableActions(def, c, actor)) {
    for (const FieldSpec& f : t->fields) {
      if (f.type == FieldType::kForum) return true;
    }
  }
  return false;
}

std::string AvailableActionsJson(const WorkflowDefinition& def, const Case& c, const Actor& actor,
                                 const std::vector<Forum>* referral_fora) {
  Array::Ptr actions = new Array;
  for (const TransitionDef* t : AvailableActions(def, c, actor)) {
    Object::Ptr a = NewObject();
    a->set("action", t->action);
    a->set("label", t->label);
    a->set("to", t->TargetFrom(c.state));
    Array::Ptr fields = FieldsArray(t->fields);
    for (size_t i = 0; referral_fora && i < t->fields.size(); ++i) {
      const FieldSpec& f = t->fields[i];
      if (f.type != FieldType::kForum) continue;
      Array::Ptr targets = new Array;
      for (const auto& forum : *referral_fora) {
        if (forum.workflow_id != f.workflow) continue;
        Object::Ptr fo = NewObject();
        fo->set("id", forum.id);
        fo->set("name", forum.name);
        targets->add(fo);
      }
      fields->getObject(static_cast<unsigned>(i))->set("forums", targets);
    }
    a->set("fields", fields);
    actions->add(a);
  }
  return Stringify(actions);
}

std::string CaseJson(const Case& c, const WorkflowDefinition& def, const Actor& actor,
                     const std::vector<CaseLink>& links,
                     const std::map<std::string, std::string>& display_names,
                     const std::string& actions_json, Timestamp now) {
  Object::Ptr o = NewObject();
  o->set("id", c.id);
  o->set("forum_id", c.forum_id);
  o->set("workflow_id", c.workflow_id);
  o->set("workflow_version", c.workflow_version);
  o->set("state", c.state);
  const StateDef* state = def.FindState(c.state);
  o->set("state_label", state ? state->label : c.state);
  o->set("version", c.version);
  Object::Ptr subject = NewObject();
  subject->set("name", c.subject.name);
  subject->set("birth_date", FormatDate(c.subject.birth_date));
  o->set("subject", subject);
  o->set("summary", c.summary);
  o->set("data", DataToJson(c.data));  // what the steps recorded, as this reader may see it
  Object::Ptr opened_by = NewObject();
  opened_by->set("id", c.opened_by);
  const auto name = display_names.find(c.opened_by);
  opened_by->set("display_name", name != display_names.end() ? name->second : "");
  o->set("opened_by", opened_by);
  o->set("opened_at", FormatTimestamp(c.opened_at));
  o->set("updated_at", FormatTimestamp(c.updated_at));
  o->set("due_at", c.due_at ? Var(FormatTimestamp(*c.due_at)) : Var());
  o->set("overdue", c.Overdue(now));
  o->set("escalated", c.escalated);
  if (MayReopen(def, c, actor)) {
    Object::Ptr reopen = NewObject();
    reopen->set("label", def.reopen->label);
    reopen->set("to", def.reopen->to);
    o->set("reopen", reopen);
  } else {
    o->set("reopen", Var());  // not closed, not reopenable, or not this user's to reopen
  }
  Array::Ptr link_items = new Array;
  for (const auto& l : links) {
    Object::Ptr lo = NewObject();
    lo->set("case_id", l.case_id);
    lo->set("forum_id", l.forum_id);
    lo->set("relation", l.relation);
    lo->set("legal_basis", l.legal_basis);
    link_items->add(lo);
  }
  o->set("links", link_items);
  std::string out = Stringify(o);  // "{...}": the actions go in before the closing brace
  out.pop_back();
  return out + ",\"available_actions\":" + actions_json + "}";
}

std::string ItemsJson(const std::vector<std::string>& items) {
  std::string out = "{\"items\":[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]}";
}

std::string CasePageJson(const std::vector<std::string>& items,
                         const std::optional<std::string>& next_cursor) {
  std::string out = ItemsJson(items);
  out.pop_back();  // the closing brace: next_cursor goes in before it
  return out + ",\"next_cursor\":" + (next_cursor ? Stringify(Var(*next_cursor)) : "null") + "}";
}

}  // namespace samspil
