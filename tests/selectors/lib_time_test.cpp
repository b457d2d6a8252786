// tests/selectors/lib_time_test.cpp -- CEL durations and timestamps (google.protobuf.Duration,
// google.protobuf.Timestamp) as cel-go v0.27.0 evaluates them. Rows restate as facts the
// cel-spec conformance file tests/simple/testdata/timestamps.textproto (by section/test
// name), cel-go's common/types/timestamp_test.go and duration_test.go (by test function),
// written as CEL expressions; rows named "ours" pin Go behaviour (time.ParseDuration,
// time.Parse with time.RFC3339, time.LoadLocation, strconv.Atoi) that those do not reach.
// Kubernetes (1.29+) validates literal arguments of duration() and timestamp() after type
// checking (cel.ValidateDurationLiterals, cel.ValidateTimestampLiterals): "invalid duration
// argument"; other constant conversions are folded when the program is built, so their
// failures are compile errors too ("program instantiation failed: <cel-go's error>").
// Time zone rows read the system's zoneinfo (Debian/Ubuntu package tzdata).
#include <catch2/catch.hpp>

#include "render/cel.hpp"
#include "selectors/cel_test_util.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {

using testing::check_cases;
using testing::run_cel;

TEST_CASE("selectors: durations and timestamps (cel-spec timestamps.textproto)", "[selectors]") {
  check_cases({
      // timestamp_conversions
      {"toInt_timestamp", "int(timestamp('2009-02-13T23:31:30Z'))", "1234567890"},
      {"toString_timestamp", "string(timestamp('2009-02-13T23:31:30Z'))",
       R"("2009-02-13T23:31:30Z")"},
      {"toString_timestamp_nanos", "string(timestamp('9999-12-31T23:59:59.999999999Z'))",
       R"("9999-12-31T23:59:59.999999999Z")"},
      {"toType_timestamp", "type(timestamp('2009-02-13T23:31:30Z'))", "google.protobuf.Timestamp"},
      {"type_comparison", "google.protobuf.Timestamp == type(timestamp('2009-02-13T23:31:30Z'))",
       "true"},
      // duration_conversions
      {"toString_duration", "string(duration('1000000s'))", R"("1000000s")"},
      {"toType_duration", "type(duration('1000000s'))", "google.protobuf.Duration"},
      {"type_comparison", "google.protobuf.Duration == type(duration('1000000s'))", "true"},
      // timestamp_selectors
      {"getDate", "timestamp('2009-02-13T23:31:30Z').getDate()", "13"},
      {"getDayOfMonth", "timestamp('2009-02-13T23:31:30Z').getDayOfMonth()", "12"},
      {"getDayOfWeek", "timestamp('2009-02-13T23:31:30Z').getDayOfWeek()", "5"},
      {"getDayOfYear", "timestamp('2009-02-13T23:31:30Z').getDayOfYear()", "43"},
      {"getFullYear", "timestamp('2009-02-13T23:31:30Z').getFullYear()", "2009"},
      {"getHours", "timestamp('2009-02-13T23:31:30Z').getHours()", "23"},
      {"getMilliseconds", "timestamp('2009-02-13T23:31:20.123456789Z').getMilliseconds()", "123"},
      {"getMinutes", "timestamp('2009-02-13T23:31:30Z').getMinutes()", "31"},
      {"getMonth", "timestamp('2009-02-13T23:31:30Z').getMonth()", "1"},
      {"getSeconds", "timestamp('2009-02-13T23:31:30Z').getSeconds()", "30"},
      // timestamp_selectors_tz
      {"getDate tz", "timestamp('2009-02-13T23:31:30Z').getDate('Australia/Sydney')", "14"},
      {"getDayOfMonth_name_pos", "timestamp('2009-02-13T23:31:30Z').getDayOfMonth('US/Central')",
       "12"},
      {"getDayOfMonth_numerical_pos", "timestamp('2009-02-13T23:31:30Z').getDayOfMonth('+11:00')",
       "13"},
      {"getDayOfMonth_numerical_neg", "timestamp('2009-02-13T02:00:00Z').getDayOfMonth('-02:30')",
       "11"},
      {"getDayOfMonth_name_neg",
       "timestamp('2009-02-13T02:00:00Z').getDayOfMonth('America/St_Johns')", "11"},
      {"getDayOfWeek tz", "timestamp('2009-02-13T23:31:30Z').getDayOfWeek('UTC')", "5"},
      {"getDayOfYear tz", "timestamp('2009-02-13T23:31:30Z').getDayOfYear('US/Central')", "43"},
      {"getFullYear tz", "timestamp('2009-02-13T23:31:30Z').getFullYear('-09:30')", "2009"},
      {"getHours tz", "timestamp('2009-02-13T23:31:30Z').getHours('02:00')", "1"},
      {"getMinutes tz", "timestamp('2009-02-13T23:31:30Z').getMinutes('Asia/Kathmandu')", "16"},
      {"getMonth tz", "timestamp('2009-02-13T23:31:30Z').getMonth('UTC')", "1"},
      {"getSeconds tz", "timestamp('2009-02-13T23:31:30Z').getSeconds('-00:00')", "30"},
      // timestamp_equality
      {"eq_same", "timestamp('2009-02-13T23:31:30Z') == timestamp('2009-02-13T23:31:30Z')", "true"},
      {"eq_diff", "timestamp('2009-02-13T23:31:29Z') == timestamp('2009-02-13T23:31:30Z')",
       "false"},
      {"neq_same", "timestamp('1945-05-07T02:41:00Z') != timestamp('1945-05-07T02:41:00Z')",
       "false"},
      {"neq_diff", "timestamp('2000-01-01T00:00:00Z') != timestamp('2001-01-01T00:00:00Z')",
       "true"},
      // duration_equality
      {"eq_same", "duration('123s') == duration('123s')", "true"},
      {"eq_diff", "duration('60s') == duration('3600s')", "false"},
      {"neq_same", "duration('604800s') != duration('604800s')", "false"},
      {"neq_diff", "duration('86400s') != duration('86164s')", "true"},
      // timestamp_arithmetic
      {"add_duration_to_time",
       "timestamp('2009-02-13T23:00:00Z') + duration('240s') == timestamp('2009-02-13T23:04:00Z')",
       "true"},
      {"add_time_to_duration",
       "duration('120s') + timestamp('2009-02-13T23:01:00Z') == timestamp('2009-02-13T23:03:00Z')",
       "true"},
      {"add_duration_to_duration", "duration('600s') + duration('50s') == duration('650s')",
       "true"},
      {"add_time_to_duration_nanos_negative",
       "timestamp('0001-01-01T00:00:01.000000001Z') + duration('-999999999ns') == "
       "timestamp('0001-01-01T00:00:00.000000002Z')",
       "true"},
      {"add_time_to_duration_nanos_positive",
       "timestamp('0001-01-01T00:00:01.999999999Z') + duration('999999999ns') == "
       "timestamp('0001-01-01T00:00:02.999999998Z')",
       "true"},
      {"subtract_duration_from_time",
       "timestamp('2009-02-13T23:10:00Z') - duration('600s') == timestamp('2009-02-13T23:00:00Z')",
       "true"},
      {"subtract_time_from_time",
       "timestamp('2009-02-13T23:31:00Z') - timestamp('2009-02-13T23:29:00Z') == duration('120s')",
       "true"},
      {"subtract_duration_from_duration", "duration('900s') - duration('42s') == duration('858s')",
       "true"},
      // comparisons
      {"leq_timestamp_true",
       "timestamp('2009-02-13T23:00:00Z') <= timestamp('2009-02-13T23:00:00Z')", "true"},
      {"leq_timestamp_false",
       "timestamp('2009-02-13T23:00:00Z') <= timestamp('2009-02-13T22:59:59Z')", "false"},
      {"leq_duration_true", "duration('200s') <= duration('200s')", "true"},
      {"leq_duration_false", "duration('300s') <= duration('200s')", "false"},
      {"less_timestamp_true",
       "timestamp('2009-02-13T23:00:00Z') < timestamp('2009-03-13T23:00:00Z')", "true"},
      {"less_duration_true", "duration('200s') < duration('300s')", "true"},
      {"geq_timestamp_true",
       "timestamp('2009-02-13T23:00:00Z') >= timestamp('2009-02-13T23:00:00Z')", "true"},
      {"geq_timestamp_false",
       "timestamp('2009-02-13T22:58:00Z') >= timestamp('2009-02-13T23:00:00Z')", "false"},
      {"geq_duration_true", "duration('200s') >= duration('200s')", "true"},
      {"geq_duration_false", "duration('120s') >= duration('200s')", "false"},
      {"greater_timestamp_true",
       "timestamp('2009-02-13T23:59:00Z') > timestamp('2009-02-13T23:00:00Z')", "true"},
      {"greater_duration_true", "duration('300s') > duration('200s')", "true"},
      // duration_converters
      {"get_hours", "duration('10000s').getHours()", "2"},
      {"get_minutes", "duration('3730s').getMinutes()", "62"},
      {"get_seconds", "duration('3730s').getSeconds()", "3730"},
      // timestamp_range: cel-spec only asks for an error; cel-go's messages. Literal
      // arguments are rejected by the literal validators.
      {"from_string_under", "timestamp('0000-01-01T00:00:00Z')",
       "check: invalid timestamp argument"},
      {"from_int_under", "timestamp(-62135596801)", "check: invalid timestamp argument"},
      {"from_string_over", "timestamp('10000-01-01T00:00:00Z')",
       "check: invalid timestamp argument"},
      {"from_int_over", "timestamp(253402300800)", "check: invalid timestamp argument"},
      {"add_duration_under", "timestamp('0001-01-01T00:00:00Z') + duration('-1s')",
       "error: timestamp overflow"},
      {"add_duration_over", "timestamp('9999-12-31T23:59:59Z') + duration('1s')",
       "error: timestamp overflow"},
      {"add_duration_nanos_over", "timestamp('9999-12-31T23:59:59.999999999Z') + duration('1ns')",
       "error: timestamp overflow"},
      {"add_duration_nanos_under", "timestamp('0001-01-01T00:00:00Z') + duration('-1ns')",
       "error: timestamp overflow"},
      {"sub_time_duration_over",
       "timestamp('9999-12-31T23:59:59Z') - timestamp('0001-01-01T00:00:00Z')",
       "error: integer overflow"},
      {"sub_time_duration_under",
       "timestamp('0001-01-01T00:00:00Z') - timestamp('9999-12-31T23:59:59Z')",
       "error: integer overflow"},
      // duration_range: Go durations span about ±292 years, so these literals do not parse.
      {"from_string_under", "duration('-320000000000s')", "check: invalid duration argument"},
      {"from_string_over", "duration('320000000000s')", "check: invalid duration argument"},
      {"add_under", "duration('-200000000000s') + duration('-200000000000s')",
       "check: invalid duration argument"},
      {"add_over", "duration('200000000000s') + duration('200000000000s')",
       "check: invalid duration argument"},
      {"sub_under", "duration('-200000000000s') - duration('200000000000s')",
       "check: invalid duration argument"},
      {"sub_over", "duration('200000000000s') - duration('-200000000000s')",
       "check: invalid duration argument"},
  });
  // duration_converters/get_milliseconds binds x to a Duration message of 123s 321456789ns.
  Activation act;
  act.bind("x", Value::duration(123321456789));
  check_cases({{"get_milliseconds", "x.getMilliseconds()", "123321"}}, act);
}

