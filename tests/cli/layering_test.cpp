// The build's layering rule, checked on the sources: the engine includes only the standard
// library and its own headers, and does no I/O; the docs generator's library needs only the
// engine; no public header of a library that links Poco privately names a Poco type.
#include <fstream>
#include <iterator>
#include <regex>
#include <set>
#include <string>
#include <vector>

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

// Every .hpp and .cpp under `dir`, relative to the source tree.
std::vector<std::filesystem::path> SourcesUnder(const std::string& dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(SAMSPIL_SOURCE_DIR) + "/" + dir)) {
    const auto ext = entry.path().extension();
    if (ext == ".hpp" || ext == ".cpp") files.push_back(entry.path());
  }
  return files;
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

TEST_CASE("the workflow docs library includes and links only the engine", "[layering]") {
  // It turns a WorkflowDefinition into text; reading the JSON is the gen tool's job.
  const std::string root = SAMSPIL_SOURCE_DIR;
  const std::regex include(R"(^\s*#\s*include\s*([<"])([^>"]+)[>"])");
  int files = 0;
  std::vector<std::filesystem::path> library = SourcesUnder("tools/workflow_docs/src");
  for (const auto& header : SourcesUnder("tools/workflow_docs/include")) library.push_back(header);
  for (const auto& path : library) {
    ++files;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      std::smatch m;
      if (!std::regex_search(line, m, include)) continue;
      INFO(path.string() << ": " << line);
      const std::string header = m[2].str();
      if (m[1] == "\"") {
        // Its own header, or one of the engine's.
        CHECK((header == "samspil/tools/workflow_docs.hpp" ||
               std::filesystem::exists(root + "/engine/include/" + header)));
      } else {
        CHECK(header.find_first_of("/.") == std::string::npos);  // the standard library
      }
    }
  }
  CHECK(files >= 2);
  const std::string cmake = ReadText(root + "/tools/workflow_docs/CMakeLists.txt");
  std::smatch m;
  const std::regex link(R"(target_link_libraries\(\s*samspil_workflow_docs\s+([^)]*)\))");
  REQUIRE(std::regex_search(cmake, m, link));
  CHECK(std::regex_replace(m[1].str(), std::regex(R"(\s+)"), " ") == "PUBLIC samspil_engine");
}

TEST_CASE("the public headers of adapters and web name no Poco type", "[layering]") {
  // Both link Poco privately: a Poco type in their headers would reach code that does not
  // link Poco. What needs Poco::JSON in a header has its own target (samspil_json_data).
  int files = 0;
  for (const std::string dir : {"adapters/include", "web/include"}) {
    for (const auto& path : SourcesUnder(dir)) {
      ++files;
      std::ifstream in(path);
      std::string line;
      while (std::getline(in, line)) {
        const std::string code = line.substr(0, line.find("//"));  // comments may name it
        INFO(path.string() << ": " << line);
        CHECK(code.find("Poco") == std::string::npos);
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
