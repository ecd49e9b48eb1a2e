// One simulator process: the Verilated design behind the upstream tsim shell, the simulated
// DRAM and its memory model, the VCR host port and the event tracer. Runs one program per RUN
// command: programs the VCR like upstream's tsim driver, clocks until done (or a watchdog or
// limit fires) and reports events and a DONE frame.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "dram.h"
#include "event_tracer.h"
#include "frame_io.h"
#include "host_port.h"
#include "memory_choice.h"
#include "memory_model.h"
#include "probes.h"

class Vtsim;
class VerilatedContext;
class VerilatedFstC;

namespace tsim {

enum class RunStatus : uint8_t { kOk = 0, kHang = 1, kCrash = 2, kCycleLimit = 3 };

// RUN's idle-state value for a module whose probe map names no IDLE state.
constexpr uint32_t kNoState = 0xffffffffu;

class Simulator {
 public:
  Simulator(uint32_t dataBits, const MemoryChoice& memory);
  ~Simulator();
  // Build the model, resolve probes, apply reset. False with `error` set on failure.
  bool init(const std::string& probesPath, std::string& error);
  // `+name=value` arguments the design reads with $value$plusargs (vta-trace mutate's +vta_mutant=K);
  // set before init().
  void setPlusargs(std::vector<std::string> plusargs) { plusargs_ = std::move(plusargs); }
  void sendHello();

  void memClear() { dram_.clear(); }
  void memWrite(uint64_t addr, const uint8_t* data, size_t n) { dram_.write(addr, data, n); }
  void memRead(uint64_t addr, uint32_t size);
  void run(Frame& cmd);

  // Bodies of the DPI functions (dpi_exports.cc forwards to them).
  void hostDpi(uint8_t* reqValid, uint8_t* reqOpcode, uint8_t* reqAddr, uint32_t* reqValue, uint8_t reqDeq,
               uint8_t respValid, uint32_t respValue) {
    host_.dpi(reqValid, reqOpcode, reqAddr, reqValue, reqDeq, respValid, respValue);
  }
  void memDpi(uint8_t rdReqValid, uint8_t rdReqLen, uint8_t rdReqId, uint64_t rdReqAddr, uint8_t wrReqValid,
              uint8_t wrReqLen, uint64_t wrReqAddr, uint8_t wrValid, const uint8_t* wrData, uint64_t wrStrb,
              uint8_t* rdValid, uint8_t* rdId, uint8_t* rdData, uint8_t rdReady);
  uint32_t beatBytes() const { return dataBits_ / 8; }

  // $fatal, $stop, $finish or a failed assertion: report and end the process.
  [[noreturn]] void designStopped(const std::string& why);

 private:
  // Host-port commands (host_session.h) clock the design and read the tracer like run() does.
  friend class HostSession;
  void step();
  std::string hangReport(uint64_t idle) const;
  void sendDone(RunStatus status, const std::string& message);
  // A design DRAM address as the DRAM's (less the data base); one outside the data window is a
  // memory error naming it (a DRAM address formed without its VCR base register).
  uint64_t toDram(uint64_t addr, const char* what);

  const uint32_t dataBits_;
  std::unique_ptr<VerilatedContext> ctx_;
  std::vector<std::string> plusargs_;
  std::unique_ptr<Vtsim> top_;
  Dram dram_;
  std::unique_ptr<MemoryModel> memory_;
  const uint64_t dataBase_;  // --data-base (memory_choice.h); 0: base registers 0
  HostPort host_;
  ProbeSet probes_;
  std::unique_ptr<EventTracer> tracer_;
  bool inRun_ = false;
  bool memError_ = false;
  std::string memErrorText_;
  uint64_t cycle_ = 0;  // cycles since the current run started
  uint32_t counters_[64] = {0};
  // Waveform window for the current run ([from, to) in run cycles), FST builds only.
  uint64_t waveFrom_ = 0, waveTo_ = 0;
  std::unique_ptr<VerilatedFstC> fst_;
};

extern Simulator* g_simulator;

}  // namespace tsim
