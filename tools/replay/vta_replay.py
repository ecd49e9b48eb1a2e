#!/usr/bin/env python3
"""A small reference replayer for vta-trace bundle files (docs/bundle-format.md), standard library only.

It reads a bundle as the format document describes, places every buffer in a DRAM image where the
bundle says (checking that upstream's allocator, VTAMemAlloc in address order, would put it there),
runs the program on a minimal behavioural VTA that follows upstream fsim's semantics
(vta-isa.md sections 2-5: one in-order queue per module, dependency tokens, LOAD with padding,
GEMM, ALU, STORE truncating ACC), and writes each output range to OUTDIR/<name>.bin.

    python3 tools/replay/vta_replay.py BUNDLE OUTDIR [BUNDLE OUTDIR ...]

It exists so the format document cannot drift from what vta-trace writes: a test runs it on the
project's bundles and compares its outputs byte for byte with fsim's. It is deliberately plain
and slow (pure Python), meant for small programs. Configurations with this project's semantic
extensions (ALU_OPCODES "fork", PAD_MIN_VALUE) are refused. Shift amounts that upstream leaves
undefined (|amount| >= 32) saturate as vta-trace's fsim defines them (targets/fsim/README.md).
"""
import hashlib
import json
import os
import re
import struct
import sys

PAGE = 4096
UPSTREAM_KEYS = {"TARGET", "HW_VER", "LOG_INP_WIDTH", "LOG_WGT_WIDTH", "LOG_ACC_WIDTH", "LOG_BATCH", "LOG_BLOCK",
                 "LOG_UOP_BUFF_SIZE", "LOG_INP_BUFF_SIZE", "LOG_WGT_BUFF_SIZE", "LOG_ACC_BUFF_SIZE"}
# Extensions that change nothing this replayer computes (block shapes are read, bus width and trace unit
# only concern timing and the RTL).
HARMLESS_KEYS = {"LOG_BLOCK_IN", "LOG_BLOCK_OUT", "BUS_WIDTH_BYTES", "ITER_WIDTH", "TRACE_UNIT"}


class ReplayError(Exception):
    pass


# ---- the file (docs/bundle-format.md, "Layout" and "Header") ----

def read_bundle(path):
    data = open(path, "rb").read()
    if len(data) < 24 or data[:8] != b"VTABNDL\0":
        raise ReplayError("not a vta-trace bundle")
    version, header_len, total = struct.unpack_from("<IIQ", data, 8)
    if version != 1:
        raise ReplayError(f"format version {version}: this replayer reads version 1")
    if len(data) != total or hashlib.sha256(data[:-32]).digest() != data[-32:]:
        raise ReplayError("truncated or corrupt")
    header = json.loads(data[24:24 + header_len].decode("utf-8"))
    start = (24 + header_len + 7) // 8 * 8
    section = lambda s: data[start + s["offset"]:start + s["offset"] + s["length"]]
    buffers = [(b["name"], b["role"], b["addr"], section(b)) for b in header["buffers"]]
    return header, buffers


