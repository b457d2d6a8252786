// src/alloc/extended.hpp -- DRA-backed extended resources (KEP-5004, DRAExtendedResource):
// a container asks for `example.com/gpu: 1` and a DeviceClass that declares that
// extendedResourceName (or any class, by its implicit name
// `deviceclass.resource.kubernetes.io/<class>`) serves it, on every node whose allocatable
// does not list the resource. The scheduler then allocates a claim it makes for the Pod.
//
// Upstream: kubernetes/kubernetes pkg/scheduler/framework/plugins/dynamicresources
// (extendeddynamicresources.go: preFilterExtendedResources, filterExtendedResources,
// createRequestsAndMappings), pkg/scheduler/framework/plugins/helper
// (ShouldDelegateResourceToDRA), staging/src/k8s.io/dynamic-resource-allocation/deviceclass/
// extendedresourcecache (which class wins a name), k8s.io/component-helpers/resource
// (PodRequests).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "k8s/model.hpp"

namespace dra::alloc {

inline constexpr std::string_view kExtendedResourceClaimAnnotation =
    "resource.kubernetes.io/extended-resource-claim";
inline constexpr std::string_view kDeviceClassResourcePrefix =
    "deviceclass.resource.kubernetes.io/";

// v1helper.IsExtendedResourceName: "domain/name", not in kubernetes.io, not "requests.*",
// and "requests.<name>" a qualified name.
bool is_extended_resource_name(std::string_view name);
// The names the scheduler may hand to DRA: extended resource names and the implicit
// deviceclass.resource.kubernetes.io/<class> names.
bool is_dra_extended_resource_name(std::string_view name);

// Which DeviceClass serves each extended resource name: every class its implicit name, and
// the classes that declare spec.extendedResourceName that name. When several declare one
// name, the newest creationTimestamp wins, then the smaller class name (the API's rule).
class ExtendedResourceClasses {
 public:
  explicit ExtendedResourceClasses(const k8s::Cluster& cluster);
  const k8s::DeviceClass* find(std::string_view resource) const;
  // The classes that declare `resource` explicitly, the winner first (for explanations).
  std::vector<const k8s::DeviceClass*> candidates(std::string_view resource) const;

 private:
  std::unordered_map<std::string, std::vector<const k8s::DeviceClass*>> explicit_;
  std::unordered_map<std::string_view, const k8s::DeviceClass*> implicit_;
};

// Where a Pod's extended resources go on each node (filterExtendedResources and
// NodeResourcesFit together): to DRA where a class serves the name and the node's
// allocatable does not list it (or lists 0); to the device plugin where it lists some, if
// enough is left after the Pods bound there and those committed since; else the node cannot
// run the Pod ("Insufficient <name>").
class ExtendedRouter {
 public:
  ExtendedRouter(const k8s::Cluster& cluster, const ExtendedResourceClasses& classes)
      : cluster_(cluster), classes_(classes) {}

  struct Route {
    std::string why;  // not empty: the node cannot run the Pod
    std::vector<std::pair<std::string, const k8s::DeviceClass*>> to_dra;
    std::vector<std::pair<std::string, int64_t>> to_plugin;  // and how much
  };
  // `names`: the Pod's extended resources (extended_requests).
  Route route(const k8s::Pod& pod, const std::vector<std::string>& names,
              const k8s::NodeObject& node);
  // A Pod placed on `node` with `route`: its device plugin resources are in use there.
  void commit(const std::string& node, const Route& route);

 private:
  using Usage = std::unordered_map<std::string, std::unordered_map<std::string, int64_t>>;
  Usage& usage();
  int64_t in_use(const std::string& node, const std::string& name);
  const k8s::Cluster& cluster_;
  const ExtendedResourceClasses& classes_;
  std::optional<Usage> usage_;
};

// How much of `resource` the scheduler counts for a Pod (PodRequests): the regular
// containers and sidecars summed, or the largest plain init container plus the sidecars
// started before it if that is more. Whole units; a request that is not a whole number
// counts as 0.
int64_t pod_request(const k8s::Pod& pod, std::string_view resource);

// The extended resources a Pod asks for (non-zero PodRequests), sorted by name.
std::vector<std::string> extended_requests(const k8s::Pod& pod);

// One request of the special claim: which container's resource it serves.
struct ExtendedMapping {
  std::string container;
  std::string resource;
  std::string request;
};

// The special claim's devices and the containers they serve, for the resources that go to
// DRA on one node (each with its class): requests "container-<i>-request-<j>" (i the index in
// initContainers then containers, j the resource's place among the container's requested
// names), ExactCount with the container's quantity; plain init containers reuse what
// containers starting after them ask for and keep only the largest request they need;
// sorted by request name.
struct ExtendedClaim {
  k8s::ResourceClaimSpec spec;
  std::vector<ExtendedMapping> mappings;
};
ExtendedClaim extended_claim(
    const k8s::Pod& pod,
    const std::vector<std::pair<std::string, const k8s::DeviceClass*>>& to_dra);

// The claim object as the scheduler creates it: generateName "<pod>-extended-resources-",
// the extended-resource-claim annotation, the Pod as controller owner, `claim`'s spec.
k8s::ResourceClaim extended_claim_object(const k8s::Pod& pod, std::string name,
                                         k8s::ResourceClaimSpec spec);

// status.extendedResourceClaimStatus as the scheduler writes it: requestMappings
// (containerName, resourceName, requestName) and resourceClaimName.
k8s::Value extended_claim_status(const std::string& claim_name,
                                 const std::vector<ExtendedMapping>& mappings);

// Whether `claim` is the special claim of `pod` (annotation "true" and the Pod, by uid, as
// controller owner).
bool is_extended_claim_of(const k8s::ResourceClaim& claim, const k8s::Pod& pod);

}  // namespace dra::alloc