TEST_CASE("selectors: timestamps (cel-go timestamp_test.go)", "[selectors]") {
  check_cases({
      // TestTimestampConvertToType
      {"TestTimestampConvertToType", "string(timestamp(7654) + duration('321ns'))",
       R"("1970-01-01T02:07:34.000000321Z")"},
      {"TestTimestampConvertToType", "int(timestamp(7654) + duration('321ns'))", "7654"},
      {"TestTimestampConvertToType", "type(timestamp(7654))", "google.protobuf.Timestamp"},
      // TestTimestampOperators
      {"DateAddOneHourMinusOneMilli", "timestamp(3506) + duration('1h') - duration('1ms')",
       R"(timestamp("1970-01-01T01:58:25.999Z"))"},
      {"DateAddOneHourOneNano", "timestamp(3506) + (duration('1h') + duration('1ns'))",
       R"(timestamp("1970-01-01T01:58:26.000000001Z"))"},
      {"MaxTimestampAddOneSecond", "timestamp(253402300799) + duration('1s')",
       "error: timestamp overflow"},
      {"SecondsWithNanosNegative", "timestamp(1) + duration('1ns') + duration('-999999999ns')",
       R"(timestamp("1970-01-01T00:00:00.000000002Z"))"},
      {"SecondsWithNanosPositive",
       "timestamp(1) + duration('999999999ns') + duration('999999999ns')",
       R"(timestamp("1970-01-01T00:00:02.999999998Z"))"},
      {"DateAddDateError", "dyn(timestamp(1)) + dyn(timestamp(1))", "error: no such overload"},
      {"DateCompareEqual", "timestamp(1) == timestamp(1)", "true"},
      {"DateCompareBefore", "timestamp(1) < timestamp(200)", "true"},
      {"DateCompareAfter", "timestamp(1000) > timestamp(200)", "true"},
      {"DateCompareError", "dyn(timestamp(1000)) < dyn(duration('1000ns'))",
       "error: no such overload"},
      {"TimeSubOneSecond", "timestamp(100) - timestamp(1)", R"(duration("99s"))"},
      {"DateSubOneHour", "timestamp(3506) - duration('1h')",
       R"(timestamp("1969-12-31T23:58:26Z"))"},
      {"MinTimestampSubOneSecond", "timestamp(-62135596800) - duration('1s')",
       "error: timestamp overflow"},
      {"MinTimestampSubMinusOneViaNanos",
       "timestamp(-62135596800) + duration('2ns') - duration('-999999999ns')",
       R"(timestamp("0001-01-01T00:00:01.000000001Z"))"},
      {"TimeWithNanosPositive",
       "(timestamp(2) + duration('1ns')) - (timestamp(0) + duration('999999999ns'))",
       R"(duration("1.000000002s"))"},
      {"TimeWithNanosNegative",
       "(timestamp(1) + duration('1ns')) - (timestamp(2) + duration('999999999ns'))",
       // Go's Seconds() is float64(-1) + float64(-999999998)/1e9.
       R"(duration("-1.9999999979999998s"))"},
      {"DateMinusDateDurationOverflow", "timestamp(253402300799) - timestamp(-62135596800)",
       "error: integer overflow"},
      {"DateSubMinDuration", "timestamp(1) - duration('-9223372036854775808ns')",
       "error: integer overflow"},
      // TestTimestampIsZeroValue (through optional.ofNonZeroValue)
      {"TestTimestampIsZeroValue", "optional.ofNonZeroValue(timestamp(0)).hasValue()", "true"},
      {"TestTimestampIsZeroValue",
       "optional.ofNonZeroValue(timestamp('0001-01-01T00:00:00Z')).hasValue()", "false"},
      // TestTimestampGet*: time.Unix(7506, 0) is 1970-01-01T02:05:06Z.
      {"TestTimestampGetDayOfMonth", "timestamp(7506).getDayOfMonth()", "0"},
      {"TestTimestampGetDayOfMonth", "timestamp(7506).getDayOfMonth('America/Phoenix')", "30"},
      {"TestTimestampGetDayOfMonth", "timestamp(7506).getDayOfMonth('-07:00')", "30"},
      {"TestTimestampGetDayOfMonth", "timestamp(7506).getDate()", "1"},
      {"TestTimestampGetDayOfMonth", "timestamp(7506).getDate('America/Phoenix')", "31"},
      {"TestTimestampGetDayOfMonth", "timestamp(7506).getDate('+23:00')", "2"},
      {"TestTimestampGetDayOfYear", "timestamp(7506).getDayOfYear()", "0"},
      {"TestTimestampGetDayOfYear", "timestamp(7506).getDayOfYear('America/Phoenix')", "364"},
      {"TestTimestampGetDayOfYear", "timestamp(7506).getDayOfYear('-07:00')", "364"},
      {"TestTimestampGetFullYear", "timestamp(7506).getFullYear()", "1970"},
      {"TestTimestampGetFullYear", "timestamp(7506).getFullYear('America/Phoenix')", "1969"},
      {"TestTimestampGetMonth", "timestamp(7506).getMonth()", "0"},
      {"TestTimestampGetMonth", "timestamp(7506).getMonth('America/Phoenix')", "11"},
      {"TestTimestampGetDayOfWeek", "timestamp(7506).getDayOfWeek()", "4"},
      {"TestTimestampGetDayOfWeek", "timestamp(7506).getDayOfWeek('America/Phoenix')", "3"},
      {"TestTimestampGetHours", "timestamp(7506).getHours()", "2"},
      {"TestTimestampGetHours", "timestamp(7506).getHours('America/Phoenix')", "19"},
      {"TestTimestampGetMinutes", "timestamp(7506).getMinutes()", "5"},
      {"TestTimestampGetMinutes", "timestamp(7506).getMinutes('America/Phoenix')", "5"},
      {"TestTimestampGetSeconds", "timestamp(7506).getSeconds()", "6"},
      {"TestTimestampGetSeconds", "timestamp(7506).getSeconds('America/Phoenix')", "6"},
      {"TestTimestampGetMilliseconds", "(timestamp(7506) + duration('1ms')).getMilliseconds()",
       "1"},
      {"TestTimestampGetMilliseconds",
       "(timestamp(7506) + duration('1ms')).getMilliseconds('America/Phoenix')", "1"},
  });
}

