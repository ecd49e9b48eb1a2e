// Turns probe values into trace events (semantics: fixtures/probe-maps/README.md). Keeps a shadow
// copy of every probed buffer and, per module, the rows and DRAM elements its current
// instruction wrote; at the module's retire it sends each of them once with its final value,
// then the retire itself.
#pragma once
#include <cstdint>
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

  // Per run: whether events / iteration events are wanted, and the dram.store element size.
  void startRun(bool events, bool iters, uint32_t dramGranule);
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
    std::vector<uint8_t> isDirty;
    std::vector<uint32_t> dirty;
  };
  void sampleWrite(const WriteProbe& p, Shadow& s, uint64_t cycle);
  void sampleIter(const IterProbe& p, uint64_t cycle);
  void emitDirty(int module);
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
  uint32_t dramGranule_ = 16;
  uint32_t iterOrdinal_ = 0;
  uint32_t retired_[3] = {0, 0, 0};
  uint64_t cycle_ = 0;
};

}  // namespace tsim
