// Small helpers shared by the HTTP tests: JSON access, request bodies, raw requests (custom
// headers, chunked bodies) and the one check of docs/api.md §3's error shape.
#pragma once

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/http_fixture.hpp"

namespace samspil::test {

using JsonObject = Poco::JSON::Object::Ptr;
using JsonArray = Poco::JSON::Array::Ptr;

inline std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

inline bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// A JSON string literal for `s` (quotes, backslashes and control characters escaped).
inline std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static const char* kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[(c >> 4) & 0xf];
      out += kHex[c & 0xf];
    } else {
      out += c;
    }
  }
  return out + "\"";
}

inline std::string Str(const JsonObject& o, const std::string& key) {
  INFO("key " << key);
  REQUIRE(o->has(key));
  REQUIRE(o->get(key).isString());
  return o->getValue<std::string>(key);
}

inline std::set<std::string> Keys(const JsonObject& o) {
  std::set<std::string> keys;
  for (const auto& [k, v] : *o) keys.insert(k);
  return keys;
}

// Whether `have` holds every element of `want`.
inline bool Superset(const std::set<std::string>& have, const std::set<std::string>& want) {
  return std::includes(have.begin(), have.end(), want.begin(), want.end());
}

// The ids of the "items" of a list response, in order.
inline std::vector<std::string> ItemIds(const HttpResult& r) {
  std::vector<std::string> ids;
  JsonArray items = r.Json()->getArray("items");
  REQUIRE(items);
  for (size_t i = 0; i < items->size(); ++i) ids.push_back(Str(items->getObject(i), "id"));
  return ids;
}

inline bool Has(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The body of POST /api/v1/cases.
inline std::string OpenBody(const std::string& forum, const std::string& name,
                            const std::string& birth_date,
                            const std::string& summary = "Bekymring for skolefravær (fiktiv)",
                            const std::string& data_json = "{}") {
  return "{\"forum_id\":" + Quote(forum) + ",\"subject\":{\"name\":" + Quote(name) +
         ",\"birth_date\":" + Quote(birth_date) + "},\"summary\":" + Quote(summary) +
         ",\"data\":" + data_json + "}";
}

// The body of POST /api/v1/cases/{id}/transitions.
inline std::string TransitionBody(const std::string& action, long long expected_version,
                                  const std::string& data_json = "{}",
                                  const std::string& comment = "") {
  return "{\"action\":" + Quote(action) +
         ",\"expected_version\":" + std::to_string(expected_version) +
         ",\"comment\":" + Quote(comment) + ",\"data\":" + data_json + "}";
}

inline const std::string kVisiterData = R"j({"bekymringsniveau":"2"})j";

// Opens an SSP case in `forum` as `who`; fails the test unless it is 201. Returns the case.
inline JsonObject OpenCaseOver(HttpFixture& h, const Login& who, const std::string& forum = "ssp-a",
                               const std::string& name = "Testbarn Fiktivsen",
                               const std::string& birth_date = "2012-04-01") {
  auto r = h.Post("/api/v1/cases", OpenBody(forum, name, birth_date), who);
  INFO(r.body);
  REQUIRE(r.status == 201);
  return r.Json();
}

// A request with full control over its headers and its framing.
struct RawRequest {
  std::string method = "GET";
  std::string path;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  bool chunked = false;  // Transfer-Encoding: chunked instead of a Content-Length
};

inline HttpResult SendRaw(HttpFixture& h, const RawRequest& raw) {
  Poco::Net::HTTPClientSession session("127.0.0.1", h.server.port());
  Poco::Net::HTTPRequest request(raw.method, raw.path, Poco::Net::HTTPMessage::HTTP_1_1);
  for (const auto& [name, value] : raw.headers) request.set(name, value);
  if (raw.chunked) {
    request.setChunkedTransferEncoding(true);
  } else if (!raw.body.empty() || raw.method == "POST") {
    request.setContentLength(static_cast<std::streamsize>(raw.body.size()));
  }
  if (!raw.body.empty() || raw.chunked) request.setContentType("application/json");
  std::ostream& out = session.sendRequest(request);
  out << raw.body;
  Poco::Net::HTTPResponse response;
  HttpResult result;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), result.body);
  result.status = static_cast<int>(response.getStatus());
  for (const auto& [name, value] : response) result.headers.add(name, value);
  return result;
}

