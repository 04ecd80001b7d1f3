// The database itself, apart from what it stores: where it is (DatabaseUrl), its schema
// (numbered migrations per dialect) and whether it can serve now (Ping, Ready).
//
// Atomicity: Migrate applies all pending migrations in one transaction, or none.
//
// Errors: kInvalidRequest from ParseDatabaseUrl for a URL it does not understand;
// kUnavailable when the database cannot be reached or cannot write right now, kInternal
// for anything else.
//
// Thread-safety: may be called from many threads at once.
#pragma once

#include <string>
#include <vector>

#include "samspil/error.hpp"

namespace samspil {

// Parsed --db URL: "sqlite:PATH", "postgresql://user:pass@host:port/db" or a libpq
// "key=value ..." string.
struct DatabaseUrl {
  enum class Kind { kSqlite, kPostgresql };
  Kind kind = Kind::kSqlite;
  std::string target;  // the SQLite path, or the PostgreSQL connection string
};
Result<DatabaseUrl> ParseDatabaseUrl(const std::string& url);

class Database {
 public:
  virtual ~Database() = default;

  // Applies pending migrations; returns how many were applied (0 when up to date).
  virtual Result<int> Migrate() = 0;
  virtual Result<std::vector<std::string>> AppliedMigrations() = 0;
  // Liveness: the database answers a query.
  virtual Status Ping() = 0;
  // Readiness: a write can be committed now. Commits a write of no data (a counter row)
  // through the writer, as part of its next batch, exactly as a real change would be; on
  // SQLite it first checks that the file this store opened is still the file at its path.
  // kUnavailable when it cannot (the file is deleted or replaced, the disk is full, an I/O
  // error, the lock is held past the busy timeout, PostgreSQL is unreachable, or
  // checkpoints fail), kInternal for anything else. Waits at most as long as a write does.
  //
  // What it reports, every write sees too: while the database cannot keep a change, every
  // change fails with kUnavailable and nothing is acknowledged. A store whose SQLite file
  // was deleted or replaced stays unavailable until the process reopens it (restart): the
  // opened file is no longer what anyone will read. Every other condition clears by itself
  // once a write commits again (disk space freed, the lock released, the server back).
  // The first failure and the recovery are logged once each.
  virtual Status Ready() = 0;
};

}  // namespace samspil
