#include "sql/writer.hpp"

#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <typeinfo>

#include "sql/statements.hpp"
#include "sqlite_checkpointer.hpp"

namespace samspil::store_impl {

namespace {

// PostgreSQL's advisory lock that makes one writer at a time of every process sharing the
// database (they append to the same audit chain). Its one definition: nothing else may use
// this id.
constexpr long long kWritersLockId = 7241002;

}  // namespace

TransactionControl::TransactionControl(soci::session& sql, bool sqlite)
    : sqlite_(sqlite),
      lock_id_(kWritersLockId),
      begin_(sql.prepare << (sqlite ? sql::kSqliteBeginWrite : sql::kBegin)),
      commit_(sql.prepare << sql::kCommit),
      rollback_(sql.prepare << sql::kRollback),
      savepoint_(sql.prepare << sql::kSavepoint),
      rollback_to_(sql.prepare << sql::kRollbackToSavepoint),
      release_(sql.prepare << sql::kReleaseSavepoint) {
  if (!sqlite_) lock_.emplace((sql.prepare << sql::kPostgresqlLockWriters, soci::use(lock_id_)));
}

void TransactionControl::BeginWrite() {
  Run(begin_);
  if (lock_) Run(*lock_);
}

ScopedWriteTransaction::ScopedWriteTransaction(soci::session& sql, bool sqlite)
    : control_(sql, sqlite) {
  control_.BeginWrite();
}

void ScopedWriteTransaction::Commit() {
  control_.Commit();
  done_ = true;
}

ScopedWriteTransaction::~ScopedWriteTransaction() {
  if (done_) return;
  try {
    control_.Rollback();
  } catch (const std::exception& e) {
    spdlog::error("rollback failed: {}", e.what());
  }
}

Writer::Writer(soci::session& sql, bool sqlite, Health& health,
               const SqliteFileWatch* file_watch, WalNudge* wal_nudge)
    : sql_(sql),
      sqlite_(sqlite),
      health_(health),
      file_watch_(file_watch),
      wal_nudge_(wal_nudge) {
  thread_ = std::thread([this] { Loop(); });
}

Writer::~Writer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Status Writer::Submit(Job job) {
  Pending pending;
  pending.job = std::move(job);
  std::unique_lock lock(mutex_);
  queue_.push_back(&pending);
  wake_.notify_one();  // the writer thread is the only one waiting on it
  pending.done.wait(lock, [&] { return pending.finished; });
  return pending.status;
}

void Writer::Hold() {
  std::unique_lock lock(mutex_);
  held_ = true;
  idle_.wait(lock, [&] { return !in_batch_; });
}

void Writer::Release() {
  {
    std::lock_guard lock(mutex_);
    held_ = false;
  }
  wake_.notify_all();
}

void Writer::Loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return (stopping_ && !held_) || (!held_ && !queue_.empty()); });
    if (queue_.empty()) return;  // stopping, and nothing left to write
    if (wal_nudge_ && wal_nudge_->over_hard_limit) {
      lock.unlock();
      wal_nudge_->WaitForRoom();
      lock.lock();
      continue;  // held meanwhile, or more jobs to take
    }
    std::vector<Pending*> batch;
    while (!queue_.empty() && batch.size() < kMaxBatch) {
      batch.push_back(queue_.front());
      queue_.pop_front();
    }
    in_batch_ = true;
    lock.unlock();
    RunBatch(batch);
    lock.lock();
    in_batch_ = false;
    idle_.notify_all();
    for (Pending* p : batch) {
      p->finished = true;
      p->done.notify_one();
    }
  }
}

bool Writer::InTransaction() {
  if (!sqlite_) return true;
  auto* backend = static_cast<soci::sqlite3_session_backend*>(sql_.get_backend());
  return sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
}

void Writer::Fail(const std::vector<Pending*>& batch, const Error& error) {
  for (Pending* p : batch) p->status = error;
}

void Writer::RunBatch(const std::vector<Pending*>& batch) {
  if (health_.FileGone()) return Fail(batch, FileGoneError());
  try {
    if (!control_) control_ = std::make_unique<TransactionControl>(sql_, sqlite_);
    if (sqlite_ && InTransaction()) control_->Rollback();  // left over from a failure
    control_->BeginWrite();
  } catch (const std::exception& e) {
    return Fail(batch, health_.Failed(Health::kWrites, "begin", e));
  }
  // Read again under the lock: another process may have appended since the last batch.
  audit_head.known = false;
  for (Pending* p : batch) {
    const AuditHead before = audit_head;
    try {
      control_->Savepoint();
      p->status = p->job(sql_);
      if (!p->status) {
        control_->RollbackToSavepoint();
        audit_head = before;
      }
      control_->ReleaseSavepoint();
    } catch (const std::exception& e) {
      p->status = health_.Failed(Health::kWrites, "write", e);
      audit_head = before;
      try {
        control_->RollbackToSavepoint();
        control_->ReleaseSavepoint();
      } catch (const std::exception&) {
        Abandon(batch, health_.Failed(Health::kWrites, "write", e));
        return;
      }
    }
  }
  try {
    control_->Commit();
  } catch (const std::exception& e) {
    Abandon(batch, health_.Failed(Health::kWrites, "commit", e));
    return;
  }
  // Committed, but to the file at our path? If not, it is as good as lost: say so, and
  // acknowledge nothing (the jobs' callers see kUnavailable).
  if (file_watch_ && !file_watch_->Unchanged()) {
    health_.MarkFileGone();
    return Fail(batch, FileGoneError());
  }
  health_.Succeeded(Health::kWrites);
  if (wal_nudge_) wal_nudge_->AfterCommit();
}

void Writer::Abandon(const std::vector<Pending*>& batch, const Error& error) {
  audit_head.known = false;
  try {
    if (InTransaction()) control_->Rollback();
  } catch (const std::exception& rollback) {
    // Tried again before the next BEGIN (InTransaction).
    spdlog::debug("rollback failed: {}", typeid(rollback).name());
  }
  for (Pending* p : batch) {
    if (p->status || p->status.error().code != ErrorCode::kUnavailable) p->status = error;
  }
}

}  // namespace samspil::store_impl
