// The compute module (vta-isa.md §4.1): LOAD UOP / ACC / ACC_8BIT, GEMM, ALU and FINISH in
// program order. Token flags (§2.9): pop_prev_dep takes from LD->CMP, pop_next_dep from ST->CMP,
// push_prev_dep puts on CMP->LD, push_next_dep on CMP->ST, pushes after completion. A LOAD of
// another memory type, x_size = 0 or an undefined opcode (5..7) only moves tokens.
module vta_compute
  import vta_pkg::*;
#(
  parameter int unsigned UopClient  = 3,
  parameter int unsigned AccClient  = 4,
  parameter int unsigned Acc8Client = 5,
  parameter int unsigned NumSlots   = 16,
  localparam int unsigned SlotW = $clog2(NumSlots),
  localparam int unsigned AccMask = (ACC_ELEM_BYTES > 8) ? ACC_ELEM_BYTES / 8 : 1
) (
  input  logic                         clk_i,
  input  logic                         rst_i,
  input  logic                         q_empty_i,
  input  logic [INSN_BITS-1:0]         q_head_i,
  output logic                         q_pop_o,
  input  logic                         ld2cmp_avail_i,
  input  logic                         st2cmp_avail_i,
  output logic                         ld2cmp_pop_o,
  output logic                         st2cmp_pop_o,
  output logic                         cmp2ld_push_o,
  output logic                         cmp2st_push_o,
  input  logic [31:0]                  base_uop_i,
  input  logic [31:0]                  base_acc_i,
  // memory: clients uop, acc, acc8
  output logic [2:0]                   req_valid_o,
  input  logic [2:0]                   req_grant_i,
  output logic [2:0][31:0]             req_addr_o,
  output logic [2:0][7:0]              req_len_o,
  output logic [2:0][7:0]              req_id_o,
  input  logic [2:0]                   rsp_valid_i,
  input  logic [SlotW-1:0]             rsp_slot_i,
  input  logic [DATA_BITS-1:0]         rsp_data_i,
  output logic [2:0]                   rsp_ready_o,
  // UOP scratchpad
  output logic                         uop_we_o,
  output logic [LOG_UOP_DEPTH-1:0]     uop_widx_o,
  output logic [31:0]                  uop_wdata_o,
  output logic                         uop_re_o,
  output logic [LOG_UOP_DEPTH-1:0]     uop_raddr_o,
  input  logic [31:0]                  uop_rdata_i,
  // INP / WGT reads
  output logic                         inp_re_o,
  output logic [LOG_INP_DEPTH-1:0]     inp_raddr_o,
  input  logic [INP_ELEM_BITS-1:0]     inp_rdata_i,
  output logic                         wgt_re_o,
  output logic [LOG_WGT_DEPTH-1:0]     wgt_raddr_o,
  input  logic [WGT_ELEM_BITS-1:0]     wgt_rdata_i,
  // ACC scratchpad
  output logic                         acc_we_o,
  output logic [LOG_ACC_DEPTH-1:0]     acc_widx_o,
  output logic [ACC_ELEM_BITS-1:0]     acc_wdata_o,
  output logic [AccMask-1:0]           acc_wmask_o,
  output logic [1:0]                   acc_re_o,
  output logic [1:0][LOG_ACC_DEPTH-1:0] acc_raddr_o,
  input  logic [1:0][ACC_ELEM_BITS-1:0] acc_rdata_i,
  // status
  output logic                         finish_o,
  output logic                         retire_o,
  output logic [INSN_BITS-1:0]         insn_o,
  output logic [1:0]                   state_o,
  output logic                         busy_o,
  output logic                         ev_acc_wr_o,
  output logic                         ev_gemm_iter_o,
  output logic                         ev_alu_iter_o,
  output logic                         gemm_iter_o,
  output logic                         alu_iter_o,
  output logic [31:0]                  iter_dst_o,
  output logic [31:0]                  iter_src_o,
  output logic [31:0]                  iter_wgt_o
);
  typedef enum logic [1:0] {StIdle = 2'd0, StToken = 2'd1, StExec = 2'd2} state_e;

  state_e               state_q, state_d;
  logic [INSN_BITS-1:0] insn_q;
  logic                 retire_q, retire_d;
  logic [INSN_BITS-1:0] retired_q;  // the instruction retire_q announces (insn_q may be the next)
  logic [2:0]           opcode, mem_type;
  logic                 pop_prev, pop_next, tokens_ok;
  logic                 start_uop, start_acc, start_acc8, start_pipe;
  logic                 uop_busy, acc_busy, acc8_busy, pipe_busy;
  logic                 is_load, is_nop;

  assign opcode    = insn_q[HDR_OPCODE_LSB +: 3];
  assign mem_type  = insn_q[MEM_MEMORY_TYPE_LSB +: 3];
  assign pop_prev  = insn_q[HDR_POP_PREV_DEP_LSB];
  assign pop_next  = insn_q[HDR_POP_NEXT_DEP_LSB];
  assign tokens_ok = (!pop_prev || ld2cmp_avail_i) && (!pop_next || st2cmp_avail_i);
  assign is_load   = (opcode == OP_LOAD);
  assign is_nop    = is_load ? ((insn_q[MEM_X_SIZE_LSB +: 16] == 16'd0) ||
                                !(mem_type == MEM_ID_UOP || mem_type == MEM_ID_ACC ||
                                  mem_type == MEM_ID_ACC8))
                             : !(opcode == OP_GEMM || opcode == OP_ALU);

  always_comb begin
    state_d      = state_q;
    retire_d     = 1'b0;
    q_pop_o      = 1'b0;
    ld2cmp_pop_o = 1'b0;
    st2cmp_pop_o = 1'b0;
    start_uop    = 1'b0;
    start_acc    = 1'b0;
    start_acc8   = 1'b0;
    start_pipe   = 1'b0;
    unique case (state_q)
      StIdle: begin
        if (!q_empty_i) begin
          q_pop_o = 1'b1;
          state_d = StToken;
        end
      end
      StToken: begin
        if (tokens_ok) begin
          ld2cmp_pop_o = pop_prev;
          st2cmp_pop_o = pop_next;
          if (is_nop) begin
            retire_d = 1'b1;  // also FINISH
            // Hand over to the next instruction in the same cycle.
            q_pop_o = !q_empty_i;
            state_d = q_empty_i ? StIdle : StToken;
          end else begin
            start_uop  = is_load && (mem_type == MEM_ID_UOP);
            start_acc  = is_load && (mem_type == MEM_ID_ACC);
            start_acc8 = is_load && (mem_type == MEM_ID_ACC8);
            start_pipe = !is_load;
            state_d    = StExec;
          end
        end
      end
      StExec: begin
        if (!uop_busy && !acc_busy && !acc8_busy && !pipe_busy) begin
          retire_d = 1'b1;
          // Hand over to the next instruction in the same cycle.
          q_pop_o = !q_empty_i;
          state_d = q_empty_i ? StIdle : StToken;
        end
      end
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      state_q  <= StIdle;
      retire_q  <= 1'b0;
      insn_q    <= '0;
      retired_q <= '0;
    end else begin
      state_q  <= state_d;
      retire_q <= retire_d;
      if (retire_d) retired_q <= insn_q;
      if (q_pop_o) insn_q <= q_head_i;
    end
  end

  assign cmp2ld_push_o = retire_q && retired_q[HDR_PUSH_PREV_DEP_LSB];
  assign cmp2st_push_o = retire_q && retired_q[HDR_PUSH_NEXT_DEP_LSB];
  assign finish_o      = retire_q && (retired_q[HDR_OPCODE_LSB +: 3] == OP_FINISH);

  // ---- loads into UOP and ACC
  logic [15:0] f_sram_base, f_y_size, f_x_size, f_x_stride;
  logic [31:0] f_dram_base;
  logic [3:0]  f_y_pad_0, f_y_pad_1, f_x_pad_0, f_x_pad_1;
  logic        f_pad_min;
  assign f_sram_base = insn_q[MEM_SRAM_BASE_LSB +: 16];
  assign f_dram_base = insn_q[MEM_DRAM_BASE_LSB +: 32];
  assign f_y_size    = insn_q[MEM_Y_SIZE_LSB +: 16];
  assign f_x_size    = insn_q[MEM_X_SIZE_LSB +: 16];
  assign f_x_stride  = insn_q[MEM_X_STRIDE_LSB +: 16];
  assign f_y_pad_0   = insn_q[MEM_Y_PAD_0_LSB +: 4];
  assign f_y_pad_1   = insn_q[MEM_Y_PAD_1_LSB +: 4];
  assign f_x_pad_0   = insn_q[MEM_X_PAD_0_LSB +: 4];
  assign f_x_pad_1   = insn_q[MEM_X_PAD_1_LSB +: 4];
  assign f_pad_min   = PAD_MIN && insn_q[MEM_IS_PAD_MIN_VALUE_LSB];

  logic                     uop_load_we;
  logic                     uop_load_mask;
  logic                     acc_ld_we, acc8_ld_we;
  logic [LOG_ACC_DEPTH-1:0] acc_ld_widx, acc8_ld_widx;
  logic [ACC_ELEM_BITS-1:0] acc_ld_wdata, acc8_ld_wdata;
  logic [AccMask-1:0]       acc_ld_wmask, acc8_ld_wmask;

  vta_tensor_load #(
    .SrcBytes(UOP_ELEM_BYTES), .DstBits(32), .LaneBits(32), .Widen(1'b0),
    .BusBytes(BUS_BYTES), .IdxW(LOG_UOP_DEPTH), .ClientId(UopClient), .NumSlots(NumSlots)
  ) u_uop_load (
    .clk_i, .rst_i, .start_i(start_uop),
    .sram_base_i(f_sram_base), .dram_base_i(f_dram_base), .y_size_i(f_y_size), .x_size_i(f_x_size),
    .x_stride_i(f_x_stride), .y_pad_0_i(f_y_pad_0), .y_pad_1_i(f_y_pad_1), .x_pad_0_i(f_x_pad_0),
    .x_pad_1_i(f_x_pad_1), .pad_min_i(1'b0),  // micro-op padding is always 0 (fsim)
    .base_addr_i(base_uop_i), .busy_o(uop_busy),
    .req_valid_o(req_valid_o[0]), .req_grant_i(req_grant_i[0]), .req_addr_o(req_addr_o[0]),
    .req_len_o(req_len_o[0]), .req_id_o(req_id_o[0]),
    .rsp_valid_i(rsp_valid_i[0]), .rsp_slot_i, .rsp_data_i, .rsp_ready_o(rsp_ready_o[0]),
    .we_o(uop_load_we), .widx_o(uop_widx_o), .wdata_o(uop_wdata_o), .wmask_o(uop_load_mask)
  );
  assign uop_we_o = uop_load_we && uop_load_mask;

  vta_tensor_load #(
    .SrcBytes(ACC_ELEM_BYTES), .DstBits(ACC_ELEM_BITS), .LaneBits(ACC_WIDTH), .Widen(1'b0),
    .BusBytes(BUS_BYTES), .IdxW(LOG_ACC_DEPTH), .ClientId(AccClient), .NumSlots(NumSlots)
  ) u_acc_load (
    .clk_i, .rst_i, .start_i(start_acc),
    .sram_base_i(f_sram_base), .dram_base_i(f_dram_base), .y_size_i(f_y_size), .x_size_i(f_x_size),
    .x_stride_i(f_x_stride), .y_pad_0_i(f_y_pad_0), .y_pad_1_i(f_y_pad_1), .x_pad_0_i(f_x_pad_0),
    .x_pad_1_i(f_x_pad_1), .pad_min_i(f_pad_min),
    .base_addr_i(base_acc_i), .busy_o(acc_busy),
    .req_valid_o(req_valid_o[1]), .req_grant_i(req_grant_i[1]), .req_addr_o(req_addr_o[1]),
    .req_len_o(req_len_o[1]), .req_id_o(req_id_o[1]),
    .rsp_valid_i(rsp_valid_i[1]), .rsp_slot_i, .rsp_data_i, .rsp_ready_o(rsp_ready_o[1]),
    .we_o(acc_ld_we), .widx_o(acc_ld_widx), .wdata_o(acc_ld_wdata), .wmask_o(acc_ld_wmask)
  );

  vta_tensor_load #(
    .SrcBytes(ACC8_ELEM_BYTES), .DstBits(ACC_ELEM_BITS), .LaneBits(ACC_WIDTH), .Widen(1'b1),
    .BusBytes(BUS_BYTES), .IdxW(LOG_ACC_DEPTH), .ClientId(Acc8Client), .NumSlots(NumSlots)
  ) u_acc8_load (
    .clk_i, .rst_i, .start_i(start_acc8),
    .sram_base_i(f_sram_base), .dram_base_i(f_dram_base), .y_size_i(f_y_size), .x_size_i(f_x_size),
    .x_stride_i(f_x_stride), .y_pad_0_i(f_y_pad_0), .y_pad_1_i(f_y_pad_1), .x_pad_0_i(f_x_pad_0),
    .x_pad_1_i(f_x_pad_1), .pad_min_i(f_pad_min),
    .base_addr_i(base_acc_i), .busy_o(acc8_busy),
    .req_valid_o(req_valid_o[2]), .req_grant_i(req_grant_i[2]), .req_addr_o(req_addr_o[2]),
    .req_len_o(req_len_o[2]), .req_id_o(req_id_o[2]),
    .rsp_valid_i(rsp_valid_i[2]), .rsp_slot_i, .rsp_data_i, .rsp_ready_o(rsp_ready_o[2]),
    .we_o(acc8_ld_we), .widx_o(acc8_ld_widx), .wdata_o(acc8_ld_wdata), .wmask_o(acc8_ld_wmask)
  );

  // ---- GEMM / ALU
  logic                     pipe_we;
  logic [LOG_ACC_DEPTH-1:0] pipe_widx;
  logic [ACC_ELEM_BITS-1:0] pipe_wdata;

  vta_tensor_pipe u_pipe (
    .clk_i, .rst_i, .start_i(start_pipe), .insn_i(insn_q), .busy_o(pipe_busy),
    .uop_re_o, .uop_raddr_o, .uop_rdata_i,
    .inp_re_o, .inp_raddr_o, .inp_rdata_i, .wgt_re_o, .wgt_raddr_o, .wgt_rdata_i,
    .acc_re_o, .acc_raddr_o, .acc_rdata_i,
    .acc_we_o(pipe_we), .acc_widx_o(pipe_widx), .acc_wdata_o(pipe_wdata),
    .gemm_iter_o, .alu_iter_o, .iter_dst_o, .iter_src_o, .iter_wgt_o
  );

  // One ACC write port: at most one of the three writers is active (one instruction at a time).
  always_comb begin
    acc_we_o    = 1'b0;
    acc_widx_o  = pipe_widx;
    acc_wdata_o = pipe_wdata;
    acc_wmask_o = '1;
    if (pipe_we) begin
      acc_we_o = 1'b1;
    end else if (acc_ld_we) begin
      acc_we_o    = 1'b1;
      acc_widx_o  = acc_ld_widx;
      acc_wdata_o = acc_ld_wdata;
      acc_wmask_o = acc_ld_wmask;
    end else if (acc8_ld_we) begin
      acc_we_o    = 1'b1;
      acc_widx_o  = acc8_ld_widx;
      acc_wdata_o = acc8_ld_wdata;
      acc_wmask_o = acc8_ld_wmask;
    end
  end

  assign ev_acc_wr_o    = pipe_we;
  assign ev_gemm_iter_o = gemm_iter_o && !insn_q[GEMM_RESET_REG_LSB];
  assign ev_alu_iter_o  = alu_iter_o;

  assign retire_o = retire_q;
  assign insn_o   = retired_q;
  assign state_o  = state_q;
  assign busy_o   = (state_q == StExec);
endmodule
