// The compute module (vta-isa.md §4.1): LOAD UOP / ACC / ACC_8BIT, GEMM, ALU and FINISH in
// program order. Token flags (§2.9): pop_prev_dep takes from LD->CMP, pop_next_dep from ST->CMP,
// push_prev_dep puts on CMP->LD, push_next_dep on CMP->ST, pushes after completion. A LOAD of
// another memory type, x_size = 0 or an undefined opcode (5..7) only moves tokens.
//
// DualPipe = 0 (configurations with TRACE_UNIT, so that the on-board trace unit sees one compute
// instruction at a time): one instruction at a time through one vta_tensor_pipe.
//
// DualPipe = 1, two pipes: pipe A runs GEMM without reset, pipe B (a second vta_tensor_pipe) ALU
// and GEMM with reset (or pipe A, when only A is free), so requantisation and ACC resets of one
// tile hide behind the GEMMs of the other (the conv lowering double-buffers ACC). Everything else (loads, NOPs, FINISH, GEMM/ALU
// with nothing to do) runs as with one pipe once both pipes are idle and everything older retired.
//   - Issue in program order: tokens are checked and popped when an instruction starts on its
//     pipe, which only waits for that pipe to drain.
//   - ACC hazards between the pipes: each started instruction's footprint (vta_acc_footprint) is
//     computed from its micro-ops. The younger of two running instructions checks each iteration's
//     rows in S1 against the older's footprint and stalls on a hit (or while the footprint is
//     still being computed) until the older completes; the older never waits.
//   - Retire in program order through a small queue (the probe contract: the k-th compute retire
//     is the k-th compute instruction), one per cycle; retired_group_q says which pipe's writes
//     the retiring instruction made (0: pipe A and the loads, 1: pipe B); complete_g0/complete_g1
//     pulse when an instruction of that group completes (probe map "complete").
//   - Tokens: an instruction pushes at completion when no older instruction still owes a push on
//     the same queue (and, for CMP->LD, no older GEMM still reads INP/WGT), else at its retire;
//     pushes on each queue stay in program order. As a younger instruction may release the store
//     module while an older one still writes ACC, the store's ACC reads wait (st_hold_o) while
//     their row lies in a running instruction's footprint.
module vta_compute
  import vta_pkg::*;
