// The two-pipe compute module's retire queue (vta_compute_dual.sv): instructions that went to a
// pipe, in program order, head oldest. It retires the head once it has completed, one per cycle,
// so that the k-th compute retire the probes see is the k-th compute instruction.
//
// It also keeps the token pushes in order: each entry owes its CMP->LD / CMP->ST push until made.
// An instruction pushes at completion ("early") when no older entry still owes a push on the same
// queue and, for CMP->LD, no older GEMM still reads INP/WGT (which the load module may overwrite
// once it holds the token); otherwise the push waits for its retire.
module vta_retire_queue
  import vta_pkg::*;
#(
  parameter int unsigned Depth = 8,
  localparam int unsigned IdxW = $clog2(Depth)
) (
  input  logic                         clk_i,
  input  logic                         rst_i,
  // a new entry at the tail (the instruction that starts on a pipe this cycle)
  input  logic                         alloc_i,
  input  logic [INSN_BITS-1:0]         alloc_insn_i,
  input  logic                         alloc_b_i,      // runs on pipe B
  input  logic                         alloc_tens_i,   // reads INP / WGT (a GEMM that accumulates)
  output logic [IdxW-1:0]              tail_o,
  output logic                         empty_o,
  output logic                         full_o,
  // per pipe: completes this cycle, and its entry
  input  logic [1:0]                   done_i,
  input  logic [1:0][IdxW-1:0]         slot_i,
  // the head retiring this cycle, and what it was
  output logic                         retire_o,
  output logic [INSN_BITS-1:0]         retire_insn_o,
  output logic                         retire_b_o,
  // pushes this cycle (early ones and those made at retire)
  output logic                         push_prev_o,
  output logic                         push_next_o
);
  logic [INSN_BITS-1:0] insn_q [Depth];
  logic [Depth-1:0]     b_q;         // ran on pipe B
  logic [Depth-1:0]     tens_q;      // reads INP / WGT
  logic [Depth-1:0]     done_q;      // completed
  logic [Depth-1:0]     owe_prev_q;  // push on CMP->LD not made yet
  logic [Depth-1:0]     owe_next_q;  // push on CMP->ST not made yet
  logic [IdxW-1:0]      head_q;
  logic [IdxW:0]        count_q;
  logic [Depth-1:0]     done_now;
  logic [1:0]           early_prev, early_next;

  assign tail_o  = head_q + IdxW'(count_q);
  assign empty_o = (count_q == '0);
  assign full_o  = (count_q == (IdxW + 1)'(Depth));

  // The head may retire in the cycle it completes.
  always_comb begin
    for (int unsigned i = 0; i < Depth; i++) begin
      done_now[i] = (done_i[0] && slot_i[0] == IdxW'(i)) || (done_i[1] && slot_i[1] == IdxW'(i));
    end
  end
  assign retire_o      = (count_q != '0) && (done_q[head_q] || done_now[head_q]);
  assign retire_insn_o = insn_q[head_q];
  assign retire_b_o    = b_q[head_q];

  // Early pushes: only with nothing older in the way (see the header).
  always_comb begin
    for (int unsigned p = 0; p < 2; p++) begin
      logic [IdxW-1:0] age, idx;
      logic            blk_prev, blk_next;
      age      = slot_i[p] - head_q;
      blk_prev = 1'b0;
      blk_next = 1'b0;
      for (int unsigned k = 0; k < Depth; k++) begin
        idx = head_q + IdxW'(k);
        if (IdxW'(k) < age) begin
          blk_prev = blk_prev || owe_prev_q[idx] || (tens_q[idx] && !done_q[idx]);
          blk_next = blk_next || owe_next_q[idx];
        end
      end
      // An instruction retiring in the cycle it completes pushes through its retire.
      early_prev[p] = done_i[p] && !(retire_o && slot_i[p] == head_q) && owe_prev_q[slot_i[p]] && !blk_prev;
      early_next[p] = done_i[p] && !(retire_o && slot_i[p] == head_q) && owe_next_q[slot_i[p]] && !blk_next;
    end
  end

  assign push_prev_o = (retire_o && owe_prev_q[head_q]) || (|early_prev);
  assign push_next_o = (retire_o && owe_next_q[head_q]) || (|early_next);

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      head_q     <= '0;
      count_q    <= '0;
      b_q        <= '0;
      tens_q     <= '0;
      done_q     <= '0;
      owe_prev_q <= '0;
      owe_next_q <= '0;
    end else begin
      for (int unsigned p = 0; p < 2; p++) begin
        if (done_i[p]) done_q[slot_i[p]] <= 1'b1;
        if (early_prev[p]) owe_prev_q[slot_i[p]] <= 1'b0;
        if (early_next[p]) owe_next_q[slot_i[p]] <= 1'b0;
      end
      if (alloc_i) begin
        insn_q[tail_o]     <= alloc_insn_i;
        b_q[tail_o]        <= alloc_b_i;
        tens_q[tail_o]     <= alloc_tens_i;
        done_q[tail_o]     <= 1'b0;
        owe_prev_q[tail_o] <= alloc_insn_i[HDR_PUSH_PREV_DEP_LSB];
        owe_next_q[tail_o] <= alloc_insn_i[HDR_PUSH_NEXT_DEP_LSB];
      end
      if (retire_o) head_q <= head_q + 1'b1;
      count_q <= count_q + (IdxW + 1)'(alloc_i) - (IdxW + 1)'(retire_o);
    end
  end
endmodule
