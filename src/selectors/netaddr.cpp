// src/selectors/netaddr.cpp -- Go's netip and net/url parsing and printing, written anew from
// their documented behaviour (Go 1.26).
#include "selectors/netaddr.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

namespace dra::selectors {
namespace net {
namespace {

// The length of the valid UTF-8 sequence at the start of s and its code point; 0 if none.
size_t utf8_decode(std::string_view s, uint32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[0]);
  size_t n = 0;
  uint32_t c = 0;
  uint32_t min = 0;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xe0) == 0xc0) {
    n = 2, c = b0 & 0x1f, min = 0x80;
  } else if ((b0 & 0xf0) == 0xe0) {
    n = 3, c = b0 & 0x0f, min = 0x800;
  } else if ((b0 & 0xf8) == 0xf0) {
    n = 4, c = b0 & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (s.size() < n) return 0;
  for (size_t i = 1; i < n; ++i) {
    const auto b = static_cast<unsigned char>(s[i]);
    if ((b & 0xc0) != 0x80) return 0;
    c = c << 6 | (b & 0x3f);
  }
  if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) return 0;
  *cp = c;
  return n;
}

// Go's unicode.IsPrint for code points above ASCII, approximated: format characters,
// separators other than the space, C1 controls and private use are not printable.
bool printable(uint32_t c) {
  if (c < 0xa0) return false;
  if (c == 0xad || (c >= 0x200b && c <= 0x200f) || (c >= 0x2028 && c <= 0x202e) ||
      (c >= 0x2060 && c <= 0x206f) || c == 0xfeff || (c >= 0xfff9 && c <= 0xfffb) ||
      (c >= 0xe000 && c <= 0xf8ff) || c >= 0xf0000 || c == 0x3000 || c == 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) || c == 0x205f || c == 0x00a0) {
    return false;
  }
  return true;
}

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int unhex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}

// ---- netip

Addr from4(const uint8_t f[4]) {
  Addr a;
  a.v4 = true;
  a.bytes[10] = a.bytes[11] = 0xff;
  for (int i = 0; i < 4; ++i) a.bytes[12 + i] = f[i];
  return a;
}

std::string addr_error(std::string_view in, std::string_view msg, std::string_view at = {}) {
  std::string e = "ParseAddr(" + go_quote(in) + "): " + std::string(msg);
  if (!at.empty()) e += " (at " + go_quote(at) + ")";
  return e;
}

// Four dotted decimal fields of in[off, end) into f; Go's message about `in` on failure.
bool parse_v4_fields(std::string_view in, size_t off, size_t end, uint8_t f[4], std::string* err) {
  const std::string_view s = in.substr(off, end - off);
  int val = 0, pos = 0, dig = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (dig == 1 && val == 0) {
        *err = addr_error(in, "IPv4 field has octet with leading zero");
        return false;
      }
      val = val * 10 + (c - '0');
      ++dig;
      if (val > 255) {
        *err = addr_error(in, "IPv4 field has value >255");
        return false;
      }
    } else if (c == '.') {
      if (i == 0 || i == s.size() - 1 || s[i - 1] == '.') {
        *err = addr_error(in, "IPv4 field must have at least one digit", s.substr(i));
        return false;
      }
      if (pos == 3) {
        *err = addr_error(in, "IPv4 address too long");
        return false;
      }
      f[pos++] = static_cast<uint8_t>(val);
      val = 0;
      dig = 0;
    } else {
      *err = addr_error(in, "unexpected character", s.substr(i));
      return false;
    }
  }
  if (pos < 3) {
    *err = addr_error(in, "IPv4 address too short");
    return false;
  }
  f[3] = static_cast<uint8_t>(val);
  return true;
}

