// The Store on SOCI. SQL lives in named constants; values are always bound, never spliced.
#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <sys/stat.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <tuple>

#include "migrations.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/json_data.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"

namespace samspil {

namespace {

// A libpq keyword value, quoted: 'it''s' -> 'it\'s'.
std::string PqQuote(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// postgresql://user:pass@host:port/dbname?sslmode=... -> libpq "key=value" form, which is
// what SOCI's PostgreSQL backend passes on unchanged.
Result<std::string> PostgresKeywords(const std::string& url) {
  try {
    Poco::URI uri(url);
    std::string out;
    auto add = [&](const std::string& key, const std::string& value) {
      if (!value.empty()) out += (out.empty() ? "" : " ") + key + "=" + PqQuote(value);
    };
    add("host", uri.getHost());
    if (uri.getPort() != 0) add("port", std::to_string(uri.getPort()));
    std::string path = uri.getPath();
    add("dbname", path.empty() ? "" : path.substr(1));
    const std::string user_info = uri.getUserInfo();
    const auto colon = user_info.find(':');
    std::string user = user_info.substr(0, colon), password;
    if (colon != std::string::npos) password = user_info.substr(colon + 1);
    // getUserInfo() keeps the percent-encoding; decode() appends to its output.
    std::string decoded_user, decoded_password;
    Poco::URI::decode(user, decoded_user);
    Poco::URI::decode(password, decoded_password);
    add("user", decoded_user);
    add("password", decoded_password);
    for (const auto& [key, value] : uri.getQueryParameters()) add(key, value);
    return out;
  } catch (const Poco::Exception&) {
    return MakeError(ErrorCode::kInvalidRequest, "--db: malformed PostgreSQL URL");
  }
}

}  // namespace

Result<DatabaseUrl> ParseDatabaseUrl(const std::string& url) {
  if (url.rfind("sqlite:", 0) == 0) {
    std::string path = url.substr(7);
    if (path.rfind("//", 0) == 0) path = path.substr(2);  // sqlite://PATH is accepted too
    if (path.empty()) return MakeError(ErrorCode::kInvalidRequest, "--db: sqlite: needs a path");
    return DatabaseUrl{DatabaseUrl::Kind::kSqlite, path};
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    auto keywords = PostgresKeywords(url);
    if (!keywords) return keywords.error();
    return DatabaseUrl{DatabaseUrl::Kind::kPostgresql, *keywords};
  }
  if (url.find('=') != std::string::npos) return DatabaseUrl{DatabaseUrl::Kind::kPostgresql, url};
  return MakeError(ErrorCode::kInvalidRequest,
                   "--db: expected sqlite:PATH or postgresql://user:pass@host:port/dbname");
}

namespace {

using soci::into;
using soci::use;

constexpr const char* kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";


// Length-prefixed fields: no separator inside a value can make two entries hash alike.
std::string AuditHash(const AuditEntry& e) {
  std::string canonical;
  for (const std::string& field :
       {std::to_string(e.seq), FormatTimestamp(e.at), e.actor_id, e.agency_id, e.role, e.forum_id,
        e.case_id, e.action, e.client_address, e.detail, e.prev_hash}) {
    canonical += std::to_string(field.size()) + ":" + field + ";";
  }
  return Sha256Hex(canonical);
}

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

// The one mapping of library exceptions to the store's errors.
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

// What the store knows about its database's health. A failure is logged when it starts
// and the recovery when it ends, not at every failed write or every 200 ms checkpoint.
// Each source has its own state, so that (say) checkpoints that still succeed on a full
// disk do not announce a recovery that the writes have not made.
class Health {
 public:
  enum Source { kWrites, kReads, kCheckpoints, kSourceCount };

  // The error to return for an exception of a `what` operation, logged as described.
  Error Failed(Source source, const char* what, const std::exception& e) {
    StorageFailure failure = ClassifyStorageFailure(e);
    if (failure.code == ErrorCode::kInternal) {
      spdlog::error("storage error in {}: {}", what, failure.reason);
      return MakeError(ErrorCode::kInternal, std::string("storage error (") + what + ")");
    }
    if (failure.corrupt) MarkCorrupt();
    Unavailable(source, failure.reason);
    return MakeError(ErrorCode::kUnavailable, std::string("database unavailable (") + what + ")");
  }

  // For good: SQLite found damaged pages. Nothing a user sends can be served reliably from
  // such a file (restore a backup), so readiness fails until a restart on a good file.
  void MarkCorrupt() {
    if (corrupt_.exchange(true)) return;
    spdlog::error("database unavailable: SQLite reports damaged pages; restore from a backup");
  }
  bool Corrupt() const { return corrupt_.load(); }

  void Unavailable(Source source, const std::string& reason) {
    std::lock_guard lock(mutex_);
    if (failing_[source].exchange(true)) return;
    spdlog::error("database unavailable: {} fail: {}", kNames[source], reason);
  }

  void Succeeded(Source source) {
    if (!failing_[source].load(std::memory_order_relaxed)) return;  // the common case
    std::lock_guard lock(mutex_);
    if (failing_[source].exchange(false)) spdlog::info("database: {} work again", kNames[source]);
  }

  bool IsFailing(Source source) const { return failing_[source].load(); }

  // For good: the SQLite file this store opened was deleted or replaced. Returns whether
  // this call was the first to say so.
  bool MarkFileGone() {
    if (file_gone_.exchange(true)) return false;
    spdlog::error(
        "database unavailable: the SQLite file was deleted or replaced while open; refusing "
        "all writes until restarted");
    return true;
  }
  bool FileGone() const { return file_gone_.load(); }

 private:
  static constexpr const char* kNames[kSourceCount] = {"writes", "reads", "checkpoints"};
  std::mutex mutex_;  // orders the log lines with the state changes
  std::atomic<bool> failing_[kSourceCount] = {};
  std::atomic<bool> file_gone_{false};
  std::atomic<bool> corrupt_{false};
};

Error FileGoneError() {
  return MakeError(ErrorCode::kUnavailable,
                   "database unavailable: the database file was deleted or replaced");
}

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

// SQLite: how the writer tells the checkpointer that the WAL has passed its limit, so that
// it restarts it now rather than at its next round (200 ms of writes later).
struct WalNudge {
  std::string wal_path;
  // Past this size the checkpointer is woken: the limit, or the file's size after the last
  // restart while SQLite has not cut it back (a restarted WAL is rewritten from its start
  // and keeps its size, so only growth beyond it means the log is full again).
  std::atomic<std::int64_t> limit{0};
  // Past this size (twice the limit) the writer starts no batch until the checkpointer has
  // restarted the log, waiting at most `longest_wait`: the WAL's size is then bounded by
  // the writes, not by how soon the checkpointer thread gets a core on a loaded machine.
  std::int64_t hard_limit = 0;
  std::chrono::milliseconds longest_wait{1000};
  std::atomic<bool> over_hard_limit{false};
  std::mutex mutex;
  std::condition_variable wake;     // the checkpointer waits on it between rounds
  std::condition_variable checked;  // the writer waits on it for a round's result
  bool nudged = false;
  bool stop = false;
  bool warned = false;  // that a wait ran out (logged once per streak)

  // After a commit: cheap (one stat), and wakes the checkpointer only past the limit.
  void AfterCommit() {
    std::error_code ec;
    const auto size = static_cast<std::int64_t>(std::filesystem::file_size(wal_path, ec));
    if (ec || size <= limit.load(std::memory_order_relaxed)) return;
    if (size > hard_limit) over_hard_limit = true;
    {
      std::lock_guard lock(mutex);
      nudged = true;
    }
    wake.notify_one();
  }

  // Before a batch, on the writer thread, outside the batch (the restart holds the writer
  // until its batch ends). Free unless the last commit left the WAL past the hard limit.
  void WaitForRoom() {
    if (!over_hard_limit) return;
    std::unique_lock lock(mutex);
    nudged = true;
    wake.notify_one();
    const bool room = checked.wait_for(lock, longest_wait, [&] { return stop || !over_hard_limit; });
    if (!room && !warned) {
      spdlog::warn("the WAL is past twice its limit and could not be restarted within {} ms; "
                   "writing on", longest_wait.count());
    }
    warned = !room;
    // Writes go on either way: a reader that never ends must not stop them for good.
    over_hard_limit = false;
  }

  // After each checkpoint round: whether the log is still past the hard limit.
  void Checked(bool still_over) {
    {
      std::lock_guard lock(mutex);
      over_hard_limit = still_over;
      nudged = false;
    }
    checked.notify_all();
  }
};

// The one writer of this process. Every change is a job; the writer runs the jobs that are
// waiting in one transaction, each inside its own savepoint, and commits once: several
// transitions share one fsync (group commit), and no thread polls SQLite's busy handler
// for the write lock (its back-off sleeps of up to 100 ms would set the latency).
// Submit() returns only after the commit, so nothing is acknowledged before it is durable.
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
         WalNudge* wal_nudge)
      : sql_(sql),
        sqlite_(sqlite),
        health_(health),
        file_watch_(file_watch),
        wal_nudge_(wal_nudge) {
    thread_ = std::thread([this] { Loop(); });
  }
  ~Writer() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  // Runs `job` in the next batch. Its error rolls back its own writes only.
  Status Submit(Job job) {
    Pending pending;
    pending.job = std::move(job);
    std::unique_lock lock(mutex_);
    queue_.push_back(&pending);
    wake_.notify_one();  // the writer thread is the only one waiting on it
    pending.done.wait(lock, [&] { return pending.finished; });
    return pending.status;
  }

  // While held, no batch starts (jobs queue up and go together in the next one); Hold
  // returns once the batch under way, if any, has ended. For the checkpointer's restart of
  // the WAL, which needs the write lock and must not wait behind a whole batch.
  void Hold() {
    std::unique_lock lock(mutex_);
    held_ = true;
    idle_.wait(lock, [&] { return !in_batch_; });
  }
  void Release() {
    {
      std::lock_guard lock(mutex_);
      held_ = false;
    }
    wake_.notify_all();
  }

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

