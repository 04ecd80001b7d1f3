// Issue 7: connections that cost no thread. Idle, slow and kept-alive connections are held
// by the event loop, so they cannot keep a new client waiting; each has a deadline; the
// connection limit closes the surplus at once; requests with an ambiguous length are
// refused. Real sockets on loopback throughout.
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <thread>

#include "support/http_fixture.hpp"

namespace samspil::test {
namespace {

using namespace std::chrono_literals;

Poco::Net::StreamSocket Connect(HttpFixture& h) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.server.port()));
  socket.setNoDelay(true);
  return socket;
}

void SendAll(Poco::Net::StreamSocket& socket, const std::string& bytes) {
  socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
}

// Reads until `responses` complete responses (headers and Content-Length body) have
// arrived, the server closes, or `timeout` passes between two reads.
std::string ReadResponses(Poco::Net::StreamSocket& socket, int responses,
                          Poco::Timespan timeout = Poco::Timespan(5, 0)) {
  socket.setReceiveTimeout(timeout);
  std::string in;
  auto complete = [&] {
    size_t at = 0;
    for (int i = 0; i < responses; ++i) {
      const auto end = in.find("\r\n\r\n", at);
      if (end == std::string::npos) return false;
      size_t length = 0;
      const auto cl = in.find("Content-Length: ", at);
      if (cl != std::string::npos && cl < end) length = std::stoul(in.substr(cl + 16));
      if (in.size() < end + 4 + length) return false;
      at = end + 4 + length;
    }
    return true;
  };
  char buffer[8192];
  try {
    while (!complete()) {
      const int n = socket.receiveBytes(buffer, sizeof buffer);
      if (n <= 0) break;
      in.append(buffer, static_cast<size_t>(n));
    }
  } catch (const Poco::TimeoutException&) {
    // what arrived is the answer
  }
  return in;
}

