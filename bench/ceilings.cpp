// The two ceilings the API is measured against, on the same machine in the same run:
// a trivial Poco handler (HTTP) and plain SQLite commits with the API's durability (storage).
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/NullStream.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <sqlite3.h>

#include <iostream>
#include <latch>
#include <stdexcept>
#include <string>
#include <thread>

#include "common.hpp"

namespace samspil::bench {
namespace {

constexpr char kBody[] = "{\"status\":\"ok\"}";

class TrivialHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    // As the real server does: without it a two-piece response waits for a delayed ACK.
    static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().setNoDelay(true);
    Poco::NullOutputStream sink;
    Poco::StreamCopier::copyStream(request.stream(), sink);
    response.setContentType("application/json");
    response.setContentLength(sizeof kBody - 1);
    response.sendBuffer(kBody, sizeof kBody - 1);
  }
};

class TrivialFactory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new TrivialHandler;
  }
};

}  // namespace

int RunHttpCeiling(const Args& args) {
  const int connections = static_cast<int>(args.Int("connections", 8));
  const double seconds = args.Real("seconds", 10);
  const double warmup = args.Real("warmup", 1);
  // Poco serves one keep-alive connection per pool thread: a few spare for the acceptor.
  const int threads = connections + 4;
  Poco::ThreadPool pool(2, threads);
  Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0), 256);
  auto* params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(threads);
  params->setMaxQueued(1024);
  params->setKeepAlive(true);
  params->setMaxKeepAliveRequests(0);
  params->setKeepAliveTimeout(Poco::Timespan(10, 0));
  Poco::Net::HTTPServer server(new TrivialFactory, pool, socket, params);
  server.start();
  const std::uint16_t port = server.port();

  std::vector<ConnStats> stats(static_cast<size_t>(connections));
  std::latch ready(connections), go(1);
  Clock::time_point measure_from, end;
  std::vector<std::thread> clients;
  for (int i = 0; i < connections; ++i) {
    clients.emplace_back([&, i] {
      ConnStats& st = stats[static_cast<size_t>(i)];
      st.latencies_us.reserve(1 << 20);
      Client client(port, std::chrono::seconds(10));
      std::string body;
      client.Request("GET", "/", "", "", body);  // connect before the clock starts
      ready.count_down();
      go.wait();
      for (long n = 0; n < 100'000'000; ++n) {
        const auto t0 = Clock::now();
        if (t0 >= end) break;
        const int status = client.Request("GET", "/", "", "", body);
        const auto t1 = Clock::now();
        if (t0 < measure_from) continue;
        if (status == 200) {
          ++st.ok;
          st.latencies_us.push_back(Micros(t1 - t0));
        } else {
          ++st.errors[status];
        }
      }
      st.reconnects = client.reconnects();
    });
  }
  ready.wait();
  measure_from = Clock::now() +
                 std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(warmup));
  end = measure_from +
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  go.count_down();
  for (auto& t : clients) t.join();
  server.stopAll(true);
  pool.joinAll();

  const Summary s = Summarize(stats, seconds);
  PrintResult("mode=http-ceiling conns=" + std::to_string(connections), s);
  if (s.min_conn == 0) {
    std::cerr << "FAIL: a connection made no progress" << std::endl;
    return 3;
  }
  return 0;
}

namespace {

class Db {
 public:
  explicit Db(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) throw std::runtime_error("sqlite3_open");
  }
  ~Db() {
    for (auto* st : statements_) sqlite3_finalize(st);
    sqlite3_close(db_);
  }
  void Exec(const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string what = message ? message : "?";
      sqlite3_free(message);
      throw std::runtime_error(sql + ": " + what);
    }
  }
  sqlite3_stmt* Prepare(const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    statements_.push_back(st);
    return st;
  }
  // Steps a statement to the end and resets it; throws on an error.
  void Run(sqlite3_stmt* st) {
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    }
    if (rc != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db_));
    sqlite3_reset(st);
  }

 private:
  sqlite3* db_ = nullptr;
  std::vector<sqlite3_stmt*> statements_;
};

void BindText(sqlite3_stmt* st, int i, const std::string& s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

// Runs `commit` back to back for `seconds` and reports commits/s and their latency.
template <typename F>
void Measure(const std::string& labels, double seconds, F&& commit) {
  ConnStats st;
  st.latencies_us.reserve(1 << 22);
  const auto end = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(seconds));
  const auto started = Clock::now();
  for (long n = 0; n < 100'000'000; ++n) {
    const auto t0 = Clock::now();
    if (t0 >= end) break;
    commit(n);
    st.latencies_us.push_back(Micros(Clock::now() - t0));
    ++st.ok;
  }
  PrintResult(labels, Summarize({st}, Seconds(Clock::now() - started)));
}

}  // namespace

