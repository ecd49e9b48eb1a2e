#include "event_tracer.h"

#include <algorithm>
#include <cstring>

namespace tsim {

namespace {
constexpr uint8_t kRecWrite = 1;
constexpr uint8_t kRecIter = 2;
constexpr uint8_t kRecRetire = 3;
constexpr uint8_t kRecRead = 4;
constexpr uint8_t kStreamDramStore = 8;  // STREAMS index of 'dram.store'
constexpr int kStore = 2;
constexpr int kCompute = 1;
}  // namespace

EventTracer::EventTracer(const ProbeSet& probes, const Dram& dram) : probes_(probes), dram_(dram) {
  // Ports writing the same buffer share one shadow.
  for (const WriteProbe& p : probes.writes) {
    int found = -1;
    for (size_t i = 0; i < shadows_.size(); i++)
      if (shadows_[i].stream == p.stream) found = static_cast<int>(i);
    if (found < 0) {
      Shadow s;
      s.stream = p.stream;
      s.owner = p.owner;
      s.depth = p.depth;
      s.elemBytes = p.elemBytes;
      s.rows.assign(static_cast<size_t>(p.depth) * p.elemBytes, 0);
      s.lastCycle.assign(p.depth, 0);
      s.dirtyGroups.assign(p.depth, 0);
      shadows_.push_back(std::move(s));
      found = static_cast<int>(shadows_.size() - 1);
    }
    shadowOfWrite_.push_back(found);
  }
  size_t widest = 64;
  for (const WriteProbe& p : probes.writes) widest = std::max<size_t>(widest, p.elemBytes);
  for (const IterProbe& p : probes.iters) widest = std::max<size_t>(widest, 12 + p.result.bytes);
  scratch_.assign(widest + 64, 0);
  grouped_ = !probes.completes.empty();
  groups_.resize(kMaxGroups);
}

void EventTracer::startRun(bool events, bool iters, bool reads, uint32_t dramGranule) {
  events_ = events;
  iters_ = events && iters;
  reads_ = events && reads && !probes_.reads.empty();
  dramGranule_ = dramGranule == 0 ? 16 : dramGranule;
  iterOrdinal_ = 0;
  for (uint32_t& r : retired_) r = 0;
  for (Shadow& s : shadows_) {
    for (std::vector<uint32_t>& d : s.dirty) {
      for (uint32_t a : d) s.dirtyGroups[a] = 0;
      d.clear();
    }
  }
  for (Group& g : groups_) g = Group();
  dramDirty_.clear();
  dramOrder_.clear();
}

bool EventTracer::sample(uint64_t cycle) {
  bool progress = false;
  for (size_t i = 0; i < probes_.writes.size(); i++) {
    const WriteProbe& p = probes_.writes[i];
    if (!p.enable.high()) continue;
    progress = true;
    sampleWrite(p, shadows_[shadowOfWrite_[i]], cycle);
  }
  if (iters_) {
    for (const IterProbe& p : probes_.iters)
      if (p.valid.high()) sampleIter(p, cycle);
  }
  // Completions after this cycle's writes, before its retires.
  if (events_ && grouped_) {
    for (const CompleteProbe& c : probes_.completes)
      if (c.valid.high()) complete(c.group);
  }
  for (int m = 0; m < 3; m++) {
    const RetireProbe& r = probes_.retire[m];
    if (!r.valid.high()) continue;
    progress = true;
    retired_[m]++;
    if (!events_) continue;
    if (m == kCompute && grouped_) {
      emitCompute();
    } else {
      emitDirty(m);
    }
    if (m == kStore) emitDramDirty();
    if (m == kCompute) iterOrdinal_ = 0;
    batch_.u8(kRecRetire);
    batch_.u8(static_cast<uint8_t>(m));
    batch_.u64(cycle);
    uint8_t insn[16] = {0};
    std::memcpy(insn, r.insn.ptr, std::min<uint32_t>(16, r.insn.bytes));
    batch_.bytes(insn, 16);
    maybeFlush();
  }
  return progress;
}

void EventTracer::sampleWrite(const WriteProbe& p, Shadow& s, uint64_t cycle) {
  // A port of a split memory carries part of the row; the shadow row assembles the parts.
  const uint32_t row = static_cast<uint32_t>(p.element() % s.depth);
  uint8_t* dst = s.rows.data() + static_cast<size_t>(row) * s.elemBytes + p.first;
  if (!p.mask.present()) {
    p.data.copyTo(dst);
  } else {
    uint8_t* data = scratch_.data();
    p.data.copyTo(data);
    for (uint32_t g = 0; g * p.granule < p.bytes; g++) {
      const uint32_t bit = g;
      if ((p.mask.ptr[bit >> 3] >> (bit & 7)) & 1) {
        const uint32_t off = g * p.granule;
        std::memcpy(dst + off, data + off, std::min(p.granule, p.bytes - off));
      }
    }
  }
  if (!events_) return;
  s.lastCycle[row] = cycle;
  const unsigned g = grouped_ ? p.group : 0;
  if (!(s.dirtyGroups[row] & (1u << g))) {
    s.dirtyGroups[row] |= static_cast<uint8_t>(1u << g);
    s.dirty[g].push_back(row);
  }
}

void EventTracer::sampleIter(const IterProbe& p, uint64_t cycle) {
  if (!grouped_) {
    putIter(batch_, p, cycle, iterOrdinal_++);
    maybeFlush();
    return;
  }
  Group& g = groups_[p.group];
  putIter(g.iters, p, cycle, g.ordinal++);
}

template <class Out>
void EventTracer::putIter(Out& out, const IterProbe& p, uint64_t cycle, uint32_t ordinal) {
  uint8_t* d = scratch_.data();
  const uint32_t idx[3] = {
      static_cast<uint32_t>(p.dst.present() ? p.dst.u64() : 0),
      static_cast<uint32_t>(p.src.present() ? p.src.u64() : 0),
      static_cast<uint32_t>(p.wgt.present() ? p.wgt.u64() : 0),
  };
  std::memcpy(d, idx, 12);
  p.result.copyTo(d + 12);
  out.u8(kRecIter);
  out.u8(p.stream);
  out.u64(cycle);
  out.u32(ordinal);
  out.u32(12 + p.result.bytes);
  out.bytes(d, 12 + p.result.bytes);
}

template <class Out>
void EventTracer::putDirty(Out& out, int module, unsigned group) {
  for (Shadow& s : shadows_) {
    if (s.owner != module) continue;
    for (uint32_t row : s.dirty[group]) {
      out.u8(kRecWrite);
      out.u8(s.stream);
      out.u64(s.lastCycle[row]);
      out.u32(row);
      out.u32(s.elemBytes);
      out.bytes(s.rows.data() + static_cast<size_t>(row) * s.elemBytes, s.elemBytes);
      s.dirtyGroups[row] &= static_cast<uint8_t>(~(1u << group));
    }
    s.dirty[group].clear();
  }
}

void EventTracer::emitDirty(int module) {
  putDirty(batch_, module, 0);
  maybeFlush();
}

// A compute instruction of `group` completed: its iteration records and the rows its group wrote
// since the last completion, with their values now, wait for its retire.
void EventTracer::complete(unsigned group) {
  Group& g = groups_[group];
  Bytes snap = std::move(g.iters);
  g.iters = Bytes();
  g.ordinal = 0;
  putDirty(snap, kCompute, group);
  g.done.push_back(std::move(snap));
}

// A compute retire in grouped mode: the oldest completed instruction of the retiring group.
void EventTracer::emitCompute() {
  unsigned group = probes_.retireGroup.present() ? static_cast<unsigned>(probes_.retireGroup.u64()) : 0;
  if (group >= kMaxGroups) group = 0;
  Group& g = groups_[group];
  // The RTL retired without a completion pulse: the group's writes and iterations so far are the
  // instruction's, as without groups.
  if (g.done.empty()) complete(group);
  batch_.bytes(g.done.front().v.data(), g.done.front().v.size());
  g.done.pop_front();
  maybeFlush();
}

// A read belongs to its module's current instruction, like that module's writes: sent at once
// (the host gives it to the module's next retire), or, for compute with completion groups, kept
// with group 0's records (loads complete in group 0) until that instruction's completion.
void EventTracer::onDramRead(uint8_t id, uint64_t addr, uint32_t bytes) {
  if (!reads_) return;
  for (const ReadClient& c : probes_.reads) {
    if ((id >> c.shift) != c.client) continue;
    auto put = [&](Bytes& out) {
      out.u8(kRecRead);
      out.u8(c.module);
      out.u64(cycle_);
      out.u64(addr);
      out.u32(bytes);
    };
    if (c.module == kCompute && grouped_) {
      put(groups_[0].iters);
    } else {
      Bytes b;
      put(b);
      batch_.bytes(b.v.data(), b.v.size());
      maybeFlush();
    }
    return;
  }
}

void EventTracer::onDramWrite(uint64_t addr, uint32_t len) {
  if (!events_) return;
  const uint64_t first = addr / dramGranule_;
  const uint64_t last = (addr + len - 1) / dramGranule_;
  for (uint64_t e = first; e <= last; e++) {
    const uint64_t a = e * dramGranule_;
    auto it = dramDirty_.find(a);
    if (it == dramDirty_.end()) {
      dramDirty_.emplace(a, cycle_);
      dramOrder_.push_back(a);
    } else {
      it->second = cycle_;
    }
  }
}

void EventTracer::emitDramDirty() {
  uint8_t* d = scratch_.data();
  if (scratch_.size() < dramGranule_) scratch_.resize(dramGranule_), d = scratch_.data();
  for (uint64_t a : dramOrder_) {
    dram_.read(a, d, dramGranule_);
    batch_.u8(kRecWrite);
    batch_.u8(kStreamDramStore);
    batch_.u64(dramDirty_[a]);
    batch_.u32(static_cast<uint32_t>(a));
    batch_.u32(dramGranule_);
    batch_.bytes(d, dramGranule_);
    maybeFlush();
  }
  dramDirty_.clear();
  dramOrder_.clear();
}

void EventTracer::flushUnretired() {
  if (!events_) return;
  if (grouped_) {
    // Completed instructions first (oldest first per group), then what is still running.
    for (Group& g : groups_) {
      for (const Bytes& b : g.done) batch_.bytes(b.v.data(), b.v.size());
      g.done.clear();
      batch_.bytes(g.iters.v.data(), g.iters.v.size());
      g.iters = Bytes();
    }
    for (unsigned g = 1; g < kMaxGroups; g++) putDirty(batch_, kCompute, g);
  }
  for (int m = 0; m < 3; m++) emitDirty(m);
  emitDramDirty();
}

void EventTracer::flush() {
  if (batch_.payloadSize() == 0) return;
  batch_.send(kReplyFd);
  batch_.reset(kRepEvents);
}

}  // namespace tsim
