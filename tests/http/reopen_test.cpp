// docs/domain.md rule 6: closing keeps the history; reopening needs a reason. A koordinator
// reopens a rejected SSP case through POST /api/v1/cases/{id}/reopen; everyone else, and
// every malformed or stale request, is refused and changes nothing.
#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

std::string ReopenBody(long long expected_version, const std::string& reason) {
  return "{\"expected_version\":" + std::to_string(expected_version) +
         ",\"reason\":" + Quote(reason) + "}";
}

// An SSP case in ssp-a, rejected at visitation (afvist, version 2). Returns its id.
std::string RejectedCase(HttpFixture& h, const Login& betjent, const Login& koord) {
  const std::string id = Str(OpenCaseOver(h, betjent), "id");
  auto r = h.Post("/api/v1/cases/" + id + "/transitions",
                  TransitionBody("afvis", 1, R"j({"afvisningsgrund":"Ikke en SSP-sag (fiktivt)"})j"),
                  koord);
  INFO(r.body);
  REQUIRE(r.status == 200);
  REQUIRE(Str(r.Json(), "state") == "afvist");
  return id;
}

TEST_CASE("a koordinator reopens a closed case with a reason, and the history keeps both", "[http][reopen]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  const std::string id = RejectedCase(h, betjent, koord);

  // The case says who may reopen it, and where it goes.
  auto before = h.Get("/api/v1/cases/" + id, koord);
  REQUIRE(before.status == 200);
  REQUIRE(before.Json()->isObject("reopen"));
  CHECK(Str(before.Json()->getObject("reopen"), "to") == "modtaget");
  CHECK(Str(before.Json()->getObject("reopen"), "label") == "Genåbn sagen");
  CHECK(before.Json()->getArray("available_actions")->size() == 0);
  CHECK(before.Json()->get("due_at").isEmpty());
  auto betjent_view = h.Get("/api/v1/cases/" + id, betjent);
  CHECK(betjent_view.Json()->get("reopen").isEmpty());

  const std::string reason = "Ny underretning fra skolen (fiktiv)";
  auto r = h.Post("/api/v1/cases/" + id + "/reopen", ReopenBody(2, reason), koord);
  INFO(r.body);
  REQUIRE(r.status == 200);
  CHECK(Str(r.Json(), "state") == "modtaget");
  CHECK(r.Json()->getValue<int>("version") == 3);
  CHECK_FALSE(r.Json()->get("due_at").isEmpty());
  CHECK_FALSE(r.Json()->getValue<bool>("escalated"));
  CHECK(r.Json()->get("reopen").isEmpty());
  CHECK(r.Json()->getArray("available_actions")->size() > 0);
  // The rejection's reason is kept on the case.
  CHECK(Str(r.Json()->getObject("data"), "afvisningsgrund") == "Ikke en SSP-sag (fiktivt)");

  auto history = h.Get("/api/v1/cases/" + id + "/history", betjent);
  REQUIRE(history.status == 200);
  JsonArray items = history.Json()->getArray("items");
  REQUIRE(items->size() == 3);
  CHECK(Str(items->getObject(1), "action") == "afvis");
  JsonObject reopened = items->getObject(2);
  CHECK(Str(reopened, "action") == "reopen");
  CHECK(Str(reopened, "from") == "afvist");
  CHECK(Str(reopened, "to") == "modtaget");
  CHECK(Str(reopened, "role") == "koordinator");
  CHECK(Str(reopened, "comment") == reason);

  // It is an open case again: the workflow goes on from its first state.
  auto visit = h.Post("/api/v1/cases/" + id + "/transitions", TransitionBody("visiter", 3, kVisiterData), koord);
  INFO(visit.body);
  CHECK(visit.status == 200);
}

TEST_CASE("reopening is refused without a reason, on a stale version, to other roles and on an open case, "
          "changing nothing",
          "[http][reopen]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  Login social = h.LogIn("social");
  const std::string id = RejectedCase(h, betjent, koord);
  const std::string path = "/api/v1/cases/" + id + "/reopen";
  const std::string body_before = h.Get("/api/v1/cases/" + id, koord).body;
  const auto history_before = h.Get("/api/v1/cases/" + id + "/history", koord).body;

  struct Refusal {
    const Login& who;
    std::string body;
    int status;
    std::string code;
  };
  for (const auto& [who, body, status, code] : std::vector<Refusal>{
           {koord, ReopenBody(2, "   "), 400, "invalid_request"},
           {koord, R"j({"expected_version":2})j", 400, "invalid_request"},
           {koord, R"j({"expected_version":"2","reason":"x"})j", 400, "invalid_request"},
           {koord, ReopenBody(1, "Ny viden"), 409, "version_conflict"},
           {social, ReopenBody(2, "Ny viden"), 403, "forbidden"},
           {betjent, ReopenBody(2, "Ny viden"), 403, "forbidden"},
       }) {
    auto r = h.Post(path, body, who);
    INFO(body << " -> " << r.status << " " << r.body);
    CHECK(r.status == status);
    CheckErrorShape(r);
    CHECK(r.ErrorCode() == code);
  }
  CHECK(h.Get("/api/v1/cases/" + id, koord).body == body_before);
  CHECK(h.Get("/api/v1/cases/" + id + "/history", koord).body == history_before);

  // An open case cannot be "reopened".
  const std::string open_id = Str(OpenCaseOver(h, betjent), "id");
  auto open = h.Post("/api/v1/cases/" + open_id + "/reopen", ReopenBody(1, "Ny viden"), koord);
  CHECK(open.status == 400);
  CHECK(Contains(open.body, "only a closed case"));
}

}  // namespace
}  // namespace samspil::test
