// docs/openapi.yaml describes exactly the routes the server answers.
#include <fstream>
#include <set>

#include "samspil/web/api.hpp"
#include "support/test_database.hpp"

namespace samspil::test {
namespace {

// (METHOD, path) pairs under the top-level `paths:` key. Our own file is written with
// two-space indentation: paths at 2 spaces, operations at 4.
std::set<std::pair<std::string, std::string>> OpenApiOperations(const std::string& file) {
  std::ifstream in(file);
  REQUIRE(in.good());
  std::set<std::pair<std::string, std::string>> out;
  std::string line, path;
  bool in_paths = false;
  const std::set<std::string> methods = {"get", "post", "put", "patch", "delete", "head"};
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = line.rfind("paths:", 0) == 0;
    if (!in_paths) continue;
    if (line.rfind("  /", 0) == 0) {
      path = line.substr(2, line.find(':') - 2);
    } else if (line.rfind("    ", 0) == 0 && line[4] != ' ') {
      std::string key = line.substr(4, line.find(':') - 4);
      if (methods.count(key)) {
        for (auto& c : key) c = static_cast<char>(std::toupper(c));
        out.emplace(key, path);
      }
    }
  }
  return out;
}

TEST_CASE("the OpenAPI description lists exactly the router's routes", "[http][openapi]") {
  auto documented = OpenApiOperations(std::string(SAMSPIL_SOURCE_DIR) + "/docs/openapi.yaml");
  std::set<std::pair<std::string, std::string>> routed;
  for (const auto& r : Api::Routes()) routed.emplace(r.method, r.pattern);
  CHECK(documented.size() >= 14);
  CHECK(documented == routed);
}

}  // namespace
}  // namespace samspil::test
