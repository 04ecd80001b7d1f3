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

}  // namespace samspil
