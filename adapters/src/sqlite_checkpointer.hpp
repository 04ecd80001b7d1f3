// SQLite only: the checkpointer thread that copies the WAL back into the database and keeps
// the WAL's size bounded, and the WalNudge by which the writer wakes it.
#pragma once

#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "samspil/adapters/store.hpp"
#include "sql/health.hpp"

namespace samspil::store_impl {

class Writer;

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
  void AfterCommit();

  // Before a batch, on the writer thread, outside the batch (the restart holds the writer
  // until its batch ends). Free unless the last commit left the WAL past the hard limit.
  void WaitForRoom();

  // After each checkpoint round: whether the log is still past the hard limit.
  void Checked(bool still_over);
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
               Health& health, const SqliteFileWatch& file_watch, WalNudge& nudge);
  ~Checkpointer();

 private:
  // SQLite's busy handler: non-zero to try again. `attempt` is 0 at the first call of a wait.
  static int WaitForReaders(void* self, int attempt);

  void Run();
  void Tick();
  // Whether the log was restarted (no reader kept it).
  bool Restart(std::int64_t wal_size);

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

}  // namespace samspil::store_impl
