// The `samspil` command line (docs/api.md §1): parsing, dispatch and the exit codes
// 0 success, 1 user error (one line on stderr), 2 bad usage. The commands run against what
// they are given: main() builds the ports, the store and the server.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"
#include "samspil/web/http_server.hpp"

namespace samspil {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUserError = 1;
inline constexpr int kExitUsage = 2;

// What the commands need from outside; main() builds the real ones, tests may fake them.
struct CliDependencies {
  Clock& clock;
  IdSource& ids;
  PasswordHasher& hasher;
  std::istream& in;
  std::ostream& out;
  std::ostream& err;
  std::string default_workflows_dir;  // used when --workflows is not given
  // Opens (and migrates) the database a command works on, from the options the command has
  // parsed. Called only once a command's own arguments are checked, so a usage or input
  // error opens no database.
  std::function<Result<std::unique_ptr<Store>>(const StoreOptions&)> open_store;
  // `serve`, once the options are checked, the definitions loaded and registered in the
  // store: builds the server around the store and serves until SIGINT or SIGTERM. False if
  // it could not start.
  std::function<bool(const ServerConfig&, Store&, const LoadedWorkflows&)> run_server;
};

int RunCommandLine(const std::vector<std::string>& args, CliDependencies& deps);

}  // namespace samspil
