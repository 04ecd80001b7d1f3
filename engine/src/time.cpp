#include "samspil/time.hpp"

#include <charconv>
#include <cstddef>

namespace samspil {

namespace {

using std::chrono::day;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::month;
using std::chrono::seconds;
using std::chrono::year;
using std::chrono::year_month_day;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `width` decimal digits at `pos`. from_chars alone would accept a sign or a
// shorter run of digits, so the width is checked first.
std::optional<int> Digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return std::nullopt;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (!IsDigit(text[i])) return std::nullopt;
  }
  int value = 0;
  std::from_chars(text.data() + pos, text.data() + pos + width, value);
  return value;
}

// Parses "YYYY-MM-DD" at the start of `text`; the caller checks what follows.
std::optional<Date> DatePrefix(std::string_view text) {
  if (text.size() < 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = Digits(text, 0, 4);
  auto m = Digits(text, 5, 2);
  auto d = Digits(text, 8, 2);
  if (!y || !m || !d) return std::nullopt;
  year_month_day ymd{year{*y}, month{static_cast<unsigned>(*m)}, day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return Date{ymd};
}

std::string Pad(int value, int width) {
  std::string s = std::to_string(value);
  if (static_cast<int>(s.size()) < width) s.insert(0, width - s.size(), '0');
  return s;
}

}  // namespace

std::optional<Timestamp> ParseTimestamp(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS, then an optional fraction, then Z or an offset.
  auto date = DatePrefix(text);
  if (!date || text.size() < 19 || text[10] != 'T' || text[13] != ':' || text[16] != ':') {
    return std::nullopt;
  }
  auto hh = Digits(text, 11, 2);
  auto mm = Digits(text, 14, 2);
  auto ss = Digits(text, 17, 2);
  // Leap seconds (:60) are rejected: sys_seconds cannot represent them anyway.
  if (!hh || !mm || !ss || *hh > 23 || *mm > 59 || *ss > 59) return std::nullopt;

  std::size_t pos = 19;
  if (pos < text.size() && text[pos] == '.') {
    // The engine works at second precision, so the fraction is truncated, not rounded.
    std::size_t start = ++pos;
    while (pos < text.size() && IsDigit(text[pos])) ++pos;
    if (pos == start) return std::nullopt;
  }

  Timestamp local = *date + hours{*hh} + minutes{*mm} + seconds{*ss};
  if (pos >= text.size()) return std::nullopt;  // the zone designator is required
  if (text[pos] == 'Z') {
    return pos + 1 == text.size() ? std::optional<Timestamp>{local} : std::nullopt;
  }
  if (text[pos] != '+' && text[pos] != '-') return std::nullopt;
  if (text.size() != pos + 6 || text[pos + 3] != ':') return std::nullopt;
  auto off_h = Digits(text, pos + 1, 2);
  auto off_m = Digits(text, pos + 4, 2);
  if (!off_h || !off_m || *off_h > 23 || *off_m > 59) return std::nullopt;
  seconds offset = hours{*off_h} + minutes{*off_m};
  // The local time is ahead of UTC by a positive offset, so UTC = local - offset.
  return text[pos] == '+' ? local - offset : local + offset;
}

std::string FormatTimestamp(Timestamp t) {
  Date d = DateOf(t);
  std::chrono::hh_mm_ss<seconds> hms{t - d};
  return FormatDate(d) + 'T' + Pad(static_cast<int>(hms.hours().count()), 2) + ':' +
         Pad(static_cast<int>(hms.minutes().count()), 2) + ':' +
         Pad(static_cast<int>(hms.seconds().count()), 2) + 'Z';
}

std::optional<Date> ParseDate(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  return DatePrefix(text);
}

std::string FormatDate(Date d) {
  year_month_day ymd{d};
  return Pad(static_cast<int>(ymd.year()), 4) + '-' +
         Pad(static_cast<int>(static_cast<unsigned>(ymd.month())), 2) + '-' +
         Pad(static_cast<int>(static_cast<unsigned>(ymd.day())), 2);
}

int AgeInYears(Date birth, Date on) {
  if (on < birth) return 0;  // nobody has lived a negative number of years
  year_month_day b{birth};
  year_month_day o{on};
  int age = static_cast<int>(o.year()) - static_cast<int>(b.year());
  // This year's birthday; 29 February becomes 1 March when the year has no 29 February.
  year_month_day birthday{o.year(), b.month(), b.day()};
  Date birthday_date = birthday.ok() ? Date{birthday} : Date{o.year() / std::chrono::March / 1};
  if (on < birthday_date) --age;
  return age;
}

}  // namespace samspil
