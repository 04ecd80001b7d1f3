// The Database port: migrations, liveness and readiness.
#include <soci/soci.h>
#include <spdlog/spdlog.h>

#include "migrations.hpp"
#include "soci_ports.hpp"
#include "sql/statements.hpp"
#include "sql/store_core.hpp"

namespace samspil::store_impl {

using soci::into;
using soci::use;

Result<int> SociDatabase::Migrate() {
  return core_.Guarded("migrate", [&]() -> Result<int> {
    soci::session sql(core_.pool());
    // Before the writer starts (Store::Open), so a transaction of its own, opened like the
    // writer's (the same lock).
    ScopedWriteTransaction tx(sql, core_.sqlite());
    sql << sql::kCreateSchemaMigrations;
    long long current = 0;
    soci::indicator ind;
    sql << sql::kSchemaVersion, into(current, ind);
    if (ind != soci::i_ok) current = 0;
    int applied = 0;
    const auto& migrations = core_.sqlite() ? SqliteMigrations() : PostgresqlMigrations();
    for (const auto& m : migrations) {
      if (m.version <= current) continue;
      for (const auto& statement : m.statements) sql << statement;
      const long long version = m.version;
      const std::string now = FormatTimestamp(NowForRecords());
      sql << sql::kInsertMigration, use(version), use(m.name), use(now);
      ++applied;
    }
    tx.Commit();
    if (applied) spdlog::info("applied {} schema migrations", applied);
    return applied;
  });
}

Result<std::vector<std::string>> SociDatabase::AppliedMigrations() {
  return core_.Guarded("migrations", [&]() -> Result<std::vector<std::string>> {
    soci::session sql(core_.pool());
    std::vector<std::string> out;
    long long version = 0;
    std::string name;
    soci::statement st = (sql.prepare << sql::kAppliedMigrations, into(version), into(name));
    st.execute();
    while (st.fetch()) out.push_back(std::to_string(version) + " " + name);
    return out;
  });
}

Status SociDatabase::Ping() {
  return core_.Guarded("ping", [&]() -> Status {
    soci::session sql(core_.pool());
    int one = 0;
    sql << sql::kPing, into(one);
    return {};
  });
}

Status SociDatabase::Ready() {
  Health& health = core_.health();
  if (core_.sqlite() && !health.FileGone() && !core_.file_watch().Unchanged()) {
    health.MarkFileGone();
  }
  if (health.FileGone()) return FileGoneError();
  if (health.Corrupt()) {
    return MakeError(ErrorCode::kUnavailable, "database unavailable (damaged pages)");
  }
  // Pages that cannot be copied back pile up in the WAL until the disk is full.
  if (health.IsFailing(Health::kCheckpoints)) {
    return MakeError(ErrorCode::kUnavailable, "database unavailable (checkpoints fail)");
  }
  return core_.Write("readiness probe", [&](soci::session& sql) -> Status {
    sql << sql::kProbeWrite;
    return {};
  });
}

}  // namespace samspil::store_impl