std::optional<Addr> parse_v6(std::string_view in, std::string* err) {
  std::string_view s = in;
  std::string_view zone;
  if (const size_t pct = s.find('%'); pct != std::string_view::npos) {
    zone = s.substr(pct + 1);
    s = s.substr(0, pct);
    if (zone.empty()) {
      *err = addr_error(in, "zone must be a non-empty string");
      return std::nullopt;
    }
  }
  Addr a;
  a.zone = std::string(zone);
  auto& ip = a.bytes;
  int ellipsis = -1;
  if (s.size() >= 2 && s[0] == ':' && s[1] == ':') {
    ellipsis = 0;
    s.remove_prefix(2);
    if (s.empty()) return a;
  }
  int i = 0;
  while (i < 16) {
    size_t off = 0;
    uint32_t acc = 0;
    for (; off < s.size(); ++off) {
      const char c = s[off];
      if (!is_hex(c)) break;
      acc = (acc << 4) + static_cast<uint32_t>(unhex(c));
      if (off > 3) {
        *err = addr_error(in, "each group must have 4 or less digits", s);
        return std::nullopt;
      }
      if (acc > 0xffff) {
        *err = addr_error(in, "IPv6 field has value >=2^16", s);
        return std::nullopt;
      }
    }
    if (off == 0) {
      *err = addr_error(in, "each colon-separated field must have at least one digit", s);
      return std::nullopt;
    }
    if (off < s.size() && s[off] == '.') {
      if (ellipsis < 0 && i != 12) {
        *err = addr_error(
            in, "embedded IPv4 address must replace the final 2 fields of the address", s);
        return std::nullopt;
      }
      if (i + 4 > 16) {
        *err = addr_error(
            in, "too many hex fields to fit an embedded IPv4 at the end of the address", s);
        return std::nullopt;
      }
      size_t end = in.size();
      if (!zone.empty()) end -= zone.size() + 1;
      uint8_t f[4];
      if (!parse_v4_fields(in, end - s.size(), end, f, err)) return std::nullopt;
      for (int k = 0; k < 4; ++k) ip[i + k] = f[k];
      s = {};
      i += 4;
      break;
    }
    ip[i] = static_cast<uint8_t>(acc >> 8);
    ip[i + 1] = static_cast<uint8_t>(acc);
    i += 2;
    s.remove_prefix(off);
    if (s.empty()) break;
    if (s[0] != ':') {
      *err = addr_error(in, "unexpected character, want colon", s);
      return std::nullopt;
    }
    if (s.size() == 1) {
      *err = addr_error(in, "colon must be followed by more characters", s);
      return std::nullopt;
    }
    s.remove_prefix(1);
    if (s[0] == ':') {
      if (ellipsis >= 0) {
        *err = addr_error(in, "multiple :: in address", s);
        return std::nullopt;
      }
      ellipsis = i;
      s.remove_prefix(1);
      if (s.empty()) break;
    }
  }
  if (!s.empty()) {
    *err = addr_error(in, "trailing garbage after address", s);
    return std::nullopt;
  }
  if (i < 16) {
    if (ellipsis < 0) {
      *err = addr_error(in, "address string too short");
      return std::nullopt;
    }
    const int n = 16 - i;
    for (int j = i - 1; j >= ellipsis; --j) ip[j + n] = ip[j];
    for (int j = ellipsis; j < ellipsis + n; ++j) ip[j] = 0;
  } else if (ellipsis >= 0) {
    *err = addr_error(in, "the :: must expand to at least one field of zeros");
    return std::nullopt;
  }
  return a;
}

void append_hex(std::string& out, uint16_t x) {
  static constexpr char kDigits[] = "0123456789abcdef";
  if (x >= 0x1000) out += kDigits[x >> 12];
  if (x >= 0x100) out += kDigits[x >> 8 & 0xf];
  if (x >= 0x10) out += kDigits[x >> 4 & 0xf];
  out += kDigits[x & 0xf];
}

std::string v4_string(const Addr& a) {
  return std::to_string(a.bytes[12]) + "." + std::to_string(a.bytes[13]) + "." +
         std::to_string(a.bytes[14]) + "." + std::to_string(a.bytes[15]);
}

// The address with all but its first `bits` bits cleared (16-byte form; bits counted there).
Addr mask(Addr a, int bits) {
  for (int i = 0; i < 16; ++i) {
    const int keep = std::clamp(bits - 8 * i, 0, 8);
    a.bytes[i] &= static_cast<uint8_t>(0xff00 >> keep);
  }
  return a;
}

