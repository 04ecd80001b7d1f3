// The samspil binary as a user runs it: docs/api.md §1, exit codes and one-line errors.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

#include <csignal>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <sstream>

#include "support/store_fixture.hpp"

namespace samspil::test {
namespace {

struct Run {
  int exit_code;
  std::string out;
  std::string err;
};

std::string Quote(const std::string& arg) {
  std::string out = "'";
  for (char c : arg) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string ReadFile(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Runs `samspil ARGS` with `input` on stdin, capturing stdout and stderr.
class Cli {
 public:
  Run operator()(const std::vector<std::string>& args, const std::string& input = "") {
    std::ofstream(dir_.path() / "in") << input;
    std::string command = Quote(SAMSPIL_BINARY);
    for (const auto& a : args) command += " " + Quote(a);
    command += " < " + Quote((dir_.path() / "in").string()) + " > " +
               Quote((dir_.path() / "out").string()) + " 2> " +
               Quote((dir_.path() / "err").string());
    int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    return Run{WEXITSTATUS(status), ReadFile(dir_.path() / "out"), ReadFile(dir_.path() / "err")};
  }

  std::string db() const { return "sqlite:" + (dir_.path() / "cli.db").string(); }
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
};

int Lines(const std::string& text) {
  return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

std::int64_t AuditCount(const std::string& url) {
  auto store = OpenStoreAt(url, 1);
  auto count = store->VerifyAuditChain();
  REQUIRE(count.ok());
  return *count;
}

TEST_CASE("bad usage exits 2 with the usage", "[cli]") {
  Cli cli;
  auto none = cli({});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("usage: samspil") != std::string::npos);
  CHECK(cli({"frobnicate"}).exit_code == 2);
  auto unknown_option = cli({"migrate", "--colour", "red"});
  CHECK(unknown_option.exit_code == 2);
  CHECK(unknown_option.err.find("unknown option --colour") != std::string::npos);
  auto missing = cli({"agency", "add", "--id", "x", "--db", cli.db()});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("missing --name") != std::string::npos);
  CHECK(cli({"check-workflows"}).exit_code == 2);
  CHECK(cli({"agency", "add", "--id"}).exit_code == 2);
  CHECK(cli({"user", "add", "--username", "u", "--name", "U", "--agency", "a"}).exit_code == 2);
  CHECK(cli({"--help"}).exit_code == 0);
}

TEST_CASE("check-workflows passes the shipped definitions", "[cli]") {
  Cli cli;
  auto run = cli({"check-workflows", SAMSPIL_WORKFLOWS_DIR});
  CHECK(run.exit_code == 0);
  CHECK(std::regex_search(run.out, std::regex("^ok [0-9]+ workflows\n$")));
}

TEST_CASE("check-workflows names the file and the path of each problem", "[cli]") {
  Cli cli;
  const auto dir = cli.dir() / "wf";
  std::filesystem::create_directories(dir);
  std::string ssp = ReadFile(std::filesystem::path(SAMSPIL_WORKFLOWS_DIR) / "ssp.json");
  const std::string good = "\"to\": \"droeftelse\"";
  REQUIRE(ssp.find(good) != std::string::npos);
  ssp.replace(ssp.find(good), good.size(), "\"to\": \"vurdring\"");
  std::ofstream(dir / "ssp.json") << ssp;
  std::ofstream(dir / "psp.json") << "{ not json";
  auto run = cli({"check-workflows", dir.string()});
  CHECK(run.exit_code == 1);
  CHECK(std::regex_search(
      run.out, std::regex(R"(ssp\.json: transitions\[[0-9]+\]\.to: unknown state "vurdring")")));
  CHECK(run.out.find("psp.json: malformed JSON") != std::string::npos);
}

TEST_CASE("serve refuses to start on a broken definition and names file and path", "[cli][serve]") {
  Cli cli;
  const auto dir = cli.dir() / "wf";
  std::filesystem::create_directories(dir);
  std::string ukn = ReadFile(std::filesystem::path(SAMSPIL_WORKFLOWS_DIR) / "ukn.json");
  const std::string role = "\"roles\": [\"naevn\"]";
  REQUIRE(ukn.find(role) != std::string::npos);
  ukn.replace(ukn.find(role), role.size(), "\"roles\": [\"dommer\"]");
  std::ofstream(dir / "ukn.json") << ukn;
  auto run = cli({"serve", "--db", cli.db(), "--port", "0", "--workflows", dir.string()});
  CHECK(run.exit_code == 1);
  // The first "roles": ["naevn"] in ukn.json is the court's opening route.
  CHECK(run.err.find("ukn.json: open.guards[2].params.roles[0]: unknown role \"dommer\"\n") !=
        std::string::npos);
  CHECK(run.err.find("not starting") != std::string::npos);
}

TEST_CASE("administration commands build a forum with members, and refuse bad input", "[cli]") {
  Cli cli;
  const std::string db = cli.db();
  auto migrate = cli({"migrate", "--db", db});
  CHECK(migrate.exit_code == 0);
  CHECK(cli({"migrate", "--db", db}).out == migrate.out);  // idempotent

  CHECK(cli({"agency", "add", "--id", "politi-x", "--name", "Testpoliti", "--kind", "politi",
             "--db", db})
            .exit_code == 0);
  CHECK(cli({"forum", "add", "--id", "ssp-x", "--name", "SSP Testby", "--workflow", "ssp",
             "--municipality", "Testby", "--db", db})
            .exit_code == 0);
  auto user = cli({"user", "add", "--username", "betjent", "--name", "Test Betjent", "--agency",
                   "politi-x", "--password-stdin", "--db", db},
                  "hemmeligt-kodeord\n");
  CHECK(user.exit_code == 0);
  CHECK(user.out == "user betjent added\n");
  CHECK(cli({"member", "add", "--forum", "ssp-x", "--username", "betjent", "--role",
             "forebyggelsesbetjent", "--db", db})
            .exit_code == 0);

  const auto audit_before = AuditCount(db);
  struct Refusal {
    std::vector<std::string> args;
    std::string input;
    std::string message;
  };
  const std::vector<Refusal> refusals = {
      {{"agency", "add", "--id", "politi-x", "--name", "Igen", "--kind", "politi"},
       "",
       "agency \"politi-x\" already exists"},
      {{"agency", "add", "--id", "y", "--name", "Y", "--kind", "firma"},
       "",
       "unknown agency kind \"firma\""},
      {{"forum", "add", "--id", "z", "--name", "Z", "--workflow", "fodbold"},
       "",
       "unknown workflow \"fodbold\""},
      {{"user", "add", "--username", "ny", "--name", "Ny", "--agency", "politi-x",
        "--password-stdin"},
       "",
       "no password on standard input"},
      {{"user", "add", "--username", "ny", "--name", "Ny", "--agency", "politi-x",
        "--password-stdin"},
       "kort\n",
       "at least 8 characters"},
      {{"user", "add", "--username", "ny", "--name", "Ny", "--agency", "ukendt",
        "--password-stdin"},
       "langt-nok-kodeord\n",
       "unknown agency \"ukendt\""},
      {{"member", "add", "--forum", "ssp-x", "--username", "ingen", "--role", "skole"},
       "",
       "unknown user \"ingen\""},
      {{"member", "add", "--forum", "ingen", "--username", "betjent", "--role", "skole"},
       "",
       "unknown forum \"ingen\""},
      {{"member", "add", "--forum", "ssp-x", "--username", "betjent", "--role", "chef"},
       "",
       "unknown role \"chef\""},
      {{"escalate", "--at", "i morgen"}, "", "--at: expected an RFC 3339 time"},
  };
  for (auto refusal : refusals) {
    refusal.args.push_back("--db");
    refusal.args.push_back(db);
    auto run = cli(refusal.args, refusal.input);
    INFO(refusal.message << " / got: " << run.err);
    CHECK(run.exit_code == 1);
    CHECK(Lines(run.err) == 1);
    CHECK(run.err.find(refusal.message) != std::string::npos);
  }
  CHECK(AuditCount(db) == audit_before);  // a refused command changes nothing
}

TEST_CASE("seed-demo fills an empty database once and prints the demo logins", "[cli][demo]") {
  Cli cli;
  TestDatabase database(EACH_BACKEND);
  const std::string db = database.url();
  auto seeded = cli({"seed-demo", "--db", db});
  REQUIRE(seeded.exit_code == 0);
  CHECK(seeded.out.find("samspil-demo") != std::string::npos);
  for (const char* login : {"forebyggelsesbetjent.mvj", "socialraadgiver.mvj", "koordinator.mvj",
                            "koordinator.nord", "maegler.nord", "naevn.mvj", "admin"}) {
    CHECK(seeded.out.find(login) != std::string::npos);
  }
  // Cases in every state of every workflow.
  auto store = OpenStoreAt(db, 1);
  LoadedWorkflows workflows = ShippedWorkflows();
  auto koordinator = store->GetUserByUsername("koordinator.mvj");
  REQUIRE(koordinator.ok());
  auto actor = store->LoadActor(koordinator->id);
  std::map<std::string, std::set<std::string>> states_seen;
  CaseFilter page;
  page.limit = 500;
  const AuditContext who{actor->id, actor->agency_id, "", "test"};
  auto listed = store->ListCases(*actor, page, who, Timestamp{});
  REQUIRE(listed.ok());
  for (const auto& c : listed->items) states_seen[c.workflow_id].insert(c.state);
  for (const auto& [id, def] : workflows.by_id) {
    for (const auto& s : def.states) {
      INFO(id << " " << s.id);
      CHECK(states_seen[id].count(s.id) == 1);
    }
  }
  CHECK(cli({"audit", "verify", "--db", db}).exit_code == 0);

  auto again = cli({"seed-demo", "--db", db});
  CHECK(again.exit_code == 1);
  CHECK(again.err.find("already holds cases") != std::string::npos);
}

TEST_CASE("escalate marks overdue cases once and audit verify checks the chain", "[cli]") {
  Cli cli;
  TestDatabase database(EACH_BACKEND);
  const std::string db = database.url();
  REQUIRE(cli({"seed-demo", "--db", db}).exit_code == 0);
  auto far = cli({"escalate", "--db", db, "--at", "2099-01-01T00:00:00Z"});
  CHECK(far.exit_code == 0);
  std::smatch m;
  REQUIRE(std::regex_match(far.out, m, std::regex("escalated ([0-9]+) cases\n")));
  CHECK(std::stoi(m[1]) > 0);
  CHECK(cli({"escalate", "--db", db, "--at", "2099-01-01T00:00:00Z"}).out == "escalated 0 cases\n");

  auto verified = cli({"audit", "verify", "--db", db});
  CHECK(verified.exit_code == 0);
  CHECK(std::regex_match(verified.out, std::regex("ok [0-9]+ entries\n")));

  database.AllowEditing("audit_log");
  database.Exec("UPDATE audit_log SET detail = 'x' WHERE seq = 7");
  auto broken = cli({"audit", "verify", "--db", db});
  CHECK(broken.exit_code == 1);
  CHECK(broken.err ==
        "samspil: audit chain broken at entry 7: its content does not match its "
        "hash\n");
}

TEST_CASE("serve answers /healthz and /metrics and stops cleanly on SIGTERM", "[cli][serve]") {
  Cli cli;
  const std::string db = cli.db();
  Poco::Pipe err_pipe;
  Poco::Process::Args args{"serve", "--db", db, "--port", "0"};
  Poco::ProcessHandle server =
      Poco::Process::launch(SAMSPIL_BINARY, args, nullptr, nullptr, &err_pipe);
  Poco::PipeInputStream err(err_pipe);
  std::string line;
  int port = 0;
  std::smatch m;
  while (std::getline(err, line)) {
    if (std::regex_search(line, m, std::regex("listening on http://127\\.0\\.0\\.1:([0-9]+)"))) {
      port = std::stoi(m[1]);
      break;
    }
  }
  REQUIRE(port > 0);
  auto get = [&](const std::string& path) {
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, path);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    return std::make_pair(static_cast<int>(response.getStatus()), body);
  };
  auto health = get("/healthz");
  CHECK(health.first == 200);
  CHECK(health.second == "{\"status\":\"ok\"}");
  auto metrics = get("/metrics");
  CHECK(metrics.first == 200);
  CHECK(metrics.second.find(
            "samspil_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1") !=
        std::string::npos);
  CHECK(metrics.second.find("# TYPE samspil_http_request_duration_seconds histogram") !=
        std::string::npos);
  CHECK(get("/nope").first == 404);
  Poco::Process::requestTermination(server.id());  // SIGINT
  CHECK(server.wait() == 0);
}

}  // namespace
}  // namespace samspil::test

