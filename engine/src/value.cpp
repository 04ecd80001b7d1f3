#include "samspil/value.hpp"

#include <type_traits>

namespace samspil {

const char* ValueKindName(const Value& v) {
  return std::visit(
      [](const auto& x) -> const char* {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) return "null";
        if constexpr (std::is_same_v<T, bool>) return "boolean";
        if constexpr (std::is_same_v<T, double>) return "number";
        if constexpr (std::is_same_v<T, std::string>) return "string";
        if constexpr (std::is_same_v<T, std::vector<std::string>>) return "list";
      },
      v);
}

}  // namespace samspil
