// samspil_crash: kills `samspil serve` with SIGKILL at random moments while clients open and
// move cases over HTTP, restarts it, and checks that nothing acknowledged was lost:
//  - every case whose opening was answered 201 exists, at the version and state of its last
//    answered transition (or one further, when a transition was in flight at the kill);
//  - each case's history runs 1..version without gaps, each step starting where the last
//    one ended;
//  - the audit chain verifies (`samspil audit verify`), and SQLite's integrity_check is "ok".
// A third of the kills come right after an answer was read by a client (the moment a write
// that is acknowledged but not durable would be lost); the others at a random moment of the
// load, and one restart in ten is killed during its start-up. Only loopback; the database is the caller's (a scratch one).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

using Clock = std::chrono::steady_clock;
using Poco::JSON::Object;

constexpr const char* kUsage =
    "usage: samspil_crash --samspil PATH --db URL [--workflows DIR] [--kills N] [--clients N]\n"
    "                     [--seed N] [--max-work-ms MS] [--log FILE] [--inject-loss 1]\n"
    "  Seeds the demo data into the (scratch) database URL, then N times: starts\n"
    "  `samspil serve`, drives opens and transitions from the clients, kills the server\n"
    "  with SIGKILL and checks every acknowledged write after the restart.\n";

// --key value pairs.
std::map<std::string, std::string> ParseArgs(int argc, char** argv) {
  std::map<std::string, std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string key = argv[i];
    if (key.rfind("--", 0) != 0 || i + 1 >= argc) throw std::invalid_argument(key);
    args[key.substr(2)] = argv[++i];
  }
  return args;
}

// ---- Processes ------------------------------------------------------------------------------

// Runs `argv` with stdout and stderr appended to `log`; the pid.
pid_t Spawn(const std::vector<std::string>& argv, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> raw;
  for (const auto& a : argv) raw.push_back(const_cast<char*>(a.c_str()));
  raw.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, raw[0], &actions, nullptr, raw.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + argv[0]);
  return pid;
}

// Runs a command to its end; its exit status (-1 when killed by a signal).
int RunToEnd(const std::vector<std::string>& argv, const std::string& log) {
  const pid_t pid = Spawn(argv, log);
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::uint16_t FreePort() {
  Poco::Net::ServerSocket socket(0);
  const auto port = socket.address().port();
  socket.close();
  return port;
}

// ---- HTTP -----------------------------------------------------------------------------------

struct Answer {
  int status = 0;  // 0: no answer (connection refused, reset, timed out)
  std::string body;
};

class Client {
 public:
  explicit Client(std::uint16_t port) : port_(port) {}

  Answer Send(const std::string& method, const std::string& path, const std::string& body,
              const std::string& token) {
    Answer answer;
    try {
      if (!session_) {
        session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", port_);
        session_->setTimeout(Poco::Timespan(20, 0));
        session_->setKeepAlive(true);
      }
      Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(true);
      if (!token.empty()) request.set("Authorization", "Bearer " + token);
      if (method == "POST") {
        request.setContentType("application/json");
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session_->sendRequest(request) << body;
      } else {
        session_->sendRequest(request);
      }
      Poco::Net::HTTPResponse response;
      std::istream& in = session_->receiveResponse(response);
      Poco::StreamCopier::copyToString(in, answer.body);
      answer.status = static_cast<int>(response.getStatus());
    } catch (const std::exception&) {
      session_.reset();
      answer = Answer{};
    }
    return answer;
  }

 private:
  std::uint16_t port_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

Object::Ptr ParseObject(const std::string& text) {
  Poco::JSON::Parser parser;
  return parser.parse(text).extract<Object::Ptr>();
}

// ---- The SSP cycle --------------------------------------------------------------------------

std::string Today(int days_ahead) {
  const std::time_t t = std::time(nullptr) + days_ahead * 86400;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[16];
  std::strftime(out, sizeof out, "%Y-%m-%d", &tm);
  return out;
}

std::string OpenBody(const std::string& forum) {
  return R"({"forum_id":")" + forum +
         R"(","subject":{"name":"Fiktiv Crashsen","birth_date":"2012-01-15"},)"
         R"("summary":"Bekymring [fiktiv, crash-test]","data":{)"
         R"("anledning":"bekymrende_adfaerd","uddannelsessted":"Crashskolen",)"
         R"("foraeldre_orienteret":true}})";
}