#(
  parameter int unsigned UopClient  = 3,
  parameter int unsigned AccClient  = 4,
  parameter int unsigned Acc8Client = 5,
  parameter int unsigned NumSlots   = 16,
  parameter bit          DualPipe   = 1'b1,
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
  // UOP scratchpad; read ports: 0 pipe A, 1 pipe B, 2 and 3 the footprints of A and B
  output logic                         uop_we_o,
  output logic [LOG_UOP_DEPTH-1:0]     uop_widx_o,
  output logic [31:0]                  uop_wdata_o,
  output logic [3:0]                   uop_re_o,
  output logic [3:0][LOG_UOP_DEPTH-1:0] uop_raddr_o,
  input  logic [3:0][31:0]             uop_rdata_i,
  // INP / WGT reads (pipe A; with one pipe, the pipe)
  output logic                         inp_re_o,
  output logic [LOG_INP_DEPTH-1:0]     inp_raddr_o,
  input  logic [INP_ELEM_BITS-1:0]     inp_rdata_i,
  output logic                         wgt_re_o,
  output logic [LOG_WGT_DEPTH-1:0]     wgt_raddr_o,
  input  logic [WGT_ELEM_BITS-1:0]     wgt_rdata_i,
  // ACC scratchpad: write port 0 pipe A and the loads, port 1 pipe B (whole rows);
  // read ports 0, 1 pipe A (dst, src), 2, 3 pipe B
  output logic                         acc_we_o,
  output logic [LOG_ACC_DEPTH-1:0]     acc_widx_o,
  output logic [ACC_ELEM_BITS-1:0]     acc_wdata_o,
  output logic [AccMask-1:0]           acc_wmask_o,
  output logic                         acc1_we_o,
  output logic [LOG_ACC_DEPTH-1:0]     acc1_widx_o,
  output logic [ACC_ELEM_BITS-1:0]     acc1_wdata_o,
  output logic [3:0]                   acc_re_o,
  output logic [3:0][LOG_ACC_DEPTH-1:0] acc_raddr_o,
  input  logic [3:0][ACC_ELEM_BITS-1:0] acc_rdata_i,
  // the store module's next ACC row, and whether it must wait for a running instruction
  input  logic [LOG_ACC_DEPTH-1:0]     st_row_i,
  output logic                         st_hold_o,
  // status
  output logic                         finish_o,
  output logic                         retire_o,
  output logic [INSN_BITS-1:0]         insn_o,
  output logic [1:0]                   state_o,
  output logic                         busy_o,
  output logic [1:0]                   ev_acc_wr_o,     // per pipe (A, B)
  output logic [1:0]                   ev_gemm_iter_o,
  output logic [1:0]                   ev_alu_iter_o,
  // iteration probes of pipe A and pipe B
  output logic                         gemm_iter_o,
  output logic                         alu_iter_o,
  output logic [31:0]                  iter_dst_o,
  output logic [31:0]                  iter_src_o,
  output logic [31:0]                  iter_wgt_o,
  output logic                         gemm_iter_b_o,
  output logic                         alu_iter_b_o,
  output logic [31:0]                  iter_dst_b_o,
  output logic [31:0]                  iter_src_b_o,
  output logic [31:0]                  iter_wgt_b_o
);
  typedef enum logic [1:0] {StIdle = 2'd0, StToken = 2'd1, StExec = 2'd2} state_e;

  // Probe points (fixtures/probe-maps/vta-trace-rtl.json): state_q, retire_q, retired_q,
  // retired_group_q, complete_g0, complete_g1.
  state_e               state_q;
  logic [INSN_BITS-1:0] insn_q;     // the instruction waiting to start (or executing, loads)
  logic                 retire_q;
  logic [INSN_BITS-1:0] retired_q;  // the instruction retire_q announces (insn_q may be the next)
  logic                 retired_group_q;
  logic                 complete_g0, complete_g1;
  logic [2:0]           opcode, mem_type;
  logic                 pop_prev, pop_next, tokens_ok;
  logic                 start_uop, start_acc, start_acc8;
  logic                 uop_busy, acc_busy, acc8_busy, loads_busy;
  logic                 is_load, is_nop;

  assign opcode     = insn_q[HDR_OPCODE_LSB +: 3];
  assign mem_type   = insn_q[MEM_MEMORY_TYPE_LSB +: 3];
  assign pop_prev   = insn_q[HDR_POP_PREV_DEP_LSB];
  assign pop_next   = insn_q[HDR_POP_NEXT_DEP_LSB];
  assign tokens_ok  = (!pop_prev || ld2cmp_avail_i) && (!pop_next || st2cmp_avail_i);
  assign is_load    = (opcode == OP_LOAD);
  assign is_nop     = is_load ? ((insn_q[MEM_X_SIZE_LSB +: 16] == 16'd0) ||
                                 !(mem_type == MEM_ID_UOP || mem_type == MEM_ID_ACC ||
                                   mem_type == MEM_ID_ACC8))
                              : !(opcode == OP_GEMM || opcode == OP_ALU);
  assign loads_busy = uop_busy || acc_busy || acc8_busy;

  // Pipes: index 0 = A, 1 = B.
  logic [1:0]                         pipe_start, pipe_busy, pipe_stall;
  logic [1:0][INSN_BITS-1:0]          pipe_insn;
  logic [1:0]                         s1_valid, s1_src_acc;
  logic [1:0][LOG_ACC_DEPTH-1:0]      s1_dst, s1_src;
  logic [1:0]                         pipe_we;
  logic [1:0][LOG_ACC_DEPTH-1:0]      pipe_widx;
  logic [1:0][ACC_ELEM_BITS-1:0]      pipe_wdata;
  logic [1:0]                         p_gemm_iter, p_alu_iter;
  logic [1:0][31:0]                   p_iter_dst, p_iter_src, p_iter_wgt;

  if (!DualPipe) begin : gen_one_pipe
    // ---- one instruction at a time (behaviour and cycles as before the second pipe)
    state_e state_d;
    logic   retire_d, start_pipe;

    always_comb begin
      state_d       = state_q;
      retire_d      = 1'b0;
      q_pop_o       = 1'b0;
      ld2cmp_pop_o  = 1'b0;
      st2cmp_pop_o  = 1'b0;
      start_uop     = 1'b0;
      start_acc     = 1'b0;
      start_acc8    = 1'b0;
      start_pipe    = 1'b0;
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
              start_uop     = is_load && (mem_type == MEM_ID_UOP);
              start_acc     = is_load && (mem_type == MEM_ID_ACC);
              start_acc8    = is_load && (mem_type == MEM_ID_ACC8);
              start_pipe    = !is_load;
              state_d       = StExec;
            end
          end
        end
        StExec: begin
          if (!loads_busy && !pipe_busy[0]) begin
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
        state_q   <= StIdle;
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

    assign retired_group_q = 1'b0;
    // Every instruction completes in the cycle it decides to retire: all its writes are group 0.
    assign complete_g0     = retire_d;
    assign complete_g1     = 1'b0;
    assign cmp2ld_push_o   = retire_q && retired_q[HDR_PUSH_PREV_DEP_LSB];
    assign cmp2st_push_o   = retire_q && retired_q[HDR_PUSH_NEXT_DEP_LSB];
    assign pipe_insn[0]    = insn_q;
    assign st_hold_o       = 1'b0;
    assign busy_o          = (state_q == StExec);

    // No pipe B, no footprints.
    assign pipe_start    = {1'b0, start_pipe};
    assign pipe_busy[1]  = 1'b0;
    assign pipe_stall    = '0;
    assign pipe_insn[1]  = '0;
    assign pipe_we[1]    = 1'b0;
    assign pipe_widx[1]  = '0;
    assign pipe_wdata[1] = '0;
    assign p_gemm_iter[1] = 1'b0;
    assign p_alu_iter[1]  = 1'b0;
    assign p_iter_dst[1]  = '0;
    assign p_iter_src[1]  = '0;
    assign p_iter_wgt[1]  = '0;
    assign s1_valid[1]    = 1'b0;
    assign s1_src_acc[1]  = 1'b0;
    assign s1_dst[1]      = '0;
    assign s1_src[1]      = '0;
    assign uop_re_o[3:1]    = '0;
    assign uop_raddr_o[3:1] = '0;
    assign acc_re_o[3:2]    = '0;
    assign acc_raddr_o[3:2] = '0;
    /* verilator lint_off UNUSEDSIGNAL */
    logic unused_one;
    assign unused_one = ^{uop_rdata_i[3:1], acc_rdata_i[3:2], st_row_i, s1_valid, s1_src_acc, s1_dst,
                          s1_src, pipe_start[1], pipe_busy[1], pipe_stall[1]};
    /* verilator lint_on UNUSEDSIGNAL */
  end else begin : gen_two_pipes
    // ---- two pipes (see the header)
    localparam int unsigned RobDepth = 8;  // GEMM Y beside ALU X x3 and RESET X' takes 5
    localparam int unsigned RobW = $clog2(RobDepth);

    state_e state_d;
    logic   fsm_retire, rob_retire, alloc;
    logic   has_work, to_pipe, reads_tensors, to_b;

    // A GEMM or ALU with at least one iteration and one micro-op goes to a pipe.
    assign has_work = (insn_q[GEMM_ITER_OUT_LSB +: ITER_WIDTH] != '0) &&
                      (insn_q[GEMM_ITER_IN_LSB +: ITER_WIDTH] != '0) &&
                      ((LOG_UOP_DEPTH + 1)'(insn_q[GEMM_UOP_BGN_LSB +: LOG_UOP_DEPTH]) <
                       insn_q[GEMM_UOP_END_LSB +: LOG_UOP_DEPTH + 1]);
    assign to_pipe  = !is_load && !is_nop && has_work;
    // A GEMM that accumulates needs INP and WGT: pipe A only. ALU and reset go to pipe B, or to
    // pipe A when B is busy and A is not (e.g. the next tile's reset beside the last ALU of this
    // one in layers that do not interleave tiles; the footprints keep them apart).
    assign reads_tensors = (opcode == OP_GEMM) && !insn_q[GEMM_RESET_REG_LSB];
    assign to_b          = !reads_tensors && !(pipe_busy[1] && !pipe_busy[0]);

    // ---- the retire queue (program order), head_q oldest
    logic [INSN_BITS-1:0]      rob_insn_q [RobDepth];
    logic [RobDepth-1:0]       rob_b_q;      // ran on pipe B
    logic [RobDepth-1:0]       rob_tens_q;   // reads INP / WGT (a GEMM that accumulates)
    logic [RobDepth-1:0]       rob_done_q;   // completed
    logic [RobDepth-1:0]       owe_prev_q;   // push on CMP->LD not made yet
    logic [RobDepth-1:0]       owe_next_q;   // push on CMP->ST not made yet
    logic [RobW-1:0]           head_q, tail;
    logic [RobW:0]             count_q;
    // ---- per pipe: running, its queue slot, whether it is the younger of two running
    logic [1:0]                run_q, younger_q, done;
    logic [1:0][RobW-1:0]      slot_q;
    logic [1:0][INSN_BITS-1:0] pinsn_q;
    logic [RobDepth-1:0]       done_now;
    logic [1:0]                early_prev, early_next;
    logic [1:0]                fp_valid, fp_full;
    logic [1:0][LOG_ACC_DEPTH-1:0] fp_lo, fp_hi;

    assign tail = head_q + RobW'(count_q);

    for (genvar p = 0; p < 2; p++) begin : gen_pipe_ctl
      // Each pipe reads its instruction in every stage: it gets its own copy, latched at start.
      assign pipe_insn[p] = pipe_start[p] ? insn_q : pinsn_q[p];
      assign done[p]      = run_q[p] && !pipe_busy[p];

      vta_acc_footprint u_footprint (
        .clk_i, .rst_i, .start_i(pipe_start[p]), .insn_i(pipe_insn[p]),
        .uop_re_o(uop_re_o[2 + p]), .uop_raddr_o(uop_raddr_o[2 + p]), .uop_rdata_i(uop_rdata_i[2 + p]),
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
        pipe_stall[p] = s1_valid[p] && younger_q[p] && pipe_busy[1 - p] &&
                        (!fp_valid[1 - p] ||
                         in_fp(fp_full[1 - p], fp_lo[1 - p], fp_hi[1 - p], s1_dst[p]) ||
                         (s1_src_acc[p] && in_fp(fp_full[1 - p], fp_lo[1 - p], fp_hi[1 - p], s1_src[p])));
      end
      st_hold_o = 1'b0;
      for (int unsigned p = 0; p < 2; p++) begin
        if (pipe_busy[p] && (!fp_valid[p] || in_fp(fp_full[p], fp_lo[p], fp_hi[p], st_row_i))) st_hold_o = 1'b1;
      end
    end

    always_comb begin
      for (int unsigned i = 0; i < RobDepth; i++) begin
        done_now[i] = (done[0] && slot_q[0] == RobW'(i)) || (done[1] && slot_q[1] == RobW'(i));
      end
    end
    assign rob_retire = (count_q != '0) && (rob_done_q[head_q] || done_now[head_q]);

    // Early pushes at completion. CMP->LD also waits for older GEMMs (pipe A) still reading INP
    // and WGT, which the load module may overwrite once it has the token.
    always_comb begin
      for (int unsigned p = 0; p < 2; p++) begin
        logic [RobW-1:0] age, idx;
        logic            blk_prev, blk_next;
        age      = slot_q[p] - head_q;
        blk_prev = 1'b0;
        blk_next = 1'b0;
        for (int unsigned k = 0; k < RobDepth; k++) begin
          idx = head_q + RobW'(k);
          if (RobW'(k) < age) begin
            blk_prev = blk_prev || owe_prev_q[idx] || (rob_tens_q[idx] && !rob_done_q[idx]);
            blk_next = blk_next || owe_next_q[idx];
          end
        end
        // An instruction retiring in the cycle it completes pushes through its retire.
        early_prev[p] = done[p] && !(rob_retire && slot_q[p] == head_q) && owe_prev_q[slot_q[p]] && !blk_prev;
        early_next[p] = done[p] && !(rob_retire && slot_q[p] == head_q) && owe_next_q[slot_q[p]] && !blk_next;
      end
    end

    // ---- issue
    always_comb begin
      state_d       = state_q;
      fsm_retire    = 1'b0;
      alloc         = 1'b0;
      q_pop_o       = 1'b0;
      ld2cmp_pop_o  = 1'b0;
      st2cmp_pop_o  = 1'b0;
      start_uop     = 1'b0;
      start_acc     = 1'b0;
      start_acc8    = 1'b0;
      pipe_start    = '0;
      unique case (state_q)
        StIdle: begin
          if (!q_empty_i) begin
            q_pop_o = 1'b1;
            state_d = StToken;
          end
        end
        StToken: begin
          if (tokens_ok && to_pipe) begin
            // Starts once its own pipe has drained; the other pipe may still run.
            if (!pipe_busy[to_b] && count_q != (RobW + 1)'(RobDepth)) begin
              ld2cmp_pop_o     = pop_prev;
              st2cmp_pop_o     = pop_next;
              pipe_start[to_b] = 1'b1;
              alloc            = 1'b1;
              q_pop_o          = !q_empty_i;
              state_d          = q_empty_i ? StIdle : StToken;
            end
          end else if (tokens_ok && count_q == '0) begin
            // Everything older retired (so both pipes are idle): as with one pipe.
            ld2cmp_pop_o = pop_prev;
            st2cmp_pop_o = pop_next;
            if (is_nop) begin
              fsm_retire = 1'b1;  // also FINISH
              q_pop_o    = !q_empty_i;
              state_d    = q_empty_i ? StIdle : StToken;
            end else begin
              // A load, or a GEMM / ALU with nothing to do (retires next cycle).
              start_uop  = is_load && (mem_type == MEM_ID_UOP);
              start_acc  = is_load && (mem_type == MEM_ID_ACC);
              start_acc8 = is_load && (mem_type == MEM_ID_ACC8);
              state_d    = StExec;
            end
          end
        end
        StExec: begin
          if (!loads_busy) begin
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
        head_q          <= '0;
        count_q         <= '0;
        run_q           <= '0;
        younger_q       <= '0;
        slot_q          <= '0;
        pinsn_q         <= '0;
        rob_b_q         <= '0;
        rob_tens_q      <= '0;
        rob_done_q      <= '0;
        owe_prev_q      <= '0;
        owe_next_q      <= '0;
      end else begin
        state_q  <= state_d;
        retire_q <= fsm_retire || rob_retire;
        if (rob_retire) begin
          retired_q       <= rob_insn_q[head_q];
          retired_group_q <= rob_b_q[head_q];
        end else if (fsm_retire) begin
          retired_q       <= insn_q;
          retired_group_q <= 1'b0;
        end
        if (q_pop_o) insn_q <= q_head_i;
        for (int unsigned p = 0; p < 2; p++) begin
          if (done[p]) rob_done_q[slot_q[p]] <= 1'b1;
          if (early_prev[p]) owe_prev_q[slot_q[p]] <= 1'b0;
          if (early_next[p]) owe_next_q[slot_q[p]] <= 1'b0;
        end
        for (int unsigned p = 0; p < 2; p++) begin
          if (pipe_start[p]) begin
            run_q[p]         <= 1'b1;
            slot_q[p]        <= tail;
            pinsn_q[p]       <= insn_q;
            younger_q[p]     <= pipe_busy[1 - p];  // the other still runs an older instruction
            younger_q[1 - p] <= 1'b0;
          end else if (done[p]) begin
            run_q[p] <= 1'b0;
          end
        end
        if (alloc) begin
          rob_insn_q[tail] <= insn_q;
          rob_b_q[tail]    <= to_b;
          rob_tens_q[tail] <= reads_tensors;
          rob_done_q[tail] <= 1'b0;
          owe_prev_q[tail] <= insn_q[HDR_PUSH_PREV_DEP_LSB];
          owe_next_q[tail] <= insn_q[HDR_PUSH_NEXT_DEP_LSB];
        end
        if (rob_retire) head_q <= head_q + 1'b1;
        count_q <= count_q + (RobW + 1)'(alloc) - (RobW + 1)'(rob_retire);
      end
    end

    assign complete_g0   = fsm_retire || done[0];
    assign complete_g1   = done[1];
    assign cmp2ld_push_o = (fsm_retire && insn_q[HDR_PUSH_PREV_DEP_LSB]) ||
                           (rob_retire && owe_prev_q[head_q]) || (|early_prev);
    assign cmp2st_push_o = (fsm_retire && insn_q[HDR_PUSH_NEXT_DEP_LSB]) ||
                           (rob_retire && owe_next_q[head_q]) || (|early_next);
    assign busy_o        = (state_q == StExec) || (|pipe_busy);

    // A reset GEMM reads no INP/WGT: pipe B's ports for them go nowhere.
    /* verilator lint_off UNUSEDSIGNAL */
    logic                     b_inp_re, b_wgt_re;
    logic [LOG_INP_DEPTH-1:0] b_inp_raddr;
    logic [LOG_WGT_DEPTH-1:0] b_wgt_raddr;
    /* verilator lint_on UNUSEDSIGNAL */

    vta_tensor_pipe u_pipe_b (
      .clk_i, .rst_i, .start_i(pipe_start[1]), .insn_i(pipe_insn[1]), .stall_i(pipe_stall[1]),
      .busy_o(pipe_busy[1]),
      .s1_valid_o(s1_valid[1]), .s1_src_acc_o(s1_src_acc[1]), .s1_dst_o(s1_dst[1]), .s1_src_o(s1_src[1]),
      .uop_re_o(uop_re_o[1]), .uop_raddr_o(uop_raddr_o[1]), .uop_rdata_i(uop_rdata_i[1]),
      .inp_re_o(b_inp_re), .inp_raddr_o(b_inp_raddr), .inp_rdata_i('0),
      .wgt_re_o(b_wgt_re), .wgt_raddr_o(b_wgt_raddr), .wgt_rdata_i('0),
      .acc_re_o(acc_re_o[3:2]), .acc_raddr_o(acc_raddr_o[3:2]), .acc_rdata_i(acc_rdata_i[3:2]),
      .acc_we_o(pipe_we[1]), .acc_widx_o(pipe_widx[1]), .acc_wdata_o(pipe_wdata[1]),
      .gemm_iter_o(p_gemm_iter[1]), .alu_iter_o(p_alu_iter[1]),
      .iter_dst_o(p_iter_dst[1]), .iter_src_o(p_iter_src[1]), .iter_wgt_o(p_iter_wgt[1])
    );
  end

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

  // ---- GEMM / ALU: pipe A (with one pipe, the pipe)
  vta_tensor_pipe u_pipe (
    .clk_i, .rst_i, .start_i(pipe_start[0]), .insn_i(pipe_insn[0]), .stall_i(pipe_stall[0]),
    .busy_o(pipe_busy[0]),
    .s1_valid_o(s1_valid[0]), .s1_src_acc_o(s1_src_acc[0]), .s1_dst_o(s1_dst[0]), .s1_src_o(s1_src[0]),
    .uop_re_o(uop_re_o[0]), .uop_raddr_o(uop_raddr_o[0]), .uop_rdata_i(uop_rdata_i[0]),
    .inp_re_o, .inp_raddr_o, .inp_rdata_i, .wgt_re_o, .wgt_raddr_o, .wgt_rdata_i,
    .acc_re_o(acc_re_o[1:0]), .acc_raddr_o(acc_raddr_o[1:0]), .acc_rdata_i(acc_rdata_i[1:0]),
    .acc_we_o(pipe_we[0]), .acc_widx_o(pipe_widx[0]), .acc_wdata_o(pipe_wdata[0]),
    .gemm_iter_o(p_gemm_iter[0]), .alu_iter_o(p_alu_iter[0]),
    .iter_dst_o(p_iter_dst[0]), .iter_src_o(p_iter_src[0]), .iter_wgt_o(p_iter_wgt[0])
  );

  // ACC write port 0: pipe A or a load — never both (loads run only while the pipes are idle).
  always_comb begin
    acc_we_o    = 1'b0;
    acc_widx_o  = pipe_widx[0];
    acc_wdata_o = pipe_wdata[0];
    acc_wmask_o = '1;
    if (pipe_we[0]) begin
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
  // Port 1: pipe B.
  assign acc1_we_o    = pipe_we[1];
  assign acc1_widx_o  = pipe_widx[1];
  assign acc1_wdata_o = pipe_wdata[1];

  for (genvar p = 0; p < 2; p++) begin : gen_events
    assign ev_acc_wr_o[p]    = pipe_we[p];
    assign ev_gemm_iter_o[p] = p_gemm_iter[p] && !pipe_insn[p][GEMM_RESET_REG_LSB];
    assign ev_alu_iter_o[p]  = p_alu_iter[p];
  end

  assign gemm_iter_o   = p_gemm_iter[0];
  assign alu_iter_o    = p_alu_iter[0];
  assign iter_dst_o    = p_iter_dst[0];
  assign iter_src_o    = p_iter_src[0];
  assign iter_wgt_o    = p_iter_wgt[0];
  assign gemm_iter_b_o = p_gemm_iter[1];
  assign alu_iter_b_o  = p_alu_iter[1];
  assign iter_dst_b_o  = p_iter_dst[1];
  assign iter_src_b_o  = p_iter_src[1];
  assign iter_wgt_b_o  = p_iter_wgt[1];

  assign finish_o = retire_q && (retired_q[HDR_OPCODE_LSB +: 3] == OP_FINISH);
  assign retire_o = retire_q;
  assign insn_o   = retired_q;
  assign state_o  = state_q;

  // Probe-only signals: read by the harness through the probe map, not by logic.
  /* verilator lint_off UNUSEDSIGNAL */
  logic probe_only;
  assign probe_only = ^{retired_group_q, complete_g0, complete_g1};
  /* verilator lint_on UNUSEDSIGNAL */
endmodule