// ---- net/url

enum class Mode { Path, PathSegment, Host, Zone, UserPassword, QueryComponent, Fragment };

bool should_escape(unsigned char c, Mode mode) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return false;
  if (mode == Mode::Host || mode == Mode::Zone) {
    switch (c) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '[':
      case ']':
      case '<':
      case '>':
      case '"':
        return false;
      default:
        break;
    }
  }
  switch (c) {
    case '-':
    case '_':
    case '.':
    case '~':
      return false;
    case '$':
    case '&':
    case '+':
    case ',':
    case '/':
    case ':':
    case ';':
    case '=':
    case '?':
    case '@':
      switch (mode) {
        case Mode::Path:
          return c == '?';
        case Mode::PathSegment:
          return c == '/' || c == ';' || c == ',' || c == '?';
        case Mode::UserPassword:
          return c == '@' || c == '/' || c == '?' || c == ':';
        case Mode::QueryComponent:
          return true;
        case Mode::Fragment:
          return false;
        default:
          break;
      }
      break;
    default:
      break;
  }
  if (mode == Mode::Fragment && (c == '!' || c == '(' || c == ')' || c == '*')) return false;
  return true;
}

std::optional<std::string> unescape(std::string_view s, Mode mode, std::string* err) {
  size_t n = 0;
  bool has_plus = false;
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == '%') {
      ++n;
      if (i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) {
        *err = "invalid URL escape " + go_quote(s.substr(i, 3));
        return std::nullopt;
      }
      if (mode == Mode::Host && unhex(s[i + 1]) < 8 && s.substr(i, 3) != "%25") {
        *err = "invalid URL escape " + go_quote(s.substr(i, 3));
        return std::nullopt;
      }
      if (mode == Mode::Zone) {
        const auto v = static_cast<unsigned char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
        if (s.substr(i, 3) != "%25" && v != ' ' && should_escape(v, Mode::Host)) {
          *err = "invalid URL escape " + go_quote(s.substr(i, 3));
          return std::nullopt;
        }
      }
      i += 3;
    } else if (c == '+') {
      has_plus = mode == Mode::QueryComponent;
      ++i;
    } else {
      if ((mode == Mode::Host || mode == Mode::Zone) && c < 0x80 && should_escape(c, mode)) {
        *err = "invalid character " + go_quote(s.substr(i, 1)) + " in host name";
        return std::nullopt;
      }
      ++i;
    }
  }
  if (n == 0 && !has_plus) return std::string(s);
  std::string t;
  t.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      t += static_cast<char>(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
      i += 2;
    } else if (s[i] == '+') {
      t += mode == Mode::QueryComponent ? ' ' : '+';
    } else {
      t += s[i];
    }
  }
  return t;
}

std::string escape(std::string_view s, Mode mode) {
  static constexpr char kUpper[] = "0123456789ABCDEF";
  std::string t;
  t.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == ' ' && mode == Mode::QueryComponent) {
      t += '+';
    } else if (should_escape(c, mode)) {
      t += '%';
      t += kUpper[c >> 4];
      t += kUpper[c & 15];
    } else {
      t += ch;
    }
  }
  return t;
}

bool valid_encoded(std::string_view s, Mode mode) {
  for (const char ch : s) {
    switch (ch) {
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case ':':
      case '@':
      case '[':
      case ']':
      case '%':
        break;
      default:
        if (should_escape(static_cast<unsigned char>(ch), mode)) return false;
    }
  }
  return true;
}

bool valid_optional_port(std::string_view port) {
  if (port.empty()) return true;
  if (port[0] != ':') return false;
  return std::all_of(port.begin() + 1, port.end(), [](char b) { return b >= '0' && b <= '9'; });
}

bool valid_userinfo(std::string_view s) {
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) continue;
    switch (c) {
      case '-':
      case '.':
      case '_':
      case ':':
      case '~':
      case '!':
      case '$':
      case '&':
      case '\'':
      case '(':
      case ')':
      case '*':
      case '+':
      case ',':
      case ';':
      case '=':
      case '%':
      case '@':
        continue;
      default:
        return false;  // non-ASCII runes too
    }
  }
  return true;
}

