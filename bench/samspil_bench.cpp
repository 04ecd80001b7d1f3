// samspil_bench: the load generator behind docs/benchmarks.md. Each mode measures one thing
// for a bounded time, only on 127.0.0.1, and prints one "RESULT key=value ..." line per
// figure for scripts/bench (readable lines go to stderr).
#include <exception>
#include <iostream>
#include <string>

#include "common.hpp"

namespace samspil::bench {
int RunHttpCeiling(const Args& args);
int RunStorageCeiling(const Args& args);
int RunApi(const Args& args);
int RunList(const Args& args);
int RunStats(const Args& args);
int RunFlood(const Args& args);
}  // namespace samspil::bench

namespace {

constexpr const char* kUsage =
    "usage: samspil_bench MODE [options]\n"
    "  http-ceiling    --connections N --seconds S\n"
    "                  a trivial Poco handler driven by N keep-alive connections\n"
    "  storage-ceiling --sync FULL|NORMAL --seconds S [--dir D]\n"
    "                  single-row and transition-shaped SQLite commits (WAL)\n"
    "  api             --connections N --seconds S --sync FULL|NORMAL [--rate R] [--dir D]\n"
    "                  transitions over HTTP against the real server; closed loop, or\n"
    "                  Poisson arrivals at R/s in total with --rate;\n"
    "                  [--idle N --slow N --browsers N]: connections held open meanwhile,\n"
    "                  and a new client's /healthz timed every --probe-ms (20);\n"
    "                  [--sample-seconds S]: the WAL's size and the RSS sampled (a soak)\n"
    "  list            --connections N --seconds S [--rate R] [--cases C] [--fora F]\n"
    "                  [--db PATH] [--cursor random|none] [--path /api/v1/escalations]\n"
    "                  GET /api/v1/cases?limit=50 (or --path) over C seeded cases\n"
    "  stats           --db PATH --seconds S [--cases C] [--fora F]\n"
    "                  Store::ForumStats of one forum of the list database, in-process\n"
    "  flood           --connections N --seconds S\n"
    "                  anonymous logins back to back (guessed names and a real user's with\n"
    "                  wrong passwords), then the real user from another address; audit rows\n"
    "common: --warmup SECONDS (default 1), --keep (leave the database behind)\n";

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string mode = argv[1];
  try {
    const samspil::bench::Args args(argc, argv, 2);
    if (mode == "http-ceiling") return samspil::bench::RunHttpCeiling(args);
    if (mode == "storage-ceiling") return samspil::bench::RunStorageCeiling(args);
    if (mode == "api") return samspil::bench::RunApi(args);
    if (mode == "list") return samspil::bench::RunList(args);
    if (mode == "stats") return samspil::bench::RunStats(args);
    if (mode == "flood") return samspil::bench::RunFlood(args);
  } catch (const std::exception& e) {
    std::cerr << "samspil_bench " << mode << ": " << e.what() << std::endl;
    return 1;
  }
  std::cerr << kUsage;
  return 2;
}
