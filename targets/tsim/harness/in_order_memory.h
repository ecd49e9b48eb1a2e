// The tsim memory: bursts answered in request order, beats back to back, one per cycle while
// the RTL is ready. Several read bursts may be outstanding (each keeps its id).
#pragma once
#include <deque>

#include "memory_model.h"
#include "memory_write_channel.h"

namespace tsim {

class InOrderMemory final : public MemoryModel {
 public:
  using MemoryModel::MemoryModel;
  void reset() override;
  void requestRead(uint8_t id, uint64_t addr, uint32_t beats) override;
  void requestWrite(uint64_t addr, uint32_t beats) override;
  bool writeBeat(const uint8_t* data, uint64_t strobe) override;
  bool offerReadBeat(bool acceptedLast, uint8_t& id, uint8_t* data) override;
  bool idle() const override { return reads_.empty() && writes_.idle(); }

 private:
  struct Burst {
    uint8_t id;
    uint64_t addr;
    uint32_t beatsLeft;
  };
  std::deque<Burst> reads_;
  MemoryWriteChannel writes_;
  bool offered_ = false;
};

}  // namespace tsim
