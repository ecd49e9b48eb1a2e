// The write side shared by every memory model. The upstream shell has no write ready and no
// write response (vta-isa.md §7.3): every beat the RTL sends must be taken in the cycle it comes,
// and the RTL's wrapper assumes it is written then (it makes its own response). So no model may
// delay or refuse a write beat; they all apply it at once, through this one piece of code.
#pragma once
#include <cstdint>
#include <deque>

#include "dram.h"
#include "memory_model.h"

namespace tsim {

class MemoryWriteChannel {
 public:
  void reset() { bursts_.clear(); }
  void request(uint64_t addr, uint32_t beats) { bursts_.push_back({addr, beats}); }
  // Write one beat into the oldest open burst and tell `model`'s observer. False: no burst is open.
  bool beat(Dram& dram, const MemoryModel& model, const uint8_t* data, uint64_t strobe);
  bool idle() const { return bursts_.empty(); }

 private:
  struct Burst {
    uint64_t addr;
    uint32_t beatsLeft;
  };
  std::deque<Burst> bursts_;
};

}  // namespace tsim
