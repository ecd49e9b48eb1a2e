// The data path of STORE (vta-isa.md §5.3, fsim semantics): reads ACC elements sram_base,
// sram_base+1, ... (contiguous), keeps the low OUT_WIDTH bits of every lane and writes row y to
// DRAM at (dram_base + y*x_stride) * OUT_ELEM_BYTES, in bus-aligned bursts with byte strobes.
// One unit (min(element, beat) bytes) per cycle: a beat per cycle for wide elements, an element
// per cycle for narrow ones.
module vta_tensor_writer
  import vta_pkg::*;
(
  input  logic                     clk_i,
  input  logic                     rst_i,
  input  logic                     start_i,
  input  logic [LOG_ACC_DEPTH-1:0] sram_base_i,
  input  logic [31:0]              dram_base_i,
  input  logic [15:0]              y_size_i,
  input  logic [15:0]              x_size_i,   // at least 1
  input  logic [15:0]              x_stride_i,
  input  logic [31:0]              base_addr_i,
  output logic                     busy_o,
  output logic                     acc_re_o,
  output logic [LOG_ACC_DEPTH-1:0] acc_raddr_o,
  input  logic                     acc_hold_i,  // row acc_raddr_o may not be read yet: wait
  input  logic [ACC_ELEM_BITS-1:0] acc_rdata_i,
  output logic                     wr_req_valid_o,
  output logic [31:0]              wr_req_addr_o,
  output logic [7:0]               wr_req_len_o,
  output logic                     wr_valid_o,
  output logic [DATA_BITS-1:0]     wr_data_o,
  output logic [BUS_BYTES-1:0]     wr_strb_o
);
  localparam int unsigned ElemBytes = OUT_ELEM_BYTES;
  localparam int unsigned UnitBytes = (ElemBytes < BUS_BYTES) ? ElemBytes : BUS_BYTES;
  localparam int unsigned UnitsPerElem = ElemBytes / UnitBytes;
  localparam int unsigned UnitsPerBeat = BUS_BYTES / UnitBytes;
  localparam int unsigned MaxBeats = (UnitsPerElem > 32) ? UnitsPerElem : 32;
  localparam int unsigned MaxUnits = MaxBeats * UnitsPerBeat;
  localparam int unsigned PosW = $clog2(MaxUnits) + 1;
  localparam int unsigned LogBus = $clog2(BUS_BYTES);
  localparam int unsigned LogUnit = $clog2(UnitBytes);
  localparam int unsigned LogUpe = $clog2(UnitsPerElem);
  localparam int unsigned LogUpb = $clog2(UnitsPerBeat);
  localparam int unsigned ChunkW = (LogUpe > 0) ? LogUpe : 1;
  localparam int unsigned LaneW = (LogUpb > 0) ? LogUpb : 1;
  localparam int unsigned Lanes = BATCH * BLOCK_OUT;

  // ---- G: unit generator
  logic                     gen_q;        // rows or bursts left
  logic                     in_burst_q;
  logic [15:0]              rows_left_q;  // rows after the current one
  logic [31:0]              row_elem_q;   // dram_base + y*x_stride
  logic [31:0]              addr_q;       // byte address of the next element of the row
  logic [15:0]              rem_q;        // elements of the row not yet in a burst
  logic [LOG_ACC_DEPTH-1:0] src_q;
  logic [ChunkW-1:0]        chunk_q;
  logic [PosW-1:0]          pos_q, end_q;
  logic                     first_q;
  logic [31:0]              burst_addr_q;
  logic [7:0]               burst_len_q;

  logic [PosW-1:0] first_unit, fit_elems, burst_elems, burst_end, burst_beats;
  // At most 256 beats per burst, so the AXI-style length keeps only its low 8 bits.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [PosW-1:0] burst_len;
  /* verilator lint_on UNUSEDSIGNAL */
  always_comb begin
    first_unit  = PosW'(addr_q[LogBus-1:0]) >> LogUnit;
    fit_elems   = (PosW'(MaxUnits) - first_unit) >> LogUpe;
    burst_elems = (32'(rem_q) < 32'(fit_elems)) ? PosW'(rem_q) : fit_elems;
    burst_end   = first_unit + (burst_elems << LogUpe);
    burst_beats = (burst_end + PosW'(UnitsPerBeat - 1)) >> LogUpb;
    burst_len   = burst_beats - PosW'(1);
  end

  logic            unit_valid, unit_last_beat, unit_last_burst;
  logic [LaneW-1:0] unit_lane;
  assign unit_valid      = in_burst_q && !acc_hold_i;
  // Which unit of the beat: always 0 when a unit fills the whole beat.
  assign unit_lane       = (LogUpb > 0) ? LaneW'(pos_q) : '0;
  assign unit_last_burst = (pos_q + PosW'(1) == end_q);
  assign unit_last_beat  = unit_last_burst || (32'(unit_lane) == UnitsPerBeat - 1);

  logic [31:0] next_row_elem;
  assign next_row_elem = row_elem_q + 32'(x_stride_i);

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      gen_q <= 1'b0;
      in_burst_q <= 1'b0;
      rows_left_q <= 16'd0;
      row_elem_q <= 32'd0;
      addr_q <= 32'd0;
      rem_q <= 16'd0;
      src_q <= '0;
      chunk_q <= '0;
      pos_q <= '0;
      end_q <= '0;
      first_q <= 1'b0;
      burst_addr_q <= 32'd0;
      burst_len_q <= 8'd0;
    end else if (start_i) begin
      gen_q       <= (y_size_i != 16'd0) && (x_size_i != 16'd0);
      rows_left_q <= y_size_i - 16'd1;
      row_elem_q  <= dram_base_i;
      addr_q      <= base_addr_i | (dram_base_i * ElemBytes);
      rem_q       <= x_size_i;
      src_q       <= sram_base_i;
      chunk_q     <= '0;
    end else if (in_burst_q) begin
      // The row may still be written by the compute module (vta_compute.sv, st_hold_o).
      if (!acc_hold_i) begin
        pos_q   <= pos_q + PosW'(1);
        first_q <= 1'b0;
        if (32'(chunk_q) == UnitsPerElem - 1) begin
          chunk_q <= '0;
          src_q   <= src_q + 1'b1;
        end else begin
          chunk_q <= chunk_q + 1'b1;
        end
        if (unit_last_burst) in_burst_q <= 1'b0;
      end
    end else if (gen_q) begin
      if (rem_q != 16'd0) begin
        in_burst_q   <= 1'b1;
        pos_q        <= first_unit;
        end_q        <= burst_end;
        first_q      <= 1'b1;
        burst_addr_q <= {addr_q[31:LogBus], {LogBus{1'b0}}};
        burst_len_q  <= 8'(burst_len);
        addr_q       <= addr_q + 32'(burst_elems) * ElemBytes;
        rem_q        <= rem_q - 16'(burst_elems);
      end else if (rows_left_q != 16'd0) begin
        rows_left_q <= rows_left_q - 16'd1;
        row_elem_q  <= next_row_elem;
        addr_q      <= base_addr_i | (next_row_elem * ElemBytes);
        rem_q       <= x_size_i;
      end else begin
        gen_q <= 1'b0;
      end
    end
  end

  assign acc_re_o    = unit_valid;
  assign acc_raddr_o = src_q;

  // ---- A: the ACC row is here; place the unit into the beat
  logic                   a_valid_q, a_first_q, a_last_beat_q;
  logic [LaneW-1:0]       a_lane_q;
  logic [ChunkW-1:0]      a_chunk_q;
  logic [31:0]            a_addr_q;
  logic [7:0]             a_len_q;
  logic [DATA_BITS-1:0]   beat_data_q, beat_data;
  logic [BUS_BYTES-1:0]   beat_strb_q, beat_strb;
  logic [ElemBytes*8-1:0] out_elem;
  logic [UnitBytes*8-1:0] out_unit;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      a_valid_q <= 1'b0;
      beat_strb_q <= '0;
    end else begin
      a_valid_q <= unit_valid;
      if (a_valid_q) beat_strb_q <= a_last_beat_q ? '0 : beat_strb;
    end
    a_first_q     <= first_q;
    a_last_beat_q <= unit_last_beat;
    a_lane_q      <= unit_lane;
    a_chunk_q     <= chunk_q;
    a_addr_q      <= burst_addr_q;
    a_len_q       <= burst_len_q;
    if (a_valid_q) beat_data_q <= beat_data;
  end

  always_comb begin
    for (int unsigned l = 0; l < Lanes; l++) begin
      out_elem[l*OUT_WIDTH +: OUT_WIDTH] = acc_rdata_i[l*ACC_WIDTH +: OUT_WIDTH];
    end
    out_unit  = out_elem[32'(a_chunk_q) * UnitBytes * 8 +: UnitBytes * 8];
    beat_data = beat_data_q;
    beat_data[32'(a_lane_q) * UnitBytes * 8 +: UnitBytes * 8] = out_unit;
    beat_strb = beat_strb_q;
    beat_strb[32'(a_lane_q) * UnitBytes +: UnitBytes] = '1;
  end

  assign wr_req_valid_o = a_valid_q && a_first_q;
  assign wr_req_addr_o  = a_addr_q;
  assign wr_req_len_o   = a_len_q;
  assign wr_valid_o     = a_valid_q && a_last_beat_q;
  assign wr_data_o      = beat_data;
  assign wr_strb_o      = beat_strb;

  assign busy_o = gen_q || in_burst_q || a_valid_q;
endmodule
