// The session store port: the REST API's bearer tokens and the web UI's cookie.
//
// Atomicity: CreateSession and RevokeSession are each one transaction together with their
// audit entry (auth.login, auth.logout). TouchSession goes through the writer, batched with
// other changes (never a write lock of its own).
//
// Errors: kUnauthenticated from FindSession for a token hash it does not know (expiry and
// revocation are the caller's to judge from the Session); kUnavailable when the database
// cannot be reached or cannot write right now, kInternal for anything else. A storage
// failure is never kUnauthenticated.
//
// Thread-safety: may be called from many threads at once.
#pragma once

#include <string>

#include "samspil/adapters/audit_log.hpp"
#include "samspil/case.hpp"
#include "samspil/error.hpp"

namespace samspil {

// A login session. Only the SHA-256 of the bearer token is stored, so a copy of the
// database does not let anyone in.
struct Session {
  std::string token_hash;
  std::string user_id;
  std::string csrf_token;
  Timestamp created_at{};
  Timestamp last_seen_at{};
  Timestamp expires_at{};
  bool revoked = false;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  virtual Status CreateSession(const Session& session, const AuditContext& who) = 0;
  virtual Result<Session> FindSession(const std::string& token_hash) = 0;
  // Through the writer, batched with other changes (never a write lock of its own).
  virtual Status TouchSession(const std::string& token_hash, Timestamp now) = 0;
  virtual Status RevokeSession(const std::string& token_hash, const AuditContext& who,
                               Timestamp now) = 0;
};

}  // namespace samspil
