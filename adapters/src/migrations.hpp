// Numbered schema migrations per SQL dialect. A migration, once released, never changes:
// a new schema step is a new number. Applied migrations are recorded in schema_migrations.
#pragma once

#include <string>
#include <vector>

namespace samspil {

struct Migration {
  int version;
  std::string name;
  std::vector<std::string> statements;
};

const std::vector<Migration>& SqliteMigrations();
const std::vector<Migration>& PostgresqlMigrations();

}  // namespace samspil