  void Loop() {
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

  // Transaction control, prepared once (in the writer thread) and executed again.
  struct Control {
    soci::statement begin, lock, commit, rollback, savepoint, rollback_to, release;
    Control(soci::session& sql, bool sqlite)
        : begin(sql.prepare << (sqlite ? "BEGIN IMMEDIATE" : "BEGIN")),
          // Other processes append to the same audit chain: one writer at a time.
          lock(sql.prepare << (sqlite ? "SELECT 1" : "SELECT pg_advisory_xact_lock(7241002)")),
          commit(sql.prepare << "COMMIT"),
          rollback(sql.prepare << "ROLLBACK"),
          savepoint(sql.prepare << "SAVEPOINT job"),
          rollback_to(sql.prepare << "ROLLBACK TO SAVEPOINT job"),
          release(sql.prepare << "RELEASE SAVEPOINT job") {}
  };

  static void Run(soci::statement& st) { st.execute(true); }

  // Whether SQLite still has a transaction open on the writer's connection. A failed
  // COMMIT (SQLITE_FULL, an I/O error) may or may not have rolled back already.
  bool InTransaction() {
    if (!sqlite_) return true;
    auto* backend = static_cast<soci::sqlite3_session_backend*>(sql_.get_backend());
    return sqlite_api::sqlite3_get_autocommit(backend->conn_) == 0;
  }

  void Fail(const std::vector<Pending*>& batch, const Error& error) {
    for (Pending* p : batch) p->status = error;
  }

  void RunBatch(const std::vector<Pending*>& batch) {
    if (health_.FileGone()) return Fail(batch, FileGoneError());
    try {
      if (!control_) control_ = std::make_unique<Control>(sql_, sqlite_);
      if (sqlite_ && InTransaction()) Run(control_->rollback);  // left over from a failure
      Run(control_->begin);
      if (!sqlite_) Run(control_->lock);
    } catch (const std::exception& e) {
      return Fail(batch, health_.Failed(Health::kWrites, "begin", e));
    }
    // Read again under the lock: another process may have appended since the last batch.
    audit_head.known = false;
    for (Pending* p : batch) {
      const AuditHead before = audit_head;
      try {
        Run(control_->savepoint);
        p->status = p->job(sql_);
        if (!p->status) {
          Run(control_->rollback_to);
          audit_head = before;
        }
        Run(control_->release);
      } catch (const std::exception& e) {
        p->status = health_.Failed(Health::kWrites, "write", e);
        audit_head = before;
        try {
          Run(control_->rollback_to);
          Run(control_->release);
        } catch (const std::exception&) {
          Abandon(batch, health_.Failed(Health::kWrites, "write", e));
          return;
        }
      }
    }
    try {
      Run(control_->commit);
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

  // The transaction cannot be completed: nothing of the batch is kept or acknowledged.
  void Abandon(const std::vector<Pending*>& batch, const Error& error) {
    audit_head.known = false;
    try {
      if (InTransaction()) Run(control_->rollback);
    } catch (const std::exception& rollback) {
      // Tried again before the next BEGIN (InTransaction).
      spdlog::debug("rollback failed: {}", typeid(rollback).name());
    }
    for (Pending* p : batch) {
      if (p->status || p->status.error().code != ErrorCode::kUnavailable) p->status = error;
    }
  }

  std::unique_ptr<Control> control_;
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

// SQLite copies the WAL back into the database (a checkpoint) here, on a thread and a
// connection of their own, instead of inside whichever commit passes wal_autocheckpoint's
// 1,000 pages: there, every transition waiting on the writer also waited for the copy and
// its fsync (the list page's p99, docs/benchmarks.md). PASSIVE never waits for a reader or
// the writer.
//
// A PASSIVE checkpoint copies pages but cannot restart the WAL: the writer restarts it from
// its beginning only when, at the start of a write, every page has been copied and no
// reader still reads from the WAL. Under sustained reads and writes some reader always does
// (checkpoint starvation), and the WAL grew to 9.7 GB in a 10-minute soak. So once the file
// passes its limit, the checkpointer holds the writer's next batch and runs a RESTART
// checkpoint: it copies the last pages and waits (at most the longest pause allowed) for
// the readers that started before the copy was complete (readers starting after it read
// the database file and do not hold up the restart); the writer's next write then starts
// the log again from the file's beginning.
class Checkpointer {
 public:
  static constexpr std::chrono::milliseconds kInterval{200};

  Checkpointer(const std::string& path, const StoreOptions& options, Writer& writer,
               Health& health, const SqliteFileWatch& file_watch, WalNudge& nudge)
      : wal_path_(path + "-wal"),
        wal_limit_(options.sqlite_wal_limit_bytes),
        nudge_(nudge),
        writer_(writer),
        health_(health),
        file_watch_(file_watch) {
    session_.open(*soci::factory_sqlite3(), "db=\"" + path + "\"");
    session_ << "PRAGMA synchronous = " + options.sqlite_synchronous;
    // Only the RESTART checkpoint waits (PASSIVE never calls the busy handler). SQLite's
    // own busy_timeout sleeps in steps of up to 100 ms, so a restart that waited for one
    // reader's last millisecond held the writes for tens of ms (p99 at 64 connections
    // 34-41 -> 61-69 ms); this handler looks again every 100 us, up to the longest pause.
    max_pause_ = std::chrono::milliseconds(options.sqlite_checkpoint_max_pause_ms);
    int page_size = 4096;
    session_ << "PRAGMA page_size", soci::into(page_size);
    page_size_ = page_size;
    auto* backend = static_cast<soci::sqlite3_session_backend*>(session_.get_backend());
    sqlite_api::sqlite3_busy_handler(backend->conn_, &Checkpointer::WaitForReaders, this);
    thread_ = std::thread([this] { Run(); });
  }
  ~Checkpointer() {
    {
      std::lock_guard lock(nudge_.mutex);
      nudge_.stop = true;
    }
    nudge_.wake.notify_all();
    nudge_.checked.notify_all();
    thread_.join();
  }

 private:
  static constexpr const char* kPassive = "PRAGMA wal_checkpoint(PASSIVE)";
  // RESTART, not TRUNCATE: cutting a 64 MiB file to nothing and growing it again held the
  // writes ~45 ms per restart (p99 at 64 connections 34 -> 65 ms); the restarted log is
  // rewritten in place, and journal_size_limit keeps the file at the limit.
  static constexpr const char* kRestart = "PRAGMA wal_checkpoint(RESTART)";

  // SQLite's busy handler: non-zero to try again. `attempt` is 0 at the first call of a wait.
  static int WaitForReaders(void* self, int attempt) {
    auto* checkpointer = static_cast<Checkpointer*>(self);
    const auto now = std::chrono::steady_clock::now();
    if (attempt == 0) checkpointer->waiting_since_ = now;
    if (now - checkpointer->waiting_since_ >= checkpointer->max_pause_) return 0;
    std::this_thread::sleep_for(std::chrono::microseconds(100));
    return 1;
  }

  void Run() {
    std::unique_lock lock(nudge_.mutex);
    for (;;) {
      nudge_.wake.wait_for(lock, kInterval, [&] { return nudge_.stop || nudge_.nudged; });
      if (nudge_.stop) return;
      nudge_.nudged = false;
      lock.unlock();
      Tick();
      lock.lock();
    }
  }

  void Tick() {
    if (health_.FileGone() || !file_watch_.Unchanged()) {
      health_.MarkFileGone();
      nudge_.Checked(false);  // writes fail now anyway: nothing to wait for
      return;
    }
    try {
      int busy = 0, log_frames = 0, checkpointed = 0;
      session_ << kPassive, soci::into(busy), soci::into(log_frames), soci::into(checkpointed);
      // The log's content, not the file's size: after a restart the file keeps its size
      // while the log starts again from its beginning.
      const std::int64_t log_bytes = static_cast<std::int64_t>(log_frames) * (page_size_ + 24);
      const bool restarted = log_bytes > wal_limit_ && Restart(log_bytes);
      std::error_code ec;
      const auto wal_size = std::filesystem::file_size(wal_path_, ec);
      nudge_.limit = std::max<std::int64_t>(wal_limit_, ec ? 0 : static_cast<std::int64_t>(wal_size));
      // A nudge that came while this round ran saw the file before the restart took effect
      // (the writer resets the log at its next write): Checked() forgets it.
      nudge_.Checked(!restarted && log_bytes > nudge_.hard_limit);
      health_.Succeeded(Health::kCheckpoints);
    } catch (const std::exception& e) {
      nudge_.Checked(false);  // the writer must not wait for a checkpointer that fails
      (void)health_.Failed(Health::kCheckpoints, "checkpoint", e);
    }
  }

  // Whether the log was restarted (no reader kept it).
  bool Restart(std::int64_t wal_size) {
    int busy = 0, log_frames = 0, checkpointed = 0;
    const auto started = std::chrono::steady_clock::now();
    writer_.Hold();
    try {
      session_ << kRestart, soci::into(busy), soci::into(log_frames), soci::into(checkpointed);
    } catch (const std::exception&) {
      writer_.Release();
      throw;
    }
    writer_.Release();
    const auto held = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    spdlog::debug("WAL restart from {} bytes: {}, writes held {} us", wal_size,
                  busy ? "readers still busy, try again" : "done", held.count());
    if (busy && !starved_) {
      spdlog::warn("the WAL is over its limit and readers keep it from restarting; trying again");
    }
    starved_ = busy != 0;
    return busy == 0;
  }

  const std::string wal_path_;
  const std::int64_t wal_limit_;
  WalNudge& nudge_;
  Writer& writer_;
  Health& health_;
  const SqliteFileWatch& file_watch_;
  bool starved_ = false;  // the last restart could not finish (logged once per streak)
  std::chrono::milliseconds max_pause_{100};
  std::int64_t page_size_ = 4096;
  std::chrono::steady_clock::time_point waiting_since_;  // of the busy handler's current wait
  soci::session session_;
  std::thread thread_;
};

constexpr const char* kCaseColumns =
    "c.id, c.forum_id, c.workflow_id, c.workflow_version, c.state, c.version, c.subject_name, "
    "c.subject_birth_date, c.summary, c.data, c.opened_by, c.opened_at, c.updated_at, "
    "c.state_entered_at, c.due_at, c.escalated";

// Visible to the actor: a member of the case's forum. Bound as :uid.
constexpr const char* kVisibleToActor =
    "EXISTS (SELECT 1 FROM memberships m WHERE m.forum_id = c.forum_id AND m.user_id = :uid)";

// Seconds since 1970 of an RFC 3339 UTC text column as FormatTimestamp writes it
// ("YYYY-MM-DDTHH:MM:SSZ"), in SQL both SQLite and PostgreSQL run, so the statistics can sum
// durations in the database instead of fetching every row (days from the civil date as in
// H. Hinnant's days_from_civil; all operands are positive, so integer division is floor).
std::string EpochSecondsSql(const std::string& column) {
  auto part = [&](int from, int length) {
    return "CAST(SUBSTR(" + column + ", " + std::to_string(from) + ", " + std::to_string(length) +
           ") AS BIGINT)";
  };
  const std::string month = part(6, 2);
  const std::string year = "(" + part(1, 4) + " - CASE WHEN " + month + " <= 2 THEN 1 ELSE 0 END)";
  const std::string march_based_month = "((" + month + " + 9) % 12)";
  const std::string days = "(365 * " + year + " + " + year + " / 4 - " + year + " / 100 + " +
                           year + " / 400 + (153 * " + march_based_month + " + 2) / 5 + " +
                           part(9, 2) + " - 719469)";
  return "(" + days + " * 86400 + " + part(12, 2) + " * 3600 + " + part(15, 2) + " * 60 + " +
         part(18, 2) + ")";
}

// `sql` with `suffix` appended to the name of every ":name" placeholder from `from` on.
std::string SuffixPlaceholders(const std::string& sql, size_t from, const std::string& suffix) {
  std::string out = sql.substr(0, from);
  for (size_t i = from; i < sql.size(); ++i) {
    out += sql[i];
    if (sql[i] != ':') continue;
    while (i + 1 < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[i + 1])) ||
                                  sql[i + 1] == '_')) {
      out += sql[++i];
    }
    out += suffix;
  }
  return out;
}

// One row of `cases`, as SOCI fetches it.
struct CaseRow {
  std::string id, forum_id, workflow_id, state, subject_name, birth_date, summary, data, opened_by,
      opened_at, updated_at, entered_at, due_at;
  long long workflow_version = 0, version = 0, escalated = 0;
  soci::indicator due_ind = soci::i_null;

