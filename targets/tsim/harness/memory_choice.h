// The simulator process's memory options (its arguments after the two fixed ones):
//   --memory in-order|emu:SEED   which model serves VTAMemDPI: tsim's in-order one (default) or
//                                the emulated board (emu_memory.h);
//   --trace-ring BASE:SLOTS      the trace unit's ring (TRACE_UNIT): the harness programs VCR
//                                0x44/0x48 with it before each launch and hides its writes from
//                                the store tracing;
//   --data-base BASE             place the bundle at device address BASE (a power of two, decimal,
//                                below 2^32) as a board's driver places it in its DMA region: the
//                                harness writes BASE to the VCR base registers (0x10..0x20) and adds
//                                it to the instruction and ring addresses; the design's DRAM
//                                addresses must lie in [BASE, 2·BASE) and reach DRAM less BASE.
// Run-time choices, so one cached build serves them all.
#pragma once
#include <cstdint>
#include <memory>
#include <string>

#include "dram.h"
#include "memory_model.h"

namespace tsim {

struct MemoryChoice {
  enum class Kind { kInOrder, kEmu } kind = Kind::kInOrder;
  uint64_t seed = 0;
  uint64_t ringBase = 0;
  uint32_t ringSlots = 0;  // 0: no trace ring
  uint64_t dataBase = 0;   // 0: upstream's driver, base registers 0
};

// False with `error` naming what is wrong.
bool parseMemoryChoice(const std::string& text, MemoryChoice& out, std::string& error);
// All options in argv[0..argc): pairs of `--memory X` / `--trace-ring BASE:SLOTS` / `--data-base BASE`.
bool parseMemoryOptions(int argc, char** argv, MemoryChoice& out, std::string& error);
std::unique_ptr<MemoryModel> makeMemoryModel(const MemoryChoice& choice, Dram& dram, uint32_t beatBytes);

}  // namespace tsim
