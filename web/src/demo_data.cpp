#include "demo_data.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "samspil/adapters/case_service.hpp"
#include "samspil/workflow_graph.hpp"

namespace samspil {
namespace {

struct District {
  std::string key;  // "mvj", "nord"
  std::string police_name;
  std::string region_id, region_name;
  std::vector<std::string> municipalities;
  // workflow id -> the municipality (or "" for district-wide) of its demo forum
  std::vector<std::pair<std::string, std::string>> fora;
};

const std::vector<District>& Districts() {
  static const std::vector<District> kDistricts = {
      {"mvj",
       "Midt- og Vestjyllands Politi",
       "region-midt",
       "Region Midtjylland",
       {"Herning", "Holstebro", "Ikast-Brande", "Lemvig", "Morsø", "Ringkøbing-Skjern", "Silkeborg",
        "Skive", "Struer", "Thisted", "Viborg"},
       {{"ssp", "Herning"},
        {"psp", "Holstebro"},
        {"ksp", "Viborg"},
        {"konfliktraad", ""},
        {"ukn", ""},
        {"ssp-plus", "Silkeborg"}}},
      {"nord",
       "Nordjyllands Politi",
       "region-nord",
       "Region Nordjylland",
       {"Frederikshavn", "Læsø", "Hjørring", "Brønderslev", "Jammerbugt", "Vesthimmerland",
        "Rebild", "Mariagerfjord", "Aalborg"},
       {{"ssp", "Aalborg"},
        {"psp", "Aalborg"},
        {"ksp", "Hjørring"},
        {"konfliktraad", ""},
        {"ukn", ""},
        {"ssp-plus", "Frederikshavn"}}},
  };
  return kDistricts;
}

// Invented people, one per role and district.
struct DemoPerson {
  std::string role;
  std::string mvj_name, nord_name;
};

const std::vector<DemoPerson>& People() {
  static const std::vector<DemoPerson> kPeople = {
      {"forebyggelsesbetjent", "Jonas Kragh Holm", "Line Bech Thygesen"},
      {"socialraadgiver", "Maja Stenholt Krogh", "Rasmus Vinding Aagaard"},
      {"skole", "Henrik Toft Kjærsgaard", "Camilla Brink Vestergaard"},
      {"psykiatri", "Sofie Lykke Damgaard", "Anders Holm Kjeldsen"},
      {"kriminalforsorg", "Peter Munk Vilstrup", "Mette Rask Overgaard"},
      {"koordinator", "Signe Fjord Ulstrup", "Thomas Lund Bakgaard"},
      {"maegler", "Kirsten Ravn Uldall", "Bo Hedegaard Winther"},
      {"naevn", "Mads Kvist Mørup", "Anne Sig Thorsager"},
  };
  return kPeople;
}

const std::vector<std::string>& SubjectNames() {
  static const std::vector<std::string> kNames = {
      "Emil Testesen",   "Freja Demosen",     "Noah Prøvesen",   "Alma Eksempel",
      "Oscar Fiktivsen", "Ella Opdigtet",     "Malthe Skinsen",  "Clara Attrapsen",
      "Viktor Modelsen", "Karla Prototypsen", "Aksel Skitsesen", "Agnes Udkastsen"};
  return kNames;
}

std::string Slug(const std::string& name) {
  std::string out;
  for (size_t i = 0; i < name.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(name[i]);
    if (c == 0xC3 && i + 1 < name.size()) {  // æ ø å Æ Ø Å in UTF-8
      unsigned char d = static_cast<unsigned char>(name[++i]);
      out += (d == 0xA6 || d == 0x86) ? "ae" : (d == 0xB8 || d == 0x98) ? "oe" : "aa";
    } else if (std::isalnum(c)) {
      out += static_cast<char>(std::tolower(c));
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  return out;
}

std::string AgencyFor(const std::string& role, const District& d) {
  if (role == "forebyggelsesbetjent" || role == "maegler" || role == "koordinator") {
    return "politi-" + d.key;
  }
  if (role == "psykiatri") return d.region_id;
  if (role == "kriminalforsorg") return "kriminalforsorgen";
  if (role == "naevn") return "domstol-" + d.key;
  return "kommune-" + Slug(d.fora.front().second);  // socialraadgiver, skole
}

class Seeder {
 public:
  Seeder(Store& store, const LoadedWorkflows& workflows, const PasswordHasher& hasher,
         IdSource& ids, const Clock& clock)
      : store_(store),
        workflows_(workflows),
        hasher_(hasher),
        ids_(ids),
        clock_(clock),
        now_(clock.Now()),
        step_time_(now_) {}

  Result<DemoSummary> Run() {
    auto count = store_.CountCases();
    if (!count) return count.error();
    if (*count > 0) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "the database already holds cases; seed-demo fills only an empty one");
    }
    for (const auto& [id, def] : workflows_.by_id) {
      if (auto st = store_.RegisterWorkflow(def, workflows_.source_by_id.at(id)); !st) {
        return st.error();
      }
    }
    if (auto st = Organisations(); !st) return st.error();
    if (auto st = UsersAndMemberships(); !st) return st.error();
    if (auto st = Cases(); !st) return st.error();
    auto escalated = store_.EscalateOverdue(now_);
    if (!escalated) return escalated.error();
    summary_.report = Report(*escalated);
    return summary_;
  }

 private:
  Status Organisations() {
    const AuditContext who{"", "", "seed-demo", "local"};
    std::vector<Agency> agencies = {{"kriminalforsorgen", "Kriminalforsorgen", "kriminalforsorg"}};
    for (const auto& d : Districts()) {
      agencies.push_back({"politi-" + d.key, d.police_name, "politi"});
      agencies.push_back({d.region_id, d.region_name, "region"});
      agencies.push_back({"domstol-" + d.key,
                          d.key == "mvj" ? "Retten i Herning" : "Retten i Aalborg", "domstol"});
      for (const auto& m : d.municipalities) {
        agencies.push_back({"kommune-" + Slug(m), m + " Kommune", "kommune"});
      }
    }
    for (const auto& a : agencies) {
      if (auto st = store_.AddAgency(a, who, now_); !st) return st;
    }
    for (const auto& d : Districts()) {
      for (const auto& [workflow, municipality] : d.fora) {
        auto def = workflows_.by_id.find(workflow);
        if (def == workflows_.by_id.end()) continue;
        const std::string where = municipality.empty() ? d.police_name : municipality;
        Forum f{workflow + "-" + (municipality.empty() ? d.key : Slug(municipality)),
                ForumTitle(workflow) + " " + where, workflow, municipality};
        if (auto st = store_.AddForum(f, who, now_); !st) return st;
        fora_by_district_[d.key].push_back(f);
        ++summary_.fora;
      }
    }
    return {};
  }

  static std::string ForumTitle(const std::string& workflow) {
    if (workflow == "ssp") return "SSP";
    if (workflow == "ssp-plus") return "SSP+";
    if (workflow == "psp") return "PSP";
    if (workflow == "ksp") return "KSP";
    if (workflow == "konfliktraad") return "Konfliktråd";
    if (workflow == "ukn") return "Ungdomskriminalitetsnævnet";
    return workflow;
  }

  Status UsersAndMemberships() {
    const AuditContext who{"", "", "seed-demo", "local"};
    const std::string admin_id = ids_.NewId("usr_");
    if (auto st = store_.AddUser({admin_id, "admin", "Demo Administrator", "politi-mvj", true},
                                 hasher_.Hash(kDemoPassword), who, now_);
        !st) {
      return st;
    }
    logins_.push_back({"admin", "administrator (manages users and fora, reads no cases)"});
    for (const auto& d : Districts()) {
      for (const auto& p : People()) {
        const std::string username = p.role + "." + d.key;
        User u{ids_.NewId("usr_"), username, d.key == "mvj" ? p.mvj_name : p.nord_name,
               AgencyFor(p.role, d), false};
        if (auto st = store_.AddUser(u, hasher_.Hash(kDemoPassword), who, now_); !st) return st;
        ++summary_.users;
        std::string where;
        for (const auto& f : fora_by_district_[d.key]) {
          if (!UsesRole(workflows_.by_id.at(f.workflow_id), p.role)) continue;
          if (auto st = store_.AddMembership(f.id, username, p.role, who, now_); !st) return st;
          where += (where.empty() ? "" : ", ") + f.id;
        }
        logins_.push_back({username, p.role + " in " + (where.empty() ? "-" : where)});
        auto actor = store_.LoadActor(u.id);
        if (!actor) return actor.error();
        actors_[d.key].push_back(*actor);
      }
    }
    return {};
  }

  static bool UsesRole(const WorkflowDefinition& def, const std::string& role) {
    auto has = [&](const std::vector<std::string>& roles) {
      return std::find(roles.begin(), roles.end(), role) != roles.end();
    };
    if (has(def.open.roles)) return true;
    return std::any_of(def.transitions.begin(), def.transitions.end(),
                       [&](const TransitionDef& t) { return has(t.roles); });
  }

  const Actor* ActorWithRole(const std::string& district, const std::string& forum,
                             const std::vector<std::string>& roles) {
    for (const auto& role : roles) {
      for (const auto& a : actors_[district]) {
        if (a.RolesIn(forum).count(role)) return &a;
      }
    }
    return nullptr;
  }

  // Input that passes the step: every boolean true, the first enum option, and dates in the
  // future except those a date_not_in_future guard of the step wants in the past.
  Data InputFor(const std::vector<FieldSpec>& fields, const std::vector<GuardCall>& guards,
                const std::string& district) {
    std::set<std::string> past_fields;
    for (const auto& g : guards) {
      auto field = g.params.find("field");
      if (g.name == "date_not_in_future" && field != g.params.end() && AsString(field->second)) {
        past_fields.insert(*AsString(field->second));
      }
    }
    Data data;
    for (const auto& f : fields) {
      const bool past_dates = past_fields.count(f.name) > 0;
      switch (f.type) {
        case FieldType::kBoolean:
          data[f.name] = true;
          break;
        case FieldType::kDate:
          data[f.name] = FormatDate(DateOf(step_time_) + std::chrono::days{past_dates ? -1 : 150});
          break;
        case FieldType::kEnum:
          data[f.name] = f.options.front();
          break;
        case FieldType::kString:
          data[f.name] = std::string("Demo: ") + f.label;
          break;
        case FieldType::kText:
          data[f.name] = std::string("Fiktiv demotekst til feltet \"") + f.label + "\".";
          break;
        case FieldType::kForum:
          for (const auto& forum : fora_by_district_[district]) {
            if (forum.workflow_id == f.workflow) data[f.name] = forum.id;
          }
          break;
      }
    }
    return data;
  }

  // Opens a case with a subject whose age satisfies the opening guards.
  Result<Case> OpenDemoCase(CaseService& service, const Forum& forum, const std::string& district,
                            Timestamp at) {
    const auto& def = workflows_.by_id.at(forum.workflow_id);
    const Actor* actor = ActorWithRole(district, forum.id, def.open.roles);
    if (!actor) return MakeError(ErrorCode::kInternal, "no demo user may open in " + forum.id);
    OpenCommand command;
    command.subject.name = SubjectNames()[name_index_++ % SubjectNames().size()];
    command.summary = "Fiktiv henvisning oprettet af seed-demo. Ingen rigtige personer.";
    command.data = InputFor(def.open.fields, def.open.guards, district);
    Result<Case> opened = MakeError(ErrorCode::kInternal, "no age fits");
    for (int age : {34, 15, 20, 12}) {
      command.subject.birth_date = DateOf(at) - std::chrono::days{age * 365 + 100};
      opened = service.OpenCase(*actor, forum.id, command,
                                AuditContext{actor->id, actor->agency_id, "", "seed-demo"});
      if (opened || opened.error().code != ErrorCode::kGuardFailed) break;
    }
    return opened;
  }

  Status Cases() {
    FixedClock clock(now_);
    for (const auto& d : Districts()) {
      CaseService service(store_, workflows_.by_id, clock, ids_);
      int n = 0;
      for (const auto& forum : fora_by_district_[d.key]) {
        const auto& def = workflows_.by_id.at(forum.workflow_id);
        // A case in every state, each taken the shortest way there; referral rows are left
        // out (MaybeRefer takes one per forum).
        const auto no_referral = [](const TransitionDef& t) { return !t.referral; };
        for (const auto& [state, path] : ShortestPaths(def, def.InitialState().id, no_referral)) {
          // Spread the openings over the last six weeks, so some cases are overdue.
          const Timestamp at = now_ - std::chrono::days{(n++ % 7) * 6};
          clock.Set(at);
          step_time_ = at;
          auto c = OpenDemoCase(service, forum, d.key, at);
          if (!c) return c.error();
          for (const TransitionDef* t : path) {
            const Actor* actor = ActorWithRole(d.key, forum.id, t->roles);
            if (!actor) return MakeError(ErrorCode::kInternal, "no demo user for " + t->action);
            const AuditContext who{actor->id, actor->agency_id, "", "seed-demo"};
            TransitionCommand command{t->action, c->version, "Demo: " + t->label,
                                      InputFor(t->fields, t->guards, d.key)};
            c = service.Transition(*actor, c->id, command, who);
            if (!c) {
              return MakeError(c.error().code, "demo case in " + forum.id + ", action " +
                                                   t->action + ": " + c.error().message);
            }
          }
          ++summary_.cases;
          if (auto st = MaybeRefer(service, def, *c, forum, d.key); !st) return st;
        }
      }
    }
    return {};
  }

  // The first time a referral action is possible in a forum, take it: the demo shows links.
  Status MaybeRefer(CaseService& service, const WorkflowDefinition& def, const Case& c,
                    const Forum& forum, const std::string& district) {
    if (referred_from_.count(forum.id)) return {};
    for (const auto& t : def.transitions) {
      if (!t.referral || std::find(t.from.begin(), t.from.end(), c.state) == t.from.end()) continue;
      const Actor* actor = ActorWithRole(district, forum.id, t.roles);
      if (!actor) continue;
      TransitionCommand command{t.action, c.version, "Demo: " + t.label,
                                InputFor(t.fields, t.guards, district)};
      auto referred = service.Transition(
          *actor, c.id, command, AuditContext{actor->id, actor->agency_id, "", "seed-demo"});
      if (!referred && referred.error().code != ErrorCode::kGuardFailed) {
        return MakeError(referred.error().code,
                         "demo referral from " + forum.id + ": " + referred.error().message);
      }
      if (referred) {
        referred_from_.insert(forum.id);
        ++summary_.cases;
        return {};
      }
    }
    return {};
  }

  std::string Report(int escalated) const {
    std::ostringstream out;
    out << "Demo data created: " << summary_.fora << " fora, " << summary_.users + 1 << " users, "
        << summary_.cases << " cases (" << escalated << " past their deadline, "
        << "escalated).\n"
        << "Every person is fictional. Demo logins, all with the password \"" << kDemoPassword
        << "\":\n";
    for (const auto& [username, what] : logins_) {
      out << "  " << username << std::string(username.size() < 28 ? 28 - username.size() : 1, ' ')
          << what << "\n";
    }
    return out.str();
  }

  Store& store_;
  const LoadedWorkflows& workflows_;
  const PasswordHasher& hasher_;
  IdSource& ids_;
  const Clock& clock_;
  Timestamp now_;
  Timestamp step_time_;  // the (fixed) time at which the current demo case is worked on
  DemoSummary summary_;
  std::map<std::string, std::vector<Forum>> fora_by_district_;
  std::map<std::string, std::vector<Actor>> actors_;
  std::vector<std::pair<std::string, std::string>> logins_;
  std::set<std::string> referred_from_;
  size_t name_index_ = 0;
};

}  // namespace

Result<DemoSummary> SeedDemoData(Store& store, const LoadedWorkflows& workflows,
                                 const PasswordHasher& hasher, IdSource& ids, const Clock& clock) {
  return Seeder(store, workflows, hasher, ids, clock).Run();
}

}  // namespace samspil
