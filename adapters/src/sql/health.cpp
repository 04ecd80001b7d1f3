#include "sql/health.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

namespace samspil::store_impl {

namespace {

bool SqliteCorrupt(int result) {
  return (result & 0xff) == SQLITE_CORRUPT || (result & 0xff) == SQLITE_NOTADB;
}

bool SqliteCannotWrite(int result) {
  switch (result & 0xff) {  // the primary code of an extended one (SQLITE_IOERR_FSYNC, ...)
    case SQLITE_BUSY:      // the write lock held past busy_timeout
    case SQLITE_LOCKED:
    case SQLITE_READONLY:  // the file or its directory no longer writable
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CANTOPEN:  // the file (or its WAL) gone, or too many open files
      return true;
    default:
      return false;
  }
}

// SQLSTATE classes that mean "PostgreSQL cannot serve us now", not "this query is wrong":
// 08 connection exception, 53 insufficient resources (disk full, too many connections),
// 57P01..57P03 shutting down or starting up, 58 I/O error, 25006 a read-only standby. libpq
// reports a lost connection without any SQLSTATE (SOCI passes blanks).
bool PostgresqlCannotServe(const std::string& sqlstate) {
  if (sqlstate.find_first_not_of(' ') == std::string::npos) return true;
  const std::string cls = sqlstate.substr(0, 2);
  return cls == "08" || cls == "53" || cls == "58" || sqlstate == "57P01" ||
         sqlstate == "57P02" || sqlstate == "57P03" || sqlstate == "25006";
}

}  // namespace

StorageFailure ClassifyStorageFailure(const std::exception& e) {
  if (const auto* corrupt = dynamic_cast<const CorruptData*>(&e)) {
    return {ErrorCode::kInternal, corrupt->what()};
  }
  const auto* soci_error = dynamic_cast<const soci::soci_error*>(&e);
  if (!soci_error) return {ErrorCode::kInternal, e.what()};
  std::string reason = soci_error->get_error_message();
  bool unavailable = soci_error->get_error_category() == soci::soci_error::connection_error;
  if (const auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&e)) {
    if (SqliteCorrupt(sqlite->result())) {
      return {ErrorCode::kUnavailable, std::move(reason), /*corrupt=*/true};
    }
    unavailable = unavailable || SqliteCannotWrite(sqlite->result());
  } else if (const auto* pg = dynamic_cast<const soci::postgresql_soci_error*>(&e)) {
    unavailable = unavailable || PostgresqlCannotServe(pg->sqlstate());
  }
  return {unavailable ? ErrorCode::kUnavailable : ErrorCode::kInternal, std::move(reason)};
}

Error Health::Failed(Source source, const char* what, const std::exception& e) {
  StorageFailure failure = ClassifyStorageFailure(e);
  if (failure.code == ErrorCode::kInternal) {
    spdlog::error("storage error in {}: {}", what, failure.reason);
    return MakeError(ErrorCode::kInternal, std::string("storage error (") + what + ")");
  }
  if (failure.corrupt) MarkCorrupt();
  Unavailable(source, failure.reason);
  return MakeError(ErrorCode::kUnavailable, std::string("database unavailable (") + what + ")");
}

void Health::MarkCorrupt() {
  if (corrupt_.exchange(true)) return;
  spdlog::error("database unavailable: SQLite reports damaged pages; restore from a backup");
}

void Health::Unavailable(Source source, const std::string& reason) {
  std::lock_guard lock(mutex_);
  if (failing_[source].exchange(true)) return;
  spdlog::error("database unavailable: {} fail: {}", kNames[source], reason);
}

void Health::Recovered(Source source) {
  std::lock_guard lock(mutex_);
  if (failing_[source].exchange(false)) spdlog::info("database: {} work again", kNames[source]);
}

bool Health::MarkFileGone() {
  if (file_gone_.exchange(true)) return false;
  spdlog::error(
      "database unavailable: the SQLite file was deleted or replaced while open; refusing "
      "all writes until restarted");
  return true;
}

Error FileGoneError() {
  return MakeError(ErrorCode::kUnavailable,
                   "database unavailable: the database file was deleted or replaced");
}

}  // namespace samspil::store_impl
