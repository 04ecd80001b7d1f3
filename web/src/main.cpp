// samspil: the one place where every dependency is built and wired. Each part is handed to
// the next by constructor; nothing is looked up from a registry or a global.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "samspil/adapters/case_service.hpp"
#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/web/api.hpp"
#include "samspil/web/cli.hpp"
#include "samspil/web/http_server.hpp"
#include "samspil/web/metrics.hpp"

#ifndef SAMSPIL_DEFAULT_WORKFLOWS_DIR
#define SAMSPIL_DEFAULT_WORKFLOWS_DIR "workflows"
#endif

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Logs go to stderr and carry ids and codes only. A one-shot command prints its own
  // one-line errors, so it logs only warnings; the server logs from "info".
  auto logger = spdlog::stderr_color_mt("samspil");
  spdlog::set_default_logger(logger);
  const bool serving = !args.empty() && args[0] == "serve";
  spdlog::set_level(serving ? spdlog::level::info : spdlog::level::critical);
  if (const char* level = std::getenv("SAMSPIL_LOG_LEVEL")) {
    spdlog::set_level(spdlog::level::from_str(level));
  }

  // The engine's ports, one each for the process.
  samspil::SystemClock clock;
  samspil::RandomIdSource ids;
  samspil::Pbkdf2PasswordHasher hasher;

  // Every command's database, from the options the command parsed (--db; serve's pool size).
  auto open_store = [](const samspil::StoreOptions& options) {
    return samspil::Store::Open(options);
  };

  // `samspil serve`: the command line has checked the options, loaded the definitions and
  // registered them in the store; the rest of the server is built here.
  auto run_server = [&](const samspil::ServerConfig& config, samspil::Store& store,
                        const samspil::LoadedWorkflows& workflows) {
    samspil::BlockShutdownSignals();  // before any of the server's threads starts
    samspil::CaseService cases(store, workflows.by_id, clock, ids);
    samspil::Metrics metrics;
    samspil::AuthPolicy policy;
    policy.metrics_loopback_only = !config.metrics_public;
    samspil::Api api(store, cases, hasher, clock, metrics, policy);
    samspil::HttpServer server(config, api, store, clock, metrics);
    return server.ServeUntilSignal();
  };

  samspil::CliDependencies deps{clock,     ids,       hasher,
                                std::cin,  std::cout, std::cerr,
                                SAMSPIL_DEFAULT_WORKFLOWS_DIR, open_store, run_server};
  return samspil::RunCommandLine(args, deps);
}