// Writes `head` and `body` on a plain socket, ignoring a failed write (the server may answer
// and close before it has read everything), then parses whatever response arrived. Shows
// what the server sent even when an ordinary client cannot read it.
inline HttpResult SendOnSocket(HttpFixture& h, const std::string& head, const std::string& body) {
  Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", h.server.port()));
  socket.setReceiveTimeout(Poco::Timespan(10, 0));
  const std::string request = head + body;
  try {
    size_t sent = 0;
    while (sent < request.size()) {
      const int n = socket.sendBytes(
          request.data() + sent, static_cast<int>(std::min<size_t>(request.size() - sent, 65536)));
      if (n <= 0) break;
      sent += static_cast<size_t>(n);
    }
  } catch (const Poco::Exception&) {
    // The server closed the connection: read what it said before.
  }
  std::string received;
  try {
    char buffer[8192];
    for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) received.append(buffer, n);
  } catch (const Poco::Exception&) {
    // A reset after the response.
  }
  HttpResult result;
  const auto end_of_head = received.find("\r\n\r\n");
  INFO("received: " << received.substr(0, 500));
  REQUIRE(end_of_head != std::string::npos);
  REQUIRE(received.rfind("HTTP/1.1 ", 0) == 0);
  result.status = std::stoi(received.substr(9, 3));
  std::istringstream lines(received.substr(0, end_of_head));
  std::string line;
  std::getline(lines, line);  // the status line
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    result.headers.add(line.substr(0, colon), value);
  }
  result.body = received.substr(end_of_head + 4);
  if (result.headers.has("Content-Length")) {
    result.body = result.body.substr(0, std::stoul(result.headers.get("Content-Length")));
  }
  return result;
}

// Asserts that `r` has exactly docs/api.md §3's error shape ({"error": {"code", "message"}},
// optionally "details") and nothing a client must never see: SQL, the database library,
// a source or file path, a stack trace.
inline void CheckErrorShape(const HttpResult& r) {
  INFO("status " << r.status << " body " << r.body);
  CHECK(r.status >= 400);
  CHECK(Contains(r.headers.get("Content-Type", ""), "application/json"));
  Poco::JSON::Parser parser;
  Poco::Dynamic::Var parsed;
  REQUIRE_NOTHROW(parsed = parser.parse(r.body));
  REQUIRE(parsed.type() == typeid(Poco::JSON::Object::Ptr));
  JsonObject outer = parsed.extract<Poco::JSON::Object::Ptr>();
  CHECK(Keys(outer) == std::set<std::string>{"error"});
  REQUIRE(outer->isObject("error"));
  JsonObject error = outer->getObject("error");
  std::set<std::string> keys = Keys(error);
  if (keys.count("details")) {
    CHECK(error->isObject("details"));
    keys.erase("details");
  }
  CHECK(keys == std::set<std::string>{"code", "message"});
  REQUIRE(error->has("code"));
  REQUIRE(error->get("code").isString());
  const std::string code = error->getValue<std::string>("code");
  CHECK(!code.empty());
  CHECK(std::all_of(code.begin(), code.end(),
                    [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; }));
  REQUIRE(error->has("message"));
  REQUIRE(error->get("message").isString());
  CHECK(!error->getValue<std::string>("message").empty());
  const std::string body = Lower(r.body);
  for (const char* leak : {"select ", "insert into", "update cases", "from cases", "sqlite",
                           "soci::",  "soci_",       "soci error",   "postgres",   "libpq",
                           "loadone", ".cpp",        ".hpp",         ".db",        "/tmp/",
                           "/work/",  "/home/",      "/usr/",        "std::",      "exception",
                           "#0 ",     "stack",       "backtrace",    "samspil::"}) {
    INFO("must not contain " << leak);
    CHECK_FALSE(Contains(body, leak));
  }
}

// Asserts the status, the error code and the error shape.
inline void CheckError(const HttpResult& r, int status, const std::string& code) {
  INFO("status " << r.status << " body " << r.body);
  CHECK(r.status == status);
  CheckErrorShape(r);
  if (r.status >= 400) CHECK(r.ErrorCode() == code);
}

inline std::string ErrorMessage(const HttpResult& r) {
  return r.Json()->getObject("error")->getValue<std::string>("message");
}

inline std::string Encode(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "&=+?#/", out);
  return out;
}

}  // namespace samspil::test
