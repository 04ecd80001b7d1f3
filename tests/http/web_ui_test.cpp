// The web UI as the server delivers it (the pages themselves are tested in a real browser,
// tests/browser/): page addresses answered with index.html, assets with their types and
// validators, the security headers on every response, nothing fetched from elsewhere, and
// the API additions the UI relies on.
#include <tuple>

#include "http/http_helpers.hpp"
#include "samspil/web/web_ui.hpp"

namespace samspil::test {
namespace {

void CheckSecurityHeaders(const HttpResult& r) {
  const std::string csp = r.headers.get("Content-Security-Policy", "");
  CHECK(Contains(csp, "default-src 'self'"));
  CHECK(Contains(csp, "script-src 'self';"));  // no 'unsafe-inline', no other origin
  CHECK_FALSE(Contains(csp, "unsafe-inline"));
  CHECK_FALSE(Contains(csp, "unsafe-eval"));
  CHECK(Contains(csp, "frame-ancestors 'none'"));
  CHECK(r.headers.get("X-Content-Type-Options", "") == "nosniff");
  CHECK(r.headers.get("Referrer-Policy", "") == "no-referrer");
}

TEST_CASE("every page address answers with the UI's index.html and the security headers",
          "[http][ui]") {
  HttpFixture h;
  for (const char* path : {"/", "/login", "/sager", "/sager/case_123", "/opret", "/eskaleringer",
                           "/overblik", "/overblik?forum=ssp-a", "/sager?forum=ssp-a&overdue=1"}) {
    INFO(path);
    auto r = h.Send("GET", path);
    CHECK(r.status == 200);
    CHECK(r.headers.get("Content-Type", "") == "text/html; charset=utf-8");
    CHECK(Contains(r.body, "<script type=\"module\" src=\"/assets/app.js\"></script>"));
    CHECK(Contains(r.body, "<html lang=\"da\">"));
    CHECK(r.headers.get("Cache-Control", "") == "no-cache");
    CheckSecurityHeaders(r);
  }
  // Not pages: deeper paths, and other methods on a page address.
  CHECK(h.Send("GET", "/sager/a/b").status == 404);
  CHECK(h.Send("GET", "/admin").status == 404);
  auto post = h.Send("POST", "/sager", "{}");
  CHECK(post.status == 404);
  CheckErrorShape(post);
}

TEST_CASE("assets carry their content type and an ETag that revalidates to 304", "[http][ui]") {
  HttpFixture h;
  const std::map<std::string, std::string> types = {
      {"/assets/app.js", "text/javascript; charset=utf-8"},
      {"/assets/session.js", "text/javascript; charset=utf-8"},
      {"/assets/router.js", "text/javascript; charset=utf-8"},
      {"/assets/pages/case.js", "text/javascript; charset=utf-8"},
      {"/assets/style.css", "text/css; charset=utf-8"},
      {"/assets/favicon.svg", "image/svg+xml"},
  };
  for (const auto& [path, type] : types) {
    INFO(path);
    auto r = h.Send("GET", path);
    REQUIRE(r.status == 200);
    CHECK(r.headers.get("Content-Type", "") == type);
    CHECK_FALSE(r.body.empty());
    CheckSecurityHeaders(r);
    const std::string etag = r.headers.get("ETag", "");
    REQUIRE(etag.size() > 2);

    Poco::Net::HTTPClientSession session("127.0.0.1", h.server.port());
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("If-None-Match", etag);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    CHECK(response.getStatus() == 304);
    CHECK(body.empty());
  }
  auto missing = h.Send("GET", "/assets/findes-ikke.js");
  CHECK(missing.status == 404);
  CheckErrorShape(missing);
}

TEST_CASE("the UI's files load nothing from another origin and run no inline script",
          "[http][ui]") {
  REQUIRE(EmbeddedAssets().size() >= 10);
  for (const auto& asset : EmbeddedAssets()) {
    const std::string text(asset.bytes);
    INFO(asset.path);
    // The only absolute URL allowed is the SVG namespace, which is a name, not a fetch.
    std::string scrubbed = text;
    for (auto pos = scrubbed.find("http://www.w3.org/2000/svg"); pos != std::string::npos;
         pos = scrubbed.find("http://www.w3.org/2000/svg")) {
      scrubbed.erase(pos, 26);
    }
    CHECK_FALSE(Contains(scrubbed, "http://"));
    CHECK_FALSE(Contains(scrubbed, "https://"));
    CHECK_FALSE(Contains(scrubbed, "//cdn"));
    CHECK_FALSE(Contains(text, "innerHTML"));  // text goes in as text nodes (dom.js)
    CHECK_FALSE(Contains(text, "eval("));
  }
  const auto index = std::find_if(EmbeddedAssets().begin(), EmbeddedAssets().end(),
                                  [](const auto& a) { return a.path == "/index.html"; });
  REQUIRE(index != EmbeddedAssets().end());
  const std::string html(index->bytes);
  // Every <script> has a src; no inline handlers or style attributes (the CSP forbids them).
  for (auto pos = html.find("<script"); pos != std::string::npos; pos = html.find("<script", pos + 1)) {
    CHECK(html.substr(pos, html.find('>', pos) - pos).find(" src=") != std::string::npos);
  }
  CHECK_FALSE(Contains(html, " style="));
  CHECK_FALSE(Contains(html, " onclick="));
  CHECK_FALSE(Contains(html, " onload="));
}

TEST_CASE("a status line carries its standard reason phrase", "[http][ui]") {
  HttpFixture h;
  for (const auto& [path, status, reason] :
       std::vector<std::tuple<std::string, int, std::string>>{
           {"/sager", 200, "OK"}, {"/api/v1/me", 401, "Unauthorized"},
           {"/assets/findes-ikke.js", 404, "Not Found"}}) {
    Poco::Net::HTTPClientSession session("127.0.0.1", h.server.port());
    Poco::Net::HTTPRequest request("GET", path, Poco::Net::HTTPMessage::HTTP_1_1);
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::string body;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
    INFO(path);
    CHECK(static_cast<int>(response.getStatus()) == status);
    CHECK(response.getReason() == reason);
  }
}

TEST_CASE("API answers carry the security headers and are never cached", "[http][ui]") {
  HttpFixture h;
  Login koord = h.LogIn("koord");
  auto r = h.Get("/api/v1/me", koord);
  REQUIRE(r.status == 200);
  CheckSecurityHeaders(r);
  CHECK(r.headers.get("Cache-Control", "") == "no-store");
}

TEST_CASE("after a reload the UI learns its CSRF token from /me with the cookie", "[http][ui]") {
  HttpFixture h;
  Login social = h.LogIn("social");
  auto me = h.Send("GET", "/api/v1/me", "", "", social.cookie);
  REQUIRE(me.status == 200);
  CHECK(Str(me.Json(), "csrf_token") == social.csrf_token);
  // ... and with it the cookie may change things, without it not.
  const std::string body = OpenBody("ssp-a", "Testbarn Cookie", "2012-04-01");
  CHECK(h.Send("POST", "/api/v1/cases", body, "", social.cookie).status == 401);
  CHECK(h.Send("POST", "/api/v1/cases", body, "", social.cookie, Str(me.Json(), "csrf_token"))
            .status == 201);
}

TEST_CASE("the history names each actor's agency, a guard's refusal names its rule",
          "[http][ui]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  const std::string id = Str(OpenCaseOver(h, betjent), "id");
  REQUIRE(h.Post("/api/v1/cases/" + id + "/transitions", TransitionBody("visiter", 1, kVisiterData),
                 koord).status == 200);
  auto history = h.Get("/api/v1/cases/" + id + "/history", koord);
  REQUIRE(history.status == 200);
  auto items = history.Json()->getArray("items");
  REQUIRE(items->size() == 2);
  auto agency_of = [&](size_t i) { return items->getObject(i)->getObject("actor")->getObject("agency"); };
  CHECK(Str(agency_of(0), "id") == "politi");  // betjent opened
  CHECK(Str(agency_of(0), "name") == "Testpoliti");
  CHECK(Str(agency_of(1), "id") == "kommune");  // koord visited
  CHECK(Str(agency_of(1), "kind") == "kommune");

  auto refused = h.Post("/api/v1/cases", OpenBody("ssp-a", "Testvoksen Fiktivsen", "1990-01-01"),
                        betjent);
  REQUIRE(refused.status == 422);
  auto error = refused.Json()->getObject("error");
  CHECK(Str(error, "code") == "guard_failed");
  CHECK(Str(error->getObject("details"), "rule") == "age_between");
}

TEST_CASE("a case read offers the referral targets of its forum fields, a list does not",
          "[http][ui]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  const std::string id = Str(OpenCaseOver(h, betjent), "id");

  auto field_of = [](const JsonObject& c, const std::string& action, const std::string& name) {
    auto actions = c->getArray("available_actions");
    for (size_t i = 0; i < actions->size(); ++i) {
      if (Str(actions->getObject(i), "action") != action) continue;
      auto fields = actions->getObject(i)->getArray("fields");
      for (size_t j = 0; j < fields->size(); ++j) {
        if (Str(fields->getObject(j), "name") == name) return fields->getObject(j);
      }
    }
    FAIL("no field " << name << " in action " << action);
    return JsonObject();
  };
  auto one = h.Get("/api/v1/cases/" + id, betjent);
  REQUIRE(one.status == 200);
  auto field = field_of(one.Json(), "henvis_konfliktraad", "konfliktraad_forum");
  CHECK(Str(field, "type") == "forum");
  auto targets = field->getArray("forums");
  REQUIRE(targets);
  REQUIRE(targets->size() == 1);  // the fixture has one konfliktråd forum
  CHECK(Str(targets->getObject(0), "id") == "kr-a");
  CHECK(Str(targets->getObject(0), "name") == "Forum kr-a");

  // Enum options come with their Danish labels from the definition.
  auto level = field_of(one.Json(), "registrer_underretning", "underretning_dato");
  CHECK_FALSE(level->has("option_labels"));  // a date field has none
  Login koord = h.LogIn("koord");
  auto visit = field_of(h.Get("/api/v1/cases/" + id, koord).Json(), "visiter", "bekymringsniveau");
  CHECK(Str(visit->getObject("option_labels"), "2") == "2 – første kriminalitet");

  auto list = h.Get("/api/v1/cases?forum_id=ssp-a", betjent);
  REQUIRE(list.status == 200);
  auto listed = list.Json()->getArray("items")->getObject(0);
  CHECK_FALSE(field_of(listed, "henvis_konfliktraad", "konfliktraad_forum")->has("forums"));
}

TEST_CASE("a forum's figures: every state of its workflow, counts, overdue and deadlines met",
          "[http][ui]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  const std::string first = Str(OpenCaseOver(h, betjent), "id");
  OpenCaseOver(h, betjent, "ssp-a", "Testbarn Andersen");
  // One step taken a day later, well inside modtaget's 10 working days (a new login: the
  // idle timeout has passed).
  h.f.clock.Set(h.f.clock.Now() + std::chrono::hours{24});
  Login koord = h.LogIn("koord");
  REQUIRE(h.Post("/api/v1/cases/" + first + "/transitions",
                 TransitionBody("visiter", 1, kVisiterData), koord).status == 200);
  // Sixty days on, both deadlines have passed.
  h.f.clock.Set(h.f.clock.Now() + std::chrono::hours{24 * 60});
  koord = h.LogIn("koord");

  auto r = h.Get("/api/v1/fora/ssp-a/stats", koord);
  INFO(r.body);
  REQUIRE(r.status == 200);
  auto stats = r.Json();
  CHECK(Str(stats, "forum_name") == "Forum ssp-a");
  CHECK(Str(stats, "workflow_id") == "ssp");
  CHECK(stats->getValue<int>("total_cases") == 2);
  auto states = stats->getArray("states");
  REQUIRE(states->size() == 6);  // every state of ssp, in definition order
  std::map<std::string, JsonObject> by_state;
  for (size_t i = 0; i < states->size(); ++i) by_state[Str(states->getObject(i), "state")] = states->getObject(i);
  CHECK(Str(states->getObject(0), "state") == "modtaget");
  CHECK(Str(states->getObject(0), "label") == "Modtaget");
  CHECK(by_state.at("modtaget")->getValue<int>("cases") == 1);
  CHECK(by_state.at("modtaget")->getValue<int>("overdue") == 1);
  CHECK(by_state.at("droeftelse")->getValue<int>("cases") == 1);
  CHECK(by_state.at("droeftelse")->getValue<double>("mean_days_in_state") == Approx(60.0));
  CHECK(by_state.at("afsluttet")->getValue<int>("cases") == 0);
  CHECK(by_state.at("afsluttet")->getValue<bool>("terminal"));
  CHECK(stats->getObject("deadlines")->getValue<int>("met") == 1);
  CHECK(stats->getObject("deadlines")->getValue<int>("missed") == 0);
  // Aggregates only: no subject appears in it.
  CHECK_FALSE(Contains(r.body, "Testbarn"));
  CHECK_FALSE(Contains(r.body, "2012-04-01"));
}

}  // namespace
}  // namespace samspil::test
