// Turns probe values into trace events (semantics: fixtures/probe-maps/README.md). Keeps a shadow
// copy of every probed buffer and, per module, the rows and DRAM elements its current
// instruction wrote; at the module's retire it sends each of them once with its final value,
// then the retire itself.
//
// With completion groups (a compute module that runs instructions side by side and retires them
// in order), compute writes and iteration records are kept per group; a group's completion
// snapshots them (values as they are then) into that group's queue, and a compute retire sends
// the oldest snapshot of its group.
#pragma once
#include <cstdint>
#include <deque>
#include <unordered_map>
#include <vector>

#include "dram.h"
#include "frame_io.h"
#include "memory_model.h"
#include "probes.h"

namespace tsim {

class EventTracer final : public DramWriteObserver {
 public:
  EventTracer(const ProbeSet& probes, const Dram& dram);

  // Per run: whether events / iteration events / DRAM read records are wanted, and the dram.store element size.
  void startRun(bool events, bool iters, bool reads, uint32_t dramGranule);
  // A read burst of `bytes` bytes from `addr` with VTAMemDPI id `id` was requested (dram.load).
  void onDramRead(uint8_t id, uint64_t addr, uint32_t bytes);
  // Sample every probe for the cycle just evaluated. Returns true if anything architectural
  // happened (a retire or a buffer write): the watchdog's notion of compute progress.
  bool sample(uint64_t cycle);
  // Send the writes of instructions that never retired (a run that stopped early).
  void flushUnretired();
  // Send buffered event records, if any.
  void flush();

  void onDramWrite(uint64_t addr, uint32_t len) override;
  void setCycle(uint64_t cycle) { cycle_ = cycle; }
  uint32_t retired(int module) const { return retired_[module]; }

 private:
  struct Shadow {
    uint8_t stream = 0;
    uint8_t owner = 0;
    uint32_t depth = 0;
    uint32_t elemBytes = 0;
    std::vector<uint8_t> rows;
    std::vector<uint64_t> lastCycle;
    std::vector<uint8_t> dirtyGroups;        // per row: bit g = written by group g, not yet sent
    std::vector<uint32_t> dirty[kMaxGroups];  // those rows per group, in first-write order
  };
  // Records held back until their retire, written with FrameBuilder's field writers.
  struct Bytes {
    std::vector<uint8_t> v;
    void u8(uint8_t x) { v.push_back(x); }
    void u32(uint32_t x) { bytes(&x, 4); }
    void u64(uint64_t x) { bytes(&x, 8); }
    void bytes(const void* p, size_t n) {
      const uint8_t* b = static_cast<const uint8_t*>(p);
      v.insert(v.end(), b, b + n);
    }
  };
  struct Group {
    Bytes iters;              // iteration records since the group's last completion
    uint32_t ordinal = 0;     // of the next one
    std::deque<Bytes> done;   // per completed, not yet retired instruction: its records
  };
  void sampleWrite(const WriteProbe& p, Shadow& s, uint64_t cycle);
  void sampleIter(const IterProbe& p, uint64_t cycle);
  template <class Out>
  void putIter(Out& out, const IterProbe& p, uint64_t cycle, uint32_t ordinal);
  template <class Out>
  void putDirty(Out& out, int module, unsigned group);
  void complete(unsigned group);
  void emitDirty(int module);
  void emitCompute();
  void emitDramDirty();
  void maybeFlush() {
    if (batch_.payloadSize() >= (1u << 20)) flush();
  }

  const ProbeSet& probes_;
  const Dram& dram_;
  std::vector<Shadow> shadows_;
  std::vector<int> shadowOfWrite_;  // probes_.writes[i] -> shadows_ index
  std::unordered_map<uint64_t, uint64_t> dramDirty_;  // element address -> cycle
  std::vector<uint64_t> dramOrder_;
  std::vector<uint8_t> scratch_;
  FrameBuilder batch_{kRepEvents};
  bool events_ = false;
  bool iters_ = false;
  bool reads_ = false;
  uint32_t dramGranule_ = 16;
  uint32_t iterOrdinal_ = 0;
  bool grouped_ = false;  // the map declares completions
  std::vector<Group> groups_;
  uint32_t retired_[3] = {0, 0, 0};
  uint64_t cycle_ = 0;
};

}  // namespace tsim
