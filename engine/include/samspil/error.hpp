// The one error vocabulary of Samspil. Expected failures are values (Result<T>), never
// exceptions; adapters catch library exceptions and turn them into an Error.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace samspil {

// Each code maps to exactly one HTTP status (docs/api.md §3) and one CLI exit code.
enum class ErrorCode {
  kInvalidRequest,     // malformed input, unknown action, missing/ill-typed field (400)
  kUnauthenticated,    // no or bad credentials (401)
  kForbidden,          // visible, but the role may not do this (403)
  kNotFound,           // absent or not visible to the actor (404)
  kVersionConflict,    // expected_version is stale (409)
  kPayloadTooLarge,    // request body over the limit (413)
  kGuardFailed,        // a workflow guard refused (422)
  kRateLimited,        // too many failed logins (429)
  kAlreadyExists,      // a unique id or name is taken (409 in admin APIs, exit 1 in the CLI)
  kInvalidDefinition,  // a workflow definition breaks a rule
  kInternal,           // a bug or broken stored data; details stay in the log (500)
  kUnavailable,        // the database cannot be reached or cannot write right now (503)
};

// Stable snake_case name used on the wire ("invalid_request", ...).
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code;
  std::string message;
};

inline bool operator==(const Error& a, const Error& b) {
  return a.code == b.code && a.message == b.message;
}

// A value or an Error, shaped like std::expected (absent from g++ 12 at C++20).
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(implicit)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(implicit)

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok()
  T& value() & {
    assert(ok());
    return std::get<T>(data_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<T>(data_);
  }
  // On a temporary, the value is moved out rather than referenced, so that
  // `for (auto& x : *store.List())` does not iterate a destroyed Result.
  T value() && {
    assert(ok());
    return std::get<T>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T operator*() && { return std::move(*this).value(); }

  // REQUIRES: !ok()
  const Error& error() const {
    assert(!ok());
    return std::get<Error>(data_);
  }

 private:
  std::variant<T, Error> data_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT(implicit)
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    assert(failed_);
    return error_;
  }

 private:
  Error error_{ErrorCode::kInternal, {}};
  bool failed_ = false;
};

using Status = Result<void>;

inline Error MakeError(ErrorCode code, std::string message) {
  return Error{code, std::move(message)};
}

}  // namespace samspil
