// Load on the real server, in-process on a loopback port over a fresh SQLite database:
// transitions (closed-loop for throughput, fixed-rate for latency) and the case list page.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <latch>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>

#include "common.hpp"
#include "hostile.hpp"
#include "samspil/adapters/case_service.hpp"
#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"
#include "samspil/web/api.hpp"
#include "samspil/web/http_server.hpp"
#include "samspil/web/metrics.hpp"

namespace samspil::bench {
namespace {

constexpr const char* kPassword = "bench-kodeord";
constexpr const char* kAgency = "kommune-bench";

void Check(const Status& st, const std::string& what) {
  if (!st) throw std::runtime_error(what + ": " + st.error().message);
}

// The server and everything it needs, as web/src/http_server.cpp's RunServer wires it.
struct Env {
  std::filesystem::path db_path;
  std::unique_ptr<Store> store;
  LoadedWorkflows workflows;
  SystemClock clock;
  RandomIdSource ids;
  // A cheap PBKDF2 cost: logins are set-up, not what is measured.
  Pbkdf2PasswordHasher hasher{1000};
  Metrics metrics;
  std::unique_ptr<CaseService> service;
  std::unique_ptr<Api> api;
  std::unique_ptr<HttpServer> server;
  AuditContext cli{"", "", "cli", "local"};

  Env(const std::filesystem::path& path, const std::string& sync, size_t threads) : db_path(path) {
    StoreOptions options;
    options.url = "sqlite:" + path.string();
    // The pool keeps its default (StoreOptions::pool_size), as `samspil serve` does, unless
    // SAMSPIL_BENCH_POOL says otherwise (to compare).
    if (const char* pool = std::getenv("SAMSPIL_BENCH_POOL")) options.pool_size = std::stoul(pool);
    if (const char* wal = std::getenv("SAMSPIL_BENCH_WAL_LIMIT")) options.sqlite_wal_limit_bytes = std::stoll(wal);
    options.sqlite_synchronous = sync;
    auto opened = Store::Open(options);
    if (!opened) throw std::runtime_error("open store: " + opened.error().message);
    store = std::move(*opened);
    workflows = LoadWorkflowDir(SAMSPIL_WORKFLOWS_DIR);
    if (!workflows.problems.empty()) throw std::runtime_error(workflows.problems[0].ToString());
    for (const auto& [id, def] : workflows.by_id) {
      Check(store->RegisterWorkflow(def, workflows.source_by_id.at(id)), "register " + id);
    }
    service = std::make_unique<CaseService>(*store, workflows.by_id, clock, ids);
    api = std::make_unique<Api>(*store, *service, hasher, clock, metrics);
    ServerConfig config;
    config.host = "127.0.0.1";
    config.port = 0;
    config.threads = threads;
    if (const char* io = std::getenv("SAMSPIL_BENCH_IO_THREADS")) config.io_threads = std::stoul(io);
    config.escalation_interval = std::chrono::seconds(3600);  // no scan during a measurement
    server = std::make_unique<HttpServer>(config, *api, *store, clock, metrics);
  }

  // Agency, fora and users "bench_0".."bench_{n-1}", koordinator in `member_of`.
  void Seed(const std::vector<std::string>& fora, int users, const std::string& member_of) {
    const Timestamp now = clock.Now();
    Check(store->AddAgency({kAgency, "Benchkommune", "kommune"}, cli, now), "agency");
    for (const auto& forum : fora) {
      Check(store->AddForum({forum, "SSP " + forum, "ssp", "Benchby"}, cli, now), "forum");
    }
    const std::string hash = hasher.Hash(kPassword);
    for (int i = 0; i < users; ++i) {
      const std::string name = "bench_" + std::to_string(i);
      Check(store->AddUser({"usr_" + name, name, "Bench Bruger " + std::to_string(i), kAgency},
                           hash, cli, now),
            "user");
      Check(store->AddMembership(member_of, name, "koordinator", cli, now), "membership");
    }
  }