TEST_CASE("selectors: durations (cel-go duration_test.go)", "[selectors]") {
  check_cases({
      // TestDurationOperators
      {"DurationAddSelf", "duration('7506s') + duration('7506s')", R"(duration("15012s"))"},
      {"DurationMaxAddOneNano", "duration('9223372036854775807ns') + duration('1ns')",
       "error: integer overflow"},
      {"DurationMaxAddOneSecond", "duration('9223372036854775807ns') + duration('1s')",
       "error: integer overflow"},
      {"DurationMinAddMinusOneSecond", "duration('-9223372036854775808ns') + duration('-1s')",
       "error: integer overflow"},
      {"DurationSubSelf", "duration('7506s') - duration('7506s')", R"(duration("0s"))"},
      {"DurationMaxSubMinusOneNano", "duration('9223372036854775807ns') - duration('-1ns')",
       "error: integer overflow"},
      {"DurationMinSubOneNano", "duration('-9223372036854775808ns') - duration('1ns')",
       "error: integer overflow"},
      // TestDurationCompare
      {"TestDurationCompare", "duration('7506s') < duration('7507s')", "true"},
      {"TestDurationCompare", "dyn(duration('7506s')) < dyn(1)", "error: no such overload"},
      // TestDurationConvertToType_Identity: duration(7506, 1000)
      {"TestDurationConvertToType_Identity", "string(duration('7506.000001s'))",
       R"("7506.000001s")"},
      {"TestDurationConvertToType_Identity", "int(duration('7506.000001s'))", "7506000001000"},
      {"TestDurationConvertToType_Identity", "type(duration('7506.000001s'))",
       "google.protobuf.Duration"},
      {"TestDurationConvertToType_Identity", "duration(duration('7506.000001s'))",
       R"(duration("7506.000001s"))"},
      // TestDurationNegate (negation of a duration type-checks only through dyn)
      {"TestDurationNegate", "-dyn(duration('7506.000001s'))", R"(duration("-7506.000001s"))"},
      {"TestDurationNegate", "-dyn(duration('-9223372036854775808ns'))", "error: integer overflow"},
      {"TestDurationNegate", "-dyn(duration('9223372036854775807ns'))",
       R"(duration("-9223372036.854776s"))"},
      // TestDurationGet*: duration(7506, 0)
      {"TestDurationGetHours", "duration('7506s').getHours()", "2"},
      {"TestDurationGetMinutes", "duration('7506s').getMinutes()", "125"},
      {"TestDurationGetSeconds", "duration('7506s').getSeconds()", "7506"},
      {"TestDurationGetMilliseconds", "duration('7506s').getMilliseconds()", "7506000"},
      // TestDurationIsZeroValue
      {"TestDurationIsZeroValue", "optional.ofNonZeroValue(duration('0s')).hasValue()", "false"},
      {"TestDurationIsZeroValue", "optional.ofNonZeroValue(duration('1ns')).hasValue()", "true"},
  });
}

