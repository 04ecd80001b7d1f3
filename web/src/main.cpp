// samspil: the one place where every dependency is built and wired.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/web/cli.hpp"

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

  samspil::SystemClock clock;
  samspil::RandomIdSource ids;
  samspil::Pbkdf2PasswordHasher hasher;
  samspil::CliDependencies deps{
      clock, ids, hasher, std::cin, std::cout, std::cerr, SAMSPIL_DEFAULT_WORKFLOWS_DIR};
  return samspil::RunCommandLine(args, deps);
}
