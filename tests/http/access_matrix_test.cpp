// Every endpoint of docs/api.md §2 against every kind of caller: a member with the right
// role, a member whose role may not act, a member of another forum, a user without any
// membership, an admin (who manages but never reads cases) and no credentials at all.
// Every refusal to read or change a case must look exactly like a case that does not exist.
#include <functional>
#include <map>

#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

constexpr const char* kMissingCase = "case_0000000000000000000000";
constexpr const char* kMissingForum = "forum-findes-ikke";

struct Cell {
  std::string caller;  // a username, or "none" for no credentials
  std::string method;
  std::string path;  // "{case}" stands for the case under test
  std::string body;  // "{case}" and "{forum}" are substituted too
  int status;
  std::string code;  // the expected error code; "" for a success, "*" for any code
  std::function<void(const HttpResult&)> check = nullptr;
};

std::string Substitute(std::string text, const std::string& case_id, const std::string& forum) {
  for (const auto& [key, value] :
       std::vector<std::pair<std::string, std::string>>{{"{case}", case_id}, {"{forum}", forum}}) {
    for (auto pos = text.find(key); pos != std::string::npos; pos = text.find(key)) {
      text.replace(pos, key.size(), value);
    }
  }
  return text;
}

TEST_CASE("access matrix: every endpoint for every kind of caller", "[http][access]") {
  HttpFixture h;
  h.f.AddUser("ingen", "kommune", {});  // a user with no membership at all

  std::map<std::string, Login> logins;
  for (const char* user : {"betjent", "koord", "social", "other", "maegler", "admin", "ingen"}) {
    logins[user] = h.LogIn(user);
  }
  // The case under test, in ssp-a, and one of ssp-b that only `other` may see.
  const std::string case_a = Str(OpenCaseOver(h, logins["betjent"]), "id");
  const std::string case_b = Str(OpenCaseOver(h, logins["other"], "ssp-b"), "id");

  const std::vector<std::string> everyone = {"betjent", "koord", "social", "other",
                                             "maegler", "admin", "ingen"};
  const std::vector<std::string> ssp_a_members = {"betjent", "koord", "social"};
  const std::vector<std::string> outsiders = {"other", "maegler", "admin", "ingen"};

  std::vector<Cell> cells;
  auto for_all = [&](const std::vector<std::string>& callers, Cell cell) {
    for (const auto& c : callers) {
      Cell copy = cell;
      copy.caller = c;
      cells.push_back(copy);
    }
  };

  // --- authentication: public login, and 401 without credentials everywhere else --------
  for (const auto& user : everyone) {
    cells.push_back({"none", "POST", "/api/v1/auth/login",
                     "{\"username\":" + Quote(user) + ",\"password\":" + Quote(kPassword) + "}",
                     200, "", [](const HttpResult& r) {
                       CHECK(!Str(r.Json(), "token").empty());
                       CHECK(r.Json()->isObject("user"));
                     }});
  }
  cells.push_back({"none", "POST", "/api/v1/auth/logout", "", 401, "unauthenticated"});

  // --- /me, /workflows, /fora -------------------------------------------------------------
  for_all(everyone, {"", "GET", "/api/v1/me", "", 200, "", nullptr});
  cells.push_back({"none", "GET", "/api/v1/me", "", 401, "unauthenticated"});
  for_all(everyone, {"", "GET", "/api/v1/workflows", "", 200, "",
                     [](const HttpResult& r) { CHECK(r.Json()->getArray("items")->size() >= 5); }});
  cells.push_back({"none", "GET", "/api/v1/workflows", "", 401, "unauthenticated"});
  for_all(everyone, {"", "GET", "/api/v1/workflows/ssp", "", 200, "", nullptr});
  for_all(everyone, {"", "GET", "/api/v1/workflows/findes-ikke", "", 404, "not_found"});
  cells.push_back({"none", "GET", "/api/v1/workflows/ssp", "", 401, "unauthenticated"});
  for_all(everyone, {"", "GET", "/api/v1/fora", "", 200, "", nullptr});
  cells.push_back({"none", "GET", "/api/v1/fora", "", 401, "unauthenticated"});
  // A forum's figures: its members only; to anyone else the forum does not exist.
  for_all(ssp_a_members, {"", "GET", "/api/v1/fora/{forum}/stats", "", 200, "",
                          [](const HttpResult& r) { CHECK(Str(r.Json(), "forum_id") == "ssp-a"); }});
  for_all(outsiders, {"", "GET", "/api/v1/fora/{forum}/stats", "", 404, "not_found"});
  cells.push_back({"none", "GET", "/api/v1/fora/{forum}/stats", "", 401, "unauthenticated"});

  // --- opening a case -----------------------------------------------------------------------
  const std::string open_body = OpenBody("{forum}", "Testbarn Matrix", "2012-04-01");
  for_all(ssp_a_members, {"", "POST", "/api/v1/cases", open_body, 201, "", nullptr});
  // maegler is a member of kr-a, but a mediator may not propose a konfliktråd case.
  cells.push_back(
      {"maegler", "POST", "/api/v1/cases", Substitute(open_body, "", "kr-a"), 403, "forbidden"});
  for_all(outsiders, {"", "POST", "/api/v1/cases", open_body, 404, "not_found"});
  cells.push_back({"none", "POST", "/api/v1/cases", open_body, 401, "unauthenticated"});

  // --- lists ----------------------------------------------------------------------------------
  for (const auto& c : ssp_a_members) {
    cells.push_back({c, "GET", "/api/v1/cases", "", 200, "", [&](const HttpResult& r) {
                       auto ids = ItemIds(r);
                       CHECK(Has(ids, case_a));
                       CHECK_FALSE(Has(ids, case_b));
                     }});
  }
  cells.push_back({"other", "GET", "/api/v1/cases", "", 200, "", [&](const HttpResult& r) {
                     auto ids = ItemIds(r);
                     CHECK_FALSE(Has(ids, case_a));
                     CHECK(Has(ids, case_b));
                     for (size_t i = 0; i < ids.size(); ++i) {
                       CHECK(Str(r.Json()->getArray("items")->getObject(i), "forum_id") == "ssp-b");
                     }
                   }});
  for_all({"maegler", "admin", "ingen"}, {"", "GET", "/api/v1/cases", "", 200, "",
                                          [](const HttpResult& r) { CHECK(ItemIds(r).empty()); }});
  for_all({"admin", "ingen", "other"}, {"", "GET", "/api/v1/cases?forum_id=ssp-a", "", 200, "",
                                        [](const HttpResult& r) { CHECK(ItemIds(r).empty()); }});
  cells.push_back({"none", "GET", "/api/v1/cases", "", 401, "unauthenticated"});

  // --- one case, its history ------------------------------------------------------------------
  for (const char* path : {"/api/v1/cases/{case}", "/api/v1/cases/{case}/history"}) {
    for_all(ssp_a_members, {"", "GET", path, "", 200, "", nullptr});
    for_all(outsiders, {"", "GET", path, "", 404, "not_found"});
    cells.push_back({"none", "GET", path, "", 401, "unauthenticated"});
  }

  // --- reopening (before the transition below changes the version): the case under test is
  // open, so a member gets 400 whatever their role; the hidden case is 404 as ever ---------
  const std::string reopen = "/api/v1/cases/{case}/reopen";
  const std::string reopen_body = R"j({"expected_version":1,"reason":"Ny viden (fiktiv)"})j";
  cells.push_back({"none", "POST", reopen, reopen_body, 401, "unauthenticated"});
  for_all(outsiders, {"", "POST", reopen, reopen_body, 404, "not_found"});
  for_all(ssp_a_members, {"", "POST", reopen, reopen_body, 400, "invalid_request"});

  // --- a transition: visitation is the coordinator's; the allowed one goes last -----------
  const std::string visiter = TransitionBody("visiter", 1, kVisiterData);
  const std::string transitions = "/api/v1/cases/{case}/transitions";
  cells.push_back({"none", "POST", transitions, visiter, 401, "unauthenticated"});
  for_all(outsiders, {"", "POST", transitions, visiter, 404, "not_found"});
  // Whatever else is wrong with the request, a hidden case is not there: a stale version or
  // an unknown action must not reveal that it exists.
  for_all(outsiders,
          {"", "POST", transitions, TransitionBody("visiter", 99, kVisiterData), 404, "not_found"});
  for_all(outsiders, {"", "POST", transitions, TransitionBody("findes_ikke", 1), 404, "not_found"});
  for_all({"social", "betjent"}, {"", "POST", transitions, visiter, 403, "forbidden"});
  cells.push_back({"koord", "POST", transitions, visiter, 200, "", [](const HttpResult& r) {
                     CHECK(Str(r.Json(), "state") == "droeftelse");
                     CHECK(r.Json()->getValue<int>("version") == 2);
                   }});

  // --- escalations: only a coordinator's fora; nobody else sees anything -----------------
  for_all(everyone, {"", "GET", "/api/v1/escalations", "", 200, "", [&](const HttpResult& r) {
                       CHECK_FALSE(Has(ItemIds(r), case_a));
                       CHECK_FALSE(Has(ItemIds(r), case_b));
                     }});
  cells.push_back({"none", "GET", "/api/v1/escalations", "", 401, "unauthenticated"});

  // --- operations: no authentication --------------------------------------------------------
  for (const auto& c : std::vector<std::string>{"none", "koord", "admin"}) {
    cells.push_back({c, "GET", "/healthz", "", 200, "", nullptr});
    cells.push_back({c, "GET", "/metrics", "", 200, "", nullptr});
    // Unknown paths and known paths with another method answer the same for everyone.
    cells.push_back({c, "GET", "/api/v1/findes-ikke", "", 404, "not_found"});
    cells.push_back({c, "DELETE", "/api/v1/cases/{case}", "", 405, "*"});
    cells.push_back({c, "GET", "/api/v1/cases/{case}/transitions", "", 405, "*"});
  }

  // --- logout last: each caller's session ends -----------------------------------------------
  for_all(everyone, {"", "POST", "/api/v1/auth/logout", "", 204, "",
                     [](const HttpResult& r) { CHECK(r.body.empty()); }});
  for_all(everyone, {"", "GET", "/api/v1/me", "", 401, "unauthenticated"});

  for (const auto& cell : cells) {
    const std::string token = cell.caller == "none" ? "" : logins.at(cell.caller).token;
    const std::string path = Substitute(cell.path, case_a, "ssp-a");
    const std::string body = Substitute(cell.body, case_a, "ssp-a");
    INFO(cell.caller << ": " << cell.method << " " << path << " " << body);
    auto r = h.Send(cell.method, path, body, token);
    INFO("-> " << r.status << " " << r.body);
    CHECK(r.status == cell.status);
    if (cell.status >= 400) {
      CheckErrorShape(r);
      if (cell.code != "*") CHECK(r.ErrorCode() == cell.code);
    }
    if (cell.check && r.status == cell.status) cell.check(r);

    // A refusal to see or change a case is indistinguishable from a case that is not there.
    if (cell.status == 404 && cell.caller != "none" &&
        (Contains(cell.path, "{case}") || Contains(cell.path, "{forum}") ||
         Contains(cell.body, "{forum}"))) {
      const std::string missing_path = Substitute(cell.path, kMissingCase, kMissingForum);
      const std::string missing_body = Substitute(cell.body, kMissingCase, kMissingForum);
      auto missing = h.Send(cell.method, missing_path, missing_body, token);
      INFO("nonexistent: " << missing_path << " -> " << missing.status << " " << missing.body);
      CHECK(missing.status == r.status);
      CHECK(missing.body == r.body);
      CHECK(missing.headers.get("Content-Type", "") == r.headers.get("Content-Type", ""));
    }
  }
}

