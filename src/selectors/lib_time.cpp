// src/selectors/lib_time.cpp -- durations and timestamps as cel-go v0.27.0 evaluates them
// (common/types/duration.go, timestamp.go, overflow.go, string.go, int.go): Go's
// time.ParseDuration and time.Parse(time.RFC3339, ...) acceptance, Go's text forms, the
// checked arithmetic and its errors, and the getters with time zones loaded as Go's
// time.LoadLocation loads them (TZif files under /usr/share/zoneinfo, their POSIX TZ
// footer for times after the last transition).
#include "selectors/lib_time.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace dra::selectors {
namespace {

constexpr int64_t kSecond = 1000000000;
constexpr int64_t kMinUnix = -62135596800;  // 0001-01-01T00:00:00Z
constexpr int64_t kMaxUnix = 253402300799;  // 9999-12-31T23:59:59Z

const char kDurationType[] = "google.protobuf.Duration";
const char kTimestampType[] = "google.protobuf.Timestamp";

Value no_overload() { return Value::error("no such overload"); }
Value int_overflow() { return Value::error("integer overflow"); }
Value timestamp_overflow() { return Value::error("timestamp overflow"); }

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t floor_mod(int64_t a, int64_t b) { return a - floor_div(a, b) * b; }

// ---- the proleptic Gregorian calendar

bool is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

int days_in_month(int m, int64_t y) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// Days since 1970-01-01 of a civil date (month 1..12, day 1..31).
int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = floor_div(y, 400);
  const int64_t yoe = y - era * 400;                          // 0..399
  const int64_t mp = m > 2 ? m - 3 : m + 9;                   // March-based month
  const int64_t doy = (153 * mp + 2) / 5 + d - 1;             // 0..365
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;  // 0..146096
  return era * 146097 + doe - 719468;
}

struct Civil {
  int64_t year;
  int month;  // 1..12
  int day;    // 1..31
  int yday;   // 0..365
  int wday;   // 0 = Sunday
  int hour, minute, second;
};

Civil civil_from_seconds(int64_t secs) {
  const int64_t days = floor_div(secs, 86400);
  const int64_t rem = secs - days * 86400;
  const int64_t z = days + 719468;
  const int64_t era = floor_div(z, 146097);
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  Civil c{};
  c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  c.year = yoe + era * 400 + (c.month <= 2);
  c.yday = static_cast<int>(days - days_from_civil(c.year, 1, 1));
  c.wday = static_cast<int>(floor_mod(days + 4, 7));
  c.hour = static_cast<int>(rem / 3600);
  c.minute = static_cast<int>(rem / 60 % 60);
  c.second = static_cast<int>(rem % 60);
  return c;
}

// ---- Go's time.ParseDuration

std::optional<int64_t> parse_duration(std::string_view s) {
  constexpr uint64_t kLimit = uint64_t(1) << 63;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  uint64_t total = 0;
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  while (!s.empty()) {
    if (!(s[0] == '.' || digit(s[0]))) return std::nullopt;
    uint64_t v = 0;
    size_t i = 0;
    for (; i < s.size() && digit(s[i]); ++i) {
      if (v > kLimit / 10) return std::nullopt;
      v = v * 10 + static_cast<uint64_t>(s[i] - '0');
      if (v > kLimit) return std::nullopt;
    }
    const bool pre = i > 0;
    s.remove_prefix(i);
    uint64_t f = 0;
    double scale = 1;
    bool post = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t j = 0;
      bool overflow = false;
      for (; j < s.size() && digit(s[j]); ++j) {
        if (overflow) continue;
        if (f > (kLimit - 1) / 10) {
          overflow = true;
          continue;
        }
        const uint64_t y = f * 10 + static_cast<uint64_t>(s[j] - '0');
        if (y > kLimit) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s.remove_prefix(j);
    }
    if (!pre && !post) return std::nullopt;
    size_t u = 0;
    while (u < s.size() && s[u] != '.' && !digit(s[u])) ++u;
    if (u == 0) return std::nullopt;
    const std::string_view unit_text = s.substr(0, u);
    s.remove_prefix(u);
    uint64_t unit;
    if (unit_text == "ns") {
      unit = 1;
    } else if (unit_text == "us" || unit_text == "\xC2\xB5s" || unit_text == "\xCE\xBCs") {
      unit = 1000;
    } else if (unit_text == "ms") {
      unit = 1000000;
    } else if (unit_text == "s") {
      unit = kSecond;
    } else if (unit_text == "m") {
      unit = 60 * kSecond;
    } else if (unit_text == "h") {
      unit = 3600 * kSecond;
    } else {
      return std::nullopt;
    }
    if (v > kLimit / unit) return std::nullopt;
    v *= unit;
    if (f > 0) {
      v += static_cast<uint64_t>(static_cast<double>(f) * (static_cast<double>(unit) / scale));
      if (v > kLimit) return std::nullopt;
    }
    total += v;
    if (total > kLimit) return std::nullopt;
  }
  if (neg) return static_cast<int64_t>(0 - total);
  if (total > kLimit - 1) return std::nullopt;
  return static_cast<int64_t>(total);
}

