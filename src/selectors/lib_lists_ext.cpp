// src/selectors/lib_lists_ext.cpp -- cel-go's list extension (ext/lists.go) at library
// version 3: slice, flatten, lists.range, reverse, distinct, sort and the hidden
// @sortByAssociatedKeys that the sortBy macro expands to, with the version-3 cost trackers
// and estimators.
//
// sortBy(e, key) is a parser macro upstream: `l.sortBy(e, k)` becomes
// `cel.bind(@__sortBy_input__, l, @__sortBy_input__.@sortByAssociatedKeys(
//  @__sortBy_input__.map(e, k)))`; this file provides only the hidden function.
//
// Sorting uses the algorithm of Go's sort.Slice (pattern-defeating quicksort, insertion
// sort below 13 elements), reproduced step for step: it is not stable, so the order of
// elements with equal keys (sortBy) and of NaN keys depends on it.
#include <fmt/format.h>

#include <bit>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "selectors/eval.hpp"
#include "selectors/lib_lists_common.hpp"
#include "selectors/library.hpp"

namespace dra::selectors {

namespace list_detail {

namespace {

// estimateAllocatingListCall: cost of producing a list of `size` elements at `factor` per
// element, plus the call and the list allocation; the result has that size.
CallEstimate allocating_list_call(double factor, SizeEstimate size) {
  return {
      add(add(multiply_by_factor(size, factor), fixed_cost(1)), fixed_cost(kListCreateBaseCost)),
      size};
}

uint64_t literal_or(std::optional<int64_t> v, uint64_t fallback) {
  if (!v) return fallback;
  return *v < 0 ? 0 : static_cast<uint64_t>(*v);
}

}  // namespace

CallEstimate estimate_list_slice(SizeEstimate list, std::optional<int64_t> start,
                                 std::optional<int64_t> end) {
  // Unsigned subtraction as upstream (a literal start beyond the end wraps around).
  const uint64_t n = literal_or(end, list.max) - literal_or(start, 0);
  return allocating_list_call(1, fixed_size(n));
}

CallEstimate estimate_lists_range(std::optional<int64_t> n) {
  return allocating_list_call(1, fixed_size(literal_or(n, kMaxU64)));
}

CallEstimate estimate_list_flatten(SizeEstimate list, std::optional<int64_t> depth) {
  return allocating_list_call(static_cast<double>(literal_or(depth, kMaxU64)), list);
}

}  // namespace list_detail

namespace {

using namespace list_detail;

const Value kNoSuchOverload = Value::error("no such overload");

// ---- Go's sort.Slice (sort/zsortfunc.go, pdqsort), over a permutation of indices.

template <class Less>
class GoSlice {
 public:
  GoSlice(std::vector<size_t>& data, Less less) : d_(data), less_(std::move(less)) {}

  void sort() {
    const int n = static_cast<int>(d_.size());
    pdqsort(0, n, static_cast<int>(std::bit_width(static_cast<unsigned>(n))));
  }

 private:
  enum Hint { kUnknown, kIncreasing, kDecreasing };

  bool less(int i, int j) { return less_(d_[i], d_[j]); }
  void swap(int i, int j) { std::swap(d_[i], d_[j]); }

  void insertion_sort(int a, int b) {
    for (int i = a + 1; i < b; ++i) {
      for (int j = i; j > a && less(j, j - 1); --j) swap(j, j - 1);
    }
  }

  void sift_down(int lo, int hi, int first) {
    int root = lo;
    for (;;) {
      int child = 2 * root + 1;
      if (child >= hi) return;
      if (child + 1 < hi && less(first + child, first + child + 1)) ++child;
      if (!less(first + root, first + child)) return;
      swap(first + root, first + child);
      root = child;
    }
  }

  void heap_sort(int a, int b) {
    const int first = a, hi = b - a;
    for (int i = (hi - 1) / 2; i >= 0; --i) sift_down(i, hi, first);
    for (int i = hi - 1; i >= 0; --i) {
      swap(first, first + i);
      sift_down(0, i, first);
    }
  }

