// gen_workflow_docs WORKFLOWS_DIR OUT_DIR: writes OUT_DIR/<id>.md for every workflow and the
// index OUT_DIR/README.md. Run through scripts/gen-workflow-docs; the docs test compares the
// committed pages with the same functions, so the pages cannot drift from the data.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>

#include "samspil/tools/workflow_docs.hpp"
#include "samspil/adapters/workflow_loader.hpp"

namespace {

bool WriteFile(const std::filesystem::path& path, const std::string& text) {
  // Binary: the test compares bytes, so no newline translation.
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << path.string() << ": cannot write\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: gen_workflow_docs WORKFLOWS_DIR OUT_DIR\n";
    return 2;
  }
  const std::filesystem::path out_dir = argv[2];

  // Documenting a broken definition would publish a process the server refuses to run.
  samspil::LoadedWorkflows loaded = samspil::LoadWorkflowDir(argv[1]);
  if (!loaded.problems.empty()) {
    for (const auto& p : loaded.problems) std::cerr << p.ToString() << "\n";
    return 1;
  }

  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    std::cerr << out_dir.string() << ": " << ec.message() << "\n";
    return 1;
  }
  for (const auto& [id, def] : loaded.by_id) {
    if (!WriteFile(out_dir / (id + ".md"), samspil::WorkflowMarkdown(def))) return 1;
  }
  if (!WriteFile(out_dir / "README.md", samspil::WorkflowIndexMarkdown(loaded.by_id))) return 1;
  std::cout << "wrote " << loaded.by_id.size() << " workflow pages and README.md to "
            << out_dir.string() << "\n";
  return 0;
}
