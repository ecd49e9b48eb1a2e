// Byte-addressed simulated DRAM: sparse 4 KiB pages allocated on first write. Memory nobody
// wrote reads as 0, so a program reading outside its buffers gets a deterministic answer.
#pragma once
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace tsim {

class Dram {
 public:
  static constexpr uint64_t kPageBits = 12;
  static constexpr uint64_t kPageSize = uint64_t{1} << kPageBits;

  void clear() {
    pages_.clear();
    lastNum_ = ~uint64_t{0};
    lastPage_ = nullptr;
  }
  void read(uint64_t addr, void* out, size_t n) const;
  void write(uint64_t addr, const void* data, size_t n);
  // Write the bytes of `data` whose bit in `strobe` is set (bit k = byte k; n <= 64).
  void writeStrobed(uint64_t addr, const uint8_t* data, size_t n, uint64_t strobe);

 private:
  uint8_t* page(uint64_t num, bool create) const;
  mutable std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages_;
  // One-entry cache: bursts touch the same page many times in a row.
  mutable uint64_t lastNum_ = ~uint64_t{0};
  mutable uint8_t* lastPage_ = nullptr;
};

}  // namespace tsim