// ---- Go's time.Parse(time.RFC3339, s): its fast path and, where that fails, its general
// layout parser, which also takes a one-digit hour, a comma before the fraction and
// offsets up to 24:60.

std::optional<TimestampValue> parse_rfc3339(std::string_view s, bool* overflow) {
  auto digit = [&](size_t i) { return i < s.size() && s[i] >= '0' && s[i] <= '9'; };
  size_t p = 0;
  auto num = [&](size_t n, int& out) {
    out = 0;
    for (size_t k = 0; k < n; ++k) {
      if (!digit(p)) return false;
      out = out * 10 + (s[p++] - '0');
    }
    return true;
  };
  auto lit = [&](char c) {
    if (p >= s.size() || s[p] != c) return false;
    ++p;
    return true;
  };
  int year, month, day, hour, minute, second;
  if (!num(4, year) || !lit('-') || !num(2, month) || month < 1 || month > 12 || !lit('-') ||
      !num(2, day) || !lit('T'))
    return std::nullopt;
  if (!digit(p)) return std::nullopt;
  hour = s[p++] - '0';
  if (digit(p)) hour = hour * 10 + (s[p++] - '0');
  if (hour > 23 || !lit(':') || !num(2, minute) || minute > 59 || !lit(':') || !num(2, second) ||
      second > 59)
    return std::nullopt;
  int64_t nanos = 0;
  if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',') && digit(p + 1)) {
    ++p;
    int n = 0;
    while (digit(p)) {
      if (n < 9) nanos = nanos * 10 + (s[p] - '0');
      ++n, ++p;
    }
    for (; n < 9; ++n) nanos *= 10;
  }
  int64_t offset = 0;
  if (lit('Z')) {
  } else {
    if (s.size() - p < 6 || s[p + 3] != ':') return std::nullopt;
    const char sign = s[p++];
    int oh, om;
    if (!num(2, oh)) return std::nullopt;
    ++p;  // ':'
    if (!num(2, om) || oh > 24 || om > 60) return std::nullopt;
    if (sign != '+' && sign != '-') return std::nullopt;
    offset = (oh * 60 + om) * 60;
    if (sign == '-') offset = -offset;
  }
  if (p != s.size()) return std::nullopt;
  if (day < 1 || day > days_in_month(month, year)) return std::nullopt;
  const int64_t secs =
      days_from_civil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  if (secs < kMinUnix || secs > kMaxUnix) {
    *overflow = true;
    return std::nullopt;
  }
  return TimestampValue{secs, static_cast<int32_t>(nanos), static_cast<int32_t>(offset)};
}

// ---- time zones (Go's time.LoadLocation)

struct PosixRule {
  enum Kind { Julian, DayOfYear, MonthWeekDay } kind = MonthWeekDay;
  int day = 0, week = 0, month = 0;
  int64_t time = 7200;  // seconds after local midnight
};

struct PosixZone {
  int64_t std_offset = 0;  // seconds east of UTC
  bool has_dst = false;
  int64_t dst_offset = 0;
  PosixRule start, end;
};

