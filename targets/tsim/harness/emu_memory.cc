#include "emu_memory.h"

#include <bitset>
#include <cstring>

namespace tsim {

namespace {
// Probabilities and latencies of the emulated board (num/den pairs, cycles). Chosen to be harsh
// rather than realistic: every run has reordered, interleaved and stalled bursts.
constexpr uint32_t kQueueStallNum = 1, kQueueStallDen = 4;       // address queue takes nothing
constexpr uint32_t kShortLatencyMin = 2, kShortLatencySpan = 30;  // most bursts
constexpr uint32_t kMissNum = 1, kMissDen = 8;                    // ... but some miss
constexpr uint32_t kMissLatencyMin = 40, kMissLatencySpan = 200;
constexpr uint32_t kReadStallNum = 1, kReadStallDen = 8;          // read channel idles
constexpr uint32_t kWriteStallNum = 1, kWriteStallDen = 2;        // ... in a cycle with a write beat
constexpr uint32_t kStayNum = 3, kStayDen = 4;                    // keep sending the same burst
}  // namespace

void EmuMemory::reset() {
  rng_.seed(seed_);
  now_ = 0;
  nextSeq_ = 0;
  queued_.clear();
  bursts_.clear();
  writes_.reset();
  held_ = false;
  currentSeq_ = ~uint64_t{0};
  wroteThisCycle_ = false;
}

void EmuMemory::requestRead(uint8_t id, uint64_t addr, uint32_t beats) {
  queued_.push_back({id, addr, beats, nextSeq_++, 0});
  traffic_++;
}

void EmuMemory::requestWrite(uint64_t addr, uint32_t beats) {
  writes_.request(addr, beats);
  traffic_++;
}

bool EmuMemory::writeBeat(const uint8_t* data, uint64_t strobe) {
  if (!writes_.beat(dram_, *this, data, strobe)) return false;
  wroteThisCycle_ = true;
  traffic_++;
  return true;
}

int EmuMemory::indexOf(uint64_t seq) const {
  for (size_t i = 0; i < bursts_.size(); i++)
    if (bursts_[i].seq == seq) return static_cast<int>(i);
  return -1;
}

// The controller takes the oldest queued request unless the queue stalls this cycle.
void EmuMemory::acceptRequest() {
  if (queued_.empty() || rng_.chance(kQueueStallNum, kQueueStallDen)) return;
  Burst b = queued_.front();
  queued_.pop_front();
  uint64_t latency = kShortLatencyMin + rng_.below(kShortLatencySpan);
  if (rng_.chance(kMissNum, kMissDen)) latency = kMissLatencyMin + rng_.below(kMissLatencySpan);
  b.readyAt = now_ + latency;
  bursts_.push_back(b);
}

// A burst may send when its latency has passed and no older burst of its id is unfinished.
// Returns its index in bursts_, or -1 for no beat this cycle.
int EmuMemory::pickBurst() {
  std::bitset<256> olderId;
  eligible_.clear();
  int current = -1;
  for (size_t i = 0; i < bursts_.size(); i++) {
    const Burst& b = bursts_[i];
    if (!olderId[b.id] && b.readyAt <= now_) {
      if (b.seq == currentSeq_) current = static_cast<int>(eligible_.size());
      eligible_.push_back(static_cast<int>(i));
    }
    olderId[b.id] = true;
  }
  if (eligible_.empty()) return -1;
  if (current >= 0 && rng_.chance(kStayNum, kStayDen)) return eligible_[current];
  return eligible_[rng_.below(static_cast<uint32_t>(eligible_.size()))];
}

bool EmuMemory::offerReadBeat(bool acceptedLast, uint8_t& id, uint8_t* data) {
  if (held_ && acceptedLast) {
    const int i = indexOf(heldSeq_);
    Burst& b = bursts_[i];
    b.addr += beatBytes_;
    traffic_++;
    if (--b.beatsLeft == 0) bursts_.erase(bursts_.begin() + i);
    held_ = false;
  }
  acceptRequest();
  const bool wrote = wroteThisCycle_;
  wroteThisCycle_ = false;
  now_++;
  if (held_) {  // not taken: the same beat again, unchanged
    std::memcpy(data, heldData_.data(), beatBytes_);
    id = bursts_[indexOf(heldSeq_)].id;
    return true;
  }
  // now_ already counts this cycle: a burst with latency L sends its first beat L calls later.
  const bool stall = wrote ? rng_.chance(kWriteStallNum, kWriteStallDen) : rng_.chance(kReadStallNum, kReadStallDen);
  const int pick = stall ? -1 : pickBurst();
  if (pick < 0) {
    idleFiller(data);
    id = 0;
    return false;
  }
  const Burst& b = bursts_[pick];
  dram_.read(b.addr, data, beatBytes_);
  heldData_.assign(data, data + beatBytes_);
  id = b.id;
  held_ = true;
  heldSeq_ = currentSeq_ = b.seq;
  return true;
}

}  // namespace tsim