  void Bind(soci::statement& st) {
    st.exchange(into(id));
    st.exchange(into(forum_id));
    st.exchange(into(workflow_id));
    st.exchange(into(workflow_version));
    st.exchange(into(state));
    st.exchange(into(version));
    st.exchange(into(subject_name));
    st.exchange(into(birth_date));
    st.exchange(into(summary));
    st.exchange(into(data));
    st.exchange(into(opened_by));
    st.exchange(into(opened_at));
    st.exchange(into(updated_at));
    st.exchange(into(entered_at));
    st.exchange(into(due_at, due_ind));
    st.exchange(into(escalated));
  }

  Case ToCase() const {
    Case c;
    c.id = id;
    c.forum_id = forum_id;
    c.workflow_id = workflow_id;
    c.workflow_version = workflow_version;
    c.state = state;
    c.version = version;
    c.subject.name = subject_name;
    c.subject.birth_date = Stored(ParseDate(birth_date), "subject_birth_date");
    c.summary = summary;
    // Guards run on this data: a row that does not parse must not pass for an empty one.
    c.data = Stored(DataFromJsonText(data), "data");
    c.opened_by = opened_by;
    c.opened_at = Stored(ParseTimestamp(opened_at), "opened_at");
    c.updated_at = Stored(ParseTimestamp(updated_at), "updated_at");
    c.state_entered_at = Stored(ParseTimestamp(entered_at), "state_entered_at");
    if (due_ind == soci::i_ok) c.due_at = Stored(ParseTimestamp(due_at), "due_at");
    c.escalated = escalated != 0;
    return c;
  }

  // The parsed value of a column of this row; CorruptData naming the case and the column
  // (never the value) if it does not parse.
  template <typename T>
  T Stored(Result<T> parsed, const char* column) const {
    if (!parsed) throw CorruptData("case " + id + ": stored " + column + " does not parse");
    return std::move(*parsed);
  }
  template <typename T>
  T Stored(std::optional<T> parsed, const char* column) const {
    if (!parsed) throw CorruptData("case " + id + ": stored " + column + " does not parse");
    return *parsed;
  }
};

// Reads a query to its end. SQLite keeps a connection's read transaction open while one of
// its statements is mid-result; a statement kept for reuse must not pin an old snapshot.
void Drain(soci::statement& st) {
  while (st.fetch()) {
  }
}

// The hot statements of one session, each prepared once and executed again with new values
// (SOCI's `sql << "..."` parses the SQL every time: a third of a transition's CPU). The
// use/into targets of each are the members beside it; a struct is made on first use, by
// the one thread that holds the session.
struct SessionStatements {
  explicit SessionStatements(soci::session& session) : sql(session) {}
  soci::session& sql;

  struct VisibleCase {
    std::string case_id, user_id;
    CaseRow row;
    soci::statement st;
    explicit VisibleCase(soci::session& sql) : st(sql) {
      st.exchange(use(case_id));
      st.exchange(use(user_id));
      row.Bind(st);
      st.alloc();
      st.prepare(std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE c.id = :id AND " +
                 kVisibleToActor);
      st.define_and_bind();
    }
  };
  // Whether a case is visible, without reading it (its data is the costly part to read).
  struct CaseVisible {
    std::string case_id, user_id;
    int one = 0;
    soci::statement st;
    explicit CaseVisible(soci::session& sql)
        : st((sql.prepare << std::string("SELECT 1 FROM cases c WHERE c.id = :id AND ") +
                                 kVisibleToActor,
              use(case_id), use(user_id), into(one))) {}
  };
  struct FindSession {
    std::string token_hash;
    Session out;
    std::string created, last_seen, expires;
    long long revoked = 0;
    soci::statement st;
    explicit FindSession(soci::session& sql)
        : st((sql.prepare << "SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, "
                             "expires_at, revoked FROM sessions WHERE token_hash = :t",
              use(token_hash), into(out.token_hash), into(out.user_id), into(out.csrf_token),
              into(created), into(last_seen), into(expires), into(revoked))) {}
  };
  struct LoadActor {
    std::string user_id, id, agency_id, forum_id, role;
    long long admin = 0;
    soci::statement user, memberships;
    explicit LoadActor(soci::session& sql)
        : user((sql.prepare << "SELECT id, agency_id, is_admin FROM users WHERE id = :id",
                use(user_id), into(id), into(agency_id), into(admin))),
          memberships((sql.prepare << "SELECT forum_id, role FROM memberships WHERE user_id = :id",
                       use(user_id), into(forum_id), into(role))) {}
  };
  struct Links {
    std::string case_id, case_id2;
    CaseLink link;
    soci::statement st;
    explicit Links(soci::session& sql)
        : st((sql.prepare << "SELECT l.to_case_id, c.forum_id, 'referred_to', l.legal_basis "
                             "FROM case_links l JOIN cases c ON c.id = l.to_case_id "
                             "WHERE l.from_case_id = :id "
                             "UNION ALL "
                             "SELECT l.from_case_id, c.forum_id, 'referred_from', l.legal_basis "
                             "FROM case_links l JOIN cases c ON c.id = l.from_case_id "
                             "WHERE l.to_case_id = :id2",
              use(case_id), use(case_id2), into(link.case_id), into(link.forum_id),
              into(link.relation), into(link.legal_basis))) {}
  };
  struct DisplayName {
    std::string id, name;
    soci::statement st;
    explicit DisplayName(soci::session& sql)
        : st((sql.prepare << "SELECT display_name FROM users WHERE id = :id", use(id),
              into(name))) {}
  };
  // The writer's.
  struct UpdateCase {
    std::string state, data, updated_at, entered_at, due_at, id, user_id;
    soci::indicator due_ind = soci::i_null;
    long long version = 0, escalated = 0, expected = 0;
    soci::statement st;
    explicit UpdateCase(soci::session& sql)
        : st((sql.prepare << "UPDATE cases SET state = :s, version = :v, data = :d, "
                             "updated_at = :u, state_entered_at = :e, due_at = :due, "
                             "escalated = :esc WHERE id = :id AND version = :expected "
                             "AND EXISTS (SELECT 1 FROM memberships m WHERE "
                             "m.forum_id = cases.forum_id AND m.user_id = :uid)",
              use(state), use(version), use(data), use(updated_at), use(entered_at),
              use(due_at, due_ind), use(escalated), use(id), use(expected), use(user_id))) {}
  };
  // With `record_deadline` the row keeps the due_at the case has now (see AppendHistory).
  struct InsertHistory {
    std::string action, from, to, actor, role, at, comment, data, case_id;
    soci::indicator actor_ind = soci::i_null;
    soci::statement st;
    InsertHistory(soci::session& sql, bool record_deadline)
        : st((sql.prepare << std::string(
                                 "INSERT INTO case_history (case_id, seq, action, from_state, "
                                 "to_state, actor_id, role, at, comment, data, forum_id, due_at) "
                                 "SELECT c.id, (SELECT COALESCE(MAX(h.seq), 0) + 1 FROM "
                                 "case_history h WHERE h.case_id = c.id), :a, :f, :t, :actor, :r, "
                                 ":at, :cm, :d, c.forum_id, ") +
                                 (record_deadline ? "c.due_at" : "NULL") +
                                 " FROM cases c WHERE c.id = :c",
              use(action), use(from), use(to), use(actor, actor_ind), use(role), use(at),
              use(comment), use(data), use(case_id))) {}
  };
  struct AuditHeadQuery {
    long long seq = 0;
    std::string hash;
    soci::statement st;
    explicit AuditHeadQuery(soci::session& sql)
        : st((sql.prepare << "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
              into(seq), into(hash))) {}
  };
  struct InsertAudit {
    long long seq = 0;
    std::string at, actor_id, agency_id, role, forum_id, case_id, action, client_address, detail,
        prev_hash, hash;
    soci::statement st;
    explicit InsertAudit(soci::session& sql)
        : st((sql.prepare << "INSERT INTO audit_log (seq, at, actor_id, agency_id, role, "
                             "forum_id, case_id, action, client_address, detail, prev_hash, "
                             "hash) VALUES (:s, :at, :ac, :ag, :r, :f, :c, :a, :ca, :d, :p, :h)",
              use(seq), use(at), use(actor_id), use(agency_id), use(role), use(forum_id),
              use(case_id), use(action), use(client_address), use(detail), use(prev_hash),
              use(hash))) {}
  };

  // The statement of type T, prepared on first use.
  template <typename T, typename... Args>
  T& Get(std::unique_ptr<T>& slot, Args... args) {
    if (!slot) slot = std::make_unique<T>(sql, args...);
    return *slot;
  }
  std::unique_ptr<VisibleCase> visible_case;
  std::unique_ptr<CaseVisible> case_visible;
  std::unique_ptr<FindSession> find_session;
  std::unique_ptr<LoadActor> load_actor;
  std::unique_ptr<Links> links;
  std::unique_ptr<DisplayName> display_name;
  std::unique_ptr<UpdateCase> update_case;
  std::unique_ptr<InsertHistory> insert_history, insert_opening_history;
  std::unique_ptr<AuditHeadQuery> audit_head;
  std::unique_ptr<InsertAudit> insert_audit;
};

class SociStore final : public Store {
 public:
  SociStore(DatabaseUrl url, const StoreOptions& options)
      : url_(std::move(url)), options_(options), pool_(std::max<size_t>(1, options.pool_size)) {}