  std::uint16_t Start() {
    Check(server->Start(), "start server");
    return server->port();
  }
};

struct CaseRef {
  std::string id;
  std::string state;
  long version = 0;
};

Poco::JSON::Object::Ptr ParseObject(const std::string& body) {
  Poco::JSON::Parser parser;
  return parser.parse(body).extract<Poco::JSON::Object::Ptr>();
}

CaseRef ParseCase(const std::string& body) {
  auto o = ParseObject(body);
  return {o->getValue<std::string>("id"), o->getValue<std::string>("state"),
          o->getValue<long>("version")};
}

// Dates relative to today, so that the workflow's guards hold whenever this runs.
struct Dates {
  std::string today, future, birth;
  Dates() {
    const Date d = DateOf(SystemClock().Now());
    today = FormatDate(d);
    future = FormatDate(d + std::chrono::days(30));
    const std::chrono::year_month_day ymd(d);
    birth = FormatDate(std::chrono::sys_days(std::chrono::year_month_day(
        ymd.year() - std::chrono::years(15), std::chrono::January, std::chrono::day(15))));
  }
};

std::string OpenBody(const std::string& forum, const Dates& dates) {
  return R"({"forum_id":")" + forum + R"(","subject":{"name":"Fiktiv Benchsen","birth_date":")" +
         dates.birth +
         R"("},"summary":"Bekymring for skolefravær [fiktiv, benchmark]","data":{)"
         R"("anledning":"bekymrende_adfaerd","uddannelsessted":"Benchskolen",)"
         R"("foraeldre_orienteret":true}})";
}

// The SSP cycle indsats -> opfoelgning -> indsats repeats for ever; the two steps before it
// (modtaget -> droeftelse -> indsats) are set-up.
std::string TransitionBody(const CaseRef& c, const Dates& dates) {
  const std::string head = "{\"expected_version\":" + std::to_string(c.version) + ",";
  if (c.state == "modtaget") {
    return head + R"("action":"visiter","data":{"bekymringsniveau":"2"}})";
  }
  if (c.state == "droeftelse") {
    return head + R"("action":"registrer_aftaler","data":{"moede_holdt_dato":")" + dates.today +
           R"(","aftaler":"Skolen følger fremmødet; politiet tager en samtale [fiktiv]",)"
           R"("aftale_ansvarlige":"Skole og politi","opfoelgningsdato":")" +
           dates.future + "\"}}";
  }
  if (c.state == "indsats") {
    return head + R"("action":"start_opfoelgning","comment":"benchmark",)"
                  R"("data":{"status":"Aftalerne følges [fiktiv]"}})";
  }
  return head +
         R"("action":"fortsaet_indsats","data":{"aftaler":"Indsatsen fortsætter [fiktiv]",)"
         R"("opfoelgningsdato":")" +
         dates.future + "\"}}";
}

std::string NextState(const std::string& state) {
  if (state == "modtaget") return "droeftelse";
  if (state == "droeftelse" || state == "opfoelgning") return "indsats";
  return "opfoelgning";
}

std::string LogIn(Client& client, const std::string& username) {
  std::string body;
  const int status = client.Request(
      "POST", "/api/v1/auth/login",
      R"({"username":")" + username + R"(","password":")" + kPassword + "\"}", "", body);
  if (status != 200) {
    throw std::runtime_error("login " + username + ": " + std::to_string(status) + " " + body);
  }
  return ParseObject(body)->getValue<std::string>("token");
}

Clock::duration FromSeconds(double s) {
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(s));
}

// When one connection sends: back to back (closed loop), or at a fixed mean rate with
// exponential gaps (open loop, Poisson), latency counted from the intended send time so
// that a slow server cannot hide its queue (coordinated omission).
class Pacer {
 public:
  Pacer(double rate_per_conn, std::uint64_t seed)
      : open_loop_(rate_per_conn > 0), gap_(open_loop_ ? rate_per_conn : 1.0), rng_(seed) {}
  void Start(Clock::time_point t) {
    next_ = t;
    if (open_loop_) Advance();
  }
  // The intended time of the next request; it waits until then in open loop.
  Clock::time_point Next() {
    if (!open_loop_) return Clock::now();
    std::this_thread::sleep_until(next_);
    return next_;
  }
  void Advance() {
    if (open_loop_) next_ += FromSeconds(gap_(rng_));
  }
  Clock::time_point planned() const { return open_loop_ ? next_ : Clock::now(); }

 private:
  bool open_loop_;
  std::exponential_distribution<double> gap_;
  std::mt19937_64 rng_;
  Clock::time_point next_;
};

struct Run {
  std::vector<ConnStats> stats;
  // What the throughput is divided by: the window, or in open loop until the last answer
  // (a server slower than the rate finishes the window's requests late).
  double seconds = 0;
};

