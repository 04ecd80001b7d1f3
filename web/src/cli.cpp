#include "samspil/web/cli.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <map>
#include <set>

#include "demo_data.hpp"

namespace samspil {
namespace {

struct Args {
  std::map<std::string, std::string> options;  // "--db" -> value
  std::map<std::string, std::vector<std::string>> lists;  // repeatable options, in order
  std::set<std::string> flags;                 // "--admin"
  std::vector<std::string> positionals;

  std::string Get(const std::string& key, const std::string& fallback = "") const {
    auto it = options.find(key);
    return it == options.end() ? fallback : it->second;
  }
};

struct Command {
  std::string name;  // "agency add"
  std::string usage;
  std::vector<std::string> required;
  std::vector<std::string> optional;
  std::vector<std::string> flags;
  size_t positionals = 0;
  int (*run)(const Args&, CliDependencies&) = nullptr;
};

// A user error: one line on stderr, exit 1.
int Fail(CliDependencies& deps, const std::string& message) {
  deps.err << "samspil: " << message << "\n";
  return kExitUserError;
}

int Fail(CliDependencies& deps, const Error& error) { return Fail(deps, error.message); }

// The CLI operator, as the audit log records them.
AuditContext Operator() { return AuditContext{"", "", "cli", "local"}; }

// A one-shot command's database: one reading connection is all it uses.
Result<std::unique_ptr<Store>> OpenStore(const Args& args, CliDependencies& deps) {
  StoreOptions options;
  options.url = args.Get("--db", "sqlite:samspil.db");
  options.pool_size = 1;
  return deps.open_store(options);
}

std::string WorkflowsDir(const Args& args, const CliDependencies& deps) {
  return args.Get("--workflows", deps.default_workflows_dir);
}

// Loads and validates the definitions; prints every problem. nullopt if any.
std::optional<LoadedWorkflows> LoadWorkflows(const std::string& dir, CliDependencies& deps) {
  LoadedWorkflows loaded = LoadWorkflowDir(dir);
  if (loaded.problems.empty()) return loaded;
  for (const auto& p : loaded.problems) deps.err << p.ToString() << "\n";
  return std::nullopt;
}

int CheckWorkflows(const Args& args, CliDependencies& deps) {
  LoadedWorkflows loaded = LoadWorkflowDir(args.positionals.at(0));
  for (const auto& p : loaded.problems) deps.out << p.ToString() << "\n";
  if (!loaded.problems.empty()) return kExitUserError;
  deps.out << "ok " << loaded.by_id.size() << " workflows\n";
  return kExitOk;
}

int Migrate(const Args& args, CliDependencies& deps) {
  auto store = OpenStore(args, deps);  // Open migrates
  if (!store) return Fail(deps, store.error());
  auto applied = (*store)->AppliedMigrations();
  if (!applied) return Fail(deps, applied.error());
  deps.out << "schema up to date (" << applied->size() << " migrations)\n";
  return kExitOk;
}

int AgencyAdd(const Args& args, CliDependencies& deps) {
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  Agency agency{args.Get("--id"), args.Get("--name"), args.Get("--kind")};
  if (auto st = (*store)->AddAgency(agency, Operator(), deps.clock.Now()); !st) {
    return Fail(deps, st.error());
  }
  deps.out << "agency " << agency.id << " added\n";
  return kExitOk;
}

int ForumAdd(const Args& args, CliDependencies& deps) {
  auto workflows = LoadWorkflows(WorkflowsDir(args, deps), deps);
  if (!workflows) return Fail(deps, "the workflow definitions are invalid");
  const std::string workflow_id = args.Get("--workflow");
  auto it = workflows->by_id.find(workflow_id);
  if (it == workflows->by_id.end()) return Fail(deps, "unknown workflow \"" + workflow_id + "\"");
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  if (auto st = (*store)->RegisterWorkflow(it->second, workflows->source_by_id[workflow_id]); !st) {
    return Fail(deps, st.error());
  }
  Forum forum{args.Get("--id"), args.Get("--name"), workflow_id, args.Get("--municipality")};
  if (auto st = (*store)->AddForum(forum, Operator(), deps.clock.Now()); !st) {
    return Fail(deps, st.error());
  }
  deps.out << "forum " << forum.id << " added\n";
  return kExitOk;
}

int UserAdd(const Args& args, CliDependencies& deps) {
  std::string password;
  if (!std::getline(deps.in, password) || password.empty()) {
    return Fail(deps, "no password on standard input");
  }
  if (!password.empty() && password.back() == '\r') password.pop_back();
  if (password.size() < 8) return Fail(deps, "the password must have at least 8 characters");
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  User user{deps.ids.NewId("usr_"), args.Get("--username"), args.Get("--name"),
            args.Get("--agency"), args.flags.count("--admin") > 0};
  if (auto st = (*store)->AddUser(user, deps.hasher.Hash(password), Operator(), deps.clock.Now());
      !st) {
    return Fail(deps, st.error());
  }
  deps.out << "user " << user.username << " added\n";
  return kExitOk;
}

int MemberAdd(const Args& args, CliDependencies& deps) {
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  if (auto st = (*store)->AddMembership(args.Get("--forum"), args.Get("--username"),
                                        args.Get("--role"), Operator(), deps.clock.Now());
      !st) {
    return Fail(deps, st.error());
  }
  deps.out << args.Get("--username") << " is " << args.Get("--role") << " in "
           << args.Get("--forum") << "\n";
  return kExitOk;
}

int Escalate(const Args& args, CliDependencies& deps) {
  Timestamp at = deps.clock.Now();
  if (args.options.count("--at")) {
    auto parsed = ParseTimestamp(args.Get("--at"));
    if (!parsed) return Fail(deps, "--at: expected an RFC 3339 time, e.g. 2026-11-23T14:05:00Z");
    at = *parsed;
  }
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  auto count = (*store)->EscalateOverdue(at);
  if (!count) return Fail(deps, count.error());
  deps.out << "escalated " << *count << " cases\n";
  return kExitOk;
}

int AuditVerify(const Args& args, CliDependencies& deps) {
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  auto count = (*store)->VerifyAuditChain();
  if (!count) return Fail(deps, count.error());
  deps.out << "ok " << *count << " entries\n";
  return kExitOk;
}

// A citizen's access-log extract (GDPR art. 15): which agency read or changed their case,
// in which role, when. Tab-separated, one access per line; the export itself is logged.
int AuditExport(const Args& args, CliDependencies& deps) {
  auto birth = ParseDate(args.Get("--birth-date"));
  if (!birth) return Fail(deps, "--birth-date: expected YYYY-MM-DD");
  const std::string name = args.Get("--subject-name");
  if (name.empty()) return Fail(deps, "--subject-name must not be empty");
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  auto records = (*store)->AccessLogFor(Subject{name, *birth}, Operator(), deps.clock.Now());
  if (!records) return Fail(deps, records.error());
  deps.out << "at\tcase\tforum\tagency\tagency_kind\trole\taction\n";
  std::set<std::string> cases;
  for (const auto& r : *records) {
    cases.insert(r.case_id);
    deps.out << FormatTimestamp(r.at) << "\t" << r.case_id << "\t" << r.forum_name << "\t"
             << (r.agency_name.empty() ? "(system)" : r.agency_name) << "\t" << r.agency_kind
             << "\t" << r.role << "\t" << r.action << "\n";
  }
  deps.err << records->size() << " accesses to " << cases.size() << " cases\n";
  return kExitOk;
}

int SeedDemo(const Args& args, CliDependencies& deps) {
  auto workflows = LoadWorkflows(WorkflowsDir(args, deps), deps);
  if (!workflows) return Fail(deps, "the workflow definitions are invalid");
  auto store = OpenStore(args, deps);
  if (!store) return Fail(deps, store.error());
  auto summary = SeedDemoData(**store, *workflows, deps.hasher, deps.ids, deps.clock);
  if (!summary) return Fail(deps, summary.error());
  deps.out << summary->report;
  return kExitOk;
}

// A whole number option within [min, max]; `fallback` when it is not given.
Result<long> NumberOption(const Args& args, const std::string& name, long fallback, long min,
                          long max, const std::string& unit) {
  if (!args.options.count(name)) return fallback;
  const std::string text = args.Get(name);
  size_t used = 0;
  long value = 0;
  try {
    value = std::stol(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || value < min || value > max) {
    return MakeError(ErrorCode::kInvalidRequest, name + ": expected " + unit + " between " +
                                                     std::to_string(min) + " and " +
                                                     std::to_string(max));
  }
  return value;
}

int Serve(const Args& args, CliDependencies& deps) {
  auto workflows = LoadWorkflows(WorkflowsDir(args, deps), deps);
  if (!workflows) return Fail(deps, "the workflow definitions are invalid; not starting");
  ServerConfig config;
  config.host = args.Get("--host", "127.0.0.1");
  auto port = NumberOption(args, "--port", 8080, 0, 65535, "a number");
  if (!port) return Fail(deps, port.error());
  config.port = static_cast<std::uint16_t>(*port);
  auto scan = NumberOption(args, "--scan-interval", 60, 1, 86400, "seconds");
  if (!scan) return Fail(deps, scan.error());
  config.escalation_interval = std::chrono::seconds{*scan};
  auto threads = NumberOption(args, "--threads", 64, 1, 1024, "a number");
  if (!threads) return Fail(deps, threads.error());
  config.threads = static_cast<size_t>(*threads);
  auto max_connections = NumberOption(args, "--max-connections", 10000, 1, 1000000, "a number");
  if (!max_connections) return Fail(deps, max_connections.error());
  config.max_connections = static_cast<size_t>(*max_connections);
  for (auto [name, target] : {std::pair{"--header-timeout", &config.header_timeout},
                              std::pair{"--body-timeout", &config.body_timeout},
                              std::pair{"--idle-timeout", &config.idle_timeout}}) {
    auto seconds = NumberOption(
        args, name, std::chrono::duration_cast<std::chrono::seconds>(*target).count(), 1, 3600,
        "seconds");
    if (!seconds) return Fail(deps, seconds.error());
    *target = std::chrono::seconds{*seconds};
  }
  config.tls_cert = args.Get("--tls-cert");
  config.tls_key = args.Get("--tls-key");
  if (args.lists.count("--trusted-proxy")) config.trusted_proxies = args.lists.at("--trusted-proxy");
  config.metrics_public = args.flags.count("--metrics-public") > 0;
  StoreOptions options;
  options.url = args.Get("--db", "sqlite:samspil.db");
  auto pool_size = NumberOption(args, "--db-pool-size", static_cast<long>(options.pool_size), 1,
                                1000, "a number of connections");
  if (!pool_size) return Fail(deps, pool_size.error());
  options.pool_size = static_cast<size_t>(*pool_size);
  auto store = deps.open_store(options);
  if (!store) return Fail(deps, store.error());
  for (const auto& [id, def] : workflows->by_id) {
    if (auto st = (*store)->RegisterWorkflow(def, workflows->source_by_id[id]); !st) {
      return Fail(deps, st.error());
    }
  }
  return deps.run_server(config, **store, *workflows) ? kExitOk : kExitUserError;
}

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"serve",
       "serve [--db URL] [--host 127.0.0.1] [--port 8080] [--workflows DIR] "
       "[--scan-interval SECONDS] [--tls-cert FILE --tls-key FILE] [--trusted-proxy CIDR]... "
       "[--threads 64] [--max-connections 10000] [--header-timeout 10] [--body-timeout 30] "
       "[--idle-timeout 5] [--db-pool-size 16] [--metrics-public]",
       {},
       {"--db", "--host", "--port", "--workflows", "--scan-interval", "--tls-cert", "--tls-key",
        "--trusted-proxy", "--threads", "--max-connections", "--header-timeout", "--body-timeout",
        "--idle-timeout", "--db-pool-size"},
       {"--metrics-public"},
       0,
       Serve},
      {"migrate", "migrate [--db URL]", {}, {"--db"}, {}, 0, Migrate},
      {"seed-demo",
       "seed-demo [--db URL] [--workflows DIR]",
       {},
       {"--db", "--workflows"},
       {},
       0,
       SeedDemo},
      {"check-workflows", "check-workflows DIR", {}, {"--db"}, {}, 1, CheckWorkflows},
      {"agency add",
       "agency add --id ID --name NAME --kind KIND [--db URL]",
       {"--id", "--name", "--kind"},
       {"--db"},
       {},
       0,
       AgencyAdd},
      {"forum add",
       "forum add --id ID --name NAME --workflow WORKFLOW_ID [--municipality NAME] [--db URL] "
       "[--workflows DIR]",
       {"--id", "--name", "--workflow"},
       {"--municipality", "--db", "--workflows"},
       {},
       0,
       ForumAdd},
      {"user add",
       "user add --username U --name \"Display Name\" --agency AGENCY_ID --password-stdin "
       "[--admin] [--db URL]",
       {"--username", "--name", "--agency"},
       {"--db"},
       {"--password-stdin", "--admin"},
       0,
       UserAdd},
      {"member add",
       "member add --forum FORUM_ID --username U --role ROLE [--db URL]",
       {"--forum", "--username", "--role"},
       {"--db"},
       {},
       0,
       MemberAdd},
      {"escalate", "escalate [--db URL] [--at RFC3339]", {}, {"--db", "--at"}, {}, 0, Escalate},
      {"audit verify", "audit verify [--db URL]", {}, {"--db"}, {}, 0, AuditVerify},
      {"audit export", "audit export --subject-name NAME --birth-date YYYY-MM-DD [--db URL]",
       {"--subject-name", "--birth-date"}, {"--db"}, {}, 0, AuditExport},
  };
  return kCommands;
}