  // The reason is the library's first line (e.g. "unable to open database file", libpq's
  // "password authentication failed for user ..."); the connection string, which may hold a
  // password, is never part of it.
  Status Connect() {
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

  Status ConnectAll() {
    return [&]() -> Status {
      for (size_t i = 0; i <= std::max<size_t>(1, options_.pool_size); ++i) {
        // The readers' pool, and one more session for the writer.
        soci::session& sql = i < std::max<size_t>(1, options_.pool_size) ? pool_.at(i)
                                                                         : writer_session_;
        if (sqlite()) {
          sql.open(*soci::factory_sqlite3(), "db=\"" + url_.target + "\"");
          // WAL: readers never block the writer; FULL: a commit is on disk when acknowledged.
          sql << "PRAGMA journal_mode = WAL";
          sql << "PRAGMA foreign_keys = ON";
          sql << "PRAGMA synchronous = " + options_.sqlite_synchronous;
          sql << "PRAGMA busy_timeout = " + std::to_string(options_.busy_timeout_ms);
          if (&sql == &writer_session_) {
            sql << "PRAGMA wal_autocheckpoint = 0";  // the Checkpointer's work
            // A log that grew past the limit before its restart is cut back to it (no
            // further: truncating to 16 MiB and growing again put p99 at 64 connections
            // from 28 to 51-55 ms).
            sql << "PRAGMA journal_size_limit = " + std::to_string(options_.sqlite_wal_limit_bytes);
          }
        } else {
          sql.open(*soci::factory_postgresql(), url_.target);
          sql << "SET client_min_messages = warning";  // no NOTICE lines on a user's terminal
        }
        if (&sql != &writer_session_) {
          reader_statements_.push_back(std::make_unique<SessionStatements>(sql));
        }
      }
      return {};
    }();
  }

  void StartWriter() {
    if (sqlite()) file_watch_.Remember();
    wal_nudge_.wal_path = url_.target + "-wal";
    wal_nudge_.limit = options_.sqlite_wal_limit_bytes;
    wal_nudge_.hard_limit = 2 * options_.sqlite_wal_limit_bytes;
    wal_nudge_.longest_wait = std::max(std::chrono::milliseconds(1000),
                                       4 * std::chrono::milliseconds(options_.sqlite_checkpoint_max_pause_ms));
    writer_ = std::make_unique<Writer>(writer_session_, sqlite(), health_,
                                       sqlite() ? &file_watch_ : nullptr,
                                       sqlite() ? &wal_nudge_ : nullptr);
    if (sqlite()) {
      checkpointer_ = std::make_unique<Checkpointer>(url_.target, options_, *writer_, health_,
                                                     file_watch_, wal_nudge_);
    }
  }

  Result<int> Migrate() override {
    return Guarded("migrate", [&]() -> Result<int> {
      soci::session sql(pool_);
      Tx tx(sql, sqlite());
      sql << "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
             "name TEXT NOT NULL, applied_at TEXT NOT NULL)";
      long long current = 0;
      soci::indicator ind;
      sql << "SELECT MAX(version) FROM schema_migrations", into(current, ind);
      if (ind != soci::i_ok) current = 0;
      int applied = 0;
      const auto& migrations = sqlite() ? SqliteMigrations() : PostgresqlMigrations();
      for (const auto& m : migrations) {
        if (m.version <= current) continue;
        for (const auto& statement : m.statements) sql << statement;
        const long long version = m.version;
        const std::string now = FormatTimestamp(NowForRecords());
        sql << "INSERT INTO schema_migrations (version, name, applied_at) VALUES (:v, :n, :a)",
            use(version), use(m.name), use(now);
        ++applied;
      }
      tx.Commit();
      if (applied) spdlog::info("applied {} schema migrations", applied);
      return applied;
    });
  }

  Result<std::vector<std::string>> AppliedMigrations() override {
    return Guarded("migrations", [&]() -> Result<std::vector<std::string>> {
      soci::session sql(pool_);
      std::vector<std::string> out;
      long long version = 0;
      std::string name;
      soci::statement st = (sql.prepare << "SELECT version, name FROM schema_migrations "
                                           "ORDER BY version",
                            into(version), into(name));
      st.execute();
      while (st.fetch()) out.push_back(std::to_string(version) + " " + name);
      return out;
    });
  }

  Status Ping() override {
    return Guarded("ping", [&]() -> Status {
      soci::session sql(pool_);
      int one = 0;
      sql << "SELECT 1", into(one);
      return {};
    });
  }

  Status Ready() override {
    if (sqlite() && !health_.FileGone() && !file_watch_.Unchanged()) health_.MarkFileGone();
    if (health_.FileGone()) return FileGoneError();
    if (health_.Corrupt()) {
      return MakeError(ErrorCode::kUnavailable, "database unavailable (damaged pages)");
    }
    // Pages that cannot be copied back pile up in the WAL until the disk is full.
    if (health_.IsFailing(Health::kCheckpoints)) {
      return MakeError(ErrorCode::kUnavailable, "database unavailable (checkpoints fail)");
    }
    return Write("readiness probe", [&](soci::session& sql) -> Status {
      sql << kProbeWrite;
      return {};
    });
  }

  Status RegisterWorkflow(const WorkflowDefinition& def, const std::string& source) override {
    return Write("register workflow", [&](soci::session& sql) -> Status {
      const std::string sha = Sha256Hex(source);
      const long long version = def.version;
      std::string stored;
      soci::indicator ind = soci::i_null;
      sql << "SELECT sha256 FROM workflow_versions WHERE workflow_id = :id AND version = :v",
          use(def.id), use(version), into(stored, ind);
      if (sql.got_data() && ind == soci::i_ok) {
        if (stored != sha) {
          return MakeError(ErrorCode::kInvalidDefinition,
                           "workflow \"" + def.id + "\" version " + std::to_string(def.version) +
                               " is already in use with different content: raise its \"version\"");
        }
        return {};
      }
      const std::string now = FormatTimestamp(NowForRecords());
      sql << "INSERT INTO workflow_versions (workflow_id, version, definition, sha256, "
             "registered_at) VALUES (:id, :v, :d, :s, :at)",
          use(def.id), use(version), use(source), use(sha), use(now);
      return {};
    });
  }

  Result<std::shared_ptr<const WorkflowDefinition>> PinnedWorkflow(
      const std::string& id, std::int64_t version) override {
    const auto key = std::make_pair(id, version);
    {
      std::lock_guard lock(definitions_mutex_);
      if (auto it = definitions_.find(key); it != definitions_.end()) return it->second;
    }
    auto parsed = Guarded("pinned workflow", [&]() -> Result<WorkflowDefinition> {
      soci::session sql(pool_);
      std::string source;
      const long long v = version;
      sql << "SELECT definition FROM workflow_versions WHERE workflow_id = :id AND version = :v",
          use(id), use(v), into(source);
      if (!sql.got_data()) {
        return MakeError(ErrorCode::kInternal, "workflow " + id + " version " +
                                                   std::to_string(version) + " is not registered");
      }
      std::vector<LoadProblem> problems;
      auto def = ParseWorkflow(source, id + ".json (stored)", problems);
      if (!def)
        return MakeError(ErrorCode::kInternal,
                         problems.empty() ? def.error().message : problems[0].ToString());
      return def;
    });
    if (!parsed) return parsed.error();
    // A registered (id, version) never changes (RegisterWorkflow), so this never goes stale.
    auto def = std::make_shared<const WorkflowDefinition>(std::move(*parsed));
    std::lock_guard lock(definitions_mutex_);
    return definitions_.emplace(key, std::move(def)).first->second;
  }

  Status AddAgency(const Agency& agency, const AuditContext& who, Timestamp now) override {
    if (agency.id.empty() || agency.name.empty()) {
      return MakeError(ErrorCode::kInvalidRequest, "agency id and name must not be empty");
    }
    if (std::find(AgencyKinds().begin(), AgencyKinds().end(), agency.kind) == AgencyKinds().end()) {
      return MakeError(ErrorCode::kInvalidRequest,
                       "unknown agency kind \"" + agency.kind +
                           "\" (one of politi, kommune, region, kriminalforsorg, "
                           "anklagemyndighed, domstol, andet)");
    }
    return Write("add agency", [&](soci::session& sql) -> Status {
      if (Exists(sql, "SELECT COUNT(*) FROM agencies WHERE id = :id", agency.id)) {
        return MakeError(ErrorCode::kAlreadyExists, "agency \"" + agency.id + "\" already exists");
      }
      const std::string at = FormatTimestamp(now);
      sql << "INSERT INTO agencies (id, name, kind, created_at) VALUES (:id, :n, :k, :at)",
          use(agency.id), use(agency.name), use(agency.kind), use(at);
      AppendAudit(who, now, "", "", "agency.add", "agency " + agency.id);
      return {};
    });
  }

  Status AddForum(const Forum& forum, const AuditContext& who, Timestamp now) override {
    if (forum.id.empty() || forum.name.empty()) {
      return MakeError(ErrorCode::kInvalidRequest, "forum id and name must not be empty");
    }
    return Write("add forum", [&](soci::session& sql) -> Status {
      if (Exists(sql, "SELECT COUNT(*) FROM fora WHERE id = :id", forum.id)) {
        return MakeError(ErrorCode::kAlreadyExists, "forum \"" + forum.id + "\" already exists");
      }
      if (!Exists(sql, "SELECT COUNT(*) FROM workflow_versions WHERE workflow_id = :id",
                  forum.workflow_id)) {
        return MakeError(ErrorCode::kInvalidRequest,
                         "unknown workflow \"" + forum.workflow_id + "\"");
      }
      const std::string at = FormatTimestamp(now);
      sql << "INSERT INTO fora (id, name, workflow_id, municipality, created_at) "
             "VALUES (:id, :n, :w, :m, :at)",
          use(forum.id), use(forum.name), use(forum.workflow_id), use(forum.municipality), use(at);
      AppendAudit(who, now, forum.id, "", "forum.add", "forum " + forum.id);
      return {};
    });
  }

  Status AddUser(const User& user, const std::string& password_hash, const AuditContext& who,
                 Timestamp now) override {
    if (user.username.empty() || user.display_name.empty()) {
      return MakeError(ErrorCode::kInvalidRequest, "username and name must not be empty");
    }
    return Write("add user", [&](soci::session& sql) -> Status {
      if (Exists(sql, "SELECT COUNT(*) FROM users WHERE username = :u", user.username)) {
        return MakeError(ErrorCode::kAlreadyExists,
                         "user \"" + user.username + "\" already exists");
      }
      if (!Exists(sql, "SELECT COUNT(*) FROM agencies WHERE id = :id", user.agency_id)) {
        return MakeError(ErrorCode::kInvalidRequest, "unknown agency \"" + user.agency_id + "\"");
      }
      const std::string at = FormatTimestamp(now);
      const long long admin = user.is_admin ? 1 : 0;
      sql << "INSERT INTO users (id, username, display_name, agency_id, password_hash, is_admin, "
             "created_at) VALUES (:id, :u, :n, :a, :p, :adm, :at)",
          use(user.id), use(user.username), use(user.display_name), use(user.agency_id),
          use(password_hash), use(admin), use(at);
      AppendAudit(who, now, "", "", "user.add", "user " + user.id);
      return {};
    });
  }

  Status AddMembership(const std::string& forum_id, const std::string& username,
                       const std::string& role, const AuditContext& who, Timestamp now) override {
    if (std::find(KnownRoles().begin(), KnownRoles().end(), role) == KnownRoles().end()) {
      std::string roles;
      for (const auto& r : KnownRoles()) roles += (roles.empty() ? "" : ", ") + r;
      return MakeError(ErrorCode::kInvalidRequest,
                       "unknown role \"" + role + "\" (one of " + roles + ")");
    }
    return Write("add membership", [&](soci::session& sql) -> Status {
      if (!Exists(sql, "SELECT COUNT(*) FROM fora WHERE id = :id", forum_id)) {
        return MakeError(ErrorCode::kInvalidRequest, "unknown forum \"" + forum_id + "\"");
      }
      std::string user_id;
      sql << "SELECT id FROM users WHERE username = :u", use(username), into(user_id);
      if (!sql.got_data()) {
        return MakeError(ErrorCode::kInvalidRequest, "unknown user \"" + username + "\"");
      }
      long long count = 0;
      sql << "SELECT COUNT(*) FROM memberships WHERE user_id = :u AND forum_id = :f AND role = :r",
          use(user_id), use(forum_id), use(role), into(count);
      if (count > 0) {
        return MakeError(ErrorCode::kAlreadyExists,
                         "\"" + username + "\" already is " + role + " in " + forum_id);
      }
      const std::string at = FormatTimestamp(now);
      sql << "INSERT INTO memberships (forum_id, user_id, role, created_at) "
             "VALUES (:f, :u, :r, :at)",
          use(forum_id), use(user_id), use(role), use(at);
      AppendAudit(who, now, forum_id, "", "member.add", "user " + user_id + " role " + role);
      return {};
    });
  }

  Result<Forum> GetForum(const std::string& forum_id) override {
    return Guarded("get forum", [&]() -> Result<Forum> {
      soci::session sql(pool_);
      Forum f;
      sql << "SELECT id, name, workflow_id, municipality FROM fora WHERE id = :id", use(forum_id),
          into(f.id), into(f.name), into(f.workflow_id), into(f.municipality);
      if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "forum not found");
      return f;
    });
  }

