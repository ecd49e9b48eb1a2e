// The bench's driver for upstream's C++ fsim (our code; upstream's sources are compiled beside it,
// never copied). Reads a program image written by bench/upstream-fsim.ts:
//   u32 buffer count, then per buffer u32 physical address, u32 length, the bytes;
//   u32 instruction address, u32 instruction count
// allocates the buffers with VTAMemAlloc in address order (checking each lands at its recorded
// address), runs the program RUNS times and prints the best wall-clock and the best CPU seconds
// of one run (the machine may be shared; CPU time is what other processes disturb least).
#include <vta/driver.h>

#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

static uint32_t ReadU32(FILE* f) {
  uint32_t v;
  if (std::fread(&v, 4, 1, f) != 1) {
    std::fprintf(stderr, "upstream-fsim driver: truncated program image\n");
    std::exit(2);
  }
  return v;
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: driver IMAGE RUNS\n");
    return 2;
  }
  FILE* f = std::fopen(argv[1], "rb");
  if (!f) {
    std::perror(argv[1]);
    return 2;
  }
  uint32_t count = ReadU32(f);
  for (uint32_t i = 0; i < count; ++i) {
    uint32_t addr = ReadU32(f), len = ReadU32(f);
    std::vector<char> bytes(len);
    if (len && std::fread(bytes.data(), 1, len, f) != len) return 2;
    void* buf = VTAMemAlloc(len, 0);
    if (VTAMemGetPhyAddr(buf) != addr) {
      std::fprintf(stderr, "upstream-fsim driver: buffer %u allocated at 0x%x, the bundle says 0x%x\n", i,
                   static_cast<unsigned>(VTAMemGetPhyAddr(buf)), addr);
      return 1;
    }
    VTAMemCopyFromHost(buf, bytes.data(), len);
  }
  uint32_t insn_addr = ReadU32(f), insn_count = ReadU32(f);
  std::fclose(f);
  int runs = std::atoi(argv[2]);
  VTADeviceHandle dev = VTADeviceAlloc();
  double best_wall = 1e30, best_cpu = 1e30;
  for (int r = 0; r < runs; ++r) {
    timespec c0, c1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
    auto t0 = std::chrono::steady_clock::now();
    VTADeviceRun(dev, insn_addr, insn_count, 0);
    double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
    double cpu = (c1.tv_sec - c0.tv_sec) + (c1.tv_nsec - c0.tv_nsec) * 1e-9;
    if (wall < best_wall) best_wall = wall;
    if (cpu < best_cpu) best_cpu = cpu;
  }
  VTADeviceFree(dev);
  std::printf("%.9f %.9f\n", best_wall, best_cpu);
  return 0;
}
