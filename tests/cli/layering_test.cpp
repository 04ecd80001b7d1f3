// The build's layering rule, checked on the sources: the engine includes only the standard
// library and its own headers, and does no I/O.
#include <fstream>
#include <iterator>
#include <regex>
#include <set>

#include "support/store_fixture.hpp"

namespace samspil::test {
namespace {

TEST_CASE("the engine includes only the standard library and its own headers", "[layering]") {
  // Standard headers the engine may use: no streams, files, threads or clocks' I/O.
  const std::set<std::string> allowed = {
      "algorithm", "array",       "cassert", "charconv",   "chrono",           "cmath",
      "cstdint",   "cstdlib",     "deque",   "functional", "initializer_list", "iterator",
      "map",       "optional",    "set",     "string",     "string_view",      "system_error",
      "tuple",     "type_traits", "utility", "variant",    "vector",           "limits",
      "cctype",    "numeric",     "cstddef", "compare"};
  const std::regex include(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  int files = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(SAMSPIL_SOURCE_DIR) + "/engine")) {
    const auto ext = entry.path().extension();
    if (ext != ".hpp" && ext != ".cpp") continue;
    ++files;
    std::ifstream in(entry.path());
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include)) continue;
      INFO(entry.path().string() << ": " << line);
      if (m[1] == "\"") {
        CHECK(m[2].str().rfind("samspil/", 0) == 0);
      } else {
        CHECK(allowed.count(m[2].str()) == 1);
      }
    }
  }
  CHECK(files >= 10);
}

TEST_CASE("no test name holds a semicolon, which would split it in ctest", "[layering]") {
  // catch_discover_tests hands each name to CMake as a list element: "a; b" becomes two
  // tests that match nothing in Catch, and those pass without running anything.
  const std::regex test_case(R"re(TEST_CASE\(\s*"([^"]*)")re");
  int names = 0;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(SAMSPIL_SOURCE_DIR) + "/tests")) {
    if (entry.path().extension() != ".cpp") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::sregex_iterator it(text.begin(), text.end(), test_case), end; it != end; ++it) {
      ++names;
      INFO(entry.path().string() << ": " << (*it)[1].str());
      CHECK((*it)[1].str().find(';') == std::string::npos);
    }
  }
  CHECK(names >= 100);
}

}  // namespace
}  // namespace samspil::test