  void pdqsort(int a, int b, int limit) {
    constexpr int kMaxInsertion = 12;
    bool was_balanced = true, was_partitioned = true;
    for (;;) {
      const int length = b - a;
      if (length <= kMaxInsertion) {
        insertion_sort(a, b);
        return;
      }
      if (limit == 0) {
        heap_sort(a, b);
        return;
      }
      if (!was_balanced) {
        break_patterns(a, b);
        --limit;
      }
      auto [pivot, hint] = choose_pivot(a, b);
      if (hint == kDecreasing) {
        reverse_range(a, b);
        pivot = (b - 1) - (pivot - a);
        hint = kIncreasing;
      }
      if (was_balanced && was_partitioned && hint == kIncreasing && partial_insertion_sort(a, b))
        return;
      if (a > 0 && !less(a - 1, pivot)) {
        a = partition_equal(a, b, pivot);
        continue;
      }
      auto [mid, already] = partition(a, b, pivot);
      was_partitioned = already;
      const int left = mid - a, right = b - mid, threshold = length / 8;
      if (left < right) {
        was_balanced = left >= threshold;
        pdqsort(a, mid, limit);
        a = mid + 1;
      } else {
        was_balanced = right >= threshold;
        pdqsort(mid + 1, b, limit);
        b = mid;
      }
    }
  }

  std::pair<int, bool> partition(int a, int b, int pivot) {
    swap(a, pivot);
    int i = a + 1, j = b - 1;
    while (i <= j && less(i, a)) ++i;
    while (i <= j && !less(j, a)) --j;
    if (i > j) {
      swap(j, a);
      return {j, true};
    }
    swap(i, j);
    ++i;
    --j;
    for (;;) {
      while (i <= j && less(i, a)) ++i;
      while (i <= j && !less(j, a)) --j;
      if (i > j) break;
      swap(i, j);
      ++i;
      --j;
    }
    swap(j, a);
    return {j, false};
  }

  int partition_equal(int a, int b, int pivot) {
    swap(a, pivot);
    int i = a + 1, j = b - 1;
    for (;;) {
      while (i <= j && !less(a, i)) ++i;
      while (i <= j && less(a, j)) --j;
      if (i > j) break;
      swap(i, j);
      ++i;
      --j;
    }
    return i;
  }

