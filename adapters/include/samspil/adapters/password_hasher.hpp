// Slow salted password hashes: PBKDF2-HMAC-SHA256 (OpenSSL), stored as
// "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX" so the cost can rise without a migration.
#pragma once

#include <string>

namespace samspil {

class PasswordHasher {
 public:
  virtual ~PasswordHasher() = default;
  virtual std::string Hash(const std::string& password) const = 0;
  // Constant-time comparison; false for a malformed stored hash. Thread-safe.
  virtual bool Verify(const std::string& password, const std::string& stored) const = 0;
};

class Pbkdf2PasswordHasher final : public PasswordHasher {
 public:
  static constexpr int kDefaultIterations = 600000;  // OWASP 2023 for PBKDF2-HMAC-SHA256
  explicit Pbkdf2PasswordHasher(int iterations = kDefaultIterations) : iterations_(iterations) {}
  std::string Hash(const std::string& password) const override;
  bool Verify(const std::string& password, const std::string& stored) const override;

 private:
  int iterations_;
};

}  // namespace samspil
