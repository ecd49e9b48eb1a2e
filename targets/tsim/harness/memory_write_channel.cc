#include "memory_write_channel.h"

namespace tsim {

bool MemoryWriteChannel::beat(Dram& dram, const MemoryModel& model, const uint8_t* data, uint64_t strobe) {
  if (bursts_.empty()) return false;
  const uint32_t beatBytes = model.beatBytes();
  Burst& b = bursts_.front();
  DramWriteObserver* observer = model.observerAt(b.addr);
  dram.writeStrobed(b.addr, data, beatBytes, strobe);
  const uint64_t used = beatBytes >= 64 ? strobe : strobe & ((uint64_t{1} << beatBytes) - 1);
  if (observer && used != 0) {
    const uint32_t first = static_cast<uint32_t>(__builtin_ctzll(used));
    const uint32_t last = 63 - static_cast<uint32_t>(__builtin_clzll(used));
    observer->onDramWrite(b.addr + first, last - first + 1);
  }
  b.addr += beatBytes;
  if (--b.beatsLeft == 0) bursts_.pop_front();
  return true;
}

}  // namespace tsim
