#include "common.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <sys/vfs.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <sstream>
#include <stdexcept>

namespace samspil::bench {

Args::Args(int argc, char** argv, int first) {
  for (int i = first; i < argc; ++i) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0) throw std::invalid_argument("unexpected argument " + key);
    key = key.substr(2);
    if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
      values_[key] = argv[++i];
    } else {
      values_[key] = "1";
    }
  }
}

std::string Args::Get(const std::string& key, const std::string& fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : it->second;
}

long Args::Int(const std::string& key, long fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : std::stol(it->second);
}

double Args::Real(const std::string& key, double fallback) const {
  auto it = values_.find(key);
  return it == values_.end() ? fallback : std::stod(it->second);
}

Client::Client(std::uint16_t port, std::chrono::seconds timeout) : port_(port), timeout_(timeout) {}

void Client::Connect() {
  const Poco::Timespan timeout(timeout_.count(), 0);
  Poco::Net::StreamSocket socket;
  socket.connect(Poco::Net::SocketAddress("127.0.0.1", port_), timeout);
  socket.setNoDelay(true);
  session_ = std::make_unique<Poco::Net::HTTPClientSession>(socket);
  session_->setKeepAlive(true);
  session_->setTimeout(timeout);
  if (connects_++ > 0) ++reconnects_;
}

int Client::Request(const std::string& method, const std::string& path, const std::string& body,
                    const std::string& token, std::string& response_body) {
  response_body.clear();
  try {
    if (!session_) Connect();
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    request.setHost("127.0.0.1", port_);
    if (!token.empty()) request.set("Authorization", "Bearer " + token);
    if (method == "POST") {
      request.setContentType("application/json");
      request.setContentLength(static_cast<std::streamsize>(body.size()));
      session_->sendRequest(request) << body;
    } else {
      session_->sendRequest(request);
    }
    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    Poco::StreamCopier::copyToString(in, response_body);
    return static_cast<int>(response.getStatus());
  } catch (const Poco::Exception& e) {
    if (getenv("BENCH_DEBUG")) std::cerr << "request: " << e.displayText() << std::endl;
    session_.reset();
    return 0;
  } catch (const std::exception&) {
    session_.reset();
    return 0;
  }
}

double Percentile(std::vector<std::int64_t>& values, double p) {
  if (values.empty()) return 0;
  const size_t k = std::min(values.size() - 1, static_cast<size_t>(p / 100.0 * values.size()));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return static_cast<double>(values[k]);
}

Summary Summarize(const std::vector<ConnStats>& conns, double seconds) {
  Summary s;
  std::vector<std::int64_t> all;
  std::map<int, std::int64_t> errors;
  s.min_conn = conns.empty() ? 0 : INT64_MAX;
  for (const auto& c : conns) {
    all.insert(all.end(), c.latencies_us.begin(), c.latencies_us.end());
    s.ok += c.ok;
    s.min_conn = std::min(s.min_conn, c.ok);
    s.max_conn = std::max(s.max_conn, c.ok);
    s.reconnects += c.reconnects;
    for (const auto& [status, n] : c.errors) {
      errors[status] += n;
      s.error_count += n;
    }
  }
  s.ops_per_s = seconds > 0 ? static_cast<double>(s.ok) / seconds : 0;
  s.p50_ms = Percentile(all, 50) / 1000.0;
  s.p99_ms = Percentile(all, 99) / 1000.0;
  s.p999_ms = Percentile(all, 99.9) / 1000.0;
  s.max_ms =
      all.empty() ? 0 : static_cast<double>(*std::max_element(all.begin(), all.end())) / 1000.0;
  std::ostringstream e;
  for (const auto& [status, n] : errors) e << (e.tellp() > 0 ? "," : "") << status << ":" << n;
  s.errors = errors.empty() ? "none" : e.str();
  return s;
}

void PrintResult(const std::string& labels, const Summary& s) {
  char line[512];
  std::snprintf(line, sizeof line,
                "ops_per_s=%.1f p50_ms=%.3f p99_ms=%.3f p999_ms=%.3f max_ms=%.3f ok=%lld "
                "min_conn=%lld max_conn=%lld errors=%s reconnects=%d",
                s.ops_per_s, s.p50_ms, s.p99_ms, s.p999_ms, s.max_ms, static_cast<long long>(s.ok),
                static_cast<long long>(s.min_conn), static_cast<long long>(s.max_conn),
                s.errors.c_str(), s.reconnects);
  std::cout << "RESULT " << labels << " " << line << std::endl;
  std::cerr << labels << ": " << static_cast<long long>(s.ops_per_s) << "/s, p50 " << s.p50_ms
            << " ms, p99 " << s.p99_ms << " ms, max " << s.max_ms << " ms, per connection "
            << s.min_conn << ".." << s.max_conn << ", errors " << s.errors << std::endl;
}

std::filesystem::path MakeTempDir(const std::filesystem::path& base) {
  std::filesystem::create_directories(base);
  std::string pattern = (base / "samspil-bench-XXXXXX").string();
  if (!mkdtemp(pattern.data()))
    throw std::runtime_error("cannot create a directory in " + base.string());
  return pattern;
}

std::string FileSystemType(const std::filesystem::path& dir) {
  struct statfs info {};
  if (statfs(dir.c_str(), &info) != 0) return "unknown";
  switch (static_cast<unsigned long>(info.f_type)) {
    case 0xEF53:
      return "ext4";
    case 0x01021994:
      return "tmpfs";
    case 0x58465342:
      return "xfs";
    case 0x9123683E:
      return "btrfs";
    case 0x794C7630:
      return "overlayfs";
    default: {
      char hex[32];
      std::snprintf(hex, sizeof hex, "0x%lx", static_cast<unsigned long>(info.f_type));
      return hex;
    }
  }
}

}  // namespace samspil::bench