namespace samspil::test {
namespace {

TEST_CASE("audit export prints a citizen's access log and logs the export", "[cli][audit]") {
  Cli cli;
  const std::string db = cli.db();
  REQUIRE(cli({"seed-demo", "--db", db}).exit_code == 0);
  std::string case_id, name, birth;
  {
    auto store = OpenStoreAt(db, 1);
    auto user = store->GetUserByUsername("koordinator.mvj");
    auto actor = store->LoadActor(user->id);
    CaseFilter filter;
    filter.forum_id = "ssp-herning";
    auto page = store->ListCases(*actor, filter, AuditContext{actor->id, "", "", "test"},
                                 Timestamp{});
    REQUIRE_FALSE(page->items.empty());
    case_id = page->items.front().id;
    name = page->items.front().subject.name;
    birth = FormatDate(page->items.front().subject.birth_date);
  }
  auto first = cli({"audit", "export", "--db", db, "--subject-name", name, "--birth-date", birth});
  REQUIRE(first.exit_code == 0);
  CHECK(first.out.rfind("at\tcase\tforum\tagency\tagency_kind\trole\taction\n", 0) == 0);
  CHECK(first.out.find(case_id + "\tSSP Herning\t") != std::string::npos);
  CHECK(first.out.find("\tcase.open\n") != std::string::npos);
  CHECK(first.out.find("\tcase.list\n") != std::string::npos);  // the read above
  CHECK(first.out.find(name) == std::string::npos);               // about, not of, the citizen
  // The export itself is an access, and shows in the next extract.
  auto second = cli({"audit", "export", "--db", db, "--subject-name", name, "--birth-date", birth});
  CHECK(second.out.find("\tcase.export\n") != std::string::npos);
  CHECK(cli({"audit", "verify", "--db", db}).exit_code == 0);

  auto nobody =
      cli({"audit", "export", "--db", db, "--subject-name", "Ingen Findes", "--birth-date", birth});
  CHECK(nobody.exit_code == 0);
  CHECK(Lines(nobody.out) == 1);
  CHECK(nobody.err == "0 accesses to 0 cases\n");
  auto bad = cli({"audit", "export", "--db", db, "--subject-name", name, "--birth-date", "1.2.2010"});
  CHECK(bad.exit_code == 1);
  CHECK(bad.err == "samspil: --birth-date: expected YYYY-MM-DD\n");
}

}  // namespace
}  // namespace samspil::test
