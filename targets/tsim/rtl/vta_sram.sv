// A scratchpad: NumWr write ports with a byte-group mask each, NumRd synchronous read ports (data
// the cycle after the address, old data when the same row is written in the same cycle — users
// that need the new value forward it themselves). Contents are not reset, like the real SRAMs.
// Two write ports never write one row in the same cycle (the users guarantee it: ACC's second
// port belongs to the compute module's second pipe, kept off the first's rows); which write
// would win is left undefined.
module vta_sram #(
  parameter int unsigned Depth    = 16,
  parameter int unsigned Width    = 64,
  parameter int unsigned MaskBits = 1,   // write granule = Width / MaskBits bits
  parameter int unsigned NumRd    = 1,
  parameter int unsigned NumWr    = 1,
  localparam int unsigned AddrW   = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                        clk_i,
  input  logic [NumWr-1:0]                we_i,
  input  logic [NumWr-1:0][AddrW-1:0]     waddr_i,
  input  logic [NumWr-1:0][Width-1:0]     wdata_i,
  input  logic [NumWr-1:0][MaskBits-1:0]  wmask_i,
  input  logic [NumRd-1:0]            re_i,
  input  logic [NumRd-1:0][AddrW-1:0] raddr_i,
  output logic [NumRd-1:0][Width-1:0] rdata_o
);
  localparam int unsigned Granule = Width / MaskBits;

  logic [Width-1:0] mem_q [Depth];
  logic [NumRd-1:0][Width-1:0] rdata_q;

  // A masked write merges the enabled granules into the old row. The merge is formed inside the
  // clocked block, only in cycles that write: Verilator evaluates combinational logic every clock,
  // and a mask as wide as a WGT row (kilobits) cost a measurable share of each simulated cycle.
  always_ff @(posedge clk_i) begin
    for (int unsigned w = 0; w < NumWr; w++) begin
      if (we_i[w]) begin
        logic [Width-1:0] row;
        row = mem_q[waddr_i[w]];
        for (int unsigned m = 0; m < MaskBits; m++) begin
          if (wmask_i[w][m]) row[m*Granule +: Granule] = wdata_i[w][m*Granule +: Granule];
        end
        mem_q[waddr_i[w]] <= row;
      end
    end
  end

  // Each read port only moves data when enabled: wide buffers (WGT rows are kilobits) are then
  // cheap to simulate while idle.
  always_ff @(posedge clk_i) begin
    for (int unsigned r = 0; r < NumRd; r++) begin
      if (re_i[r]) rdata_q[r] <= mem_q[raddr_i[r]];
    end
  end

  assign rdata_o = rdata_q;
endmodule
