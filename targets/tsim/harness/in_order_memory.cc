#include "in_order_memory.h"

#include <cstring>

namespace tsim {

void InOrderMemory::reset() {
  reads_.clear();
  writes_.clear();
  offered_ = false;
}

void InOrderMemory::requestRead(uint8_t id, uint64_t addr, uint32_t beats) {
  reads_.push_back({id, addr, beats});
  traffic_++;
}

void InOrderMemory::requestWrite(uint64_t addr, uint32_t beats) {
  writes_.push_back({0, addr, beats});
  traffic_++;
}

bool InOrderMemory::writeBeat(const uint8_t* data, uint64_t strobe) {
  if (writes_.empty()) return false;
  Burst& b = writes_.front();
  dram_.writeStrobed(b.addr, data, beatBytes_, strobe);
  const uint64_t used = beatBytes_ >= 64 ? strobe : strobe & ((uint64_t{1} << beatBytes_) - 1);
  if (observer_ && used != 0) {
    const uint32_t first = static_cast<uint32_t>(__builtin_ctzll(used));
    const uint32_t last = 63 - static_cast<uint32_t>(__builtin_clzll(used));
    observer_->onDramWrite(b.addr + first, last - first + 1);
  }
  b.addr += beatBytes_;
  if (--b.beatsLeft == 0) writes_.pop_front();
  traffic_++;
  return true;
}

bool InOrderMemory::offerReadBeat(bool acceptedLast, uint8_t& id, uint8_t* data) {
  // The beat offered last call was visible to the RTL for one cycle; it moves on only if taken.
  if (offered_ && acceptedLast && !reads_.empty()) {
    Burst& b = reads_.front();
    b.addr += beatBytes_;
    traffic_++;
    if (--b.beatsLeft == 0) reads_.pop_front();
  }
  offered_ = !reads_.empty();
  if (!offered_) {
    // Upstream's idle filler, so stale data is recognisable in a waveform.
    for (uint32_t k = 0; k + 4 <= beatBytes_; k += 4) std::memcpy(data + k, "\xef\xbe\xad\xde", 4);
    id = 0;
    return false;
  }
  const Burst& b = reads_.front();
  dram_.read(b.addr, data, beatBytes_);
  id = b.id;
  return true;
}

}  // namespace tsim