struct Zone {
  std::vector<int64_t> when;    // transition instants
  std::vector<uint8_t> index;   // the zone type from each transition on
  std::vector<int32_t> offset;  // per zone type: seconds east of UTC
  std::vector<bool> dst;        // per zone type
  std::optional<PosixZone> extend;
};

// A POSIX TZ string (the TZif footer), as Go's tzset reads it.
class PosixParser {
 public:
  explicit PosixParser(std::string_view s) : s_(s) {}

  std::optional<PosixZone> parse() {
    PosixZone z;
    int64_t off;
    if (!name() || !offset(off)) return std::nullopt;
    z.std_offset = -off;
    if (s_.empty()) return z;
    if (!name()) return std::nullopt;
    z.has_dst = true;
    if (s_.empty() || s_[0] == ',') {
      z.dst_offset = z.std_offset + 3600;
    } else {
      if (!offset(off)) return std::nullopt;
      z.dst_offset = -off;
    }
    if (s_.empty()) s_ = ",M3.2.0,M11.1.0";
    if (s_[0] != ',') return std::nullopt;
    s_.remove_prefix(1);
    if (!rule(z.start) || s_.empty() || s_[0] != ',') return std::nullopt;
    s_.remove_prefix(1);
    if (!rule(z.end) || !s_.empty()) return std::nullopt;
    return z;
  }

 private:
  bool name() {
    if (s_.empty()) return false;
    if (s_[0] == '<') {
      const size_t e = s_.find('>');
      if (e == std::string_view::npos) return false;
      s_.remove_prefix(e + 1);
      return true;
    }
    size_t i = 0;
    while (i < s_.size() && !(s_[i] >= '0' && s_[i] <= '9') && s_[i] != ',' && s_[i] != '-' &&
           s_[i] != '+')
      ++i;
    if (i < 3) return false;
    s_.remove_prefix(i);
    return true;
  }

  bool number(int& out, int lo, int hi) {
    size_t i = 0;
    out = 0;
    while (i < s_.size() && s_[i] >= '0' && s_[i] <= '9') {
      out = out * 10 + (s_[i] - '0');
      if (out > 10000) return false;
      ++i;
    }
    if (i == 0 || out < lo || out > hi) return false;
    s_.remove_prefix(i);
    return true;
  }

  bool offset(int64_t& out) {
    if (s_.empty()) return false;
    bool neg = false;
    if (s_[0] == '+' || s_[0] == '-') {
      neg = s_[0] == '-';
      s_.remove_prefix(1);
    }
    int h, m = 0, sec = 0;
    if (!number(h, 0, 24 * 7)) return false;
    if (!s_.empty() && s_[0] == ':') {
      s_.remove_prefix(1);
      if (!number(m, 0, 59)) return false;
      if (!s_.empty() && s_[0] == ':') {
        s_.remove_prefix(1);
        if (!number(sec, 0, 59)) return false;
      }
    }
    out = int64_t(h) * 3600 + m * 60 + sec;
    if (neg) out = -out;
    return true;
  }

  bool rule(PosixRule& r) {
    if (s_.empty()) return false;
    if (s_[0] == 'J') {
      s_.remove_prefix(1);
      r.kind = PosixRule::Julian;
      if (!number(r.day, 1, 365)) return false;
    } else if (s_[0] == 'M') {
      s_.remove_prefix(1);
      r.kind = PosixRule::MonthWeekDay;
      if (!number(r.month, 1, 12) || s_.empty() || s_[0] != '.') return false;
      s_.remove_prefix(1);
      if (!number(r.week, 1, 5) || s_.empty() || s_[0] != '.') return false;
      s_.remove_prefix(1);
      if (!number(r.day, 0, 6)) return false;
    } else {
      r.kind = PosixRule::DayOfYear;
      if (!number(r.day, 0, 365)) return false;
    }
    r.time = 7200;
    if (!s_.empty() && s_[0] == '/') {
      s_.remove_prefix(1);
      if (!offset(r.time)) return false;
    }
    return true;
  }

  std::string_view s_;
};