def place_buffers(buffers):
    """The DRAM image, after checking each buffer lies where VTAMemAlloc in address order puts it."""
    expect = PAGE
    for name, _role, addr, data in sorted(buffers, key=lambda b: b[2]):
        if addr != expect:
            raise ReplayError(f'buffer "{name}" at 0x{addr:x}: upstream\'s allocator would place it at 0x{expect:x}')
        expect += -(-len(data) // PAGE) * PAGE
    dram = bytearray(expect)
    for _name, _role, addr, data in buffers:
        dram[addr:addr + len(data)] = data
    return dram


# ---- configuration (vta-isa.md section 1) ----

class Config:
    def __init__(self, c):
        unknown = set(c) - UPSTREAM_KEYS - HARMLESS_KEYS
        if unknown:
            raise ReplayError(f"configuration keys this replayer does not model: {', '.join(sorted(unknown))}")
        if (c["LOG_INP_WIDTH"], c["LOG_WGT_WIDTH"], c["LOG_ACC_WIDTH"]) != (3, 3, 5):
            raise ReplayError("only int8 x int8 -> int32 configurations")
        log_bi = c.get("LOG_BLOCK_IN", c["LOG_BLOCK"])
        log_bo = c.get("LOG_BLOCK_OUT", c["LOG_BLOCK"])
        self.batch, self.block_in, self.block_out = 1 << c["LOG_BATCH"], 1 << log_bi, 1 << log_bo
        self.l_uop = c["LOG_UOP_BUFF_SIZE"] - 5 + 3
        self.l_inp = c["LOG_INP_BUFF_SIZE"] - c["LOG_BATCH"] - log_bi
        self.l_wgt = c["LOG_WGT_BUFF_SIZE"] - log_bo - log_bi
        self.l_acc = c["LOG_ACC_BUFF_SIZE"] - c["LOG_BATCH"] - log_bo - 2
        it = c.get("ITER_WIDTH", 14)
        head = [("opcode", 3), ("pop_prev", 1), ("pop_next", 1), ("push_prev", 1), ("push_next", 1)]
        loops = head + [("reset", 1), ("uop_bgn", self.l_uop), ("uop_end", self.l_uop + 1), ("iter_out", it),
                        ("iter_in", it), ("dst_fo", self.l_acc), ("dst_fi", self.l_acc)]
        self.mem = pack(head + [("memory_type", 3), ("sram_base", 16), ("dram_base", 32), ("y_size", 16), ("x_size", 16),
                                ("x_stride", 16), ("y_pad_0", 4), ("y_pad_1", 4), ("x_pad_0", 4), ("x_pad_1", 4)])
        self.gemm = pack(loops + [("src_fo", self.l_inp), ("src_fi", self.l_inp), ("wgt_fo", self.l_wgt), ("wgt_fi", self.l_wgt)])
        self.alu = pack(loops + [("src_fo", self.l_acc), ("src_fi", self.l_acc), ("alu_opcode", 3), ("use_imm", 1), ("imm", 16)])
        self.head = pack(head)
        self.uop = pack([("dst", self.l_acc), ("src", max(self.l_acc, self.l_inp)), ("wgt", self.l_wgt)])
        # Element bytes in DRAM (vta-isa.md 1.3): INP, WGT, ACC, OUT; ACC_8BIT reads a quarter of ACC.
        self.elem = {2: self.batch * self.block_in, 1: self.block_out * self.block_in, 3: 4 * self.batch * self.block_out,
                     5: self.batch * self.block_out, 0: 4}


def pack(fields):
    """Bit positions by upstream's rule (vta-isa.md 2.1): in order from bit 0, never straddling bit 64."""
    out, bit = {}, 0
    for name, width in fields:
        if bit < 64 < bit + width:
            bit = 64
        out[name] = (bit, width)
        bit += width
    return out


def decode(word, layout):
    return {k: (word >> lsb) & ((1 << w) - 1) for k, (lsb, w) in layout.items()}


def i32(v):
    return (v + 0x80000000) % 0x100000000 - 0x80000000


def shr(a, b):
    if b >= 0:
        return a >> min(b, 31)
    return 0 if b <= -32 else i32(a << -b)


ALU = {0: min, 1: max, 2: lambda a, b: i32(a + b), 3: shr, 4: lambda a, b: i32(a * b)}


# ---- the machine (vta-isa.md sections 4 and 5) ----

class Vta:
    def __init__(self, cfg, dram):
        self.c, self.dram = cfg, dram
        # uop, wgt, inp, acc: index -> decoded micro-op or tuple of lanes; never-written entries read as zero.
        self.sram = {0: {}, 1: {}, 2: {}, 3: {}}
        self.zero = {0: {"dst": 0, "src": 0, "wgt": 0}, 1: (0,) * (cfg.block_out * cfg.block_in), 2: (0,) * (cfg.batch * cfg.block_in),
                     3: (0,) * (cfg.batch * cfg.block_out)}

    def element(self, mtype, addr):
        c, d = self.c, self.dram
        if mtype == 0:
            return decode(int.from_bytes(d[addr:addr + 4], "little"), c.uop)
        n = c.elem[mtype]
        if mtype == 3:
            return struct.unpack_from(f"<{n // 4}i", d, addr)
        return struct.unpack_from(f"<{n}b", d, addr)  # INP, WGT and ACC_8BIT lanes are signed bytes

    def load(self, f):
        if f["x_size"] == 0:
            return
        mtype = f["memory_type"]
        pad = self.zero[3 if mtype == 5 else mtype]
        mem = self.sram[3 if mtype == 5 else mtype]
        width = f["x_pad_0"] + f["x_size"] + f["x_pad_1"]
        idx = f["sram_base"]
        for y in range(f["y_pad_0"] + f["y_size"] + f["y_pad_1"]):
            for x in range(width):
                row, col = y - f["y_pad_0"], x - f["x_pad_0"]
                if 0 <= row < f["y_size"] and 0 <= col < f["x_size"]:
                    addr = (f["dram_base"] + row * f["x_stride"] + col) * self.c.elem[mtype]
                    mem[idx] = self.element(mtype, addr)
                else:
                    mem[idx] = pad
                idx += 1

    def store(self, f):
        if f["x_size"] == 0:
            return
        acc, lanes = self.sram[3], self.c.batch * self.c.block_out
        for y in range(f["y_size"]):
            for x in range(f["x_size"]):
                src = acc.get(f["sram_base"] + y * f["x_size"] + x, self.zero[3])
                addr = (f["dram_base"] + y * f["x_stride"] + x) * lanes
                self.dram[addr:addr + lanes] = bytes(v & 0xFF for v in src)

    def loop(self, f, body):
        uops = self.sram[0]
        for y in range(f["iter_out"]):
            for x in range(f["iter_in"]):
                for u in range(f["uop_bgn"], f["uop_end"]):
                    body(uops.get(u, self.zero[0]), y, x)

    def gemm(self, f):
        c, acc, inp, wgt = self.c, self.sram[3], self.sram[2], self.sram[1]
        bi, bo = c.block_in, c.block_out

        def body(u, y, x):
            a = u["dst"] + y * f["dst_fo"] + x * f["dst_fi"]
            if f["reset"]:
                acc[a] = self.zero[3]
                return
            i = inp.get(u["src"] + y * f["src_fo"] + x * f["src_fi"], self.zero[2])
            w = wgt.get(u["wgt"] + y * f["wgt_fo"] + x * f["wgt_fi"], self.zero[1])
            old = acc.get(a, self.zero[3])
            acc[a] = tuple(i32(old[b * bo + o] + sum(i[b * bi + k] * w[o * bi + k] for k in range(bi)))
                           for b in range(c.batch) for o in range(bo))
        self.loop(f, body)

    def alu(self, f):
        acc, op = self.sram[3], ALU[f["alu_opcode"]]
        imm = f["imm"] - 0x10000 if f["imm"] & 0x8000 else f["imm"]

        def body(u, y, x):
            d = u["dst"] + y * f["dst_fo"] + x * f["dst_fi"]
            s = u["src"] + y * f["src_fo"] + x * f["src_fi"]
            a = acc.get(d, self.zero[3])
            b = (imm,) * len(a) if f["use_imm"] else acc.get(s, self.zero[3])
            acc[d] = tuple(op(p, q) for p, q in zip(a, b))
        self.loop(f, body)

    def run(self, words):
        """Upstream fsim's schedule: module queues in program order, each running until a pop blocks."""
        c = self.c
        queues = {"load": [], "compute": [], "store": []}
        for w in words:
            h = decode(w, c.head)
            f = decode(w, c.mem) if h["opcode"] in (0, 1) else decode(w, c.gemm if h["opcode"] == 2 else c.alu if h["opcode"] == 4 else c.head)
            module = "store" if h["opcode"] == 1 else "load" if h["opcode"] == 0 and f["memory_type"] in (1, 2) else "compute"
            queues[module].append(f)
        # Queues a module pops from and pushes to, by flag (vta-isa.md 2.9).
        links = {"load": {"pop_next": "c2l", "push_next": "l2c"}, "store": {"pop_prev": "c2s", "push_prev": "s2c"},
                 "compute": {"pop_prev": "l2c", "pop_next": "s2c", "push_prev": "c2l", "push_next": "c2s"}}
        tokens = {"l2c": 0, "c2l": 0, "c2s": 0, "s2c": 0}
        head = {m: 0 for m in queues}
        while any(head[m] < len(queues[m]) for m in queues):
            moved = False
            for m in ("load", "compute", "store"):
                while head[m] < len(queues[m]):
                    f = queues[m][head[m]]
                    pops = [q for flag, q in links[m].items() if flag.startswith("pop") and f[flag]]
                    if any(tokens[q] == 0 for q in pops):
                        break
                    for q in pops:
                        tokens[q] -= 1
                    self.execute(f)
                    for flag, q in links[m].items():
                        if flag.startswith("push") and f[flag]:
                            tokens[q] += 1
                    head[m] += 1
                    moved = True
            if not moved:
                raise ReplayError("deadlock: no module can proceed")

    def execute(self, f):
        op = f["opcode"]
        if op == 0:
            self.load(f)
        elif op == 1:
            self.store(f)
        elif op == 2:
            self.gemm(f)
        elif op == 4:
            if f["alu_opcode"] not in ALU:
                raise ReplayError(f"ALU opcode {f['alu_opcode']} is not defined upstream")
            self.alu(f)
        elif op != 3:
            raise ReplayError(f"opcode {op} is not defined")


def replay(path, outdir):
    header, buffers = read_bundle(path)
    cfg = Config(header["config"])
    dram = place_buffers(buffers)
    start, count = header["insnAddr"], header["insnCount"]
    words = [int.from_bytes(dram[start + 16 * pc:start + 16 * pc + 16], "little") for pc in range(count)]
    Vta(cfg, dram).run(words)
    os.makedirs(outdir, exist_ok=True)
    for o in header["outputs"]:
        name = re.sub(r"[^\w.-]", "_", o["name"])
        with open(os.path.join(outdir, f"{name}.bin"), "wb") as f:
            f.write(dram[o["addr"]:o["addr"] + o["size"]])


if __name__ == "__main__":
    args = sys.argv[1:]
    if not args or len(args) % 2:
        sys.exit("usage: vta_replay.py BUNDLE OUTDIR [BUNDLE OUTDIR ...]")
    for bundle, outdir in zip(args[::2], args[1::2]):
        try:
            replay(bundle, outdir)
        except (ReplayError, OSError, ValueError, KeyError) as e:
            sys.exit(f"vta_replay: {bundle}: {e}")
