#include "samspil/time.hpp"

#include <catch2/catch.hpp>

namespace samspil {
namespace {

Date D(const char* text) { return *ParseDate(text); }

}  // namespace

TEST_CASE("A UTC timestamp round-trips through parse and format", "[engine][time]") {
  for (const char* text : {"2026-11-23T14:05:00Z", "1970-01-01T00:00:00Z", "2024-02-29T23:59:59Z",
                           "0999-12-31T00:00:01Z"}) {
    auto t = ParseTimestamp(text);
    REQUIRE(t);
    CHECK(FormatTimestamp(*t) == text);
  }
}

TEST_CASE("A parsed timestamp is the right instant", "[engine][time]") {
  CHECK(ParseTimestamp("1970-01-01T00:00:00Z")->time_since_epoch().count() == 0);
  CHECK(ParseTimestamp("1970-01-02T00:00:01Z")->time_since_epoch().count() == 86401);
  CHECK(ParseTimestamp("1969-12-31T23:59:59Z")->time_since_epoch().count() == -1);
  CHECK(FormatTimestamp(Timestamp{std::chrono::seconds{-1}}) == "1969-12-31T23:59:59Z");
}

TEST_CASE("A fractional part of a second is accepted and truncated", "[engine][time]") {
  CHECK(FormatTimestamp(*ParseTimestamp("2026-11-23T14:05:00.999Z")) == "2026-11-23T14:05:00Z");
  CHECK(FormatTimestamp(*ParseTimestamp("2026-11-23T14:05:59.5+01:00")) == "2026-11-23T13:05:59Z");
  CHECK_FALSE(ParseTimestamp("2026-11-23T14:05:00.Z"));
  CHECK_FALSE(ParseTimestamp("2026-11-23T14:05:00.12a3Z"));
  CHECK_FALSE(ParseTimestamp("2026-11-23T14:05:00,5Z"));
}

TEST_CASE("A timestamp with a UTC offset is converted to UTC", "[engine][time]") {
  CHECK(FormatTimestamp(*ParseTimestamp("2026-11-23T15:05:00+01:00")) == "2026-11-23T14:05:00Z");
  CHECK(FormatTimestamp(*ParseTimestamp("2026-11-23T09:35:00-04:30")) == "2026-11-23T14:05:00Z");
  CHECK(FormatTimestamp(*ParseTimestamp("2026-11-23T14:05:00+00:00")) == "2026-11-23T14:05:00Z");
  CHECK(FormatTimestamp(*ParseTimestamp("2026-01-01T00:30:00+01:00")) == "2025-12-31T23:30:00Z");
  CHECK(FormatTimestamp(*ParseTimestamp("2025-12-31T23:30:00-02:00")) == "2026-01-01T01:30:00Z");
}

TEST_CASE("A malformed timestamp is rejected", "[engine][time]") {
  const char* bad[] = {
      "",
      "2026-11-23",
      "2026-11-23T14:05:00",         // no zone
      "2026-11-23 14:05:00Z",        // space instead of T
      "2026-11-23t14:05:00Z",        // lowercase t
      "2026-11-23T14:05:00z",        // lowercase z
      "2026-11-23T14:05Z",           // no seconds
      "2026-11-23T1:05:00Z",         // one-digit hour
      "2026-11-23T24:00:00Z",        // hour out of range
      "2026-11-23T14:60:00Z",        // minute out of range
      "2026-11-23T14:05:60Z",        // leap second
      "2026-02-30T00:00:00Z",        // no such date
      "2026-13-01T00:00:00Z",        // no such month
      "2026-11-23T14:05:00Zjunk",    // trailing garbage
      "2026-11-23T14:05:00+01:00x",  // trailing garbage after the offset
      "2026-11-23T14:05:00+0100",    // offset without colon
      "2026-11-23T14:05:00+01",      // offset without minutes
      "2026-11-23T14:05:00+24:00",   // offset hour out of range
      "2026-11-23T14:05:00+01:60",   // offset minute out of range
      "+026-11-23T14:05:00Z",        // sign in the year
      " 2026-11-23T14:05:00Z",       // leading space
      "2026-11-23T-1:05:00Z",        // sign in the hour
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(ParseTimestamp(text));
  }
}

TEST_CASE("A strict YYYY-MM-DD date is accepted and round-trips", "[engine][time]") {
  for (const char* text : {"2026-11-23", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"}) {
    auto d = ParseDate(text);
    REQUIRE(d);
    CHECK(FormatDate(*d) == text);
  }
  CHECK(ParseDate("1970-01-01")->time_since_epoch().count() == 0);
}

TEST_CASE("A malformed or impossible date is rejected", "[engine][time]") {
  const char* bad[] = {
      "2026-2-3",    "2026-02-29",  "2024-02-30",           "1900-02-29", "2026-13-01",
      "2026-00-10",  "2026-01-00",  "2026-04-31",           "26-02-03",   "2026/02/03",
      "2026-02-03x", " 2026-02-03", "2026-02-03T00:00:00Z", "",           "+026-02-03",
  };
  for (const char* text : bad) {
    INFO(text);
    CHECK_FALSE(ParseDate(text));
  }
}

TEST_CASE("The date of a timestamp is its UTC calendar date", "[engine][time]") {
  CHECK(DateOf(*ParseTimestamp("2026-11-23T23:59:59Z")) == D("2026-11-23"));
  CHECK(DateOf(*ParseTimestamp("2026-11-24T00:30:00+01:00")) == D("2026-11-23"));
  CHECK(DateOf(*ParseTimestamp("1969-12-31T12:00:00Z")) == D("1969-12-31"));
}

TEST_CASE("Age in full years goes up on the birthday, not the day before", "[engine][time]") {
  CHECK(AgeInYears(D("2000-03-15"), D("2018-03-14")) == 17);
  CHECK(AgeInYears(D("2000-03-15"), D("2018-03-15")) == 18);
  CHECK(AgeInYears(D("2000-12-31"), D("2018-01-01")) == 17);
  CHECK(AgeInYears(D("2000-03-15"), D("2000-03-15")) == 0);
}

TEST_CASE("A 29 February birthday counts from 1 March in non-leap years", "[engine][time]") {
  CHECK(AgeInYears(D("2004-02-29"), D("2022-02-28")) == 17);
  CHECK(AgeInYears(D("2004-02-29"), D("2022-03-01")) == 18);
  CHECK(AgeInYears(D("2004-02-29"), D("2024-02-28")) == 19);
  CHECK(AgeInYears(D("2004-02-29"), D("2024-02-29")) == 20);
}

TEST_CASE("Age before birth is zero", "[engine][time]") {
  CHECK(AgeInYears(D("2010-06-01"), D("2009-06-01")) == 0);
}

}  // namespace samspil