// Runs `connections` client threads: `setup(i, client)` before the clock starts, then
// `request(i, client, n, status)` (true when it succeeded) until the end.
template <typename Setup, typename Request>
Run Drive(std::uint16_t port, int connections, double seconds, double warmup, double rate,
          Setup&& setup, Request&& request) {
  std::vector<ConnStats> stats(static_cast<size_t>(connections));
  std::vector<Clock::time_point> last_done(static_cast<size_t>(connections));
  std::latch ready(connections), go(1);
  std::atomic<int> failed_setup{0};
  Clock::time_point start, measure_from, end, hard_end;
  std::vector<std::thread> threads;
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] {
      ConnStats& st = stats[static_cast<size_t>(i)];
      st.latencies_us.reserve(1 << 18);
      Client client(port, std::chrono::seconds(10));
      bool ok = true;
      try {
        setup(i, client);
      } catch (const std::exception& e) {
        std::cerr << "connection " << i << " set-up failed: " << e.what() << std::endl;
        ++failed_setup;
        ok = false;
      }
      ready.count_down();
      go.wait();
      if (!ok) return;
      Pacer pacer(rate / connections, 0x5eed + static_cast<std::uint64_t>(i));
      pacer.Start(start);
      for (long n = 0; n < 100'000'000; ++n) {
        if (pacer.planned() >= end) break;
        if (Clock::now() >= hard_end) {
          // Open loop against a server slower than the rate: the queue would never drain.
          // What was planned but never sent counts as failed (-1), not as unmeasured.
          const double missed =
              Seconds(end - std::max(pacer.planned(), measure_from)) * rate / connections;
          st.errors[-1] += static_cast<std::int64_t>(missed) + 1;
          break;
        }
        const auto t0 = pacer.Next();
        int status = 0;
        const bool success = request(i, client, n, status);
        const auto t1 = Clock::now();
        pacer.Advance();
        if (t0 < measure_from) continue;
        if (success) {
          ++st.ok;
          st.latencies_us.push_back(Micros(t1 - t0));
          last_done[static_cast<size_t>(i)] = t1;
        } else {
          ++st.errors[status];
        }
      }
      st.reconnects = client.reconnects();
    });
  }
  ready.wait();
  start = Clock::now();
  measure_from = start + FromSeconds(warmup);
  end = measure_from + FromSeconds(seconds);
  hard_end = end + FromSeconds(std::max(5.0, seconds));
  go.count_down();
  for (auto& t : threads) t.join();
  if (failed_setup > 0) throw std::runtime_error("connection set-up failed");
  double effective = seconds;
  if (rate > 0) {
    for (const auto& t : last_done) effective = std::max(effective, Seconds(t - measure_from));
  }
  return {std::move(stats), effective};
}

int Report(const std::string& labels, const std::vector<ConnStats>& stats, double seconds) {
  const Summary s = Summarize(stats, seconds);
  PrintResult(labels, s);
  if (s.min_conn == 0) {
    for (size_t i = 0; i < stats.size(); ++i) {
      if (stats[i].ok == 0) std::cerr << "FAIL: connection " << i << " made no progress\n";
    }
    return 3;
  }
  return 0;
}

void QuietLogs() {
  const char* level = std::getenv("SAMSPIL_LOG_LEVEL");
  spdlog::set_level(level ? spdlog::level::from_str(level) : spdlog::level::warn);
}

}  // namespace

