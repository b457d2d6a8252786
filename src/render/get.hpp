// src/render/get.hpp -- what `kubectl dra get` prints for each resource type. The command
// picks and orders the objects; these functions only format them.
#pragma once

#include <ostream>
#include <vector>

#include "alloc/inventory.hpp"
#include "k8s/model.hpp"
#include "render/output.hpp"

namespace dra::render {

void devices(const std::vector<alloc::DeviceRef>& devices, const alloc::Inventory& inv,
             OutputFormat format, std::ostream& out);
void pools(const std::vector<const alloc::Pool*>& pools, const alloc::Inventory& inv,
           OutputFormat format, std::ostream& out);
void slices(const std::vector<const k8s::ResourceSlice*>& slices, OutputFormat format,
            std::ostream& out);
void classes(const std::vector<const k8s::DeviceClass*>& classes, OutputFormat format,
             std::ostream& out);
void claims(const std::vector<const k8s::ResourceClaim*>& claims, OutputFormat format,
            std::ostream& out);

// Short forms used in tables (exposed for tests).
std::string device_state(const alloc::DeviceRef& d, const alloc::Inventory& inv,
                         const std::vector<alloc::CounterUse>* counters);
std::string reach_text(const alloc::Reach& r);
std::string request_summary(const k8s::DeviceClaim& claim);  // "gpus:gpu.nvidia.com:2,..."

}  // namespace dra::render
