// The memory behind VTAMemDPI, as seen by the harness: bursts in, beats out. The DPI glue
// (dpi_exports.cc) only translates arguments; *when* data comes back is the model's business,
// so a later model can add seeded random latency, reordering and back-pressure (the FPGA
// emulation) without touching anything else.
#pragma once
#include <cstdint>
#include <cstring>

#include "dram.h"

namespace tsim {

// Told about every DRAM byte range a write beat changed (the store tracing hook).
class DramWriteObserver {
 public:
  virtual ~DramWriteObserver() = default;
  virtual void onDramWrite(uint64_t addr, uint32_t len) = 0;
};

class MemoryModel {
 public:
  MemoryModel(Dram& dram, uint32_t beatBytes) : dram_(dram), beatBytes_(beatBytes) {}
  virtual ~MemoryModel() = default;

  void setObserver(DramWriteObserver* o) { observer_ = o; }
  uint32_t beatBytes() const { return beatBytes_; }

  // The trace unit's ring buffer (TRACE_UNIT, rtl/vta_trace_unit.sv): `slots` records of 16 bytes
  // from `base`. Its writes are the unit's, not a STORE's, so the observer is not told of them.
  void setTraceRing(uint64_t base, uint32_t slots) {
    ringBase_ = base;
    ringSlots_ = slots;
  }
  uint64_t ringBase() const { return ringBase_; }
  uint32_t ringSlots() const { return ringSlots_; }
  // Who to tell about a write at `addr` (nobody inside the ring).
  DramWriteObserver* observerAt(uint64_t addr) const {
    const bool inRing = addr >= ringBase_ && addr - ringBase_ < uint64_t{ringSlots_} * 16;
    return inRing ? nullptr : observer_;
  }

  // Forget outstanding bursts (between runs).
  virtual void reset() = 0;
  // A read burst of `beats` beats starting at byte `addr`, answered with `id`.
  virtual void requestRead(uint8_t id, uint64_t addr, uint32_t beats) = 0;
  // A write burst of `beats` beats starting at byte `addr`.
  virtual void requestWrite(uint64_t addr, uint32_t beats) = 0;
  // One write beat (bit k of `strobe` enables byte k). False: no write burst is open.
  virtual bool writeBeat(const uint8_t* data, uint64_t strobe) = 0;
  // Once per cycle: `acceptedLast` = the RTL took the beat offered by the previous call.
  // Returns whether a beat is offered now; if so fills `id` and `data` (beatBytes bytes).
  virtual bool offerReadBeat(bool acceptedLast, uint8_t& id, uint8_t* data) = 0;
  // True when no burst is outstanding in either direction.
  virtual bool idle() const = 0;

  // Requests and beats seen so far: the watchdog's notion of memory progress.
  uint64_t traffic() const { return traffic_; }

 protected:
  // What the data lines carry when no beat is offered: upstream's filler, so stale data is
  // recognisable in a waveform.
  void idleFiller(uint8_t* data) const {
    for (uint32_t k = 0; k + 4 <= beatBytes_; k += 4) std::memcpy(data + k, "\xef\xbe\xad\xde", 4);
  }

  Dram& dram_;
  const uint32_t beatBytes_;
  DramWriteObserver* observer_ = nullptr;
  uint64_t traffic_ = 0;
  uint64_t ringBase_ = 0;
  uint32_t ringSlots_ = 0;
};

}  // namespace tsim
