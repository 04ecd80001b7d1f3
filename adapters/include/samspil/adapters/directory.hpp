// The directory port: who and where — agencies, fora, users, their memberships (the role
// each holds in each forum), and what a login or a page needs to know about a user.
//
// Atomicity: each Add* is one transaction together with its audit entry; reads see
// committed data only.
//
// Errors: kInvalidRequest for an Add* with an empty id or name, an unknown agency kind or
// role, or a reference to a forum, user, agency or workflow that does not exist;
// kAlreadyExists for an id, username or membership already there; kNotFound from the
// lookups for a forum or user that does not exist; kUnavailable when the database cannot
// be reached or cannot write right now, kInternal for anything else.
//
// Thread-safety: may be called from many threads at once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "samspil/adapters/audit_log.hpp"
#include "samspil/case.hpp"
#include "samspil/error.hpp"

namespace samspil {

inline const std::vector<std::string>& AgencyKinds() {
  static const std::vector<std::string> kKinds = {
      "politi", "kommune", "region", "kriminalforsorg", "anklagemyndighed", "domstol", "andet"};
  return kKinds;
}

struct Agency {
  std::string id;
  std::string name;
  std::string kind;  // one of AgencyKinds()
};

struct Forum {
  std::string id;
  std::string name;
  std::string workflow_id;
  std::string municipality;  // may be empty
};

struct User {
  std::string id;
  std::string username;
  std::string display_name;
  std::string agency_id;
  bool is_admin = false;
};

struct Membership {
  std::string forum_id;
  std::string user_id;
  std::string role;
};

// A user as /me shows them: their agency and their memberships with the fora's names.
struct UserProfile {
  User user;
  Agency agency;
  struct Seat {
    Forum forum;
    std::string role;
  };
  std::vector<Seat> memberships;  // ordered by forum id, then role
};

class Directory {
 public:
  virtual ~Directory() = default;

  // Administration (CLI; later the admin API). Each writes an audit entry.
  virtual Status AddAgency(const Agency& agency, const AuditContext& who, Timestamp now) = 0;
  virtual Status AddForum(const Forum& forum, const AuditContext& who, Timestamp now) = 0;
  virtual Status AddUser(const User& user, const std::string& password_hash,
                         const AuditContext& who, Timestamp now) = 0;
  virtual Status AddMembership(const std::string& forum_id, const std::string& username,
                               const std::string& role, const AuditContext& who, Timestamp now) = 0;
  virtual Result<Forum> GetForum(const std::string& forum_id) = 0;
  virtual Result<std::vector<Forum>> ListFora() = 0;
  virtual Result<User> GetUserByUsername(const std::string& username) = 0;
  virtual Result<std::string> PasswordHashOf(const std::string& user_id) = 0;
  virtual Result<UserProfile> Profile(const std::string& user_id) = 0;
  // The user with their memberships, as the engine sees them.
  virtual Result<Actor> LoadActor(const std::string& user_id) = 0;
  // Display names of users, by id (for history and case JSON); unknown ids are left out.
  virtual Result<std::map<std::string, std::string>> DisplayNames(
      const std::vector<std::string>& user_ids) = 0;
};

}  // namespace samspil
