#include "samspil/workflow.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "samspil/case.hpp"
#include "samspil/guards.hpp"
#include "samspil/workflow_graph.hpp"

namespace samspil {

const std::vector<std::string>& KnownRoles() {
  static const std::vector<std::string> kRoles = {
      "forebyggelsesbetjent", "socialraadgiver", "skole",   "psykiatri",
      "kriminalforsorg",      "koordinator",     "maegler", "naevn"};
  return kRoles;
}

const std::vector<std::string>& KnownLegalBases() {
  static const std::vector<std::string> kBases = {"rpl_115_ssp",   "rpl_115_psp",   "rpl_115_ksp_a",
                                                  "rpl_115_ksp_b", "rpl_115_ksp_c", "samtykke",
                                                  "ukn",           "konfliktraad",  "underretning"};
  return kBases;
}

const char* FieldTypeName(FieldType type) {
  switch (type) {
    case FieldType::kString:
      return "string";
    case FieldType::kText:
      return "text";
    case FieldType::kBoolean:
      return "boolean";
    case FieldType::kDate:
      return "date";
    case FieldType::kEnum:
      return "enum";
    case FieldType::kForum:
      return "forum";
  }
  return "string";
}

std::optional<FieldType> ParseFieldType(const std::string& name) {
  for (FieldType t : {FieldType::kString, FieldType::kText, FieldType::kBoolean, FieldType::kDate,
                      FieldType::kEnum, FieldType::kForum}) {
    if (name == FieldTypeName(t)) return t;
  }
  return std::nullopt;
}

const StateDef* WorkflowDefinition::FindState(const std::string& state_id) const {
  for (const auto& s : states) {
    if (s.id == state_id) return &s;
  }
  return nullptr;
}

const StateDef& WorkflowDefinition::InitialState() const {
  for (const auto& s : states) {
    if (s.initial) return s;
  }
  return states.front();
}

const TransitionDef* WorkflowDefinition::FindTransition(const std::string& state,
                                                        const std::string& action) const {
  for (const auto& t : transitions) {
    if (t.action == action && std::find(t.from.begin(), t.from.end(), state) != t.from.end()) {
      return &t;
    }
  }
  return nullptr;
}

bool WorkflowDefinition::HasAction(const std::string& action) const {
  return std::any_of(transitions.begin(), transitions.end(),
                     [&](const TransitionDef& t) { return t.action == action; });
}

namespace {

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

std::string Indexed(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

// Collects problems with paths into the definition.
class Validator {
 public:
  explicit Validator(const WorkflowDefinition& def) : def_(def) {}

  std::vector<DefinitionProblem> Run() {
    if (def_.id.empty()) Add("id", "must not be empty");
    if (def_.name.empty()) Add("name", "must not be empty");
    if (def_.version < 1) Add("version", "must be a whole number of at least 1");
    CollectDeclaredFields();
    CheckStates();
    CheckRoles("open.roles", def_.open.roles);
    CheckFields("open.fields", def_.open.fields);
    // An opening guard can only see what is given at opening.
    std::map<std::string, FieldType> opening_fields;
    for (const auto& f : def_.open.fields) opening_fields.emplace(f.name, f.type);
    CheckGuards("open.guards", def_.open.guards, opening_fields);
    CheckTransitions();
    CheckConfidentiality();
    CheckReopen();
    // A misspelt state would also make the graph checks complain about its consequences;
    // report the cause alone.
    if (!broken_reference_) CheckGraph();
    return std::move(problems_);
  }

 private:
  void Add(std::string path, std::string message) {
    problems_.push_back({std::move(path), std::move(message)});
  }

  // A field name means one thing throughout a workflow, because values accumulate on the case.
  void CollectDeclaredFields() {
    auto collect = [&](const std::string& path, const std::vector<FieldSpec>& fields) {
      for (size_t i = 0; i < fields.size(); ++i) {
        const auto& f = fields[i];
        auto [it, inserted] = declared_.emplace(f.name, f.type);
        if (!inserted && it->second != f.type) {
          Add(Indexed(path, i) + ".type", "field " + Quoted(f.name) + " is declared as " +
                                              FieldTypeName(it->second) + " elsewhere");
        }
      }
    };
    collect("open.fields", def_.open.fields);
    for (size_t i = 0; i < def_.transitions.size(); ++i) {
      collect(Indexed("transitions", i) + ".fields", def_.transitions[i].fields);
    }
  }

  void CheckStates() {
    std::map<std::string, size_t> seen;
    std::vector<size_t> initials;
    for (size_t i = 0; i < def_.states.size(); ++i) {
      const auto& s = def_.states[i];
      const std::string path = Indexed("states", i);
      if (s.id.empty()) Add(path + ".id", "must not be empty");
      if (s.label.empty()) Add(path + ".label", "must not be empty");
      auto [it, inserted] = seen.emplace(s.id, i);
      if (!inserted) {
        Add(path + ".id", "duplicate state id " + Quoted(s.id) + " (first at " +
                              Indexed("states", it->second) + ")");
      }
      if (s.initial) initials.push_back(i);
      if (s.initial && s.terminal) Add(path, "the initial state cannot be terminal");
      if (s.terminal && s.deadline) Add(path + ".deadline", "a terminal state has no deadline");
      if (!s.terminal && !s.deadline) {
        Add(path + ".deadline", "non-terminal state " + Quoted(s.id) + " has no deadline");
      }
      if (s.deadline) CheckDeadline(path + ".deadline", *s.deadline);
    }
    if (def_.states.empty()) Add("states", "no states");
    if (initials.empty() && !def_.states.empty()) Add("states", "no initial state");
    for (size_t k = 1; k < initials.size(); ++k) {
      Add(Indexed("states", initials[k]) + ".initial",
          "a second initial state (the first is " + Indexed("states", initials[0]) + ")");
    }
  }

  void CheckDeadline(const std::string& path, const DeadlineSpec& d) {
    if (d.kind != DeadlineSpec::Kind::kFromField) {
      if (d.amount < 1) Add(path, "the duration must be at least 1");
      return;
    }
    for (const auto& f : def_.open.fields) {
      if (f.name == d.field && f.type == FieldType::kDate && f.required) return;
    }
    Add(path + ".from_field",
        "deadline field " + Quoted(d.field) + " must be a required date field of open.fields");
  }

  void CheckRoles(const std::string& path, const std::vector<std::string>& roles) {
    if (roles.empty()) Add(path, "must name at least one role");
    for (size_t i = 0; i < roles.size(); ++i) {
      if (!Contains(KnownRoles(), roles[i])) {
        Add(Indexed(path, i), "unknown role " + Quoted(roles[i]));
      }
    }
  }

  void CheckFields(const std::string& path, const std::vector<FieldSpec>& fields) {
    std::set<std::string> names;
    for (size_t i = 0; i < fields.size(); ++i) {
      const auto& f = fields[i];
      const std::string fpath = Indexed(path, i);
      if (f.name.empty()) Add(fpath + ".name", "must not be empty");
      if (f.label.empty()) Add(fpath + ".label", "must not be empty");
      if (!names.insert(f.name).second) Add(fpath + ".name", "duplicate field " + Quoted(f.name));
      if (f.type == FieldType::kEnum) {
        if (f.options.empty()) Add(fpath + ".options", "an enum field needs options");
        std::set<std::string> unique(f.options.begin(), f.options.end());
        if (unique.size() != f.options.size()) Add(fpath + ".options", "duplicate option");
        for (const auto& [value, label] : f.option_labels) {
          if (!unique.count(value)) {
            Add(fpath + ".option_labels." + value, "not one of the options");
          } else if (label.empty()) {
            Add(fpath + ".option_labels." + value, "must not be empty");
          }
        }
      } else if (!f.options.empty()) {
        Add(fpath + ".options", "only an enum field has options");
      } else if (!f.option_labels.empty()) {
        Add(fpath + ".option_labels", "only an enum field has option labels");
      }
      if (f.type == FieldType::kForum && f.workflow.empty()) {
        Add(fpath + ".workflow", "a forum field must name the target workflow");
      } else if (f.type != FieldType::kForum && !f.workflow.empty()) {
        Add(fpath + ".workflow", "only a forum field names a workflow");
      }
    }
  }

  void CheckGuards(const std::string& path, const std::vector<GuardCall>& guards,
                   const std::map<std::string, FieldType>& declared) {
    for (size_t i = 0; i < guards.size(); ++i) {
      const std::string gpath = Indexed(path, i);
      const GuardInfo* guard = FindGuard(guards[i].name);
      if (!guard) {
        Add(gpath + ".name", "unknown guard " + Quoted(guards[i].name));
        continue;
      }
      for (auto& p : guard->check_params(guards[i].params, declared)) {
        Add(gpath + "." + p.path, p.message);
      }
    }
  }

  void CheckTransitions() {
    std::map<std::pair<std::string, std::string>, size_t> rows;  // (from, action) -> index
    for (size_t i = 0; i < def_.transitions.size(); ++i) {
      const auto& t = def_.transitions[i];
      const std::string path = Indexed("transitions", i);
      if (t.action.empty()) Add(path + ".action", "must not be empty");
      if (t.action == kOpenAction || t.action == kEscalateAction || t.action == kReopenAction) {
        Add(path + ".action", Quoted(t.action) + " is reserved for the engine");
      }
      if (t.label.empty()) Add(path + ".label", "must not be empty");
      if (t.from.empty()) Add(path + ".from", "must name at least one state");
      for (size_t k = 0; k < t.from.size(); ++k) {
        const std::string fpath = t.from.size() == 1 ? path + ".from" : Indexed(path + ".from", k);
        const StateDef* s = def_.FindState(t.from[k]);
        if (!s) {
          broken_reference_ = true;
          Add(fpath, "unknown state " + Quoted(t.from[k]));
        } else if (s->terminal) {
          Add(fpath, "a transition out of terminal state " + Quoted(t.from[k]));
        }
        auto [it, inserted] = rows.emplace(std::make_pair(t.from[k], t.action), i);
        if (!inserted) {
          Add(path + ".action", "ambiguous: action " + Quoted(t.action) + " from state " +
                                    Quoted(t.from[k]) + " is also " +
                                    Indexed("transitions", it->second));
        }
      }
      if (t.to && !def_.FindState(*t.to)) {
        broken_reference_ = true;
        Add(path + ".to", "unknown state " + Quoted(*t.to));
      }
      CheckRoles(path + ".roles", t.roles);
      CheckFields(path + ".fields", t.fields);
      CheckGuards(path + ".guards", t.guards, declared_);
      if (t.referral) CheckReferral(path, t);
    }
  }

  void CheckReopen() {
    if (!def_.reopen) return;
    const ReopenDef& r = *def_.reopen;
    CheckRoles("reopen.roles", r.roles);
    if (r.label.empty()) Add("reopen.label", "must not be empty");
    const StateDef* to = def_.FindState(r.to);
    if (!to) {
      broken_reference_ = true;
      Add("reopen.to", "unknown state " + Quoted(r.to));
    } else if (to->terminal) {
      Add("reopen.to", "a reopened case must go to an open state, not terminal " + Quoted(r.to));
    }
  }

  // docs/domain.md rule 4. Whoever may take a confidential step must be able to read it, its
  // input must not leave the forum, and a field is confidential everywhere or nowhere (its
  // value is withheld from the case data by name).
  void CheckConfidentiality() {
    const auto& readers = def_.confidential_roles;
    for (size_t i = 0; i < readers.size(); ++i) {
      const std::string rpath = Indexed("confidential_roles", i);
      if (!Contains(KnownRoles(), readers[i])) Add(rpath, "unknown role " + Quoted(readers[i]));
      if (std::find(readers.begin(), readers.begin() + static_cast<std::ptrdiff_t>(i),
                    readers[i]) != readers.begin() + static_cast<std::ptrdiff_t>(i)) {
        Add(rpath, "duplicate role " + Quoted(readers[i]));
      }
    }
    std::map<std::string, std::string> open_fields;  // field -> where a non-confidential step sets it
    for (size_t k = 0; k < def_.open.fields.size(); ++k) {
      open_fields.emplace(def_.open.fields[k].name, Indexed("open.fields", k));
    }
    bool any = false;
    for (size_t i = 0; i < def_.transitions.size(); ++i) {
      const auto& t = def_.transitions[i];
      if (t.confidential) continue;
      for (size_t k = 0; k < t.fields.size(); ++k) {
        open_fields.emplace(t.fields[k].name, Indexed(Indexed("transitions", i) + ".fields", k));
      }
    }
    for (size_t i = 0; i < def_.transitions.size(); ++i) {
      const auto& t = def_.transitions[i];
      if (!t.confidential) continue;
      any = true;
      const std::string path = Indexed("transitions", i);
      if (readers.empty()) {
        Add(path + ".confidential", "a confidential transition needs the workflow's \"confidential_roles\"");
      } else {
        for (size_t k = 0; k < t.roles.size(); ++k) {
          if (!Contains(readers, t.roles[k])) {
            Add(Indexed(path + ".roles", k),
                Quoted(t.roles[k]) + " may take this confidential step but is not in confidential_roles");
          }
        }
      }
      if (t.referral) Add(path + ".referral", "a confidential step cannot pass its input to another forum");
      for (size_t k = 0; k < t.fields.size(); ++k) {
        if (auto it = open_fields.find(t.fields[k].name); it != open_fields.end()) {
          Add(Indexed(path + ".fields", k) + ".name",
              Quoted(t.fields[k].name) + " is confidential here but not at " + it->second);
        }
      }
    }
    if (!readers.empty() && !any) {
      Add("confidential_roles", "no transition is confidential");
    }
  }

  void CheckReferral(const std::string& path, const TransitionDef& t) {
    const ReferralSpec& r = *t.referral;
    auto field_type = [&](const std::string& name) -> std::optional<FieldType> {
      for (const auto& f : t.fields) {
        if (f.name == name) return f.type;
      }
      return std::nullopt;
    };
    if (field_type(r.forum_field) != FieldType::kForum) {
      Add(path + ".referral.forum_field",
          Quoted(r.forum_field) + " is not a forum field of this transition");
    }
    if (field_type(r.summary_field) != FieldType::kText) {
      Add(path + ".referral.summary_field",
          Quoted(r.summary_field) + " is not a text field of this transition");
    }
    if (!Contains(KnownLegalBases(), r.legal_basis)) {
      Add(path + ".referral.legal_basis", "unknown legal basis " + Quoted(r.legal_basis));
    }
  }

  // Reachability from the initial state, a way out of every non-terminal state, and a path
  // from every state to a terminal one (no case can be trapped forever).
  void CheckGraph() {
    const StateDef* initial = nullptr;
    for (const auto& s : def_.states) {
      if (s.initial) {
        initial = &s;
        break;
      }
    }
    const std::set<std::string> reachable =
        initial ? Reachable(def_, {initial->id}) : std::set<std::string>{};
    for (size_t i = 0; i < def_.states.size(); ++i) {
      const auto& s = def_.states[i];
      const std::string path = Indexed("states", i);
      if (initial && !reachable.count(s.id)) {
        Add(path, "state " + Quoted(s.id) + " is unreachable from the initial state");
      }
      if (s.terminal) continue;
      if (Successors(def_, s.id).empty()) {
        Add(path, "non-terminal state " + Quoted(s.id) + " has no transition out");
        continue;
      }
      auto onward = Reachable(def_, {s.id});
      bool ends = std::any_of(onward.begin(), onward.end(), [&](const std::string& id) {
        const StateDef* d = def_.FindState(id);
        return d && d->terminal;
      });
      if (!ends) Add(path, "no terminal state can be reached from " + Quoted(s.id));
    }
  }

  const WorkflowDefinition& def_;
  std::map<std::string, FieldType> declared_;
  std::vector<DefinitionProblem> problems_;
  bool broken_reference_ = false;
};

}  // namespace

std::vector<DefinitionProblem> Validate(const WorkflowDefinition& def) {
  return Validator(def).Run();
}

}  // namespace samspil
