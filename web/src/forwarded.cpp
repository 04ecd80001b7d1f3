#include "samspil/web/forwarded.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace samspil {
namespace {

// inet_pton rather than a hand-written parser: it is the definition of the text forms.
std::optional<std::array<std::uint8_t, 16>> ParseAddress(const std::string& text) {
  std::array<std::uint8_t, 16> bytes{};
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, &v4, 4);
    return bytes;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::memcpy(bytes.data(), &v6, 16);
    return bytes;
  }
  return std::nullopt;
}

bool IsMappedV4(const std::array<std::uint8_t, 16>& b) {
  static const std::uint8_t kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(b.data(), kPrefix, 12) == 0;
}

std::string Trim(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) return "";
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

Result<Cidr> Cidr::Parse(const std::string& text) {
  const Error invalid = MakeError(ErrorCode::kInvalidRequest,
                                  "\"" + text + "\" is not a network such as 10.0.0.0/8 or ::1/128");
  const auto slash = text.find('/');
  auto address = ParseAddress(text.substr(0, slash));
  if (!address) return invalid;
  const bool v4 = IsMappedV4(*address) && text.find(':') == std::string::npos;
  int bits = v4 ? 32 : 128;
  if (slash != std::string::npos) {
    const std::string digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return invalid;
    }
    bits = std::stoi(digits);
    if (bits > (v4 ? 32 : 128)) return invalid;
  }
  Cidr cidr;
  cidr.prefix_bits_ = v4 ? bits + 96 : bits;
  cidr.network_ = *address;
  return cidr;
}

bool Cidr::Contains(const std::string& address) const {
  auto bytes = ParseAddress(address);
  if (!bytes) return false;
  for (int bit = 0; bit < prefix_bits_; ++bit) {
    const int byte = bit / 8;
    const std::uint8_t mask = static_cast<std::uint8_t>(0x80 >> (bit % 8));
    if ((network_[byte] & mask) != ((*bytes)[byte] & mask)) return false;
  }
  return true;
}

std::optional<std::string> CanonicalAddress(const std::string& address) {
  auto bytes = ParseAddress(address);
  if (!bytes) return std::nullopt;
  char text[INET6_ADDRSTRLEN];
  if (IsMappedV4(*bytes)) {
    inet_ntop(AF_INET, bytes->data() + 12, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, bytes->data(), text, sizeof text);
  }
  return std::string(text);
}

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& cidrs) {
  std::vector<Cidr> networks;
  for (const auto& text : cidrs) {
    auto cidr = Cidr::Parse(text);
    if (!cidr) return cidr.error();
    networks.push_back(*cidr);
  }
  return TrustedProxies(std::move(networks));
}

bool TrustedProxies::Trusts(const std::string& address) const {
  return std::any_of(networks_.begin(), networks_.end(),
                     [&](const Cidr& c) { return c.Contains(address); });
}

ClientOrigin TrustedProxies::Resolve(const std::string& peer, bool tls,
                                     const std::string& forwarded_for,
                                     const std::string& forwarded_proto) const {
  ClientOrigin origin{CanonicalAddress(peer).value_or(peer), tls};
  if (!Trusts(peer)) return origin;
  // Walk from the right: each hop appended the address it saw. Stop at the first hop that
  // no trusted proxy vouches for; that is the client.
  std::vector<std::string> hops;
  size_t start = 0;
  while (start <= forwarded_for.size()) {
    const auto comma = forwarded_for.find(',', start);
    hops.push_back(Trim(forwarded_for.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto canonical = CanonicalAddress(*it);
    if (!canonical) break;
    origin.address = *canonical;
    if (!Trusts(*canonical)) break;
  }
  // The scheme the proxy's client used; several proxies: the first (left-most) hop's.
  std::string proto = Trim(forwarded_proto.substr(0, forwarded_proto.find(',')));
  std::transform(proto.begin(), proto.end(), proto.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (proto == "https") origin.secure = true;
  if (proto == "http") origin.secure = false;
  return origin;
}

}  // namespace samspil
