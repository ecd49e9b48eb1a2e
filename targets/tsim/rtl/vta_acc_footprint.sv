// The ACC rows one GEMM or ALU instruction may touch, as one range [lo_o, hi_o] or the whole
// buffer (full_o): its destination rows, and for an ALU with a tensor operand its source rows.
// The compute module's second pipe needs it to keep the two pipes off each other's rows
// (vta_compute.sv, "two pipes").
//
// From start_i on it reads the micro-ops [uop_bgn, uop_end) through its own UOP read port, one
// per cycle, keeping the smallest and largest index, then adds the loop extent
// (iter_out-1)*factor_out + (iter_in-1)*factor_in. Indices wrap at the ACC depth in the pipe; a
// range whose top would pass the last row therefore wraps, and the footprint is the whole buffer.
// valid_o rises the cycle after the last micro-op arrived and stays until the next start.
module vta_acc_footprint
  import vta_pkg::*;
(
  input  logic                     clk_i,
  input  logic                     rst_i,
  input  logic                     start_i,
  input  logic [INSN_BITS-1:0]     insn_i,   // the instruction, stable from start_i on
  output logic                     uop_re_o,
  output logic [LOG_UOP_DEPTH-1:0] uop_raddr_o,
  // Bits outside the two index fields are not needed here.
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [31:0]              uop_rdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  output logic                     valid_o,
  output logic                     full_o,
  output logic [LOG_ACC_DEPTH-1:0] lo_o,
  output logic [LOG_ACC_DEPTH-1:0] hi_o
);
  localparam int unsigned UopW = LOG_UOP_DEPTH;
  localparam int unsigned AccW = LOG_ACC_DEPTH;
  localparam int unsigned ExtW = ITER_WIDTH + AccW + 2;  // (iter-1)*factor, twice, plus an index

  logic                  is_alu_src;
  logic [UopW-1:0]       uop_bgn;
  logic [UopW:0]         uop_end;
  logic [ITER_WIDTH-1:0] iter_out, iter_in, out_m1, in_m1;
  logic [ExtW-1:0]       dst_ext, src_ext;

  // GEMM and ALU share the loop fields' positions; only an ALU without immediate reads ACC rows
  // through its source index.
  always_comb begin
    is_alu_src = (insn_i[HDR_OPCODE_LSB +: 3] == OP_ALU) && !insn_i[ALU_USE_IMM_LSB];
    uop_bgn    = insn_i[GEMM_UOP_BGN_LSB +: UopW];
    uop_end    = insn_i[GEMM_UOP_END_LSB +: UopW + 1];
    iter_out   = insn_i[GEMM_ITER_OUT_LSB +: ITER_WIDTH];
    iter_in    = insn_i[GEMM_ITER_IN_LSB +: ITER_WIDTH];
    out_m1     = iter_out - 1'b1;  // both at least 1 (instructions with work only)
    in_m1      = iter_in - 1'b1;
    dst_ext    = ExtW'(out_m1) * ExtW'(insn_i[GEMM_DST_FACTOR_OUT_LSB +: AccW]) +
                 ExtW'(in_m1) * ExtW'(insn_i[GEMM_DST_FACTOR_IN_LSB +: AccW]);
    src_ext    = ExtW'(out_m1) * ExtW'(insn_i[ALU_SRC_FACTOR_OUT_LSB +: AccW]) +
                 ExtW'(in_m1) * ExtW'(insn_i[ALU_SRC_FACTOR_IN_LSB +: AccW]);
  end

  logic            scan_q, data_q, valid_q, full_q;
  logic [UopW-1:0] addr_q;
  logic [AccW-1:0] dmin_q, dmax_q, smin_q, smax_q, lo_q, hi_q;
  logic [AccW-1:0] d_idx, s_idx, dmin, dmax, smin, smax;
  logic [ExtW-1:0] d_top, s_top;

  assign d_idx = uop_rdata_i[UOP_DST_IDX_LSB +: AccW];
  assign s_idx = uop_rdata_i[UOP_SRC_IDX_LSB +: AccW];
  always_comb begin
    dmin  = (d_idx < dmin_q) ? d_idx : dmin_q;
    dmax  = (d_idx > dmax_q) ? d_idx : dmax_q;
    smin  = (s_idx < smin_q) ? s_idx : smin_q;
    smax  = (s_idx > smax_q) ? s_idx : smax_q;
    d_top = ExtW'(dmax) + dst_ext;
    s_top = ExtW'(smax) + src_ext;
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      scan_q  <= 1'b0;
      data_q  <= 1'b0;
      valid_q <= 1'b0;
      full_q  <= 1'b1;
      addr_q  <= '0;
      dmin_q  <= '1; dmax_q <= '0; smin_q <= '1; smax_q <= '0;
      lo_q    <= '0; hi_q   <= '0;
    end else if (start_i) begin
      // The compute module starts only instructions with at least one micro-op.
      scan_q  <= 1'b1;
      data_q  <= 1'b0;
      valid_q <= 1'b0;
      addr_q  <= uop_bgn;
      dmin_q  <= '1; dmax_q <= '0; smin_q <= '1; smax_q <= '0;
    end else begin
      if (scan_q) begin
        addr_q <= addr_q + 1'b1;
        if ((UopW + 1)'(addr_q) + 1'b1 == uop_end) scan_q <= 1'b0;
      end
      data_q <= scan_q;
      if (data_q) begin
        dmin_q <= dmin; dmax_q <= dmax;
        if (is_alu_src) begin
          smin_q <= smin; smax_q <= smax;
        end
        if (!scan_q) begin  // the last micro-op: the footprint is known from the next cycle
          valid_q <= 1'b1;
          if (is_alu_src) begin
            full_q <= (d_top >= ExtW'(ACC_DEPTH)) || (s_top >= ExtW'(ACC_DEPTH));
            lo_q   <= (smin < dmin) ? smin : dmin;
            hi_q   <= (s_top > d_top) ? AccW'(s_top) : AccW'(d_top);
          end else begin
            full_q <= (d_top >= ExtW'(ACC_DEPTH));
            lo_q   <= dmin;
            hi_q   <= AccW'(d_top);
          end
        end
      end
    end
  end

  assign uop_re_o    = scan_q;
  assign uop_raddr_o = addr_q;
  assign valid_o     = valid_q;
  assign full_o      = full_q;
  assign lo_o        = lo_q;
  assign hi_o        = hi_q;
endmodule