std::optional<std::string> parse_host(std::string_view scheme, std::string_view host,
                                      std::string* err) {
  const size_t open = host.rfind('[');
  if (open != std::string_view::npos && open > 0) {
    *err = "invalid IP-literal";
    return std::nullopt;
  }
  if (open == 0) {
    const size_t close = host.rfind(']');
    if (close == std::string_view::npos) {
      *err = "missing ']' in host";
      return std::nullopt;
    }
    const std::string_view colon_port = host.substr(close + 1);
    if (!valid_optional_port(colon_port)) {
      *err = "invalid port " + go_quote(colon_port) + " after host";
      return std::nullopt;
    }
    std::optional<std::string> port = unescape(colon_port, Mode::Host, err);
    if (!port) return std::nullopt;
    const std::string_view name = host.substr(1, close - 1);
    std::string unescaped;
    if (const size_t zone = name.find("%25"); zone != std::string_view::npos) {
      std::optional<std::string> h = unescape(name.substr(0, zone), Mode::Host, err);
      if (!h) return std::nullopt;
      std::optional<std::string> z = unescape(name.substr(zone), Mode::Zone, err);
      if (!z) return std::nullopt;
      unescaped = *h + *z;
    } else {
      std::optional<std::string> h = unescape(name, Mode::Host, err);
      if (!h) return std::nullopt;
      unescaped = *h;
    }
    std::string addr_err;
    const std::optional<Addr> a = parse_addr(unescaped, &addr_err);
    if (!a) {
      *err = "invalid host: " + addr_err;
      return std::nullopt;
    }
    if (a->v4) {
      *err = "invalid IP-literal";
      return std::nullopt;
    }
    return "[" + unescaped + "]" + *port;
  }
  if (size_t i = host.find(':'); i != std::string_view::npos) {
    const size_t last = host.rfind(':');
    // Go 1.26 (urlstrictcolons): a second colon is an error for http and https hosts; other
    // schemes keep the old rule (the last colon starts the port).
    if (last != i && scheme != "http" && scheme != "https") i = last;
    const std::string_view colon_port = host.substr(i);
    if (!valid_optional_port(colon_port)) {
      *err = "invalid port " + go_quote(colon_port) + " after host";
      return std::nullopt;
    }
  }
  return unescape(host, Mode::Host, err);
}

bool set_path(Url& u, std::string_view p, std::string* err) {
  std::optional<std::string> path = unescape(p, Mode::Path, err);
  if (!path) return false;
  u.path = *path;
  u.raw_path = escape(u.path, Mode::Path) == p ? std::string() : std::string(p);
  return true;
}

