// tests/k8s/exec_credential_test.cpp -- ExecCredential answers and their timestamps, as
// client-go reads them (the plugin runs are in live_test.cpp).
#include "k8s/exec_credential.hpp"

#include <catch2/catch.hpp>

namespace dra::k8s {

TEST_CASE("exec: an ExecCredential's token or certificate, and its expiry", "[k8s]") {
  const char* v1 = "client.authentication.k8s.io/v1";
  auto c = parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
      R"("status":{"token":"t","expirationTimestamp":"2026-11-27T16:00:00Z"}})",
      v1);
  REQUIRE(c);
  CHECK(c->token == "t");
  REQUIRE(c->expires);
  CHECK(std::chrono::system_clock::to_time_t(*c->expires) == 1795795200);

  c = parse_exec_credential(
      R"({"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential",)"
      R"("status":{"clientCertificateData":"CERT","clientKeyData":"KEY"}})",
      v1);
  REQUIRE(c);
  CHECK(c->cert_pem == "CERT");
  CHECK(c->key_pem == "KEY");
  CHECK_FALSE(c->expires);

  const std::pair<const char*, const char*> bad[] = {
      {"not json", "its output is not valid JSON"},
      {R"({"kind":"Secret"})", "its output is not an ExecCredential (kind)"},
      {R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1"})",
       "its ExecCredential has no status"},
      {R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{}})",
       "its ExecCredential has neither status.token nor status.clientCertificateData"},
      {R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"clientKeyData":"k"}})",
       "its ExecCredential has a client certificate without a key, or a key without a "
       "certificate"},
      {R"({"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1","status":{"token":"secret","expirationTimestamp":"tomorrow"}})",
       "its ExecCredential's status.expirationTimestamp is not RFC 3339"},
  };
  for (const auto& [json, want] : bad) {
    INFO(json);
    auto r = parse_exec_credential(json, v1);
    REQUIRE_FALSE(r);
    CHECK(r.error() == want);
    CHECK(r.error().find("secret") == std::string::npos);  // never quotes the output
  }
}

TEST_CASE("exec: RFC 3339 timestamps", "[k8s]") {
  using std::chrono::system_clock;
  auto at = [](const char* t) {
    auto p = parse_rfc3339(t);
    return p ? system_clock::to_time_t(*p) : -1;
  };
  CHECK(at("1970-01-01T00:00:00Z") == 0);
  CHECK(at("1970-01-01T01:00:00+01:00") == 0);
  CHECK(at("1970-01-01T00:00:00.123456789Z") == 0);
  CHECK(at("1969-12-31T23:00:00-01:00") == 0);
  for (const char* bad :
       {"", "1970-01-01", "1970-01-01T00:00:00", "1970-13-01T00:00:00Z", "1970-01-01T00:00:00+0100",
        "1970-01-01 00:00:00Z", "1970-01-01T00:00:00Zx"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}

}  // namespace dra::k8s
