// Which memory model a simulator process serves VTAMemDPI with, from its `--memory` argument:
// `in-order` (the default, tsim's) or `emu:SEED` (the emulated board, emu_memory.h). A run-time
// choice, so one cached build serves every model.
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
};

// False with `error` naming what is wrong.
bool parseMemoryChoice(const std::string& text, MemoryChoice& out, std::string& error);
std::unique_ptr<MemoryModel> makeMemoryModel(const MemoryChoice& choice, Dram& dram, uint32_t beatBytes);

}  // namespace tsim
