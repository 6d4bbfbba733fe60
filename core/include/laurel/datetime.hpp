// ISO 8601 date-times as Open Badges and Badgr use them, without the C library's time zones.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace laurel {

/// Seconds since 1970-01-01T00:00:00Z for "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.fff...]]" with
/// "Z", "+HH:MM", "-HH:MM" or "+HHMM" (no offset means UTC). nullopt for anything else,
/// including impossible dates (Feb 30) and years outside 1..9999.
std::optional<std::int64_t> parse_datetime(std::string_view text);

/// "YYYY-MM-DDTHH:MM:SSZ".
std::string format_datetime(std::int64_t epoch_seconds);

/// The current time in seconds since the epoch.
std::int64_t now_seconds();
std::uint64_t now_millis();

/// Canonical UTC form of an ISO 8601 date-time, or nullopt if it does not parse. A fraction of a
/// second given is kept as milliseconds ("2025-04-25T10:22:36.167Z"); none given, none shown.
std::optional<std::string> normalize_datetime(std::string_view text);

/// `start` plus `amount` days|weeks|months|years (months and years on the calendar, the day
/// clamped to the month's end). nullopt for an unknown unit.
std::optional<std::int64_t> add_duration(std::int64_t start, std::int64_t amount,
                                         std::string_view unit);

}  // namespace laurel
