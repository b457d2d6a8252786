// src/selectors/cache.cpp -- compile and match caches (cache.hpp).
#include "selectors/cache.hpp"

#include <fmt/format.h>

#include "selectors/device.hpp"
#include "selectors/projection.hpp"

namespace dra::selectors {

const Compiled& ProgramCache::get(std::string_view expression) {
  auto [it, fresh] = compiled_.try_emplace(std::string(expression));
  if (fresh) {
    ++compilations_;
    it->second = compile(expression);
  }
  return it->second;
}

const Value& MatchCache::device(const k8s::Device& device, std::string_view driver) {
  auto [it, fresh] = devices_.try_emplace(&device);
  if (fresh) it->second = make_device(device, driver);
  return it->second;
}

Value MatchCache::make_device(const k8s::Device& device, std::string_view driver) {
  return device_value(device, driver, values_);
}

const Value& MatchCache::evaluate(const Program& program, const k8s::Device& d,
                                  std::string_view driver) {
  auto [it, fresh] = results_.try_emplace({&program, &d});
  if (fresh) it->second = evaluate_on(program, device(d, driver));
  return it->second;
}

bool MatchCache::convertible(const k8s::Device& device) {
  return selectors::convertible(device, values_);
}

Value MatchCache::evaluate_on(const Program& program, const Value& device) {
  if (device.is_error()) return device;
  ++evaluations_;
  Activation act;
  act.bind("device", device);
  return program.evaluate(act);
}

Match to_match(const Value& result) {
  if (result.is_error()) return {false, result.error_message()};
  if (result.kind() != ValueKind::Bool) {
    return {false,
            fmt::format("CEL result of type {} could not be converted to bool", type_name(result))};
  }
  return {result.bool_value(), {}};
}

}  // namespace dra::selectors

namespace dra::selectors {

std::string enhance_runtime_error(std::string message) {
  static constexpr std::string_view kAdvice =
      ". consider using CEL optional chaining (.? followed by orValue()) or guarding the check "
      "with has() for optional fields";
  if (message.find("no such key:") != std::string::npos &&
      message.find(kAdvice) == std::string::npos) {
    message += kAdvice;
  }
  return message;
}

}  // namespace dra::selectors
