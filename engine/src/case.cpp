#include "samspil/case.hpp"

namespace samspil {

const std::set<std::string>& Actor::RolesIn(const std::string& forum_id) const {
  static const std::set<std::string> kNone;
  auto it = roles_by_forum.find(forum_id);
  return it == roles_by_forum.end() ? kNone : it->second;
}

}  // namespace samspil
