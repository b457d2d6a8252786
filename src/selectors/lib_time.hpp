// src/selectors/lib_time.hpp -- CEL durations and timestamps (google.protobuf.Duration,
// google.protobuf.Timestamp) as cel-go v0.27.0 evaluates them: conversions, arithmetic,
// ordering and the timestamp/duration getters, time zones read from the system's TZif
// files (/usr/share/zoneinfo, as Go's time.LoadLocation reads them).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "selectors/value.hpp"

namespace dra::selectors {

// cel-go's text of a duration: seconds in Go's shortest decimal form and "s": "3600s",
// "0.000000001s", "-1.5s".
std::string format_duration(int64_t nanoseconds);
// Go's RFC3339Nano text in the timestamp's own offset: "2009-02-13T23:31:30.5Z",
// "2009-02-13T23:31:30+01:00".
std::string format_timestamp(const TimestampValue& t);

// Operators on durations and timestamps: the result, cel-go's error ("integer overflow",
// "timestamp overflow"), or "no such overload" for operand kinds cel-go does not combine.
bool is_time_kind(const Value& v);
Value time_add(const Value& a, const Value& b);       // precondition: one is a time kind
Value time_subtract(const Value& a, const Value& b);  // precondition: one is a time kind
Value duration_negate(const Value& d);                // precondition: a duration
// -1, 0, 1; or 3 when the kinds differ (no such overload). Precondition: a is a time kind.
int time_compare(const Value& a, const Value& b);

// The implementations of the standard overloads (lib_standard.cpp's table).
Value duration_convert(std::span<const Value> args);   // duration(duration|int|string)
Value timestamp_convert(std::span<const Value> args);  // timestamp(timestamp|int|string)
Value time_to_int(std::span<const Value> args);        // int(duration|timestamp)
Value time_to_string(std::span<const Value> args);     // string(duration|timestamp)
Value timestamp_get_full_year(std::span<const Value> args);
Value timestamp_get_month(std::span<const Value> args);
Value timestamp_get_day_of_year(std::span<const Value> args);
Value timestamp_get_day_of_month(std::span<const Value> args);
Value timestamp_get_date(std::span<const Value> args);
Value timestamp_get_day_of_week(std::span<const Value> args);
Value timestamp_get_hours(std::span<const Value> args);
Value timestamp_get_minutes(std::span<const Value> args);
Value timestamp_get_seconds(std::span<const Value> args);
Value timestamp_get_milliseconds(std::span<const Value> args);
Value duration_get_hours(std::span<const Value> args);
Value duration_get_minutes(std::span<const Value> args);
Value duration_get_seconds(std::span<const Value> args);
Value duration_get_milliseconds(std::span<const Value> args);

}  // namespace dra::selectors