void PrintUsage(std::ostream& out) {
  out << "usage: samspil COMMAND [OPTIONS]\ncommands:\n";
  for (const auto& c : Commands()) out << "  samspil " << c.usage << "\n";
}

int UsageError(CliDependencies& deps, const std::string& message, const Command* command) {
  deps.err << "samspil: " << message << "\n";
  if (command) {
    deps.err << "usage: samspil " << command->usage << "\n";
  } else {
    PrintUsage(deps.err);
  }
  return kExitUsage;
}

bool Contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

int RunCommandLine(const std::vector<std::string>& args, CliDependencies& deps) {
  if (args.empty() || args[0] == "--help" || args[0] == "help" || args[0] == "-h") {
    PrintUsage(args.empty() ? deps.err : deps.out);
    return args.empty() ? kExitUsage : kExitOk;
  }
  const Command* command = nullptr;
  size_t next = 1;
  for (const auto& c : Commands()) {
    if (c.name == args[0]) command = &c;
    if (args.size() > 1 && c.name == args[0] + " " + args[1]) {
      command = &c;
      next = 2;
    }
  }
  if (!command) return UsageError(deps, "unknown command \"" + args[0] + "\"", nullptr);

  Args parsed;
  for (size_t i = next; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0) {
      parsed.positionals.push_back(a);
    } else if (Contains(command->flags, a)) {
      parsed.flags.insert(a);
    } else if (Contains(command->required, a) || Contains(command->optional, a)) {
      if (i + 1 >= args.size()) return UsageError(deps, a + " needs a value", command);
      if (a == "--trusted-proxy") {  // the one option that may be given more than once
        parsed.lists[a].push_back(args[++i]);
        continue;
      }
      if (parsed.options.count(a)) return UsageError(deps, a + " given twice", command);
      parsed.options[a] = args[++i];
    } else {
      return UsageError(deps, "unknown option " + a, command);
    }
  }
  for (const auto& r : command->required) {
    if (!parsed.options.count(r)) return UsageError(deps, "missing " + r, command);
  }
  if (command->name == "user add" && !parsed.flags.count("--password-stdin")) {
    return UsageError(deps, "missing --password-stdin", command);
  }
  if (parsed.positionals.size() != command->positionals) {
    return UsageError(deps, "wrong number of arguments", command);
  }
  try {
    return command->run(parsed, deps);
  } catch (const std::exception& e) {
    // Library exceptions are caught in the adapters; this is the last line of defence.
    spdlog::error("command {} failed: {}", command->name, e.what());
    return Fail(deps, "internal error");
  }
}

}  // namespace samspil
