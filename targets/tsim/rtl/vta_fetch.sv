// Fetch (vta-isa.md §4.1, §6.3): on launch, reads `count` instructions from `addr` and
// dispatches them in program order to the load, compute and store queues. Reads run ahead into
// a small ring indexed by instruction number, so bursts may come back in any order; dispatch
// waits for the ring head to be complete and for room in its module's queue.
module vta_fetch
  import vta_pkg::*;
#(
  parameter int unsigned ClientId = 0,
  parameter int unsigned NumSlots = 16,
  localparam int unsigned SlotW = $clog2(NumSlots)
) (
  input  logic                 clk_i,
  input  logic                 rst_i,
  input  logic                 launch_i,
  input  logic [31:0]          count_i,
  input  logic [31:0]          addr_i,
  // memory
  output logic                 req_valid_o,
  input  logic                 req_grant_i,
  output logic [31:0]          req_addr_o,
  output logic [7:0]           req_len_o,
  output logic [7:0]           req_id_o,
  input  logic                 rsp_valid_i,
  input  logic [SlotW-1:0]     rsp_slot_i,
  input  logic [DATA_BITS-1:0] rsp_data_i,
  output logic                 rsp_ready_o,
  // dispatch: 0 load, 1 compute, 2 store
  input  logic [2:0]           q_full_i,
  output logic [2:0]           q_push_o,
  output logic [INSN_BITS-1:0] insn_o,
  output logic                 busy_o
);
  localparam int unsigned Ring = 32;
  localparam int unsigned RingW = $clog2(Ring);
  localparam int unsigned MaxJob = Ring / 2;   // instructions per reader job
  localparam int unsigned UnitBytes = (BUS_BYTES < 16) ? BUS_BYTES : 16;
  localparam int unsigned UnitsPerInsn = 16 / UnitBytes;
  localparam int unsigned ChunkW = (UnitsPerInsn > 1) ? $clog2(UnitsPerInsn) : 1;

  logic [31:0]    count_q, base_q, issued_q, dispatched_q;
  logic [127:0]   ring_q [Ring];
  logic [Ring-1:0] ready_q;

  // ---- reading ahead
  logic [31:0] left, in_flight, job_n;
  logic        job_valid, job_ready;
  assign left      = count_q - issued_q;
  assign in_flight = issued_q - dispatched_q;
  assign job_n     = (left < MaxJob) ? left : MaxJob;
  assign job_valid = (left != 32'd0) && (in_flight + job_n <= Ring);

  logic                   unit_valid;
  logic [RingW-1:0]       unit_idx;
  logic [ChunkW-1:0]      unit_chunk;
  logic [UnitBytes*8-1:0] unit_data;
  logic                   reader_idle;

  vta_tensor_reader #(
    .ElemBytes(16), .BusBytes(BUS_BYTES), .IdxW(RingW), .ClientId(ClientId), .NumSlots(NumSlots)
  ) u_reader (
    .clk_i, .rst_i(rst_i || launch_i),  // bursts of an earlier run are forgotten at launch
    .job_valid_i(job_valid), .job_ready_o(job_ready),
    .job_addr_i(base_q + (issued_q << 4)), .job_count_i(16'(job_n)), .job_dst_i(issued_q[RingW-1:0]),
    .req_valid_o, .req_grant_i, .req_addr_o, .req_len_o, .req_id_o,
    .rsp_valid_i, .rsp_slot_i, .rsp_data_i, .rsp_ready_o,
    .out_valid_o(unit_valid), .out_idx_o(unit_idx), .out_chunk_o(unit_chunk), .out_data_o(unit_data),
    .idle_o(reader_idle)
  );

  // ---- dispatch
  logic [RingW-1:0] head;
  logic [127:0]     head_insn;
  logic [2:0]       head_op, head_mem;
  logic [2:0]       target;
  logic             dispatch;

  assign head      = dispatched_q[RingW-1:0];
  assign head_insn = ring_q[head];
  assign head_op   = head_insn[HDR_OPCODE_LSB +: 3];
  assign head_mem  = head_insn[MEM_MEMORY_TYPE_LSB +: 3];

  always_comb begin
    if (head_op == OP_LOAD && (head_mem == MEM_ID_INP || head_mem == MEM_ID_WGT)) target = 3'b001;
    else if (head_op == OP_STORE) target = 3'b100;
    else target = 3'b010;  // compute: other loads, GEMM, ALU, FINISH, undefined opcodes
  end

  assign dispatch = (dispatched_q != issued_q) && ready_q[head] && ((target & q_full_i) == 3'b000);
  assign q_push_o = dispatch ? target : 3'b000;
  assign insn_o   = head_insn;

  always_ff @(posedge clk_i) begin
    if (unit_valid) ring_q[unit_idx][32'(unit_chunk) * UnitBytes * 8 +: UnitBytes * 8] <= unit_data;
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      count_q      <= 32'd0;
      base_q       <= 32'd0;
      issued_q     <= 32'd0;
      dispatched_q <= 32'd0;
      ready_q      <= '0;
    end else if (launch_i) begin
      count_q      <= count_i;
      base_q       <= addr_i;
      issued_q     <= 32'd0;
      dispatched_q <= 32'd0;
      ready_q      <= '0;
    end else begin
      if (job_valid && job_ready) issued_q <= issued_q + job_n;
      if (dispatch) begin
        dispatched_q  <= dispatched_q + 32'd1;
        ready_q[head] <= 1'b0;
      end
      // Units of one instruction arrive in order: it is complete with its last one.
      if (unit_valid && 32'(unit_chunk) == UnitsPerInsn - 1) ready_q[unit_idx] <= 1'b1;
    end
  end

  assign busy_o = (dispatched_q != count_q) || !reader_idle;
endmodule
