// Who the client is when a reverse proxy stands in front: only a peer inside a trusted
// network (--trusted-proxy CIDR) may name the client's address (X-Forwarded-For) and scheme
// (X-Forwarded-Proto). From anybody else those headers are ignored, so a stranger cannot
// pick the address the login limiter and the audit log see.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "samspil/error.hpp"

namespace samspil {

// An IPv4 or IPv6 network. IPv4 addresses are kept as IPv4-mapped IPv6, so that a peer
// that reaches a dual-stack socket as ::ffff:10.0.0.1 matches 10.0.0.0/8.
class Cidr {
 public:
  // "10.0.0.0/8", "::1/128", "192.0.2.7" (a single host). kInvalidRequest names the text.
  static Result<Cidr> Parse(const std::string& text);
  bool Contains(const std::string& address) const;  // false for text that is no address

 private:
  std::array<std::uint8_t, 16> network_{};
  int prefix_bits_ = 128;
};

// The address as the rest of the server writes it: IPv4 plainly ("10.0.0.1", also for an
// IPv4-mapped IPv6 address), IPv6 compressed; nullopt when it is no address.
std::optional<std::string> CanonicalAddress(const std::string& address);

struct ClientOrigin {
  std::string address;
  bool secure = false;  // reached us over HTTPS
};

class TrustedProxies {
 public:
  TrustedProxies() = default;
  explicit TrustedProxies(std::vector<Cidr> networks) : networks_(std::move(networks)) {}
  static Result<TrustedProxies> Parse(const std::vector<std::string>& cidrs);

  bool Trusts(const std::string& address) const;

  // `peer` is the TCP peer; `tls` whether our own TLS carried the request. From a trusted
  // peer, the client is the right-most X-Forwarded-For entry that is not itself a trusted
  // proxy (entries left of it are the client's own claims), and X-Forwarded-Proto "https"
  // marks it secure. Malformed entries stop the walk at the last good address.
  ClientOrigin Resolve(const std::string& peer, bool tls, const std::string& forwarded_for,
                       const std::string& forwarded_proto) const;

 private:
  std::vector<Cidr> networks_;
};

}  // namespace samspil
