/**
 * A tiny stand-in design for the harness tests: not a VTA, but it speaks the upstream DPI shell
 * exactly like one (VCR through VTAHostDPI, several outstanding read bursts, read back-pressure,
 * strobed write bursts through VTAMemDPI) and pulses the probes of the probe-map format. It builds
 * in seconds, so the harness, build cache and process handling are tested without the real RTL.
 *
 * Behaviour, per launch: fetch `count` instructions (one 2-beat read burst each, all requested up
 * front with ids 0..), then per instruction in program order: write its 16 bytes, four times
 * repeated, into ACC row k (a 64-byte element of the default config); a STORE also writes its 16
 * bytes to DRAM at dram_base·16; then retire it on the module moduleOf() names. Finish: CTRL = 2.
 * Special counts: 777 → $fatal; an instruction with pop_prev_dep set is never executed (stall).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const SV = String.raw`
module vta_tsim_top (input logic clock, input logic reset, input logic sim_clock, output logic sim_wait);
  import "DPI-C" function void VTASimDPI(output byte unsigned sim_wait, output byte unsigned sim_exit);
  import "DPI-C" function void VTAHostDPI(output byte unsigned req_valid, output byte unsigned req_opcode,
    output byte unsigned req_addr, output int unsigned req_value, input byte unsigned req_deq,
    input byte unsigned resp_valid, input int unsigned resp_value);
  import "DPI-C" function void VTAMemDPI(input byte unsigned rd_req_valid, input byte unsigned rd_req_len,
    input byte unsigned rd_req_id, input longint unsigned rd_req_addr, input byte unsigned wr_req_valid,
    input byte unsigned wr_req_len, input longint unsigned wr_req_addr, input byte unsigned wr_valid,
    input longint unsigned wr_value[], input longint unsigned wr_strb, output byte unsigned rd_valid,
    output byte unsigned rd_id, output longint unsigned rd_value[], input byte unsigned rd_ready);

  byte unsigned sw, se;
  always_ff @(posedge sim_clock) if (!reset) VTASimDPI(sw, se);
  assign sim_wait = 1'b0;

  byte unsigned h_valid, h_op, h_addr; int unsigned h_value;
  logic h_resp_valid; logic [31:0] h_resp;
  logic [31:0] ctrl_q, cycles_q, count_q, insn_addr_q, accw_q;
  logic finish;
  always_ff @(posedge clock) if (reset) h_valid = 0;
    else VTAHostDPI(h_valid, h_op, h_addr, h_value, h_valid, {7'd0, h_resp_valid}, h_resp);
  always_ff @(posedge clock) begin
    if (reset) begin ctrl_q <= 0; h_resp_valid <= 0; end
    else begin
      h_resp_valid <= 0;
      if (h_valid[0] && h_op[0]) case (h_addr)
        8'h00: ctrl_q <= h_value; 8'h08: count_q <= h_value; 8'h0c: insn_addr_q <= h_value; default: ; endcase
      if (h_valid[0] && !h_op[0]) begin
        h_resp_valid <= 1;
        case (h_addr) 8'h00: h_resp <= ctrl_q; 8'h04: h_resp <= cycles_q; 8'h24: h_resp <= accw_q;
          8'h28: h_resp <= 32'd11; 8'h2c: h_resp <= 32'd22; 8'h30: h_resp <= 32'd33; default: h_resp <= 0; endcase
      end
      if (finish) ctrl_q <= 32'd2;
    end
  end

  logic rq_valid; logic [7:0] rq_id; logic [63:0] rq_addr;
  logic wq_valid; logic [63:0] wq_addr; logic w_valid; longint unsigned w_val [0:0]; logic [63:0] w_strb;
  byte unsigned r_valid, r_id; longint unsigned r_val [0:0];
  logic r_valid_q; logic [63:0] r_data_q; logic r_ready;
  always_ff @(posedge clock) begin
    if (reset) r_valid_q <= 0;
    else begin
      VTAMemDPI({7'd0, rq_valid}, 8'd1, rq_id, rq_addr, {7'd0, wq_valid}, 8'd1, wq_addr, {7'd0, w_valid}, w_val,
                w_strb, r_valid, r_id, r_val, {7'd0, r_ready});
      r_valid_q <= r_valid[0];
      r_data_q <= r_val[0];
    end
  end

  typedef enum logic [3:0] {IDLE, REQ, READ, EXEC, WDATA0, WDATA1, STALL, DONE, WDONE} state_e;
  state_e state_q;
  logic launch_q, tog_q, half_q;
  logic [31:0] k_q, req_q;
  logic [63:0] lo_q;
  logic [127:0] insn_q;
  logic ret_load, ret_compute, ret_store, acc_we;
  logic [10:0] acc_idx; logic [511:0] acc_data;
  // Two halves of the ACC row for split-port probe maps: the upper one inverted, so a map that
  // put either half in the wrong place would show it.
  wire [255:0] acc_lo = acc_data[255:0];
  wire [255:0] acc_hi_inv = ~acc_data[511:256];
  assign r_ready = (state_q == READ) && tog_q;
  wire [2:0] opcode = insn_q[2:0];
  wire [2:0] mem_type = insn_q[9:7];
  always_ff @(posedge clock) begin
    if (reset) begin
      state_q <= IDLE; launch_q <= 0; tog_q <= 0; rq_valid <= 0; wq_valid <= 0; w_valid <= 0;
      ret_load <= 0; ret_compute <= 0; ret_store <= 0; acc_we <= 0; finish <= 0; cycles_q <= 0; accw_q <= 0;
    end else begin
      tog_q <= ~tog_q;
      launch_q <= ctrl_q[0];
      rq_valid <= 0; wq_valid <= 0; w_valid <= 0; finish <= 0;
      ret_load <= 0; ret_compute <= 0; ret_store <= 0; acc_we <= 0;
      if (state_q != IDLE) cycles_q <= cycles_q + 1;
      case (state_q)
        IDLE: if (ctrl_q[0] && !launch_q) begin
          state_q <= REQ; k_q <= 0; req_q <= 0; half_q <= 0; cycles_q <= 0; accw_q <= 0;
          if (count_q == 777) $fatal(1, "tiny design: fatal on request");
        end
        REQ: begin
          rq_valid <= 1; rq_id <= req_q[7:0]; rq_addr <= {32'd0, insn_addr_q + req_q * 16};
          req_q <= req_q + 1;
          if (req_q + 1 == count_q) state_q <= READ;
        end
        READ: if (r_valid_q && r_ready) begin
          half_q <= ~half_q;
          if (!half_q) lo_q <= r_data_q;
          else begin insn_q <= {r_data_q, lo_q}; state_q <= EXEC; end
        end
        EXEC: if (insn_q[3]) state_q <= STALL;
          else begin
            acc_we <= 1; acc_idx <= k_q[10:0]; acc_data <= {4{insn_q}}; accw_q <= accw_q + 1;
            if (opcode == 3'd1) begin
              wq_valid <= 1; wq_addr <= {28'd0, insn_q[57:26], 4'd0}; state_q <= WDATA0;
            end else begin
              if (opcode == 3'd0 && (mem_type == 3'd1 || mem_type == 3'd2)) ret_load <= 1; else ret_compute <= 1;
              k_q <= k_q + 1;
              state_q <= (k_q + 1 == count_q) ? DONE : READ;
            end
          end
        WDATA0: begin w_valid <= 1; w_val[0] <= insn_q[63:0]; w_strb <= 64'hff; state_q <= WDATA1; end
        WDATA1: begin
          w_valid <= 1; w_val[0] <= insn_q[127:64]; w_strb <= 64'h0f; state_q <= WDONE;
        end
        WDONE: begin  // the last beat reaches VTAMemDPI at this edge: only now may the store retire
          ret_store <= 1; k_q <= k_q + 1;
          state_q <= (k_q + 1 == count_q) ? DONE : READ;
        end
        STALL: ;
        DONE: begin finish <= 1; state_q <= IDLE; end
        default: ;
      endcase
    end
  end
endmodule
`;

const PROBES = {
  format: 1,
  description: 'tiny harness test design',
  top: 'vta_tsim_top',
  retire: {
    load: { valid: 'vta_tsim_top.ret_load', insn: 'vta_tsim_top.insn_q' },
    compute: { valid: 'vta_tsim_top.ret_compute', insn: 'vta_tsim_top.insn_q' },
    store: { valid: 'vta_tsim_top.ret_store', insn: 'vta_tsim_top.insn_q' },
  },
  writes: { acc: { enable: 'vta_tsim_top.acc_we', index: 'vta_tsim_top.acc_idx', data: 'vta_tsim_top.acc_data' } },
  state: { load: { signal: 'vta_tsim_top.state_q', names: { '6': 'STALL' } } },
  debug: { requests: 'vta_tsim_top.req_q' },
  counters: [
    { name: 'busy_load', offset: 0x28 },
    { name: 'busy_compute', offset: 0x2c },
    { name: 'busy_store', offset: 0x30 },
  ],
};

/** Write the tiny design, its probe map and its RTL description into `dir`; returns the description path. */
export function writeTinyRtl(dir: string, probeOverrides: Record<string, unknown> = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'vta_tsim_top.sv'), SV);
  writeFileSync(join(dir, 'probes.json'), JSON.stringify({ ...PROBES, ...probeOverrides }, null, 2));
  const desc = join(dir, 'rtl.json');
  writeFileSync(desc, JSON.stringify({ top: 'vta_tsim_top', files: ['vta_tsim_top.sv'], probeMap: 'probes.json', verilatorFlags: ['-Wno-lint', '-Wno-style'] }));
  return desc;
}