std::optional<Url> parse(std::string_view raw, bool via_request, std::string* err) {
  for (const char c : raw) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      *err = "net/url: invalid control character in URL";
      return std::nullopt;
    }
  }
  if (raw.empty() && via_request) {
    *err = "empty url";
    return std::nullopt;
  }
  Url u;
  if (raw == "*") {
    u.path = "*";
    return u;
  }
  std::string_view rest = raw;
  for (size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) continue;
    if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
      if (i == 0) break;
      continue;
    }
    if (c == ':') {
      if (i == 0) {
        *err = "missing protocol scheme";
        return std::nullopt;
      }
      u.scheme = std::string(raw.substr(0, i));
      rest = raw.substr(i + 1);
    }
    break;
  }
  for (char& c : u.scheme) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  if (!rest.empty() && rest.back() == '?' && std::count(rest.begin(), rest.end(), '?') == 1) {
    u.force_query = true;
    rest.remove_suffix(1);
  } else if (const size_t q = rest.find('?'); q != std::string_view::npos) {
    u.raw_query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  if (!rest.starts_with('/')) {
    if (!u.scheme.empty()) {
      u.opaque = std::string(rest);
      return u;
    }
    if (via_request) {
      *err = "invalid URI for request";
      return std::nullopt;
    }
    const std::string_view segment = rest.substr(0, rest.find('/'));
    if (segment.find(':') != std::string_view::npos) {
      *err = "first path segment in URL cannot contain colon";
      return std::nullopt;
    }
  }
  if ((!u.scheme.empty() || (!via_request && !rest.starts_with("///"))) && rest.starts_with("//")) {
    std::string_view authority = rest.substr(2);
    rest = {};
    if (const size_t slash = authority.find('/'); slash != std::string_view::npos) {
      rest = authority.substr(slash);
      authority = authority.substr(0, slash);
    }
    const size_t at = authority.rfind('@');
    std::optional<std::string> host = parse_host(
        u.scheme, at == std::string_view::npos ? authority : authority.substr(at + 1), err);
    if (!host) return std::nullopt;
    u.host = *host;
    if (at != std::string_view::npos) {
      const std::string_view userinfo = authority.substr(0, at);
      if (!valid_userinfo(userinfo)) {
        *err = "net/url: invalid userinfo";
        return std::nullopt;
      }
      Url::User user;
      const size_t colon = userinfo.find(':');
      std::optional<std::string> name =
          unescape(userinfo.substr(0, colon), Mode::UserPassword, err);
      if (!name) return std::nullopt;
      user.username = *name;
      if (colon != std::string_view::npos) {
        std::optional<std::string> pw =
            unescape(userinfo.substr(colon + 1), Mode::UserPassword, err);
        if (!pw) return std::nullopt;
        user.password = *pw;
        user.password_set = true;
      }
      u.user = std::move(user);
    }
  } else if (!u.scheme.empty() && rest.starts_with('/')) {
    u.omit_host = true;
  }
  if (!set_path(u, rest, err)) return std::nullopt;
  return u;
}

std::string url_error(std::string_view url, std::string_view err) {
  return "parse " + go_quote(url) + ": " + std::string(err);
}

// splitHostPort of net/url: "host:port", "[v6]:port" or either without the port.
std::pair<std::string_view, std::string_view> split_host_port(std::string_view host) {
  std::string_view port;
  if (const size_t colon = host.rfind(':');
      colon != std::string_view::npos && valid_optional_port(host.substr(colon))) {
    port = host.substr(colon + 1);
    host = host.substr(0, colon);
  }
  if (host.starts_with('[') && host.ends_with(']')) host = host.substr(1, host.size() - 2);
  return {host, port};
}

}  // namespace

std::string go_quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t n = utf8_decode(s.substr(i), &cp);
    if (n == 0) {
      const auto b = static_cast<unsigned char>(s[i]);
      out += "\\x";
      out += kHex[b >> 4];
      out += kHex[b & 15];
      ++i;
      continue;
    }
    if (cp < 0x80) {
      const char c = static_cast<char>(cp);
      switch (c) {
        case '"':
          out += "\\\"";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        default:
          if (cp < 0x20 || cp == 0x7f) {
            out += "\\x";
            out += kHex[cp >> 4];
            out += kHex[cp & 15];
          } else {
            out += c;
          }
      }
    } else if (printable(cp)) {
      out += s.substr(i, n);
    } else {
      char buf[16];
      if (cp < 0x10000) {
        std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
      } else {
        std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
      }
      out += buf;
    }
    i += n;
  }
  return out + "\"";
}

uint64_t code_points(std::string_view s) {
  uint64_t n = 0;
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t k = utf8_decode(s.substr(i), &cp);
    i += k == 0 ? 1 : k;
    ++n;
  }
  return n;
}

uint64_t times_cost_factor(uint64_t x, double f) {
  const double xf = static_cast<double>(x);
  if (xf > 0 && f > 0 && xf > static_cast<double>(std::numeric_limits<uint64_t>::max()) / f) {
    return std::numeric_limits<uint64_t>::max();
  }
  const double c = std::ceil(xf * f);
  if (c >= 18446744073709551616.0) return std::numeric_limits<uint64_t>::max();
  return static_cast<uint64_t>(c);
}

// ---- Addr

