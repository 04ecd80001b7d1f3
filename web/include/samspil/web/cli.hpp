// The `samspil` command line (contract.md §1): parsing, dispatch and the exit codes
// 0 success, 1 user error (one line on stderr), 2 bad usage.
#pragma once

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"

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
};

int RunCommandLine(const std::vector<std::string>& args, CliDependencies& deps);

}  // namespace samspil
