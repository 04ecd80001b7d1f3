// The time port. The engine takes "now" as an argument; callers get it from a Clock so
// that tests can control it.
#pragma once

#include "samspil/time.hpp"

namespace samspil {

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual Timestamp Now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// For tests: a clock that says what it is told.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }
  void Set(Timestamp now) { now_ = now; }

 private:
  Timestamp now_;
};

}  // namespace samspil
