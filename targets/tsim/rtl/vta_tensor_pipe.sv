// GEMM and ALU execution (vta-isa.md §5.4-5.5): a three-stage pipeline that starts one micro-op
// iteration every cycle (II = 1, also for ALU with two tensor operands: ACC has two read ports).
//
//   S0  loop counters (y, x, u) and the factor offsets; reads the micro-op
//   S1  forms the ACC / INP / WGT indices; reads the operands
//   S2  computes the new ACC element and writes it
//
// stall_i (the compute module's second pipe, vta_compute.sv) holds S0 and S1 and sends a bubble
// into S2: the iteration in S1 reads its operands again once the stall ends.
//
// Sequential semantics: S2 of iteration k+1 reads ACC in the same cycle S2 of iteration k writes
// it, so the SRAM returns the old row; the row written in the previous cycle is forwarded
// instead when the indices match. Two iterations apart, the SRAM already holds the new row.
module vta_tensor_pipe
  import vta_pkg::*;
(
  input  logic                      clk_i,
  input  logic                      rst_i,
  input  logic                      start_i,
  input  logic [INSN_BITS-1:0]      insn_i,     // GEMM or ALU, stable while busy
  input  logic                      stall_i,    // only while s1_valid_o
  output logic                      busy_o,
  // the iteration in S1: its ACC rows (dst; src when s1_src_acc_o)
  output logic                      s1_valid_o,
  output logic                      s1_src_acc_o,
  output logic [LOG_ACC_DEPTH-1:0]  s1_dst_o,
  output logic [LOG_ACC_DEPTH-1:0]  s1_src_o,
  // micro-op read
  output logic                      uop_re_o,
  output logic [LOG_UOP_DEPTH-1:0]  uop_raddr_o,
  // Bits above the three index fields of a micro-op are unused for some configurations.
  /* verilator lint_off UNUSEDSIGNAL */
  input  logic [31:0]               uop_rdata_i,
  /* verilator lint_on UNUSEDSIGNAL */
  // operand reads
  output logic                      inp_re_o,
  output logic [LOG_INP_DEPTH-1:0]  inp_raddr_o,
  input  logic [INP_ELEM_BITS-1:0]  inp_rdata_i,
  output logic                      wgt_re_o,
  output logic [LOG_WGT_DEPTH-1:0]  wgt_raddr_o,
  input  logic [WGT_ELEM_BITS-1:0]  wgt_rdata_i,
  output logic [1:0]                acc_re_o,     // 0: dst row, 1: ALU src row
  output logic [1:0][LOG_ACC_DEPTH-1:0] acc_raddr_o,
  input  logic [1:0][ACC_ELEM_BITS-1:0] acc_rdata_i,
  // ACC write
  output logic                      acc_we_o,
  output logic [LOG_ACC_DEPTH-1:0]  acc_widx_o,
  output logic [ACC_ELEM_BITS-1:0]  acc_wdata_o,
  // iteration probes (also the GEMM/ALU event counters)
  output logic                      gemm_iter_o,
  output logic                      alu_iter_o,
  output logic [31:0]               iter_dst_o,
  output logic [31:0]               iter_src_o,
  output logic [31:0]               iter_wgt_o
);
  localparam int unsigned UopW = LOG_UOP_DEPTH;
  localparam int unsigned AccW = LOG_ACC_DEPTH;
  localparam int unsigned InpW = LOG_INP_DEPTH;
  localparam int unsigned WgtW = LOG_WGT_DEPTH;
  // The source index of a micro-op addresses INP (GEMM) or ACC (ALU).
  localparam int unsigned SrcW = (AccW > InpW) ? AccW : InpW;

  // ---- decoded fields (GEMM and ALU share the loop fields' positions)
  logic                  is_gemm, gemm_reset, use_imm;
  logic [2:0]            alu_op;
  logic [15:0]           imm;
  logic [UopW-1:0]       uop_bgn;
  logic [UopW:0]         uop_end;
  logic [ITER_WIDTH-1:0] iter_out, iter_in;
  logic [AccW-1:0]       dst_fo, dst_fi;
  logic [SrcW-1:0]       src_fo, src_fi;
  logic [WgtW-1:0]       wgt_fo, wgt_fi;

  always_comb begin
    is_gemm    = (insn_i[HDR_OPCODE_LSB +: 3] == OP_GEMM);
    gemm_reset = insn_i[GEMM_RESET_REG_LSB];
    uop_bgn    = insn_i[GEMM_UOP_BGN_LSB +: UopW];
    uop_end    = insn_i[GEMM_UOP_END_LSB +: UopW + 1];
    iter_out   = insn_i[GEMM_ITER_OUT_LSB +: ITER_WIDTH];
    iter_in    = insn_i[GEMM_ITER_IN_LSB +: ITER_WIDTH];
    dst_fo     = insn_i[GEMM_DST_FACTOR_OUT_LSB +: AccW];
    dst_fi     = insn_i[GEMM_DST_FACTOR_IN_LSB +: AccW];
    if (is_gemm) begin
      src_fo = SrcW'(insn_i[GEMM_SRC_FACTOR_OUT_LSB +: InpW]);
      src_fi = SrcW'(insn_i[GEMM_SRC_FACTOR_IN_LSB +: InpW]);
    end else begin
      src_fo = SrcW'(insn_i[ALU_SRC_FACTOR_OUT_LSB +: AccW]);
      src_fi = SrcW'(insn_i[ALU_SRC_FACTOR_IN_LSB +: AccW]);
    end
    wgt_fo  = insn_i[GEMM_WGT_FACTOR_OUT_LSB +: WgtW];
    wgt_fi  = insn_i[GEMM_WGT_FACTOR_IN_LSB +: WgtW];
    alu_op  = insn_i[ALU_ALU_OPCODE_LSB +: 3];
    use_imm = insn_i[ALU_USE_IMM_LSB];
    imm     = insn_i[ALU_IMM_LSB +: 16];
  end

  // ---- S0: loop nest y (outer), x, u (inner)
  logic                  s0_active_q;
  logic [UopW-1:0]       u_q;
  logic [ITER_WIDTH-1:0] x_q, y_q;
  logic [AccW-1:0]       dst_y_q, dst_x_q;   // y*fo and y*fo + x*fi
  logic [SrcW-1:0]       src_y_q, src_x_q;
  logic [WgtW-1:0]       wgt_y_q, wgt_x_q;
  logic                  last_u, last_x, last_y;

  assign last_u = (UopW + 1)'(u_q) + 1'b1 == uop_end;
  assign last_x = (x_q + 1'b1 == iter_in);
  assign last_y = (y_q + 1'b1 == iter_out);

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      s0_active_q <= 1'b0;
      u_q <= '0; x_q <= '0; y_q <= '0;
      dst_y_q <= '0; dst_x_q <= '0; src_y_q <= '0; src_x_q <= '0; wgt_y_q <= '0; wgt_x_q <= '0;
    end else if (start_i) begin
      // Zero counts or an empty micro-op range: nothing to do (fsim semantics).
      s0_active_q <= (iter_out != '0) && (iter_in != '0) && ((UopW + 1)'(uop_bgn) < uop_end);
      u_q <= uop_bgn; x_q <= '0; y_q <= '0;
      dst_y_q <= '0; dst_x_q <= '0; src_y_q <= '0; src_x_q <= '0; wgt_y_q <= '0; wgt_x_q <= '0;
    end else if (s0_active_q && !stall_i) begin
      if (!last_u) begin
        u_q <= u_q + 1'b1;
      end else begin
        u_q <= uop_bgn;
        if (!last_x) begin
          x_q     <= x_q + 1'b1;
          dst_x_q <= dst_x_q + dst_fi;
          src_x_q <= src_x_q + src_fi;
          wgt_x_q <= wgt_x_q + wgt_fi;
        end else begin
          x_q     <= '0;
          y_q     <= y_q + 1'b1;
          dst_y_q <= dst_y_q + dst_fo;
          src_y_q <= src_y_q + src_fo;
          wgt_y_q <= wgt_y_q + wgt_fo;
          dst_x_q <= dst_y_q + dst_fo;
          src_x_q <= src_y_q + src_fo;
          wgt_x_q <= wgt_y_q + wgt_fo;
          if (last_y) s0_active_q <= 1'b0;
        end
      end
    end
  end

  // While stalled the SRAM keeps the micro-op of the iteration held in S1.
  assign uop_re_o    = s0_active_q && !stall_i;
  assign uop_raddr_o = u_q;

  // ---- S1: indices
  logic            s1_valid_q;
  logic [AccW-1:0] s1_dst_off_q;
  logic [SrcW-1:0] s1_src_off_q;
  logic [WgtW-1:0] s1_wgt_off_q;
  logic [AccW-1:0] s1_dst;
  logic [SrcW-1:0] s1_src;
  logic [WgtW-1:0] s1_wgt;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      s1_valid_q <= 1'b0;
    end else if (!stall_i) begin
      s1_valid_q <= s0_active_q;
    end
    if (!stall_i) begin
      s1_dst_off_q <= dst_x_q;
      s1_src_off_q <= src_x_q;
      s1_wgt_off_q <= wgt_x_q;
    end
  end

  assign s1_dst = uop_rdata_i[UOP_DST_IDX_LSB +: AccW] + s1_dst_off_q;
  assign s1_src = uop_rdata_i[UOP_SRC_IDX_LSB +: SrcW] + s1_src_off_q;
  assign s1_wgt = uop_rdata_i[UOP_WGT_IDX_LSB +: WgtW] + s1_wgt_off_q;

  assign inp_re_o       = s1_valid_q && is_gemm && !gemm_reset;
  assign inp_raddr_o    = s1_src[InpW-1:0];
  assign wgt_re_o       = s1_valid_q && is_gemm && !gemm_reset;
  assign wgt_raddr_o    = s1_wgt;
  assign acc_re_o[0]    = s1_valid_q && !(is_gemm && gemm_reset);
  assign acc_raddr_o[0] = s1_dst;
  assign acc_re_o[1]    = s1_valid_q && !is_gemm && !use_imm;
  assign acc_raddr_o[1] = s1_src[AccW-1:0];

  assign s1_valid_o   = s1_valid_q;
  assign s1_src_acc_o = !is_gemm && !use_imm;
  assign s1_dst_o     = s1_dst;
  assign s1_src_o     = s1_src[AccW-1:0];

  // ---- S2: compute and write back
  logic                     s2_valid_q;
  logic [AccW-1:0]          s2_dst_q;
  logic [SrcW-1:0]          s2_src_q;
  logic [WgtW-1:0]          s2_wgt_q;
  logic                     last_we_q;
  logic [AccW-1:0]          last_idx_q;
  logic [ACC_ELEM_BITS-1:0] last_data_q;
  logic [ACC_ELEM_BITS-1:0] dst_row, src_row, gemm_row, alu_row;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      s2_valid_q <= 1'b0;
      last_we_q  <= 1'b0;
    end else begin
      s2_valid_q <= s1_valid_q && !stall_i;
      last_we_q  <= acc_we_o;
    end
    s2_dst_q    <= s1_dst;
    s2_src_q    <= s1_src;
    s2_wgt_q    <= s1_wgt;
    last_idx_q  <= acc_widx_o;
    last_data_q <= acc_wdata_o;
  end

  assign dst_row = (last_we_q && last_idx_q == s2_dst_q) ? last_data_q : acc_rdata_i[0];
  assign src_row = (last_we_q && last_idx_q == s2_src_q[AccW-1:0]) ? last_data_q : acc_rdata_i[1];

  vta_gemm_row u_gemm (
    .en_i(s2_valid_q && is_gemm), .reset_i(gemm_reset), .inp_i(inp_rdata_i), .wgt_i(wgt_rdata_i), .acc_i(dst_row), .acc_o(gemm_row)
  );

  vta_alu_row u_alu (
    .en_i(s2_valid_q && !is_gemm), .op_i(alu_op), .use_imm_i(use_imm), .imm_i(imm), .a_i(dst_row), .b_i(src_row), .r_o(alu_row)
  );

  assign acc_we_o    = s2_valid_q;
  assign acc_widx_o  = s2_dst_q;
  assign acc_wdata_o = is_gemm ? gemm_row : alu_row;

  assign gemm_iter_o = s2_valid_q && is_gemm;
  assign alu_iter_o  = s2_valid_q && !is_gemm;
  assign iter_dst_o  = 32'(s2_dst_q);
  // fsim records src = -1 for immediate ALU ops (no source row) and wgt = 0 for ALU.
  assign iter_src_o  = (!is_gemm && use_imm) ? 32'hFFFF_FFFF :
                       is_gemm ? 32'(s2_src_q[InpW-1:0]) : 32'(s2_src_q[AccW-1:0]);
  assign iter_wgt_o  = is_gemm ? 32'(s2_wgt_q) : 32'd0;

  assign busy_o = s0_active_q || s1_valid_q || s2_valid_q;
endmodule
