// Executes the data movement of one LOAD into one scratchpad (vta-isa.md §5.2): every data row
// becomes a reader job (its elements land wherever their bursts say, in any order), while a
// walker writes the padding elements around them in the cycles the reader leaves the write port
// free. `busy_o` drops once every element of the instruction has been written.
module vta_tensor_load #(
  parameter int unsigned SrcBytes = 16,   // element size in DRAM
  parameter int unsigned DstBits  = 128,  // element size in the scratchpad
  parameter int unsigned LaneBits = 8,    // lane width, for the most-negative pad value
  parameter bit          Widen    = 1'b0, // ACC_8BIT: sign-extend each DRAM byte to 32 bits
  parameter int unsigned BusBytes = 8,
  parameter int unsigned IdxW     = 11,
  parameter int unsigned ClientId = 0,
  parameter int unsigned NumSlots = 16,
  localparam int unsigned DstBytes = DstBits / 8,
  localparam int unsigned MaskBits = (DstBytes > 8) ? DstBytes / 8 : 1,
  localparam int unsigned SlotW = $clog2(NumSlots)
) (
  input  logic                  clk_i,
  input  logic                  rst_i,
  // the instruction (held stable while busy)
  input  logic                  start_i,
  input  logic [15:0]           sram_base_i,
  input  logic [31:0]           dram_base_i,
  input  logic [15:0]           y_size_i,
  input  logic [15:0]           x_size_i,
  input  logic [15:0]           x_stride_i,
  input  logic [3:0]            y_pad_0_i,
  input  logic [3:0]            y_pad_1_i,
  input  logic [3:0]            x_pad_0_i,
  input  logic [3:0]            x_pad_1_i,
  input  logic                  pad_min_i,
  input  logic [31:0]           base_addr_i,  // VCR base register, OR-ed like upstream
  output logic                  busy_o,
  // memory
  output logic                  req_valid_o,
  input  logic                  req_grant_i,
  output logic [31:0]           req_addr_o,
  output logic [7:0]            req_len_o,
  output logic [7:0]            req_id_o,
  input  logic                  rsp_valid_i,
  input  logic [SlotW-1:0]      rsp_slot_i,
  input  logic [BusBytes*8-1:0] rsp_data_i,
  output logic                  rsp_ready_o,
  // scratchpad write port
  output logic                  we_o,
  output logic [IdxW-1:0]       widx_o,
  output logic [DstBits-1:0]    wdata_o,
  output logic [MaskBits-1:0]   wmask_o
);
  localparam int unsigned UnitBytes = (SrcBytes < BusBytes) ? SrcBytes : BusBytes;
  localparam int unsigned UnitsPerElem = SrcBytes / UnitBytes;
  localparam int unsigned ChunkW = (UnitsPerElem > 1) ? $clog2(UnitsPerElem) : 1;
  localparam int unsigned DstUnitBytes = Widen ? 4 * UnitBytes : UnitBytes;
  localparam int unsigned UnitMaskW = (DstUnitBytes >= 8) ? DstUnitBytes / 8 : 1;
  function automatic logic [MaskBits-1:0] low_ones(int unsigned n);
    logic [MaskBits-1:0] m;
    m = '0;
    for (int unsigned i = 0; i < MaskBits; i++) m[i] = (i < n);
    return m;
  endfunction
  localparam logic [MaskBits-1:0] UnitMask = low_ones(UnitMaskW);

  // ---- row jobs
  logic            run_q;
  logic            rows_left_q;   // data rows not yet handed to the reader
  logic [15:0]     row_q;
  logic [31:0]     row_elem_q;    // dram_base + row * x_stride, in elements
  logic [IdxW-1:0] row_dst_q;
  logic [IdxW-1:0] row_len;
  logic [31:0]     row_addr_raw;
  logic            job_valid, job_ready;

  assign row_len      = IdxW'(32'(x_pad_0_i) + 32'(x_size_i) + 32'(x_pad_1_i));
  assign row_addr_raw = row_elem_q * SrcBytes;
  assign job_valid    = run_q && rows_left_q;

  // ---- padding walker over (r, col) of the whole destination block
  logic            pad_left_q;
  logic [16:0]     pad_r_q;
  logic [16:0]     pad_c_q;
  logic [IdxW-1:0] pad_idx_q;
  logic [16:0]     rows_total, cols_total, data_r_end;
  logic            pad_in_data_row, pad_at_data;

  assign rows_total = 17'(y_pad_0_i) + 17'(y_size_i) + 17'(y_pad_1_i);
  assign cols_total = 17'(x_pad_0_i) + 17'(x_size_i) + 17'(x_pad_1_i);
  assign data_r_end = 17'(y_pad_0_i) + 17'(y_size_i);
  assign pad_in_data_row = (pad_r_q >= 17'(y_pad_0_i)) && (pad_r_q < data_r_end);
  assign pad_at_data = pad_in_data_row && (pad_c_q == 17'(x_pad_0_i)) && (x_size_i != 16'd0);

  // ---- reader
  logic                   unit_valid;
  logic [IdxW-1:0]        unit_idx;
  logic [ChunkW-1:0]      unit_chunk;
  logic [UnitBytes*8-1:0] unit_data;
  logic                   reader_idle;

  vta_tensor_reader #(
    .ElemBytes(SrcBytes), .BusBytes(BusBytes), .IdxW(IdxW), .ClientId(ClientId), .NumSlots(NumSlots)
  ) u_reader (
    .clk_i, .rst_i,
    .job_valid_i(job_valid), .job_ready_o(job_ready),
    .job_addr_i(base_addr_i | row_addr_raw), .job_count_i(x_size_i), .job_dst_i(row_dst_q),
    .req_valid_o, .req_grant_i, .req_addr_o, .req_len_o, .req_id_o,
    .rsp_valid_i, .rsp_slot_i, .rsp_data_i, .rsp_ready_o,
    .out_valid_o(unit_valid), .out_idx_o(unit_idx), .out_chunk_o(unit_chunk), .out_data_o(unit_data),
    .idle_o(reader_idle)
  );

  // The walker writes only in cycles the reader does not (data has priority: it cannot wait).
  logic pad_write;
  assign pad_write = run_q && pad_left_q && !unit_valid && !pad_at_data;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      run_q       <= 1'b0;
      rows_left_q <= 1'b0;
      row_q       <= 16'd0;
      row_elem_q  <= 32'd0;
      row_dst_q   <= '0;
      pad_left_q  <= 1'b0;
      pad_r_q     <= 17'd0;
      pad_c_q     <= 17'd0;
      pad_idx_q   <= '0;
    end else if (start_i) begin
      run_q       <= 1'b1;
      rows_left_q <= (y_size_i != 16'd0) && (x_size_i != 16'd0);
      row_q       <= 16'd0;
      row_elem_q  <= dram_base_i;
      row_dst_q   <= IdxW'(32'(sram_base_i) + 32'(y_pad_0_i) * 32'(row_len) + 32'(x_pad_0_i));
      pad_left_q  <= (rows_total != 17'd0) && (cols_total != 17'd0);
      pad_r_q     <= 17'd0;
      pad_c_q     <= 17'd0;
      pad_idx_q   <= IdxW'(sram_base_i);
    end else if (run_q) begin
      if (job_valid && job_ready) begin
        row_q       <= row_q + 16'd1;
        row_elem_q  <= row_elem_q + 32'(x_stride_i);
        row_dst_q   <= row_dst_q + row_len;
        rows_left_q <= (row_q + 16'd1 != y_size_i);
      end
      if (pad_left_q && (pad_write || pad_at_data)) begin
        // A data run is skipped in one step; a pad element is written and passed.
        logic [16:0] step;
        step = pad_at_data ? 17'(x_size_i) : 17'd1;
        if (pad_c_q + step >= cols_total) begin
          pad_c_q    <= 17'd0;
          pad_r_q    <= pad_r_q + 17'd1;
          pad_left_q <= (pad_r_q + 17'd1 != rows_total);
        end else begin
          pad_c_q <= pad_c_q + step;
        end
        pad_idx_q <= pad_idx_q + IdxW'(step);
      end
      if (!rows_left_q && !pad_left_q && reader_idle) run_q <= 1'b0;
    end
  end

  assign busy_o = run_q;

  // ---- the write port
  // Data and padding are both formed one unit wide and replicated across the element (the mask
  // picks the granules a data unit writes; padding writes all): a unit holds whole lanes, so the
  // replicated pad unit is the padded element. One wide replication per cycle instead of a wide
  // pad value plus a wide multiplexer — Verilator evaluates these every clock (simulation speed).
  localparam int unsigned UnitLanes = DstUnitBytes * 8 / LaneBits;
  logic [DstUnitBytes*8-1:0] dst_unit;
  logic [DstUnitBytes*8-1:0] pad_unit;

  if (Widen) begin : gen_widen
    always_comb begin
      for (int unsigned b = 0; b < UnitBytes; b++) begin
        dst_unit[32*b +: 32] = 32'($signed(unit_data[8*b +: 8]));
      end
    end
  end else begin : gen_plain
    assign dst_unit = unit_data;
  end

  always_comb begin
    for (int unsigned l = 0; l < UnitLanes; l++) begin
      pad_unit[l*LaneBits +: LaneBits] = pad_min_i ? {1'b1, {(LaneBits-1){1'b0}}} : '0;
    end
  end

  always_comb begin
    we_o    = 1'b0;
    widx_o  = pad_idx_q;
    wdata_o = {(DstBits / (DstUnitBytes * 8)){unit_valid ? dst_unit : pad_unit}};
    wmask_o = '1;
    if (unit_valid) begin
      we_o    = 1'b1;
      widx_o  = unit_idx;
      if (MaskBits > 1) begin
        wmask_o = UnitMask << (32'(unit_chunk) * UnitMaskW);
      end
    end else if (pad_write) begin
      we_o = 1'b1;
    end
  end
endmodule
