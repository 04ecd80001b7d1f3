// LoginRateLimiter and RefusedLoginAudit (api.hpp): what a failed login costs, kept in
// memory with bounds, so that a flood of them costs the attacker and not the server.
#include <algorithm>
#include <vector>

#include "samspil/web/api.hpp"

namespace samspil {

// ---- LoginRateLimiter ---------------------------------------------------------------------

namespace {

std::string PairKey(const std::string& username, const std::string& address) {
  return username + '\n' + address;
}

}  // namespace

LoginRateLimiter::Counter& LoginRateLimiter::Find(Counters& counters, const std::string& key,
                                                  Timestamp now) {
  Counter& c = counters[key];
  // Forgotten after a quiet window; an attempt in flight keeps it.
  if (c.in_flight == 0 && now - c.last >= policy_.failure_window) c = Counter{};
  return c;
}

// Past the free attempts, an attempt waits for the backoff. For a (username, address) pair
// it also waits for every attempt still in flight: those count as failures until decided,
// so parallel guesses at one account cannot pass the limit. An address's attempts in flight
// do not count: many people behind one address logging in at once are no attack, and a
// spray over many usernames is stopped once its first failures are in (at most the worker
// pool's size more passwords are checked).
bool LoginRateLimiter::Blocked(const Counter& c, int free, bool count_in_flight,
                               Timestamp now) const {
  if (!count_in_flight) return c.failures >= free && now < c.next_allowed;
  return c.failures + c.in_flight >= free && (c.in_flight > 0 || now < c.next_allowed);
}

void LoginRateLimiter::Take(Counter& c, Timestamp now) const {
  ++c.in_flight;
  c.last = now;
}

void LoginRateLimiter::Bound(Counters& counters, Timestamp now) {
  if (counters.size() <= kMaxTracked) return;
  for (auto it = counters.begin(); it != counters.end();) {
    const bool expired =
        it->second.in_flight == 0 && now - it->second.last >= policy_.failure_window;
    it = expired ? counters.erase(it) : std::next(it);
  }
  if (counters.size() <= kMaxTracked) return;
  // Still full within one window (many addresses): drop the longest idle tenth. Their
  // counts start over, which an attacker can only force with this many fresh keys.
  std::vector<std::pair<Timestamp, std::string>> idle;
  for (const auto& [key, c] : counters) {
    if (c.in_flight == 0) idle.emplace_back(c.last, key);
  }
  const size_t drop = std::min(idle.size(), counters.size() - kMaxTracked * 9 / 10);
  std::nth_element(idle.begin(), idle.begin() + static_cast<std::ptrdiff_t>(drop), idle.end());
  for (size_t i = 0; i < drop; ++i) counters.erase(idle[i].second);
}

LoginRateLimiter::Verdict LoginRateLimiter::Reserve(const std::string& username,
                                                    const std::string& address, Timestamp now) {
  std::lock_guard lock(mutex_);
  Bound(pairs_, now);
  Bound(addresses_, now);
  Counter& pair = Find(pairs_, PairKey(username, address), now);
  Counter& addr = Find(addresses_, address, now);
  Verdict verdict;
  if (Blocked(pair, policy_.free_failures_per_pair, /*count_in_flight=*/true, now)) {
    verdict = {false, false, std::max(std::chrono::seconds{1}, pair.next_allowed - now)};
  } else if (Blocked(addr, policy_.free_failures_per_address, /*count_in_flight=*/false, now)) {
    verdict = {false, true, std::max(std::chrono::seconds{1}, addr.next_allowed - now)};
  }
  if (!verdict.allowed) {
    // A refusal does not lengthen the wait, but keeps the count from being forgotten.
    pair.last = now;
    addr.last = now;
    return verdict;
  }
  Take(pair, now);
  Take(addr, now);
  return verdict;
}

void LoginRateLimiter::Release(Counters& counters, const std::string& key, int free,
                               bool failed, bool clear, Timestamp now) {
  auto it = counters.find(key);
  if (it == counters.end()) return;  // dropped by Bound meanwhile
  Counter& c = it->second;
  if (c.in_flight > 0) --c.in_flight;
  if (failed) {
    ++c.failures;
    c.last = std::max(c.last, now);
    if (c.failures >= free) {
      // The free attempts are used up: the next one waits base × 2^(failures - free), capped.
      auto wait = policy_.backoff_base;
      for (int i = free; i < c.failures && wait < policy_.backoff_cap; ++i) wait *= 2;
      c.next_allowed = std::max(c.next_allowed, now + std::min(wait, policy_.backoff_cap));
    }
  }
  if (clear) {
    c.failures = 0;
    c.next_allowed = {};
    if (c.in_flight == 0) counters.erase(it);
  }
}

void LoginRateLimiter::Failed(const std::string& username, const std::string& address,
                              Timestamp now) {
  std::lock_guard lock(mutex_);
  Release(pairs_, PairKey(username, address), policy_.free_failures_per_pair, true, false, now);
  Release(addresses_, address, policy_.free_failures_per_address, true, false, now);
}

void LoginRateLimiter::Succeeded(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  Release(pairs_, PairKey(username, address), 0, false, true, {});
  Release(addresses_, address, 0, false, false, {});
}

void LoginRateLimiter::Released(const std::string& username, const std::string& address) {
  std::lock_guard lock(mutex_);
  Release(pairs_, PairKey(username, address), 0, false, false, {});
  Release(addresses_, address, 0, false, false, {});
}

size_t LoginRateLimiter::TrackedKeys() {
  std::lock_guard lock(mutex_);
  return pairs_.size() + addresses_.size();
}

// ---- RefusedLoginAudit --------------------------------------------------------------------

RefusedLoginAudit::Entry RefusedLoginAudit::Summary(const std::string& action, const Window& w,
                                                    Timestamp now) {
  return {w.who, now, action,
          "count=" + std::to_string(w.count) + " first=" + FormatTimestamp(w.first) +
              " last=" + FormatTimestamp(w.last)};
}

std::vector<RefusedLoginAudit::Entry> RefusedLoginAudit::Refused(const std::string& action,
                                                                 const std::string& username,
                                                                 const AuditContext& who,
                                                                 Timestamp now) {
  std::lock_guard lock(mutex_);
  std::vector<Entry> out;
  // Close the windows that have run out, oldest first; a few summaries per call, so that
  // no single request writes many.
  while (!opened_.empty() && now - opened_.front().first >= window_ &&
         out.size() < kFlushPerCall) {
    const auto [opened_front_first, key] = opened_.front();
    opened_.pop_front();
    auto it = windows_.find(key);
    // A key closed below and opened again has a newer window than this queue entry.
    if (it == windows_.end() || it->second.first != opened_front_first) continue;
    if (it->second.unwritten > 0) out.push_back(Summary(std::get<0>(key), it->second, now));
    windows_.erase(it);
  }

  Key key{action, username, who.client_address};
  AuditContext recorded = who;
  if (!windows_.count(key) && windows_.size() >= kMaxTracked) {
    // Too many keys at once (many addresses): fold the rest into one window per action.
    key = Key{action, "", ""};
    recorded = AuditContext{};
  }
  auto it = windows_.find(key);
  if (it != windows_.end() && now - it->second.first >= window_) {
    // Closed, but not yet reached by the loop above.
    if (it->second.unwritten > 0) out.push_back(Summary(action, it->second, now));
    windows_.erase(it);
    it = windows_.end();
  }
  if (it != windows_.end()) {
    ++it->second.count;
    ++it->second.unwritten;
    it->second.last = now;
    return out;
  }
  windows_.emplace(key, Window{recorded, now, now, 1, 0});
  opened_.emplace_back(now, key);
  out.push_back(Entry{recorded, now, action, ""});
  return out;
}

std::vector<RefusedLoginAudit::Entry> RefusedLoginAudit::TakeAll(Timestamp now) {
  std::lock_guard lock(mutex_);
  std::vector<Entry> out;
  for (const auto& [key, w] : windows_) {
    if (w.unwritten > 0) out.push_back(Summary(std::get<0>(key), w, now));
  }
  windows_.clear();
  opened_.clear();
  return out;
}

size_t RefusedLoginAudit::Tracked() {
  std::lock_guard lock(mutex_);
  return windows_.size();
}

}  // namespace samspil
