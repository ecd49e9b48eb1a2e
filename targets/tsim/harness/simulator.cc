#include "simulator.h"

#include <cstdio>
#include <cstring>
#include <sstream>
#include <unistd.h>

#include "Vtsim.h"
#include "verilated.h"
#ifdef TSIM_WAVE
#include "verilated_fst_c.h"
#else
class VerilatedFstC {};
#endif

namespace tsim {

Simulator* g_simulator = nullptr;

namespace {
constexpr uint8_t kRegCtrl = 0x00, kRegCycles = 0x04, kRegCount = 0x08, kRegInsn = 0x0C, kRegAccWrites = 0x24;
// TRACE_UNIT only: ring base and slots (written before launch), records written and dropped.
constexpr uint8_t kRegRingBase = 0x44, kRegRingSlots = 0x48, kRegRingWritten = 0x4C, kRegRingDropped = 0x50;
const char* const kModuleNames[3] = {"load", "compute", "store"};

std::string hex(uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}
}  // namespace

Simulator::Simulator(uint32_t dataBits, const MemoryChoice& memory)
    : dataBits_(dataBits), memory_(makeMemoryModel(memory, dram_, dataBits / 8)), dataBase_(memory.dataBase) {}

Simulator::~Simulator() = default;

bool Simulator::init(const std::string& probesPath, std::string& error) {
  ctx_ = std::make_unique<VerilatedContext>();
  if (!plusargs_.empty()) {
    std::vector<const char*> argv{"vta-tsim"};
    for (const std::string& a : plusargs_) argv.push_back(a.c_str());
    ctx_->commandArgs(static_cast<int>(argv.size()), argv.data());
  }
  // Registers and memories start from seeded random values (--x-initial unique), so RTL that
  // reads state it never initialised misbehaves reproducibly instead of passing by luck.
  ctx_->randReset(2);
  const char* seed = std::getenv("VTA_TSIM_SEED");
  ctx_->randSeed(seed ? std::atoi(seed) : 1);
  top_ = std::make_unique<Vtsim>(ctx_.get(), "TOP");
  if (!loadProbes(probesPath, *ctx_, probes_, error)) return false;
  tracer_ = std::make_unique<EventTracer>(probes_, dram_);
  memory_->setObserver(tracer_.get());
#ifdef TSIM_WAVE
  ctx_->traceEverOn(true);
#endif
  // Reset as upstream's shell does: ten clock cycles with reset high.
  top_->reset = 1;
  for (int i = 0; i < 10; i++) {
    top_->clock = 0;
    top_->sim_clock = 0;
    top_->eval();
    top_->clock = 1;
    top_->sim_clock = 1;
    top_->eval();
  }
  top_->reset = 0;
  return true;
}

void Simulator::sendHello() {
  FrameBuilder f(kRepHello);
  f.u32(1);
  f.u32(dataBits_);
#ifdef TSIM_WAVE
  f.u32(1);
#else
  f.u32(0);
#endif
  f.str(probes_.description);
  f.send(kReplyFd);
}

void Simulator::memRead(uint64_t addr, uint32_t size) {
  FrameBuilder f(kRepMemData);
  std::string buf(size, '\0');
  dram_.read(addr, buf.data(), size);
  f.str(buf);
  f.send(kReplyFd);
}

uint64_t Simulator::toDram(uint64_t addr, const char* what) {
  if (dataBase_ == 0) return addr;
  if ((addr < dataBase_ || addr - dataBase_ >= dataBase_) && !memError_) {
    char text[200];
    std::snprintf(text, sizeof text, "VTAMemDPI: %s at 0x%llx, outside the bundle's DMA window [0x%llx, 0x%llx) the VCR base registers point to, at cycle %llu",
                  what, static_cast<unsigned long long>(addr), static_cast<unsigned long long>(dataBase_),
                  static_cast<unsigned long long>(2 * dataBase_), static_cast<unsigned long long>(cycle_));
    memError_ = true;
    memErrorText_ = text;
  }
  return addr & (dataBase_ - 1);
}

void Simulator::memDpi(uint8_t rdReqValid, uint8_t rdReqLen, uint8_t rdReqId, uint64_t rdReqAddr, uint8_t wrReqValid,
                       uint8_t wrReqLen, uint64_t wrReqAddr, uint8_t wrValid, const uint8_t* wrData, uint64_t wrStrb,
                       uint8_t* rdValid, uint8_t* rdId, uint8_t* rdData, uint8_t rdReady) {
  tracer_->setCycle(cycle_);
  if (rdReqValid) {
    const uint64_t addr = toDram(rdReqAddr, "read burst");
    memory_->requestRead(rdReqId, addr, uint32_t{rdReqLen} + 1);
    tracer_->onDramRead(rdReqId, addr, (uint32_t{rdReqLen} + 1) * memory_->beatBytes());
  }
  if (wrReqValid) memory_->requestWrite(toDram(wrReqAddr, "write burst"), uint32_t{wrReqLen} + 1);
  if (wrValid && !memory_->writeBeat(wrData, wrStrb) && !memError_) {
    memError_ = true;
    memErrorText_ = "VTAMemDPI: write beat with no open write burst at cycle " + std::to_string(cycle_);
  }
  uint8_t id = 0;
  *rdValid = memory_->offerReadBeat(rdReady != 0, id, rdData) ? 1 : 0;
  *rdId = id;
}

void Simulator::step() {
  top_->clock = 0;
  top_->sim_clock = 0;
  top_->eval();
#ifdef TSIM_WAVE
  const bool dump = fst_ && cycle_ >= waveFrom_ && cycle_ < waveTo_;
  if (dump) fst_->dump(2 * cycle_);
#endif
  cycle_++;
  top_->clock = 1;
  top_->sim_clock = 1;
  top_->eval();
#ifdef TSIM_WAVE
  if (dump) fst_->dump(2 * cycle_ - 1);
#endif
}

void Simulator::run(Frame& cmd) {
  const uint32_t count = cmd.u32();
  const uint32_t insnAddr = cmd.u32();
  const uint32_t flags = cmd.u32();
  const uint32_t dramGranule = cmd.u32();
  const uint64_t maxCycles = cmd.u64();
  const uint64_t idleCycles = cmd.u64();
  waveFrom_ = cmd.u64();
  waveTo_ = cmd.u64();
  // An instruction never accepted: a module with instructions left sits in its idle state while
  // nothing else moves, for acceptCycles (0 = off). idleState is the state value the probe map
  // names IDLE (kNoState: none).
  const uint64_t acceptCycles = cmd.u64();
  uint32_t moduleCount[3], idleState[3];
  for (uint32_t& c : moduleCount) c = cmd.u32();
  for (uint32_t& v : idleState) v = cmd.u32();
  const std::string wavePath = cmd.rest();

  tracer_->startRun((flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, dramGranule);
  memory_->reset();
  host_.reset();
  memError_ = false;
  cycle_ = 0;
  inRun_ = true;
#ifdef TSIM_WAVE
  if (!wavePath.empty() && waveTo_ > waveFrom_) {
    fst_ = std::make_unique<VerilatedFstC>();
    top_->trace(fst_.get(), 99);
    fst_->open(wavePath.c_str());
  }
#endif

  // Upstream tsim driver order (vta-isa.md §6.4), then poll CTRL until done.
  host_.write(kRegCount, count);
  // With --data-base, the bundle sits at device address dataBase_ as on a board (the fpga
  // target's launch sequence): the base registers carry it and the other addresses include it.
  host_.write(kRegInsn, static_cast<uint32_t>(insnAddr + dataBase_));
  for (uint8_t r = 0x10; r <= 0x20; r += 4) host_.write(r, static_cast<uint32_t>(dataBase_));
  if (memory_->ringSlots() != 0) {
    host_.write(kRegRingBase, static_cast<uint32_t>(memory_->ringBase() + dataBase_));
    host_.write(kRegRingSlots, memory_->ringSlots());
  }
  host_.write(kRegCtrl, 1);
  host_.read(kRegCtrl);

  const size_t nCounters = 2 + probes_.counters.size();
  size_t got = 0;
  uint32_t ring[2] = {0, 0};
  int ringGot = 0;
  bool polling = true;
  uint64_t idle = 0;
  uint64_t lastTraffic = memory_->traffic();
  RunStatus status = RunStatus::kOk;
  std::string message;
  for (;;) {
    step();
    bool progress = tracer_->sample(cycle_);
    // Ship events regularly, not only when a batch fills: if the process dies mid-run, what was
    // sent is what the caller keeps.
    if ((cycle_ & 0x3fff) == 0) tracer_->flush();
    if (memory_->traffic() != lastTraffic) {
      lastTraffic = memory_->traffic();
      progress = true;
    }
    if (memError_) {
      status = RunStatus::kCrash;
      message = memErrorText_;
      break;
    }
    bool done = false;
    while (host_.hasResponse() && !done) {
      const uint32_t v = host_.popResponse();
      if (polling) {
        if (v & 2) {
          polling = false;
          host_.read(kRegCycles);
          host_.read(kRegAccWrites);
          for (const Counter& c : probes_.counters) host_.read(c.offset);
        } else {
          host_.read(kRegCtrl);
        }
      } else if (got < nCounters) {
        counters_[got++] = v;
        done = got == nCounters && memory_->ringSlots() == 0;
        if (got == nCounters && !done) {
          host_.read(kRegRingWritten);
          host_.read(kRegRingDropped);
        }
      } else {
        // The trace unit's last records leave after FINISH: clock on until every instruction's
        // record is written or dropped (what a board's driver does too).
        ring[ringGot++] = v;
        if (ringGot == 2) {
          ringGot = 0;
          done = uint64_t{ring[0]} + ring[1] >= count;
          if (!done) {
            host_.read(kRegRingWritten);
            host_.read(kRegRingDropped);
          }
        }
      }
    }
    if (done) break;
    idle = progress ? 0 : idle + 1;
    if (acceptCycles != 0 && idle >= acceptCycles && memory_->idle()) {
      int stuck = -1;
      for (int m = 0; m < 3 && stuck < 0; m++) {
        if (moduleCount[m] > tracer_->retired(m) && idleState[m] != kNoState && probes_.state[m].present() && probes_.state[m].u64() == idleState[m]) stuck = m;
      }
      if (stuck >= 0) {
        status = RunStatus::kHang;
        message = std::string("unaccepted ") + kModuleNames[stuck] + "\n" + hangReport(idle);
        break;
      }
    }
    if (idle >= idleCycles) {
      status = RunStatus::kHang;
      message = hangReport(idle);
      break;
    }
    if (cycle_ >= maxCycles) {
      status = RunStatus::kCycleLimit;
      message = "cycle limit " + std::to_string(maxCycles) + " reached\n" + hangReport(idle);
      break;
    }
  }
  if (status != RunStatus::kOk) {
    tracer_->flushUnretired();
    for (size_t i = 0; i < nCounters; i++) counters_[i] = 0;
  }
  sendDone(status, message);
}

std::string Simulator::hangReport(uint64_t idle) const {
  std::ostringstream out;
  out << "no retire, buffer write or memory traffic for " << idle << " cycles (cycle " << cycle_ << ")\n";
  for (int m = 0; m < 3; m++) {
    out << "retired " << kModuleNames[m] << " " << tracer_->retired(m) << "\n";
    if (probes_.state[m].present()) out << "state " << kModuleNames[m] << " " << hex(probes_.state[m].u64()) << "\n";
  }
  for (const NamedSignal& d : probes_.debug) out << "debug " << d.label << " " << hex(d.sig.u64()) << "\n";
  if (!memory_->idle()) out << "memory bursts outstanding\n";
  return out.str();
}

void Simulator::sendDone(RunStatus status, const std::string& message) {
  tracer_->flush();
#ifdef TSIM_WAVE
  if (fst_) {
    fst_->close();
    fst_.reset();
  }
#endif
  FrameBuilder f(kRepDone);
  f.u8(static_cast<uint8_t>(status));
  f.u64(cycle_);
  f.u32(counters_[0]);
  f.u32(counters_[1]);
  f.u32(static_cast<uint32_t>(probes_.counters.size()));
  for (size_t i = 0; i < probes_.counters.size(); i++) f.u32(counters_[2 + i]);
  for (int m = 0; m < 3; m++) f.u32(tracer_->retired(m));
  f.str(message);
  f.send(kReplyFd);
  inRun_ = false;
}

void Simulator::designStopped(const std::string& why) {
  std::fflush(stdout);
  if (inRun_ && tracer_) {
    tracer_->flushUnretired();
    sendDone(RunStatus::kCrash, why + " at cycle " + std::to_string(cycle_));
  } else {
    FrameBuilder f(kRepFatal);
    f.str(why);
    f.send(kReplyFd);
  }
  _exit(3);
}

}  // namespace tsim