int RunApi(const Args& args) {
  QuietLogs();
  const int connections = static_cast<int>(args.Int("connections", 8));
  const double seconds = args.Real("seconds", 10);
  const double warmup = args.Real("warmup", 1);
  const double rate = args.Real("rate", 0);
  const int cases_per_conn = static_cast<int>(args.Int("cases-per-connection", 2));
  const int users = static_cast<int>(args.Int("users", connections));
  const std::string sync = args.Get("sync", "FULL");
  const auto dir = MakeTempDir(args.Get("dir", std::filesystem::temp_directory_path().string()));
  const std::string fs = FileSystemType(dir);

  Env env(dir / "bench.db", sync, static_cast<size_t>(connections) + 4);
  env.Seed({"ssp-bench"}, users, "ssp-bench");
  const std::uint16_t port = env.Start();
  const Dates dates;
  std::cerr << "api: " << connections << " connections, sync " << sync << ", "
            << (rate > 0 ? "fixed rate " + std::to_string(static_cast<int>(rate)) + "/s"
                         : std::string("closed loop"))
            << ", database in " << dir << " (" << fs << ")" << std::endl;

  std::vector<std::string> tokens(static_cast<size_t>(connections));
  std::vector<std::vector<CaseRef>> cases(static_cast<size_t>(connections));
  auto setup = [&](int i, Client& client) {
    const std::string token = LogIn(client, "bench_" + std::to_string(i % users));
    std::string body;
    auto& mine = cases[static_cast<size_t>(i)];
    for (int k = 0; k < cases_per_conn; ++k) {
      if (client.Request("POST", "/api/v1/cases", OpenBody("ssp-bench", dates), token, body) !=
          201) {
        throw std::runtime_error("open case: " + body);
      }
      CaseRef c = ParseCase(body);
      while (c.state != "indsats") {
        const int status = client.Request("POST", "/api/v1/cases/" + c.id + "/transitions",
                                          TransitionBody(c, dates), token, body);
        if (status != 200) throw std::runtime_error("set-up transition: " + body);
        c = ParseCase(body);
      }
      mine.push_back(c);
    }
    tokens[static_cast<size_t>(i)] = token;
  };
  auto request = [&](int i, Client& client, long n, int& status) {
    CaseRef& c = cases[static_cast<size_t>(i)][static_cast<size_t>(n % cases_per_conn)];
    const std::string& token = tokens[static_cast<size_t>(i)];
    std::string body;
    status = client.Request("POST", "/api/v1/cases/" + c.id + "/transitions",
                            TransitionBody(c, dates), token, body);
    if (status == 200) {
      // Only this connection moves its cases, so the next version is known without parsing.
      ++c.version;
      c.state = NextState(c.state);
      return true;
    }
    // Resynchronise after an error (e.g. a 409 after a lost response).
    if (client.Request("GET", "/api/v1/cases/" + c.id, "", token, body) == 200) c = ParseCase(body);
    return false;
  };
  // Issue 7: the same load with idle, slowloris and kept-alive connections held open, and
  // a new client's /healthz timed throughout.
  const int idle = static_cast<int>(args.Int("idle", 0));
  const int slow = static_cast<int>(args.Int("slow", 0));
  const int browsers = static_cast<int>(args.Int("browsers", 0));
  std::unique_ptr<HostileLoad> hostile;
  std::unique_ptr<HealthProbe> probe;
  double rss_before = 0, rss_held = 0;
  if (idle + slow + browsers > 0 || args.Has("probe")) {
    RaiseFileLimit();
    rss_before = ResidentMegabytes();
    hostile = std::make_unique<HostileLoad>(port, idle, slow, browsers);
    std::this_thread::sleep_for(std::chrono::seconds(1));
    rss_held = ResidentMegabytes();
    probe = std::make_unique<HealthProbe>(port, std::chrono::milliseconds(args.Int("probe-ms", 20)));
  }
  // A soak: the WAL's size and the RSS sampled while the load runs (issue 7: the WAL must
  // stay under its limit and the memory flat under any sustained load).
  const double sample_every = args.Real("sample-seconds", 0);
  std::atomic<bool> sampling{sample_every > 0};
  double wal_max_mb = 0, wal_end_mb = 0, rss_first_mb = 0, rss_last_mb = 0, rss_max_mb = 0;
  std::thread sampler;
  if (sample_every > 0) {
    sampler = std::thread([&] {
      const auto wal = env.db_path.string() + "-wal";
      const auto started = Clock::now();
      for (auto next = started; sampling; next += FromSeconds(sample_every)) {
        while (sampling && Clock::now() < next) std::this_thread::sleep_for(std::chrono::milliseconds(50));
        std::error_code ec;
        const double wal_mb = static_cast<double>(std::filesystem::file_size(wal, ec)) / 1048576.0;
        const double rss = ResidentMegabytes();
        wal_end_mb = ec ? 0 : wal_mb;
        wal_max_mb = std::max(wal_max_mb, wal_end_mb);
        // The first sample after the warm-up is the baseline the growth is measured from.
        if (rss_first_mb == 0 && Clock::now() - started >= FromSeconds(warmup + sample_every)) {
          rss_first_mb = rss;
        }
        rss_last_mb = rss;
        rss_max_mb = std::max(rss_max_mb, rss);
        std::cerr << "sample t=" << static_cast<long>(Seconds(Clock::now() - started))
                  << "s wal_mb=" << wal_end_mb << " rss_mb=" << rss << std::endl;
      }
    });
  }
  const Run run = Drive(port, connections, seconds, warmup, rate, setup, request);
  sampling = false;
  if (sampler.joinable()) sampler.join();
  std::string held_labels;
  if (sample_every > 0) {
    char line[200];
    std::snprintf(line, sizeof line,
                  " wal_max_mb=%.1f wal_end_mb=%.1f rss_after_warmup_mb=%.1f rss_end_mb=%.1f "
                  "rss_max_mb=%.1f",
                  wal_max_mb, wal_end_mb, rss_first_mb, rss_last_mb, rss_max_mb);
    held_labels += line;
  }
  if (probe) {
    auto probes = probe->TakeLatencies();
    const size_t count = probes.size();
    char line[400];
    std::snprintf(line, sizeof line,
                  " held=%d reconnects_held=%ld browser_requests=%ld healthz_n=%zu "
                  "healthz_p50_ms=%.3f healthz_p99_ms=%.3f healthz_max_ms=%.3f "
                  "healthz_failures=%ld rss_before_mb=%.1f rss_held_mb=%.1f",
                  hostile->open(), hostile->reconnects(), hostile->browser_requests(), count,
                  Percentile(probes, 50) / 1000.0, Percentile(probes, 99) / 1000.0,
                  Percentile(probes, 100) / 1000.0, probe->failures(), rss_before, rss_held);
    held_labels += line;
    probe.reset();
    hostile.reset();
  }
  env.server->Stop();
  const int rc = Report("mode=api conns=" + std::to_string(connections) + " sync=" + sync +
                            " rate=" + std::to_string(static_cast<long>(rate)) + " fs=" + fs +
                            " idle=" + std::to_string(idle) + " slow=" + std::to_string(slow) +
                            " browsers=" + std::to_string(browsers) + held_labels,
                        run.stats, run.seconds);
  if (!args.Has("keep")) std::filesystem::remove_all(dir);
  return rc;
}

