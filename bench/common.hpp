// Shared pieces of samspil_bench: arguments, a keep-alive HTTP client, latency statistics
// and the one-line RESULT format that scripts/bench parses.
#pragma once

#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace samspil::bench {

using Clock = std::chrono::steady_clock;

// --key value pairs after the mode; a bare --flag gets the value "1".
class Args {
 public:
  Args(int argc, char** argv, int first);
  std::string Get(const std::string& key, const std::string& fallback) const;
  long Int(const std::string& key, long fallback) const;
  double Real(const std::string& key, double fallback) const;
  bool Has(const std::string& key) const { return values_.count(key) > 0; }

 private:
  std::map<std::string, std::string> values_;
};

// One keep-alive connection to 127.0.0.1. TCP_NODELAY is set on the client side too: a
// POST is written as header and body in two pieces, and Nagle would hold the body back
// until the server's delayed ACK of the header (about 40 ms).
class Client {
 public:
  Client(std::uint16_t port, std::chrono::seconds timeout);
  // Sends one request and reads the whole response. The status, or 0 on a network error
  // (the connection is then dropped and made anew on the next request).
  int Request(const std::string& method, const std::string& path, const std::string& body,
              const std::string& token, std::string& response_body);
  int reconnects() const { return reconnects_; }

 private:
  void Connect();
  std::uint16_t port_;
  std::chrono::seconds timeout_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  int connects_ = 0;
  int reconnects_ = 0;
};

// What one load-generating connection measured inside the measurement window.
struct ConnStats {
  std::vector<std::int64_t> latencies_us;  // successful requests only
  std::int64_t ok = 0;
  std::map<int, std::int64_t> errors;  // by HTTP status; 0 = network error
  int reconnects = 0;
};

struct Summary {
  double ops_per_s = 0;
  double p50_ms = 0, p99_ms = 0, p999_ms = 0, max_ms = 0;
  std::int64_t ok = 0;
  std::int64_t min_conn = 0, max_conn = 0;  // successful requests per connection
  std::int64_t error_count = 0;
  std::string errors;  // "409:3,0:1" or "none"
  int reconnects = 0;
};

Summary Summarize(const std::vector<ConnStats>& conns, double seconds);

// Prints "RESULT key=value ..." (for scripts/bench) and a readable line to stderr.
void PrintResult(const std::string& labels, const Summary& s);

// The p-th percentile (0..100) of `values`, which it partially sorts. 0 when empty.
double Percentile(std::vector<std::int64_t>& values, double p);

// A fresh directory for a benchmark database under `base`, e.g. /tmp/samspil-bench-ab12cd.
std::filesystem::path MakeTempDir(const std::filesystem::path& base);

// The file system type of `dir` ("ext4", "tmpfs", ...): fsync on tmpfs costs nothing, so a
// durable figure measured there would be meaningless.
std::string FileSystemType(const std::filesystem::path& dir);

inline double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }
inline std::int64_t Micros(Clock::duration d) {
  return std::chrono::duration_cast<std::chrono::microseconds>(d).count();
}

}  // namespace samspil::bench
