// Found by fuzzing (tests/fuzz/fuzz_api): an error message echoed request bytes that are
// not UTF-8, so the answer was not valid JSON text for a strict client. A body must be
// UTF-8; a message quoting the request carries U+FFFD for what is not.
#include "http_helpers.hpp"
#include "samspil/text.hpp"

namespace samspil::test {
namespace {

TEST_CASE("fuzz finding: a body that is not UTF-8 is refused and nothing is stored",
          "[http][errors][fuzz]") {
  HttpFixture h;
  Login betjent = h.LogIn("betjent");
  const auto before = h.f.store->CountCases();
  REQUIRE(before.ok());
  // "Testbarn" with a lone continuation byte and a truncated sequence in the name.
  const std::string body =
      OpenBody("ssp-a", "Testbarn Fiktivsen", "2012-04-01").replace(
          std::string(R"({"forum_id":"ssp-a","subject":{"name":"Testbarn)").size(), 0,
          "\x80\xE6");
  REQUIRE_FALSE(IsValidUtf8(body));
  auto r = h.Post("/api/v1/cases", body, betjent);
  CheckError(r, 400, "invalid_request");
  CHECK(r.body.find("UTF-8") != std::string::npos);
  CHECK(*h.f.store->CountCases() == *before);
  // The same body made valid is taken: it was only the bytes.
  CHECK(h.Post("/api/v1/cases", OpenBody("ssp-a", "Testbarn Fiktivsen", "2012-04-01"), betjent)
            .status == 201);
}

TEST_CASE("fuzz finding: an error that quotes the request is valid UTF-8 whatever it quotes",
          "[http][errors][fuzz]") {
  HttpFixture h;
  ApiRequest request;
  request.method = "GET\xDE\xDE";  // what fuzz_api sent (the transport refuses such a method)
  request.path = "/api/v1/cases";
  request.client_address = "127.0.0.1";
  std::string route;
  const ApiResponse answer = h.api.Handle(request, route);
  CHECK(answer.status == 405);
  INFO(answer.body);
  CHECK(IsValidUtf8(answer.body));
  CHECK(answer.body.find("\xEF\xBF\xBD") != std::string::npos);  // U+FFFD where the bytes were
}

}  // namespace
}  // namespace samspil::test
