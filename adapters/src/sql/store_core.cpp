#include "sql/store_core.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "sql/statements.hpp"

namespace samspil::store_impl {

StoreCore::StoreCore(DatabaseUrl url, const StoreOptions& options)
    : url_(std::move(url)), options_(options), pool_(std::max<size_t>(1, options.pool_size)) {}

StoreCore::~StoreCore() = default;

Status StoreCore::Connect() {
  try {
    return ConnectAll();
  } catch (const std::exception& e) {
    const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e);
    std::string reason = soci_error ? soci_error->get_error_message() : e.what();
    std::string last_line;
    for (size_t start = 0; start < reason.size();) {
      size_t end = reason.find('\n', start);
      std::string line = reason.substr(start, end == std::string::npos ? end : end - start);
      if (line.find_first_not_of(" \t") != std::string::npos) last_line = line;
      if (end == std::string::npos) break;
      start = end + 1;
    }
    spdlog::error("cannot open the database: {}", last_line);
    return MakeError(ErrorCode::kInternal, "cannot open the database: " + last_line);
  }
}

Status StoreCore::ConnectAll() {
  for (size_t i = 0; i <= std::max<size_t>(1, options_.pool_size); ++i) {
    // The readers' pool, and one more session for the writer.
    soci::session& sql =
        i < std::max<size_t>(1, options_.pool_size) ? pool_.at(i) : writer_session_;
    if (sqlite()) {
      sql.open(*soci::factory_sqlite3(), "db=\"" + url_.target + "\"");
      // WAL: readers never block the writer; FULL: a commit is on disk when acknowledged.
      sql << sql::kSqliteJournalWal;
      sql << sql::kSqliteForeignKeys;
      sql << sql::kSqliteSynchronous + options_.sqlite_synchronous;
      sql << sql::kSqliteBusyTimeout + std::to_string(options_.busy_timeout_ms);
      if (&sql == &writer_session_) {
        sql << sql::kSqliteNoAutoCheckpoint;  // the Checkpointer's work
        // A log that grew past the limit before its restart is cut back to it (no
        // further: truncating to 16 MiB and growing again put p99 at 64 connections
        // from 28 to 51-55 ms).
        sql << sql::kSqliteJournalSizeLimit + std::to_string(options_.sqlite_wal_limit_bytes);
      }
    } else {
      sql.open(*soci::factory_postgresql(), url_.target);
      sql << sql::kPostgresqlQuiet;  // no NOTICE lines on a user's terminal
    }
    if (&sql != &writer_session_) {
      reader_statements_.push_back(std::make_unique<SessionStatements>(sql));
    }
  }
  return {};
}

void StoreCore::StartWriter() {
  if (sqlite()) file_watch_.Remember();
  wal_nudge_.wal_path = url_.target + "-wal";
  wal_nudge_.limit = options_.sqlite_wal_limit_bytes;
  wal_nudge_.hard_limit = 2 * options_.sqlite_wal_limit_bytes;
  wal_nudge_.longest_wait =
      std::max(std::chrono::milliseconds(1000),
               4 * std::chrono::milliseconds(options_.sqlite_checkpoint_max_pause_ms));
  writer_ = std::make_unique<Writer>(writer_session_, sqlite(), health_,
                                     sqlite() ? &file_watch_ : nullptr,
                                     sqlite() ? &wal_nudge_ : nullptr);
  if (sqlite()) {
    checkpointer_ = std::make_unique<Checkpointer>(url_.target, options_, *writer_, health_,
                                                   file_watch_, wal_nudge_);
  }
}

}  // namespace samspil::store_impl
