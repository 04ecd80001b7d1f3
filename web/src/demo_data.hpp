// Fictional demo data for a newcomer: both police districts of docs/domain.md, users of every
// role, and cases in every state of every loaded workflow, each brought there through the
// engine so its history is real. Every person is invented.
#pragma once

#include <string>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"

namespace samspil {

inline constexpr const char* kDemoPassword = "samspil-demo";

struct DemoSummary {
  int users = 0;
  int fora = 0;
  int cases = 0;
  std::string report;  // what seed-demo prints: the logins and what was created
};

// Refuses (kInvalidRequest) a database that already holds cases.
Result<DemoSummary> SeedDemoData(Store& store, const LoadedWorkflows& workflows,
                                 const PasswordHasher& hasher, IdSource& ids, const Clock& clock);

}  // namespace samspil
