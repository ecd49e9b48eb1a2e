#include "in_order_memory.h"

namespace tsim {

void InOrderMemory::reset() {
  reads_.clear();
  writes_.reset();
  offered_ = false;
}

void InOrderMemory::requestRead(uint8_t id, uint64_t addr, uint32_t beats) {
  reads_.push_back({id, addr, beats});
  traffic_++;
}

void InOrderMemory::requestWrite(uint64_t addr, uint32_t beats) {
  writes_.request(addr, beats);
  traffic_++;
}

bool InOrderMemory::writeBeat(const uint8_t* data, uint64_t strobe) {
  if (!writes_.beat(dram_, *this, data, strobe)) return false;
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
    idleFiller(data);
    id = 0;
    return false;
  }
  const Burst& b = reads_.front();
  dram_.read(b.addr, data, beatBytes_);
  id = b.id;
  return true;
}

}  // namespace tsim
