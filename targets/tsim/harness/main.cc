// The simulator process: `vta-tsim <probes.txt> <data bits> [memory options (memory_choice.h)]`. Reads
// commands on stdin and replies on fd 3 (protocol: targets/tsim/README.md) until EXIT or end of input.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "frame_io.h"
#include "host_session.h"
#include "simulator.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s <probes.txt> <memory data bits> [--memory in-order|emu:SEED] [--trace-ring BASE:SLOTS] [--data-base BASE] [+name=value …]\n", argv[0]);
    return 2;
  }
  const uint32_t dataBits = static_cast<uint32_t>(std::atoi(argv[2]));
  if (dataBits < 64 || dataBits > 512 || dataBits % 64 != 0) {
    std::fprintf(stderr, "memory data bits must be 64..512 in steps of 64, got %s\n", argv[2]);
    return 2;
  }
  // `+name=value` arguments go to the design ($value$plusargs), the rest are the harness's options.
  std::vector<std::string> plusargs;
  std::vector<char*> options;
  for (int i = 3; i < argc; i++) {
    if (argv[i][0] == '+') plusargs.emplace_back(argv[i]);
    else options.push_back(argv[i]);
  }
  tsim::MemoryChoice memory;
  std::string memError;
  if (!tsim::parseMemoryOptions(static_cast<int>(options.size()), options.data(), memory, memError)) {
    std::fprintf(stderr, "%s\n", memError.c_str());
    return 2;
  }
  tsim::Simulator sim(dataBits, memory);
  tsim::g_simulator = &sim;
  sim.setPlusargs(std::move(plusargs));
  std::string error;
  if (!sim.init(argv[1], error)) {
    tsim::FrameBuilder f(tsim::kRepFatal);
    f.str(error);
    f.send(tsim::kReplyFd);
    return 1;
  }
  sim.sendHello();
  tsim::HostSession hostSession(sim);
  tsim::Frame cmd;
  while (tsim::readFrame(0, cmd)) {
    switch (cmd.type) {
      case tsim::kCmdMemClear:
        sim.memClear();
        break;
      case tsim::kCmdMemWrite: {
        const uint64_t addr = cmd.u64();
        sim.memWrite(addr, cmd.restPtr(), cmd.restSize());
        break;
      }
      case tsim::kCmdRun:
        sim.run(cmd);
        break;
      case tsim::kCmdMemRead: {
        const uint64_t addr = cmd.u64();
        sim.memRead(addr, cmd.u32());
        break;
      }
      case tsim::kCmdExit:
        return 0;
      default: {
        if (hostSession.handle(cmd)) break;
        tsim::FrameBuilder f(tsim::kRepFatal);
        f.str("unknown command type " + std::to_string(cmd.type));
        f.send(tsim::kReplyFd);
        return 1;
      }
    }
  }
  return 0;
}