// Seconds after the start of `year` (UTC) at which the rule takes effect, for a zone
// `off` seconds east of UTC.
int64_t rule_time(int64_t year, const PosixRule& r, int64_t off) {
  int64_t d = 0;
  switch (r.kind) {
    case PosixRule::Julian:
      d = r.day - 1 + (is_leap(year) && r.day >= 60);
      break;
    case PosixRule::DayOfYear:
      d = r.day;
      break;
    case PosixRule::MonthWeekDay: {
      const int64_t first = days_from_civil(year, r.month, 1);
      const int first_wday = static_cast<int>(floor_mod(first + 4, 7));
      int dom = static_cast<int>(floor_mod(r.day - first_wday, 7));  // 0-based
      for (int i = 1; i < r.week; ++i) {
        if (dom + 7 >= days_in_month(r.month, year)) break;
        dom += 7;
      }
      d = first - days_from_civil(year, 1, 1) + dom;
      break;
    }
  }
  return d * 86400 + r.time - off;
}

int64_t posix_offset(const PosixZone& z, int64_t sec) {
  if (!z.has_dst) return z.std_offset;
  const Civil c = civil_from_seconds(sec);
  const int64_t year_start = days_from_civil(c.year, 1, 1) * 86400;
  const int64_t ysec = sec - year_start;
  int64_t start = rule_time(c.year, z.start, z.std_offset);
  int64_t end = rule_time(c.year, z.end, z.dst_offset);
  int64_t std_off = z.std_offset, dst_off = z.dst_offset;
  if (end < start) {
    std::swap(start, end);
    std::swap(std_off, dst_off);
  }
  if (ysec < start || ysec >= end) return std_off;
  return dst_off;
}

int64_t zone_offset(const Zone& z, int64_t sec) {
  if (z.when.empty()) {
    if (z.extend) return posix_offset(*z.extend, sec);
    return z.offset.empty() ? 0 : z.offset[0];
  }
  if (sec < z.when.front()) {
    // Go's lookupFirstZone.
    const bool first_used = std::find(z.index.begin(), z.index.end(), 0) != z.index.end();
    size_t zi = 0;
    if (first_used) {
      bool found = false;
      if (z.dst[z.index[0]]) {
        for (int i = static_cast<int>(z.index[0]) - 1; i >= 0; --i) {
          if (!z.dst[static_cast<size_t>(i)]) {
            zi = static_cast<size_t>(i), found = true;
            break;
          }
        }
      }
      if (!found) {
        for (size_t i = 0; i < z.dst.size(); ++i) {
          if (!z.dst[i]) {
            zi = i, found = true;
            break;
          }
        }
      }
    }
    return z.offset[zi];
  }
  const size_t lo =
      static_cast<size_t>(std::upper_bound(z.when.begin(), z.when.end(), sec) - z.when.begin()) - 1;
  if (lo == z.when.size() - 1 && z.extend) return posix_offset(*z.extend, sec);
  return z.offset[z.index[lo]];
}

// A TZif file (RFC 8536), version 1 or the 64-bit data of version 2 and later.
std::optional<Zone> parse_tzif(const std::string& data) {
  size_t p = 0;
  auto u32 = [&](size_t at) {
    return static_cast<uint32_t>(static_cast<unsigned char>(data[at]) << 24 |
                                 static_cast<unsigned char>(data[at + 1]) << 16 |
                                 static_cast<unsigned char>(data[at + 2]) << 8 |
                                 static_cast<unsigned char>(data[at + 3]));
  };
  auto i64 = [&](size_t at) { return static_cast<int64_t>(uint64_t(u32(at)) << 32 | u32(at + 4)); };
  struct Counts {
    size_t isut, isstd, leap, time, type, chars;
  };
  auto header = [&](Counts& c) {
    if (data.size() < p + 44 || data.compare(p, 4, "TZif") != 0) return false;
    c = {u32(p + 20), u32(p + 24), u32(p + 28), u32(p + 32), u32(p + 36), u32(p + 40)};
    p += 44;
    return true;
  };
  Counts c{};
  if (!header(c)) return std::nullopt;
  const char version = data[4];
  size_t tsize = 4;
  if (version >= '2') {
    p += c.time * 4 + c.time + c.type * 6 + c.chars + c.leap * 8 + c.isstd + c.isut;
    if (!header(c)) return std::nullopt;
    tsize = 8;
  }
  const size_t need =
      c.time * tsize + c.time + c.type * 6 + c.chars + c.leap * (tsize + 4) + c.isstd + c.isut;
  if (data.size() < p + need || c.type == 0) return std::nullopt;
  Zone z;
  for (size_t i = 0; i < c.time; ++i) {
    z.when.push_back(tsize == 8 ? i64(p) : static_cast<int32_t>(u32(p)));
    p += tsize;
  }
  for (size_t i = 0; i < c.time; ++i) {
    const auto idx = static_cast<uint8_t>(data[p++]);
    if (idx >= c.type) return std::nullopt;
    z.index.push_back(idx);
  }
  for (size_t i = 0; i < c.type; ++i) {
    z.offset.push_back(static_cast<int32_t>(u32(p)));
    z.dst.push_back(data[p + 4] != 0);
    p += 6;
  }
  p += c.chars + c.leap * (tsize + 4) + c.isstd + c.isut;
  if (tsize == 8 && p < data.size() && data[p] == '\n') {
    const size_t e = data.find('\n', p + 1);
    if (e != std::string::npos && e > p + 1) {
      z.extend = PosixParser(std::string_view(data).substr(p + 1, e - p - 1)).parse();
    }
  }
  return z;
}