  bool partial_insertion_sort(int a, int b) {
    constexpr int kMaxSteps = 5, kShortestShifting = 50;
    int i = a + 1;
    for (int step = 0; step < kMaxSteps; ++step) {
      while (i < b && !less(i, i - 1)) ++i;
      if (i == b) return true;
      if (b - a < kShortestShifting) return false;
      swap(i, i - 1);
      if (i - a >= 2) {
        for (int j = i - 1; j >= 1; --j) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
      if (b - i >= 2) {
        for (int j = i + 1; j < b; ++j) {
          if (!less(j, j - 1)) break;
          swap(j, j - 1);
        }
      }
    }
    return false;
  }

  void break_patterns(int a, int b) {
    const int length = b - a;
    if (length < 8) return;
    uint64_t random = static_cast<uint64_t>(length);
    const unsigned modulus = 1u << std::bit_width(static_cast<unsigned>(length));
    for (int idx = a + (length / 4) * 2 - 1; idx <= a + (length / 4) * 2 + 1; ++idx) {
      random ^= random << 13;
      random ^= random >> 17;
      random ^= random << 5;
      int other = static_cast<int>(static_cast<unsigned>(random) & (modulus - 1));
      if (other >= length) other -= length;
      swap(idx, a + other);
    }
  }

  std::pair<int, Hint> choose_pivot(int a, int b) {
    constexpr int kShortestNinther = 50, kMaxSwaps = 4 * 3;
    const int l = b - a;
    int swaps = 0;
    int i = a + l / 4 * 1, j = a + l / 4 * 2, k = a + l / 4 * 3;
    if (l >= 8) {
      if (l >= kShortestNinther) {
        i = median(i - 1, i, i + 1, swaps);
        j = median(j - 1, j, j + 1, swaps);
        k = median(k - 1, k, k + 1, swaps);
      }
      j = median(i, j, k, swaps);
    }
    if (swaps == 0) return {j, kIncreasing};
    if (swaps == kMaxSwaps) return {j, kDecreasing};
    return {j, kUnknown};
  }

  void order2(int& a, int& b, int& swaps) {
    if (less(b, a)) {
      ++swaps;
      std::swap(a, b);
    }
  }

  int median(int a, int b, int c, int& swaps) {
    order2(a, b, swaps);
    order2(b, c, swaps);
    order2(a, b, swaps);
    return b;
  }

  void reverse_range(int a, int b) {
    for (int i = a, j = b - 1; i < j; ++i, --j) swap(i, j);
  }

  std::vector<size_t>& d_;
  Less less_;
};

// ---- the functions

Value slice(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List || args[1].kind() != ValueKind::Int ||
      args[2].kind() != ValueKind::Int)
    return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  const int64_t start = args[1].int_value(), end = args[2].int_value();
  if (start < 0 || end < 0)
    return Value::error(
        fmt::format("cannot slice({}, {}), negative indexes not supported", start, end));
  if (start > end)
    return Value::error(fmt::format(
        "cannot slice({}, {}), start index must be less than or equal to end index", start, end));
  if (static_cast<int64_t>(l.size()) < end)
    return Value::error(
        fmt::format("cannot slice({}, {}), list is length {}", start, end, l.size()));
  return Value::list(ListPayload(l.begin() + start, l.begin() + end));
}

void flatten_into(const ListPayload& l, int64_t depth, ListPayload& out) {
  for (const Value& v : l) {
    if (v.kind() != ValueKind::List || depth == 0) {
      out.push_back(v);
    } else {
      flatten_into(v.list_value(), depth - 1, out);
    }
  }
}

Value flatten_depth(const Value& list, int64_t depth) {
  if (depth < 0) return Value::error("level must be non-negative");
  ListPayload out;
  flatten_into(list.list_value(), depth, out);
  return Value::list(std::move(out));
}

// How cel-go prints the runtime type of a value in flatten's messages.
std::string runtime_type(const Value& v) {
  if (v.kind() == ValueKind::List) return "list(dyn)";
  if (v.kind() == ValueKind::Map) return "map(dyn, dyn)";
  return std::string(type_name(v));
}

// Upstream declares flatten without runtime type guards, so any receiver reaches the
// implementation, which reports its own "no such overload: ..." message.
Value flatten(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List)
    return Value::error(fmt::format("no such overload: {}.flatten()", runtime_type(args[0])));
  return flatten_depth(args[0], 1);
}
Value flatten_n(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List || args[1].kind() != ValueKind::Int)
    return Value::error(fmt::format("no such overload: {}.flatten({})", runtime_type(args[0]),
                                    runtime_type(args[1])));
  return flatten_depth(args[0], args[1].int_value());
}

Value range(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::Int) return kNoSuchOverload;
  const int64_t n = args[0].int_value();
  // Upstream builds the list and then charges n + 11 cost units: beyond the selector cost
  // limit (kMaxSteps, 1,000,000) for any n above it, so the result could never be used;
  // building a list of billions first is pointless.
  if (n > static_cast<int64_t>(kMaxSteps))
    return Value::error("operation cancelled: actual cost limit exceeded");
  ListPayload out;
  for (int64_t i = 0; i < n; ++i) out.push_back(Value::integer(i));
  return Value::list(std::move(out));
}

Value reverse(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  return Value::list(ListPayload(l.rbegin(), l.rend()));
}

Value distinct(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  const ListPayload& l = args[0].list_value();
  if (l.empty()) return args[0];
  ListPayload unique;
  for (const Value& v : l) {
    bool seen = false;
    for (const Value& u : unique) {
      if (equals(v, u)) {
        seen = true;
        break;
      }
    }
    if (!seen) unique.push_back(v);
  }
  return Value::list(std::move(unique));
}

