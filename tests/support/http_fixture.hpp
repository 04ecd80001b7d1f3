// The server in-process on an ephemeral loopback port, over a StoreFixture's database,
// with a controlled clock, and a small client that speaks to it as a browser or a script
// would. Every user of the StoreFixture has the password kPassword.
#pragma once

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPCookie.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NameValueCollection.h>
#include <Poco/StreamCopier.h>

#include <memory>
#include <string>

#include "samspil/adapters/password_hasher.hpp"
#include "samspil/web/api.hpp"
#include "samspil/web/http_server.hpp"
#include "support/store_fixture.hpp"

namespace samspil::test {

inline constexpr const char* kPassword = "kodeord-til-test";

// A cheap PBKDF2 cost: the format and the verification are the production ones.
inline const Pbkdf2PasswordHasher& TestHasher() {
  static const Pbkdf2PasswordHasher hasher(1000);
  return hasher;
}

struct HttpResult {
  int status = 0;
  std::string body;
  Poco::Net::NameValueCollection headers;

  Poco::JSON::Object::Ptr Json() const {
    Poco::JSON::Parser parser;
    auto value = parser.parse(body);
    REQUIRE(value.type() == typeid(Poco::JSON::Object::Ptr));
    return value.extract<Poco::JSON::Object::Ptr>();
  }
  std::string ErrorCode() const { return Json()->getObject("error")->getValue<std::string>("code"); }
};

// A logged-in user as the client holds it.
struct Login {
  std::string token;
  std::string csrf_token;
  std::string cookie;  // the samspil_session value from Set-Cookie
};

// An ephemeral loopback port, 16 workers, no scan thread: a test that moves the clock runs
// the scan itself, when it wants.
inline ServerConfig TestServerConfig() {
  ServerConfig config;
  config.port = 0;
  config.threads = 16;
  config.escalation_interval = std::chrono::seconds{3600};
  config.scan_deadlines = false;
  return config;
}

struct HttpFixture {
  // `hasher` hashes every user's password and checks logins (a test may count or slow
  // the checks).
  explicit HttpFixture(const std::string& backend = "sqlite", AuthPolicy policy = {},
                       const ServerConfig& config = TestServerConfig(),
                       const PasswordHasher& hasher = TestHasher())
      : f(backend, hasher.Hash(kPassword)),
        api(*f.store, f.service, hasher, f.clock, metrics, policy),
        server(config, api, *f.store, f.clock, metrics) {
    REQUIRE(server.Start().ok());
  }
  HttpFixture(const std::string& backend, AuthPolicy policy, const PasswordHasher& hasher)
      : HttpFixture(backend, policy, TestServerConfig(), hasher) {}

  // Sends one request. `token`: a bearer token; `cookie`/`csrf`: as the web UI sends them.
  HttpResult Send(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& token = "", const std::string& cookie = "",
                  const std::string& csrf = "") {
    Poco::Net::HTTPClientSession session("127.0.0.1", server.port());
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    if (!cookie.empty()) {
      Poco::Net::NameValueCollection cookies;
      cookies.add(kSessionCookie, cookie);
      request.setCookies(cookies);
    }
    if (!csrf.empty()) request.set(kCsrfHeader, csrf);
    if (!body.empty() || method == "POST") {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      session.sendRequest(request) << body;
    } else {
      session.sendRequest(request);
    }
    Poco::Net::HTTPResponse response;
    HttpResult result;
    Poco::StreamCopier::copyToString(session.receiveResponse(response), result.body);
    result.status = static_cast<int>(response.getStatus());
    for (const auto& [name, value] : response) result.headers.add(name, value);
    return result;
  }

  HttpResult Get(const std::string& path, const Login& who) { return Send("GET", path, "", who.token); }
  HttpResult Post(const std::string& path, const std::string& body, const Login& who) {
    return Send("POST", path, body, who.token);
  }

  // Logs `username` in; fails the test unless it succeeds.
  Login LogIn(const std::string& username) {
    auto r = Send("POST", "/api/v1/auth/login",
                  std::string("{\"username\":\"") + username + "\",\"password\":\"" + kPassword +
                      "\"}");
    INFO(r.body);
    REQUIRE(r.status == 200);
    Login login;
    login.token = r.Json()->getValue<std::string>("token");
    login.csrf_token = r.Json()->getValue<std::string>("csrf_token");
    const std::string set_cookie = r.headers.get("Set-Cookie", "");
    const std::string prefix = std::string(kSessionCookie) + "=";
    REQUIRE(set_cookie.rfind(prefix, 0) == 0);
    login.cookie = set_cookie.substr(prefix.size(), set_cookie.find(';') - prefix.size());
    return login;
  }

  // The StoreFixture first: the API and the server use its store, clock and case service.
  StoreFixture f;
  Metrics metrics;
  Api api;
  HttpServer server;
};

}  // namespace samspil::test