// modtaget -> droeftelse -> indsats -> opfoelgning -> indsats -> ...
std::string TransitionBody(const std::string& state, long version) {
  const std::string head = "{\"expected_version\":" + std::to_string(version) + ",";
  if (state == "modtaget") return head + R"("action":"visiter","data":{"bekymringsniveau":"2"}})";
  if (state == "droeftelse") {
    return head + R"("action":"registrer_aftaler","data":{"moede_holdt_dato":")" + Today(0) +
           R"(","aftaler":"Skolen følger fremmødet [fiktiv]","aftale_ansvarlige":"Skolen",)"
           R"("opfoelgningsdato":")" + Today(30) + "\"}}";
  }
  if (state == "indsats") {
    return head + R"("action":"start_opfoelgning","data":{"status":"Følges [fiktiv]"}})";
  }
  return head + R"("action":"fortsaet_indsats","data":{"aftaler":"Fortsætter [fiktiv]",)"
                R"("opfoelgningsdato":")" + Today(30) + "\"}}";
}

std::string NextState(const std::string& state) {
  if (state == "modtaget") return "droeftelse";
  if (state == "droeftelse" || state == "opfoelgning") return "indsats";
  return "opfoelgning";
}

// ---- What the clients were told -------------------------------------------------------------

struct TrackedCase {
  std::string id;
  std::string state;     // as last acknowledged
  long version = 0;      // as last acknowledged
  bool in_doubt = false;  // a transition was sent and not answered before the kill
  bool touched = false;   // changed since it was last checked
};

struct Totals {
  long kills = 0, kills_after_answer = 0, kills_during_start_up = 0, opens = 0, transitions = 0;
  long opens_in_doubt = 0, transitions_in_doubt = 0, in_doubt_applied = 0;
  long cases_checked = 0, audit_verified = 0, integrity_checked = 0;
  std::vector<double> restart_ms;
  std::vector<std::string> violations;
};

class Harness {
 public:
  Harness(std::map<std::string, std::string> args)
      : samspil_(args.at("samspil")),
        db_(args.at("db")),
        workflows_(args.count("workflows") ? args.at("workflows") : ""),
        log_(args.count("log") ? args.at("log") : "samspil_crash.log"),
        clients_(std::stoi(args.count("clients") ? args.at("clients") : "4")),
        max_work_ms_(std::stoi(args.count("max-work-ms") ? args.at("max-work-ms") : "400")),
        rng_(std::stoull(args.count("seed") ? args.at("seed") : "1")),
        inject_loss_(args.count("inject-loss") && args.at("inject-loss") == "1"),
        port_(FreePort()) {}

  int Run(long kills) {
    std::vector<std::string> seed = {samspil_, "seed-demo", "--db", db_};
    if (!workflows_.empty()) seed.insert(seed.end(), {"--workflows", workflows_});
    if (RunToEnd(seed, log_) != 0) throw std::runtime_error("seed-demo failed (see the log)");
    StartServer();
    LogIn();
    for (long round = 1; round <= kills; ++round) {
      Load();  // ends with the kill
      if (inject_loss_) InjectLoss(round);
      if (round % 25 == 0 || round == kills) CheckFiles();
      // One restart in ten is itself killed, at a random moment of its start-up (opening the
      // database, recovering the WAL, migrating).
      if (std::uniform_int_distribution<int>(0, 9)(rng_) == 0) KillDuringStartUp();
      StartServer();
      Check(/*all=*/round == kills);
      if (!totals_.violations.empty()) break;
    }
    StopServer();
    CheckFiles();
    Report();
    return totals_.violations.empty() ? 0 : 1;
  }

