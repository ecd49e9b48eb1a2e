#include "memory_choice.h"

#include "emu_memory.h"
#include "in_order_memory.h"

namespace tsim {

namespace {
bool decimal(const std::string& s, uint64_t max, uint64_t& out) {
  if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoull(s);
  return out <= max;
}
}  // namespace

bool parseMemoryChoice(const std::string& text, MemoryChoice& out, std::string& error) {
  if (text == "in-order") {
    out.kind = MemoryChoice::Kind::kInOrder;
    return true;
  }
  const std::string prefix = "emu:";
  const std::string digits = text.substr(0, prefix.size()) == prefix ? text.substr(prefix.size()) : "";
  if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos) {
    error = "--memory must be in-order or emu:SEED (SEED a decimal integer), got '" + text + "'";
    return false;
  }
  out.kind = MemoryChoice::Kind::kEmu;
  out.seed = std::stoull(digits);
  return true;
}

bool parseMemoryOptions(int argc, char** argv, MemoryChoice& out, std::string& error) {
  for (int i = 0; i < argc; i += 2) {
    const std::string opt = argv[i];
    if (i + 1 >= argc) {
      error = opt + " needs a value";
      return false;
    }
    const std::string val = argv[i + 1];
    if (opt == "--memory") {
      if (!parseMemoryChoice(val, out, error)) return false;
    } else if (opt == "--trace-ring") {
      const size_t colon = val.find(':');
      uint64_t base = 0, slots = 0;
      if (colon == std::string::npos || !decimal(val.substr(0, colon), 0xffffffffULL, base) ||
          !decimal(val.substr(colon + 1), 0xffffffffULL, slots) || base % 16 != 0 || slots == 0) {
        error = "--trace-ring must be BASE:SLOTS (decimal, BASE 16-byte aligned below 2^32, SLOTS > 0), got '" + val + "'";
        return false;
      }
      out.ringBase = base;
      out.ringSlots = static_cast<uint32_t>(slots);
    } else if (opt == "--data-base") {
      uint64_t base = 0;
      if (!decimal(val, 0x80000000ULL, base) || base == 0 || (base & (base - 1)) != 0) {
        error = "--data-base must be a power of two from 1 to 2^31 (decimal), got '" + val + "'";
        return false;
      }
      out.dataBase = base;
    } else {
      error = "unknown option " + opt;
      return false;
    }
  }
  return true;
}

std::unique_ptr<MemoryModel> makeMemoryModel(const MemoryChoice& choice, Dram& dram, uint32_t beatBytes) {
  std::unique_ptr<MemoryModel> m;
  if (choice.kind == MemoryChoice::Kind::kEmu) m = std::make_unique<EmuMemory>(dram, beatBytes, choice.seed);
  else m = std::make_unique<InOrderMemory>(dram, beatBytes);
  m->setTraceRing(choice.ringBase, choice.ringSlots);
  return m;
}

}  // namespace tsim
