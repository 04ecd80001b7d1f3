// The server's own log never holds a subject's name or birth date: a full flow, errors and
// a storage failure included, with spdlog's output captured.
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "http/http_helpers.hpp"

namespace samspil::test {
namespace {

// Installs a logger writing to `out` as spdlog's default, at every level; restores the
// previous default logger and level when it goes.
class CapturedLog {
 public:
  CapturedLog() : previous_(spdlog::default_logger()), previous_level_(spdlog::get_level()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    auto logger = std::make_shared<spdlog::logger>("captured", sink);
    logger->set_level(spdlog::level::trace);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
    spdlog::set_level(spdlog::level::trace);
  }
  ~CapturedLog() {
    spdlog::set_default_logger(previous_);
    spdlog::set_level(previous_level_);
  }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;

  std::string Text() {
    spdlog::default_logger()->flush();
    return out_.str();
  }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
  spdlog::level::level_enum previous_level_;
};

TEST_CASE("no subject name or birth date in the server's log", "[http][logging]") {
  const std::string name = "Kasper Hemmeligsen-Ødegaard";
  const std::string birth = "2012-03-04";
  const std::string adult_name = "Vibeke Voksenholm";
  const std::string adult_birth = "2001-09-10";
  std::string log;
  {
    CapturedLog captured;
    {
      HttpFixture h;
      Login betjent = h.LogIn("betjent");
      Login koord = h.LogIn("koord");
      Login maegler = h.LogIn("maegler");

      auto opened = h.Post("/api/v1/cases", OpenBody("ssp-a", name, birth), betjent);
      REQUIRE(opened.status == 201);
      const std::string id = Str(opened.Json(), "id");
      const std::string path = "/api/v1/cases/" + id + "/transitions";

      // Refusals of every kind.
      CHECK(h.Post("/api/v1/cases", OpenBody("ssp-a", adult_name, adult_birth), betjent).status ==
            422);
      CHECK(h.Post("/api/v1/cases", OpenBody("ssp-a", name, "2012-13-45"), betjent).status == 400);
      CHECK(h.Post("/api/v1/cases", "{\"subject\":{\"name\":" + Quote(name) + "", betjent).status ==
            400);
      CHECK(h.Post("/api/v1/cases", OpenBody("ssp-b", name, birth), betjent).status == 404);
      CHECK(h.Post(path, TransitionBody("visiter", 1, kVisiterData), betjent).status == 403);
      CHECK(h.Post(path, TransitionBody("visiter", 9, kVisiterData), koord).status == 409);
      CHECK(h.Get("/api/v1/cases/" + id, maegler).status == 404);
      CHECK(h.Send("POST", "/api/v1/auth/login",
                   "{\"username\":" + Quote(name) + ",\"password\":" + Quote(birth) + "}")
                .status == 401);
      CHECK(h.Send("GET", "/api/v1/cases/" + id).status == 401);
      std::string big = OpenBody("ssp-a", name, birth);
      big += std::string(kMaxBodyBytes, ' ');
      CHECK(SendOnSocket(h,
                         "POST /api/v1/cases HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                         "Bearer " +
                             betjent.token + "\r\nContent-Length: " + std::to_string(big.size()) +
                             "\r\n\r\n",
                         big)
                .status == 413);

      // The flow: reads, a referral, moves, the history, an escalation.
      CHECK(h.Get("/api/v1/cases/" + id, koord).status == 200);
      CHECK(h.Get("/api/v1/cases?overdue=false", koord).status == 200);
      CHECK(
          h.Post(path,
                 TransitionBody("henvis_konfliktraad", 1,
                                R"j({"konfliktraad_forum":"kr-a","konfliktraad_resume":"kort"})j"),
                 koord)
              .status == 200);
      CHECK(h.Post(path, TransitionBody("visiter", 2, kVisiterData), koord).status == 200);
      CHECK(h.Get("/api/v1/cases/" + id + "/history", koord).status == 200);
      h.f.clock.Set(h.f.clock.Now() + std::chrono::hours{24 * 60});
      auto escalated = h.f.store->EscalateOverdue(h.f.clock.Now());
      REQUIRE(escalated.ok());
      CHECK(*escalated >= 1);
      koord = h.LogIn("koord");
      betjent = h.LogIn("betjent");  // the old sessions have expired meanwhile
      CHECK(h.Get("/api/v1/escalations", koord).status == 200);

      // A storage failure while writing a case with the subject in the statement's values.
      h.f.db.Exec(
          "CREATE TRIGGER inject_failure BEFORE INSERT ON audit_log WHEN NEW.action = "
          "'case.open' BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
      CHECK(h.Post("/api/v1/cases", OpenBody("ssp-a", name, birth), betjent).status == 500);
      h.f.db.Exec("DROP TRIGGER inject_failure");

      spdlog::info("log capture marker");
    }
    log = captured.Text();
  }
  INFO(log);
  // The capture works: the marker and the server's own lines (the storage failure) are there.
  CHECK(Contains(log, "log capture marker"));
  CHECK(Contains(log, "storage error"));
  for (const std::string& secret :
       {name, std::string("Hemmeligsen"), birth, adult_name, adult_birth}) {
    INFO("must not be logged: " << secret);
    CHECK_FALSE(Contains(log, secret));
  }
}

}  // namespace
}  // namespace samspil::test
