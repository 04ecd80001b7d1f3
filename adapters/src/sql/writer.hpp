// The one writer of a store, and the one way a write transaction is opened.
//
// Every change is a job; the writer runs the jobs that are waiting in one transaction, each
// inside its own savepoint, and commits once: several transitions share one fsync (group
// commit), and no thread polls SQLite's busy handler for the write lock (its back-off
// sleeps of up to 100 ms would set the latency). Submit() returns only after the commit,
// so nothing is acknowledged before it is durable.
#pragma once

#include <soci/soci.h>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "samspil/error.hpp"
#include "sql/health.hpp"

namespace samspil::store_impl {

struct WalNudge;

// Transaction control on one session, each statement prepared once and executed again.
// The only opener of write transactions, for the writer's batches and the migrations alike.
// Every write appends to the audit chain, whose head must not move meanwhile, so writes are
// serialised, and the lock is taken first, before any row lock, so that lock order cannot
// invert. SQLite: BEGIN IMMEDIATE takes the write lock up front (writers queue on
// busy_timeout instead of failing to upgrade a read lock). PostgreSQL: a transaction-scoped
// advisory lock, because other processes append to the same audit chain.
class TransactionControl {
 public:
  TransactionControl(soci::session& sql, bool sqlite);

  void BeginWrite();  // BEGIN, and the writers' lock
  void Commit() { Run(commit_); }
  void Rollback() { Run(rollback_); }
  void Savepoint() { Run(savepoint_); }
  void RollbackToSavepoint() { Run(rollback_to_); }
  void ReleaseSavepoint() { Run(release_); }

 private:
  static void Run(soci::statement& st) { st.execute(true); }

  const bool sqlite_;
  long long lock_id_;  // bound to the lock statement
  soci::statement begin_;
  std::optional<soci::statement> lock_;  // PostgreSQL only
  soci::statement commit_, rollback_, savepoint_, rollback_to_, release_;
};

// A write transaction of its own, outside the writer's batches (the migrations, which run
// before the writer starts): rolled back unless committed.
class ScopedWriteTransaction {
 public:
  ScopedWriteTransaction(soci::session& sql, bool sqlite);
  ~ScopedWriteTransaction();
  ScopedWriteTransaction(const ScopedWriteTransaction&) = delete;
  ScopedWriteTransaction& operator=(const ScopedWriteTransaction&) = delete;
  void Commit();

 private:
  TransactionControl control_;
  bool done_ = false;
};

// The audit chain's last entry, as the writer last wrote or read it. Valid only inside the
// current batch's transaction, which holds the write lock.
struct AuditHead {
  bool known = false;
  long long seq = 0;
  std::string hash;
};

class Writer {
 public:
  using Job = std::function<Status(soci::session&)>;

  // Jobs (which run on the writer thread only) read and advance it; RunBatch forgets it at
  // every BEGIN and puts it back when a job's savepoint is rolled back.
  AuditHead audit_head;

  // `file_watch`: SQLite only (else null); a batch is acknowledged only if the database file
  // is still the one opened after its COMMIT.
  // `wal_nudge` likewise (SQLite only).
  Writer(soci::session& sql, bool sqlite, Health& health, const SqliteFileWatch* file_watch,
         WalNudge* wal_nudge);
  ~Writer();

  // Runs `job` in the next batch. Its error rolls back its own writes only.
  Status Submit(Job job);

  // While held, no batch starts (jobs queue up and go together in the next one); Hold
  // returns once the batch under way, if any, has ended. For the checkpointer's restart of
  // the WAL, which needs the write lock and must not wait behind a whole batch.
  void Hold();
  void Release();

 private:
  static constexpr size_t kMaxBatch = 256;

  struct Pending {
    Job job;
    Status status;
    bool finished = false;
    // Its own: waking every waiting request thread after each batch (64 of them for one
    // commit on two cores) cost more than the batch's writes.
    std::condition_variable done;
  };

  void Loop();
  // Whether SQLite still has a transaction open on the writer's connection. A failed
  // COMMIT (SQLITE_FULL, an I/O error) may or may not have rolled back already.
  bool InTransaction();
  void Fail(const std::vector<Pending*>& batch, const Error& error);
  void RunBatch(const std::vector<Pending*>& batch);
  // The transaction cannot be completed: nothing of the batch is kept or acknowledged.
  void Abandon(const std::vector<Pending*>& batch, const Error& error);

  // Prepared once (in the writer thread) and executed again.
  std::unique_ptr<TransactionControl> control_;
  soci::session& sql_;
  const bool sqlite_;
  Health& health_;
  const SqliteFileWatch* const file_watch_;
  WalNudge* const wal_nudge_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_;  // Hold() waits on it for the batch under way to end
  std::deque<Pending*> queue_;
  bool held_ = false;
  bool in_batch_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace samspil::store_impl
