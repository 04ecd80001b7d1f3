// What every port of one store shares: the database's sessions (a pool for the readers and
// one of its own for the writer, each with its prepared statements), the one Writer, the
// SQLite checkpointer, and what the store knows about the database's health. The ports
// (soci_ports.hpp) read through Guarded and a Lease, and change through Write.
#pragma once

#include <soci/soci.h>

#include <chrono>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "samspil/adapters/store.hpp"
#include "sql/health.hpp"
#include "sql/session_statements.hpp"
#include "sql/writer.hpp"
#include "sqlite_checkpointer.hpp"

namespace samspil::store_impl {

// Migration and registry bookkeeping only; everything the domain records takes its time as
// an argument.
inline Timestamp NowForRecords() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class StoreCore {
 public:
  StoreCore(DatabaseUrl url, const StoreOptions& options);
  ~StoreCore();
  StoreCore(const StoreCore&) = delete;
  StoreCore& operator=(const StoreCore&) = delete;

  // Opens every session. The reason is the library's first line (e.g. "unable to open
  // database file", libpq's "password authentication failed for user ..."); the connection
  // string, which may hold a password, is never part of it.
  Status Connect();
  // Starts the writer (and on SQLite the checkpointer). REQUIRES: connected and migrated.
  void StartWriter();

  bool sqlite() const { return url_.kind == DatabaseUrl::Kind::kSqlite; }
  const StoreOptions& options() const { return options_; }
  Health& health() { return health_; }
  const SqliteFileWatch& file_watch() const { return file_watch_; }
  soci::connection_pool& pool() { return pool_; }

  // A session of the pool with its prepared statements, for one call.
  class Lease {
   public:
    explicit Lease(StoreCore& core)
        : pool_(core.pool_),
          position_(pool_.lease()),
          sql(pool_.at(position_)),
          statements(*core.reader_statements_.at(position_)) {}
    ~Lease() { pool_.give_back(position_); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    soci::connection_pool& pool_;
    size_t position_;

   public:
    soci::session& sql;
    SessionStatements& statements;
  };

  // REQUIRES: on the writer thread (inside a write job).
  SessionStatements& WriterStatements() {
    if (!writer_statements_) {
      writer_statements_ = std::make_unique<SessionStatements>(writer_session_);
    }
    return *writer_statements_;
  }
  // REQUIRES: on the writer thread (inside a write job).
  AuditHead& WriterAuditHead() { return writer_->audit_head; }

  // Runs the read `body` and turns any library exception into the store's error for it.
  template <typename F>
  auto Guarded(const char* what, F&& body) -> decltype(body()) {
    try {
      auto result = body();
      health_.Succeeded(Health::kReads);
      return result;
    } catch (const std::exception& e) {
      return health_.Failed(Health::kReads, what, e);
    }
  }

  // Runs `body` as a job of the writer and returns its result once the batch has
  // committed. A library exception in `body` is an internal error naming `what`.
  template <typename F>
  auto Write(const char* what, F&& body) -> decltype(body(std::declval<soci::session&>())) {
    using R = decltype(body(std::declval<soci::session&>()));
    std::optional<R> result;
    Status st = writer_->Submit([&](soci::session& sql) -> Status {
      try {
        result.emplace(body(sql));
      } catch (const std::exception& e) {
        result.emplace(health_.Failed(Health::kWrites, what, e));
      }
      if (!*result) return result->error();
      return {};
    });
    if (!st) return st.error();
    return std::move(*result);
  }

 private:
  Status ConnectAll();

  DatabaseUrl url_;
  StoreOptions options_;
  Health health_;
  SqliteFileWatch file_watch_{url_.target};  // SQLite only
  WalNudge wal_nudge_;                        // SQLite only
  soci::connection_pool pool_;
  soci::session writer_session_;
  // Destroyed before the sessions they were prepared on.
  std::vector<std::unique_ptr<SessionStatements>> reader_statements_;  // by pool position
  std::unique_ptr<SessionStatements> writer_statements_;  // the writer thread's only
  std::unique_ptr<Writer> writer_;  // stops before the sessions close
  std::unique_ptr<Checkpointer> checkpointer_;  // SQLite only; stops first
};

}  // namespace samspil::store_impl
