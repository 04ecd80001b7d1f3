#include "samspil/calendar.hpp"

#include <algorithm>
#include <catch2/catch.hpp>

namespace samspil {
namespace {

Date D(const char* text) { return *ParseDate(text); }

}  // namespace

TEST_CASE("Easter Sunday follows the Gregorian computus", "[engine][calendar]") {
  CHECK(EasterSunday(2019) == D("2019-04-21"));
  CHECK(EasterSunday(2025) == D("2025-04-20"));
  CHECK(EasterSunday(2026) == D("2026-04-05"));
  CHECK(EasterSunday(2027) == D("2027-03-28"));
  CHECK(EasterSunday(2028) == D("2028-04-16"));
  CHECK(EasterSunday(2029) == D("2029-04-01"));
  CHECK(EasterSunday(2030) == D("2030-04-21"));
  CHECK(EasterSunday(2038) == D("2038-04-25"));  // the latest possible date
  CHECK(EasterSunday(2285) == D("2285-03-22"));  // the earliest possible date
  CHECK(EasterSunday(2026) != D("2026-04-12"));  // Orthodox Easter 2026 is not it
}

TEST_CASE("Easter Sunday is always a Sunday between 22 March and 25 April", "[engine][calendar]") {
  for (int y = 1900; y <= 2200; ++y) {
    INFO(y);
    const Date e = EasterSunday(y);
    CHECK(std::chrono::weekday{e} == std::chrono::Sunday);
    CHECK(e >= Date{std::chrono::year{y} / std::chrono::March / 22});
    CHECK(e <= Date{std::chrono::year{y} / std::chrono::April / 25});
  }
}

TEST_CASE("The Easter-based holidays of 2026 are on their days", "[engine][calendar]") {
  for (const char* text : {"2026-04-02", "2026-04-03", "2026-04-05", "2026-04-06", "2026-05-14",
                           "2026-05-24", "2026-05-25"}) {
    INFO(text);
    CHECK(IsDanishHoliday(D(text)));
  }
  CHECK_FALSE(IsDanishHoliday(D("2026-04-01")));  // the Wednesday before skærtorsdag
  CHECK_FALSE(IsDanishHoliday(D("2026-04-07")));  // the Tuesday after 2. påskedag
  CHECK_FALSE(IsDanishHoliday(D("2026-05-15")));  // the Friday after Kristi himmelfart
}

TEST_CASE("New Year's Day and the Christmas days are holidays", "[engine][calendar]") {
  CHECK(IsDanishHoliday(D("2026-01-01")));
  CHECK(IsDanishHoliday(D("2026-12-24")));
  CHECK(IsDanishHoliday(D("2026-12-25")));
  CHECK(IsDanishHoliday(D("2026-12-26")));
  CHECK_FALSE(IsDanishHoliday(D("2026-12-23")));
  CHECK_FALSE(IsDanishHoliday(D("2026-12-31")));
  CHECK_FALSE(IsDanishHoliday(D("2026-01-02")));
}

TEST_CASE("Grundlovsdag is a day off", "[engine][calendar]") {
  CHECK(IsDanishHoliday(D("2026-06-05")));
  CHECK_FALSE(IsWorkingDay(D("2026-06-05")));
  CHECK_FALSE(IsDanishHoliday(D("2026-06-04")));
  CHECK(IsWorkingDay(D("2026-06-04")));
}

TEST_CASE("Store bededag is a holiday in 2023 and no longer in 2024", "[engine][calendar]") {
  CHECK(IsDanishHoliday(D("2023-05-05")));  // Easter 2023-04-09 + 26 days
  CHECK_FALSE(IsWorkingDay(D("2023-05-05")));
  CHECK_FALSE(IsDanishHoliday(D("2024-04-26")));  // Easter 2024-03-31 + 26 days
  CHECK(IsWorkingDay(D("2024-04-26")));
}

TEST_CASE("A year has twelve or thirteen holidays, listed once each and ascending",
          "[engine][calendar]") {
  CHECK(DanishHolidays(2023).size() == 13);  // with store bededag
  CHECK(DanishHolidays(2024).size() == 12);
  CHECK(DanishHolidays(2026).size() == 12);
  // Grundlovsdag coincides with pinsedag in 2022 and with 2. pinsedag in 2028.
  CHECK(DanishHolidays(2022).size() == 12);
  CHECK(DanishHolidays(2028).size() == 11);
  for (int y : {2022, 2023, 2024, 2026, 2028}) {
    const auto days = DanishHolidays(y);
    CHECK(std::adjacent_find(days.begin(), days.end(), [](Date a, Date b) { return a >= b; }) ==
          days.end());
  }
}

TEST_CASE("Weekends are not working days and ordinary weekdays are", "[engine][calendar]") {
  CHECK(IsWorkingDay(D("2026-11-23")));        // Monday
  CHECK(IsWorkingDay(D("2026-11-20")));        // Friday
  CHECK_FALSE(IsWorkingDay(D("2026-11-21")));  // Saturday
  CHECK_FALSE(IsWorkingDay(D("2026-11-22")));  // Sunday
}

TEST_CASE("Adding zero working days gives the start date even on a day off", "[engine][calendar]") {
  CHECK(AddWorkingDays(D("2026-11-23"), 0) == D("2026-11-23"));
  CHECK(AddWorkingDays(D("2026-11-21"), 0) == D("2026-11-21"));  // Saturday
  CHECK(AddWorkingDays(D("2026-12-25"), 0) == D("2026-12-25"));  // juledag
}

TEST_CASE("Adding working days skips the weekend", "[engine][calendar]") {
  CHECK(AddWorkingDays(D("2026-11-20"), 1) == D("2026-11-23"));   // Friday -> Monday
  CHECK(AddWorkingDays(D("2026-11-19"), 1) == D("2026-11-20"));   // Thursday -> Friday
  CHECK(AddWorkingDays(D("2026-11-21"), 1) == D("2026-11-23"));   // from a Saturday
  CHECK(AddWorkingDays(D("2026-11-23"), 10) == D("2026-12-07"));  // two full weeks
  CHECK(AddWorkingDays(D("2026-11-20"), 1) != D("2026-11-21"));
}

TEST_CASE("Adding working days skips Easter", "[engine][calendar]") {
  CHECK(AddWorkingDays(D("2026-04-01"), 1) == D("2026-04-07"));  // Wednesday -> Tuesday
  CHECK(AddWorkingDays(D("2026-03-31"), 2) == D("2026-04-07"));
  CHECK(AddWorkingDays(D("2026-04-01"), 1) != D("2026-04-02"));  // not skærtorsdag
}

TEST_CASE("Adding working days skips Christmas and New Year", "[engine][calendar]") {
  CHECK(AddWorkingDays(D("2026-12-23"), 1) == D("2026-12-28"));
  CHECK(AddWorkingDays(D("2026-12-31"), 1) == D("2027-01-04"));
  CHECK(AddWorkingDays(D("2026-12-23"), 5) == D("2027-01-04"));
  CHECK(AddWorkingDays(D("2026-12-22"), 1) == D("2026-12-23"));
}

TEST_CASE("Adding working days skips store bededag only until 2023", "[engine][calendar]") {
  CHECK(AddWorkingDays(D("2023-05-04"), 1) == D("2023-05-08"));
  CHECK(AddWorkingDays(D("2024-04-25"), 1) == D("2024-04-26"));
}

}  // namespace samspil
