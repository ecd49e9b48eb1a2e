// The VTA core: fetch, the three instruction queues, the load / compute / store modules, the four
// token queues, the scratchpads and the shared memory read channel.
//
// The scratchpad write ports below (uop_*, inp_*, wgt_*, acc_*) are the architectural probe
// points named in fixtures/probe-maps/vta-trace-rtl.json; keep their names.
module vta_core
  import vta_pkg::*;
(
  input  logic                 clk_i,
  input  logic                 rst_i,
  // VCR
  input  logic                 launch_i,
  input  logic [31:0]          insn_count_i,
  input  logic [31:0]          insn_addr_i,
  input  logic [31:0]          base_uop_i,
  input  logic [31:0]          base_inp_i,
  input  logic [31:0]          base_wgt_i,
  input  logic [31:0]          base_acc_i,
  input  logic [31:0]          base_out_i,
  // trace unit (TRACE_UNIT; otherwise unused and the counters read 0)
  input  logic [31:0]          trace_base_i,
  input  logic [31:0]          trace_slots_i,
  output logic [31:0]          trace_written_o,
  output logic [31:0]          trace_dropped_o,
  output logic                 finish_o,
  output logic [1:0]           ev_acc_wr_o,      // per compute pipe
  output logic                 ev_busy_ld_o,
  output logic                 ev_busy_cp_o,
  output logic                 ev_busy_st_o,
  output logic [1:0]           ev_gemm_iter_o,
  output logic [1:0]           ev_alu_iter_o,
  // memory (VTAMemDPI)
  output logic                 rd_req_valid_o,
  output logic [7:0]           rd_req_len_o,
  output logic [7:0]           rd_req_id_o,
  output logic [63:0]          rd_req_addr_o,
  input  logic                 rd_valid_i,
  input  logic [7:0]           rd_id_i,
  input  logic [DATA_BITS-1:0] rd_data_i,
  output logic                 rd_ready_o,
  output logic                 wr_req_valid_o,
  output logic [7:0]           wr_req_len_o,
  output logic [63:0]          wr_req_addr_o,
  output logic                 wr_valid_o,
  output logic [DATA_BITS-1:0] wr_data_o,
  output logic [BUS_BYTES-1:0] wr_strb_o
);
  localparam int unsigned NumClients = 6;   // fetch, inp, wgt, uop, acc, acc8
  localparam int unsigned SlotW = 4;
  localparam int unsigned NumSlots = 1 << SlotW;
  localparam int unsigned QueueDepth = 512; // per module, as upstream Chisel
  localparam int unsigned InpMask = (INP_ELEM_BYTES > 8) ? INP_ELEM_BYTES / 8 : 1;
  localparam int unsigned WgtMask = (WGT_ELEM_BYTES > 8) ? WGT_ELEM_BYTES / 8 : 1;
  localparam int unsigned AccMask = (ACC_ELEM_BYTES > 8) ? ACC_ELEM_BYTES / 8 : 1;
  // The compute module's second pipe (vta_compute.sv). Off with the on-board trace unit, which
  // expects one compute instruction at a time (its per-instruction digest of ACC writes).
  localparam bit DualPipe = !TRACE_UNIT;

  // Every launch starts from a clean core: queues, tokens and module state left over by a run
  // that hung or crashed must not leak into the next one. (The scratchpads keep their contents,
  // as fsim's do between runs.) Fetch itself latches the launch, so it keeps the plain reset.
  logic clr;
  assign clr = rst_i || launch_i;

  // ---- memory read channel
  logic [NumClients-1:0]       req_valid, req_grant, rsp_valid, rsp_ready;
  logic [NumClients-1:0][31:0] req_addr;
  logic [NumClients-1:0][7:0]  req_len, req_id;
  logic [SlotW-1:0]            rsp_slot;

  vta_mem_arbiter #(.NumClients(NumClients), .SlotW(SlotW)) u_arbiter (
    .clk_i, .rst_i(clr),
    .req_valid_i(req_valid), .req_grant_o(req_grant), .req_addr_i(req_addr), .req_len_i(req_len),
    .req_id_i(req_id),
    .rd_req_valid_o, .rd_req_addr_o, .rd_req_len_o, .rd_req_id_o,
    .rd_valid_i, .rd_id_i, .rd_ready_o,
    .rsp_valid_o(rsp_valid), .rsp_slot_o(rsp_slot), .rsp_ready_i(rsp_ready)
  );

  // ---- fetch and instruction queues (0 load, 1 compute, 2 store)
  logic [2:0]           q_push, q_pop, q_full, q_empty;
  logic [INSN_BITS-1:0] fetch_insn;
  logic [INSN_BITS-1:0] q_head [3];
  logic                 fetch_busy;
  logic [9:0]           q_level [3];

  vta_fetch #(.ClientId(0), .NumSlots(NumSlots)) u_fetch (
    .clk_i, .rst_i, .launch_i, .count_i(insn_count_i), .addr_i(insn_addr_i),
    .req_valid_o(req_valid[0]), .req_grant_i(req_grant[0]), .req_addr_o(req_addr[0]),
    .req_len_o(req_len[0]), .req_id_o(req_id[0]),
    .rsp_valid_i(rsp_valid[0]), .rsp_slot_i(rsp_slot), .rsp_data_i(rd_data_i),
    .rsp_ready_o(rsp_ready[0]),
    .q_full_i(q_full), .q_push_o(q_push), .insn_o(fetch_insn), .busy_o(fetch_busy)
  );

  for (genvar m = 0; m < 3; m++) begin : gen_queue
    vta_fifo #(.Depth(QueueDepth), .Width(INSN_BITS)) u_queue (
      .clk_i, .rst_i(clr),
      .push_i(q_push[m]), .data_i(fetch_insn), .pop_i(q_pop[m]), .head_o(q_head[m]),
      .empty_o(q_empty[m]), .full_o(q_full[m]), .level_o(q_level[m])
    );
  end

  // ---- token queues
  logic ld2cmp_push, ld2cmp_pop, ld2cmp_avail;
  logic cmp2ld_push, cmp2ld_pop, cmp2ld_avail;
  logic cmp2st_push, cmp2st_pop, cmp2st_avail;
  logic st2cmp_push, st2cmp_pop, st2cmp_avail;
  logic [15:0] ld2cmp_tokens, cmp2ld_tokens, cmp2st_tokens, st2cmp_tokens;

  vta_token_queue u_ld2cmp (.clk_i, .rst_i(clr), .push_i(ld2cmp_push), .pop_i(ld2cmp_pop),
                            .avail_o(ld2cmp_avail), .count_o(ld2cmp_tokens));
  vta_token_queue u_cmp2ld (.clk_i, .rst_i(clr), .push_i(cmp2ld_push), .pop_i(cmp2ld_pop),
                            .avail_o(cmp2ld_avail), .count_o(cmp2ld_tokens));
  vta_token_queue u_cmp2st (.clk_i, .rst_i(clr), .push_i(cmp2st_push), .pop_i(cmp2st_pop),
                            .avail_o(cmp2st_avail), .count_o(cmp2st_tokens));
  vta_token_queue u_st2cmp (.clk_i, .rst_i(clr), .push_i(st2cmp_push), .pop_i(st2cmp_pop),
                            .avail_o(st2cmp_avail), .count_o(st2cmp_tokens));

  // ---- scratchpad ports (probe points)
  logic                     uop_we;
  logic [LOG_UOP_DEPTH-1:0] uop_widx;
  logic [31:0]              uop_wdata;
  logic                     inp_we;
  logic [LOG_INP_DEPTH-1:0] inp_widx;
  logic [INP_ELEM_BITS-1:0] inp_wdata;
  logic [InpMask-1:0]       inp_wmask;
  logic                     wgt_we;
  logic [LOG_WGT_DEPTH-1:0] wgt_widx;
  logic [WGT_ELEM_BITS-1:0] wgt_wdata;
  logic [WgtMask-1:0]       wgt_wmask;
  logic                     acc_we;
  logic [LOG_ACC_DEPTH-1:0] acc_widx;
  logic [ACC_ELEM_BITS-1:0] acc_wdata;
  logic [AccMask-1:0]       acc_wmask;
  logic                     acc1_we;     // ACC write port 1: the compute module's pipe B
  logic [LOG_ACC_DEPTH-1:0] acc1_widx;
  logic [ACC_ELEM_BITS-1:0] acc1_wdata;

  logic [3:0]                    uop_re;
  logic [3:0][LOG_UOP_DEPTH-1:0] uop_raddr;
  logic [3:0][31:0]              uop_rdata;
  logic                     inp_re;
  logic [LOG_INP_DEPTH-1:0] inp_raddr;
  logic [INP_ELEM_BITS-1:0] inp_rdata;
  logic                     wgt_re;
  logic [LOG_WGT_DEPTH-1:0] wgt_raddr;
  logic [WGT_ELEM_BITS-1:0] wgt_rdata;
  logic [3:0]               cp_acc_re;
  logic [3:0][LOG_ACC_DEPTH-1:0] cp_acc_raddr;
  logic [3:0][ACC_ELEM_BITS-1:0] cp_acc_rdata;
  logic                     st_acc_re, st_acc_hold;
  logic [LOG_ACC_DEPTH-1:0] st_acc_raddr;
  logic [ACC_ELEM_BITS-1:0] st_acc_rdata;

  // UOP: read ports for the compute pipes A and B and their ACC footprints.
  vta_sram #(.Depth(UOP_DEPTH), .Width(32), .MaskBits(1), .NumRd(4)) u_uop_sram (
    .clk_i, .we_i(uop_we), .waddr_i(uop_widx), .wdata_i(uop_wdata), .wmask_i(1'b1),
    .re_i(uop_re), .raddr_i(uop_raddr), .rdata_o(uop_rdata)
  );
  vta_sram #(.Depth(INP_DEPTH), .Width(INP_ELEM_BITS), .MaskBits(InpMask), .NumRd(1)) u_inp_sram (
    .clk_i, .we_i(inp_we), .waddr_i(inp_widx), .wdata_i(inp_wdata), .wmask_i(inp_wmask),
    .re_i(inp_re), .raddr_i(inp_raddr), .rdata_o(inp_rdata)
  );
  vta_sram #(.Depth(WGT_DEPTH), .Width(WGT_ELEM_BITS), .MaskBits(WgtMask), .NumRd(1)) u_wgt_sram (
    .clk_i, .we_i(wgt_we), .waddr_i(wgt_widx), .wdata_i(wgt_wdata), .wmask_i(wgt_wmask),
    .re_i(wgt_re), .raddr_i(wgt_raddr), .rdata_o(wgt_rdata)
  );
  // ACC: two compute read ports (ALU dst and src rows) per pipe and one for the store module;
  // write port 0 for pipe A and the ACC loads, port 1 for pipe B.
  vta_sram #(.Depth(ACC_DEPTH), .Width(ACC_ELEM_BITS), .MaskBits(AccMask), .NumRd(5), .NumWr(2)) u_acc_sram (
    .clk_i, .we_i({acc1_we, acc_we}), .waddr_i({acc1_widx, acc_widx}), .wdata_i({acc1_wdata, acc_wdata}),
    .wmask_i({AccMask'('1), acc_wmask}),
    .re_i({st_acc_re, cp_acc_re}), .raddr_i({st_acc_raddr, cp_acc_raddr}),
    .rdata_o({st_acc_rdata, cp_acc_rdata})
  );

  // ---- modules
  logic                 ld_retire, cp_retire, st_retire;
  logic [INSN_BITS-1:0] ld_insn, cp_insn, st_insn;
  logic [1:0]           ld_state, cp_state, st_state;

  vta_load #(.InpClient(1), .WgtClient(2), .NumSlots(NumSlots)) u_load (
    .clk_i, .rst_i(clr),
    .q_empty_i(q_empty[0]), .q_head_i(q_head[0]), .q_pop_o(q_pop[0]),
    .cmp2ld_avail_i(cmp2ld_avail), .cmp2ld_pop_o(cmp2ld_pop), .ld2cmp_push_o(ld2cmp_push),
    .base_inp_i, .base_wgt_i,
    .req_valid_o(req_valid[2:1]), .req_grant_i(req_grant[2:1]), .req_addr_o(req_addr[2:1]),
    .req_len_o(req_len[2:1]), .req_id_o(req_id[2:1]),
    .rsp_valid_i(rsp_valid[2:1]), .rsp_slot_i(rsp_slot), .rsp_data_i(rd_data_i),
    .rsp_ready_o(rsp_ready[2:1]),
    .inp_we_o(inp_we), .inp_widx_o(inp_widx), .inp_wdata_o(inp_wdata), .inp_wmask_o(inp_wmask),
    .wgt_we_o(wgt_we), .wgt_widx_o(wgt_widx), .wgt_wdata_o(wgt_wdata), .wgt_wmask_o(wgt_wmask),
    .retire_o(ld_retire), .insn_o(ld_insn), .state_o(ld_state), .busy_o(ev_busy_ld_o)
  );

  logic                 gemm_iter, alu_iter;      // pipe A (probe points)
  logic [31:0]          iter_dst, iter_src, iter_wgt;
  logic                 gemm_iter_b, alu_iter_b;  // pipe B
  logic [31:0]          iter_dst_b, iter_src_b, iter_wgt_b;

  vta_compute #(.UopClient(3), .AccClient(4), .Acc8Client(5), .NumSlots(NumSlots), .DualPipe(DualPipe)) u_compute (
    .clk_i, .rst_i(clr),
    .q_empty_i(q_empty[1]), .q_head_i(q_head[1]), .q_pop_o(q_pop[1]),
    .ld2cmp_avail_i(ld2cmp_avail), .st2cmp_avail_i(st2cmp_avail),
    .ld2cmp_pop_o(ld2cmp_pop), .st2cmp_pop_o(st2cmp_pop),
    .cmp2ld_push_o(cmp2ld_push), .cmp2st_push_o(cmp2st_push),
    .base_uop_i, .base_acc_i,
    .req_valid_o(req_valid[5:3]), .req_grant_i(req_grant[5:3]), .req_addr_o(req_addr[5:3]),
    .req_len_o(req_len[5:3]), .req_id_o(req_id[5:3]),
    .rsp_valid_i(rsp_valid[5:3]), .rsp_slot_i(rsp_slot), .rsp_data_i(rd_data_i),
    .rsp_ready_o(rsp_ready[5:3]),
    .uop_we_o(uop_we), .uop_widx_o(uop_widx), .uop_wdata_o(uop_wdata),
    .uop_re_o(uop_re), .uop_raddr_o(uop_raddr), .uop_rdata_i(uop_rdata),
    .inp_re_o(inp_re), .inp_raddr_o(inp_raddr), .inp_rdata_i(inp_rdata),
    .wgt_re_o(wgt_re), .wgt_raddr_o(wgt_raddr), .wgt_rdata_i(wgt_rdata),
    .acc_we_o(acc_we), .acc_widx_o(acc_widx), .acc_wdata_o(acc_wdata), .acc_wmask_o(acc_wmask),
    .acc1_we_o(acc1_we), .acc1_widx_o(acc1_widx), .acc1_wdata_o(acc1_wdata),
    .acc_re_o(cp_acc_re), .acc_raddr_o(cp_acc_raddr), .acc_rdata_i(cp_acc_rdata),
    .st_row_i(st_acc_raddr), .st_hold_o(st_acc_hold),
    .finish_o, .retire_o(cp_retire), .insn_o(cp_insn), .state_o(cp_state), .busy_o(ev_busy_cp_o),
    .ev_acc_wr_o, .ev_gemm_iter_o, .ev_alu_iter_o,
    .gemm_iter_o(gemm_iter), .alu_iter_o(alu_iter),
    .iter_dst_o(iter_dst), .iter_src_o(iter_src), .iter_wgt_o(iter_wgt),
    .gemm_iter_b_o(gemm_iter_b), .alu_iter_b_o(alu_iter_b),
    .iter_dst_b_o(iter_dst_b), .iter_src_b_o(iter_src_b), .iter_wgt_b_o(iter_wgt_b)
  );

  logic                 st_wr_req_valid, st_wr_valid;
  logic [31:0]          st_wr_addr;
  logic [7:0]           st_wr_len;
  logic [DATA_BITS-1:0] st_wr_data;
  logic [BUS_BYTES-1:0] st_wr_strb;
  vta_store u_store (
    .clk_i, .rst_i(clr),
    .q_empty_i(q_empty[2]), .q_head_i(q_head[2]), .q_pop_o(q_pop[2]),
    .cmp2st_avail_i(cmp2st_avail), .cmp2st_pop_o(cmp2st_pop), .st2cmp_push_o(st2cmp_push),
    .base_out_i,
    .acc_re_o(st_acc_re), .acc_raddr_o(st_acc_raddr), .acc_hold_i(st_acc_hold), .acc_rdata_i(st_acc_rdata),
    .wr_req_valid_o(st_wr_req_valid), .wr_req_addr_o(st_wr_addr), .wr_req_len_o(st_wr_len),
    .wr_valid_o(st_wr_valid), .wr_data_o(st_wr_data), .wr_strb_o(st_wr_strb),
    .retire_o(st_retire), .insn_o(st_insn), .state_o(st_state), .busy_o(ev_busy_st_o)
  );

  // ---- write channel: the store module's, shared with the trace unit when there is one
  logic [31:0] wr_addr32;
  if (TRACE_UNIT) begin : gen_trace
    logic [INSN_BITS-1:0] retired [3];
    assign retired = '{ld_insn, cp_insn, st_insn};
    vta_trace_unit #(.InpMask(InpMask), .WgtMask(WgtMask), .AccMask(AccMask)) u_trace (
      .clk_i, .rst_i(clr), .ring_base_i(trace_base_i), .ring_slots_i(trace_slots_i), .out_base_i(base_out_i),
      .written_o(trace_written_o), .dropped_o(trace_dropped_o),
      .dispatch_i(q_push), .retire_i({st_retire, cp_retire, ld_retire}), .retired_insn_i(retired),
      .uop_we_i(uop_we), .uop_widx_i(uop_widx), .uop_wdata_i(uop_wdata),
      .inp_we_i(inp_we), .inp_widx_i(inp_widx), .inp_wdata_i(inp_wdata), .inp_wmask_i(inp_wmask),
      .wgt_we_i(wgt_we), .wgt_widx_i(wgt_widx), .wgt_wdata_i(wgt_wdata), .wgt_wmask_i(wgt_wmask),
      .acc_we_i(acc_we), .acc_widx_i(acc_widx), .acc_wdata_i(acc_wdata), .acc_wmask_i(acc_wmask),
      .st_wr_req_valid_i(st_wr_req_valid), .st_wr_req_addr_i(st_wr_addr), .st_wr_req_len_i(st_wr_len),
      .st_wr_valid_i(st_wr_valid), .st_wr_data_i(st_wr_data), .st_wr_strb_i(st_wr_strb),
      .wr_req_valid_o, .wr_req_addr_o(wr_addr32), .wr_req_len_o, .wr_valid_o, .wr_data_o, .wr_strb_o
    );
  end else begin : gen_no_trace
    assign wr_req_valid_o  = st_wr_req_valid;
    assign wr_addr32       = st_wr_addr;
    assign wr_req_len_o    = st_wr_len;
    assign wr_valid_o      = st_wr_valid;
    assign wr_data_o       = st_wr_data;
    assign wr_strb_o       = st_wr_strb;
    assign trace_written_o = '0;
    assign trace_dropped_o = '0;
    /* verilator lint_off UNUSEDSIGNAL */  // no trace unit: the ring registers go nowhere
    logic unused_trace;
    assign unused_trace = ^{trace_base_i, trace_slots_i};
    /* verilator lint_on UNUSEDSIGNAL */
  end
  assign wr_req_addr_o = 64'(wr_addr32);

  // Probe-only signals: read by the harness through the probe map, not by logic.
  /* verilator lint_off UNUSEDSIGNAL */
  logic probe_only;
  assign probe_only = ^{ld_retire, cp_retire, st_retire, ld_insn, cp_insn, st_insn, ld_state,
                        cp_state, st_state, gemm_iter, alu_iter, iter_dst, iter_src, iter_wgt,
                        gemm_iter_b, alu_iter_b, iter_dst_b, iter_src_b, iter_wgt_b,
                        ld2cmp_tokens, cmp2ld_tokens, cmp2st_tokens, st2cmp_tokens, fetch_busy, q_level[0], q_level[1], q_level[2]};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