// `list` ordered by `keys` (the same size; keys of one comparable kind).
Value sort_by_keys(const Value& list, const Value& keys) {
  const ListPayload& l = list.list_value();
  const ListPayload& k = keys.list_value();
  if (l.size() != k.size())
    return Value::error(fmt::format(
        "@sortByAssociatedKeys() expected a list of the same size as the associated keys "
        "list, but got {} and {} elements respectively",
        l.size(), k.size()));
  if (l.empty()) return list;
  const Value& first = k.front();
  if (!is_comparer(first)) return Value::error("list elements must be comparable");
  std::vector<size_t> order(l.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  bool mixed = false;
  auto less = [&](size_t i, size_t j) {
    if (k[i].kind() != first.kind() || k[j].kind() != first.kind()) {
      mixed = true;
      return false;
    }
    return compare(k[i], k[j]) == -1;
  };
  GoSlice<decltype(less)>(order, less).sort();
  if (mixed) return Value::error("list elements must have the same type");
  ListPayload out;
  out.reserve(order.size());
  for (size_t i : order) out.push_back(l[i]);
  return Value::list(std::move(out));
}

Value sort(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List) return kNoSuchOverload;
  return sort_by_keys(args[0], args[0]);
}

Value sort_by_associated_keys(std::span<const Value> args) {
  if (args[0].kind() != ValueKind::List || args[1].kind() != ValueKind::List)
    return kNoSuchOverload;
  return sort_by_keys(args[0], args[1]);
}

// ---- runtime costs (cel-go's version-3 trackers)

// trackAllocatingListCall: size * factor (rounded down) + call + list allocation.
uint64_t allocating_list_cost(double factor, uint64_t size) {
  const double p = static_cast<double>(size) * factor;
  const uint64_t scaled =
      p < 0 ? static_cast<uint64_t>(static_cast<int64_t>(p)) : static_cast<uint64_t>(p);
  return scaled + 1 + kListCreateBaseCost;
}

uint64_t output_size_cost(std::span<const Value>, const Value& result) {
  return allocating_list_cost(1, actual_size(result));
}

uint64_t flatten_cost(std::span<const Value> args, const Value&) {
  const double depth = args.size() == 2 ? static_cast<double>(args[1].int_value()) : 1.0;
  return allocating_list_cost(depth, actual_size(args[0]));
}

// trackListSelfCompare: worst case n^2 comparisons, a little more for strings and bytes.
uint64_t self_compare_cost(const Value& list) {
  const uint64_t n = actual_size(list);
  double factor = 2.0;
  if (n == 0) return allocating_list_cost(factor, 0);
  const ValueKind k = list.list_value().front().kind();
  if (k == ValueKind::String || k == ValueKind::Bytes) factor += kStringTraversalCostFactor;
  return allocating_list_cost(factor, n * n);
}

uint64_t distinct_cost(std::span<const Value> args, const Value&) {
  return self_compare_cost(args[0]);
}
uint64_t sort_cost(std::span<const Value> args, const Value&) { return self_compare_cost(args[0]); }
uint64_t sort_by_cost(std::span<const Value> args, const Value&) {
  return self_compare_cost(args[1]);
}

// ---- estimates (receiver first in `args`)

CallEstimate slice_estimate(std::span<const SizeEstimate> args) {
  return estimate_list_slice(arg_size(args, 0), std::nullopt, std::nullopt);
}
CallEstimate range_estimate(std::span<const SizeEstimate>) {
  return estimate_lists_range(std::nullopt);
}
CallEstimate flatten_estimate(std::span<const SizeEstimate> args) {
  return estimate_list_flatten(arg_size(args, 0), 1);
}
CallEstimate flatten_n_estimate(std::span<const SizeEstimate> args) {
  return estimate_list_flatten(arg_size(args, 0), std::nullopt);
}
CallEstimate reverse_estimate(std::span<const SizeEstimate> args) {
  return allocating_list_call(1, arg_size(args, 0));
}
CallEstimate distinct_estimate(std::span<const SizeEstimate> args) {
  const SizeEstimate n = arg_size(args, 0);
  return allocating_list_call(2.0, multiply(n, n));
}
// estimateListSortCost over the list being sorted (sort) or the keys (sortBy).
CallEstimate sort_estimate_of(SizeEstimate n, bool text) {
  return allocating_list_call(text ? 2.0 + kStringTraversalCostFactor : 2.0, multiply(n, n));
}
CallEstimate sort_estimate(std::span<const SizeEstimate> args) {
  return sort_estimate_of(arg_size(args, 0), false);
}
CallEstimate sort_text_estimate(std::span<const SizeEstimate> args) {
  return sort_estimate_of(arg_size(args, 0), true);
}
CallEstimate sort_by_estimate(std::span<const SizeEstimate> args) {
  return sort_estimate_of(arg_size(args, 1), false);
}
CallEstimate sort_by_text_estimate(std::span<const SizeEstimate> args) {
  return sort_estimate_of(arg_size(args, 1), true);
}