bool Addr::is4in6() const {
  if (v4) return false;
  for (int i = 0; i < 10; ++i) {
    if (bytes[i] != 0) return false;
  }
  return bytes[10] == 0xff && bytes[11] == 0xff;
}

Addr Addr::unmapped() const {
  if (!is4in6()) return *this;
  Addr a = *this;
  a.v4 = true;
  a.zone.clear();
  return a;
}

bool Addr::is_unspecified() const {
  const bool zero4 = bytes[12] == 0 && bytes[13] == 0 && bytes[14] == 0 && bytes[15] == 0;
  if (v4) return zero4;
  return zone.empty() && std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

bool Addr::is_loopback() const {
  const Addr a = unmapped();
  if (a.v4) return a.bytes[12] == 127;
  for (int i = 0; i < 15; ++i) {
    if (a.bytes[i] != 0) return false;
  }
  return a.bytes[15] == 1;
}

bool Addr::is_multicast() const {
  const Addr a = unmapped();
  if (a.v4) return (a.bytes[12] & 0xf0) == 0xe0;
  return a.bytes[0] == 0xff;
}

bool Addr::is_link_local_multicast() const {
  const Addr a = unmapped();
  if (a.v4) return a.bytes[12] == 224 && a.bytes[13] == 0 && a.bytes[14] == 0;
  return (a.word(0) & 0xff0f) == 0xff02;
}

bool Addr::is_link_local_unicast() const {
  const Addr a = unmapped();
  if (a.v4) return a.bytes[12] == 169 && a.bytes[13] == 254;
  return (a.word(0) & 0xffc0) == 0xfe80;
}

bool Addr::is_global_unicast() const {
  const Addr a = unmapped();
  if (a.v4) {
    const bool zero = a.bytes[12] == 0 && a.bytes[13] == 0 && a.bytes[14] == 0 && a.bytes[15] == 0;
    const bool bcast =
        a.bytes[12] == 255 && a.bytes[13] == 255 && a.bytes[14] == 255 && a.bytes[15] == 255;
    if (zero || bcast) return false;
  } else if (a.is_unspecified()) {
    return false;
  }
  return !a.is_loopback() && !a.is_multicast() && !a.is_link_local_unicast();
}

std::string Addr::to_string() const {
  if (v4) return v4_string(*this);
  std::string out;
  if (is4in6()) {
    out = "::ffff:" + v4_string(*this);
  } else {
    int zero_start = 255, zero_end = 255;
    for (int i = 0; i < 8; ++i) {
      int j = i;
      while (j < 8 && word(j) == 0) ++j;
      if (const int l = j - i; l >= 2 && l > zero_end - zero_start) {
        zero_start = i;
        zero_end = j;
      }
    }
    for (int i = 0; i < 8; ++i) {
      if (i == zero_start) {
        out += "::";
        i = zero_end;
        if (i >= 8) break;
      } else if (i > 0) {
        out += ':';
      }
      append_hex(out, word(i));
    }
  }
  if (!zone.empty()) out += "%" + zone;
  return out;
}

std::optional<Addr> parse_addr(std::string_view s, std::string* error) {
  std::string err;
  std::optional<Addr> result;
  bool decided = false;
  for (const char c : s) {
    if (c == '.') {
      uint8_t f[4];
      if (parse_v4_fields(s, 0, s.size(), f, &err)) result = from4(f);
      decided = true;
      break;
    }
    if (c == ':') {
      result = parse_v6(s, &err);
      decided = true;
      break;
    }
    if (c == '%') {
      err = addr_error(s, "missing IPv6 address");
      decided = true;
      break;
    }
  }
  if (!decided) err = addr_error(s, "unable to parse IP");
  if (!result && error) *error = err;
  return result;
}

// ---- Prefix

Prefix Prefix::masked() const {
  Prefix p = *this;
  p.addr = mask(addr, addr.v4 ? bits + 96 : bits);
  return p;
}

bool Prefix::contains(const Addr& ip) const {
  if (!ip.zone.empty() || ip.v4 != addr.v4) return false;
  const int b = addr.v4 ? bits + 96 : bits;
  return mask(ip, b).bytes == mask(addr, b).bytes;
}

bool Prefix::overlaps(const Prefix& o) const {
  if (*this == o) return true;
  if (addr.v4 != o.addr.v4) return false;
  const int min_bits = std::min(bits, o.bits);
  if (min_bits == 0) return true;
  const int b = addr.v4 ? min_bits + 96 : min_bits;
  return mask(addr, b).bytes == mask(o.addr, b).bytes;
}

std::string Prefix::to_string() const { return addr.to_string() + "/" + std::to_string(bits); }

std::optional<Prefix> parse_prefix(std::string_view s, std::string* error) {
  auto fail = [&](std::string_view msg) -> std::optional<Prefix> {
    if (error) *error = "netip.ParsePrefix(" + go_quote(s) + "): " + std::string(msg);
    return std::nullopt;
  };
  const size_t slash = s.rfind('/');
  if (slash == std::string_view::npos) return fail("no '/'");
  std::string addr_err;
  std::optional<Addr> ip = parse_addr(s.substr(0, slash), &addr_err);
  if (!ip) return fail(addr_err);
  if (!ip->v4 && !ip->zone.empty()) return fail("IPv6 zones cannot be present in a prefix");
  const std::string_view bits_str = s.substr(slash + 1);
  const std::string bad = "bad bits after slash: " + go_quote(bits_str);
  if (bits_str.size() > 1 && (bits_str[0] < '1' || bits_str[0] > '9')) return fail(bad);
  // strconv.Atoi: an optional sign, then decimal digits, within int64.
  std::string_view digits = bits_str;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) return fail(bad);
  uint64_t v = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') return fail(bad);
    if (v > (std::numeric_limits<uint64_t>::max() - 9) / 10) return fail(bad);
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + (negative ? 1 : 0))
    return fail(bad);
  const int max_bits = ip->v4 ? 32 : 128;
  if (negative ? v != 0 : v > static_cast<uint64_t>(max_bits)) {
    return fail("prefix length out of range");
  }
  return Prefix{*std::move(ip), static_cast<int>(v)};
}

