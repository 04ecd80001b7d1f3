// A first walk through the API: log in, open a referral, take an action, read the history.
#include "support/http_fixture.hpp"

namespace samspil::test {
namespace {

TEST_CASE("a betjent opens an SSP referral and a coordinator moves it on", "[http]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  auto opened = h.Post("/api/v1/cases",
                       R"j({"forum_id":"ssp-a","subject":{"name":"Testbarn Fiktivsen",)j"
                       R"j("birth_date":"2012-04-01"},"summary":"Bekymring (fiktiv)"})j",
                       betjent);
  INFO(opened.body);
  REQUIRE(opened.status == 201);
  const std::string id = opened.Json()->getValue<std::string>("id");
  CHECK(opened.Json()->getValue<std::string>("state") == "modtaget");
  CHECK(opened.Json()->getValue<int>("version") == 1);

  Login koord = h.LogIn("koord");
  auto moved = h.Post("/api/v1/cases/" + id + "/transitions",
                      R"j({"action":"visiter","expected_version":1,"comment":"ok",)j"
                      R"j("data":{"bekymringsniveau":"2"}})j",
                      koord);
  INFO(moved.body);
  REQUIRE(moved.status == 200);
  CHECK(moved.Json()->getValue<std::string>("state") == "droeftelse");
  CHECK(moved.Json()->getValue<int>("version") == 2);

  auto history = h.Get("/api/v1/cases/" + id + "/history", koord);
  REQUIRE(history.status == 200);
  auto items = history.Json()->getArray("items");
  REQUIRE(items->size() == 2);
  CHECK(items->getObject(0)->getValue<std::string>("action") == "open");
  CHECK(items->getObject(1)->getValue<std::string>("role") == "koordinator");

  Login other = h.LogIn("other");
  CHECK(h.Get("/api/v1/cases/" + id, other).status == 404);
}

}  // namespace
}  // namespace samspil::test