const OverloadDecl kDecls[] = {
    {"list_slice", "list(T).slice(int, int) -> list(T)", slice, output_size_cost, slice_estimate},
    {"list_flatten", "list(list(T)).flatten() -> list(T)", flatten, flatten_cost, flatten_estimate},
    {"list_flatten_int", "list(dyn).flatten(int) -> list(dyn)", flatten_n, flatten_cost,
     flatten_n_estimate},
    // sort: one overload per comparable element type, one implementation (upstream binds
    // it once for the whole function, without type guards).
    {"list_int_sort", "list(int).sort() -> list(int)", sort, sort_cost, sort_estimate},
    {"list_uint_sort", "list(uint).sort() -> list(uint)", sort, sort_cost, sort_estimate},
    {"list_double_sort", "list(double).sort() -> list(double)", sort, sort_cost, sort_estimate},
    {"list_bool_sort", "list(bool).sort() -> list(bool)", sort, sort_cost, sort_estimate},
    {"list_google.protobuf.Duration_sort",
     "list(google.protobuf.Duration).sort() -> list(google.protobuf.Duration)", sort, sort_cost,
     sort_estimate},
    {"list_google.protobuf.Timestamp_sort",
     "list(google.protobuf.Timestamp).sort() -> list(google.protobuf.Timestamp)", sort, sort_cost,
     sort_estimate},
    {"list_string_sort", "list(string).sort() -> list(string)", sort, sort_cost,
     sort_text_estimate},
    {"list_bytes_sort", "list(bytes).sort() -> list(bytes)", sort, sort_cost, sort_text_estimate},
    // The target of the sortBy macro's expansion.
    {"list_int_sortByAssociatedKeys", "list(T).@sortByAssociatedKeys(list(int)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_estimate},
    {"list_uint_sortByAssociatedKeys", "list(T).@sortByAssociatedKeys(list(uint)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_estimate},
    {"list_double_sortByAssociatedKeys", "list(T).@sortByAssociatedKeys(list(double)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_estimate},
    {"list_bool_sortByAssociatedKeys", "list(T).@sortByAssociatedKeys(list(bool)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_estimate},
    {"list_google.protobuf.Duration_sortByAssociatedKeys",
     "list(T).@sortByAssociatedKeys(list(google.protobuf.Duration)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_estimate},
    {"list_google.protobuf.Timestamp_sortByAssociatedKeys",
     "list(T).@sortByAssociatedKeys(list(google.protobuf.Timestamp)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_estimate},
    {"list_string_sortByAssociatedKeys", "list(T).@sortByAssociatedKeys(list(string)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_text_estimate},
    {"list_bytes_sortByAssociatedKeys", "list(T).@sortByAssociatedKeys(list(bytes)) -> list(T)",
     sort_by_associated_keys, sort_by_cost, sort_by_text_estimate},
    {"lists_range", "lists.range(int) -> list(int)", range, output_size_cost, range_estimate},
    {"list_reverse", "list(T).reverse() -> list(T)", reverse, output_size_cost, reverse_estimate},
    {"list_distinct", "list(T).distinct() -> list(T)", distinct, distinct_cost, distinct_estimate},
};

}  // namespace

std::span<const OverloadDecl> lists_extension() { return kDecls; }

}  // namespace dra::selectors
