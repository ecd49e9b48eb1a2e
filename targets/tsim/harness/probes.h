// Probed signals of the design, resolved once by name from the Verilator scope table (the build
// marks each one public_flat_rd) and then read through plain pointers every cycle.
//
// The resolved list comes from `probes.txt`, written by targets/tsim/probe-map.ts from the JSON
// probe map; one probe per line, signal = "<scope> <var> <expected bits, 0 = any>", "- - 0" = absent:
//   retire <module> <valid signal> <insn signal>
//   write <label> <stream> <owner module> <depth> <elem bytes> <first byte> <bytes> <enable> <data> <mask>
//         <granule> <group> <n parts> n × (<bits> <value> <signal>)
//     (the port carries bytes [first, first + bytes) of the element; its element index is the
//      parts concatenated most significant first: a signal's low <bits> (0 = all of it), or the
//      constant <value> when the signal is "- - 0")
//   iter <label> <stream> <valid> <dst> <src> <wgt> <result> [<group>]
//   complete <group> <valid>            (a compute instruction of that group completed)
//   retire_group <signal>               (the group of the retiring compute instruction)
//   state <module> <signal>
//   debug <label> <signal>
//   counter <name> <offset>
//   read <id shift> <client> <module>   (read bursts with id >> shift == client are that module's)
//   description <free text>
#pragma once
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

class VerilatedContext;

namespace tsim {

struct Signal {
  const uint8_t* ptr = nullptr;
  uint32_t bits = 0;
  uint32_t bytes = 0;
  std::string name;

  bool present() const { return ptr != nullptr; }
  bool high() const { return (ptr[0] & 1) != 0; }
  uint64_t u64() const {
    uint64_t v = 0;
    std::memcpy(&v, ptr, bytes < 8 ? bytes : 8);
    return bits < 64 ? v & ((uint64_t{1} << bits) - 1) : v;
  }
  // Copy the signal's bytes (little-endian bit vector) to `out`.
  void copyTo(uint8_t* out) const { std::memcpy(out, ptr, bytes); }
};

struct RetireProbe {
  Signal valid, insn;
};

// One field of a composed element index: a signal's low `bits` bits, or a constant.
struct IndexPart {
  uint32_t bits = 0;  // 0: the signal's whole width
  uint64_t value = 0;
  Signal sig;
  uint64_t read() const {
    const uint64_t v = sig.present() ? sig.u64() : value;
    return bits == 0 || bits >= 64 ? v : v & ((uint64_t{1} << bits) - 1);
  }
  uint32_t width() const { return bits != 0 ? bits : sig.bits; }
};

struct WriteProbe {
  uint8_t stream = 0;  // index in STREAMS (tracer/events.ts)
  uint8_t owner = 0;   // module whose instruction the write belongs to
  uint32_t depth = 0;
  uint32_t elemBytes = 0;
  uint32_t first = 0;  // the port carries bytes [first, first + bytes) of the element
  uint32_t bytes = 0;
  Signal enable, data, mask;
  std::vector<IndexPart> index;  // most significant first
  uint32_t granule = 0;  // bytes per mask bit (of the port's data); 0 = no mask
  uint8_t group = 0;     // completion group of compute-owned buffers (fixtures/probe-maps/README.md)

  uint64_t element() const {
    uint64_t v = 0;
    for (const IndexPart& p : index) v = (v << p.width()) | p.read();
    return v;
  }
};

struct IterProbe {
  uint8_t stream = 0;
  uint8_t group = 0;
  Signal valid, dst, src, wgt, result;
};

struct CompleteProbe {
  uint8_t group = 0;
  Signal valid;
};

// Groups are small integers (a byte of per-row flags holds them all).
constexpr unsigned kMaxGroups = 8;

struct NamedSignal {
  std::string label;
  Signal sig;
};

struct Counter {
  std::string name;
  uint8_t offset = 0;
};

// Read bursts whose id >> shift == client belong to `module`'s current instruction (dram.load).
struct ReadClient {
  uint8_t shift = 0;
  uint8_t client = 0;
  uint8_t module = 0;
};

struct ProbeSet {
  RetireProbe retire[3];
  std::vector<WriteProbe> writes;
  std::vector<IterProbe> iters;
  std::vector<CompleteProbe> completes;  // empty: writes go to the next retire (no groups)
  Signal retireGroup;                    // absent: every compute retire is group 0
  Signal state[3];
  std::vector<NamedSignal> debug;
  std::vector<Counter> counters;
  std::vector<ReadClient> reads;
  std::string description;
};

// Load `path` and resolve every signal; on failure returns false with `error` naming the probe.
bool loadProbes(const std::string& path, VerilatedContext& ctx, ProbeSet& out, std::string& error);

}  // namespace tsim
