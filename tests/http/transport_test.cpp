// HTTP transport details: bodies without a length, keep-alive, the response's headers.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include "support/http_fixture.hpp"

namespace samspil::test {
namespace {

// Sends raw bytes on a fresh connection and returns what comes back before the server
// closes or `timeout` passes.
std::string Raw(HttpFixture& h, const std::string& request, Poco::Timespan timeout) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.server.port()));
  socket.setReceiveTimeout(timeout);
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string response;
  char buffer[4096];
  try {
    while (response.find("\r\n\r\n") == std::string::npos) {
      int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      response.append(buffer, static_cast<size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
    // what arrived is the answer
  }
  return response;
}

TEST_CASE("a POST without Content-Length has no body and is answered at once",
          "[http][transport]") {
  // Regression: the server read such a body until the client closed the connection, so a
  // `curl -X POST .../auth/logout` waited for the keep-alive timeout (about a minute).
  HttpFixture h;
  Login koord = h.LogIn("koord");
  const auto started = std::chrono::steady_clock::now();
  const std::string response =
      Raw(h,
          "POST /api/v1/auth/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
              koord.token + "\r\n\r\n",
          Poco::Timespan(5, 0));
  CHECK(response.rfind("HTTP/1.1 204", 0) == 0);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds{4});
  CHECK(h.Get("/api/v1/me", koord).status == 401);
}

TEST_CASE("every API response is uncacheable and typed", "[http][transport]") {
  HttpFixture h;
  Login koord = h.LogIn("koord");
  auto me = h.Get("/api/v1/me", koord);
  CHECK(me.status == 200);
  CHECK(me.headers.get("Cache-Control", "") == "no-store");
  CHECK(me.headers.get("Content-Type", "") == "application/json");
  CHECK(me.headers.get("X-Content-Type-Options", "") == "nosniff");
}

TEST_CASE("a 401 names the Bearer scheme", "[http][transport]") {
  HttpFixture h;
  auto anonymous = h.Send("GET", "/api/v1/me");
  CHECK(anonymous.status == 401);
  CHECK(anonymous.headers.get("WWW-Authenticate", "") == "Bearer realm=\"samspil\"");
}

TEST_CASE("a known path with another method is 405, an unknown path 404", "[http][transport]") {
  HttpFixture h;
  Login koord = h.LogIn("koord");
  auto wrong_method = h.Send("DELETE", "/api/v1/me", "", koord.token);
  CHECK(wrong_method.status == 405);
  auto unknown = h.Get("/api/v1/nothing-here", koord);
  CHECK(unknown.status == 404);
  CHECK(unknown.ErrorCode() == "not_found");
}

}  // namespace
}  // namespace samspil::test