int RunStorageCeiling(const Args& args) {
  const std::string sync = args.Get("sync", "FULL");
  if (sync != "FULL" && sync != "NORMAL") throw std::invalid_argument("--sync FULL|NORMAL");
  const double seconds = args.Real("seconds", 10);
  const auto dir = MakeTempDir(args.Get("dir", std::filesystem::temp_directory_path().string()));
  std::cerr << "storage ceiling in " << dir << " (" << FileSystemType(dir) << ")" << std::endl;
  const std::string common = "sync=" + sync + " fs=" + FileSystemType(dir);
  {
    // The same settings the store uses: WAL, the given synchronous, one write per transaction.
    Db db((dir / "single.db").string());
    db.Exec("PRAGMA journal_mode = WAL");
    db.Exec("PRAGMA synchronous = " + sync);
    db.Exec("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)");
    auto* begin = db.Prepare("BEGIN IMMEDIATE");
    auto* insert = db.Prepare("INSERT INTO t (payload) VALUES (?1)");
    auto* commit = db.Prepare("COMMIT");
    const std::string payload(100, 'x');
    Measure("mode=storage-ceiling variant=single-row " + common, seconds, [&](long) {
      db.Run(begin);
      BindText(insert, 1, payload);
      db.Run(insert);
      db.Run(commit);
    });
  }
  {
    // What a transition writes, without SOCI, JSON or hashing: read the case, a versioned
    // update, a history row and an audit row, in one transaction.
    Db db((dir / "transition.db").string());
    db.Exec("PRAGMA journal_mode = WAL");
    db.Exec("PRAGMA synchronous = " + sync);
    db.Exec(
        "CREATE TABLE cases (id TEXT PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL, "
        "data TEXT NOT NULL, updated_at TEXT NOT NULL)");
    db.Exec(
        "CREATE TABLE history (case_id TEXT NOT NULL, seq INTEGER NOT NULL, action TEXT NOT "
        "NULL, at TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (case_id, seq))");
    db.Exec(
        "CREATE TABLE audit (seq INTEGER PRIMARY KEY, case_id TEXT NOT NULL, action TEXT NOT "
        "NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)");
    constexpr int kCases = 1000;
    db.Exec("BEGIN");
    auto* seed = db.Prepare("INSERT INTO cases VALUES (?1, 'indsats', 1, '{}', '')");
    for (int i = 0; i < kCases; ++i) {
      BindText(seed, 1, "case_" + std::to_string(i));
      db.Run(seed);
    }
    db.Exec("COMMIT");
    auto* begin = db.Prepare("BEGIN IMMEDIATE");
    auto* select = db.Prepare("SELECT state, version FROM cases WHERE id = ?1");
    auto* update = db.Prepare(
        "UPDATE cases SET state = ?1, version = ?2, data = ?3, updated_at = ?4 "
        "WHERE id = ?5 AND version = ?6");
    auto* history = db.Prepare("INSERT INTO history VALUES (?1, ?2, ?3, ?4, ?5)");
    auto* audit = db.Prepare(
        "INSERT INTO audit (case_id, action, prev_hash, hash) "
        "VALUES (?1, 'case.transition', ?2, ?3)");
    auto* commit = db.Prepare("COMMIT");
    const std::string data = R"({"aftaler":"Aftalerne følges [fiktiv]","status":"ok"})";
    const std::string hash(64, 'a');
    Measure("mode=storage-ceiling variant=transition-shaped " + common, seconds, [&](long n) {
      const std::string id = "case_" + std::to_string(n % kCases);
      db.Run(begin);
      BindText(select, 1, id);
      if (sqlite3_step(select) != SQLITE_ROW) throw std::runtime_error("case missing");
      const std::string state = reinterpret_cast<const char*>(sqlite3_column_text(select, 0));
      const sqlite3_int64 version = sqlite3_column_int64(select, 1);
      sqlite3_reset(select);
      BindText(update, 1, state == "indsats" ? "opfoelgning" : "indsats");
      sqlite3_bind_int64(update, 2, version + 1);
      BindText(update, 3, data);
      BindText(update, 4, "2026-11-23T10:00:00Z");
      BindText(update, 5, id);
      sqlite3_bind_int64(update, 6, version);
      db.Run(update);
      BindText(history, 1, id);
      sqlite3_bind_int64(history, 2, version + 1);
      BindText(history, 3, "start_opfoelgning");
      BindText(history, 4, "2026-11-23T10:00:00Z");
      BindText(history, 5, data);
      db.Run(history);
      BindText(audit, 1, id);
      BindText(audit, 2, hash);
      BindText(audit, 3, hash);
      db.Run(audit);
      db.Run(commit);
    });
  }
  if (!args.Has("keep")) std::filesystem::remove_all(dir);
  return 0;
}

}  // namespace samspil::bench