// True when the server closes the connection within `within` (reading and discarding
// whatever it sends first).
bool ClosedByServer(Poco::Net::StreamSocket& socket, std::chrono::milliseconds within) {
  socket.setReceiveTimeout(Poco::Timespan(within.count() * 1000));
  char buffer[4096];
  try {
    while (true) {
      if (socket.receiveBytes(buffer, sizeof buffer) <= 0) return true;
    }
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Exception&) {
    return true;  // reset
  }
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";

TEST_CASE("idle connections far beyond the workers do not keep a new client waiting",
          "[http][connections][issue7]") {
  // Regression: one thread per connection for its whole life; as many silent connections
  // as threads made the next client's /healthz wait 60 s.
  HttpFixture h;  // 16 workers
  std::vector<Poco::Net::StreamSocket> idle;
  for (int i = 0; i < 200; ++i) idle.push_back(Connect(h));
  auto client = Connect(h);
  SendAll(client, kHealthz);
  const std::string answer = ReadResponses(client, 1, Poco::Timespan(5, 0));
  CHECK(answer.rfind("HTTP/1.1 200 OK", 0) == 0);
  CHECK(h.server.open_connections() == 201);
}

TEST_CASE("slow and half-sent requests do not keep a new client waiting",
          "[http][connections][issue7]") {
  HttpFixture h;
  std::vector<Poco::Net::StreamSocket> slow;
  for (int i = 0; i < 100; ++i) {
    slow.push_back(Connect(h));
    SendAll(slow.back(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  }
  std::vector<Poco::Net::StreamSocket> sending_bodies;
  for (int i = 0; i < 50; ++i) {
    sending_bodies.push_back(Connect(h));
    SendAll(sending_bodies.back(),
            "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100\r\n\r\n{");
  }
  auto client = Connect(h);
  SendAll(client, kHealthz);
  CHECK(ReadResponses(client, 1).rfind("HTTP/1.1 200 OK", 0) == 0);
}

TEST_CASE("a header trickled byte by byte is cut off at the header deadline",
          "[http][connections][issue7]") {
  // A slowloris restarted Poco's receive timeout with every byte and held its thread for
  // ever; the deadline now counts from the header's first byte.
  ServerConfig config = TestServerConfig();
  config.header_timeout = 1s;
  HttpFixture h("sqlite", {}, config);
  auto slow = Connect(h);
  const std::string header = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: aaaaaaaaaaaaaaaa";
  const auto started = std::chrono::steady_clock::now();
  bool closed = false;
  for (char c : header) {
    try {
      slow.sendBytes(&c, 1);
    } catch (const Poco::Exception&) {
      closed = true;  // the server has already closed it
      break;
    }
    if (ClosedByServer(slow, 100ms)) {
      closed = true;
      break;
    }
  }
  const auto held = std::chrono::steady_clock::now() - started;
  CHECK(closed);
  CHECK(held >= 900ms);  // not before its deadline: a slow but honest client gets its time
}

TEST_CASE("a silent new connection is closed at the header deadline",
          "[http][connections][issue7]") {
  ServerConfig config = TestServerConfig();
  config.header_timeout = 1s;
  HttpFixture h("sqlite", {}, config);
  auto silent = Connect(h);
  auto fresh_one = Connect(h);
  CHECK(ClosedByServer(silent, 4000ms));
  auto fresh_two = Connect(h);
  CHECK_FALSE(ClosedByServer(fresh_two, 300ms));  // the deadline is each connection's own
}

TEST_CASE("a kept-alive connection serves many requests and is closed when idle",
          "[http][connections][issue7]") {
  ServerConfig config = TestServerConfig();
  config.idle_timeout = 1s;
  HttpFixture h("sqlite", {}, config);
  auto socket = Connect(h);
  for (int i = 0; i < 20; ++i) {
    SendAll(socket, kHealthz);
    const std::string answer = ReadResponses(socket, 1);
    REQUIRE(answer.rfind("HTTP/1.1 200 OK", 0) == 0);
    CHECK(answer.find("{\"status\":\"ok\"}") != std::string::npos);
  }
  CHECK_FALSE(ClosedByServer(socket, 300ms));
  CHECK(ClosedByServer(socket, 4000ms));
}

TEST_CASE("pipelined requests are answered in order on one connection",
          "[http][connections][issue7]") {
  HttpFixture h;
  auto socket = Connect(h);
  SendAll(socket, kHealthz + "GET /api/v1/nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" + kHealthz);
  const std::string answers = ReadResponses(socket, 3);
  const auto first = answers.find("HTTP/1.1 200 OK");
  const auto second = answers.find("HTTP/1.1 404 Not Found");
  const auto third = answers.find("HTTP/1.1 200 OK", first + 1);
  CHECK(first == 0);
  CHECK(second != std::string::npos);
  CHECK(third != std::string::npos);
  CHECK(second < third);
}

TEST_CASE("connections beyond the limit are closed at once and the rest keep working",
          "[http][connections][issue7]") {
  ServerConfig config = TestServerConfig();
  config.max_connections = 5;
  HttpFixture h("sqlite", {}, config);
  std::vector<Poco::Net::StreamSocket> held;
  for (int i = 0; i < 5; ++i) held.push_back(Connect(h));
  for (int i = 0; i < 50 && h.server.open_connections() < 5; ++i) std::this_thread::sleep_for(10ms);
  REQUIRE(h.server.open_connections() == 5);
  auto surplus = Connect(h);
  CHECK(ClosedByServer(surplus, 2000ms));
  SendAll(held.front(), kHealthz);
  CHECK(ReadResponses(held.front(), 1).rfind("HTTP/1.1 200 OK", 0) == 0);
  held.pop_back();  // closing one makes room for the next client
  for (int i = 0; i < 100 && h.server.open_connections() >= 5; ++i) {
    std::this_thread::sleep_for(10ms);
  }
  auto next = Connect(h);
  SendAll(next, kHealthz);
  CHECK(ReadResponses(next, 1).rfind("HTTP/1.1 200 OK", 0) == 0);
}

TEST_CASE("a request with both Content-Length and chunked encoding is refused and its connection closed",
          "[http][connections][issue7]") {
  // Request smuggling: a proxy that reads the Content-Length and a server that reads the
  // chunks disagree on where the next request starts. Neither reading is taken.
  HttpFixture h;
  auto socket = Connect(h);
  // A request that would succeed if either length were taken (the old server answered 200).
  SendAll(socket,
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\n"
          "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" +
              kHealthz);
  const std::string answer = ReadResponses(socket, 2);
  CHECK(answer.rfind("HTTP/1.1 400 Bad Request", 0) == 0);
  CHECK(Count(answer, "HTTP/1.1 ") == 1);  // the smuggled /healthz is never answered
  CHECK(ClosedByServer(socket, 2000ms));

  auto reversed = Connect(h);
  SendAll(reversed,
          "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n"
          "Content-Length: 4\r\n\r\n0\r\n\r\n");
  CHECK(ReadResponses(reversed, 1).rfind("HTTP/1.1 400 Bad Request", 0) == 0);
  CHECK(ClosedByServer(reversed, 2000ms));
}

TEST_CASE("two different Content-Lengths or an unknown transfer coding are refused",
          "[http][connections][issue7]") {
  HttpFixture h;
  auto twice = Connect(h);
  SendAll(twice,
          "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n"
          "Content-Length: 3\r\n\r\n{}}");
  CHECK(ReadResponses(twice, 1).rfind("HTTP/1.1 400 Bad Request", 0) == 0);
  auto gzip = Connect(h);
  SendAll(gzip,
          "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: gzip\r\n\r\n");
  CHECK(ReadResponses(gzip, 1).rfind("HTTP/1.1 400 Bad Request", 0) == 0);
}

TEST_CASE("headers over the limit are refused with 431", "[http][connections][issue7]") {
  HttpFixture h;
  auto socket = Connect(h);
  SendAll(socket, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + std::string(40000, 'a') +
                      "\r\n\r\n");
  CHECK(ReadResponses(socket, 1).rfind("HTTP/1.1 431", 0) == 0);
}

TEST_CASE("a client that expects 100-continue is told to send its body",
          "[http][connections][issue7]") {
  HttpFixture h;
  auto socket = Connect(h);
  const std::string body = "{\"username\":\"koord\",\"password\":\"" + std::string(kPassword) + "\"}";
  SendAll(socket, "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\n"
                  "Content-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n");
  socket.setReceiveTimeout(Poco::Timespan(5, 0));
  char buffer[256];
  const int n = socket.receiveBytes(buffer, sizeof buffer);
  CHECK(std::string(buffer, static_cast<size_t>(std::max(n, 0))) == "HTTP/1.1 100 Continue\r\n\r\n");
  SendAll(socket, body);
  CHECK(ReadResponses(socket, 1).rfind("HTTP/1.1 200 OK", 0) == 0);
}

TEST_CASE("an HTTP/1.0 request without keep-alive is answered and closed",
          "[http][connections][issue7]") {
  HttpFixture h;
  auto socket = Connect(h);
  SendAll(socket, "GET /healthz HTTP/1.0\r\n\r\n");
  const std::string answer = ReadResponses(socket, 1);
  CHECK(answer.find(" 200 OK") != std::string::npos);
  CHECK(ClosedByServer(socket, 2000ms));
}

TEST_CASE("a response to a client that does not read does not hold a worker",
          "[http][connections][issue7]") {
  // Many clients ask for the UI's largest file and never read it; the answers wait in the
  // loop, not in the workers, so others are still served.
  ServerConfig config = TestServerConfig();
  config.threads = 2;
  HttpFixture h("sqlite", {}, config);
  std::vector<Poco::Net::StreamSocket> not_reading;
  for (int i = 0; i < 20; ++i) {
    not_reading.push_back(Connect(h));
    not_reading.back().setReceiveBufferSize(4096);
    std::string many;
    for (int j = 0; j < 50; ++j) many += "GET /assets/app.js HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    SendAll(not_reading.back(), many);
  }
  std::this_thread::sleep_for(200ms);
  auto client = Connect(h);
  SendAll(client, kHealthz);
  CHECK(ReadResponses(client, 1).rfind("HTTP/1.1 200 OK", 0) == 0);
}

}  // namespace
}  // namespace samspil::test