 private:
  // ---- The server's life ----

  void StartServer() {
    const auto started = Clock::now();
    std::vector<std::string> argv = {samspil_, "serve", "--db", db_, "--port",
                                     std::to_string(port_), "--scan-interval", "3600"};
    if (!workflows_.empty()) argv.insert(argv.end(), {"--workflows", workflows_});
    pid_ = Spawn(argv, log_);
    Client probe(port_);
    while (probe.Send("GET", "/readyz", "", "").status != 200) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        throw std::runtime_error("samspil serve ended during start-up (see the log)");
      }
      if (Clock::now() - started > std::chrono::seconds(60)) {
        throw std::runtime_error("samspil serve not ready within 60 s");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    totals_.restart_ms.push_back(
        std::chrono::duration<double, std::milli>(Clock::now() - started).count());
  }

  // --inject-loss (SQLite): the harness's own test. The files as they were after the first
  // kill are put back after the second, as a disk that dropped its last writes would: the
  // check must then report the second round's acknowledged writes as lost.
  void InjectLoss(long round) {
    const std::string path = db_.substr(7);
    const auto copy = [](const std::string& from, const std::string& to) {
      std::error_code ec;
      std::filesystem::remove(to, ec);
      if (std::filesystem::exists(from)) std::filesystem::copy_file(from, to);
    };
    for (const std::string suffix : {"", "-wal", "-shm"}) {
      if (round == 1) copy(path + suffix, path + ".lost" + suffix);
      if (round == 2) copy(path + ".lost" + suffix, path + suffix);
    }
  }

