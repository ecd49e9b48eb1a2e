// The emulated-board memory ("emu"): what a DRAM controller and interconnect on an FPGA board do
// to the RTL, within what the upstream VTAMemDPI contract lets a memory do (targets/tsim/README.md
// "Memory through VTAMemDPI"), driven by one seed so every run of a seed is identical:
//   - read requests wait in an address queue that takes at most one per cycle and stalls at
//     random (the shell has no request ready, so back-pressure shows up as queueing delay);
//   - each burst gets a random latency (mostly short, sometimes a long miss), so bursts complete
//     out of request order;
//   - beats of bursts with different ids interleave; beats of one burst stay in order, and bursts
//     of one id complete in request order (the AXI rule);
//   - the read-data channel stalls at random, more often in cycles with a write beat (one DRAM port);
//   - a beat the RTL did not take is offered again unchanged, as valid/ready requires.
// Write beats cannot be delayed or refused: the shell has neither a write ready nor a write
// response (memory_write_channel.h).
#pragma once
#include <cstdint>
#include <deque>
#include <vector>

#include "memory_model.h"
#include "memory_write_channel.h"

namespace tsim {

// splitmix64: tiny, fast and the same on every platform (unlike std:: distributions).
class SplitMix64 {
 public:
  void seed(uint64_t s) { state_ = s; }
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) (the modulo bias is irrelevant for n this small).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((next() >> 11) % n); }
  // True with probability num/den.
  bool chance(uint32_t num, uint32_t den) { return below(den) < num; }

 private:
  uint64_t state_ = 0;
};

class EmuMemory final : public MemoryModel {
 public:
  EmuMemory(Dram& dram, uint32_t beatBytes, uint64_t seed) : MemoryModel(dram, beatBytes), seed_(seed) { reset(); }
  // Also restarts the random sequence: a run depends only on the seed and the design.
  void reset() override;
  void requestRead(uint8_t id, uint64_t addr, uint32_t beats) override;
  void requestWrite(uint64_t addr, uint32_t beats) override;
  bool writeBeat(const uint8_t* data, uint64_t strobe) override;
  bool offerReadBeat(bool acceptedLast, uint8_t& id, uint8_t* data) override;
  bool idle() const override { return queued_.empty() && bursts_.empty() && writes_.idle(); }

 private:
  struct Burst {
    uint8_t id;
    uint64_t addr;
    uint32_t beatsLeft;
    uint64_t seq;      // request order
    uint64_t readyAt;  // first cycle its data may flow
  };
  void acceptRequest();
  int pickBurst();
  int indexOf(uint64_t seq) const;

  const uint64_t seed_;
  SplitMix64 rng_;
  uint64_t now_ = 0;  // calls (cycles) since reset
  uint64_t nextSeq_ = 0;
  std::deque<Burst> queued_;   // requested, not yet taken by the controller
  std::vector<Burst> bursts_;  // taken, in request order, with data still to send
  MemoryWriteChannel writes_;
  bool held_ = false;          // a beat was offered last call
  uint64_t heldSeq_ = 0;       // ... from this burst
  uint64_t currentSeq_ = ~uint64_t{0};  // burst of the last beat sent (continued by preference)
  std::vector<uint8_t> heldData_;  // ... with these bytes (re-offered unchanged even if DRAM changed)
  bool wroteThisCycle_ = false;
  std::vector<int> eligible_;  // scratch for pickBurst
};

}  // namespace tsim
