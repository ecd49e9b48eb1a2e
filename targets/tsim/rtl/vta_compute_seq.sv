// Control of the compute module with one pipe (vta_compute.sv, DualPipe = 0): one instruction at a
// time, pop tokens -> execute (a load or pipe A) -> retire, pushes the cycle after the retire.
// Kept as it was before the second pipe: configurations with the on-board trace unit use it, and
// that unit digests the ACC writes of one compute instruction at a time.
module vta_compute_seq
  import vta_pkg::*;
(
  input  logic                 clk_i,
  input  logic                 rst_i,
  input  logic                 q_empty_i,
  input  logic [INSN_BITS-1:0] q_head_i,
  output logic                 q_pop_o,
  // the waiting instruction (insn_o), decoded by vta_compute
  input  logic                 tokens_ok_i,
  input  logic                 is_load_i,
  input  logic                 is_nop_i,
  output logic                 take_tokens_o,  // pop the tokens it waits for
  output logic                 start_load_o,
  output logic                 start_pipe_o,
  output logic                 cmp2ld_push_o,
  output logic                 cmp2st_push_o,
  input  logic                 loads_busy_i,
  input  logic                 pipe_busy_i,
  // status (vta_compute's probe points)
  output logic [1:0]           state_o,
  output logic [INSN_BITS-1:0] insn_o,
  output logic                 retire_o,
  output logic [INSN_BITS-1:0] retired_o,
  output logic                 complete_o,
  output logic                 busy_o
);
  typedef enum logic [1:0] {StIdle = 2'd0, StToken = 2'd1, StExec = 2'd2} state_e;

  state_e               state_q, state_d;
  logic [INSN_BITS-1:0] insn_q;     // the instruction waiting to start or executing
  logic                 retire_q, retire_d;
  logic [INSN_BITS-1:0] retired_q;  // the instruction retire_q announces (insn_q may be the next)

  always_comb begin
    state_d       = state_q;
    retire_d      = 1'b0;
    q_pop_o       = 1'b0;
    take_tokens_o = 1'b0;
    start_load_o  = 1'b0;
    start_pipe_o  = 1'b0;
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
          if (is_nop_i) begin
            retire_d = 1'b1;  // also FINISH
            // Hand over to the next instruction in the same cycle.
            q_pop_o = !q_empty_i;
            state_d = q_empty_i ? StIdle : StToken;
          end else begin
            start_load_o = is_load_i;
            start_pipe_o = !is_load_i;
            state_d      = StExec;
          end
        end
      end
      StExec: begin
        if (!loads_busy_i && !pipe_busy_i) begin
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

  // Every instruction completes in the cycle it decides to retire: all its writes are group 0.
  assign complete_o    = retire_d;
  assign cmp2ld_push_o = retire_q && retired_q[HDR_PUSH_PREV_DEP_LSB];
  assign cmp2st_push_o = retire_q && retired_q[HDR_PUSH_NEXT_DEP_LSB];
  assign busy_o        = (state_q == StExec);
  assign state_o       = state_q;
  assign insn_o        = insn_q;
  assign retire_o      = retire_q;
  assign retired_o     = retired_q;
endmodule
