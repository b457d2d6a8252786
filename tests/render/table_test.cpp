// tests/render/table_test.cpp -- kubectl's table layout and the short forms of `get`.
#include "render/table.hpp"

#include <catch2/catch.hpp>
#include <sstream>

#include "k8s/model.hpp"
#include "render/get.hpp"

namespace dra::render {

TEST_CASE("render: tables as kubectl prints them", "[render]") {
  Table t;
  t.headers = {"NAME", "STATE", "NODE"};
  t.add({"a", "free", "node-1"});
  t.add({"longer-name", "allocated to ns/c", ""});
  std::ostringstream out;
  print(t, out);
  CHECK(out.str() ==
        "NAME          STATE               NODE\n"
        "a             free                node-1\n"
        "longer-name   allocated to ns/c\n");
  std::ostringstream none;
  print(Table{{"NAME"}, {}}, none);
  CHECK(none.str().empty());
  CHECK(display_width("\xc3\xa9t\xc3\xa9") == 3);  // "été"
}

TEST_CASE("render: request summaries", "[render]") {
  k8s::DeviceClaim claim;
  auto& gpu = claim.requests.emplace_back();
  gpu.name = "gpu";
  gpu.exactly.emplace();
  gpu.exactly->device_class_name = "gpu.example.com";
  gpu.exactly->allocation_mode = "ExactCount";
  gpu.exactly->count = 2;
  auto& all = claim.requests.emplace_back();
  all.name = "all";
  all.exactly.emplace();
  all.exactly->device_class_name = "nic";
  all.exactly->allocation_mode = "All";
  auto& alt = claim.requests.emplace_back();
  alt.name = "alt";
  alt.first_available.resize(2);
  alt.first_available[0].device_class_name = "big";
  alt.first_available[0].count = 1;
  alt.first_available[1].device_class_name = "small";
  alt.first_available[1].count = 4;
  CHECK(request_summary(claim) == "gpu:gpu.example.com:2,all:nic:all,alt:big|small:4");
  CHECK(request_summary(k8s::DeviceClaim{}) == "<none>");
}

}  // namespace dra::render