namespace {

// Copies the template case `count` times with fresh random ids, spread over `fora`, in one
// transaction straight through SQLite: a million cases through the API would take longer
// than the whole benchmark. Every column is copied from the template except id and
// forum_id, so the rows stay valid whatever columns the schema gains.
void BulkCopyCases(const std::filesystem::path& db_path, const std::string& template_id,
                   const std::vector<std::string>& fora, long count) {
  sqlite3* db = nullptr;
  if (sqlite3_open(db_path.c_str(), &db) != SQLITE_OK) throw std::runtime_error("sqlite3_open");
  auto exec = [&](const std::string& sql) {
    char* message = nullptr;
    if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
      std::string what = message ? message : "?";
      sqlite3_free(message);
      throw std::runtime_error(sql + ": " + what);
    }
  };
  // INSERT ... SELECT of every column of `table`, with ?1 for `id_column` and ?2 for
  // forum_id (the history keeps its case's forum too), from the template's rows (?3).
  auto copy_statement = [&](const std::string& table, const std::string& id_column) {
    std::vector<std::string> columns;
    sqlite3_stmt* info = nullptr;
    sqlite3_prepare_v2(db, ("PRAGMA table_info(" + table + ")").c_str(), -1, &info, nullptr);
    while (sqlite3_step(info) == SQLITE_ROW) {
      columns.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(info, 1)));
    }
    sqlite3_finalize(info);
    std::string names, values;
    for (const auto& c : columns) {
      names += (names.empty() ? "" : ", ") + c;
      values += std::string(values.empty() ? "" : ", ") +
                (c == id_column ? "?1" : c == "forum_id" ? "?2" : c);
    }
    const std::string sql = "INSERT INTO " + table + " (" + names + ") SELECT " + values +
                            " FROM " + table + " WHERE " + id_column + " = ?3";
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sql + ": " + sqlite3_errmsg(db));
    }
    return st;
  };
  exec("PRAGMA cache_size = -500000");
  exec("BEGIN IMMEDIATE");
  sqlite3_stmt* cases = copy_statement("cases", "id");
  // The history too, so that the forum statistics read as many rows as a real forum's.
  sqlite3_stmt* history = copy_statement("case_history", "case_id");
  std::mt19937_64 rng(42);
  char id[64];
  for (long i = 0; i < count; ++i) {
    std::snprintf(id, sizeof id, "case_%016llx%016llx", static_cast<unsigned long long>(rng()),
                  static_cast<unsigned long long>(rng()));
    const std::string& forum = fora[static_cast<size_t>(i) % fora.size()];
    for (sqlite3_stmt* st : {cases, history}) {
      sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 2, forum.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text(st, 3, template_id.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(st) != SQLITE_DONE) throw std::runtime_error(sqlite3_errmsg(db));
      sqlite3_reset(st);
    }
  }
  sqlite3_finalize(cases);
  sqlite3_finalize(history);
  exec("COMMIT");
  exec("ANALYZE");
  exec("PRAGMA wal_checkpoint(TRUNCATE)");
  sqlite3_close(db);
}

