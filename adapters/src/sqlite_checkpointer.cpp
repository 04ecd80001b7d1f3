#include "sqlite_checkpointer.hpp"

#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>

#include "sql/statements.hpp"
#include "sql/writer.hpp"

namespace samspil::store_impl {

void WalNudge::AfterCommit() {
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

void WalNudge::WaitForRoom() {
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

void WalNudge::Checked(bool still_over) {
  {
    std::lock_guard lock(mutex);
    over_hard_limit = still_over;
    nudged = false;
  }
  checked.notify_all();
}

Checkpointer::Checkpointer(const std::string& path, const StoreOptions& options, Writer& writer,
                           Health& health, const SqliteFileWatch& file_watch, WalNudge& nudge)
    : wal_path_(path + "-wal"),
      wal_limit_(options.sqlite_wal_limit_bytes),
      nudge_(nudge),
      writer_(writer),
      health_(health),
      file_watch_(file_watch) {
  session_.open(*soci::factory_sqlite3(), "db=\"" + path + "\"");
  session_ << sql::kSqliteSynchronous + options.sqlite_synchronous;
  // Only the RESTART checkpoint waits (PASSIVE never calls the busy handler). SQLite's
  // own busy_timeout sleeps in steps of up to 100 ms, so a restart that waited for one
  // reader's last millisecond held the writes for tens of ms (p99 at 64 connections
  // 34-41 -> 61-69 ms); this handler looks again every 100 us, up to the longest pause.
  max_pause_ = std::chrono::milliseconds(options.sqlite_checkpoint_max_pause_ms);
  int page_size = 4096;
  session_ << sql::kSqlitePageSize, soci::into(page_size);
  page_size_ = page_size;
  auto* backend = static_cast<soci::sqlite3_session_backend*>(session_.get_backend());
  sqlite_api::sqlite3_busy_handler(backend->conn_, &Checkpointer::WaitForReaders, this);
  thread_ = std::thread([this] { Run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(nudge_.mutex);
    nudge_.stop = true;
  }
  nudge_.wake.notify_all();
  nudge_.checked.notify_all();
  thread_.join();
}

int Checkpointer::WaitForReaders(void* self, int attempt) {
  auto* checkpointer = static_cast<Checkpointer*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (attempt == 0) checkpointer->waiting_since_ = now;
  if (now - checkpointer->waiting_since_ >= checkpointer->max_pause_) return 0;
  std::this_thread::sleep_for(std::chrono::microseconds(100));
  return 1;
}

void Checkpointer::Run() {
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

void Checkpointer::Tick() {
  if (health_.FileGone() || !file_watch_.Unchanged()) {
    health_.MarkFileGone();
    nudge_.Checked(false);  // writes fail now anyway: nothing to wait for
    return;
  }
  try {
    int busy = 0, log_frames = 0, checkpointed = 0;
    session_ << sql::kCheckpointPassive, soci::into(busy), soci::into(log_frames),
        soci::into(checkpointed);
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

bool Checkpointer::Restart(std::int64_t wal_size) {
  int busy = 0, log_frames = 0, checkpointed = 0;
  const auto started = std::chrono::steady_clock::now();
  writer_.Hold();
  try {
    session_ << sql::kCheckpointRestart, soci::into(busy), soci::into(log_frames),
        soci::into(checkpointed);
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

}  // namespace samspil::store_impl