  Result<std::vector<Forum>> ListFora() override {
    return Guarded("list fora", [&]() -> Result<std::vector<Forum>> {
      soci::session sql(pool_);
      std::vector<Forum> out;
      Forum f;
      soci::statement st = (sql.prepare << "SELECT id, name, workflow_id, municipality FROM fora "
                                           "ORDER BY id",
                            into(f.id), into(f.name), into(f.workflow_id), into(f.municipality));
      st.execute();
      while (st.fetch()) out.push_back(f);
      return out;
    });
  }

  Result<User> GetUserByUsername(const std::string& username) override {
    return Guarded("get user", [&]() -> Result<User> {
      soci::session sql(pool_);
      User u;
      long long admin = 0;
      sql << "SELECT id, username, display_name, agency_id, is_admin FROM users "
             "WHERE username = :u",
          use(username), into(u.id), into(u.username), into(u.display_name), into(u.agency_id),
          into(admin);
      if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "user not found");
      u.is_admin = admin != 0;
      return u;
    });
  }

  Result<std::string> PasswordHashOf(const std::string& user_id) override {
    return Guarded("password hash", [&]() -> Result<std::string> {
      soci::session sql(pool_);
      std::string hash;
      sql << "SELECT password_hash FROM users WHERE id = :id", use(user_id), into(hash);
      if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "user not found");
      return hash;
    });
  }

  Result<UserProfile> Profile(const std::string& user_id) override {
    return Guarded("profile", [&]() -> Result<UserProfile> {
      soci::session sql(pool_);
      UserProfile p;
      long long admin = 0;
      sql << "SELECT u.id, u.username, u.display_name, u.agency_id, u.is_admin, a.name, a.kind "
             "FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.id = :id",
          use(user_id), into(p.user.id), into(p.user.username), into(p.user.display_name),
          into(p.user.agency_id), into(admin), into(p.agency.name), into(p.agency.kind);
      if (!sql.got_data()) return MakeError(ErrorCode::kNotFound, "user not found");
      p.user.is_admin = admin != 0;
      p.agency.id = p.user.agency_id;
      UserProfile::Seat seat;
      soci::statement st =
          (sql.prepare << "SELECT f.id, f.name, f.workflow_id, f.municipality, m.role "
                          "FROM memberships m JOIN fora f ON f.id = m.forum_id "
                          "WHERE m.user_id = :id ORDER BY f.id, m.role",
           use(user_id), into(seat.forum.id), into(seat.forum.name), into(seat.forum.workflow_id),
           into(seat.forum.municipality), into(seat.role));
      st.execute();
      while (st.fetch()) p.memberships.push_back(seat);
      return p;
    });
  }

  Result<Actor> LoadActor(const std::string& user_id) override {
    return Guarded("load actor", [&]() -> Result<Actor> {
      Lease lease(*this);
      auto& q = lease.statements.Get(lease.statements.load_actor);
      q.user_id = user_id;
      if (!q.user.execute(true)) return MakeError(ErrorCode::kNotFound, "user not found");
      Actor actor;
      actor.id = q.id;
      actor.agency_id = q.agency_id;
      actor.is_admin = q.admin != 0;
      Drain(q.user);
      q.memberships.execute();
      while (q.memberships.fetch()) actor.roles_by_forum[q.forum_id].insert(q.role);
      return actor;
    });
  }

  Status CreateCase(const Opening& opening, const Actor& actor, const AuditContext& who) override {
    return Write("create case", [&](soci::session& sql) -> Status {
      long long member = 0;
      sql << "SELECT COUNT(*) FROM memberships WHERE user_id = :u AND forum_id = :f", use(actor.id),
          use(opening.opened.forum_id), into(member);
      if (member == 0) return MakeError(ErrorCode::kNotFound, "forum not found");
      InsertCase(sql, opening, who);
      return {};
    });
  }

  Result<Case> GetCase(const Actor& actor, const std::string& case_id, const AuditContext& who,
                       Timestamp now) override {
    auto read = Guarded("get case", [&]() -> Result<Case> {
      Lease lease(*this);
      auto c = FetchVisibleCase(lease.statements, actor, case_id);
      if (!c) return c.error();
      if (auto st = RecordReads(actor, who, now, "case.read", {*c}); !st) return st.error();
      return c;
    });
    if (!read) return read;
    if (auto st = WithholdFrom(actor, *read); !st) return st.error();
    return read;
  }

  Result<Case> LoadForDecision(const Actor& actor, const std::string& case_id) override {
    return Guarded("load case", [&]() -> Result<Case> {
      Lease lease(*this);
      return FetchVisibleCase(lease.statements, actor, case_id);
    });
  }

  Result<CasePage> ListCases(const Actor& actor, const CaseFilter& filter, const AuditContext& who,
                             Timestamp now) override {
    auto read = Guarded("list cases", [&]() -> Result<CasePage> {
      soci::session sql(pool_);
      std::vector<std::string> fora = MemberFora(sql, actor.id, "");
      if (filter.forum_id) {
        const bool member = std::find(fora.begin(), fora.end(), *filter.forum_id) != fora.end();
        fora.assign(member ? 1 : 0, *filter.forum_id);
      }
      std::string conditions = "c.id > :after";
      if (filter.state) conditions += " AND c.state = :state";
      if (filter.only_escalated) conditions += " AND c.escalated = 1";
      if (filter.only_overdue) conditions += " AND c.due_at IS NOT NULL AND c.due_at <= :now";
      const std::string now_text = FormatTimestamp(filter.now.value_or(Timestamp{}));
      // One more than asked for tells whether there is a next page.
      const size_t limit = std::clamp<size_t>(filter.limit, 1, 500);
      auto bind = [&](soci::statement& st, const std::string& forum) {
        st.exchange(use(forum));
        st.exchange(use(filter.after_id));
        if (filter.state) st.exchange(use(*filter.state));
        if (filter.only_overdue) st.exchange(use(now_text));
      };
      CasePage page;
      page.items = PerForumPage(sql, fora, conditions, "id", limit + 1, bind);
      if (page.items.size() > limit) {
        page.items.pop_back();
        page.next_cursor = page.items.back().id;
      }
      if (auto st = RecordReads(actor, who, now, "case.list", page.items); !st) return st.error();
      return page;
    });
    if (!read) return read;
    for (auto& c : read->items) {
      if (auto st = WithholdFrom(actor, c); !st) return st.error();
    }
    return read;
  }

  Result<std::vector<Case>> ListEscalations(const Actor& actor, size_t limit,
                                            const AuditContext& who, Timestamp now) override {
    auto read = Guarded("list escalations", [&]() -> Result<std::vector<Case>> {
      soci::session sql(pool_);
      const std::string now_text = FormatTimestamp(now);
      // Overdue or escalated, as two index ranges per forum: the overdue ones in
      // cases_forum_due, then the escalated ones not yet overdue at this clock (a scan run
      // ahead of it, `escalate --at`) in the partial cases_forum_escalated. The two are
      // disjoint and the second's deadlines all come after the first's, so appending keeps
      // the order. An OR would make each forum one scan of all its cases.
      const size_t page_size = std::clamp<size_t>(limit, 1, 1000);
      const auto fora = MemberFora(sql, actor.id, "koordinator");
      auto bind = [&](soci::statement& st, const std::string& forum) {
        st.exchange(use(forum));
        st.exchange(use(now_text));
      };
      std::vector<Case> out =
          PerForumPage(sql, fora, "c.due_at <= :now", "due_at, id", page_size, bind);
      if (out.size() < page_size) {
        for (auto& c : PerForumPage(sql, fora, "c.escalated = 1 AND c.due_at > :now",
                                    "due_at, id", page_size - out.size(), bind)) {
          out.push_back(std::move(c));
        }
      }
      if (auto st = RecordReads(actor, who, now, "case.list", out); !st) return st.error();
      return out;
    });
    if (!read) return read;
    for (auto& c : *read) {
      if (auto st = WithholdFrom(actor, c); !st) return st.error();
    }
    return read;
  }

  Result<std::map<std::string, std::string>> DisplayNames(
      const std::vector<std::string>& user_ids) override {
    return Guarded("display names", [&]() -> Result<std::map<std::string, std::string>> {
      Lease lease(*this);
      auto& q = lease.statements.Get(lease.statements.display_name);
      std::map<std::string, std::string> out;
      for (const auto& id : user_ids) {
        if (id.empty() || out.count(id)) continue;
        q.id = id;
        if (q.st.execute(true)) {
          out[id] = q.name;
          Drain(q.st);
        }
      }
      return out;
    });
  }