struct Loaded {
  std::shared_ptr<const Zone> zone;  // nullptr: UTC
  std::string error;
};

// Reads a file as Go's time package does; an error text as Go words it, or "" with
// `missing` set when the file does not exist.
std::optional<std::string> read_zone_file(const std::string& path, std::string& error,
                                          bool& missing) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    missing = true;
    return std::nullopt;
  }
  if (S_ISDIR(st.st_mode)) {
    error = "is a directory";  // Go reports the bare syscall error
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "open " + path + ": permission denied";
    return std::nullopt;
  }
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Loaded load_from_sources(const std::string& name) {
  static constexpr const char* kSources[] = {"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/",
                                             "/usr/lib/locale/TZ/", "/etc/zoneinfo/"};
  std::vector<std::string> dirs;
  if (const char* zi = std::getenv("ZONEINFO"); zi && *zi) dirs.push_back(std::string(zi) + "/");
  for (const char* s : kSources) dirs.emplace_back(s);
  std::string first_error;
  for (const std::string& dir : dirs) {
    std::string error;
    bool missing = false;
    std::optional<std::string> data = read_zone_file(dir + name, error, missing);
    if (data) {
      if (std::optional<Zone> z = parse_tzif(*data)) {
        return {std::make_shared<const Zone>(std::move(*z)), ""};
      }
      error = "malformed time zone information";
    }
    if (first_error.empty() && !missing) first_error = error;
  }
  if (!first_error.empty()) return {nullptr, first_error};
  return {nullptr, "unknown time zone " + name};
}

// The machine's local zone, as Go's initLocal finds it (TZ, else /etc/localtime); UTC
// when that fails.
std::shared_ptr<const Zone> local_zone() {
  const char* tz = std::getenv("TZ");
  if (!tz) {
    std::string error;
    bool missing = false;
    if (auto data = read_zone_file("/etc/localtime", error, missing)) {
      if (auto z = parse_tzif(*data)) return std::make_shared<const Zone>(std::move(*z));
    }
    return nullptr;
  }
  std::string name = tz;
  if (!name.empty() && name[0] == ':') name.erase(0, 1);
  if (name.empty() || name == "UTC") return nullptr;
  if (name[0] == '/') {
    std::string error;
    bool missing = false;
    if (auto data = read_zone_file(name, error, missing)) {
      if (auto z = parse_tzif(*data)) return std::make_shared<const Zone>(std::move(*z));
    }
    return nullptr;
  }
  return load_from_sources(name).zone;
}

// time.LoadLocation(name); loaded zones are kept for the life of the process.
Loaded load_location(const std::string& name) {
  if (name.empty() || name == "UTC") return {};
  static std::mutex mu;
  static std::map<std::string, Loaded> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  Loaded l;
  if (name == "Local") {
    l.zone = local_zone();
  } else if (name.find("..") != std::string::npos || name[0] == '/' || name[0] == '\\') {
    l.error = "time: invalid location name";
  } else {
    l = load_from_sources(name);
  }
  cache.emplace(name, l);
  return l;
}

