#include "samspil/calendar.hpp"

#include <algorithm>

namespace samspil {

namespace {

using std::chrono::days;
using std::chrono::year_month_day;

Date Ymd(int y, unsigned m, unsigned d) {
  return Date{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

int YearOf(Date d) { return static_cast<int>(year_month_day{d}.year()); }

bool Contains(const std::vector<Date>& sorted, Date d) {
  return std::binary_search(sorted.begin(), sorted.end(), d);
}

}  // namespace

Date EasterSunday(int year) {
  // The anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int n = h + l - 7 * m + 114;
  return Ymd(year, static_cast<unsigned>(n / 31), static_cast<unsigned>(n % 31 + 1));
}

std::vector<Date> DanishHolidays(int year) {
  const Date easter = EasterSunday(year);
  std::vector<Date> holidays = {
      Ymd(year, 1, 1),    // nytårsdag
      easter - days{3},   // skærtorsdag
      easter - days{2},   // langfredag
      easter,             // påskedag
      easter + days{1},   // 2. påskedag
      easter + days{39},  // Kristi himmelfartsdag
      easter + days{49},  // pinsedag
      easter + days{50},  // 2. pinsedag
      Ymd(year, 6, 5),    // grundlovsdag
      Ymd(year, 12, 24),  // juleaftensdag
      Ymd(year, 12, 25),  // juledag
      Ymd(year, 12, 26),  // 2. juledag
  };
  // Store bededag (fourth Friday after Easter) was abolished by law from 2024.
  if (year <= 2023) holidays.push_back(easter + days{26});
  std::sort(holidays.begin(), holidays.end());
  // Grundlovsdag can fall on pinsedag or 2. pinsedag (e.g. 2022, 2028): list it once.
  holidays.erase(std::unique(holidays.begin(), holidays.end()), holidays.end());
  return holidays;
}

bool IsDanishHoliday(Date d) { return Contains(DanishHolidays(YearOf(d)), d); }

bool IsWorkingDay(Date d) {
  const std::chrono::weekday wd{d};
  if (wd == std::chrono::Saturday || wd == std::chrono::Sunday) return false;
  return !IsDanishHoliday(d);
}

Date AddWorkingDays(Date start, int n) {
  // A negative n is outside the contract; it is treated like 0 rather than looping forever.
  Date d = start;
  int year = YearOf(d);
  std::vector<Date> holidays = DanishHolidays(year);  // recomputed only when the year changes
  while (n > 0) {
    d += days{1};
    if (YearOf(d) != year) {
      year = YearOf(d);
      holidays = DanishHolidays(year);
    }
    const std::chrono::weekday wd{d};
    if (wd != std::chrono::Saturday && wd != std::chrono::Sunday && !Contains(holidays, d)) --n;
  }
  return d;
}

}  // namespace samspil
