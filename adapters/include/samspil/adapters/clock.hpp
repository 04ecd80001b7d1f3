// The time port. The engine takes "now" as an argument; callers get it from a Clock so
// that tests can control it.
#pragma once

#include <atomic>

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
  Timestamp Now() const override { return now_.load(); }
  // Tests move the time while server threads read it: atomic, so that is no data race.
  void Set(Timestamp now) { now_.store(now); }

 private:
  std::atomic<Timestamp> now_;
};

}  // namespace samspil