  Result<ForumStatistics> ForumStats(const AuditContext& who, const Actor& actor,
                                     const std::string& forum_id, Timestamp now) override {
    return Guarded("forum stats", [&]() -> Result<ForumStatistics> {
      soci::session sql(pool_);
      long long member = 0;
      sql << "SELECT COUNT(*) FROM memberships WHERE user_id = :u AND forum_id = :f",
          use(actor.id), use(forum_id), into(member);
      if (member == 0) return MakeError(ErrorCode::kNotFound, "forum not found");

      ForumStatistics out;
      out.forum_id = forum_id;
      const std::string now_text = FormatTimestamp(now);
      const double now_seconds =
          static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                                  now.time_since_epoch())
                                  .count());
      constexpr double kSecondsPerDay = 86400.0;
      {
        // One pass over the forum's range of cases_forum_state, which covers the columns
        // read, grouped by state; the day arithmetic is summed in SQL (mean = now - mean
        // of the entry times).
        std::string state, oldest_entry;
        long long cases = 0, overdue = 0, escalated = 0;
        double entered_sum = 0;
        soci::statement st =
            (sql.prepare << "SELECT state, COUNT(*), "
                            "SUM(CASE WHEN due_at <= :now THEN 1 ELSE 0 END), "
                            "SUM(CASE WHEN escalated = 1 THEN 1 ELSE 0 END), "
                            "SUM(" + EpochSecondsSql("state_entered_at") + "), "
                            "MIN(state_entered_at) "
                            "FROM cases WHERE forum_id = :f GROUP BY state",
             use(now_text), use(forum_id), into(state), into(cases), into(overdue),
             into(escalated), into(entered_sum), into(oldest_entry));
        st.execute();
        while (st.fetch()) {
          StateStatistics s;
          s.state = state;
          s.cases = cases;
          s.overdue = overdue;
          s.escalated = escalated;
          s.mean_days_in_state =
              (now_seconds - entered_sum / static_cast<double>(cases)) / kSecondsPerDay;
          const Timestamp oldest = ParseTimestamp(oldest_entry).value_or(now);
          s.max_days_in_state =
              std::chrono::duration<double>(now - oldest).count() / kSecondsPerDay;
          out.total_cases += cases;
          out.states.push_back(std::move(s));
        }
      }
      // Byte order, whatever the database's collation.
      std::sort(out.states.begin(), out.states.end(),
                [](const StateStatistics& a, const StateStatistics& b) { return a.state < b.state; });
      {
        long long met = 0, missed = 0, escalations = 0;
        const std::string escalate = kEscalateAction;
        soci::indicator met_ind = soci::i_null, missed_ind = soci::i_null,
                        escalations_ind = soci::i_null;
        // Steps that left a state carry the deadline that state had (NULL: none, or the row
        // predates it); escalation rows stay in their state. Read from the covering
        // case_history_forum index alone.
        sql << "SELECT SUM(CASE WHEN h.from_state <> h.to_state AND h.at <= h.due_at "
               "THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN h.from_state <> h.to_state AND h.at > h.due_at THEN 1 ELSE 0 END), "
               "SUM(CASE WHEN h.action = :esc THEN 1 ELSE 0 END) "
               "FROM case_history h WHERE h.forum_id = :f",
            use(escalate), use(forum_id), into(met, met_ind),
            into(missed, missed_ind), into(escalations, escalations_ind);
        out.deadlines_met = met_ind == soci::i_ok ? met : 0;
        out.deadlines_missed = missed_ind == soci::i_ok ? missed : 0;
        out.escalations = escalations_ind == soci::i_ok ? escalations : 0;
      }

      if (auto st = Write("record stats read", [&](soci::session&) -> Status {
            AppendAudit(Reader(actor, who, forum_id), now, forum_id, "", "forum.stats",
                        "");
            return {};
          });
          !st) {
        return st.error();
      }
      return out;
    });
  }

  Result<std::vector<HistoryEntry>> History(const Actor& actor, const std::string& case_id,
                                            const AuditContext& who, Timestamp now) override {
    Case visible_case;
    auto read = Guarded("history", [&]() -> Result<std::vector<HistoryEntry>> {
      Lease lease(*this);
      soci::session& sql = lease.sql;
      auto visible = FetchVisibleCase(lease.statements, actor, case_id);
      if (!visible) return visible.error();
      visible_case = *visible;
      if (auto st = RecordReads(actor, who, now, "case.history", {*visible}); !st) {
        return st.error();
      }
      std::vector<HistoryEntry> out;
      long long seq = 0;
      std::string action, from, to, actor_id, role, at, comment, data;
      soci::indicator actor_ind = soci::i_null;
      soci::statement st =
          (sql.prepare << "SELECT seq, action, from_state, to_state, actor_id, role, at, comment, "
                          "data FROM case_history WHERE case_id = :id ORDER BY seq",
           use(case_id), into(seq), into(action), into(from), into(to), into(actor_id, actor_ind),
           into(role), into(at), into(comment), into(data));
      st.execute();
      while (st.fetch()) {
        HistoryEntry e;
        e.seq = seq;
        e.action = action;
        e.from = from;
        e.to = to;
        e.actor_id = actor_ind == soci::i_ok ? actor_id : "";
        e.role = role;
        e.at = ParseTimestamp(at).value_or(Timestamp{});
        e.comment = comment;
        auto parsed = DataFromJsonText(data);
        if (!parsed) {
          throw CorruptData("case " + case_id + ": stored data of history entry " +
                            std::to_string(seq) + " does not parse");
        }
        e.data = std::move(*parsed);
        out.push_back(std::move(e));
      }
      return out;
    });
    if (!read) return read;
    auto def = PinnedWorkflow(visible_case.workflow_id, visible_case.workflow_version);
    if (!def) return def.error();
    for (auto& e : *read) e = AsReadBy(**def, visible_case, std::move(e), actor);
    return read;
  }

  Result<std::vector<CaseLink>> Links(const Actor& actor, const std::string& case_id) override {
    return Guarded("links", [&]() -> Result<std::vector<CaseLink>> {
      Lease lease(*this);
      auto& visible = lease.statements.Get(lease.statements.case_visible);
      visible.case_id = case_id;
      visible.user_id = actor.id;
      if (!visible.st.execute(true)) return MakeError(ErrorCode::kNotFound, "case not found");
      Drain(visible.st);
      auto& q = lease.statements.Get(lease.statements.links);
      q.case_id = case_id;
      q.case_id2 = case_id;
      std::vector<CaseLink> out;
      q.st.execute();
      while (q.st.fetch()) out.push_back(q.link);
      return out;
    });
  }

  Result<Case> ApplyDecision(const Actor& actor, const Decision& decision,
                             std::int64_t expected_version, const std::optional<Opening>& referred,
                             const AuditContext& who) override {
    const Case& c = decision.updated;
    // Serialised before the job: the writer thread is the bottleneck, not the callers.
    const std::string data = DataToJsonText(c.data);
    const std::string history_data = DataToJsonText(decision.entry.data);
    auto applied = Write("apply decision", [&](soci::session& sql) -> Result<Case> {
      // Before the UPDATE, so the row records the deadline of the state being left; a
      // refused update below rolls it back with the rest of this job.
      AppendHistory(c.id, decision.entry, true, history_data);
      SessionStatements& statements = WriterStatements();
      auto& update = statements.Get(statements.update_case);
      update.state = c.state;
      update.version = c.version;
      update.data = data;
      update.updated_at = FormatTimestamp(c.updated_at);
      update.entered_at = FormatTimestamp(c.state_entered_at);
      update.due_at = c.due_at ? FormatTimestamp(*c.due_at) : "";
      update.due_ind = c.due_at ? soci::i_ok : soci::i_null;
      update.escalated = c.escalated ? 1 : 0;
      update.id = c.id;
      update.expected = expected_version;
      update.user_id = actor.id;
      update.st.execute(true);
      if (update.st.get_affected_rows() != 1) {
        auto current = FetchVisibleCase(statements, actor, c.id);
        if (!current) return current.error();
        return MakeError(ErrorCode::kVersionConflict, "expected_version " +
                                                          std::to_string(expected_version) +
                                                          " is stale: the case is at version " +
                                                          std::to_string(current->version));
      }
      std::string detail =
          decision.entry.action + " " + decision.entry.from + "->" + decision.entry.to;
      if (referred) {
        InsertCase(sql, *referred, who);
        const std::string at = FormatTimestamp(c.updated_at);
        const std::string basis = decision.referral ? decision.referral->legal_basis : "";
        sql << "INSERT INTO case_links (from_case_id, to_case_id, legal_basis, created_by, "
               "created_at) VALUES (:f, :t, :b, :by, :at)",
            use(c.id), use(referred->opened.id), use(basis), use(actor.id), use(at);
        detail += " referred " + referred->opened.id + " basis " + basis;
      }
      AuditContext acting = who;
      if (acting.role.empty()) acting.role = decision.entry.role;
      AppendAudit(acting, c.updated_at, c.forum_id, c.id, "case.transition", detail);
      return c;
    });
    if (!applied) return applied;
    if (auto st = WithholdFrom(actor, *applied); !st) return st.error();
    return applied;
  }

  Result<int> EscalateOverdue(Timestamp now) override {
    const std::string now_text = FormatTimestamp(now);
    int escalated = 0;
    for (;;) {
      size_t found = 0;
      // Selected inside the write job, so a second scanner sees escalated = 1.
      auto st = Write("escalate", [&](soci::session& sql) -> Status {
        std::vector<std::pair<std::string, std::string>> batch;  // (id, forum)
        {
          std::string id, forum;
          soci::statement select = (sql.prepare << "SELECT id, forum_id FROM cases WHERE "
                                                   "escalated = 0 AND due_at <= :now "
                                                   "ORDER BY due_at LIMIT 500",
                                    use(now_text), into(id), into(forum));
          select.execute();
          while (select.fetch()) batch.emplace_back(id, forum);
        }
        found = batch.size();
        for (const auto& [id, forum] : batch) {
          soci::statement mark = (sql.prepare << "UPDATE cases SET escalated = 1 WHERE id = :id "
                                                 "AND escalated = 0 AND due_at <= :now",
                                  use(id), use(now_text));
          mark.execute(true);
          if (mark.get_affected_rows() != 1) continue;  // another process got there first
          Case c;
          {
            CaseRow row;
            soci::statement one(sql);
            one.exchange(use(id));
            row.Bind(one);
            one.alloc();
            one.prepare(std::string("SELECT ") + kCaseColumns + " FROM cases c WHERE c.id = :id");
            one.define_and_bind();
            one.execute(true);
            c = row.ToCase();
          }
          c.escalated = false;  // EscalationFor decides on the state before this scan
          if (auto entry = EscalationFor(c, now)) {
            AppendHistory(id, *entry, true, DataToJsonText(entry->data));
            AppendAudit(AuditContext{"", "", "system", "local"}, now, forum, id,
                        "case.escalate", "state " + c.state);
            ++escalated;
          }
        }
        return {};
      });
      if (!st) return st.error();
      if (found == 0) break;
    }
    if (escalated) spdlog::info("deadline scan escalated {} cases", escalated);
    return escalated;
  }

  Status CreateSession(const Session& session, const AuditContext& who) override {
    return Write("create session", [&](soci::session& sql) -> Status {
      const std::string created = FormatTimestamp(session.created_at);
      const std::string expires = FormatTimestamp(session.expires_at);
      sql << "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, "
             "expires_at, revoked) VALUES (:t, :u, :c, :cr, :ls, :ex, 0)",
          use(session.token_hash), use(session.user_id), use(session.csrf_token), use(created),
          use(created), use(expires);
      AppendAudit(who, session.created_at, "", "", "auth.login", "user " + session.user_id);
      return {};
    });
  }

  Result<Session> FindSession(const std::string& token_hash) override {
    return Guarded("find session", [&]() -> Result<Session> {
      Lease lease(*this);
      auto& q = lease.statements.Get(lease.statements.find_session);
      q.token_hash = token_hash;
      if (!q.st.execute(true)) return MakeError(ErrorCode::kUnauthenticated, "unknown session");
      Session out = q.out;
      out.created_at = ParseTimestamp(q.created).value_or(Timestamp{});
      out.last_seen_at = ParseTimestamp(q.last_seen).value_or(Timestamp{});
      out.expires_at = ParseTimestamp(q.expires).value_or(Timestamp{});
      out.revoked = q.revoked != 0;
      Drain(q.st);
      return out;
    });
  }

  Status TouchSession(const std::string& token_hash, Timestamp now) override {
    return Write("touch session", [&](soci::session& sql) -> Status {
      const std::string at = FormatTimestamp(now);
      sql << "UPDATE sessions SET last_seen_at = :at WHERE token_hash = :t AND revoked = 0",
          use(at), use(token_hash);
      return {};
    });
  }

  Status RevokeSession(const std::string& token_hash, const AuditContext& who,
                       Timestamp now) override {
    return Write("revoke session", [&](soci::session& sql) -> Status {
      sql << "UPDATE sessions SET revoked = 1 WHERE token_hash = :t", use(token_hash);
      AppendAudit(who, now, "", "", "auth.logout", "");
      return {};
    });
  }

  Status RecordAudit(const AuditContext& who, Timestamp now, const std::string& forum_id,
                     const std::string& case_id, const std::string& action,
                     const std::string& detail) override {
    return Write("record audit", [&](soci::session&) -> Status {
      AppendAudit(who, now, forum_id, case_id, action, detail);
      return {};
    });
  }

  Result<std::vector<AccessRecord>> AccessLogFor(const Subject& subject, const AuditContext& who,
                                                 Timestamp now) override {
    return Write("access log", [&](soci::session& sql) -> Result<std::vector<AccessRecord>> {
      const std::string birth = FormatDate(subject.birth_date);
      std::vector<std::pair<std::string, std::string>> cases;  // (case id, forum id)
      {
        std::string id, forum;
        soci::statement st = (sql.prepare << "SELECT id, forum_id FROM cases WHERE "
                                             "subject_name = :n AND subject_birth_date = :b "
                                             "ORDER BY id",
                              use(subject.name), use(birth), into(id), into(forum));
        st.execute();
        while (st.fetch()) cases.emplace_back(id, forum);
      }
      std::vector<AccessRecord> out;
      for (const auto& [case_id, forum_id] : cases) {
        AccessRecord r;
        std::string at;
        soci::indicator agency_ind = soci::i_null, kind_ind = soci::i_null;
        soci::statement st =
            (sql.prepare << "SELECT a.at, a.case_id, f.name, g.name, g.kind, a.role, a.action "
                            "FROM audit_log a JOIN fora f ON f.id = a.forum_id "
                            "LEFT JOIN agencies g ON g.id = a.agency_id "
                            "WHERE a.case_id = :c ORDER BY a.seq",
             use(case_id), into(at), into(r.case_id), into(r.forum_name),
             into(r.agency_name, agency_ind), into(r.agency_kind, kind_ind), into(r.role),
             into(r.action));
        st.execute();
        while (st.fetch()) {
          r.at = ParseTimestamp(at).value_or(Timestamp{});
          if (agency_ind != soci::i_ok) r.agency_name.clear();
          if (kind_ind != soci::i_ok) r.agency_kind.clear();
          out.push_back(r);
        }
        AppendAudit(who, now, forum_id, case_id, "case.export", "access-log extract");
      }
      std::stable_sort(out.begin(), out.end(),
                       [](const AccessRecord& a, const AccessRecord& b) { return a.at < b.at; });
      return out;
    });
  }

  Result<std::map<std::pair<std::string, std::string>, std::int64_t>> CountOpenCases() override {
    using Counts = std::map<std::pair<std::string, std::string>, std::int64_t>;
    return Guarded("count open cases", [&]() -> Result<Counts> {
      soci::session sql(pool_);
      Counts out;
      std::string forum, state;
      long long n = 0;
      // Terminal states have no deadline, so due_at IS NOT NULL is "open".
      soci::statement st = (sql.prepare << "SELECT forum_id, state, COUNT(*) FROM cases "
                                           "WHERE due_at IS NOT NULL GROUP BY forum_id, state",
                            into(forum), into(state), into(n));
      st.execute();
      while (st.fetch()) out[{forum, state}] = n;
      return out;
    });
  }

  Result<std::int64_t> CountCases() override {
    return Guarded("count cases", [&]() -> Result<std::int64_t> {
      soci::session sql(pool_);
      long long n = 0;
      sql << "SELECT COUNT(*) FROM cases", into(n);
      return static_cast<std::int64_t>(n);
    });
  }

  Result<std::int64_t> VerifyAuditChain() override {
    return Guarded("verify audit", [&]() -> Result<std::int64_t> {
      soci::session sql(pool_);
      AuditRow row;
      soci::statement st(sql);
      row.Bind(st);
      st.alloc();
      st.prepare(std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY seq");
      st.define_and_bind();
      st.execute(false);
      std::int64_t expected_seq = 1;
      std::string prev = kGenesisHash;
      while (st.fetch()) {
        AuditEntry e = row.ToEntry();
        const std::string where = "audit chain broken at entry " + std::to_string(e.seq) + ": ";
        if (e.seq != expected_seq) {
          return MakeError(
              ErrorCode::kInternal,
              "audit chain broken at entry " + std::to_string(expected_seq) + ": entry is missing");
        }
        if (e.prev_hash != prev) {
          return MakeError(ErrorCode::kInternal, where + "it does not link to the entry before");
        }
        if (AuditHash(e) != e.hash) {
          return MakeError(ErrorCode::kInternal, where + "its content does not match its hash");
        }
        prev = e.hash;
        ++expected_seq;
      }
      return expected_seq - 1;
    });
  }

  Result<std::vector<AuditEntry>> AuditEntries(std::int64_t after_seq, size_t limit) override {
    return Guarded("audit entries", [&]() -> Result<std::vector<AuditEntry>> {
      soci::session sql(pool_);
      AuditRow row;
      const long long after = after_seq;
      soci::statement st(sql);
      st.exchange(use(after));
      row.Bind(st);
      st.alloc();
      st.prepare(std::string("SELECT ") + kAuditColumns + " FROM audit_log WHERE seq > :after " +
                 "ORDER BY seq LIMIT " + std::to_string(std::clamp<size_t>(limit, 1, 10000)));
      st.define_and_bind();
      st.execute(false);
      std::vector<AuditEntry> out;
      while (st.fetch()) out.push_back(row.ToEntry());
      return out;
    });
  }

 private:
  // A write transaction. Every write appends to the audit chain, whose head must not move
  // meanwhile, so writes are serialised, and the lock is taken first, before any row lock,
  // so that lock order cannot invert. SQLite: BEGIN IMMEDIATE takes the write lock up front
  // (writers queue on busy_timeout instead of failing to upgrade a read lock). PostgreSQL:
  // a transaction-scoped advisory lock.
  class Tx {
   public:
    Tx(soci::session& sql, bool sqlite) : sql_(sql) {
      if (sqlite) {
        sql_ << "BEGIN IMMEDIATE";
      } else {
        sql_ << "BEGIN";
        sql_ << "SELECT pg_advisory_xact_lock(7241002)";
      }
    }
    void Commit() {
      sql_ << "COMMIT";
      done_ = true;
    }
    ~Tx() {
      if (done_) return;
      try {
        sql_ << "ROLLBACK";
      } catch (const std::exception& e) {
        spdlog::error("rollback failed: {}", e.what());
      }
    }

   private:
    soci::session& sql_;
    bool done_ = false;
  };

  static constexpr const char* kAuditColumns =
      "seq, at, actor_id, agency_id, role, forum_id, case_id, action, client_address, detail, "
      "prev_hash, hash";

  struct AuditRow {
    long long seq = 0;
    std::string at, actor_id, agency_id, role, forum_id, case_id, action, client_address, detail,
        prev_hash, hash;
    void Bind(soci::statement& st) {
      st.exchange(into(seq));
      for (std::string* s : {&at, &actor_id, &agency_id, &role, &forum_id, &case_id, &action,
                             &client_address, &detail, &prev_hash, &hash}) {
        st.exchange(into(*s));
      }
    }
    AuditEntry ToEntry() const {
      return AuditEntry{seq,
                        ParseTimestamp(at).value_or(Timestamp{}),
                        actor_id,
                        agency_id,
                        role,
                        forum_id,
                        case_id,
                        action,
                        client_address,
                        detail,
                        prev_hash,
                        hash};
    }
  };

  bool sqlite() const { return url_.kind == DatabaseUrl::Kind::kSqlite; }

  // A session of the pool with its prepared statements, for one call.
  class Lease {
   public:
    explicit Lease(SociStore& store)
        : pool_(store.pool_),
          position_(pool_.lease()),
          sql(pool_.at(position_)),
          statements(*store.reader_statements_.at(position_)) {}
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
    if (!writer_statements_) writer_statements_ = std::make_unique<SessionStatements>(writer_session_);
    return *writer_statements_;
  }

  // Migration bookkeeping only; everything the domain records takes its time as an argument.
  static Timestamp NowForRecords() {
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  }

  static bool Exists(soci::session& sql, const std::string& query, const std::string& value) {
    long long count = 0;
    sql << query, use(value), into(count);
    return count > 0;
  }

  // The fora the user is a member of (with `role` only, unless empty), ordered by id.
  static std::vector<std::string> MemberFora(soci::session& sql, const std::string& user_id,
                                             const std::string& role) {
    std::vector<std::string> out;
    std::string forum;
    soci::statement st =
        role.empty() ? (sql.prepare << "SELECT DISTINCT forum_id FROM memberships "
                                       "WHERE user_id = :u ORDER BY forum_id",
                        use(user_id), into(forum))
                     : (sql.prepare << "SELECT DISTINCT forum_id FROM memberships "
                                       "WHERE user_id = :u AND role = :r ORDER BY forum_id",
                        use(user_id), use(role), into(forum));
    st.execute();
    while (st.fetch()) out.push_back(forum);
    std::sort(out.begin(), out.end());  // byte order, whatever the collation
    return out;
  }

  // The first `limit` cases, ordered by `order` (columns of `cases`), of those in `fora`
  // that meet `conditions` (SQL on alias c; `bind` binds one forum's id, then the values of
  // its placeholders). Each forum is its own subquery with its own ORDER BY and LIMIT, so
  // each is one index range scan (cases_forum_id, cases_forum_state, cases_forum_due)
  // that stops after `limit` rows, however many cases the other fora hold; the outer ORDER
  // BY merges them. A membership test per row, as an EXISTS over all cases would be, walks
  // every case in id order until enough visible ones turn up.
  std::vector<Case> PerForumPage(soci::session& sql, const std::vector<std::string>& fora,
                                 const std::string& conditions, const std::string& order,
                                 size_t limit,
                                 const std::function<void(soci::statement&, const std::string&)>&
                                     bind) {
    // SQLite allows 500 terms in a compound SELECT; a user in more fora gets several
    // queries, merged here.
    constexpr size_t kForaPerQuery = 100;
    std::string inner_order;
    for (size_t start = 0; start < order.size();) {
      size_t comma = order.find(',', start);
      std::string column = order.substr(start, comma == std::string::npos ? comma : comma - start);
      column.erase(0, column.find_first_not_of(' '));
      inner_order += (inner_order.empty() ? "c." : ", c.") + column;
      start = comma == std::string::npos ? order.size() : comma + 1;
    }
    const std::string lim = " LIMIT " + std::to_string(limit);
    std::vector<Case> out;
    for (size_t first = 0; first < fora.size(); first += kForaPerQuery) {
      const size_t last = std::min(fora.size(), first + kForaPerQuery);
      std::string query;
      for (size_t i = first; i < last; ++i) {
        query += (i == first ? "" : " UNION ALL ");
        // Placeholders are positional, but SQLite binds a repeated name once: each
        // subquery gets names of its own.
        const std::string n = std::to_string(i - first);
        query += std::string("SELECT * FROM (SELECT ") + kCaseColumns +
                 " FROM cases c WHERE c.forum_id = :forum AND " + conditions + " ORDER BY " +
                 inner_order + lim + ") AS f" + n;
        query = SuffixPlaceholders(query, query.rfind("SELECT * FROM ("), "_" + n);
      }
      query += " ORDER BY " + order + lim;
      CaseRow row;
      soci::statement st(sql);
      for (size_t i = first; i < last; ++i) bind(st, fora[i]);
      row.Bind(st);
      st.alloc();
      st.prepare(query);
      st.define_and_bind();
      st.execute(false);
      while (st.fetch()) out.push_back(row.ToCase());
    }
    if (fora.size() > kForaPerQuery) {
      // Only for users in very many fora: merge the queries' pages.
      std::sort(out.begin(), out.end(), [&](const Case& a, const Case& b) {
        if (order == "id") return a.id < b.id;
        return std::tie(a.due_at, a.id) < std::tie(b.due_at, b.id);
      });
      if (out.size() > limit) out.resize(limit);
    }
    return out;
  }

  Result<Case> FetchVisibleCase(SessionStatements& statements, const Actor& actor,
                                const std::string& case_id) {
    auto& q = statements.Get(statements.visible_case);
    q.case_id = case_id;
    q.user_id = actor.id;
    if (!q.st.execute(true)) return MakeError(ErrorCode::kNotFound, "case not found");
    Case c = q.row.ToCase();
    Drain(q.st);
    return c;
  }

  void InsertCase(soci::session& sql, const Opening& opening, const AuditContext& who) {
    const Case& c = opening.opened;
    const long long workflow_version = c.workflow_version;
    const long long version = c.version;
    const long long escalated = c.escalated ? 1 : 0;
    const std::string birth = FormatDate(c.subject.birth_date);
    const std::string data = DataToJsonText(c.data);
    const std::string opened_at = FormatTimestamp(c.opened_at);
    const std::string updated_at = FormatTimestamp(c.updated_at);
    const std::string entered_at = FormatTimestamp(c.state_entered_at);
    std::string due_at = c.due_at ? FormatTimestamp(*c.due_at) : "";
    soci::indicator due_ind = c.due_at ? soci::i_ok : soci::i_null;
    sql << "INSERT INTO cases (id, forum_id, workflow_id, workflow_version, state, version, "
           "subject_name, subject_birth_date, summary, data, opened_by, opened_at, updated_at, "
           "state_entered_at, due_at, escalated) VALUES (:id, :f, :w, :wv, :s, :v, :sn, :sb, "
           ":sum, :d, :by, :oa, :ua, :ea, :due, :esc)",
        use(c.id), use(c.forum_id), use(c.workflow_id), use(workflow_version), use(c.state),
        use(version), use(c.subject.name), use(birth), use(c.summary), use(data), use(c.opened_by),
        use(opened_at), use(updated_at), use(entered_at), use(due_at, due_ind), use(escalated);
    AppendHistory(c.id, opening.entry, false, DataToJsonText(opening.entry.data));
    AuditContext acting = who;
    if (acting.role.empty()) acting.role = opening.entry.role;
    AppendAudit(acting, c.opened_at, c.forum_id, c.id, "case.open", "state " + c.state);
  }

  // Appends `e` as the case's next history row, with `data_text` its data as JSON text. With
  // `record_deadline` the row keeps the due_at the case has now, i.e. the deadline of the
  // state the step leaves, so a transition must append before its UPDATE; the opening row
  // records none. A case that does not exist gets no row.
  // REQUIRES: inside a write job.
  void AppendHistory(const std::string& case_id, const HistoryEntry& e, bool record_deadline,
                     const std::string& data_text) {
    SessionStatements& statements = WriterStatements();
    auto& q = record_deadline ? statements.Get(statements.insert_history, true)
                              : statements.Get(statements.insert_opening_history, false);
    q.action = e.action;
    q.from = e.from;
    q.to = e.to;
    q.actor = e.actor_id;
    q.actor_ind = e.actor_id.empty() ? soci::i_null : soci::i_ok;
    q.role = e.role;
    q.at = FormatTimestamp(e.at);
    q.comment = e.comment;
    q.data = data_text;
    q.case_id = case_id;
    q.st.execute(true);
  }

  // The audit context of `actor` reading in `forum_id`: the roles they hold there.
  static AuditContext Reader(const Actor& actor, const AuditContext& who,
                             const std::string& forum_id) {
    AuditContext reader = who;
    reader.actor_id = actor.id;
    reader.agency_id = actor.agency_id;
    reader.role.clear();
    for (const auto& r : actor.RolesIn(forum_id)) {
      reader.role += (reader.role.empty() ? "" : ",") + r;
    }
    return reader;
  }

  // Records that `actor` read these cases, one audit entry each, in one transaction.
  // The role recorded is what the actor holds in the case's forum.
  Status RecordReads(const Actor& actor, const AuditContext& who, Timestamp now,
                     const std::string& action, const std::vector<Case>& cases) {
    if (cases.empty()) return {};
    return Write("record reads", [&](soci::session&) -> Status {
      for (const auto& c : cases) {
        AppendAudit(Reader(actor, who, c.forum_id), now, c.forum_id, c.id, action, "");
      }
      return {};
    });
  }

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

  // Appends to the hash chain after the head the writer keeps for this transaction (read
  // once per batch, under the write lock).
  // REQUIRES: inside a write job (the chain head must not move meanwhile).
  void AppendAudit(const AuditContext& who, Timestamp at, const std::string& forum_id,
                   const std::string& case_id, const std::string& action,
                   const std::string& detail) {
    SessionStatements& statements = WriterStatements();
    AuditHead& head = writer_->audit_head;
    if (!head.known) {
      auto& q = statements.Get(statements.audit_head);
      const bool has_previous = q.st.execute(true);
      head.seq = has_previous ? q.seq : 0;
      head.hash = has_previous ? q.hash : kGenesisHash;
      if (has_previous) Drain(q.st);
      head.known = true;
    }
    AuditEntry e;
    e.seq = head.seq + 1;
    e.prev_hash = head.hash;
    e.at = at;
    e.actor_id = who.actor_id;
    e.agency_id = who.agency_id;
    e.role = who.role;
    e.forum_id = forum_id;
    e.case_id = case_id;
    e.action = action;
    e.client_address = who.client_address;
    e.detail = detail;
    e.hash = AuditHash(e);
    auto& q = statements.Get(statements.insert_audit);
    q.seq = e.seq;
    q.at = FormatTimestamp(e.at);
    q.actor_id = e.actor_id;
    q.agency_id = e.agency_id;
    q.role = e.role;
    q.forum_id = e.forum_id;
    q.case_id = e.case_id;
    q.action = e.action;
    q.client_address = e.client_address;
    q.detail = e.detail;
    q.prev_hash = e.prev_hash;
    q.hash = e.hash;
    q.st.execute(true);
    // Only after the INSERT succeeded; a failed job puts the head back (Writer::RunBatch).
    head.seq = e.seq;
    head.hash = e.hash;
  }

  // domain.md rule 4 on a case handed to a reader. Called after the read's session is
  // returned to the pool: a definition not yet cached is read with a session of its own.
  Status WithholdFrom(const Actor& actor, Case& c) {
    auto def = PinnedWorkflow(c.workflow_id, c.workflow_version);
    if (!def) return def.error();
    WithholdConfidential(**def, c, actor);
    return {};
  }

  // A write of no data (migration 6), committed like any change.
  static constexpr const char* kProbeWrite =
      "UPDATE readiness_probe SET probes = probes + 1 WHERE id = 1";

  DatabaseUrl url_;
  StoreOptions options_;
  Health health_;
  SqliteFileWatch file_watch_{url_.target};  // SQLite only
  WalNudge wal_nudge_;                        // SQLite only
  std::mutex definitions_mutex_;
  std::map<std::pair<std::string, std::int64_t>, std::shared_ptr<const WorkflowDefinition>>
      definitions_;  // PinnedWorkflow's, parsed once
  soci::connection_pool pool_;
  soci::session writer_session_;
  // Destroyed before the sessions they were prepared on.
  std::vector<std::unique_ptr<SessionStatements>> reader_statements_;  // by pool position
  std::unique_ptr<SessionStatements> writer_statements_;  // the writer thread's only
  std::unique_ptr<Writer> writer_;  // stops before the sessions close
  std::unique_ptr<Checkpointer> checkpointer_;  // SQLite only; stops first
};

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const StoreOptions& options) {
  auto url = ParseDatabaseUrl(options.url);
  if (!url) return url.error();
  if (options.sqlite_synchronous != "FULL" && options.sqlite_synchronous != "NORMAL") {
    return MakeError(ErrorCode::kInvalidRequest, "sqlite synchronous must be FULL or NORMAL");
  }
  if (options.pool_size < 1) {
    return MakeError(ErrorCode::kInvalidRequest, "the pool needs at least one session");
  }
  if (options.sqlite_wal_limit_bytes < 1 || options.sqlite_checkpoint_max_pause_ms < 0) {
    return MakeError(ErrorCode::kInvalidRequest,
                     "the WAL limit must be positive and the checkpoint pause not negative");
  }
  auto store = std::make_unique<SociStore>(*url, options);
  if (auto st = store->Connect(); !st) return st.error();
  if (auto migrated = store->Migrate(); !migrated) return migrated.error();
  store->StartWriter();
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace samspil
