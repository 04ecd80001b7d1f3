// Instants and calendar dates. The engine never reads a clock: "now" is always an argument.
// All calendar arithmetic is on UTC dates (see docs/deadlines in workflows/README.md).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace samspil {

using Timestamp = std::chrono::sys_seconds;  // an instant, second precision, UTC
using Date = std::chrono::sys_days;          // a calendar date

// "2026-11-23T14:05:00Z". Accepts a fractional part and a "+hh:mm"/"-hh:mm" offset on input.
std::optional<Timestamp> ParseTimestamp(std::string_view text);
std::string FormatTimestamp(Timestamp t);

// "YYYY-MM-DD", strictly (a valid calendar date, four-digit year).
std::optional<Date> ParseDate(std::string_view text);
std::string FormatDate(Date d);

inline Date DateOf(Timestamp t) { return std::chrono::floor<std::chrono::days>(t); }

// Full years lived on `on` by someone born on `birth` (birthday counts from that day;
// 29 February birthdays count from 1 March in non-leap years).
int AgeInYears(Date birth, Date on);

}  // namespace samspil