TEST_CASE("selectors: duration and timestamp conversions (Go parsing and text forms)",
          "[selectors]") {
  check_cases({
      // time.ParseDuration
      {"ours", "duration('1h2m3s')", R"(duration("3723s"))"},
      {"ours", "duration('1.5h') == duration('90m')", "true"},
      {"ours", "duration('0')", R"(duration("0s"))"},
      {"ours", "duration('-0')", R"(duration("0s"))"},
      {"ours", "duration('+5s')", R"(duration("5s"))"},
      {"ours", "duration('.5s')", R"(duration("0.5s"))"},
      {"ours", "duration('5.s')", R"(duration("5s"))"},
      {"ours", "duration('1us') == duration('1µs')", "true"},
      {"ours", "duration('1μs')", R"(duration("0.000001s"))"},
      {"ours", "duration('-1.5ms')", R"(duration("-0.0015s"))"},
      {"ours", "duration('1h1h')", R"(duration("7200s"))"},
      {"ours", "duration('2562047h47m16.854775807s')", R"(duration("9223372036.854776s"))"},
      {"ours", "int(duration('-9223372036854775808ns'))", "-9223372036854775808"},
      {"ours", "duration('9223372036854775808ns')", "check: invalid duration argument"},
      {"ours", "duration('2562048h')", "check: invalid duration argument"},
      {"ours", "duration('')", "check: invalid duration argument"},
      {"ours", "duration('1')", "check: invalid duration argument"},
      {"ours", "duration('1d')", "check: invalid duration argument"},
      {"ours", "duration('.s')", "check: invalid duration argument"},
      {"ours", "duration(' 1s')", "check: invalid duration argument"},
      // duration(int) is declared, but cel-go's Int has no conversion to Duration.
      {"ours", "duration(1)", "check: invalid duration argument"},
      {"ours", "int(duration('1h'))", "3600000000000"},
      {"ours", "string(duration('1h'))", R"("3600s")"},
      {"ours", "string(duration('-1ns'))", R"("-0.000000001s")"},
      // time.Parse(time.RFC3339, s)
      {"ours", "timestamp('2009-02-13T23:31:30+01:00')", R"(timestamp("2009-02-13T22:31:30Z"))"},
      {"ours", "string(timestamp('2009-02-13T23:31:30.5+01:00'))",
       R"("2009-02-13T23:31:30.5+01:00")"},
      {"ours", "string(timestamp('2009-02-13T23:31:30-00:00'))", R"("2009-02-13T23:31:30Z")"},
      {"ours", "string(timestamp('2009-02-13T23:31:30+01:00') + duration('1h'))",
       R"("2009-02-14T00:31:30+01:00")"},
      {"ours", "timestamp('2009-02-13T23:31:30+01:00').getHours()", "22"},
      {"ours", "timestamp('2009-02-13T23:31:30.1234567891Z')",
       R"(timestamp("2009-02-13T23:31:30.123456789Z"))"},
      {"ours", "timestamp('2009-02-13T23:31:30,25Z')", R"(timestamp("2009-02-13T23:31:30.25Z"))"},
      {"ours", "timestamp('2009-02-13T3:31:30Z')", R"(timestamp("2009-02-13T03:31:30Z"))"},
      {"ours", "timestamp('2009-02-13T23:31:30+24:00')", R"(timestamp("2009-02-12T23:31:30Z"))"},
      {"ours", "timestamp('2009-02-13T23:31:30+01:60')", R"(timestamp("2009-02-13T21:31:30Z"))"},
      {"ours", "timestamp('2009-02-13T23:31:30+01:61')", "check: invalid timestamp argument"},
      {"ours", "int(timestamp('1969-12-31T23:59:59.5Z'))", "-1"},
      {"ours", "timestamp('2008-02-29T00:00:00Z').getDayOfYear()", "59"},
      {"ours", "timestamp('2009-02-29T00:00:00Z')", "check: invalid timestamp argument"},
      {"ours", "timestamp('2009-02-13t23:31:30Z')", "check: invalid timestamp argument"},
      {"ours", "timestamp('2009-02-13T23:31:30')", "check: invalid timestamp argument"},
      {"ours", "timestamp('2009-02-13T24:00:00Z')", "check: invalid timestamp argument"},
      {"ours", "timestamp('2009-02-13 23:31:30Z')", "check: invalid timestamp argument"},
      {"ours", "timestamp('2009-02-13T23:31:30.Z')", "check: invalid timestamp argument"},
      {"ours", "timestamp('9999-12-31T23:59:59-01:00')", "check: invalid timestamp argument"},
      {"ours", "timestamp('2009-02-13T23:31:30+25:00')", "check: invalid timestamp argument"},
      {"ours", "duration('x' + 's')",
       "error: type conversion error from 'string' to "
       "'google.protobuf.Duration'"},
      {"ours", "timestamp('0000-01-01T00:00:00' + 'Z')", "error: timestamp overflow"},
      {"ours", "timestamp(253402300799 + 1)", "error: timestamp overflow"},
      {"ours", "duration(dyn('x'))",
       "check: program instantiation failed: type conversion error from 'string' to "
       "'google.protobuf.Duration'"},
      {"ours", "timestamp(timestamp(0))", R"(timestamp("1970-01-01T00:00:00Z"))"},
      {"ours", "timestamp(-62135596800)", R"(timestamp("0001-01-01T00:00:00Z"))"},
      // Equality with other kinds is false, ordering is no overload.
      {"ours", "dyn(duration('1s')) == dyn(1)", "false"},
      {"ours", "dyn(timestamp(1)) == dyn(duration('1s'))", "false"},
      {"ours", "[duration('1s'), duration('2s')].exists(d, d == duration('2000ms'))", "true"},
      {"ours", "dyn(timestamp(1)) - dyn(1)", "error: no such overload"},
      {"ours", "google.protobuf.Duration", "google.protobuf.Duration"},
      {"ours", "type(google.protobuf.Timestamp)", "type"},
  });
}

