// The on-board trace unit (configuration key TRACE_UNIT): per retired instruction one record
// {pc, module, board digest, record index} written into a ring buffer in DRAM, so that a board run
// can take part in a digest divergence search (docs/trace-schema.md §Board digest).
//
// - pc: fetch dispatches in program order, so the n-th dispatch is pc n; each module's pcs wait
//   in a small queue until the module retires them (modules retire their instructions in order).
// - digest: per module, the sum of term(stream, word address, word) over every 32-bit word the
//   module's current instruction writes (scratchpad write ports, DRAM write beats of STORE), plus
//   the retired instruction's four words. Terms are formed in the cycle of the write; a write in
//   the retire cycle belongs to the retiring instruction, as in the harness's event tracer.
// - with 0 ring slots (the VCR default) the unit writes nothing.
// - records wait per module (RecQueue deep; a full queue drops the record and counts it) and go
//   out in the cycles the store module leaves the write channel free, as one-beat bursts whose
//   request and beat share a cycle, so they never interleave with a store burst (the shell's
//   write channel has no ready and credits beats to the oldest open burst).
module vta_trace_unit
  import vta_pkg::*;
#(
  parameter int unsigned InpMask = 1,
  parameter int unsigned WgtMask = 1,
  parameter int unsigned AccMask = 1
) (
  input  logic                     clk_i,
  input  logic                     rst_i,       // reset or launch: a fresh ring position
  input  logic [31:0]              ring_base_i, // 16-byte aligned
  input  logic [31:0]              ring_slots_i,
  input  logic [31:0]              out_base_i,  // VCR out base, OR-ed into STORE addresses
  output logic [31:0]              written_o,
  output logic [31:0]              dropped_o,
  // fetch dispatch and retires (0 load, 1 compute, 2 store)
  input  logic [2:0]               dispatch_i,
  input  logic [2:0]               retire_i,
  input  logic [INSN_BITS-1:0]     retired_insn_i [3],
  // scratchpad write ports
  input  logic                     uop_we_i,
  input  logic [LOG_UOP_DEPTH-1:0] uop_widx_i,
  input  logic [31:0]              uop_wdata_i,
  input  logic                     inp_we_i,
  input  logic [LOG_INP_DEPTH-1:0] inp_widx_i,
  input  logic [INP_ELEM_BITS-1:0] inp_wdata_i,
  input  logic [InpMask-1:0]       inp_wmask_i,
  input  logic                     wgt_we_i,
  input  logic [LOG_WGT_DEPTH-1:0] wgt_widx_i,
  input  logic [WGT_ELEM_BITS-1:0] wgt_wdata_i,
  input  logic [WgtMask-1:0]       wgt_wmask_i,
  input  logic                     acc_we_i,
  input  logic [LOG_ACC_DEPTH-1:0] acc_widx_i,
  input  logic [ACC_ELEM_BITS-1:0] acc_wdata_i,
  input  logic [AccMask-1:0]       acc_wmask_i,
  // the store module's write channel in, the shared one out
  input  logic                     st_wr_req_valid_i,
  input  logic [31:0]              st_wr_req_addr_i,
  input  logic [7:0]               st_wr_req_len_i,
  input  logic                     st_wr_valid_i,
  input  logic [DATA_BITS-1:0]     st_wr_data_i,
  input  logic [BUS_BYTES-1:0]     st_wr_strb_i,
  output logic                     wr_req_valid_o,
  output logic [31:0]              wr_req_addr_o,
  output logic [7:0]               wr_req_len_o,
  output logic                     wr_valid_o,
  output logic [DATA_BITS-1:0]     wr_data_o,
  output logic [BUS_BYTES-1:0]     wr_strb_o
);
  localparam int unsigned PcQueue   = 1024;  // > an instruction queue (512) + the one executing
  localparam int unsigned RecQueue  = 32;
  localparam int unsigned Pieces    = (BUS_BYTES >= 16) ? 1 : 16 / BUS_BYTES;
  localparam int unsigned PieceB    = (BUS_BYTES >= 16) ? 16 : BUS_BYTES;
  localparam int unsigned OffW      = $clog2(BUS_BYTES);
  // Stream ids (tracer/events.ts), the salt of the word addresses.
  localparam logic [31:0] SidUop = 32'd3, SidInp = 32'd4, SidWgt = 32'd5, SidAcc = 32'd6, SidDram = 32'd8;

  function automatic logic [31:0] fmix32(logic [31:0] h);
    logic [31:0] x;
    x = h ^ (h >> 16);
    x = x * 32'h85EBCA6B;
    x = x ^ (x >> 13);
    x = x * 32'hC2B2AE35;
    return x ^ (x >> 16);
  endfunction

  function automatic logic [31:0] term(logic [31:0] sid, logic [31:0] waddr, logic [31:0] w);
    return fmix32(w ^ fmix32(waddr + sid * 32'h9E3779B9));
  endfunction

  // ---- terms of this cycle's writes, per module
  logic [31:0] t_load, t_compute, t_store;
  logic [31:0] st_addr_q, st_beat_addr;
  logic [8:0]  st_left_q;

  assign st_beat_addr = st_wr_req_valid_i ? st_wr_req_addr_i : st_addr_q;
  // Digests use the program's address (fsim's), not the device address a board's driver made by
  // OR-ing a base pointer into it.
  logic [31:0] st_logical;
  assign st_logical = st_beat_addr & ~out_base_i;

  always_comb begin
    t_load    = '0;
    t_compute = '0;
    t_store   = '0;
    if (uop_we_i) t_compute = term(SidUop, 32'(uop_widx_i), uop_wdata_i);
    // Elements wider than 8 bytes are written in masked chunks, one mask bit per 8 bytes.
    for (int unsigned j = 0; j < INP_ELEM_BITS / 32; j++)
      if (inp_we_i && (InpMask == 1 || inp_wmask_i[j / 2]))
        t_load += term(SidInp, 32'(inp_widx_i) * (INP_ELEM_BITS / 32) + j, inp_wdata_i[32*j +: 32]);
    for (int unsigned j = 0; j < WGT_ELEM_BITS / 32; j++)
      if (wgt_we_i && (WgtMask == 1 || wgt_wmask_i[j / 2]))
        t_load += term(SidWgt, 32'(wgt_widx_i) * (WGT_ELEM_BITS / 32) + j, wgt_wdata_i[32*j +: 32]);
    for (int unsigned j = 0; j < ACC_ELEM_BITS / 32; j++)
      if (acc_we_i && (AccMask == 1 || acc_wmask_i[j / 2]))
        t_compute += term(SidAcc, 32'(acc_widx_i) * (ACC_ELEM_BITS / 32) + j, acc_wdata_i[32*j +: 32]);
    // STORE strobes cover whole elements (multiples of 4 bytes), so a word is all in or all out.
    for (int unsigned j = 0; j < BUS_BYTES / 4; j++)
      if (st_wr_valid_i && st_wr_strb_i[4*j +: 4] == 4'hF)
        t_store += term(SidDram, (st_logical >> 2) + j, st_wr_data_i[32*j +: 32]);
  end

  // ---- per module: pcs in dispatch order, digest of the current instruction, finished records
  logic [31:0] pc_q;
  logic [31:0] sum_q [3];
  logic [31:0] t_mod [3];
  logic [2:0]  rec_full, rec_empty, rec_pop;
  logic [31:0] pc_head [3];
  logic [63:0] rec_head [3];
  logic [31:0] dropped_q;

  // No ring programmed (0 slots): the unit keeps quiet instead of writing records to address 0.
  logic enabled;
  assign enabled = ring_slots_i != 32'd0;

  assign t_mod[0] = t_load;
  assign t_mod[1] = t_compute;
  assign t_mod[2] = t_store;

  for (genvar m = 0; m < 3; m++) begin : gen_module
    logic [31:0] insn_terms, digest;
    /* verilator lint_off UNUSEDSIGNAL */  // queue levels and the pc queue's flags: not needed
    logic        pc_empty, pc_full;
    logic [$clog2(PcQueue):0]  pc_level;
    logic [$clog2(RecQueue):0] rec_level;
    /* verilator lint_on UNUSEDSIGNAL */

    vta_fifo #(.Depth(PcQueue), .Width(32)) u_pcs (
      .clk_i, .rst_i, .push_i(dispatch_i[m]), .data_i(pc_q), .pop_i(retire_i[m]),
      .head_o(pc_head[m]), .empty_o(pc_empty), .full_o(pc_full), .level_o(pc_level)
    );

    always_comb begin
      insn_terms = '0;
      for (int unsigned j = 0; j < INSN_BITS / 32; j++)
        insn_terms += term(32'(m), 32'(j), retired_insn_i[m][32*j +: 32]);
    end
    assign digest = sum_q[m] + t_mod[m] + insn_terms;

    vta_fifo #(.Depth(RecQueue), .Width(64)) u_records (
      .clk_i, .rst_i, .push_i(retire_i[m] && enabled), .data_i({digest, pc_head[m]}), .pop_i(rec_pop[m]),
      .head_o(rec_head[m]), .empty_o(rec_empty[m]), .full_o(rec_full[m]), .level_o(rec_level)
    );

    always_ff @(posedge clk_i) begin
      if (rst_i) sum_q[m] <= '0;
      else sum_q[m] <= retire_i[m] ? 32'd0 : sum_q[m] + t_mod[m];
    end
  end

  // ---- the store module's write bursts: where its next beat goes, and whether one is open
  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      st_addr_q <= '0;
      st_left_q <= '0;
      pc_q      <= '0;
      dropped_q <= '0;
    end else begin
      if (st_wr_valid_i) st_addr_q <= st_beat_addr + 32'(BUS_BYTES);
      else if (st_wr_req_valid_i) st_addr_q <= st_wr_req_addr_i;
      st_left_q <= (st_wr_req_valid_i ? 9'(st_wr_req_len_i) + 9'd1 : st_left_q) - 9'(st_wr_valid_i);
      if (dispatch_i != 3'b000) pc_q <= pc_q + 32'd1;
      if (enabled)
        dropped_q <= dropped_q + 32'(retire_i[0] && rec_full[0]) + 32'(retire_i[1] && rec_full[1])
                               + 32'(retire_i[2] && rec_full[2]);
    end
  end

  // ---- ring writer: take a record (load, compute, store first), send it piece by piece
  logic         busy_q;
  logic [127:0] rec_q;
  logic [31:0]  slot_addr_q, slot_q, written_q;
  logic [$clog2(Pieces+1)-1:0] piece_q;
  logic         free, send;
  logic [1:0]   pick;
  logic [31:0]  piece_addr;
  logic [OffW-1:0] off;

  always_comb begin
    pick = 2'd0;
    if (rec_empty[0]) pick = rec_empty[1] ? 2'd2 : 2'd1;
  end
  assign rec_pop = (!busy_q && rec_empty != 3'b111) ? (3'b001 << pick) : 3'b000;

  assign free       = !st_wr_req_valid_i && !st_wr_valid_i && st_left_q == 9'd0;
  assign send       = busy_q && free;
  assign piece_addr = slot_addr_q + 32'(piece_q) * PieceB;
  assign off        = piece_addr[OffW-1:0];

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      busy_q      <= 1'b0;
      rec_q       <= '0;
      slot_addr_q <= '0;
      slot_q      <= '0;
      written_q   <= '0;
      piece_q     <= '0;
    end else if (!busy_q) begin
      if (rec_pop != 3'b000) begin
        busy_q      <= 1'b1;
        // Little-endian words: pc, module, digest, record index.
        rec_q       <= {written_q, rec_head[pick][63:32], 30'd0, pick, rec_head[pick][31:0]};
        slot_addr_q <= ring_base_i + (slot_q << 4);
        piece_q     <= '0;
      end
    end else if (send) begin
      if (32'(piece_q) == Pieces - 1) begin
        busy_q    <= 1'b0;
        written_q <= written_q + 32'd1;
        slot_q    <= (slot_q + 32'd1 >= ring_slots_i) ? 32'd0 : slot_q + 32'd1;
      end else begin
        piece_q <= piece_q + 1'b1;
      end
    end
  end

  // The record's piece, placed at its byte lanes in the beat.
  logic [DATA_BITS-1:0] tu_data;
  logic [BUS_BYTES-1:0] tu_strb;
  always_comb begin
    logic [PieceB*8-1:0] bits;
    bits    = rec_q[PieceB*8*32'(piece_q) +: PieceB*8];
    tu_data = DATA_BITS'(bits) << (8 * 32'(off));
    tu_strb = BUS_BYTES'({PieceB{1'b1}}) << off;
  end

  assign wr_req_valid_o = st_wr_req_valid_i || send;
  assign wr_req_addr_o  = send ? {piece_addr[31:OffW], {OffW{1'b0}}} : st_wr_req_addr_i;
  assign wr_req_len_o   = send ? 8'd0 : st_wr_req_len_i;
  assign wr_valid_o     = st_wr_valid_i || send;
  assign wr_data_o      = send ? tu_data : st_wr_data_i;
  assign wr_strb_o      = send ? tu_strb : st_wr_strb_i;
  assign written_o      = written_q;
  assign dropped_o      = dropped_q;
endmodule
