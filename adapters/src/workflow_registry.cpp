// The WorkflowRegistry port: definition versions, stored with their source, parsed once.
#include <soci/soci.h>

#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/workflow_loader.hpp"
#include "soci_ports.hpp"
#include "sql/statements.hpp"
#include "sql/store_core.hpp"

namespace samspil::store_impl {

using soci::into;
using soci::use;

Status SociWorkflowRegistry::RegisterWorkflow(const WorkflowDefinition& def,
                                              const std::string& source) {
  return core_.Write("register workflow", [&](soci::session& sql) -> Status {
    const std::string sha = Sha256Hex(source);
    const long long version = def.version;
    std::string stored;
    soci::indicator ind = soci::i_null;
    sql << sql::kWorkflowSha, use(def.id), use(version), into(stored, ind);
    if (sql.got_data() && ind == soci::i_ok) {
      if (stored != sha) {
        return MakeError(ErrorCode::kInvalidDefinition,
                         "workflow \"" + def.id + "\" version " + std::to_string(def.version) +
                             " is already in use with different content: raise its \"version\"");
      }
      return {};
    }
    const std::string now = FormatTimestamp(NowForRecords());
    sql << sql::kInsertWorkflowVersion, use(def.id), use(version), use(source), use(sha),
        use(now);
    return {};
  });
}

Result<std::shared_ptr<const WorkflowDefinition>> SociWorkflowRegistry::PinnedWorkflow(
    const std::string& id, std::int64_t version) {
  const auto key = std::make_pair(id, version);
  {
    std::lock_guard lock(definitions_mutex_);
    if (auto it = definitions_.find(key); it != definitions_.end()) return it->second;
  }
  auto parsed = core_.Guarded("pinned workflow", [&]() -> Result<WorkflowDefinition> {
    soci::session sql(core_.pool());
    std::string source;
    const long long v = version;
    sql << sql::kWorkflowSource, use(id), use(v), into(source);
    if (!sql.got_data()) {
      return MakeError(ErrorCode::kInternal, "workflow " + id + " version " +
                                                 std::to_string(version) + " is not registered");
    }
    std::vector<LoadProblem> problems;
    auto def = ParseWorkflow(source, id + ".json (stored)", problems);
    if (!def)
      return MakeError(ErrorCode::kInternal,
                       problems.empty() ? def.error().message : problems[0].ToString());
    return def;
  });
  if (!parsed) return parsed.error();
  // A registered (id, version) never changes (RegisterWorkflow), so this never goes stale.
  auto def = std::make_shared<const WorkflowDefinition>(std::move(*parsed));
  std::lock_guard lock(definitions_mutex_);
  return definitions_.emplace(key, std::move(def)).first->second;
}

}  // namespace samspil::store_impl
