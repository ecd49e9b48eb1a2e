// Our stand-in for dmlc's logging macros as upstream's sim sources use them: a failed check or
// LOG(FATAL) prints its message and aborts.
#pragma once
#include <cstdlib>
#include <iostream>

struct VtaBenchFatal {
  ~VtaBenchFatal() {
    std::cerr << std::endl;
    std::abort();
  }
  std::ostream& stream() { return std::cerr; }
};
struct VtaBenchVoidify {
  void operator&(std::ostream&) {}
};

#define CHECK(cond) (cond) ? (void)0 : VtaBenchVoidify() & VtaBenchFatal().stream() << "Check failed: " #cond " "
#define CHECK_EQ(a, b) CHECK((a) == (b))
#define CHECK_NE(a, b) CHECK((a) != (b))
#define CHECK_LT(a, b) CHECK((a) < (b))
#define CHECK_LE(a, b) CHECK((a) <= (b))
#define CHECK_GT(a, b) CHECK((a) > (b))
#define CHECK_GE(a, b) CHECK((a) >= (b))
#define LOG(severity) VtaBenchFatal().stream()
