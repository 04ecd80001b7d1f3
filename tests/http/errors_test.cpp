// Every error status of docs/api.md §3 with its code, and the one error shape:
// {"error": {"code", "message"}}, never SQL, a file path or a stack trace.
#include "http/http_helpers.hpp"
#include "samspil/web/api.hpp"

namespace samspil::test {
namespace {

TEST_CASE(
    "400 invalid_request: malformed JSON, wrong types, missing fields, unknown actions, "
    "bad query parameters",
    "[http][errors]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  const std::string id = Str(OpenCaseOver(h, betjent), "id");
  const std::string transitions = "/api/v1/cases/" + id + "/transitions";

  struct Bad {
    const char* what;
    std::string path;
    std::string body;
  };
  const std::vector<Bad> opens = {
      {"malformed JSON", "/api/v1/cases", R"j({"forum_id": "ssp-a", )j"},
      {"not an object", "/api/v1/cases", R"j(["ssp-a"])j"},
      {"an empty body", "/api/v1/cases", ""},
      {"forum_id a number", "/api/v1/cases",
       R"j({"forum_id":7,"subject":{"name":"A B","birth_date":"2012-04-01"},"summary":"s"})j"},
      {"subject a string", "/api/v1/cases",
       R"j({"forum_id":"ssp-a","subject":"A B","summary":"s"})j"},
      {"birth_date not a date", "/api/v1/cases",
       R"j({"forum_id":"ssp-a","subject":{"name":"A B","birth_date":"1. april 2012"},)j"
       R"j("summary":"s"})j"},
      {"summary missing", "/api/v1/cases",
       R"j({"forum_id":"ssp-a","subject":{"name":"A B","birth_date":"2012-04-01"}})j"},
      {"forum_id missing", "/api/v1/cases",
       R"j({"subject":{"name":"A B","birth_date":"2012-04-01"},"summary":"s"})j"},
      {"subject.name missing", "/api/v1/cases",
       R"j({"forum_id":"ssp-a","subject":{"birth_date":"2012-04-01"},"summary":"s"})j"},
      {"an opening field of the wrong type", "/api/v1/cases",
       OpenBody("ssp-a", "A B", "2012-04-01", "s", R"j({"foraeldre_orienteret":"ja"})j")},
      {"an unknown opening field", "/api/v1/cases",
       OpenBody("ssp-a", "A B", "2012-04-01", "s", R"j({"findes_ikke":"x"})j")},
      {"an enum value not among the options", "/api/v1/cases",
       OpenBody("ssp-a", "A B", "2012-04-01", "s", R"j({"anledning":"noget_helt_andet"})j")},
      {"data not an object", "/api/v1/cases",
       OpenBody("ssp-a", "A B", "2012-04-01", "s", R"j("tekst")j")},
      {"malformed JSON", transitions, R"j({"action":"visiter",)j"},
      {"expected_version a string", transitions,
       R"j({"action":"visiter","expected_version":"1","data":{"bekymringsniveau":"2"}})j"},
      {"expected_version a fraction", transitions,
       R"j({"action":"visiter","expected_version":1.5,"data":{"bekymringsniveau":"2"}})j"},
      {"expected_version missing", transitions,
       R"j({"action":"visiter","data":{"bekymringsniveau":"2"}})j"},
      {"action missing", transitions, R"j({"expected_version":1})j"},
      {"action a number", transitions, R"j({"action":3,"expected_version":1})j"},
      {"comment a number", transitions,
       R"j({"action":"visiter","expected_version":1,"comment":5,)j"
       R"j("data":{"bekymringsniveau":"2"}})j"},
      {"unknown action name", transitions, TransitionBody("flyv_til_maanen", 1)},
      {"a required field of the action missing", transitions, TransitionBody("visiter", 1)},
      {"a field value of the wrong type", transitions,
       TransitionBody("visiter", 1, R"j({"bekymringsniveau":2})j")},
      {"login without password", "/api/v1/auth/login", R"j({"username":"koord"})j"},
      {"login malformed", "/api/v1/auth/login", R"j({"username":)j"},
  };
  for (const auto& bad : opens) {
    INFO(bad.what << ": " << bad.body);
    CheckError(h.Post(bad.path, bad.body, koord), 400, "invalid_request");
  }

  for (const char* query : {"limit=0", "limit=-1", "limit=abc", "limit=3x", "limit=501",
                            "limit=", "overdue=maybe", "escalated=yes", "escalated="}) {
    INFO(query);
    CheckError(h.Get(std::string("/api/v1/cases?") + query, koord), 400, "invalid_request");
  }
  // The boundaries are accepted.
  CHECK(h.Get("/api/v1/cases?limit=1", koord).status == 200);
  CHECK(h.Get("/api/v1/cases?limit=500&overdue=false&escalated=false", koord).status == 200);

  // An action the workflow has, but not from this state, is refused as a client error.
  auto elsewhere =
      h.Post(transitions, TransitionBody("start_opfoelgning", 1, R"j({"status":"x"})j"), koord);
  CHECK(elsewhere.status >= 400);
  CHECK(elsewhere.status < 500);
  CheckErrorShape(elsewhere);

  // None of the rejected requests changed the case.
  auto after = h.Get("/api/v1/cases/" + id, koord);
  REQUIRE(after.status == 200);
  CHECK(after.Json()->getValue<int>("version") == 1);
  CHECK(Str(after.Json(), "state") == "modtaget");
  auto history = h.Get("/api/v1/cases/" + id + "/history", koord);
  CHECK(history.Json()->getArray("items")->size() == 1);
}

TEST_CASE("401 unauthenticated: no, malformed or unknown credentials", "[http][errors]") {
  HttpFixture h;
  Login koord = h.LogIn("koord");
  const std::vector<std::vector<std::pair<std::string, std::string>>> credentials = {
      {},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Bearer " + std::string(64, '0')}},
      {{"Authorization", "Bearer " + koord.token + "x"}},
      {{"Authorization", "Basic a29vcmQ6a29kZW9yZA=="}},
      {{"Authorization", koord.token}},
      {{"Cookie", std::string(kSessionCookie) + "=" + std::string(64, 'a')}},
  };
  for (const auto& headers : credentials) {
    for (const char* path : {"/api/v1/me", "/api/v1/cases", "/api/v1/escalations"}) {
      INFO(path << " " << (headers.empty() ? "" : headers[0].second));
      CheckError(SendRaw(h, {"GET", path, "", headers}), 401, "unauthenticated");
    }
  }
  // The same token works.
  CHECK(h.Get("/api/v1/me", koord).status == 200);
}

TEST_CASE("403 forbidden, 404 not_found and 409 version_conflict on a transition",
          "[http][errors]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  Login social = h.LogIn("social");
  Login koord = h.LogIn("koord");
  const std::string id = Str(OpenCaseOver(h, betjent), "id");
  const std::string path = "/api/v1/cases/" + id + "/transitions";

  auto forbidden = h.Post(path, TransitionBody("visiter", 1, kVisiterData), social);
  CheckError(forbidden, 403, "forbidden");
  // The refusal names the rule: which roles may take the action.
  CHECK(Contains(ErrorMessage(forbidden), "koordinator"));

  CheckError(h.Get("/api/v1/cases/case_findes_ikke", koord), 404, "not_found");
  CheckError(h.Get("/api/v1/cases/case_findes_ikke/history", koord), 404, "not_found");
  CheckError(h.Post("/api/v1/cases/case_findes_ikke/transitions",
                    TransitionBody("visiter", 1, kVisiterData), koord),
             404, "not_found");
  CheckError(h.Get("/api/v1/workflows/findes_ikke", koord), 404, "not_found");
  CheckError(h.Get("/api/v1/findes/ikke", koord), 404, "not_found");

  auto ok = h.Post(path, TransitionBody("visiter", 1, kVisiterData), koord);
  REQUIRE(ok.status == 200);
  CHECK(ok.Json()->getValue<int>("version") == 2);

  // The same request again is now stale, and so is a version from the future.
  CheckError(h.Post(path, TransitionBody("afslut", 1, R"j({"afslutningsgrund":"andet"})j"), koord),
             409, "version_conflict");
  CheckError(h.Post(path, TransitionBody("afslut", 3, R"j({"afslutningsgrund":"andet"})j"), koord),
             409, "version_conflict");
  auto still = h.Get("/api/v1/cases/" + id, koord);
  CHECK(still.Json()->getValue<int>("version") == 2);
  CHECK(Str(still.Json(), "state") == "droeftelse");
}

// A valid opening padded with whitespace to exactly `size` bytes.
std::string Padded(size_t size) {
  std::string body = OpenBody("ssp-a", "Testbarn Stor", "2012-04-01");
  REQUIRE(body.size() < size);
  body += std::string(size - body.size(), ' ');
  return body;
}

std::string Chunked(const std::string& body) {
  std::string out;
  static const char* kHex = "0123456789abcdef";
  for (size_t at = 0; at < body.size(); at += 65536) {
    const size_t n = std::min<size_t>(65536, body.size() - at);
    std::string size;
    for (size_t v = n; v; v >>= 4) size.insert(size.begin(), kHex[v & 0xf]);
    out += size + "\r\n" + body.substr(at, n) + "\r\n";
  }
  return out + "0\r\n\r\n";
}

TEST_CASE(
    "413 payload_too_large: the server refuses a body over 1 MiB, with a Content-Length "
    "or chunked",
    "[http][errors]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  const std::string head =
      "POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\n"
      "Content-Type: application/json\r\nAuthorization: Bearer " +
      betjent.token + "\r\n";

  SECTION("exactly 1 MiB is accepted") {
    auto r = SendOnSocket(
        h,
        head + "Content-Length: " + std::to_string(kMaxBodyBytes) + "\r\nConnection: close\r\n\r\n",
        Padded(kMaxBodyBytes));
    INFO(r.body);
    CHECK(r.status == 201);
  }
  SECTION("one byte more, with a Content-Length") {
    CheckError(
        SendOnSocket(h, head + "Content-Length: " + std::to_string(kMaxBodyBytes + 1) + "\r\n\r\n",
                     Padded(kMaxBodyBytes + 1)),
        413, "payload_too_large");
  }
  SECTION("two MiB, with a Content-Length") {
    CheckError(
        SendOnSocket(h, head + "Content-Length: " + std::to_string(2 * kMaxBodyBytes) + "\r\n\r\n",
                     Padded(2 * kMaxBodyBytes)),
        413, "payload_too_large");
  }
  SECTION("over 1 MiB chunked, without a Content-Length") {
    CheckError(SendOnSocket(h, head + "Transfer-Encoding: chunked\r\n\r\n",
                            Chunked(Padded(kMaxBodyBytes + 1))),
               413, "payload_too_large");
  }
  SECTION("a small chunked body is read as usual") {
    auto r = SendOnSocket(h, head + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
                          Chunked(OpenBody("ssp-a", "Testbarn Lille", "2012-04-01")));
    INFO(r.body);
    CHECK(r.status == 201);
  }
  SECTION("without credentials, and on login, too") {
    CheckError(SendOnSocket(h,
                            "POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Content-Length: " +
                                std::to_string(kMaxBodyBytes + 1) + "\r\n\r\n",
                            Padded(kMaxBodyBytes + 1)),
               413, "payload_too_large");
    CheckError(SendOnSocket(h,
                            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            "Transfer-Encoding: chunked\r\n\r\n",
                            Chunked(Padded(kMaxBodyBytes + 1))),
               413, "payload_too_large");
  }
  // The server still answers afterwards.
  CHECK(h.Get("/api/v1/me", betjent).status == 200);
}

TEST_CASE("413 payload_too_large reaches an ordinary HTTP client that sends its body first",
          "[http][errors]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  const std::string auth = "Bearer " + betjent.token;
  // Poco's HTTPClientSession writes the whole body, then reads the response, as most
  // clients do; the 413 must not be lost to a connection reset meanwhile.
  auto send = [&](const RawRequest& request) {
    try {
      return SendRaw(h, request);
    } catch (const Poco::Exception& e) {
      FAIL("the client could not read the response: " << e.displayText());
    }
    return HttpResult{};
  };

  SECTION("one byte over, with a Content-Length") {
    CheckError(
        send({"POST", "/api/v1/cases", Padded(kMaxBodyBytes + 1), {{"Authorization", auth}}}), 413,
        "payload_too_large");
  }
  SECTION("two MiB, with a Content-Length") {
    CheckError(
        send({"POST", "/api/v1/cases", Padded(2 * kMaxBodyBytes), {{"Authorization", auth}}}), 413,
        "payload_too_large");
  }
  SECTION("over 1 MiB chunked (HTTPRequest::setChunkedTransferEncoding)") {
    CheckError(send({"POST",
                     "/api/v1/cases",
                     Padded(kMaxBodyBytes + 4096),
                     {{"Authorization", auth}},
                     true}),
               413, "payload_too_large");
  }
  SECTION("exactly 1 MiB, and a small chunked body, are accepted") {
    CHECK(
        send({"POST", "/api/v1/cases", Padded(kMaxBodyBytes), {{"Authorization", auth}}}).status ==
        201);
    CHECK(send({"POST",
                "/api/v1/cases",
                OpenBody("ssp-a", "Testbarn Lille", "2012-04-01"),
                {{"Authorization", auth}},
                true})
              .status == 201);
  }
}

TEST_CASE("422 guard_failed: an SSP opening for an 18-year-old names the guard", "[http][errors]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  // 18 years old on the fixture's date (2026-11-23).
  auto r = h.Post("/api/v1/cases", OpenBody("ssp-a", "Testperson Voksen", "2008-01-15"), betjent);
  CheckError(r, 422, "guard_failed");
  CHECK(Contains(ErrorMessage(r), "age_between"));
  CHECK(Contains(ErrorMessage(r), "18"));
  // Nothing was opened.
  CHECK(ItemIds(h.Get("/api/v1/cases", betjent)).empty());

  // A 17-year-old the day before the 18th birthday passes.
  auto ok = h.Post("/api/v1/cases", OpenBody("ssp-a", "Testperson Ung", "2008-11-24"), betjent);
  INFO(ok.body);
  CHECK(ok.status == 201);
}

TEST_CASE("422 guard_failed on a transition changes nothing", "[http][errors]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  const std::string id = Str(OpenCaseOver(h, betjent), "id");
  // An underretning cannot be recorded as sent in the future.
  auto r =
      h.Post("/api/v1/cases/" + id + "/transitions",
             TransitionBody("registrer_underretning", 1, R"j({"underretning_dato":"2030-01-01"})j"),
             betjent);
  CheckError(r, 422, "guard_failed");
  CHECK(Contains(ErrorMessage(r), "date_not_in_future"));
  auto c = h.Get("/api/v1/cases/" + id, betjent);
  CHECK(c.Json()->getValue<int>("version") == 1);
  CHECK(h.Get("/api/v1/cases/" + id + "/history", betjent).Json()->getArray("items")->size() == 1);
}

TEST_CASE("429 rate_limited after too many failed logins", "[http][errors]") {
  HttpFixture h;
  const std::string wrong = R"j({"username":"social","password":"forkert"})j";
  for (int i = 0; i < 5; ++i) {
    CheckError(h.Send("POST", "/api/v1/auth/login", wrong), 401, "unauthenticated");
  }
  CheckError(h.Send("POST", "/api/v1/auth/login", wrong), 429, "rate_limited");
}

TEST_CASE("a storage failure is a 500 without SQL, values or paths", "[http][errors]") {
  HttpFixture h;  // SQLite: the failure is injected with a trigger
  Login betjent = h.LogIn("betjent");
  h.f.db.Exec(
      "CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log WHEN NEW.action = 'case.open' "
      "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  auto r = h.Post("/api/v1/cases", OpenBody("ssp-a", "Testbarn Hemmelig", "2012-04-01"), betjent);
  CHECK(r.status == 500);
  CheckErrorShape(r);
  CHECK_FALSE(Contains(r.body, "Testbarn Hemmelig"));
  CHECK_FALSE(Contains(r.body, "2012-04-01"));
  CHECK_FALSE(Contains(r.body, "injected"));
}

}  // namespace
}  // namespace samspil::test