// Go's strconv.Quote for the text of an Atoi error.
std::string go_quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      out += fmt::format("\\x{:02x}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// strconv.Atoi on a 64-bit platform; its error text as cel-go reports it.
std::optional<int64_t> go_atoi(std::string_view s, std::string& error) {
  std::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  bool range = false;
  uint64_t v = 0;
  bool ok = !body.empty();
  for (char c : body) {
    if (c == '_' || c < '0' || c > '9') {
      ok = false;
      break;
    }
    if (v > (uint64_t(1) << 63) / 10) range = true;
    v = v * 10 + static_cast<uint64_t>(c - '0');
    if (v > (uint64_t(1) << 63)) range = true;
  }
  if (!ok) {
    error = "strconv.Atoi: parsing " + go_quote(s) + ": invalid syntax";
    return std::nullopt;
  }
  if (range || (!neg && v > (uint64_t(1) << 63) - 1)) {
    error = "strconv.Atoi: parsing " + go_quote(s) + ": value out of range";
    return std::nullopt;
  }
  return neg ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

// The civil time of `t` in the zone that cel-go's timeZone() makes of `tz`, or an error.
Value civil_in(const TimestampValue& t, std::string_view tz, Civil& out) {
  int64_t offset = 0;
  const size_t colon = tz.find(':');
  if (colon == std::string_view::npos) {
    const Loaded l = load_location(std::string(tz));
    if (!l.error.empty()) return Value::error(l.error);
    if (l.zone) offset = zone_offset(*l.zone, t.seconds);
  } else {
    std::string error;
    const std::optional<int64_t> hr = go_atoi(tz.substr(0, colon), error);
    if (!hr) return Value::error(error);
    const std::optional<int64_t> min = go_atoi(tz.substr(colon + 1), error);
    if (!min) return Value::error(error);
    // Go's int arithmetic wraps; so does this.
    const uint64_t h60 = static_cast<uint64_t>(*hr) * 60;
    const uint64_t total =
        tz[0] == '-' ? h60 - static_cast<uint64_t>(*min) : h60 + static_cast<uint64_t>(*min);
    offset = static_cast<int64_t>(total * 60);
  }
  int64_t local;
  if (__builtin_add_overflow(t.seconds, offset, &local)) local = t.seconds;
  out = civil_from_seconds(local);
  return Value::boolean(true);
}

using CivilField = int64_t (*)(const Civil&, const TimestampValue&);

Value timestamp_getter(std::span<const Value> args, CivilField field) {
  if (args.empty() || args[0].kind() != ValueKind::Timestamp) return no_overload();
  const TimestampValue& t = args[0].timestamp_value();
  Civil c;
  if (args.size() == 1) {
    c = civil_from_seconds(t.seconds);
  } else {
    if (args[1].kind() != ValueKind::String) return no_overload();
    Value r = civil_in(t, args[1].string_value(), c);
    if (r.is_error()) return r;
  }
  return Value::integer(field(c, t));
}

// Go's Duration.Hours/Minutes/Seconds as float64, truncated by CEL's Int().
int64_t duration_units(int64_t d, int64_t unit) {
  const int64_t whole = d / unit;
  const int64_t rest = d % unit;
  const double v =
      static_cast<double>(whole) + static_cast<double>(rest) / static_cast<double>(unit);
  return static_cast<int64_t>(v);
}

Value duration_getter(std::span<const Value> args, int64_t unit) {
  if (args.size() != 1 || args[0].kind() != ValueKind::Duration) return no_overload();
  return Value::integer(duration_units(args[0].duration_value(), unit));
}

Value add_time_duration(const TimestampValue& t, int64_t d) {
  int64_t sec;
  if (__builtin_add_overflow(t.seconds, d / kSecond, &sec)) return int_overflow();
  int64_t nsec = t.nanos + d % kSecond;
  if (nsec < 0 || nsec >= kSecond) {
    if (__builtin_add_overflow(sec, nsec / kSecond, &sec)) return int_overflow();
    nsec -= nsec / kSecond * kSecond;
    if (nsec < 0) {
      if (__builtin_add_overflow(sec, -1, &sec)) return int_overflow();
      nsec += kSecond;
    }
  }
  if (sec < kMinUnix || sec > kMaxUnix) return timestamp_overflow();
  return Value::timestamp(TimestampValue{sec, static_cast<int32_t>(nsec), t.offset});
}

}  // namespace

std::string format_duration(int64_t nanoseconds) {
  const double secs =
      static_cast<double>(nanoseconds / kSecond) + static_cast<double>(nanoseconds % kSecond) / 1e9;
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, secs, std::chars_format::fixed);
  std::string out(buf, r.ptr);
  if (out == "-0") out = "0";
  return out + "s";
}

