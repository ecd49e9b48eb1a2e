#include "dram.h"

#include <algorithm>
#include <cstring>

namespace tsim {

uint8_t* Dram::page(uint64_t num, bool create) const {
  if (num == lastNum_) return lastPage_;
  auto it = pages_.find(num);
  uint8_t* p = nullptr;
  if (it != pages_.end()) {
    p = it->second.get();
  } else if (create) {
    auto fresh = std::make_unique<uint8_t[]>(kPageSize);
    std::memset(fresh.get(), 0, kPageSize);
    p = fresh.get();
    pages_.emplace(num, std::move(fresh));
  } else {
    return nullptr;  // not cached: a later write may create it
  }
  lastNum_ = num;
  lastPage_ = p;
  return p;
}

void Dram::read(uint64_t addr, void* out, size_t n) const {
  uint8_t* dst = static_cast<uint8_t*>(out);
  while (n > 0) {
    const uint64_t off = addr & (kPageSize - 1);
    const size_t chunk = std::min<size_t>(n, kPageSize - off);
    const uint8_t* p = page(addr >> kPageBits, false);
    if (p) std::memcpy(dst, p + off, chunk);
    else std::memset(dst, 0, chunk);
    dst += chunk;
    addr += chunk;
    n -= chunk;
  }
}

void Dram::write(uint64_t addr, const void* data, size_t n) {
  const uint8_t* src = static_cast<const uint8_t*>(data);
  while (n > 0) {
    const uint64_t off = addr & (kPageSize - 1);
    const size_t chunk = std::min<size_t>(n, kPageSize - off);
    std::memcpy(page(addr >> kPageBits, true) + off, src, chunk);
    src += chunk;
    addr += chunk;
    n -= chunk;
  }
}

void Dram::writeStrobed(uint64_t addr, const uint8_t* data, size_t n, uint64_t strobe) {
  const uint64_t all = n >= 64 ? ~uint64_t{0} : ((uint64_t{1} << n) - 1);
  if ((strobe & all) == all) {
    write(addr, data, n);
    return;
  }
  for (size_t k = 0; k < n; k++) {
    if ((strobe >> k) & 1) write(addr + k, data + k, 1);
  }
}

}  // namespace tsim