TEST_CASE(
    "fora: a member sees its fora with its role, an admin sees all, a user without "
    "memberships none",
    "[http][access]") {
  HttpFixture h;
  h.f.AddUser("ingen", "kommune", {});

  auto fora_of = [&](const std::string& user) {
    auto r = h.Get("/api/v1/fora", h.LogIn(user));
    INFO(r.body);
    REQUIRE(r.status == 200);
    std::map<std::string, Poco::Dynamic::Var> roles;  // forum id -> my_role
    JsonArray items = r.Json()->getArray("items");
    for (size_t i = 0; i < items->size(); ++i) {
      JsonObject f = items->getObject(i);
      for (const char* key : {"id", "name", "workflow_id", "municipality", "my_role"}) {
        INFO(key);
        CHECK(f->has(key));
      }
      roles[Str(f, "id")] = f->get("my_role");
    }
    return roles;
  };

  auto koord = fora_of("koord");
  REQUIRE(koord.size() == 2);
  CHECK(koord.at("ssp-a").toString() == "koordinator");
  CHECK(koord.at("kr-a").toString() == "koordinator");

  auto other = fora_of("other");
  REQUIRE(other.size() == 1);
  CHECK(other.at("ssp-b").toString() == "koordinator");

  auto maegler = fora_of("maegler");
  REQUIRE(maegler.size() == 1);
  CHECK(maegler.at("kr-a").toString() == "maegler");

  auto admin = fora_of("admin");
  CHECK(admin.size() == 4);
  for (const char* forum : {"ssp-a", "ssp-b", "kr-a", "ukn-a"}) {
    INFO(forum);
    REQUIRE(admin.count(forum) == 1);
    CHECK(admin.at(forum).isEmpty());  // an admin holds no role: my_role is null
  }

  CHECK(fora_of("ingen").empty());
}

}  // namespace
}  // namespace samspil::test