std::string format_timestamp(const TimestampValue& t) {
  const Civil c = civil_from_seconds(t.seconds + t.offset);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day,
                                c.hour, c.minute, c.second);
  if (t.nanos != 0) {
    std::string frac = fmt::format("{:09}", t.nanos);
    while (!frac.empty() && frac.back() == '0') frac.pop_back();
    out += "." + frac;
  }
  if (t.offset == 0) return out + "Z";
  const int32_t mins = (t.offset < 0 ? -t.offset : t.offset) / 60;
  return out + fmt::format("{}{:02}:{:02}", t.offset < 0 ? '-' : '+', mins / 60, mins % 60);
}

bool is_time_kind(const Value& v) {
  return v.kind() == ValueKind::Duration || v.kind() == ValueKind::Timestamp;
}

Value time_add(const Value& a, const Value& b) {
  const ValueKind ka = a.kind(), kb = b.kind();
  if (ka == ValueKind::Duration && kb == ValueKind::Duration) {
    int64_t r;
    if (__builtin_add_overflow(a.duration_value(), b.duration_value(), &r)) return int_overflow();
    return Value::duration(r);
  }
  if (ka == ValueKind::Timestamp && kb == ValueKind::Duration)
    return add_time_duration(a.timestamp_value(), b.duration_value());
  if (ka == ValueKind::Duration && kb == ValueKind::Timestamp)
    return add_time_duration(b.timestamp_value(), a.duration_value());
  return no_overload();
}

Value time_subtract(const Value& a, const Value& b) {
  const ValueKind ka = a.kind(), kb = b.kind();
  if (ka == ValueKind::Duration && kb == ValueKind::Duration) {
    int64_t r;
    if (__builtin_sub_overflow(a.duration_value(), b.duration_value(), &r)) return int_overflow();
    return Value::duration(r);
  }
  if (ka == ValueKind::Timestamp && kb == ValueKind::Duration) {
    if (b.duration_value() == std::numeric_limits<int64_t>::min()) return int_overflow();
    return add_time_duration(a.timestamp_value(), -b.duration_value());
  }
  if (ka == ValueKind::Timestamp && kb == ValueKind::Timestamp) {
    const TimestampValue& x = a.timestamp_value();
    const TimestampValue& y = b.timestamp_value();
    int64_t sec, tsec, r;
    if (__builtin_sub_overflow(x.seconds, y.seconds, &sec)) return int_overflow();
    if (__builtin_mul_overflow(sec, kSecond, &tsec)) return int_overflow();
    if (__builtin_add_overflow(tsec, int64_t(x.nanos) - y.nanos, &r)) return int_overflow();
    return Value::duration(r);
  }
  return no_overload();
}

Value duration_negate(const Value& d) {
  if (d.duration_value() == std::numeric_limits<int64_t>::min()) return int_overflow();
  return Value::duration(-d.duration_value());
}

int time_compare(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return 3;
  auto cmp = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  if (a.kind() == ValueKind::Duration) return cmp(a.duration_value(), b.duration_value());
  const TimestampValue& x = a.timestamp_value();
  const TimestampValue& y = b.timestamp_value();
  if (x.seconds != y.seconds) return cmp(x.seconds, y.seconds);
  return cmp(x.nanos, y.nanos);
}

