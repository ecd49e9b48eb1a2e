// Our stand-in for the one TVM header upstream's sim driver includes: the bench links the driver
// without TVM, so function registration is accepted and dropped.
#pragma once
#include <cstdint>

#include <dmlc/logging.h>  // upstream reaches the logging macros through this header

namespace tvm {
namespace runtime {
struct TVMArgValue {
  template <typename T>
  operator T() const { return T(); }
};
struct TVMArgs {
  TVMArgValue operator[](int) const { return {}; }
};
struct TVMRetValue {
  template <typename T>
  TVMRetValue& operator=(const T&) { return *this; }
};
struct BenchRegistry {
  template <typename F>
  BenchRegistry& set_body(F) { return *this; }
};
}  // namespace runtime
}  // namespace tvm

#define VTA_BENCH_CAT2(a, b) a##b
#define VTA_BENCH_CAT(a, b) VTA_BENCH_CAT2(a, b)
#define TVM_REGISTER_GLOBAL(name) \
  static ::tvm::runtime::BenchRegistry VTA_BENCH_CAT(vta_bench_registry_, __COUNTER__) = ::tvm::runtime::BenchRegistry()
