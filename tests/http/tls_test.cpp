// HTTPS built in (issue 7, contract §4 --tls-cert/--tls-key): a certificate generated for
// the test, a real OpenSSL client, TLS 1.2 or newer with forward-secret ciphers only.
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/TemporaryFile.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <vector>

#include "support/http_fixture.hpp"

namespace samspil::test {
namespace {

// A self-signed RSA certificate for 127.0.0.1 in a fresh directory (RSA so that a client
// can offer the static-RSA suites the server must refuse).
struct TestCertificate {
  TestCertificate() {
    std::filesystem::create_directories(dir);
    const std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1"
                                " -addext subjectAltName=IP:127.0.0.1 -keyout " +
                                key + " -out " + cert + " 2>/dev/null";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  ~TestCertificate() { std::filesystem::remove_all(dir); }
  std::string dir = Poco::TemporaryFile::tempName();
  std::string cert = dir + "/cert.pem";
  std::string key = dir + "/key.pem";
};

ServerConfig TlsConfig(const TestCertificate& c) {
  ServerConfig config = TestServerConfig();
  config.tls_cert = c.cert;
  config.tls_key = c.key;
  return config;
}

struct TlsClientOptions {
  int min_version = TLS1_2_VERSION;
  int max_version = 0;  // the newest
  std::string ciphers;  // TLS 1.2 suites offered; empty: OpenSSL's default
};

struct TlsExchange {
  bool handshake = false;
  std::string version;  // "TLSv1.3"
  std::string response;
};

// Connects, verifies the server's certificate against `ca_file`, sends `request` and reads
// the answer until the server closes or a read times out.
TlsExchange Exchange(std::uint16_t port, const std::string& ca_file, const std::string& request,
                     const TlsClientOptions& options = {}) {
  TlsExchange out;
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(3, 0));
  SSL_CTX* ctx = SSL_CTX_new(TLS_client_method());
  // Level 0, so that the client really offers what it is told to: refusing it must be the
  // server's doing, not the client library's defaults.
  SSL_CTX_set_security_level(ctx, 0);
  SSL_CTX_set_min_proto_version(ctx, options.min_version);
  SSL_CTX_set_max_proto_version(ctx, options.max_version);
  if (!options.ciphers.empty()) SSL_CTX_set_cipher_list(ctx, options.ciphers.c_str());
  SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  SSL* ssl = SSL_new(ctx);
  X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
  SSL_set_fd(ssl, socket.impl()->sockfd());
  out.handshake = SSL_connect(ssl) == 1;
  if (out.handshake) {
    out.version = SSL_get_version(ssl);
    SSL_write(ssl, request.data(), static_cast<int>(request.size()));
    char buffer[8192];
    int n = 0;
    while ((n = SSL_read(ssl, buffer, sizeof buffer)) > 0) {
      out.response.append(buffer, static_cast<size_t>(n));
      if (out.response.find("\r\n\r\n") != std::string::npos &&
          out.response.find("Connection: close") != std::string::npos) {
        continue;  // the server closes after it
      }
    }
  }
  SSL_free(ssl);
  SSL_CTX_free(ctx);
  ERR_clear_error();
  return out;
}

std::string Request(const std::string& method, const std::string& path, const std::string& body = "") {
  std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  if (!body.empty()) r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

TEST_CASE("HTTPS serves the API with HSTS and a Secure session cookie", "[http][tls][issue7]") {
  TestCertificate certificate;
  HttpFixture h("sqlite", {}, TlsConfig(certificate));
  auto health = Exchange(h.server.port(), certificate.cert, Request("GET", "/healthz"));
  REQUIRE(health.handshake);
  CHECK((health.version == "TLSv1.3" || health.version == "TLSv1.2"));
  CHECK(health.response.rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(health.response.find("Strict-Transport-Security: max-age=31536000") != std::string::npos);

  auto login = Exchange(h.server.port(), certificate.cert,
                        Request("POST", "/api/v1/auth/login",
                                std::string("{\"username\":\"koord\",\"password\":\"") + kPassword +
                                    "\"}"));
  REQUIRE(login.handshake);
  CHECK(login.response.rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(login.response.find("samspil_session=") != std::string::npos);
  CHECK(login.response.find("; Secure") != std::string::npos);

  // The UI's pages, too.
  auto page = Exchange(h.server.port(), certificate.cert, Request("GET", "/"));
  CHECK(page.response.find("Strict-Transport-Security: max-age=31536000") != std::string::npos);
}

TEST_CASE("plain HTTP keeps cookies without Secure and sends no HSTS", "[http][tls][issue7]") {
  HttpFixture h;
  auto r = h.Send("POST", "/api/v1/auth/login",
                  std::string("{\"username\":\"koord\",\"password\":\"") + kPassword + "\"}");
  REQUIRE(r.status == 200);
  CHECK(r.headers.get("Set-Cookie", "").find("Secure") == std::string::npos);
  CHECK_FALSE(r.headers.has("Strict-Transport-Security"));
}

// A request on its own connection, with optional headers (e.g. Authorization).
std::string RequestWith(const std::string& method, const std::string& path,
                        const std::vector<std::string>& headers, const std::string& body = "") {
  std::string r = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
  for (const auto& h : headers) r += h + "\r\n";
  if (!body.empty() || method == "POST") r += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  return r + "\r\n" + body;
}

// Sends `request` over plain TCP and reads the answer until the server closes.
std::string PlainExchange(std::uint16_t port, const std::string& request) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", port));
  socket.setReceiveTimeout(Poco::Timespan(3, 0));
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  std::string got;
  char buffer[8192];
  try {
    int n = 0;
    while ((n = socket.receiveBytes(buffer, sizeof buffer)) > 0) got.append(buffer, static_cast<size_t>(n));
  } catch (const Poco::Exception&) {
  }
  return got;
}

// How many header fields named `name` (any case) the head of a raw answer holds.
size_t HeaderCount(const std::string& response, const std::string& name) {
  std::string head = response.substr(0, response.find("\r\n\r\n") + 2);
  std::transform(head.begin(), head.end(), head.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string needle = "\r\n" + name + ":";
  std::transform(needle.begin(), needle.end(), needle.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t count = 0;
  for (size_t at = head.find(needle); at != std::string::npos; at = head.find(needle, at + 1)) {
    ++count;
  }
  return count;
}

// The token from a raw login answer.
std::string TokenOf(const std::string& response) {
  Poco::JSON::Parser parser;
  return parser.parse(response.substr(response.find("\r\n\r\n") + 4))
      .extract<Poco::JSON::Object::Ptr>()
      ->getValue<std::string>("token");
}

// One request of every kind the transport answers: the API's successes and refusals, the
// probes, the UI's pages and files.
struct Probe {
  std::string what;
  std::string request;
  std::string status;  // "HTTP/1.1 200"
};
std::vector<Probe> Probes(const std::string& token) {
  const std::string login = std::string("{\"username\":\"koord\",\"password\":\"") + kPassword + "\"}";
  const std::string bearer = "Authorization: Bearer " + token;
  return {
      {"health", RequestWith("GET", "/healthz", {}), "HTTP/1.1 200"},
      {"readiness", RequestWith("GET", "/readyz", {}), "HTTP/1.1 200"},
      {"metrics", RequestWith("GET", "/metrics", {}), "HTTP/1.1 200"},
      {"login", RequestWith("POST", "/api/v1/auth/login", {}, login), "HTTP/1.1 200"},
      {"me", RequestWith("GET", "/api/v1/me", {bearer}), "HTTP/1.1 200"},
      {"me without a login", RequestWith("GET", "/api/v1/me", {}), "HTTP/1.1 401"},
      {"a bad body", RequestWith("POST", "/api/v1/cases", {bearer}, "{"), "HTTP/1.1 400"},
      {"no such route", RequestWith("GET", "/api/v1/findes-ikke", {}), "HTTP/1.1 404"},
      {"a method not allowed", RequestWith("DELETE", "/api/v1/me", {bearer}), "HTTP/1.1 405"},
      {"a page", RequestWith("GET", "/", {}), "HTTP/1.1 200"},
      {"a page by HEAD", RequestWith("HEAD", "/sager", {}), "HTTP/1.1 200"},
      {"an asset", RequestWith("GET", "/assets/app.js", {}), "HTTP/1.1 200"},
  };
}

TEST_CASE("issue 8: an HTTPS answer carries exactly one Strict-Transport-Security header, a plain-HTTP answer none",
          "[http][tls][issue8]") {
  SECTION("our own TLS") {
    TestCertificate certificate;
    HttpFixture h("sqlite", {}, TlsConfig(certificate));
    const auto login = Exchange(h.server.port(), certificate.cert,
                                Probes("").at(3).request);
    REQUIRE(login.response.rfind("HTTP/1.1 200", 0) == 0);
    for (const auto& probe : Probes(TokenOf(login.response))) {
      INFO(probe.what);
      const auto answer = Exchange(h.server.port(), certificate.cert, probe.request);
      REQUIRE(answer.handshake);
      CHECK(answer.response.rfind(probe.status, 0) == 0);
      CHECK(HeaderCount(answer.response, "Strict-Transport-Security") == 1);
      CHECK(answer.response.find("Strict-Transport-Security: max-age=31536000\r\n") !=
            std::string::npos);
    }
  }
  SECTION("plain HTTP") {
    HttpFixture h;
    const std::string token = TokenOf(PlainExchange(h.server.port(), Probes("").at(3).request));
    for (const auto& probe : Probes(token)) {
      INFO(probe.what);
      const auto answer = PlainExchange(h.server.port(), probe.request);
      CHECK(answer.rfind(probe.status, 0) == 0);
      CHECK(HeaderCount(answer, "Strict-Transport-Security") == 0);
    }
  }
  SECTION("HTTPS at a trusted proxy (X-Forwarded-Proto), and a stranger's claim of it") {
    ServerConfig config = TestServerConfig();
    config.trusted_proxies = {"127.0.0.1/32"};
    HttpFixture proxied("sqlite", {}, config);
    HttpFixture direct;
    for (auto* h : {&proxied, &direct}) {
      const std::string token = TokenOf(PlainExchange(h->server.port(), Probes("").at(3).request));
      for (const auto& probe : Probes(token)) {
        INFO(probe.what << (h == &proxied ? " through the trusted proxy" : " from a stranger"));
        // The claim goes in as the request's first header.
        std::string request = probe.request;
        request.insert(request.find("\r\n") + 2, "X-Forwarded-Proto: https\r\n");
        const auto answer = PlainExchange(h->server.port(), request);
        CHECK(answer.rfind(probe.status, 0) == 0);
        CHECK(HeaderCount(answer, "Strict-Transport-Security") == (h == &proxied ? 1u : 0u));
      }
    }
  }
}

TEST_CASE("TLS older than 1.2 and suites without forward secrecy are refused",
          "[http][tls][issue7]") {
  TestCertificate certificate;
  HttpFixture h("sqlite", {}, TlsConfig(certificate));
  const auto port = h.server.port();
  const std::string health = Request("GET", "/healthz");

  TlsClientOptions tls11{TLS1_VERSION, TLS1_1_VERSION, "DEFAULT:@SECLEVEL=0"};
  CHECK_FALSE(Exchange(port, certificate.cert, health, tls11).handshake);

  TlsClientOptions static_rsa{TLS1_2_VERSION, TLS1_2_VERSION, "AES128-GCM-SHA256:AES256-SHA"};
  CHECK_FALSE(Exchange(port, certificate.cert, health, static_rsa).handshake);

  TlsClientOptions cbc{TLS1_2_VERSION, TLS1_2_VERSION, "ECDHE-RSA-AES128-SHA"};
  CHECK_FALSE(Exchange(port, certificate.cert, health, cbc).handshake);

  // The same client with a good suite gets in: the refusals above are about the suites.
  TlsClientOptions good{TLS1_2_VERSION, TLS1_2_VERSION, "ECDHE-RSA-AES128-GCM-SHA256"};
  auto ok = Exchange(port, certificate.cert, health, good);
  CHECK(ok.handshake);
  CHECK(ok.version == "TLSv1.2");
  CHECK(ok.response.rfind("HTTP/1.1 200 OK", 0) == 0);
}

TEST_CASE("plain HTTP sent to the HTTPS port gets no answer", "[http][tls][issue7]") {
  TestCertificate certificate;
  HttpFixture h("sqlite", {}, TlsConfig(certificate));
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.server.port()));
  socket.setReceiveTimeout(Poco::Timespan(3, 0));
  const std::string request = Request("GET", "/healthz");
  socket.sendBytes(request.data(), static_cast<int>(request.size()));
  char buffer[1024];
  std::string got;
  try {
    int n = 0;
    while ((n = socket.receiveBytes(buffer, sizeof buffer)) > 0) got.append(buffer, static_cast<size_t>(n));
  } catch (const Poco::Exception&) {
  }
  CHECK(got.find("HTTP/1.1 200") == std::string::npos);
}

TEST_CASE("a missing certificate or a key that does not match stops the start",
          "[http][tls][issue7]") {
  TestCertificate certificate;
  TestCertificate other;
  StoreFixture f;
  Metrics metrics;
  Api api(*f.store, f.service, TestHasher(), f.clock, metrics);
  SECTION("missing certificate file") {
    ServerConfig config = TlsConfig(certificate);
    config.tls_cert = certificate.dir + "/nowhere.pem";
    HttpServer server(config, api, *f.store, f.clock, metrics);
    auto started = server.Start();
    REQUIRE_FALSE(started.ok());
    CHECK(started.error().message.find("nowhere.pem") != std::string::npos);
  }
  SECTION("another certificate's key") {
    ServerConfig config = TlsConfig(certificate);
    config.tls_key = other.key;
    HttpServer server(config, api, *f.store, f.clock, metrics);
    auto started = server.Start();
    REQUIRE_FALSE(started.ok());
    CHECK(started.error().message.find("--tls-key") != std::string::npos);
  }
  SECTION("a certificate without a key") {
    ServerConfig config = TlsConfig(certificate);
    config.tls_key.clear();
    HttpServer server(config, api, *f.store, f.clock, metrics);
    CHECK_FALSE(server.Start().ok());
  }
}

}  // namespace
}  // namespace samspil::test
