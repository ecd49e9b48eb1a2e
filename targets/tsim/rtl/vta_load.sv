// The load module (vta-isa.md §4.1): executes LOAD INP and LOAD WGT in program order. Pops
// CMP->LD before an instruction with pop_next_dep, pushes LD->CMP after one with push_next_dep
// (§2.9); x_size = 0 is a NOP that only moves tokens.
module vta_load
  import vta_pkg::*;
#(
  parameter int unsigned InpClient = 1,
  parameter int unsigned WgtClient = 2,
  parameter int unsigned NumSlots  = 16,
  localparam int unsigned SlotW = $clog2(NumSlots),
  localparam int unsigned InpMask = (INP_ELEM_BYTES > 8) ? INP_ELEM_BYTES / 8 : 1,
  localparam int unsigned WgtMask = (WGT_ELEM_BYTES > 8) ? WGT_ELEM_BYTES / 8 : 1
) (
  input  logic                     clk_i,
  input  logic                     rst_i,
  // instruction queue
  input  logic                     q_empty_i,
  input  logic [INSN_BITS-1:0]     q_head_i,
  output logic                     q_pop_o,
  // tokens
  input  logic                     cmp2ld_avail_i,
  output logic                     cmp2ld_pop_o,
  output logic                     ld2cmp_push_o,
  input  logic [31:0]              base_inp_i,
  input  logic [31:0]              base_wgt_i,
  // memory, one client per buffer
  output logic [1:0]               req_valid_o,
  input  logic [1:0]               req_grant_i,
  output logic [1:0][31:0]         req_addr_o,
  output logic [1:0][7:0]          req_len_o,
  output logic [1:0][7:0]          req_id_o,
  input  logic [1:0]               rsp_valid_i,
  input  logic [SlotW-1:0]         rsp_slot_i,
  input  logic [DATA_BITS-1:0]     rsp_data_i,
  output logic [1:0]               rsp_ready_o,
  // scratchpad write ports
  output logic                     inp_we_o,
  output logic [LOG_INP_DEPTH-1:0] inp_widx_o,
  output logic [INP_ELEM_BITS-1:0] inp_wdata_o,
  output logic [InpMask-1:0]       inp_wmask_o,
  output logic                     wgt_we_o,
  output logic [LOG_WGT_DEPTH-1:0] wgt_widx_o,
  output logic [WGT_ELEM_BITS-1:0] wgt_wdata_o,
  output logic [WgtMask-1:0]       wgt_wmask_o,
  // probes
  output logic                     retire_o,
  output logic [INSN_BITS-1:0]     insn_o,
  output logic [1:0]               state_o,
  output logic                     busy_o
);
  // Probe points (fixtures/probe-maps/vta-trace-rtl.json): state_q, retire_q, retired_q; the
  // sequencer holds them, these copies keep their path u_load.*.
  logic [1:0]           state_q;
  logic [INSN_BITS-1:0] insn_q;     // the instruction waiting to start or executing
  logic                 retire_q;
  logic [INSN_BITS-1:0] retired_q;  // the instruction retire_q announces (insn_q may be the next)
  logic                 take_tokens, start, start_inp, start_wgt, inp_busy, wgt_busy;
  logic [2:0]           mem_type;
  logic                 is_nop, tokens_ok;

  assign mem_type  = insn_q[MEM_MEMORY_TYPE_LSB +: 3];
  assign is_nop    = (insn_q[MEM_X_SIZE_LSB +: 16] == 16'd0) ||
                     !(mem_type == MEM_ID_INP || mem_type == MEM_ID_WGT);
  assign tokens_ok = !insn_q[HDR_POP_NEXT_DEP_LSB] || cmp2ld_avail_i;

  // Only compute's completion probe needs the retire decision a cycle early.
  /* verilator lint_off PINCONNECTEMPTY */
  vta_insn_seq u_seq (
    .clk_i, .rst_i, .q_empty_i, .q_head_i, .q_pop_o,
    .tokens_ok_i(tokens_ok), .is_nop_i(is_nop), .exec_busy_i(inp_busy || wgt_busy),
    .take_tokens_o(take_tokens), .start_o(start), .insn_o(insn_q),
    .retiring_o(), .retire_o(retire_q), .retired_o(retired_q), .state_o(state_q), .busy_o
  );
  /* verilator lint_on PINCONNECTEMPTY */

  assign cmp2ld_pop_o  = take_tokens && insn_q[HDR_POP_NEXT_DEP_LSB];
  assign start_inp     = start && (mem_type == MEM_ID_INP);
  assign start_wgt     = start && (mem_type == MEM_ID_WGT);
  assign ld2cmp_push_o = retire_q && retired_q[HDR_PUSH_NEXT_DEP_LSB];

  vta_tensor_load #(
    .SrcBytes(INP_ELEM_BYTES), .DstBits(INP_ELEM_BITS), .LaneBits(INP_WIDTH), .Widen(1'b0),
    .BusBytes(BUS_BYTES), .IdxW(LOG_INP_DEPTH), .ClientId(InpClient), .NumSlots(NumSlots)
  ) u_inp (
    .clk_i, .rst_i,
    .start_i(start_inp),
    .sram_base_i(insn_q[MEM_SRAM_BASE_LSB +: 16]),
    .dram_base_i(insn_q[MEM_DRAM_BASE_LSB +: 32]),
    .y_size_i(insn_q[MEM_Y_SIZE_LSB +: 16]),
    .x_size_i(insn_q[MEM_X_SIZE_LSB +: 16]),
    .x_stride_i(insn_q[MEM_X_STRIDE_LSB +: 16]),
    .y_pad_0_i(insn_q[MEM_Y_PAD_0_LSB +: 4]),
    .y_pad_1_i(insn_q[MEM_Y_PAD_1_LSB +: 4]),
    .x_pad_0_i(insn_q[MEM_X_PAD_0_LSB +: 4]),
    .x_pad_1_i(insn_q[MEM_X_PAD_1_LSB +: 4]),
    .pad_min_i(PAD_MIN && insn_q[MEM_IS_PAD_MIN_VALUE_LSB]),
    .base_addr_i(base_inp_i),
    .busy_o(inp_busy),
    .req_valid_o(req_valid_o[0]), .req_grant_i(req_grant_i[0]), .req_addr_o(req_addr_o[0]),
    .req_len_o(req_len_o[0]), .req_id_o(req_id_o[0]),
    .rsp_valid_i(rsp_valid_i[0]), .rsp_slot_i, .rsp_data_i, .rsp_ready_o(rsp_ready_o[0]),
    .we_o(inp_we_o), .widx_o(inp_widx_o), .wdata_o(inp_wdata_o), .wmask_o(inp_wmask_o)
  );

  vta_tensor_load #(
    .SrcBytes(WGT_ELEM_BYTES), .DstBits(WGT_ELEM_BITS), .LaneBits(WGT_WIDTH), .Widen(1'b0),
    .BusBytes(BUS_BYTES), .IdxW(LOG_WGT_DEPTH), .ClientId(WgtClient), .NumSlots(NumSlots)
  ) u_wgt (
    .clk_i, .rst_i,
    .start_i(start_wgt),
    .sram_base_i(insn_q[MEM_SRAM_BASE_LSB +: 16]),
    .dram_base_i(insn_q[MEM_DRAM_BASE_LSB +: 32]),
    .y_size_i(insn_q[MEM_Y_SIZE_LSB +: 16]),
    .x_size_i(insn_q[MEM_X_SIZE_LSB +: 16]),
    .x_stride_i(insn_q[MEM_X_STRIDE_LSB +: 16]),
    .y_pad_0_i(insn_q[MEM_Y_PAD_0_LSB +: 4]),
    .y_pad_1_i(insn_q[MEM_Y_PAD_1_LSB +: 4]),
    .x_pad_0_i(insn_q[MEM_X_PAD_0_LSB +: 4]),
    .x_pad_1_i(insn_q[MEM_X_PAD_1_LSB +: 4]),
    .pad_min_i(PAD_MIN && insn_q[MEM_IS_PAD_MIN_VALUE_LSB]),
    .base_addr_i(base_wgt_i),
    .busy_o(wgt_busy),
    .req_valid_o(req_valid_o[1]), .req_grant_i(req_grant_i[1]), .req_addr_o(req_addr_o[1]),
    .req_len_o(req_len_o[1]), .req_id_o(req_id_o[1]),
    .rsp_valid_i(rsp_valid_i[1]), .rsp_slot_i, .rsp_data_i, .rsp_ready_o(rsp_ready_o[1]),
    .we_o(wgt_we_o), .widx_o(wgt_widx_o), .wdata_o(wgt_wdata_o), .wmask_o(wgt_wmask_o)
  );

  assign retire_o = retire_q;
  assign insn_o   = retired_q;
  assign state_o  = state_q;
endmodule
