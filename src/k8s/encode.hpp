// src/k8s/encode.hpp -- model objects back to their JSON shape (as Values), in any of the
// resource.k8s.io versions the tool reads: the inverse of the decoder, including the
// v1 -> v1beta1 conversion (spec/dra-api.md §7). k8s/emit.hpp turns the Value into text.
#pragma once

#include <optional>

#include "k8s/model.hpp"
#include "k8s/value.hpp"
#include "util/result.hpp"

namespace dra::k8s {

// Each returns the whole object: apiVersion and kind first, then metadata, spec and status
// (a claim's status only if it has one, ResourceClaim::has_status; a taint rule's only if it
// is not null). `version` nullopt means the version the object was read in (Source::version;
// objects the tool made have v1).
//
// Field order. Written in the version it was read in, an object keeps the input's order:
// every JSON object follows its `origin.fields`, unknown fields back in their places from
// `origin.extras`; fields the input lacked (added by defaulting or by the tool) follow in
// canonical order. A field the input had but the model leaves unset (`x: null`, v1beta1's
// `nodeName: ""`, `allNodes: false`, an explicit `count: 0`) is written back as it was.
// Written in another version (or made by the tool), objects are in canonical order, the Go
// struct order of kubernetes/api resource/<version>/types.go, with unknown fields appended
// at the end of their object. Map entries (attributes, capacity, counters, labels) keep the
// model's order.
//
// Omission follows the types' json tags: unset optionals and empty strings, numbers and
// lists are left out (omitempty), except fields the API always writes: DeviceClass `spec`,
// claim `spec.devices`, `pool`, `exactly.deviceClassName`, a result's `devices`, ... (a
// non-pointer struct or a string/int without omitempty). Quantities are written canonically
// (Quantity::to_string).
//
// v1beta1: a device's fields other than `name` are wrapped in `basic` (always written,
// possibly `{}`; Device::basic_extras go inside it), a request's `exactly` is flattened onto
// the request, and a slice's `nodeName`/`allNodes` are plain values left out when unset.
// Objects read as v1beta1 carry v1beta1's unknown fields; written as v1 they stay on the
// same object (a device's `basic` extras move onto the device).
Value encode(const DeviceClass& object, std::optional<ApiVersion> version = {});
Value encode(const ResourceSlice& object, std::optional<ApiVersion> version = {});
Value encode(const ResourceClaim& object, std::optional<ApiVersion> version = {});
Value encode(const ResourceClaimTemplate& object, std::optional<ApiVersion> version = {});

// v1beta1 has no DeviceTaintRule: asking for it is an error (the message names the rule and
// the versions that have it); any other version cannot fail.
util::Result<Value> encode(const DeviceTaintRule& object, std::optional<ApiVersion> version = {});

// One list item as Go's encoding/json writes the resource.k8s.io/v1 type: canonical field
// order, omitempty, no unknown fields, map keys sorted. Declarative validation prints a
// duplicate item of a keyed list this way ("Duplicate value: {...}").
Value encode_v1_item(const DeviceRequest& item);
Value encode_v1_item(const DeviceSubRequest& item);
Value encode_v1_item(const CounterSet& item);
Value encode_v1_item(const DeviceCounterConsumption& item);

// core/v1 objects are written back exactly as read (`raw`). One the tool made (raw null) is
// written as apiVersion, kind and metadata.
Value encode(const NodeObject& object);
Value encode(const Pod& object);
Value encode(const NamespaceObject& object);

}  // namespace dra::k8s