std::vector<std::string> ListFora(int count) {
  std::vector<std::string> fora;
  for (int i = 0; i < count; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "ssp-list-%03d", i);
    fora.emplace_back(name);
  }
  return fora;
}

// The list benchmark's database: `users` koordinatorer of the first forum only (a page
// shows 1/fora of the cases) and `total_cases` copies of one case that went through three
// steps (open, visiter, registrer_aftaler), so each has three history rows.
void SeedListDatabase(Env& env, const std::vector<std::string>& fora, int users,
                      long total_cases) {
  const Dates dates;
  env.Seed(fora, users, fora[0]);
  auto actor = env.store->LoadActor("usr_bench_0");
  if (!actor) throw std::runtime_error(actor.error().message);
  OpenCommand open;
  open.subject = Subject{"Fiktiv Listesen", *ParseDate(dates.birth)};
  open.summary = "Bekymring for skolefravær [fiktiv, benchmark]";
  open.data = {{"anledning", Value{std::string("bekymrende_adfaerd")}},
               {"uddannelsessted", Value{std::string("Benchskolen")}},
               {"foraeldre_orienteret", Value{true}}};
  auto opened = env.service->OpenCase(*actor, fora[0], open, env.cli);
  if (!opened) throw std::runtime_error("template case: " + opened.error().message);
  const std::vector<TransitionCommand> steps = {
      {"visiter", 1, "", {{"bekymringsniveau", Value{std::string("2")}}}},
      {"registrer_aftaler",
       2,
       "",
       {{"moede_holdt_dato", Value{dates.today}},
        {"aftaler", Value{std::string("Skolen følger fremmødet [fiktiv]")}},
        {"aftale_ansvarlige", Value{std::string("Skole og politi")}},
        {"opfoelgningsdato", Value{dates.future}}}}};
  for (const auto& step : steps) {
    auto moved = env.service->Transition(*actor, opened->id, step, env.cli);
    if (!moved) throw std::runtime_error("template " + step.action + ": " + moved.error().message);
  }
  const auto started = Clock::now();
  BulkCopyCases(env.db_path, opened->id, fora, total_cases - 1);
  std::cerr << "seeded " << total_cases << " cases over " << fora.size() << " fora in "
            << Seconds(Clock::now() - started) << " s" << std::endl;
}

}  // namespace

