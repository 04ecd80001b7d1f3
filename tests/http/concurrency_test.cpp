// Optimistic concurrency over HTTP: many clients send the same transition with the same
// expected_version at once; exactly one wins, the others get 409, and the history has one
// new entry.
#include <atomic>
#include <thread>

#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

TEST_CASE("concurrent identical transitions: exactly one 200, the rest 409",
          "[http][concurrency]") {
  HttpFixture h(EACH_BACKEND);
  Login betjent = h.LogIn("betjent");
  Login koord = h.LogIn("koord");
  const std::string id = Str(OpenCaseOver(h, betjent), "id");
  const std::string path = "/api/v1/cases/" + id + "/transitions";
  const std::string body = TransitionBody("visiter", 1, kVisiterData, "samtidig");

  constexpr int kThreads = 16;
  std::vector<int> statuses(kThreads, 0);
  std::vector<std::string> bodies(kThreads);
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (!go.load()) std::this_thread::yield();
      try {
        auto r = h.Send("POST", path, body, koord.token);
        statuses[i] = r.status;
        bodies[i] = r.body;
      } catch (const std::exception& e) {
        statuses[i] = -1;
        bodies[i] = e.what();
      }
    });
  }
  while (ready.load() < kThreads) std::this_thread::yield();
  go = true;
  for (auto& t : threads) t.join();

  int ok = 0, conflict = 0;
  for (int i = 0; i < kThreads; ++i) {
    INFO("thread " << i << ": " << statuses[i] << " " << bodies[i]);
    CHECK((statuses[i] == 200 || statuses[i] == 409));
    if (statuses[i] == 200) ++ok;
    if (statuses[i] == 409) {
      ++conflict;
      HttpResult r;
      r.status = statuses[i];
      r.body = bodies[i];
      r.headers.add("Content-Type", "application/json");
      CheckError(r, 409, "version_conflict");
    }
  }
  CHECK(ok == 1);
  CHECK(conflict == kThreads - 1);

  auto c = h.Get("/api/v1/cases/" + id, koord);
  REQUIRE(c.status == 200);
  CHECK(c.Json()->getValue<int>("version") == 2);
  CHECK(Str(c.Json(), "state") == "droeftelse");
  auto history = h.Get("/api/v1/cases/" + id + "/history", koord);
  REQUIRE(history.status == 200);
  JsonArray items = history.Json()->getArray("items");
  REQUIRE(items->size() == 2);
  CHECK(Str(items->getObject(0), "action") == "open");
  CHECK(Str(items->getObject(1), "action") == "visiter");
  CHECK(items->getObject(1)->getValue<int>("seq") == 2);

  // The audit log has exactly one transition entry for the case, and its chain holds.
  auto audit = h.f.store->AuditEntries(0, 100000);
  REQUIRE(audit.ok());
  int transitions = 0;
  for (const auto& e : *audit) transitions += e.case_id == id && e.action == "case.transition";
  CHECK(transitions == 1);
  CHECK(h.f.store->VerifyAuditChain().ok());
}

}  // namespace
}  // namespace samspil::test
