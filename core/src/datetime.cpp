#include "laurel/datetime.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace laurel {
namespace {

// Howard Hinnant's days_from_civil / civil_from_days: exact for the proleptic Gregorian calendar.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
}

// A moment split into its calendar date and the seconds since that day's midnight (UTC).
struct CivilMoment {
  std::int64_t year;
  unsigned month;
  unsigned day;
  std::int64_t seconds_of_day;
};

CivilMoment split_moment(std::int64_t epoch_seconds) {
  std::int64_t days = epoch_seconds / 86400;
  std::int64_t rest = epoch_seconds % 86400;
  if (rest < 0) {  // floor division for moments before 1970
    rest += 86400;
    --days;
  }
  CivilMoment moment{0, 0, 0, rest};
  civil_from_days(days, moment.year, moment.month, moment.day);
  return moment;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `count` digits at `pos`.
bool digits(std::string_view text, std::size_t& pos, int count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (int i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos < text.size() && text[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

// A parsed date-time: the second, and the milliseconds when the text gave a fraction (truncated
// to milliseconds: Badgr and OB 3.0 clients write at most three digits).
struct Moment {
  std::int64_t seconds;
  int millis;
  bool has_fraction;
};

std::optional<Moment> parse_moment(std::string_view text) {
  std::size_t pos = 0;
  int year, month, day, hour = 0, minute = 0, second = 0, millis = 0;
  bool has_fraction = false;
  if (!digits(text, pos, 4, year) || !expect(text, pos, '-') || !digits(text, pos, 2, month) ||
      !expect(text, pos, '-') || !digits(text, pos, 2, day)) {
    return std::nullopt;
  }
  if (year < 1 || month < 1 || month > 12 || day < 1 || unsigned(day) > days_in_month(year, month)) {
    return std::nullopt;
  }
  std::int64_t offset = 0;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != 't' && text[pos] != ' ') return std::nullopt;
    ++pos;
    if (!digits(text, pos, 2, hour) || !expect(text, pos, ':') || !digits(text, pos, 2, minute)) {
      return std::nullopt;
    }
    if (expect(text, pos, ':')) {
      if (!digits(text, pos, 2, second)) return std::nullopt;
      if (expect(text, pos, '.')) {
        std::size_t start = pos;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (pos - start < 3) millis = millis * 10 + (text[pos] - '0');
          ++pos;
        }
        if (pos == start) return std::nullopt;
        for (std::size_t shown = pos - start; shown < 3; ++shown) millis *= 10;
        has_fraction = true;
      }
    }
    if (hour > 23 || minute > 59 || second > 60) return std::nullopt;  // 60: leap second
    if (pos < text.size()) {
      char sign = text[pos];
      if (sign == 'Z' || sign == 'z') {
        ++pos;
      } else if (sign == '+' || sign == '-') {
        ++pos;
        int offset_hours, offset_minutes;
        if (!digits(text, pos, 2, offset_hours)) return std::nullopt;
        expect(text, pos, ':');
        if (!digits(text, pos, 2, offset_minutes)) return std::nullopt;
        if (offset_hours > 23 || offset_minutes > 59) return std::nullopt;
        offset = (offset_hours * 3600 + offset_minutes * 60) * (sign == '+' ? 1 : -1);
      } else {
        return std::nullopt;
      }
    }
  }
  if (pos != text.size()) return std::nullopt;
  return Moment{days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second -
                    offset,
                millis, has_fraction};
}

}  // namespace

std::optional<std::int64_t> parse_datetime(std::string_view text) {
  auto moment = parse_moment(text);
  if (!moment) return std::nullopt;
  return moment->seconds;
}

std::string format_datetime(std::int64_t epoch_seconds) {
  CivilMoment moment = split_moment(epoch_seconds);
  const std::int64_t rest = moment.seconds_of_day;
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                static_cast<long long>(moment.year), moment.month, moment.day, int(rest / 3600),
                int(rest / 60 % 60), int(rest % 60));
  return buffer;
}

std::uint64_t now_millis() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

std::int64_t now_seconds() { return static_cast<std::int64_t>(now_millis() / 1000); }

std::optional<std::string> normalize_datetime(std::string_view text) {
  auto moment = parse_moment(text);
  if (!moment) return std::nullopt;
  if (!moment->has_fraction) return format_datetime(moment->seconds);
  // Timestamps keep the precision given: "...:36.167Z" stays "...:36.167Z".
  std::string text_form = format_datetime(moment->seconds);
  char millis[8];
  std::snprintf(millis, sizeof millis, ".%03d", moment->millis);
  text_form.insert(text_form.size() - 1, millis);
  return text_form;
}

std::optional<std::int64_t> add_duration(std::int64_t start, std::int64_t amount,
                                         std::string_view unit) {
  if (unit == "days") return start + amount * 86400;
  if (unit == "weeks") return start + amount * 7 * 86400;
  std::int64_t months;
  if (unit == "months") {
    months = amount;
  } else if (unit == "years") {
    months = amount * 12;
  } else {
    return std::nullopt;
  }
  CivilMoment moment = split_moment(start);
  std::int64_t month_index = moment.year * 12 + (moment.month - 1) + months;
  std::int64_t new_year = month_index >= 0 ? month_index / 12 : (month_index - 11) / 12;
  unsigned new_month = static_cast<unsigned>(month_index - new_year * 12) + 1;
  unsigned new_day = std::min(moment.day, days_in_month(new_year, new_month));
  return days_from_civil(new_year, new_month, new_day) * 86400 + moment.seconds_of_day;
}

}  // namespace laurel
