// Deadlines and escalation: ComputeDueAt for each kind of deadline (hours, days, working
// days, a date from the case data) and EscalationFor, which the deadline scan applies.
#include <catch2/catch.hpp>
#include <optional>
#include <string>

#include "samspil/engine.hpp"
#include "support/engine_builders.hpp"

namespace samspil::test {
namespace {

using namespace std::string_literals;
using Catch::Matchers::Contains;

// ---- ComputeDueAt ----------------------------------------------------------------------

TEST_CASE("An hours deadline is that many hours after entering the state", "[engine][deadline]") {
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kHours, 48)),
                          At("2026-11-23T14:05:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-11-25T14:05:00Z");
}

TEST_CASE("A days deadline counts calendar days, weekends included", "[engine][deadline]") {
  auto due = ComputeDueAt(State("s", DaysDeadline(6)), At("2026-12-18T10:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-12-24T10:00:00Z");
}

TEST_CASE("A workdays deadline skips the weekend at the same time of day", "[engine][deadline]") {
  // Friday 18 December 2026: Mon 21, Tue 22, Wed 23.
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 3)),
                          At("2026-12-18T10:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-12-23T10:00:00Z");
}

TEST_CASE("A workdays deadline skips Christmas", "[engine][deadline]") {
  // From Friday 18 December 2026: 21, 22, 23, (24-25 juleaftensdag/juledag, 26-27 the
  // weekend and 2. juledag), 28, 29.
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 5)),
                          At("2026-12-18T10:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2026-12-29T10:00:00Z");
  // From Wednesday 23 December: 28, 29, 30.
  auto later = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 3)),
                            At("2026-12-23T16:30:00Z"), {});
  REQUIRE(later.ok());
  CHECK(Due(later) == "2026-12-30T16:30:00Z");
}

TEST_CASE("A workdays deadline skips Easter", "[engine][deadline]") {
  // Easter Sunday 2027 is 28 March: skærtorsdag 25, langfredag 26, 2. påskedag 29.
  auto due = ComputeDueAt(State("s", Deadline(DeadlineSpec::Kind::kWorkingDays, 2)),
                          At("2027-03-24T08:00:00Z"), {});
  REQUIRE(due.ok());
  CHECK(Due(due) == "2027-03-31T08:00:00Z");
}

TEST_CASE("A from_field deadline is the end of the field's date moved by the offsets",
          "[engine][deadline]") {
  const StateDef s = State("s", FromField("loesladelsesdato", -3));
  auto due = [&](const std::string& date) {
    return ComputeDueAt(s, kNow, {{"loesladelsesdato", date}});
  };
  CHECK(Due(due("2027-08-15")) == "2027-05-15T23:59:59Z");
  CHECK(Due(due("2027-05-31")) == "2027-02-28T23:59:59Z");  // clamped to the month's end
  CHECK(Due(due("2028-05-31")) == "2028-02-29T23:59:59Z");  // leap year
  CHECK(Due(due("2027-02-15")) == "2026-11-15T23:59:59Z");  // into the year before
  auto with_days = ComputeDueAt(State("s", FromField("loesladelsesdato", -3, 1)), kNow,
                                {{"loesladelsesdato", "2027-05-31"s}});
  REQUIRE(with_days.ok());
  CHECK(Due(with_days) == "2027-03-01T23:59:59Z");  // days are added after the months
}

TEST_CASE("A from_field deadline without its date is an error naming the field",
          "[engine][deadline]") {
  const StateDef s = State("forberedelse", FromField("loesladelsesdato", -3));
  for (const Data& data :
       {Data{}, Data{{"loesladelsesdato", "31-05-2027"s}}, Data{{"loesladelsesdato", true}}}) {
    auto due = ComputeDueAt(s, kNow, data);
    CHECK(CodeOf(due) == "invalid_request");
    CHECK_THAT(MessageOf(due), Contains("\"forberedelse\"") && Contains("\"loesladelsesdato\""));
  }
}

TEST_CASE("A terminal state has no deadline", "[engine][deadline]") {
  auto due = ComputeDueAt(Terminal("lukket"), kNow, {});
  REQUIRE(due.ok());
  CHECK_FALSE(due->has_value());
}

// ---- EscalationFor ---------------------------------------------------------------------

TEST_CASE("A case before its deadline is not escalated", "[engine][deadline][escalation]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Case c = CaseAt(def, "ny");  // due 2026-11-25T09:00:00Z
  CHECK_FALSE(EscalationFor(c, At("2026-11-25T08:59:59Z")).has_value());
}

TEST_CASE("A case at or past its deadline is escalated by the system",
          "[engine][deadline][escalation]") {
  const WorkflowDefinition def = TinyWorkflow();
  const Case c = CaseAt(def, "ny");
  for (const char* when : {"2026-11-25T09:00:00Z", "2026-12-01T00:00:00Z"}) {
    INFO(when);
    auto e = EscalationFor(c, At(when));
    REQUIRE(e.has_value());
    CHECK(e->action == "escalate");
    CHECK(e->from == "ny");
    CHECK(e->to == "ny");
    CHECK(e->actor_id.empty());
    CHECK(e->role.empty());
    CHECK(e->at == At(when));
    CHECK_THAT(e->comment, Contains("2026-11-25T09:00:00Z"));
    CHECK(e->data.empty());
  }
}

TEST_CASE("A case is escalated only once per deadline", "[engine][deadline][escalation]") {
  const WorkflowDefinition def = TinyWorkflow();
  Case c = CaseAt(def, "ny");
  c.escalated = true;
  CHECK_FALSE(EscalationFor(c, At("2026-12-01T00:00:00Z")).has_value());
}

TEST_CASE("A case in a terminal state is never escalated", "[engine][deadline][escalation]") {
  const WorkflowDefinition def = TinyWorkflow();
  CHECK_FALSE(EscalationFor(CaseAt(def, "lukket"), At("2030-01-01T00:00:00Z")).has_value());
}

}  // namespace
}  // namespace samspil::test
