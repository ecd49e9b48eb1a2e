#include "memory_choice.h"

#include "emu_memory.h"
#include "in_order_memory.h"

namespace tsim {

bool parseMemoryChoice(const std::string& text, MemoryChoice& out, std::string& error) {
  if (text == "in-order") {
    out = {MemoryChoice::Kind::kInOrder, 0};
    return true;
  }
  const std::string prefix = "emu:";
  const std::string digits = text.substr(0, prefix.size()) == prefix ? text.substr(prefix.size()) : "";
  if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos) {
    error = "--memory must be in-order or emu:SEED (SEED a decimal integer), got '" + text + "'";
    return false;
  }
  out = {MemoryChoice::Kind::kEmu, std::stoull(digits)};
  return true;
}

std::unique_ptr<MemoryModel> makeMemoryModel(const MemoryChoice& choice, Dram& dram, uint32_t beatBytes) {
  if (choice.kind == MemoryChoice::Kind::kEmu) return std::make_unique<EmuMemory>(dram, beatBytes, choice.seed);
  return std::make_unique<InOrderMemory>(dram, beatBytes);
}

}  // namespace tsim
