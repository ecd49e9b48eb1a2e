#include "host_session.h"

#include <string>
#include <unistd.h>

#include "simulator.h"

namespace tsim {

namespace {
// A register access the VCR has not served after this many cycles means the design's host
// port is broken; a board's bus would time out the same way.
constexpr uint64_t kAccessCycles = 100000;
}  // namespace

bool HostSession::handle(Frame& cmd) {
  switch (cmd.type) {
    case kCmdHostOpen:
      open(cmd);
      return true;
    case kCmdRegWrite:
    case kCmdRegRead:
    case kCmdClock:
    case kCmdHostClose:
      break;
    default:
      return false;
  }
  if (!open_) {
    FrameBuilder f(kRepFatal);
    f.str("host-port command " + std::to_string(cmd.type) + " outside a host session (send HOST_OPEN first)");
    f.send(kReplyFd);
    _exit(1);
  }
  if (cmd.type == kCmdRegWrite) regWrite(cmd);
  else if (cmd.type == kCmdRegRead) regRead(cmd);
  else if (cmd.type == kCmdClock) clock(cmd);
  else close(cmd);
  return true;
}

// HOST_OPEN: u32 flags (bit 0 events, bit 1 iterations), u32 dramGranule. Starts a run as RUN
// does (fresh memory model, host port, tracer and cycle count) but programs nothing.
void HostSession::open(Frame& cmd) {
  const uint32_t flags = cmd.u32();
  const uint32_t dramGranule = cmd.u32();
  Simulator& s = sim_;
  s.tracer_->startRun((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, dramGranule);
  s.memory_->reset();
  s.host_.reset();
  s.memError_ = false;
  s.cycle_ = 0;
  s.inRun_ = true;
  open_ = true;
  idle_ = 0;
  lastTraffic_ = s.memory_->traffic();
  reply(0);
}

bool HostSession::tick() {
  Simulator& s = sim_;
  s.step();
  bool progress = s.tracer_->sample(s.cycle_);
  if ((s.cycle_ & 0x3fff) == 0) s.tracer_->flush();
  if (s.memory_->traffic() != lastTraffic_) {
    lastTraffic_ = s.memory_->traffic();
    progress = true;
  }
  idle_ = progress ? 0 : idle_ + 1;
  if (s.memError_) {
    stop(s.memErrorText_);
    return false;
  }
  return true;
}

template <typename Ready>
bool HostSession::tickUntil(Ready ready, const char* what) {
  for (uint64_t n = 0; !ready(); n++) {
    if (n == kAccessCycles) {
      stop(std::string("VCR did not serve a register ") + what + " within " + std::to_string(kAccessCycles) + " cycles");
      return false;
    }
    if (!tick()) return false;
  }
  return true;
}

// REG_WRITE: u32 offset, u32 value. Returns once the VCR has taken the write.
void HostSession::regWrite(Frame& cmd) {
  const uint32_t offset = cmd.u32();
  const uint32_t value = cmd.u32();
  HostPort& port = sim_.host_;
  port.write(static_cast<uint8_t>(offset), value);
  if (tickUntil([&] { return !port.pending(); }, "write")) reply(0);
}

// REG_READ: u32 offset. Returns the value once the VCR has answered.
void HostSession::regRead(Frame& cmd) {
  const uint32_t offset = cmd.u32();
  HostPort& port = sim_.host_;
  port.read(static_cast<uint8_t>(offset));
  if (tickUntil([&] { return port.hasResponse(); }, "read")) reply(port.popResponse());
}

// CLOCK: u32 cycles. What a driver's wait between two polls is on the emulated board.
void HostSession::clock(Frame& cmd) {
  const uint32_t n = cmd.u32();
  for (uint32_t i = 0; i < n; i++)
    if (!tick()) return;
  reply(0);
}

// HOST_CLOSE: u32 flags (bit 0: the run did not finish — send the writes of instructions that
// never retired, as a stopped RUN does).
void HostSession::close(Frame& cmd) {
  const uint32_t flags = cmd.u32();
  if (flags & 1) sim_.tracer_->flushUnretired();
  sim_.inRun_ = false;
  open_ = false;
  reply(0);
}

// HOST_STATE: u32 value, u64 cycle, u64 idle cycles, u32 retired[3]. Events come first, so
// everything the design did up to this reply has been sent when the host reads it.
void HostSession::reply(uint32_t value) {
  sim_.tracer_->flush();
  FrameBuilder f(kRepHostState);
  f.u32(value);
  f.u64(sim_.cycle_);
  f.u64(idle_);
  for (int m = 0; m < 3; m++) f.u32(sim_.tracer_->retired(m));
  f.send(kReplyFd);
}

void HostSession::stop(const std::string& why) {
  sim_.tracer_->flushUnretired();
  open_ = false;
  for (uint32_t& c : sim_.counters_) c = 0;
  sim_.sendDone(RunStatus::kCrash, why);
}

}  // namespace tsim
