#include "probes.h"

#include <fstream>
#include <sstream>

#include "verilated.h"
#include "verilated_syms.h"

namespace tsim {

namespace {

// Reads "<scope> <var> <bits>" from the line and resolves it; "-" scope = absent signal.
bool resolve(std::istringstream& in, VerilatedContext& ctx, const std::string& what, Signal& out,
             std::string& error) {
  std::string scope, var;
  uint32_t expect = 0;
  if (!(in >> scope >> var >> expect)) {
    error = what + ": malformed probe line";
    return false;
  }
  if (scope == "-") return true;
  out.name = scope.substr(scope.find('.') + 1) + "." + var;
  const VerilatedScope* s = ctx.scopeFind(scope.c_str());
  if (!s && scope.find('[') != std::string::npos) {
    // Verilator before 5 encoded generate-block brackets in scope names.
    std::string encoded;
    for (char c : scope) encoded += c == '[' ? std::string("__BRA__") : c == ']' ? std::string("__KET__") : std::string(1, c);
    s = ctx.scopeFind(encoded.c_str());
  }
  VerilatedVar* v = s ? s->varFind(var.c_str()) : nullptr;
  if (!v) {
    error = what + ": no signal " + out.name + " in the design";
    return false;
  }
  if (v->udims() != 0) {
    error = what + ": " + out.name + " is an unpacked array; only packed signals can be probed";
    return false;
  }
  out.ptr = static_cast<const uint8_t*>(v->datap());
  out.bits = v->dims() == 0 ? 1 : static_cast<uint32_t>(v->packed().elements());
  out.bytes = (out.bits + 7) / 8;
  if (expect != 0 && out.bits != expect) {
    error = what + ": " + out.name + " is " + std::to_string(out.bits) + " bits wide, expected " +
            std::to_string(expect);
    return false;
  }
  return true;
}

// Reads the optional trailing group of a write or iter line (0 when absent).
bool readGroup(std::istringstream& in, const std::string& what, uint8_t& group, std::string& error) {
  unsigned g = 0;
  if (!(in >> g)) return true;
  if (g >= kMaxGroups) {
    error = what + ": group " + std::to_string(g) + " out of range";
    return false;
  }
  group = static_cast<uint8_t>(g);
  return true;
}

}  // namespace

bool loadProbes(const std::string& path, VerilatedContext& ctx, ProbeSet& out, std::string& error) {
  std::ifstream file(path);
  if (!file) {
    error = "cannot read probe list " + path;
    return false;
  }
  std::string line;
  while (std::getline(file, line)) {
    std::istringstream in(line);
    std::string kind;
    if (!(in >> kind) || kind[0] == '#') continue;
    if (kind == "description") {
      std::getline(in, out.description);
    } else if (kind == "retire") {
      unsigned m = 0;
      in >> m;
      if (m > 2) return error = "retire: bad module", false;
      const std::string w = std::string("retire.") + (m == 0 ? "load" : m == 1 ? "compute" : "store");
      if (!resolve(in, ctx, w + ".valid", out.retire[m].valid, error)) return false;
      if (!resolve(in, ctx, w + ".insn", out.retire[m].insn, error)) return false;
    } else if (kind == "write") {
      WriteProbe p;
      unsigned stream = 0, owner = 0, group = 0, parts = 0;
      std::string label;
      in >> label >> stream >> owner >> p.depth >> p.elemBytes >> p.first >> p.bytes;
      p.stream = static_cast<uint8_t>(stream);
      p.owner = static_cast<uint8_t>(owner);
      const std::string w = "writes." + label;
      if (!resolve(in, ctx, w + ".enable", p.enable, error)) return false;
      if (!resolve(in, ctx, w + ".data", p.data, error)) return false;
      if (!resolve(in, ctx, w + ".mask", p.mask, error)) return false;
      if (!(in >> p.granule >> group >> parts) || group >= kMaxGroups || parts == 0) {
        error = w + ": malformed probe line";
        return false;
      }
      p.group = static_cast<uint8_t>(group);
      for (unsigned i = 0; i < parts; i++) {
        IndexPart part;
        in >> part.bits >> part.value;
        if (!resolve(in, ctx, w + ".index[" + std::to_string(i) + "]", part.sig, error)) return false;
        p.index.push_back(part);
      }
      if (p.first + p.bytes > p.elemBytes || p.data.bytes != p.bytes) {
        error = w + ".data: " + p.data.name + " is " + std::to_string(p.data.bits) + " bits wide, the port carries " +
                std::to_string(p.bytes) + " bytes of the " + std::to_string(p.elemBytes) + "-byte element";
        return false;
      }
      if (p.mask.present() && p.granule * p.mask.bits < p.bytes) {
        error = w + ".mask: " + std::to_string(p.mask.bits) + " bits of " + std::to_string(p.granule) +
                " bytes do not cover the port's " + std::to_string(p.bytes) + " bytes";
        return false;
      }
      out.writes.push_back(p);
    } else if (kind == "iter") {
      IterProbe p;
      unsigned stream = 0;
      std::string label;
      in >> label >> stream;
      p.stream = static_cast<uint8_t>(stream);
      const std::string w = "iter." + label;
      if (!resolve(in, ctx, w + ".valid", p.valid, error) || !resolve(in, ctx, w + ".dst", p.dst, error) ||
          !resolve(in, ctx, w + ".src", p.src, error) || !resolve(in, ctx, w + ".wgt", p.wgt, error) ||
          !resolve(in, ctx, w + ".result", p.result, error) || !readGroup(in, w, p.group, error))
        return false;
      out.iters.push_back(p);
    } else if (kind == "complete") {
      CompleteProbe c;
      unsigned g = 0;
      in >> g;
      if (g >= kMaxGroups) return error = "complete: group " + std::to_string(g) + " out of range", false;
      c.group = static_cast<uint8_t>(g);
      if (!resolve(in, ctx, "complete[" + std::to_string(g) + "].valid", c.valid, error)) return false;
      out.completes.push_back(c);
    } else if (kind == "retire_group") {
      if (!resolve(in, ctx, "retire.compute.group", out.retireGroup, error)) return false;
    } else if (kind == "state") {
      unsigned m = 0;
      in >> m;
      if (m > 2) return error = "state: bad module", false;
      if (!resolve(in, ctx, "state", out.state[m], error)) return false;
    } else if (kind == "debug") {
      NamedSignal d;
      in >> d.label;
      if (!resolve(in, ctx, "debug." + d.label, d.sig, error)) return false;
      out.debug.push_back(d);
    } else if (kind == "counter") {
      Counter c;
      unsigned off = 0;
      in >> c.name >> off;
      c.offset = static_cast<uint8_t>(off);
      out.counters.push_back(c);
    } else if (kind == "read") {
      unsigned shift = 0, client = 0, m = 0;
      in >> shift >> client >> m;
      if (shift > 7 || m > 1) return error = "read: bad id shift or module", false;
      out.reads.push_back(ReadClient{static_cast<uint8_t>(shift), static_cast<uint8_t>(client), static_cast<uint8_t>(m)});
    } else {
      error = "unknown probe kind " + kind;
      return false;
    }
  }
  for (int m = 0; m < 3; m++) {
    if (!out.retire[m].valid.present() || !out.retire[m].insn.present()) {
      error = "probe list has no retire probes for every module";
      return false;
    }
  }
  return true;
}

}  // namespace tsim
