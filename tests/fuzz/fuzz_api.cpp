// libFuzzer: a request to the REST API as the transport hands it over (Api::Handle), over a
// real store on SQLite in a scratch directory. The input is "METHOD PATH[?QUERY]\nBODY";
// "{case}" and "{forum}" in the path stand for a case and forum that exist, and a method
// line starting with "!" is sent without a session. Whatever the bytes:
//  - the answer is never 5xx (a bug: nothing here fails for outside reasons);
//  - a JSON answer parses, and every answer's body is valid UTF-8 (strict clients reject
//    anything else, and one bad string would break a whole case list).
#include <Poco/JSON/Parser.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>

#include "samspil/adapters/case_service.hpp"
#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"
#include "samspil/adapters/store.hpp"
#include "samspil/adapters/workflow_loader.hpp"
#include "samspil/web/api.hpp"
#include "samspil/web/metrics.hpp"

namespace {

using namespace samspil;

void Check(const Status& st, const char* what) {
  if (!st) {
    std::cerr << "fuzz_api set-up: " << what << ": " << st.error().message << std::endl;
    std::abort();
  }
}

bool ValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 0x2) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const std::uint32_t min = n == 1 ? 0 : n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

struct World {
  std::filesystem::path dir;
  std::unique_ptr<Store> store;
  FixedClock clock{*ParseTimestamp("2026-11-23T10:00:00Z")};
  RandomIdSource ids;
  Pbkdf2PasswordHasher hasher{1000};  // cheap: logins are tried often
  Metrics metrics;
  std::unique_ptr<CaseService> service;
  std::unique_ptr<Api> api;
  std::string token, case_id;

  World() {
    dir = std::filesystem::temp_directory_path() / ("samspil-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    StoreOptions options;
    options.url = "sqlite:" + (dir / "fuzz.db").string();
    options.sqlite_synchronous = "NORMAL";  // a scratch file: durability is not what is tested
    auto opened = Store::Open(options);
    if (!opened) Check(opened.error(), "open");
    store = std::move(*opened);
    auto workflows = LoadWorkflowDir(SAMSPIL_WORKFLOWS_DIR);
    for (const auto& [id, def] : workflows.by_id) {
      Check(store->RegisterWorkflow(def, workflows.source_by_id.at(id)), "register");
    }
    const AuditContext cli{"", "", "cli", "local"};
    const Timestamp now = clock.Now();
    Check(store->AddAgency({"kommune-fuzz", "Fuzzkommune", "kommune"}, cli, now), "agency");
    Check(store->AddForum({"ssp-fuzz", "SSP Fuzzby", "ssp", "Fuzzby"}, cli, now), "forum");
    Check(store->AddUser({"usr_fuzz", "fuzz", "Fiktiv Fuzzer", "kommune-fuzz"},
                         hasher.Hash("fuzz-kodeord"), cli, now),
          "user");
    Check(store->AddMembership("ssp-fuzz", "fuzz", "koordinator", cli, now), "membership");
    service = std::make_unique<CaseService>(*store, workflows.by_id, clock, ids);
    api = std::make_unique<Api>(*store, *service, hasher, clock, metrics);

    token = LogIn();
    std::string route;
    ApiRequest open{"POST", "/api/v1/cases", {}, "Bearer " + token, "", "",
                    R"({"forum_id":"ssp-fuzz","subject":{"name":"Fiktiv Fuzzsen",)"
                    R"("birth_date":"2012-01-15"},"summary":"Fiktiv bekymring",)"
                    R"("data":{"anledning":"bekymrende_adfaerd","uddannelsessted":"Fuzzskolen",)"
                    R"("foraeldre_orienteret":true}})",
                    "127.0.0.1", false};
    const ApiResponse answer = api->Handle(open, route);
    if (answer.status != 201) std::abort();
    case_id = Parse(answer.body)->getValue<std::string>("id");
  }
  ~World() {
    api.reset();
    service.reset();
    store.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // From another address than the inputs' own: their failed logins must not slow it.
  std::string LogIn() {
    ApiRequest login{"POST", "/api/v1/auth/login", {}, "", "", "",
                     R"({"username":"fuzz","password":"fuzz-kodeord"})", "127.0.0.2", false};
    std::string route;
    const ApiResponse answer = api->Handle(login, route);
    if (answer.status != 200) std::abort();
    return Parse(answer.body)->getValue<std::string>("token");
  }

  static Poco::JSON::Object::Ptr Parse(const std::string& text) {
    Poco::JSON::Parser parser;
    return parser.parse(text).extract<Poco::JSON::Object::Ptr>();
  }
};

void Replace(std::string& s, const std::string& from, const std::string& to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  static World world;
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t eol = input.find('\n');
  std::string line = input.substr(0, eol);
  ApiRequest request;
  request.client_address = "127.0.0.1";
  request.body = eol == std::string::npos ? "" : input.substr(eol + 1);
  const bool anonymous = !line.empty() && line[0] == '!';
  if (anonymous) line.erase(0, 1);
  if (!anonymous) request.authorization = "Bearer " + world.token;
  // A logout ends the session every other input uses: it gets a session of its own.
  if (!anonymous && input.find("logout") != std::string::npos) {
    request.authorization = "Bearer " + world.LogIn();
  }
  const size_t space = line.find(' ');
  if (space == std::string::npos) return 0;
  request.method = line.substr(0, space);
  std::string target = line.substr(space + 1);
  Replace(target, "{case}", world.case_id);
  Replace(target, "{forum}", "ssp-fuzz");
  const size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    // key=value&key=value, as the transport decodes it (no percent-decoding here).
    std::string query = target.substr(question + 1);
    size_t start = 0;
    while (start <= query.size()) {
      const size_t amp = std::min(query.find('&', start), query.size());
      const std::string pair = query.substr(start, amp - start);
      const size_t eq = pair.find('=');
      request.query[pair.substr(0, eq)] = eq == std::string::npos ? "" : pair.substr(eq + 1);
      start = amp + 1;
    }
  }
  std::string route;
  const ApiResponse answer = world.api->Handle(request, route);
  if (answer.status >= 500) {
    std::cerr << "fuzz_api: " << answer.status << " " << answer.body << std::endl;
    std::abort();
  }
  if (!ValidUtf8(answer.body)) {
    std::cerr << "fuzz_api: the answer is not valid UTF-8" << std::endl;
    std::abort();
  }
  if (answer.content_type.rfind("application/json", 0) == 0 && !answer.body.empty()) {
    try {
      Poco::JSON::Parser parser;
      parser.parse(answer.body);
    } catch (const std::exception&) {
      std::cerr << "fuzz_api: the JSON answer does not parse: " << answer.body << std::endl;
      std::abort();
    }
  }
  return 0;
}
