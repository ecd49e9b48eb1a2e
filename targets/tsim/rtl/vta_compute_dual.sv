// Issue control of the compute module with two pipes (vta_compute.sv, DualPipe = 1).
//   - Issue in program order: a GEMM / ALU with work goes to its pipe (pipe A: GEMM that
//     accumulates, which needs INP and WGT; pipe B: ALU and reset, or pipe A when only A is free)
//     and pops its tokens when it starts, which waits only for that pipe to drain. Everything else
//     (loads, NOPs, FINISH, GEMM / ALU with nothing to do) runs as with one pipe, once everything
//     older retired (so both pipes are idle).
//   - ACC hazards between the pipes: each started instruction's footprint (vta_acc_footprint) is
//     computed from its micro-ops. The younger of two running instructions checks each
//     iteration's rows in S1 against the older's footprint and stalls on a hit (or while the
//     footprint is still being computed) until the older completes; the older never waits.
//   - Retire and token pushes in program order: vta_retire_queue.
//   - The store's ACC reads wait (st_hold_o) while their row lies in a running instruction's
//     footprint, as a younger instruction may release the store module while an older one still
//     writes ACC.
module vta_compute_dual
  import vta_pkg::*;
(
  input  logic                          clk_i,
  input  logic                          rst_i,
  input  logic                          q_empty_i,
  input  logic [INSN_BITS-1:0]          q_head_i,
  output logic                          q_pop_o,
  // the waiting instruction (insn_o), decoded by vta_compute
  input  logic                          tokens_ok_i,
  input  logic                          is_load_i,
  input  logic                          is_nop_i,
  output logic                          take_tokens_o,  // pop the tokens it waits for
  output logic                          start_load_o,
  output logic                          cmp2ld_push_o,
  output logic                          cmp2st_push_o,
  // pipes (0 A, 1 B)
  output logic [1:0]                    pipe_start_o,
  output logic [1:0][INSN_BITS-1:0]     pipe_insn_o,
  output logic [1:0]                    pipe_stall_o,
  input  logic [1:0]                    pipe_busy_i,
  input  logic                          loads_busy_i,
  input  logic [1:0]                    s1_valid_i,
  input  logic [1:0]                    s1_src_acc_i,
  input  logic [1:0][LOG_ACC_DEPTH-1:0] s1_dst_i,
  input  logic [1:0][LOG_ACC_DEPTH-1:0] s1_src_i,
  // UOP read ports of the footprints of A and B
  output logic [1:0]                    uop_re_o,
  output logic [1:0][LOG_UOP_DEPTH-1:0] uop_raddr_o,
  input  logic [1:0][31:0]              uop_rdata_i,
  input  logic [LOG_ACC_DEPTH-1:0]      st_row_i,
  output logic                          st_hold_o,
  // status (vta_compute's probe points)
  output logic [1:0]                    state_o,
  output logic [INSN_BITS-1:0]          insn_o,
  output logic                          retire_o,
  output logic [INSN_BITS-1:0]          retired_o,
  output logic                          retired_group_o,
  output logic [1:0]                    complete_o,
  output logic                          busy_o
);
  typedef enum logic [1:0] {StIdle = 2'd0, StToken = 2'd1, StExec = 2'd2} state_e;
  localparam int unsigned RobDepth = 8;  // GEMM Y beside ALU X x3 and RESET X' takes 5
  localparam int unsigned RobW = $clog2(RobDepth);

  state_e               state_q, state_d;
  logic [INSN_BITS-1:0] insn_q;     // the instruction waiting to start (or executing, loads)
  logic                 retire_q;
  logic [INSN_BITS-1:0] retired_q;  // the instruction retire_q announces (insn_q may be the next)
  logic                 retired_group_q;
  logic                 fsm_retire, alloc;
  logic                 has_work, to_pipe, reads_tensors, to_b;

  // A GEMM or ALU with at least one iteration and one micro-op goes to a pipe.
  assign has_work = (insn_q[GEMM_ITER_OUT_LSB +: ITER_WIDTH] != '0) &&
                    (insn_q[GEMM_ITER_IN_LSB +: ITER_WIDTH] != '0) &&
                    ((LOG_UOP_DEPTH + 1)'(insn_q[GEMM_UOP_BGN_LSB +: LOG_UOP_DEPTH]) <
                     insn_q[GEMM_UOP_END_LSB +: LOG_UOP_DEPTH + 1]);
  assign to_pipe  = !is_load_i && !is_nop_i && has_work;
  // A GEMM that accumulates needs INP and WGT: pipe A only. ALU and reset go to pipe B, or to
  // pipe A when B is busy and A is not (e.g. the next tile's reset beside the last ALU of this
  // one in layers that do not interleave tiles; the footprints keep them apart).
  assign reads_tensors = (insn_q[HDR_OPCODE_LSB +: 3] == OP_GEMM) && !insn_q[GEMM_RESET_REG_LSB];
  assign to_b          = !reads_tensors && !(pipe_busy_i[1] && !pipe_busy_i[0]);

  // ---- the retire queue
  logic                 rob_empty, rob_full, rob_retire, rob_retired_b, rob_push_prev, rob_push_next;
  logic [RobW-1:0]      tail;
  logic [INSN_BITS-1:0] rob_retired;
  // ---- per pipe: running, its queue slot, whether it is the younger of two running
  logic [1:0]                run_q, younger_q, done;
  logic [1:0][RobW-1:0]      slot_q;
  logic [1:0][INSN_BITS-1:0] pinsn_q;
  logic [1:0]                fp_valid, fp_full;
  logic [1:0][LOG_ACC_DEPTH-1:0] fp_lo, fp_hi;

  vta_retire_queue #(.Depth(RobDepth)) u_retire_queue (
    .clk_i, .rst_i,
    .alloc_i(alloc), .alloc_insn_i(insn_q), .alloc_b_i(to_b), .alloc_tens_i(reads_tensors),
    .tail_o(tail), .empty_o(rob_empty), .full_o(rob_full),
    .done_i(done), .slot_i(slot_q),
    .retire_o(rob_retire), .retire_insn_o(rob_retired), .retire_b_o(rob_retired_b),
    .push_prev_o(rob_push_prev), .push_next_o(rob_push_next)
  );

  for (genvar p = 0; p < 2; p++) begin : gen_pipe_ctl
    // Each pipe reads its instruction in every stage: it gets its own copy, latched at start.
    assign pipe_insn_o[p] = pipe_start_o[p] ? insn_q : pinsn_q[p];
    assign done[p]        = run_q[p] && !pipe_busy_i[p];

    vta_acc_footprint u_footprint (
      .clk_i, .rst_i, .start_i(pipe_start_o[p]), .insn_i(pipe_insn_o[p]),
      .uop_re_o(uop_re_o[p]), .uop_raddr_o(uop_raddr_o[p]), .uop_rdata_i(uop_rdata_i[p]),
      .valid_o(fp_valid[p]), .full_o(fp_full[p]), .lo_o(fp_lo[p]), .hi_o(fp_hi[p])
    );
  end

  // Whether row r lies in pipe p's footprint.
  function automatic logic in_fp(logic full, logic [LOG_ACC_DEPTH-1:0] lo,
                                 logic [LOG_ACC_DEPTH-1:0] hi, logic [LOG_ACC_DEPTH-1:0] r);
    return full || (r >= lo && r <= hi);
  endfunction

  // The younger pipe's iteration in S1 waits while its rows may be the older one's.
  always_comb begin
    for (int unsigned p = 0; p < 2; p++) begin
      pipe_stall_o[p] = s1_valid_i[p] && younger_q[p] && pipe_busy_i[1 - p] &&
                        (!fp_valid[1 - p] ||
                         in_fp(fp_full[1 - p], fp_lo[1 - p], fp_hi[1 - p], s1_dst_i[p]) ||
                         (s1_src_acc_i[p] && in_fp(fp_full[1 - p], fp_lo[1 - p], fp_hi[1 - p], s1_src_i[p])));
    end
    st_hold_o = 1'b0;
    for (int unsigned p = 0; p < 2; p++) begin
      if (pipe_busy_i[p] && (!fp_valid[p] || in_fp(fp_full[p], fp_lo[p], fp_hi[p], st_row_i))) st_hold_o = 1'b1;
    end
  end

  // ---- issue
  always_comb begin
    state_d       = state_q;
    fsm_retire    = 1'b0;
    alloc         = 1'b0;
    q_pop_o       = 1'b0;
    take_tokens_o = 1'b0;
    start_load_o  = 1'b0;
    pipe_start_o  = '0;
    unique case (state_q)
      StIdle: begin
        if (!q_empty_i) begin
          q_pop_o = 1'b1;
          state_d = StToken;
        end
      end
      StToken: begin
        if (tokens_ok_i && to_pipe) begin
          // Starts once its own pipe has drained; the other pipe may still run.
          if (!pipe_busy_i[to_b] && !rob_full) begin
            take_tokens_o      = 1'b1;
            pipe_start_o[to_b] = 1'b1;
            alloc              = 1'b1;
            q_pop_o            = !q_empty_i;
            state_d            = q_empty_i ? StIdle : StToken;
          end
        end else if (tokens_ok_i && rob_empty) begin
          // Everything older retired (so both pipes are idle): as with one pipe.
          take_tokens_o = 1'b1;
          if (is_nop_i) begin
            fsm_retire = 1'b1;  // also FINISH
            q_pop_o    = !q_empty_i;
            state_d    = q_empty_i ? StIdle : StToken;
          end else begin
            // A load, or a GEMM / ALU with nothing to do (retires next cycle).
            start_load_o = is_load_i;
            state_d      = StExec;
          end
        end
      end
      StExec: begin
        if (!loads_busy_i) begin
          fsm_retire = 1'b1;
          q_pop_o    = !q_empty_i;
          state_d    = q_empty_i ? StIdle : StToken;
        end
      end
      default: state_d = StIdle;
    endcase
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      state_q         <= StIdle;
      retire_q        <= 1'b0;
      insn_q          <= '0;
      retired_q       <= '0;
      retired_group_q <= 1'b0;
      run_q           <= '0;
      younger_q       <= '0;
      slot_q          <= '0;
      pinsn_q         <= '0;
    end else begin
      state_q  <= state_d;
      retire_q <= fsm_retire || rob_retire;
      if (rob_retire) begin
        retired_q       <= rob_retired;
        retired_group_q <= rob_retired_b;
      end else if (fsm_retire) begin
        retired_q       <= insn_q;
        retired_group_q <= 1'b0;
      end
      if (q_pop_o) insn_q <= q_head_i;
      for (int unsigned p = 0; p < 2; p++) begin
        if (pipe_start_o[p]) begin
          run_q[p]         <= 1'b1;
          slot_q[p]        <= tail;
          pinsn_q[p]       <= insn_q;
          younger_q[p]     <= pipe_busy_i[1 - p];  // the other still runs an older instruction
          younger_q[1 - p] <= 1'b0;
        end else if (done[p]) begin
          run_q[p] <= 1'b0;
        end
      end
    end
  end

  assign complete_o      = {done[1], fsm_retire || done[0]};
  assign cmp2ld_push_o   = (fsm_retire && insn_q[HDR_PUSH_PREV_DEP_LSB]) || rob_push_prev;
  assign cmp2st_push_o   = (fsm_retire && insn_q[HDR_PUSH_NEXT_DEP_LSB]) || rob_push_next;
  assign busy_o          = (state_q == StExec) || (|pipe_busy_i);
  assign state_o         = state_q;
  assign insn_o          = insn_q;
  assign retire_o        = retire_q;
  assign retired_o       = retired_q;
  assign retired_group_o = retired_group_q;
endmodule