// ---- Url

std::string Url::escaped_path() const {
  if (!raw_path.empty() && valid_encoded(raw_path, Mode::Path)) {
    std::string err;
    if (const auto p = unescape(raw_path, Mode::Path, &err); p && *p == path) return raw_path;
  }
  if (path == "*") return "*";
  return escape(path, Mode::Path);
}

std::string Url::escaped_fragment() const {
  if (!raw_fragment.empty() && valid_encoded(raw_fragment, Mode::Fragment)) {
    std::string err;
    if (const auto f = unescape(raw_fragment, Mode::Fragment, &err); f && *f == fragment)
      return raw_fragment;
  }
  return escape(fragment, Mode::Fragment);
}

std::string Url::hostname() const { return std::string(split_host_port(host).first); }
std::string Url::port() const { return std::string(split_host_port(host).second); }

std::string Url::to_string() const {
  std::string buf;
  if (!scheme.empty()) buf += scheme + ":";
  if (!opaque.empty()) {
    buf += opaque;
  } else {
    if (!scheme.empty() || !host.empty() || user) {
      if (omit_host && host.empty() && !user) {
        // no authority
      } else {
        if (!host.empty() || !path.empty() || user) buf += "//";
        if (user) {
          buf += escape(user->username, Mode::UserPassword);
          if (user->password_set) buf += ":" + escape(user->password, Mode::UserPassword);
          buf += "@";
        }
        if (!host.empty()) buf += escape(host, Mode::Host);
      }
    }
    std::string p = escaped_path();
    if (omit_host && host.empty() && !user && p.starts_with("//")) {
      buf += "%2F";
      p.erase(0, 1);
    }
    if (!p.empty() && p[0] != '/' && !host.empty()) buf += '/';
    if (buf.empty()) {
      const std::string_view segment = std::string_view(p).substr(0, p.find('/'));
      if (segment.find(':') != std::string_view::npos) buf += "./";
    }
    buf += p;
  }
  if (force_query || !raw_query.empty()) buf += "?" + raw_query;
  if (!fragment.empty()) buf += "#" + escaped_fragment();
  return buf;
}