TEST_CASE("selectors: timestamp getters with time zones (Go time.LoadLocation)", "[selectors]") {
  check_cases({
      // The TZif transitions, then the POSIX rule of the file's footer for later times.
      {"ours", "timestamp('2009-07-01T12:00:00Z').getHours('America/Los_Angeles')", "5"},
      {"ours", "timestamp('2009-12-01T12:00:00Z').getHours('America/Los_Angeles')", "4"},
      {"ours", "timestamp('2300-07-01T12:00:00Z').getHours('America/Los_Angeles')", "5"},
      {"ours", "timestamp('2300-12-01T12:00:00Z').getHours('America/Los_Angeles')", "4"},
      {"ours", "timestamp('2300-01-15T12:00:00Z').getHours('Australia/Sydney')", "23"},
      {"ours", "timestamp('2300-07-15T12:00:00Z').getHours('Australia/Sydney')", "22"},
      {"ours", "timestamp('1800-01-01T12:00:00Z').getMinutes('Europe/Berlin')", "53"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('')", "23"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('Etc/GMT-3')", "2"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('Foo/Bar')",
       "error: unknown time zone Foo/Bar"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('utc')", "error: unknown time zone utc"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('../etc/passwd')",
       "error: time: invalid location name"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('/etc/localtime')",
       "error: time: invalid location name"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('America')", "error: is a directory"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('zone.tab')",
       "error: malformed time zone information"},
      // Offsets: strconv.Atoi on both sides of the colon; the sign of the hours decides.
      {"ours", "timestamp('2009-02-13T23:31:30Z').getMinutes('+05:30')", "1"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getMinutes('-05:30')", "1"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('-05:30')", "18"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('5:0')", "4"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('x:00')",
       R"(error: strconv.Atoi: parsing "x": invalid syntax)"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('01:')",
       R"(error: strconv.Atoi: parsing "": invalid syntax)"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('01:00:00')",
       R"(error: strconv.Atoi: parsing "00:00": invalid syntax)"},
      {"ours", "timestamp('2009-02-13T23:31:30Z').getHours('99999999999999999999:00')",
       R"(error: strconv.Atoi: parsing "99999999999999999999": value out of range)"},
  });
}

