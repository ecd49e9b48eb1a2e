// Drives vta_tensor_reader alone against a memory that answers bursts in random order,
// interleaves their beats, inserts gaps and grants requests at random; checks that every element
// unit of every job arrives exactly once at the right index with the right bytes.
// Built and run by targets/tsim/rtl/rtl-reader-reorder.test.ts; prints "ok <units>" or the error.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "Vreader.h"
#include "verilated.h"

namespace {

template <typename T>
void bytesOf(const T& v, int n, uint8_t* out) {
  for (int i = 0; i < n; i++) out[i] = static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i));
}
template <std::size_t W>
void bytesOf(const VlWide<W>& v, int n, uint8_t* out) {
  for (int i = 0; i < n; i++) out[i] = static_cast<uint8_t>(v[i / 4] >> (8 * (i % 4)));
}
template <typename T>
void setBytes(T& v, int n, const uint8_t* in) {
  uint64_t x = 0;
  for (int i = 0; i < n; i++) x |= static_cast<uint64_t>(in[i]) << (8 * i);
  v = static_cast<T>(x);
}
template <std::size_t W>
void setBytes(VlWide<W>& v, int n, const uint8_t* in) {
  for (std::size_t w = 0; w < W; w++) v[w] = 0;
  for (int i = 0; i < n; i++) v[i / 4] |= static_cast<uint32_t>(in[i]) << (8 * (i % 4));
}

uint8_t dram(uint64_t a) { return static_cast<uint8_t>((a * 7 + 3) ^ (a >> 8) ^ (a >> 16)); }

struct Burst {
  int slot;
  uint64_t addr;
  int beatsLeft;
};

}  // namespace

int main(int argc, char** argv) {
  const int elemBytes = std::atoi(argv[1]);
  const int busBytes = std::atoi(argv[2]);
  const unsigned seed = static_cast<unsigned>(std::atoi(argv[3]));
  const int unitBytes = elemBytes < busBytes ? elemBytes : busBytes;
  const int unitsPerElem = elemBytes / unitBytes;
  std::mt19937 rng(seed);
  auto chance = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };

  VerilatedContext ctx;
  Vreader top(&ctx);
  auto tick = [&]() {
    top.clk_i = 0;
    top.eval();
    top.clk_i = 1;
    top.eval();
  };
  top.rst_i = 1;
  tick();
  tick();
  top.rst_i = 0;

  // Jobs with disjoint destinations (IdxW = 10 bits, 1024 elements).
  struct Job {
    uint32_t addr;
    int count;
    int dst;
  };
  std::vector<Job> jobs;
  std::map<std::tuple<int, int>, std::vector<uint8_t>> expected;
  int nextDst = 0;
  while (nextDst < 900) {
    Job j{static_cast<uint32_t>(0x10000 + (rng() % 4096) * elemBytes), 1 + static_cast<int>(rng() % 40), nextDst};
    if (nextDst + j.count > 1000) break;
    nextDst += j.count + static_cast<int>(rng() % 3);
    jobs.push_back(j);
    for (int e = 0; e < j.count; e++)
      for (int c = 0; c < unitsPerElem; c++) {
        std::vector<uint8_t> d(unitBytes);
        for (int b = 0; b < unitBytes; b++) d[b] = dram(j.addr + e * elemBytes + c * unitBytes + b);
        expected[{j.dst + e, c}] = d;
      }
  }

  std::vector<Burst> open;
  int offered = -1;  // index into `open` of the beat on the port, -1 none
  size_t nextJob = 0;
  std::map<std::tuple<int, int>, std::vector<uint8_t>> got;
  std::vector<uint8_t> beat(busBytes), unit(unitBytes);
  for (long cycle = 0; cycle < 2000000; cycle++) {
    // Inputs for this cycle.
    top.job_valid_i = nextJob < jobs.size();
    if (top.job_valid_i) {
      top.job_addr_i = jobs[nextJob].addr;
      top.job_count_i = jobs[nextJob].count;
      top.job_dst_i = jobs[nextJob].dst;
    }
    top.req_grant_i = chance(60);
    if (offered < 0 && !open.empty() && chance(70)) offered = static_cast<int>(rng() % open.size());
    top.rsp_valid_i = offered >= 0;
    if (offered >= 0) {
      const Burst& b = open[offered];
      for (int k = 0; k < busBytes; k++) beat[k] = dram(b.addr + k);
      setBytes(top.rsp_data_i, busBytes, beat.data());
      top.rsp_slot_i = b.slot;
    }
    top.clk_i = 0;
    top.eval();
    // Sample what the edge will act on.
    const bool jobTaken = top.job_valid_i && top.job_ready_o;
    const bool reqTaken = top.req_valid_o && top.req_grant_i;
    const bool beatTaken = top.rsp_valid_i && top.rsp_ready_o;
    if (top.out_valid_o) {
      bytesOf(top.out_data_o, unitBytes, unit.data());
      auto key = std::make_tuple(static_cast<int>(top.out_idx_o), static_cast<int>(top.out_chunk_o));
      if (got.count(key)) {
        std::printf("unit (%d,%d) written twice\n", std::get<0>(key), std::get<1>(key));
        return 1;
      }
      got[key] = unit;
    }
    if (reqTaken) {
      if ((top.req_addr_o % busBytes) != 0) {
        std::printf("unaligned request 0x%x\n", top.req_addr_o);
        return 1;
      }
      open.push_back({static_cast<int>(top.req_id_o & 0xf), top.req_addr_o, top.req_len_o + 1});
    }
    top.clk_i = 1;
    top.eval();
    if (jobTaken) nextJob++;
    if (beatTaken) {
      Burst& b = open[offered];
      b.addr += busBytes;
      if (--b.beatsLeft == 0) open.erase(open.begin() + offered);
      offered = -1;  // the next beat may come from any burst
    }
    if (nextJob == jobs.size() && open.empty() && top.idle_o) {
      if (got.size() != expected.size()) {
        std::printf("%zu units arrived, %zu expected\n", got.size(), expected.size());
        return 1;
      }
      for (auto& [k, v] : expected) {
        auto it = got.find(k);
        if (it == got.end() || it->second != v) {
          std::printf("unit (%d,%d) wrong or missing\n", std::get<0>(k), std::get<1>(k));
          return 1;
        }
      }
      std::printf("ok %zu\n", got.size());
      return 0;
    }
  }
  std::printf("timeout\n");
  return 1;
}
