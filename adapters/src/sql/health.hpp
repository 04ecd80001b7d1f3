// What the store knows about its database's health: the one mapping of library exceptions
// to the store's errors (kUnavailable or kInternal), the failures and recoveries logged
// once each, and on SQLite whether the file this store opened is still the file at its
// path.
#pragma once

#include <sys/stat.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>

#include "samspil/error.hpp"

namespace samspil::store_impl {

// Stored data that does not parse (a case's JSON data, a date): broken data, never the
// user's fault, and never to be read as "no data". The message names ids only.
class CorruptData : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A storage failure, as the store reports it: kUnavailable when the database cannot be
// reached or cannot write right now, kInternal for anything else. `reason` is the library's
// bare message: SOCI appends the statement and its bound values (names, birth dates) to
// what(), so that is never logged, and a client gets neither.
struct StorageFailure {
  ErrorCode code = ErrorCode::kInternal;
  std::string reason;
  bool corrupt = false;  // the database file's pages are damaged: it will not heal
};

// The one mapping of library exceptions to the store's errors.
StorageFailure ClassifyStorageFailure(const std::exception& e);

// What the store knows about its database's health. A failure is logged when it starts
// and the recovery when it ends, not at every failed write or every 200 ms checkpoint.
// Each source has its own state, so that (say) checkpoints that still succeed on a full
// disk do not announce a recovery that the writes have not made.
class Health {
 public:
  enum Source { kWrites, kReads, kCheckpoints, kSourceCount };

  // The error to return for an exception of a `what` operation, logged as described.
  Error Failed(Source source, const char* what, const std::exception& e);

  // For good: SQLite found damaged pages. Nothing a user sends can be served reliably from
  // such a file (restore a backup), so readiness fails until a restart on a good file.
  void MarkCorrupt();
  bool Corrupt() const { return corrupt_.load(); }

  void Unavailable(Source source, const std::string& reason);

  void Succeeded(Source source) {
    if (!failing_[source].load(std::memory_order_relaxed)) return;  // the common case
    Recovered(source);
  }

  bool IsFailing(Source source) const { return failing_[source].load(); }

  // For good: the SQLite file this store opened was deleted or replaced. Returns whether
  // this call was the first to say so.
  bool MarkFileGone();
  bool FileGone() const { return file_gone_.load(); }

 private:
  void Recovered(Source source);

  static constexpr const char* kNames[kSourceCount] = {"writes", "reads", "checkpoints"};
  std::mutex mutex_;  // orders the log lines with the state changes
  std::atomic<bool> failing_[kSourceCount] = {};
  std::atomic<bool> file_gone_{false};
  std::atomic<bool> corrupt_{false};
};

Error FileGoneError();

// Whether the SQLite database at a path is still the file (and WAL) the store opened. A
// process that writes to a file after it was unlinked or renamed over writes to an inode
// nobody will read again: every change it acknowledged would be lost.
class SqliteFileWatch {
 public:
  explicit SqliteFileWatch(std::string path) : path_(std::move(path)) {}

  // REQUIRES: the store's connections are open (they keep the WAL in place).
  void Remember() {
    database_ = IdentityOf(path_);
    wal_ = IdentityOf(path_ + "-wal");
  }

  bool Unchanged() const {
    if (!database_ || IdentityOf(path_) != database_) return false;
    return !wal_ || IdentityOf(path_ + "-wal") == wal_;
  }

 private:
  using Identity = std::pair<dev_t, ino_t>;
  static std::optional<Identity> IdentityOf(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return std::nullopt;
    return Identity{st.st_dev, st.st_ino};
  }

  const std::string path_;
  std::optional<Identity> database_, wal_;
};

}  // namespace samspil::store_impl
