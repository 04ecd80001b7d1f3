// Trusted proxies (issue 7, contract §4 --trusted-proxy): who may name the client.
#include "samspil/web/forwarded.hpp"

#include "support/http_fixture.hpp"

namespace samspil::test {
namespace {

TEST_CASE("a CIDR matches the addresses of its network and no others", "[forwarded]") {
  auto v4 = Cidr::Parse("10.1.0.0/16");
  REQUIRE(v4.ok());
  CHECK(v4->Contains("10.1.200.3"));
  CHECK(v4->Contains("::ffff:10.1.0.1"));  // as a dual-stack socket reports it
  CHECK_FALSE(v4->Contains("10.2.0.1"));
  CHECK_FALSE(v4->Contains("not an address"));
  auto host = Cidr::Parse("192.0.2.7");
  REQUIRE(host.ok());
  CHECK(host->Contains("192.0.2.7"));
  CHECK_FALSE(host->Contains("192.0.2.8"));
  auto v6 = Cidr::Parse("2001:db8::/32");
  REQUIRE(v6.ok());
  CHECK(v6->Contains("2001:db8:1::5"));
  CHECK_FALSE(v6->Contains("2001:db9::5"));
  CHECK_FALSE(v6->Contains("10.0.0.1"));
  auto all = Cidr::Parse("0.0.0.0/0");
  REQUIRE(all.ok());
  CHECK(all->Contains("203.0.113.1"));
  CHECK_FALSE(all->Contains("2001:db8::1"));
}

TEST_CASE("a malformed CIDR is refused with the text named", "[forwarded]") {
  for (const std::string bad : {"10.0.0.0/33", "10.0.0/8", "10.0.0.0/", "10.0.0.0/x", "::1/129",
                                "", "example.org/8", "10.0.0.0/8/8"}) {
    auto parsed = Cidr::Parse(bad);
    INFO(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.error().message.find("\"" + bad + "\"") != std::string::npos);
  }
}

TEST_CASE("only a trusted peer may name the client address and scheme", "[forwarded]") {
  auto proxies = TrustedProxies::Parse({"127.0.0.1/32", "10.0.0.0/8"});
  REQUIRE(proxies.ok());
  SECTION("an untrusted peer's headers are ignored") {
    auto origin = proxies->Resolve("192.0.2.10", false, "203.0.113.5", "https");
    CHECK(origin.address == "192.0.2.10");
    CHECK_FALSE(origin.secure);
  }
  SECTION("a trusted proxy names the client") {
    auto origin = proxies->Resolve("127.0.0.1", false, "203.0.113.5", "https");
    CHECK(origin.address == "203.0.113.5");
    CHECK(origin.secure);
  }
  SECTION("what the client wrote itself, left of the last untrusted hop, is not believed") {
    auto origin = proxies->Resolve("127.0.0.1", false, "1.2.3.4, 203.0.113.5, 10.0.0.7", "http");
    CHECK(origin.address == "203.0.113.5");
    CHECK_FALSE(origin.secure);
  }
  SECTION("garbage stops the walk at the last good hop") {
    auto origin = proxies->Resolve("127.0.0.1", false, "evil, 10.0.0.7", "");
    CHECK(origin.address == "10.0.0.7");
    auto none = proxies->Resolve("127.0.0.1", true, "", "");
    CHECK(none.address == "127.0.0.1");
    CHECK(none.secure);  // our own TLS
  }
  SECTION("an IPv4-mapped peer is written as IPv4") {
    auto origin = proxies->Resolve("::ffff:192.0.2.10", false, "", "");
    CHECK(origin.address == "192.0.2.10");
  }
}

// The audit entry of a login records the client address the server believed.
std::string LoginAddress(HttpFixture& h, const std::string& forwarded_for) {
  const std::string body =
      std::string("{\"username\":\"koord\",\"password\":\"") + kPassword + "\"}";
  Poco::Net::HTTPClientSession session("127.0.0.1", h.server.port());
  Poco::Net::HTTPRequest request("POST", "/api/v1/auth/login", Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("X-Forwarded-For", forwarded_for);
  request.set("X-Forwarded-Proto", "https");
  request.setContentLength(static_cast<std::streamsize>(body.size()));
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::string ignored;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), ignored);
  REQUIRE(response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK);
  auto entries = h.f.store->AuditEntries(0, 100000);
  REQUIRE(entries.ok());
  REQUIRE_FALSE(entries->empty());
  return entries->back().client_address;
}

TEST_CASE("X-Forwarded-For counts only from a trusted proxy", "[http][forwarded][issue7]") {
  SECTION("untrusted: the peer address is recorded, the header ignored") {
    HttpFixture h;
    CHECK(LoginAddress(h, "203.0.113.9") == "127.0.0.1");
  }
  SECTION("trusted: the forwarded client address is recorded") {
    ServerConfig config = TestServerConfig();
    config.trusted_proxies = {"127.0.0.1/32"};
    HttpFixture h("sqlite", {}, config);
    CHECK(LoginAddress(h, "203.0.113.9") == "203.0.113.9");
  }
}

TEST_CASE("a bad trusted proxy network stops the start with the value named",
          "[http][forwarded][issue7]") {
  StoreFixture f;
  Metrics metrics;
  Api api(*f.store, f.service, TestHasher(), f.clock, metrics);
  ServerConfig config = TestServerConfig();
  config.trusted_proxies = {"10.0.0.0/40"};
  HttpServer server(config, api, *f.store, f.clock, metrics);
  auto started = server.Start();
  REQUIRE_FALSE(started.ok());
  CHECK(started.error().message.find("10.0.0.0/40") != std::string::npos);
}

}  // namespace
}  // namespace samspil::test
