// tests/fuzz/fuzz_kubeconfig.cpp -- libFuzzer: a kubeconfig file resolves to a
// configuration or to diagnostics, never a crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "k8s/kubeconfig.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  dra::k8s::KubeconfigEnv env;
  env.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.read_file = [&](const std::string& path) -> std::optional<std::string> {
    if (path == "/fuzz/config") return text;
    return std::nullopt;
  };
  env.home = "/fuzz-home";
  dra::k8s::KubeconfigFlags flags;
  flags.kubeconfig = "/fuzz/config";
  dra::util::Diagnostics diags;
  (void)dra::k8s::resolve_kubeconfig(flags, env, diags);
  (void)dra::k8s::kubeconfig_names(flags, env);
  return 0;
}
