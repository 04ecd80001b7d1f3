// Danish working days (hverdage): Monday to Friday except the Danish public holidays.
// Pure functions; holidays are computed from the year (Easter by the Gregorian computus),
// never from a table of years.
#pragma once

#include <vector>

#include "samspil/time.hpp"

namespace samspil {

// Easter Sunday of the given Gregorian year.
Date EasterSunday(int year);

// The Danish public holidays (helligdage) of `year`, ascending: nytårsdag (1 Jan),
// skærtorsdag, langfredag, påskedag, 2. påskedag, Kristi himmelfartsdag, pinsedag,
// 2. pinsedag, juleaftensdag (24 Dec), juledag, 2. juledag; grundlovsdag (5 Jun);
// store bededag until 2023 (abolished from 2024). 24 Dec and 5 Jun are not official
// holidays but are days off in public administration, so they are treated as such.
std::vector<Date> DanishHolidays(int year);

bool IsDanishHoliday(Date d);
bool IsWorkingDay(Date d);

// The date `n` working days after `start` (n >= 0; n == 0 gives `start` itself even if
// it is not a working day). Counting starts on the day after `start`.
Date AddWorkingDays(Date start, int n);

}  // namespace samspil
