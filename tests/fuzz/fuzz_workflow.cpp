// libFuzzer: a workflow definition file (ParseWorkflow: Poco::JSON, then the engine's
// validation). Whatever the bytes, it returns a definition with no problems or problems
// without a definition, and never crashes; a definition it accepts passes the engine's
// validation again.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "samspil/adapters/workflow_loader.hpp"
#include "samspil/workflow.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  std::vector<samspil::LoadProblem> problems;
  auto parsed = samspil::ParseWorkflow(text, "fuzz.json", problems);
  if (parsed.ok() != problems.empty()) std::abort();
  if (parsed.ok() && !samspil::Validate(*parsed).empty()) std::abort();
  for (const auto& p : problems) {
    if (p.ToString().empty()) std::abort();
  }
  return 0;
}
