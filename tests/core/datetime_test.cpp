#include "laurel/datetime.hpp"

#include <gtest/gtest.h>

namespace laurel {
namespace {

TEST(DateTime, ParsesUtcOffsetsAndDates) {
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parse_datetime("1970-01-02"), 86400);
  EXPECT_EQ(parse_datetime("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(parse_datetime("1970-01-01T00:00:00.123456-0100"), 3600);
  EXPECT_EQ(format_datetime(*parse_datetime("2024-02-29T23:30:00+01:00")), "2024-02-29T22:30:00Z");
}

TEST(DateTime, RefusesImpossibleDatesAndJunk) {
  EXPECT_FALSE(parse_datetime("2023-02-29"));
  EXPECT_FALSE(parse_datetime("2024-13-01"));
  EXPECT_FALSE(parse_datetime("2024-01-01T24:00:00Z"));
  EXPECT_FALSE(parse_datetime("2024-01-01T10:00:00Zjunk"));
  EXPECT_FALSE(parse_datetime("yesterday"));
  EXPECT_FALSE(parse_datetime(""));
}

TEST(DateTime, FormatsRoundTrip) {
  for (std::int64_t seconds : {0LL, 951782400LL, 1700000000LL, 4102444799LL}) {
    EXPECT_EQ(parse_datetime(format_datetime(seconds)), seconds);
  }
}

// Issue 13: Badgr's issuedOn "2025-04-25T10:22:36.167Z" came back without its milliseconds.
TEST(DateTime, NormalizingKeepsTheMillisecondsGiven) {
  EXPECT_EQ(normalize_datetime("2025-04-25T10:22:36.167Z"), "2025-04-25T10:22:36.167Z");
  EXPECT_EQ(normalize_datetime("2025-04-25T11:22:36.1+01:00"), "2025-04-25T10:22:36.100Z");
  EXPECT_EQ(normalize_datetime("2025-04-25T10:22:36.123456Z"), "2025-04-25T10:22:36.123Z");
  EXPECT_EQ(normalize_datetime("2025-04-25T10:22:36Z"), "2025-04-25T10:22:36Z");
  EXPECT_EQ(normalize_datetime("2025-04-25"), "2025-04-25T00:00:00Z");
}

TEST(DateTime, AddsCalendarMonthsClampingTheDay) {
  auto start = *parse_datetime("2024-01-31T10:00:00Z");
  EXPECT_EQ(format_datetime(*add_duration(start, 1, "months")), "2024-02-29T10:00:00Z");
  EXPECT_EQ(format_datetime(*add_duration(start, 1, "years")), "2025-01-31T10:00:00Z");
  EXPECT_EQ(format_datetime(*add_duration(start, 2, "weeks")), "2024-02-14T10:00:00Z");
  EXPECT_EQ(format_datetime(*add_duration(start, 30, "days")), "2024-03-01T10:00:00Z");
  EXPECT_FALSE(add_duration(start, 1, "fortnights"));
}

}  // namespace
}  // namespace laurel