  void KillDuringStartUp() {
    std::vector<std::string> argv = {samspil_, "serve", "--db", db_, "--port",
                                     std::to_string(port_), "--scan-interval", "3600"};
    if (!workflows_.empty()) argv.insert(argv.end(), {"--workflows", workflows_});
    pid_ = Spawn(argv, log_);
    std::this_thread::sleep_for(
        std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 100)(rng_)));
    ::kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    ++totals_.kills;
    ++totals_.kills_during_start_up;
  }

  void Kill() {
    // Once per round, whoever comes first (the killer or a client after an answer).
    if (killed_.exchange(true)) return;
    ::kill(pid_, SIGKILL);
  }

  void StopServer() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
  }

  // ---- Sessions (kept in the database: they outlive the restarts) ----

  void LogIn() {
    Client client(port_);
    const Answer answer = client.Send(
        "POST", "/api/v1/auth/login",
        R"({"username":"koordinator.mvj","password":"samspil-demo"})", "");
    if (answer.status != 200) throw std::runtime_error("login: " + std::to_string(answer.status));
    token_ = ParseObject(answer.body)->getValue<std::string>("token");
    const Answer fora = client.Send("GET", "/api/v1/fora", "", token_);
    auto items = ParseObject(fora.body)->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      auto forum = items->getObject(static_cast<unsigned>(i));
      if (forum->getValue<std::string>("workflow_id") == "ssp" &&
          forum->getValue<std::string>("my_role") == "koordinator") {
        forum_ = forum->getValue<std::string>("id");
      }
    }
    if (forum_.empty()) throw std::runtime_error("no SSP forum where koordinator.mvj coordinates");
    cases_.resize(static_cast<size_t>(clients_));
  }

  // ---- One round: load until the kill ----

  void Load() {
    killed_ = false;
    kill_after_answer_ = false;
    std::uniform_int_distribution<int> work(0, max_work_ms_);
    int work_ms = work(rng_);
    bool after_answer = std::uniform_int_distribution<int>(0, 2)(rng_) == 0;
    if (inject_loss_) {
      // The harness's own test must have something to lose: every round acknowledges writes.
      work_ms = std::max(work_ms, 200);
      after_answer = true;
    }
    std::vector<std::thread> threads;
    for (int i = 0; i < clients_; ++i) {
      threads.emplace_back([this, i, seed = rng_()] { Drive(static_cast<size_t>(i), seed); });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(work_ms));
    if (after_answer) {
      kill_after_answer_ = true;
      // No answer comes (every client failed): kill anyway after a while.
      for (int i = 0; i < 500 && !killed_; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
    if (!killed_) {
      Kill();
    } else if (after_answer) {
      ++totals_.kills_after_answer;
    }
    ++totals_.kills;
    int status = 0;
    waitpid(pid_, &status, 0);
    for (auto& t : threads) t.join();
  }

  // A client: opens cases and moves its own (no two clients write one case), until the
  // server is gone.
  void Drive(size_t client_index, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    Client client(port_);
    auto& mine = cases_[client_index];
    for (;;) {
      const bool open = mine.size() < 3 || std::uniform_int_distribution<int>(0, 3)(rng) == 0;
      if (open) {
        const Answer answer = client.Send("POST", "/api/v1/cases", OpenBody(forum_), token_);
        if (answer.status == 0) {
          Count(&Totals::opens_in_doubt);
          return;
        }
        if (answer.status != 201) return Violation("open answered " + Describe(answer));
        auto o = ParseObject(answer.body);
        mine.push_back({o->getValue<std::string>("id"), o->getValue<std::string>("state"),
                        o->getValue<long>("version"), false, true});
        Count(&Totals::opens);
      } else {
        TrackedCase& c = mine[std::uniform_int_distribution<size_t>(0, mine.size() - 1)(rng)];
        c.in_doubt = true;
        c.touched = true;
        const Answer answer = client.Send("POST", "/api/v1/cases/" + c.id + "/transitions",
                                          TransitionBody(c.state, c.version), token_);
        if (answer.status == 0) {
          Count(&Totals::transitions_in_doubt);
          return;
        }
        c.in_doubt = false;
        if (answer.status != 200) return Violation("transition answered " + Describe(answer));
        auto o = ParseObject(answer.body);
        c.state = o->getValue<std::string>("state");
        c.version = o->getValue<long>("version");
        Count(&Totals::transitions);
      }
      if (kill_after_answer_) Kill();  // right after an acknowledged write
    }
  }

  // ---- After the restart: what the clients were told is there ----

  void Check(bool all) {
    Client client(port_);
    for (auto& mine : cases_) {
      for (auto& c : mine) {
        if (!all && !c.touched) continue;
        CheckCase(client, c);
        c.touched = false;
        c.in_doubt = false;
      }
    }
  }

  void CheckCase(Client& client, TrackedCase& c) {
    ++totals_.cases_checked;
    const Answer read = client.Send("GET", "/api/v1/cases/" + c.id, "", token_);
    if (read.status != 200) return Violation("case " + c.id + " read " + Describe(read));
    auto o = ParseObject(read.body);
    const std::string state = o->getValue<std::string>("state");
    const long version = o->getValue<long>("version");
    if (version == c.version + 1 && c.in_doubt && state == NextState(c.state)) {
      ++totals_.in_doubt_applied;  // committed; its answer was lost with the process
      c.state = state;
      c.version = version;
    }
    if (version != c.version || state != c.state) {
      return Violation("case " + c.id + ": acknowledged version " + std::to_string(c.version) +
                       " in " + c.state + ", found version " + std::to_string(version) +
                       " in " + state);
    }
    const Answer history = client.Send("GET", "/api/v1/cases/" + c.id + "/history", "", token_);
    if (history.status != 200) return Violation("history " + c.id + " " + Describe(history));
    auto items = ParseObject(history.body)->getArray("items");
    std::string previous_to;
    long previous_seq = 0;
    long steps = 0;
    for (size_t i = 0; i < items->size(); ++i) {
      auto entry = items->getObject(static_cast<unsigned>(i));
      const long seq = entry->getValue<long>("seq");
      const std::string from = entry->isNull("from") ? "" : entry->getValue<std::string>("from");
      if (seq <= previous_seq || from != previous_to) {
        return Violation("history of " + c.id + " out of order at entry " + std::to_string(i));
      }
      previous_seq = seq;
      previous_to = entry->getValue<std::string>("to");
      ++steps;
    }
    if (steps != version || previous_to != state) {
      Violation("history of " + c.id + ": " + std::to_string(steps) + " steps ending in " +
                previous_to + " for version " + std::to_string(version) + " in " + state);
    }
  }

  // With the server down: the audit chain, and SQLite's own check of the file.
  void CheckFiles() {
    if (RunToEnd({samspil_, "audit", "verify", "--db", db_}, log_) != 0) {
      Violation("samspil audit verify failed (see the log)");
    }
    ++totals_.audit_verified;
    if (db_.rfind("sqlite:", 0) != 0) return;
    sqlite3* db = nullptr;
    std::string result = "cannot open";
    if (sqlite3_open_v2(db_.substr(7).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
      sqlite3_stmt* st = nullptr;
      if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) == SQLITE_OK &&
          sqlite3_step(st) == SQLITE_ROW) {
        result = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
      }
      sqlite3_finalize(st);
    }
    sqlite3_close(db);
    if (result != "ok") Violation("integrity_check: " + result);
    ++totals_.integrity_checked;
  }

  // ---- Bookkeeping ----

  static std::string Describe(const Answer& a) {
    return std::to_string(a.status) + " " + a.body.substr(0, 200);
  }

  void Count(long Totals::*field) {
    std::lock_guard lock(mutex_);
    ++(totals_.*field);
  }

  void Violation(const std::string& what) {
    std::lock_guard lock(mutex_);
    totals_.violations.push_back(what);
    std::cerr << "VIOLATION " << what << std::endl;
  }

  void Report() {
    auto& r = totals_.restart_ms;
    std::sort(r.begin(), r.end());
    const double p50 = r.empty() ? 0 : r[r.size() / 2];
    const double max = r.empty() ? 0 : r.back();
    long tracked = 0;
    for (const auto& mine : cases_) tracked += static_cast<long>(mine.size());
    std::cout << "RESULT db=" << (db_.rfind("sqlite:", 0) == 0 ? "sqlite" : "postgresql")
              << " kills=" << totals_.kills << " kills_after_answer=" << totals_.kills_after_answer
              << " kills_during_start_up=" << totals_.kills_during_start_up
              << " acknowledged_opens=" << totals_.opens
              << " acknowledged_transitions=" << totals_.transitions
              << " opens_in_doubt=" << totals_.opens_in_doubt
              << " transitions_in_doubt=" << totals_.transitions_in_doubt
              << " in_doubt_applied=" << totals_.in_doubt_applied << " cases=" << tracked
              << " case_checks=" << totals_.cases_checked
              << " audit_verified=" << totals_.audit_verified
              << " integrity_checked=" << totals_.integrity_checked
              << " restart_p50_ms=" << static_cast<long>(p50)
              << " restart_max_ms=" << static_cast<long>(max)
              << " violations=" << totals_.violations.size() << std::endl;
  }

  const std::string samspil_, db_, workflows_, log_;
  const int clients_;
  const int max_work_ms_;
  std::mt19937_64 rng_;
  const bool inject_loss_;
  const std::uint16_t port_;
  pid_t pid_ = 0;
  std::string token_, forum_;
  std::vector<std::vector<TrackedCase>> cases_;  // per client: only its thread writes them
  std::atomic<bool> killed_{false};
  std::atomic<bool> kill_after_answer_{false};
  std::mutex mutex_;
  Totals totals_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    auto args = ParseArgs(argc, argv);
    if (!args.count("samspil") || !args.count("db") ||
        (args.count("inject-loss") && args.at("db").rfind("sqlite:", 0) != 0)) {
      std::cerr << kUsage;
      return 2;
    }
    const long kills = std::stol(args.count("kills") ? args.at("kills") : "20");
    Harness harness(std::move(args));
    return harness.Run(kills);
  } catch (const std::exception& e) {
    std::cerr << "samspil_crash: " << e.what() << "\n" << kUsage;
    return 2;
  }
}
