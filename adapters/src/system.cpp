// The small OS-facing ports: clock, random ids, password hashing.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <chrono>
#include <stdexcept>
#include <vector>

#include "samspil/adapters/clock.hpp"
#include "samspil/adapters/ids.hpp"
#include "samspil/adapters/password_hasher.hpp"

namespace samspil {
namespace {

std::string ToHex(const unsigned char* data, size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xF];
  }
  return out;
}

bool FromHex(const std::string& hex, std::vector<unsigned char>& out) {
  if (hex.size() % 2) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  out.clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<unsigned char>(hi * 16 + lo));
  }
  return true;
}

constexpr size_t kHashBytes = 32;

std::vector<unsigned char> Derive(const std::string& password,
                                  const std::vector<unsigned char>& salt, int iterations) {
  std::vector<unsigned char> out(kHashBytes);
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), out.data()) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  return out;
}

}  // namespace

Timestamp SystemClock::Now() const {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string RandomHex(size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
    throw std::runtime_error("CSPRNG failed");
  }
  return ToHex(buf.data(), buf.size());
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &length, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  return ToHex(digest, length);
}

bool ConstantTimeEquals(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string RandomIdSource::NewId(const std::string& prefix) { return prefix + RandomHex(16); }

std::string Pbkdf2PasswordHasher::Hash(const std::string& password) const {
  std::vector<unsigned char> salt(16);
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("CSPRNG failed");
  }
  auto hash = Derive(password, salt, iterations_);
  return "pbkdf2-sha256$" + std::to_string(iterations_) + "$" + ToHex(salt.data(), salt.size()) +
         "$" + ToHex(hash.data(), hash.size());
}

bool Pbkdf2PasswordHasher::Verify(const std::string& password, const std::string& stored) const {
  // pbkdf2-sha256$ITER$SALT$HASH
  const std::string prefix = "pbkdf2-sha256$";
  if (stored.rfind(prefix, 0) != 0) return false;
  const size_t a = prefix.size();
  const size_t b = stored.find('$', a);
  const size_t c = b == std::string::npos ? b : stored.find('$', b + 1);
  if (c == std::string::npos) return false;
  int iterations = 0;
  try {
    iterations = std::stoi(stored.substr(a, b - a));
  } catch (...) {
    return false;
  }
  std::vector<unsigned char> salt, expected;
  if (iterations < 1 || !FromHex(stored.substr(b + 1, c - b - 1), salt) ||
      !FromHex(stored.substr(c + 1), expected) || expected.size() != kHashBytes) {
    return false;
  }
  auto actual = Derive(password, salt, iterations);
  return CRYPTO_memcmp(actual.data(), expected.data(), kHashBytes) == 0;
}

}  // namespace samspil
