#include "samspil/tools/workflow_docs.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "samspil/guards.hpp"
#include "samspil/workflow_graph.hpp"

namespace samspil {
namespace {

std::string Code(const std::string& s) { return "`" + s + "`"; }

// A Markdown table cell: a `|` would end the cell and a newline the row.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? sep : "") + parts[i];
  return out;
}

std::string JoinCodes(const std::vector<std::string>& items) {
  std::vector<std::string> coded;
  for (const auto& s : items) coded.push_back(Code(s));
  return Join(coded, ", ");
}

std::string OrDash(const std::string& s) { return s.empty() ? "—" : s; }

std::string Count(long n, const std::string& singular, const std::string& plural) {
  return std::to_string(n) + " " + (n == 1 || n == -1 ? singular : plural);
}

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// --- Guard parameters, shown as the JSON they were written in -------------------------------

std::string JsonString(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// Integers print without a fraction ("17", not "17.000000"); %g uses the "C" locale here
// because nothing in the tool calls setlocale.
std::string JsonNumber(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 1e15) {
    return std::to_string(static_cast<std::int64_t>(x));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

std::string JsonValue(const Value& v) {
  if (const bool* b = AsBool(v)) return *b ? "true" : "false";
  if (const double* n = AsNumber(v)) return JsonNumber(*n);
  if (const std::string* s = AsString(v)) return JsonString(*s);
  if (const auto* list = AsStrings(v)) {
    std::vector<std::string> items;
    for (const auto& s : *list) items.push_back(JsonString(s));
    return "[" + Join(items, ", ") + "]";
  }
  return "null";
}

std::string ParamsJson(const Data& params) {
  std::vector<std::string> items;
  for (const auto& [key, value] : params)
    items.push_back(JsonString(key) + ": " + JsonValue(value));
  return "{" + Join(items, ", ") + "}";
}

// "`date_in_future` `{"field": "moededato"}` — the date field is after today"
std::string GuardInWords(const GuardCall& g) {
  std::string out = Code(g.name);
  if (!g.params.empty()) out += " " + Code(ParamsJson(g.params));
  const GuardInfo* info = FindGuard(g.name);
  out += " — " + (info ? info->description : std::string("(unknown guard)"));
  return out;
}

// --- Fields --------------------------------------------------------------------------------

// "enum: `a`, `b`" / "forum running `konfliktraad`" / "date"
std::string FieldTypeInWords(const FieldSpec& f) {
  switch (f.type) {
    case FieldType::kEnum:
      return "enum: " + JoinCodes(f.options);
    case FieldType::kForum:
      return "forum running " + Code(f.workflow);
    case FieldType::kString:
    case FieldType::kText:
    case FieldType::kBoolean:
    case FieldType::kDate:
      break;
  }
  return FieldTypeName(f.type);
}

// "`moededato` (date, required) — Mødedato"
std::string FieldInWords(const FieldSpec& f) {
  return Code(f.name) + " (" + FieldTypeInWords(f) + (f.required ? ", required" : "") + ") — " +
         f.label;
}

const FieldSpec* FindField(const std::vector<FieldSpec>& fields, const std::string& name) {
  for (const auto& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// The workflow a referral opens a case in, from its forum field ("" if the field is missing).
std::string ReferralTarget(const TransitionDef& t) {
  const FieldSpec* forum = FindField(t.fields, t.referral->forum_field);
  return forum ? forum->workflow : "";
}

std::string ReferralInWords(const TransitionDef& t) {
  const ReferralSpec& r = *t.referral;
  const std::string target = ReferralTarget(t);
  const std::string link =
      target.empty() ? "(unknown workflow)" : "[" + Code(target) + "](" + target + ".md)";
  return "opens a linked case in a forum running " + link + " (chosen in " + Code(r.forum_field) +
         "), passing on only " + Code(r.summary_field) + "; legal basis " + Code(r.legal_basis);
}

// --- Mermaid -------------------------------------------------------------------------------

// A state id as a Mermaid id. Ids are ASCII snake_case, but the stateDiagram lexer reads
// "default…" and a bare "note"/"state"/"class"/"scale" as keywords and stops an id at `-`.
std::string MermaidId(const std::string& id) {
  std::string out;
  for (char c : id) {
    const bool word =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += word ? c : '_';
  }
  std::string lower = out;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::set<std::string> kKeywords = {"note", "state", "class", "classdef", "scale"};
  if (out.empty() || lower.rfind("default", 0) == 0 || kKeywords.count(lower)) out = "s_" + out;
  return out;
}

// Label text inside the diagram: an edge label ends at `:`, `;` or a newline and a state label
// at `"`, so those become Mermaid entity codes (`#` first, as it starts one).
std::string MermaidText(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '#':
        out += "#35;";
        break;
      case '"':
        out += "#quot;";
        break;
      case ':':
        out += "#58;";
        break;
      case ';':
        out += "#59;";
        break;
      case '\n':
      case '\r':
        out += ' ';
        break;
      default:
        out += c;
    }
  }
  return out;
}

void WriteDiagram(const WorkflowDefinition& def, std::ostringstream& md) {
  md << "```mermaid\n"
     << "stateDiagram-v2\n";
  for (const auto& s : def.states) {
    md << "  state \"" << MermaidText(s.label) << "\" as " << MermaidId(s.id) << "\n";
  }
  for (const auto& s : def.states) {
    if (s.initial) md << "  [*] --> " << MermaidId(s.id) << "\n";
  }
  // One edge per `from`: Mermaid has no multi-source edges.
  for (const auto& t : def.transitions) {
    if (!t.to) continue;
    for (const auto& from : t.from) {
      md << "  " << MermaidId(from) << " --> " << MermaidId(*t.to) << ": " << MermaidText(t.label)
         << "\n";
    }
  }
  for (const auto& s : def.states) {
    if (s.terminal) md << "  " << MermaidId(s.id) << " --> [*]\n";
  }
  // Side actions as one note per state: self-loops for a side action offered in four states
  // would bury the real edges.
  for (const auto& s : def.states) {
    std::vector<std::string> stays;
    for (const auto& t : def.transitions) {
      if (!t.to && Contains(t.from, s.id)) stays.push_back(t.label);
    }
    if (stays.empty()) continue;
    md << "  note right of " << MermaidId(s.id) << "\n";
    for (const auto& label : stays) md << "    ↻ " << MermaidText(label) << "\n";
    md << "  end note\n";
  }
  md << "```\n";
}

// --- Sections ------------------------------------------------------------------------------

void WriteOpening(const WorkflowDefinition& def, std::ostringstream& md) {
  md << "## Opening a case\n\n"
     << "Who may open: " << OrDash(JoinCodes(def.open.roles)) << ".\n\n";
  if (def.open.fields.empty()) {
    md << "No fields besides the subject and the summary.\n\n";
  } else {
    md << "Fields asked for besides the subject and the summary:\n\n"
       << "| field | type | required | label |\n"
       << "| --- | --- | --- | --- |\n";
    for (const auto& f : def.open.fields) {
      md << "| " << Code(f.name) << " | " << Cell(FieldTypeInWords(f)) << " | "
         << (f.required ? "yes" : "no") << " | " << Cell(f.label) << " |\n";
    }
    md << "\n";
  }
  if (def.open.guards.empty()) {
    md << "No guards.\n\n";
  } else {
    md << "Guards (all must hold, else the request is refused with 422):\n\n";
    for (const auto& g : def.open.guards) md << "- " << GuardInWords(g) << "\n";
    md << "\n";
  }
}

void WriteStates(const WorkflowDefinition& def, std::ostringstream& md) {
  md << "## States\n\n"
     << "A duration counts from the moment the case entered the state; past its deadline the "
        "deadline scan marks the case escalated.\n\n"
     << "| state | label | kind | deadline | actions |\n"
     << "| --- | --- | --- | --- | --- |\n";
  for (const auto& s : def.states) {
    std::string kind = s.initial ? "initial" : s.terminal ? "terminal" : "";
    std::vector<std::string> actions;
    for (const auto& t : def.transitions) {
      if (!Contains(t.from, s.id)) continue;
      actions.push_back(Code(t.action) + (t.to ? " → " + Code(*t.to) : " (stays)"));
    }
    md << "| " << Code(s.id) << " | " << Cell(s.label) << " | " << OrDash(kind) << " | "
       << Cell(s.deadline ? DeadlineInWords(*s.deadline) : "—") << " | "
       << Cell(OrDash(Join(actions, ", "))) << " |\n";
  }
  md << "\n";
}

void WriteTransitions(const WorkflowDefinition& def, std::ostringstream& md) {
  md << "## Transitions\n\n"
     << "Fields go in the request's `data`; guards must all hold (422 otherwise).\n\n"
     << "| action | label | from | to | roles | fields | guards | referral |\n"
     << "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& t : def.transitions) {
    std::vector<std::string> fields, guards;
    for (const auto& f : t.fields) fields.push_back(Cell(FieldInWords(f)));
    for (const auto& g : t.guards) guards.push_back(Cell(GuardInWords(g)));
    md << "| " << Code(t.action) << " | " << Cell(t.label) << " | " << JoinCodes(t.from) << " | "
       << (t.to ? Code(*t.to) : "(stays)") << " | " << OrDash(JoinCodes(t.roles)) << " | "
       << OrDash(Join(fields, "<br>")) << " | " << OrDash(Join(guards, "<br>")) << " | "
       << (t.referral ? Cell(ReferralInWords(t)) : "—") << " |\n";
  }
  md << "\n";
  std::vector<std::string> confidential;
  for (const auto& t : def.transitions) {
    if (t.confidential) confidential.push_back(t.action);
  }
  if (!confidential.empty()) {
    md << "**Confidential steps** (docs/domain.md rule 4): the comment and fields of "
       << JoinCodes(confidential) << " are shown only to members holding one of the roles "
       << JoinCodes(def.confidential_roles)
       << "; the forum's other members see that the step was taken (action, states, who, "
          "when) and its values are left out of the case's `data`.\n\n";
  }
  if (def.reopen) {
    std::vector<std::string> closed;
    for (const auto& st : def.states) {
      if (st.terminal) closed.push_back(st.id);
    }
    md << "**Reopening** (docs/domain.md rule 6): a closed case (" << JoinCodes(closed)
       << ") may be reopened by " << JoinCodes(def.reopen->roles) << " with a reason (\""
       << def.reopen->label << "\"); it goes back to " << Code(def.reopen->to)
       << " with a new deadline and keeps its history.\n\n";
  } else {
    md << "A closed case of this workflow cannot be reopened.\n\n";
  }
}

// What holds by construction (Validate() refuses a definition where it does not), stated
// from the data so a reader sees it for this workflow, like the state comment of sqlite's
// pager.c. A broken rule is reported as such rather than hidden.
void WriteInvariants(const WorkflowDefinition& def, std::ostringstream& md) {
  md << "## Invariants\n\n";
  std::vector<std::string> initial, terminal, no_deadline, terminal_exits, terminal_deadlines;
  for (const auto& s : def.states) {
    if (s.initial) initial.push_back(s.id);
    if (s.terminal) {
      terminal.push_back(s.id);
      if (s.deadline) terminal_deadlines.push_back(s.id);
    } else if (!s.deadline) {
      no_deadline.push_back(s.id);
    }
  }
  for (const auto& t : def.transitions) {
    for (const auto& from : t.from) {
      if (Contains(terminal, from) && !Contains(terminal_exits, from)) {
        terminal_exits.push_back(from);
      }
    }
  }

  if (initial.size() == 1) {
    const StateDef* s = def.FindState(initial[0]);
    md << "- Exactly one initial state: " << Code(s->id) << " (" << s->label
       << "); every case starts there.\n";
  } else {
    md << "- **Broken:** "
       << Count(static_cast<long>(initial.size()), "initial state", "initial states") << " ("
       << JoinCodes(initial) << "); there must be exactly one.\n";
  }

  std::vector<std::string> terminal_named;
  for (const auto& id : terminal)
    terminal_named.push_back(Code(id) + " (" + def.FindState(id)->label + ")");
  md << "- Terminal states: " << OrDash(Join(terminal_named, ", ")) << ".";
  if (terminal_exits.empty() && terminal_deadlines.empty()) {
    md << " No action leaves them and they have no deadline.\n";
  } else {
    md << " **Broken:** actions leave " << OrDash(JoinCodes(terminal_exits)) << "; deadlines on "
       << OrDash(JoinCodes(terminal_deadlines)) << ".\n";
  }

  if (no_deadline.empty()) {
    md << "- Every non-terminal state has a deadline, so every open case has a due time; past "
          "it the deadline scan marks the case escalated once, and entering a new state clears "
          "the mark.\n";
  } else {
    md << "- **Broken:** non-terminal states without a deadline: " << JoinCodes(no_deadline)
       << ".\n";
  }

  std::vector<std::string> unreachable, trapped;
  if (initial.size() == 1) {
    const auto reached = Reachable(def, {initial[0]});
    for (const auto& s : def.states) {
      if (!reached.count(s.id)) unreachable.push_back(s.id);
    }
    md << (unreachable.empty() ? "- Every state can be reached from " + Code(initial[0]) + ".\n"
                               : "- **Broken:** not reachable from " + Code(initial[0]) + ": " +
                                     JoinCodes(unreachable) + ".\n");
  }
  const auto can_end =
      Reachable(def, std::set<std::string>(terminal.begin(), terminal.end()), Direction::kBackward);
  for (const auto& s : def.states) {
    if (!can_end.count(s.id)) trapped.push_back(s.id);
  }
  md << (trapped.empty()
             ? "- A terminal state can be reached from every state: no case is "
               "trapped.\n"
             : "- **Broken:** no terminal state can be reached from " + JoinCodes(trapped) + ".\n");

  // Who can end a case, and how: closing is what a forum most needs to restrict.
  std::vector<std::string> ending;
  for (const auto& t : def.transitions) {
    if (t.to && Contains(terminal, *t.to)) {
      ending.push_back(Code(t.action) + " → " + Code(*t.to) + " (" + OrDash(JoinCodes(t.roles)) +
                       ")");
    }
  }
  if (!ending.empty()) md << "- A case ends only through " << Join(ending, "; ") << ".\n";

  std::vector<std::string> stays;
  for (const auto& t : def.transitions) {
    if (!t.to) stays.push_back(Code(t.action));
  }
  if (!stays.empty()) {
    md << "- Side actions leave the state, and the time the case entered it, unchanged: "
       << Join(stays, ", ") << ".\n";
  }

  for (const auto& t : def.transitions) {
    if (!t.referral) continue;
    const std::string target = ReferralTarget(t);
    md << "- " << Code(t.action) << " passes on to a "
       << (target.empty() ? "(unknown)" : Code(target)) << " forum only the subject and "
       << Code(t.referral->summary_field) << ", and records the legal basis "
       << Code(t.referral->legal_basis) << "; the target forum cannot see this case.\n";
  }

  // Deadlines read from case data: group the states by the field they follow.
  std::vector<std::string> date_fields;
  for (const auto& s : def.states) {
    if (s.deadline && s.deadline->kind == DeadlineSpec::Kind::kFromField &&
        !Contains(date_fields, s.deadline->field)) {
      date_fields.push_back(s.deadline->field);
    }
  }
  for (const auto& field : date_fields) {
    std::vector<std::string> states, setters;
    for (const auto& s : def.states) {
      if (s.deadline && s.deadline->kind == DeadlineSpec::Kind::kFromField &&
          s.deadline->field == field) {
        states.push_back(s.id);
      }
    }
    for (const auto& t : def.transitions) {
      if (FindField(t.fields, field)) setters.push_back(t.action);
    }
    const FieldSpec* opening = FindField(def.open.fields, field);
    const bool sound = opening && opening->required && opening->type == FieldType::kDate;
    md << "- The deadlines of " << JoinCodes(states) << " follow " << Code(field)
       << (sound ? ", a required date given at opening, so every case has them"
                 : " — **broken:** it is not a required date field of the opening");
    if (!setters.empty()) {
      const bool one = setters.size() == 1;
      md << "; " << JoinCodes(setters) << (one ? " gives" : " give") << " it a new value and so "
         << (one ? "recomputes" : "recompute") << " them";
    }
    md << ".\n";
  }
  md << "\n";
}

}  // namespace

std::string DeadlineInWords(const DeadlineSpec& d) {
  switch (d.kind) {
    case DeadlineSpec::Kind::kHours:
      return Count(d.amount, "hour", "hours");
    case DeadlineSpec::Kind::kDays:
      return Count(d.amount, "calendar day", "calendar days");
    case DeadlineSpec::Kind::kWorkingDays:
      return Count(d.amount, "working day (hverdag)", "working days (hverdage)");
    case DeadlineSpec::Kind::kFromField:
      break;
  }
  const std::string field = Code(d.field);
  const std::string eod = ", end of day (23:59:59 UTC)";
  const int m = d.offset_months, days = d.offset_days;
  const std::string months_words = Count(std::abs(m), "month", "months");
  const std::string days_words = Count(std::abs(days), "day", "days");
  if (m == 0 && days == 0) return field + eod;
  if (days == 0) return months_words + (m < 0 ? " before " : " after ") + field + eod;
  if (m == 0) return days_words + (days < 0 ? " before " : " after ") + field + eod;
  if ((m < 0) == (days < 0)) {
    return months_words + " and " + days_words + (m < 0 ? " before " : " after ") + field + eod;
  }
  // Mixed signs: the months are applied first, then the days.
  return months_words + (m < 0 ? " before " : " after ") + field + ", then " + days_words +
         (days < 0 ? " earlier" : " later") + eod;
}

std::string WorkflowMarkdown(const WorkflowDefinition& def) {
  std::ostringstream md;
  md << "# " << def.name << " (" << Code(def.id) << ", version " << def.version << ")\n\n"
     << "> Generated from `workflows/" << def.id
     << ".json` by `scripts/gen-workflow-docs` — do not edit; change the JSON and rerun the "
        "script.\n\n";
  WriteOpening(def, md);
  md << "## Diagram\n\n"
     << "Arrows are the actions that move a case, labelled as users see them. A note marked ↻ "
        "lists the side actions of a state: they keep the case where it is.\n\n";
  WriteDiagram(def, md);
  md << "\n";
  WriteStates(def, md);
  WriteTransitions(def, md);
  WriteInvariants(def, md);
  std::string out = md.str();
  out.pop_back();  // end with exactly one newline
  return out;
}

std::string WorkflowIndexMarkdown(const std::map<std::string, WorkflowDefinition>& by_id) {
  std::ostringstream md;
  md << "# Workflows\n\n"
     << "> Generated from `workflows/*.json` by `scripts/gen-workflow-docs` — do not edit.\n\n"
     << "One page per forum process, generated from its definition; the format is described in "
        "[workflows/README.md](../../workflows/README.md).\n\n"
     << "| workflow | name | version | states | actions | opened by |\n"
     << "| --- | --- | --- | --- | --- | --- |\n";
  for (const auto& [id, def] : by_id) {
    md << "| [" << Code(id) << "](" << id << ".md) | " << Cell(def.name) << " | " << def.version
       << " | " << def.states.size() << " | " << def.transitions.size() << " | "
       << OrDash(JoinCodes(def.open.roles)) << " |\n";
  }
  return md.str();
}

}  // namespace samspil
