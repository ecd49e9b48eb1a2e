// Host-port commands: the VCR register port, the clock and the run's event stream driven from
// outside, one register access at a time, the way a board's driver reaches the design over its
// bus. The fpga target's emulated board uses them (targets/fpga/backends/emu-backend.ts) so that
// the register sequence it exercises is the TypeScript one every board runs, not the harness's
// own (Simulator::run programs the VCR itself). Frames: docs/fpga-protocol.md, "Host-port commands".
#pragma once
#include <cstdint>

#include "frame_io.h"

namespace tsim {

class Simulator;

// Frame types of the host-port commands and their one reply.
enum : uint8_t {
  kCmdHostOpen = 6,
  kCmdRegWrite = 7,
  kCmdRegRead = 8,
  kCmdClock = 9,
  kCmdHostClose = 10,
  kRepHostState = 133,
};

class HostSession {
 public:
  explicit HostSession(Simulator& sim) : sim_(sim) {}
  // Serves `cmd` if it is a host-port command; false if it is not one.
  bool handle(Frame& cmd);

 private:
  void open(Frame& cmd);
  void regWrite(Frame& cmd);
  void regRead(Frame& cmd);
  void clock(Frame& cmd);
  void close(Frame& cmd);
  // One clock cycle with the watchdog's bookkeeping; false if the run had to stop (reported).
  bool tick();
  // Step until `ready()` holds, at most kAccessCycles; false if the run had to stop (reported).
  template <typename Ready>
  bool tickUntil(Ready ready, const char* what);
  void reply(uint32_t value);
  // The run ended abnormally while the host was waiting: a DONE frame (crash) closes the session.
  void stop(const std::string& why);

  Simulator& sim_;
  bool open_ = false;
  uint64_t idle_ = 0;
  uint64_t lastTraffic_ = 0;
};

}  // namespace tsim
