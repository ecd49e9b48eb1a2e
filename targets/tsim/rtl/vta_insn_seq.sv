// The instruction sequencer of a module that runs one instruction at a time (vta_load, vta_store,
// vta_compute with one pipe): IDLE -> pop the head of the queue -> WAIT_TOKEN -> EXEC -> retire,
// taking the next instruction from the queue in the retire cycle. What differs between the
// modules stays with them: they decode the waiting instruction (insn_o) into tokens_ok_i and
// is_nop_i, choose which unit start_o starts and which token queues take_tokens_o pops, say
// through exec_busy_i when EXEC is over, and push from retire_o / retired_o. One copy of this
// control keeps the modules' timing the same by construction.
module vta_insn_seq
  import vta_pkg::*;
(
  input  logic                 clk_i,
  input  logic                 rst_i,
  // instruction queue
  input  logic                 q_empty_i,
  input  logic [INSN_BITS-1:0] q_head_i,
  output logic                 q_pop_o,
  // the waiting instruction, decoded by the module
  input  logic                 tokens_ok_i,    // every token queue it pops from is non-empty
  input  logic                 is_nop_i,       // nothing to execute: retire straight from WAIT_TOKEN
  input  logic                 exec_busy_i,    // the started unit still runs
  output logic                 take_tokens_o,  // the cycle its tokens are popped
  output logic                 start_o,        // the cycle its unit starts (not for a NOP)
  output logic [INSN_BITS-1:0] insn_o,         // waiting to start or executing
  // retire: decided in one cycle (retiring_o), announced in the next (retire_o with retired_o,
  // the instruction it announces: insn_o may already hold the next one). Pushes follow retire_o.
  output logic                 retiring_o,
  output logic                 retire_o,
  output logic [INSN_BITS-1:0] retired_o,
  // status: 0 IDLE, 1 WAIT_TOKEN, 2 EXEC (the probe map's state names)
  output logic [1:0]           state_o,
  output logic                 busy_o
);
  typedef enum logic [1:0] {StIdle = 2'd0, StToken = 2'd1, StExec = 2'd2} state_e;

  state_e               state_q, state_d;
  logic [INSN_BITS-1:0] insn_q;
  logic                 retire_q, retire_d;
  logic [INSN_BITS-1:0] retired_q;

  always_comb begin
    state_d       = state_q;
    retire_d      = 1'b0;
    q_pop_o       = 1'b0;
    take_tokens_o = 1'b0;
    start_o       = 1'b0;
    unique case (state_q)
      StIdle: begin
        if (!q_empty_i) begin
          q_pop_o = 1'b1;
          state_d = StToken;
        end
      end
      StToken: begin
        if (tokens_ok_i) begin
          take_tokens_o = 1'b1;
          retire_d      = is_nop_i;  // a NOP (and FINISH) retires straight from WAIT_TOKEN
          start_o       = !is_nop_i;
          state_d       = StExec;
        end
      end
      StExec:  retire_d = !exec_busy_i;
      default: state_d  = StIdle;
    endcase
    // A retiring instruction hands over to the next one in the same cycle (no IDLE cycle between).
    if (retire_d) begin
      q_pop_o = !q_empty_i;
      state_d = q_empty_i ? StIdle : StToken;
    end
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

  assign insn_o     = insn_q;
  assign retiring_o = retire_d;
  assign retire_o   = retire_q;
  assign retired_o  = retired_q;
  assign state_o    = state_q;
  assign busy_o     = (state_q == StExec);
endmodule