TEST_CASE("selectors: duration and timestamp runtime cost", "[selectors]") {
  // cel-go charges 1 for every duration and timestamp function; Kubernetes' estimator
  // leaves duration and timestamp to the default.
  for (std::string_view fn : {"duration", "timestamp", "getHours", "getFullYear"}) {
    const Function* f = find_function(fn);
    REQUIRE(f != nullptr);
    for (const Overload& o : f->overloads) {
      INFO(o.decl->id);
      CHECK(o.decl->cost == nullptr);
      CHECK(o.decl->estimate == nullptr);
      CHECK(o.decl->impl != nullptr);
    }
  }
  CHECK(run_cel("timestamp('2009-02-13T23:31:30Z').getHours('UTC')") == "23");
}

TEST_CASE("selectors: durations and timestamps in cel eval -o json", "[selectors]") {
  // The value is cel-go's string() of it: seconds for durations, RFC 3339 for timestamps
  // (in the offset the timestamp was written with, as string() keeps it).
  CHECK(render::cel_result_json(Value::duration(3600'000'000'000)) ==
        R"({"type": "google.protobuf.Duration", "value": "3600s"})");
  CHECK(render::cel_result_json(Value::timestamp({1234567890, 500000000, 3600})) ==
        R"({"type": "google.protobuf.Timestamp", "value": "2009-02-14T00:31:30.5+01:00"})");
  CHECK(to_debug_string(Value::timestamp({1234567890, 500000000, 3600})) ==
        R"(timestamp("2009-02-13T23:31:30.5Z"))");
}

}  // namespace dra::selectors

namespace dra::selectors {

TEST_CASE("selectors: durations and timestamps in the list libraries", "[selectors]") {
  // Kubernetes' lists library declares isSorted/min/max for durations and timestamps and
  // sum for durations (apiserver pkg/cel/library/lists.go, c9f9cf747e61); cel-go's sort and
  // distinct order them as Comparers.
  check_cases({
      {"lists.go", "[duration('1s'), duration('3s')].sum() == duration('4s')", "true"},
      {"lists.go", "[duration('1s'), duration('3s'), duration('2s')].max()", "duration(\"3s\")"},
      {"lists.go", "[duration('1s'), duration('3s'), duration('2s')].min()", "duration(\"1s\")"},
      {"lists.go", "[duration('1s'), duration('2s')].isSorted()", "true"},
      {"lists.go",
       "[timestamp('2024-01-02T00:00:00Z'), timestamp('2024-01-01T00:00:00Z')].isSorted()",
       "false"},
      {"lists.go",
       "[timestamp('2024-01-02T00:00:00Z'), timestamp('2024-01-01T00:00:00Z')].max() == "
       "timestamp('2024-01-02T00:00:00Z')",
       "true"},
      {"ext lists", "[duration('2s'), duration('1s')].sort() == [duration('1s'), duration('2s')]",
       "true"},
      {"lists.go", "[duration('9223372036s'), duration('1s')].sum()", "error: integer overflow"},
  });
}

}  // namespace dra::selectors
