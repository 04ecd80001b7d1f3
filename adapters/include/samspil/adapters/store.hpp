// Durable state through SOCI: SQLite (embedded default) or PostgreSQL, chosen by URL.
//
// A Store is every port at once, over one database: the cases (case_store.hpp), the
// directory of agencies, fora and users (directory.hpp), login sessions
// (session_store.hpp), the hash-chained audit log (audit_log.hpp), the registry of pinned
// workflow versions (workflow_registry.hpp) and the database's own lifecycle
// (database.hpp). Each port's header states what its methods promise; a caller that needs
// one of them takes that port.
//
// Every change, through whichever port, is one transaction together with its audit entry,
// committed by the store's one writer; nothing is acknowledged before it is durable.
//
// Thread-safety: a Store may be used from many threads; it keeps a pool of sessions.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "samspil/adapters/audit_log.hpp"
#include "samspil/adapters/case_store.hpp"
#include "samspil/adapters/database.hpp"
#include "samspil/adapters/directory.hpp"
#include "samspil/adapters/session_store.hpp"
#include "samspil/adapters/workflow_registry.hpp"
#include "samspil/error.hpp"

namespace samspil {

struct StoreOptions {
  std::string url = "sqlite:samspil.db";
  // Reading sessions (connections), shared by the request threads; the writer has one more
  // (and SQLite's checkpointer another). 16 lets four server processes share a PostgreSQL
  // with its default max_connections = 100: 4 x (16 + 1) = 68, leaving room for the CLI
  // and an operator's psql.
  size_t pool_size = 16;
  std::string sqlite_synchronous = "FULL";  // FULL: an acknowledged commit survives a power cut
  int busy_timeout_ms = 10000;              // how long a writer waits for SQLite's write lock
  // SQLite: when the WAL's log grows past this size, the checkpointer restarts it from its
  // beginning (a RESTART checkpoint), even if readers never pause: the WAL file, and the
  // shared memory that indexes it, stay about this size under any sustained load. The file
  // is rewritten in place and cut back to this size (journal_size_limit), never to zero:
  // growing it anew costs every commit that extends it a metadata write.
  std::int64_t sqlite_wal_limit_bytes = 64 * 1024 * 1024;
  // SQLite: the longest the restart may wait for readers that still read the old WAL
  // (SQLite's busy handler). The writer holds its next batch meanwhile, so this bounds the
  // pause a restart adds to writes (plus copying the last few pages: a few ms). A restart
  // that cannot finish within it is tried again 200 ms later.
  int sqlite_checkpoint_max_pause_ms = 100;
};

class Store : public Database,
              public WorkflowRegistry,
              public Directory,
              public CaseStore,
              public SessionStore,
              public AuditLog {
 public:
  // Opens (creating the SQLite file if needed) and migrates to the latest schema.
  // kInvalidRequest for options it refuses, kInternal when the database cannot be opened.
  static Result<std::unique_ptr<Store>> Open(const StoreOptions& options);
  ~Store() override = default;
};

}  // namespace samspil