int RunList(const Args& args) {
  QuietLogs();
  const int connections = static_cast<int>(args.Int("connections", 8));
  const double seconds = args.Real("seconds", 10);
  const double warmup = args.Real("warmup", 1);
  const double rate = args.Real("rate", 0);
  const long total_cases = args.Int("cases", 100000);
  const int fora_count = static_cast<int>(args.Int("fora", 100));
  const int limit = static_cast<int>(args.Int("limit", 50));
  const std::string sync = args.Get("sync", "FULL");
  // The page to fetch; the escalation page (/api/v1/escalations) works too.
  const std::string page_path = args.Get("path", "/api/v1/cases");
  const bool random_cursor =
      page_path == "/api/v1/cases" && args.Get("cursor", "random") == "random";
  // --db PATH keeps the seeded database for the next run (seeding a million cases takes a
  // while); without it a fresh one is made and removed.
  const bool reuse = args.Has("db");
  std::filesystem::path dir, db_path;
  if (reuse) {
    db_path = args.Get("db", "");
  } else {
    dir = MakeTempDir(args.Get("dir", std::filesystem::temp_directory_path().string()));
    db_path = dir / "bench.db";
  }
  const bool seeded = std::filesystem::exists(db_path);
  const int users = std::max(connections, 64);
  if (connections > users) throw std::invalid_argument("at most 64 connections with --db");

  Env env(db_path, sync, static_cast<size_t>(connections) + 4);
  const std::vector<std::string> fora = ListFora(fora_count);
  if (!seeded) SeedListDatabase(env, fora, users, total_cases);
  auto count = env.store->CountCases();
  if (!count) throw std::runtime_error(count.error().message);
  const std::uint16_t port = env.Start();
  const std::string fs = FileSystemType(db_path.parent_path());
  std::cerr << "list: " << *count << " cases, " << connections << " connections, sync " << sync
            << ", " << (rate > 0 ? "fixed rate" : "closed loop") << " (" << fs << ")" << std::endl;

  std::vector<std::string> tokens(static_cast<size_t>(connections));
  std::vector<std::mt19937_64> rngs;
  for (int i = 0; i < connections; ++i) rngs.emplace_back(1000 + i);
  std::atomic<long> items_seen{0}, pages{0};
  auto setup = [&](int i, Client& client) {
    tokens[static_cast<size_t>(i)] = LogIn(client, "bench_" + std::to_string(i));
  };
  auto request = [&](int i, Client& client, long, int& status) {
    std::string path = page_path;
    if (page_path == "/api/v1/cases") path += "?limit=" + std::to_string(limit);
    if (random_cursor) {
      // A page from a random place in the id order, not the same cached first page.
      char cursor[40];
      std::snprintf(cursor, sizeof cursor, "&cursor=case_%016llx",
                    static_cast<unsigned long long>(rngs[static_cast<size_t>(i)]()));
      path += cursor;
    }
    std::string body;
    status = client.Request("GET", path, "", tokens[static_cast<size_t>(i)], body);
    if (status != 200) return false;
    // Count items cheaply: every case object has exactly one "available_actions".
    long n = 0;
    for (size_t p = body.find("\"available_actions\""); p != std::string::npos;
         p = body.find("\"available_actions\"", p + 1)) {
      ++n;
    }
    items_seen += n;
    ++pages;
    return true;
  };
  const Run run = Drive(port, connections, seconds, warmup, rate, setup, request);
  env.server->Stop();
  std::cerr << "items per page (mean): "
            << (pages > 0 ? static_cast<double>(items_seen) / static_cast<double>(pages) : 0)
            << std::endl;
  const int rc = Report("mode=list path=" + page_path + " conns=" + std::to_string(connections) +
                            " sync=" + sync + " rate=" + std::to_string(static_cast<long>(rate)) +
                            " cases=" + std::to_string(*count) +
                            " fora=" + std::to_string(fora_count) + " fs=" + fs,
                        run.stats, run.seconds);
  if (!reuse) std::filesystem::remove_all(dir);
  return rc;
}

}  // namespace samspil::bench

namespace samspil::bench {

// Store::ForumStats of one forum of the list database, called back to back in-process (no
// HTTP route for it is part of this code yet): docs/quality.md's per-forum statistics target.
int RunStats(const Args& args) {
  QuietLogs();
  const double seconds = args.Real("seconds", 10);
  const double warmup = args.Real("warmup", 1);
  const long total_cases = args.Int("cases", 100000);
  const int fora_count = static_cast<int>(args.Int("fora", 100));
  if (!args.Has("db")) throw std::invalid_argument("stats needs --db PATH (seeded as by list)");
  const std::filesystem::path db_path = args.Get("db", "");
  const bool seeded = std::filesystem::exists(db_path);
  Env env(db_path, "FULL", 4);
  const std::vector<std::string> fora = ListFora(fora_count);
  if (!seeded) SeedListDatabase(env, fora, 1, total_cases);
  auto count = env.store->CountCases();
  if (!count) throw std::runtime_error(count.error().message);
  auto actor = env.store->LoadActor("usr_bench_0");
  if (!actor) throw std::runtime_error(actor.error().message);
  const AuditContext who{actor->id, actor->agency_id, "", "127.0.0.1"};

  ConnStats stats;
  std::int64_t forum_cases = 0;
  const auto start = Clock::now();
  const auto measure_from = start + std::chrono::duration_cast<Clock::duration>(
                                        std::chrono::duration<double>(warmup));
  const auto end = measure_from + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(seconds));
  for (auto t = Clock::now(); t < end; t = Clock::now()) {
    auto result = env.store->ForumStats(who, *actor, fora[0], env.clock.Now());
    const auto done = Clock::now();
    if (!result) throw std::runtime_error("stats: " + result.error().message);
    forum_cases = result->total_cases;
    if (t >= measure_from) {
      stats.latencies_us.push_back(Micros(done - t));
      ++stats.ok;
    }
  }
  std::cerr << "stats: " << *count << " cases, " << forum_cases << " in the forum" << std::endl;
  return Report("mode=stats cases=" + std::to_string(*count) +
                    " fora=" + std::to_string(fora_count),
                {stats}, seconds);
}

}  // namespace samspil::bench

