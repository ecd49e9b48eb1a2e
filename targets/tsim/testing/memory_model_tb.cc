// Bench for the harness's memory models alone (memory-model.test.ts builds it with g++):
// `memory_model_tb <in-order|emu:SEED> <beat bytes>` drives the model like the DPI glue does —
// random read bursts (ids repeat), write bursts, a random rd_ready — and checks what comes back
// against its own bookkeeping:
//   - a beat that was not taken is offered again unchanged;
//   - every taken beat carries the DRAM bytes of the next beat of the oldest unfinished burst of
//     its id (beats in order within a burst, bursts of one id in request order);
//   - every burst is delivered completely, and written bytes land in DRAM.
// Prints `ok bursts=N reordered=R interleaved=I stalls=S trace=HASH` or `FAIL: why`.
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>
#include <vector>

#include "dram.h"
#include "memory_choice.h"

using namespace tsim;

namespace {
uint64_t rngState = 12345;  // the bench's own stream, independent of the model's seed
uint32_t rnd(uint32_t n) {
  rngState = rngState * 6364136223846793005ULL + 1442695040888963407ULL;
  return static_cast<uint32_t>((rngState >> 33) % n);
}
uint8_t pattern(uint64_t addr) { return static_cast<uint8_t>((addr * 2654435761u) >> 13); }

struct Burst {
  uint8_t id;
  uint64_t addr;
  uint32_t beats, got = 0;
  bool started = false;
};

int fail(const std::string& why) {
  std::printf("FAIL: %s\n", why.c_str());
  return 1;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return fail("usage: memory_model_tb <in-order|emu:SEED> <beat bytes>");
  MemoryChoice choice;
  std::string error;
  if (!parseMemoryChoice(argv[1], choice, error)) return fail(error);
  const uint32_t beatBytes = static_cast<uint32_t>(std::atoi(argv[2]));
  Dram dram;
  std::vector<uint8_t> init(1 << 19);  // covers every address the bursts below read
  for (size_t a = 0; a < init.size(); a++) init[a] = pattern(a);
  dram.write(0, init.data(), init.size());
  auto mem = makeMemoryModel(choice, dram, beatBytes);
  mem->reset();

  const uint64_t kWriteBase = 1 << 20;
  std::vector<Burst> bursts;
  std::vector<uint8_t> written;  // expected bytes at kWriteBase..
  uint64_t writeBeatsOwed = 0;
  bool offered = false;
  uint8_t offeredId = 0;
  std::vector<uint8_t> offeredData(beatBytes), data(beatBytes), wdata(beatBytes);
  uint64_t reordered = 0, interleaved = 0, stalls = 0, trace = 1469598103934665603ULL;
  int lastBurst = -1;
  const int kBursts = 300;

  for (uint64_t cycle = 0; cycle < 200000; cycle++) {
    if (static_cast<int>(bursts.size()) < kBursts && rnd(3) == 0) {
      Burst b{static_cast<uint8_t>(rnd(6)), uint64_t{rnd(4000)} * beatBytes, 1 + rnd(8)};
      bursts.push_back(b);
      mem->requestRead(b.id, b.addr, b.beats);
    }
    if (writeBeatsOwed == 0 && written.size() < 4096 && rnd(8) == 0) {
      writeBeatsOwed = 1 + rnd(4);
      mem->requestWrite(kWriteBase + written.size(), static_cast<uint32_t>(writeBeatsOwed));
    }
    if (writeBeatsOwed > 0 && rnd(2) == 0) {
      for (auto& x : wdata) x = static_cast<uint8_t>(rnd(256));
      if (!mem->writeBeat(wdata.data(), ~uint64_t{0})) return fail("write beat refused with a burst open");
      written.insert(written.end(), wdata.begin(), wdata.end());
      writeBeatsOwed--;
    }
    const bool ready = rnd(4) != 0;
    if (offered && ready) {
      // Taken: it must be the next beat of the oldest unfinished burst of its id.
      int k = -1;
      for (size_t i = 0; i < bursts.size() && k < 0; i++)
        if (bursts[i].id == offeredId && bursts[i].got < bursts[i].beats) k = static_cast<int>(i);
      if (k < 0) return fail("beat for id " + std::to_string(offeredId) + " with no burst outstanding");
      Burst& b = bursts[k];
      for (uint32_t j = 0; j < beatBytes; j++)
        if (offeredData[j] != pattern(b.addr + uint64_t{b.got} * beatBytes + j))
          return fail("wrong data in beat " + std::to_string(b.got) + " of burst " + std::to_string(k));
      if (lastBurst >= 0 && lastBurst != k && bursts[lastBurst].got < bursts[lastBurst].beats) interleaved++;
      b.started = true;
      if (++b.got == b.beats) {
        for (int i = 0; i < k; i++)
          if (bursts[i].got < bursts[i].beats) {
            reordered++;
            break;
          }
      }
      lastBurst = k;
      trace = (trace ^ (cycle * 131 + static_cast<uint64_t>(k))) * 1099511628211ULL;
    }
    uint8_t id = 0;
    const bool hadOffer = offered;
    const std::vector<uint8_t> before = offeredData;
    const uint8_t beforeId = offeredId;
    offered = mem->offerReadBeat(ready, id, data.data());
    if (hadOffer && !ready && (!offered || id != beforeId || data != before))
      return fail("a beat that was not taken changed or vanished at cycle " + std::to_string(cycle));
    if (offered) {
      offeredId = id;
      offeredData = data;
    }
    bool owed = false;
    for (const Burst& b : bursts) owed = owed || b.got < b.beats;
    if (!offered && owed) stalls++;
    if (static_cast<int>(bursts.size()) == kBursts && !owed && writeBeatsOwed == 0 && !offered) break;
  }
  for (size_t i = 0; i < bursts.size(); i++)
    if (bursts[i].got != bursts[i].beats) return fail("burst " + std::to_string(i) + " never completed");
  if (!mem->idle()) return fail("model not idle after every burst completed");
  std::vector<uint8_t> back(written.size());
  dram.read(kWriteBase, back.data(), back.size());
  if (back != written) return fail("written bytes did not land in DRAM");
  std::printf("ok bursts=%zu reordered=%llu interleaved=%llu stalls=%llu trace=%016llx\n", bursts.size(),
              static_cast<unsigned long long>(reordered), static_cast<unsigned long long>(interleaved),
              static_cast<unsigned long long>(stalls), static_cast<unsigned long long>(trace));
  return 0;
}