std::vector<std::pair<std::string, std::vector<std::string>>> Url::query() const {
  std::map<std::string, std::vector<std::string>> m;
  std::string_view q = raw_query;
  // urlmaxqueryparams: more than 10000 parameters is an error, and the map stays empty.
  if (std::count(q.begin(), q.end(), '&') + 1 <= 10000) {
    while (!q.empty()) {
      const size_t amp = q.find('&');
      std::string_view key = q.substr(0, amp);
      q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
      if (key.find(';') != std::string_view::npos || key.empty()) continue;
      const size_t eq = key.find('=');
      const std::string_view value =
          eq == std::string_view::npos ? std::string_view() : key.substr(eq + 1);
      key = key.substr(0, eq);
      std::string err;
      std::optional<std::string> k = unescape(key, Mode::QueryComponent, &err);
      if (!k) continue;
      std::optional<std::string> v = unescape(value, Mode::QueryComponent, &err);
      if (!v) continue;
      m[*k].push_back(*v);
    }
  }
  return {m.begin(), m.end()};
}

std::optional<Url> parse_request_uri(std::string_view s, std::string* error) {
  std::string err;
  std::optional<Url> u = parse(s, true, &err);
  if (!u && error) *error = url_error(s, err);
  return u;
}

std::optional<Url> parse_url(std::string_view s, std::string* error) {
  const size_t hash = s.find('#');
  const std::string_view head = s.substr(0, hash);
  std::string err;
  std::optional<Url> u = parse(head, false, &err);
  if (!u) {
    if (error) *error = url_error(head, err);
    return std::nullopt;
  }
  if (hash == std::string_view::npos) return u;
  const std::string_view frag = s.substr(hash + 1);
  if (frag.empty()) return u;
  std::optional<std::string> f = unescape(frag, Mode::Fragment, &err);
  if (!f) {
    if (error) *error = url_error(s, err);
    return std::nullopt;
  }
  u->fragment = *f;
  u->raw_fragment = escape(*f, Mode::Fragment) == frag ? std::string() : std::string(frag);
  return u;
}

}  // namespace net

const net::Addr* as_ip(const Value& v) {
  if (v.kind() != ValueKind::Opaque) return nullptr;
  const auto* ip = dynamic_cast<const IpValue*>(&v.opaque_value());
  return ip ? &ip->addr : nullptr;
}

const net::Prefix* as_cidr(const Value& v) {
  if (v.kind() != ValueKind::Opaque) return nullptr;
  const auto* c = dynamic_cast<const CidrValue*>(&v.opaque_value());
  return c ? &c->prefix : nullptr;
}

std::optional<net::Addr> parse_library_ip(std::string_view s, std::string* error) {
  std::string err;
  std::optional<net::Addr> a = net::parse_addr(s, &err);
  if (!a) {
    *error =
        "IP Address " + net::go_quote(s) + " parse error during conversion from string: " + err;
    return std::nullopt;
  }
  if (!a->zone.empty()) {
    *error = "IP address " + net::go_quote(s) + " with zone value is not allowed";
    return std::nullopt;
  }
  if (a->is4in6()) {
    *error = "IPv4-mapped IPv6 address " + net::go_quote(s) + " is not allowed";
    return std::nullopt;
  }
  return a;
}

std::optional<net::Prefix> parse_library_cidr(std::string_view s, std::string* error) {
  static constexpr std::string_view kPrefix =
      "network address parse error during conversion from string: ";
  std::string err;
  std::optional<net::Prefix> p = net::parse_prefix(s, &err);
  if (!p) {
    *error = std::string(kPrefix) + std::string(kPrefix) + err;
    return std::nullopt;
  }
  if (p->addr.is4in6()) {
    *error =
        std::string(kPrefix) + "IPv4-mapped IPv6 address " + net::go_quote(s) + " is not allowed";
    return std::nullopt;
  }
  return p;
}

}  // namespace dra::selectors