namespace samspil::bench {

// Issue 7: an anonymous login flood. `connections` clients post logins back to back for
// `seconds` from 127.0.0.1, half with guessed usernames and half with a real user's name
// and wrong passwords; then the real user logs in from another address (127.0.0.2). The
// audit rows the flood wrote are counted in the database.
int RunFlood(const Args& args) {
  QuietLogs();
  const int connections = static_cast<int>(args.Int("connections", 8));
  const double seconds = args.Real("seconds", 10);
  const auto dir = MakeTempDir(args.Get("dir", std::filesystem::temp_directory_path().string()));
  auto owned = std::make_unique<Env>(dir / "bench.db", "FULL", static_cast<size_t>(connections) + 4);
  Env& env = *owned;
  env.Seed({"ssp-bench"}, 1, "ssp-bench");  // bench_0: the real user
  const std::uint16_t port = env.Start();
  auto before = env.store->AuditEntries(0, 100'000'000);
  if (!before) throw std::runtime_error("audit: " + before.error().message);

  std::atomic<long> sent{0}, refused_429{0}, refused_401{0};
  const auto end = Clock::now() + FromSeconds(seconds);
  std::vector<std::thread> threads;
  for (int i = 0; i < connections; ++i) {
    threads.emplace_back([&, i] {
      Client client(port, std::chrono::seconds(10));
      std::mt19937_64 rng(static_cast<std::uint64_t>(i) * 7919 + 1);
      std::string body;
      for (long n = 0; Clock::now() < end; ++n) {
        const std::string username =
            n % 2 == 0 ? "bench_0" : "guess_" + std::to_string(rng() % 1000000);
        const int status = client.Request(
            "POST", "/api/v1/auth/login",
            R"({"username":")" + username + R"(","password":"wrong-)" + std::to_string(n) + "\"}",
            "", body);
        ++sent;
        if (status == 429) ++refused_429;
        if (status == 401) ++refused_401;
      }
    });
  }
  for (auto& t : threads) t.join();

  const std::string login = R"({"username":"bench_0","password":")" + std::string(kPassword) + "\"}";
  const std::string real_user = PostFrom("127.0.0.2", port, "/api/v1/auth/login", login);
  const bool real_user_in = real_user.rfind("HTTP/1.1 200", 0) == 0;
  env.server->Stop();
  owned.reset();  // the refused logins' last summaries are written as the Api goes
  // Every row the flood caused, those summaries included (the real user's login is one).
  long long after = 0;
  {
    sqlite3* db = nullptr;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_open((dir / "bench.db").c_str(), &db) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM audit_log", -1, &st, nullptr) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
      throw std::runtime_error("cannot count the audit rows");
    }
    after = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
  }
  const long long rows = after - static_cast<long long>(before->size()) - 1;
  std::cout << "RESULT mode=flood conns=" << connections << " seconds=" << seconds
            << " requests=" << sent << " requests_per_s=" << static_cast<long>(sent / seconds)
            << " refused_401=" << refused_401 << " refused_429=" << refused_429
            << " audit_rows=" << rows << " real_user_from_other_address="
            << (real_user_in ? "logged_in" : "refused") << std::endl;
  std::cerr << "flood: " << sent << " logins in " << seconds << " s, " << rows
            << " audit rows, the real user from 127.0.0.2: "
            << (real_user_in ? "logged in" : real_user.substr(0, real_user.find('\r'))) << std::endl;
  if (!args.Has("keep")) std::filesystem::remove_all(dir);
  return real_user_in ? 0 : 3;
}

}  // namespace samspil::bench
