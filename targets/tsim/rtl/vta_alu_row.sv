// One ALU micro-op on one ACC element (vta-isa.md §5.5, fsim semantics): lane-wise R = op(A, B)
// with A = ACC[dst] and B = ACC[src] or the sign-extended immediate.
//
// en_i: compute only for an ALU iteration in the write-back stage, otherwise output 0 — the lanes
// are evaluated by Verilator on every clock, also during GEMMs and loads (simulation speed).
module vta_alu_row
  import vta_pkg::*;
(
  input  logic                     en_i,
  input  logic [2:0]               op_i,
  input  logic                     use_imm_i,
  input  logic [15:0]              imm_i,
  input  logic [ACC_ELEM_BITS-1:0] a_i,
  input  logic [ACC_ELEM_BITS-1:0] b_i,
  output logic [ACC_ELEM_BITS-1:0] r_o
);
  localparam int unsigned Lanes = BATCH * BLOCK_OUT;

  typedef logic signed [ACC_WIDTH-1:0] lane_t;

  // SHR: B >= 0 shifts right arithmetically (at most ACC_WIDTH-1), B < 0 shifts left by -B
  // (everything shifted out from -ACC_WIDTH on).
  function automatic lane_t shift(lane_t a, lane_t b);
    if (b >= 0) begin
      return (b >= lane_t'(ACC_WIDTH - 1)) ? (a >>> (ACC_WIDTH - 1)) : (a >>> b);
    end
    if (b <= -lane_t'(ACC_WIDTH)) return '0;
    return a << (-b);
  endfunction

  function automatic lane_t apply(logic [2:0] op, lane_t a, lane_t b);
    lane_t lo8a, lo8b;
    lo8a = lane_t'($signed(a[7:0]));
    lo8b = lane_t'($signed(b[7:0]));
    unique case (op)
      ALU_MIN: return (a < b) ? a : b;
      ALU_MAX: return (a > b) ? a : b;
      ALU_ADD: return a + b;
      ALU_SHR: return shift(a, b);
      // 4: MUL (upstream, low half of the product) or CLP (fork: max(min(A, B), -B))
      ALU_OP4: begin
        if (!ALU_FORK) return a * b;
        return ((a < b) ? a : b) > -b ? ((a < b) ? a : b) : -b;
      end
      ALU_OP5: return ALU_FORK ? b : a;                  // MOV (fork); undefined upstream
      ALU_OP6: return ALU_FORK ? lo8a * lo8b : a;        // MUL8 (fork); undefined upstream
      default: return a;                                 // undefined: ACC keeps its value
    endcase
  endfunction

  lane_t imm_ext;
  assign imm_ext = lane_t'($signed(imm_i));

  always_comb begin
    r_o = '0;
    if (en_i) for (int unsigned l = 0; l < Lanes; l++) begin
      r_o[l*ACC_WIDTH +: ACC_WIDTH] = apply(op_i, $signed(a_i[l*ACC_WIDTH +: ACC_WIDTH]),
                                            use_imm_i ? imm_ext : $signed(b_i[l*ACC_WIDTH +: ACC_WIDTH]));
    end
  end
endmodule