Value duration_convert(std::span<const Value> args) {
  const Value& v = args[0];
  switch (v.kind()) {
    case ValueKind::Duration:
      return v;
    case ValueKind::String:
      if (std::optional<int64_t> d = parse_duration(v.string_value())) return Value::duration(*d);
      return Value::error(
          fmt::format("type conversion error from 'string' to '{}'", kDurationType));
    case ValueKind::Int:
      // cel-go declares duration(int) but Int has no conversion to Duration.
      return Value::error(fmt::format("type conversion error from 'int' to '{}'", kDurationType));
    default:
      return no_overload();
  }
}

Value timestamp_convert(std::span<const Value> args) {
  const Value& v = args[0];
  switch (v.kind()) {
    case ValueKind::Timestamp:
      return v;
    case ValueKind::String: {
      bool overflow = false;
      if (auto t = parse_rfc3339(v.string_value(), &overflow)) return Value::timestamp(*t);
      if (overflow) return timestamp_overflow();
      return Value::error(
          fmt::format("type conversion error from 'string' to '{}'", kTimestampType));
    }
    case ValueKind::Int:
      if (v.int_value() < kMinUnix || v.int_value() > kMaxUnix) return timestamp_overflow();
      return Value::timestamp(TimestampValue{v.int_value(), 0, 0});
    default:
      return no_overload();
  }
}

Value time_to_int(std::span<const Value> args) {
  const Value& v = args[0];
  if (v.kind() == ValueKind::Duration) return Value::integer(v.duration_value());
  if (v.kind() == ValueKind::Timestamp) return Value::integer(v.timestamp_value().seconds);
  return no_overload();
}

Value time_to_string(std::span<const Value> args) {
  const Value& v = args[0];
  if (v.kind() == ValueKind::Duration) return Value::string(format_duration(v.duration_value()));
  if (v.kind() == ValueKind::Timestamp) return Value::string(format_timestamp(v.timestamp_value()));
  return no_overload();
}

Value timestamp_get_full_year(std::span<const Value> args) {
  return timestamp_getter(args, [](const Civil& c, const TimestampValue&) { return c.year; });
}
Value timestamp_get_month(std::span<const Value> args) {
  return timestamp_getter(
      args, [](const Civil& c, const TimestampValue&) { return int64_t(c.month - 1); });
}
Value timestamp_get_day_of_year(std::span<const Value> args) {
  return timestamp_getter(args,
                          [](const Civil& c, const TimestampValue&) { return int64_t(c.yday); });
}
Value timestamp_get_day_of_month(std::span<const Value> args) {
  return timestamp_getter(args,
                          [](const Civil& c, const TimestampValue&) { return int64_t(c.day - 1); });
}
Value timestamp_get_date(std::span<const Value> args) {
  return timestamp_getter(args,
                          [](const Civil& c, const TimestampValue&) { return int64_t(c.day); });
}
Value timestamp_get_day_of_week(std::span<const Value> args) {
  return timestamp_getter(args,
                          [](const Civil& c, const TimestampValue&) { return int64_t(c.wday); });
}
Value timestamp_get_hours(std::span<const Value> args) {
  return timestamp_getter(args,
                          [](const Civil& c, const TimestampValue&) { return int64_t(c.hour); });
}
Value timestamp_get_minutes(std::span<const Value> args) {
  return timestamp_getter(args,
                          [](const Civil& c, const TimestampValue&) { return int64_t(c.minute); });
}
Value timestamp_get_seconds(std::span<const Value> args) {
  return timestamp_getter(args,
                          [](const Civil& c, const TimestampValue&) { return int64_t(c.second); });
}
Value timestamp_get_milliseconds(std::span<const Value> args) {
  return timestamp_getter(
      args, [](const Civil&, const TimestampValue& t) { return int64_t(t.nanos / 1000000); });
}

Value duration_get_hours(std::span<const Value> args) {
  return duration_getter(args, 3600 * kSecond);
}
Value duration_get_minutes(std::span<const Value> args) {
  return duration_getter(args, 60 * kSecond);
}
Value duration_get_seconds(std::span<const Value> args) { return duration_getter(args, kSecond); }
Value duration_get_milliseconds(std::span<const Value> args) {
  if (args.size() != 1 || args[0].kind() != ValueKind::Duration) return no_overload();
  return Value::integer(args[0].duration_value() / 1000000);
}

}  // namespace dra::selectors
