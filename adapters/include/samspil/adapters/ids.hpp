// Fresh identifiers and secrets from the operating system's CSPRNG.
#pragma once

#include <string>

namespace samspil {

class IdSource {
 public:
  virtual ~IdSource() = default;
  // A new unique id with the given prefix, e.g. "case_3f9c…" (128 random bits). Thread-safe.
  virtual std::string NewId(const std::string& prefix) = 0;
};

class RandomIdSource final : public IdSource {
 public:
  std::string NewId(const std::string& prefix) override;
};

// `bytes` random bytes from the CSPRNG, hex-encoded.
std::string RandomHex(size_t bytes);

// SHA-256 of `text`, lower-case hex.
std::string Sha256Hex(const std::string& text);

// Compares secrets in time independent of where they differ.
bool ConstantTimeEquals(const std::string& a, const std::string& b);

}  // namespace samspil
