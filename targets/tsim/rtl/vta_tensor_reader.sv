// Reads runs of consecutive DRAM elements and hands them out in pieces ("units") tagged with the
// destination element index. A unit is min(element, bus beat) bytes: a wide element arrives as
// several units (its chunks, in order), a beat of narrow elements yields one unit per element.
//
// A job (byte address, element count, first destination index) is split into bursts aligned to
// the bus. Every burst gets its own id slot with the destination of its first unit, so bursts
// may be answered in any order and interleaved — only the beats of one burst must be in order
// (the VTAMemDPI contract). Up to NumSlots bursts are outstanding.
module vta_tensor_reader #(
  parameter int unsigned ElemBytes = 16,
  parameter int unsigned BusBytes  = 8,
  parameter int unsigned IdxW      = 11,
  parameter int unsigned ClientId  = 0,   // upper id bits: which client a beat belongs to
  parameter int unsigned NumSlots  = 16,  // id bits below the client id
  localparam int unsigned UnitBytes = (ElemBytes < BusBytes) ? ElemBytes : BusBytes,
  localparam int unsigned UnitsPerElem = ElemBytes / UnitBytes,
  localparam int unsigned ChunkW = (UnitsPerElem > 1) ? $clog2(UnitsPerElem) : 1,
  localparam int unsigned SlotW = $clog2(NumSlots)
) (
  input  logic                   clk_i,
  input  logic                   rst_i,
  // jobs
  input  logic                   job_valid_i,
  output logic                   job_ready_o,
  input  logic [31:0]            job_addr_i,   // byte address of the first element
  input  logic [15:0]            job_count_i,  // elements, at least 1
  input  logic [IdxW-1:0]        job_dst_i,
  // read requests (one per cycle is granted)
  output logic                   req_valid_o,
  input  logic                   req_grant_i,
  output logic [31:0]            req_addr_o,
  output logic [7:0]             req_len_o,
  output logic [7:0]             req_id_o,
  // read beats addressed to this client
  input  logic                   rsp_valid_i,
  input  logic [SlotW-1:0]       rsp_slot_i,
  input  logic [BusBytes*8-1:0]  rsp_data_i,
  output logic                   rsp_ready_o,
  // units, one per cycle, never back-pressured
  output logic                   out_valid_o,
  output logic [IdxW-1:0]        out_idx_o,
  output logic [ChunkW-1:0]      out_chunk_o,
  output logic [UnitBytes*8-1:0] out_data_o,
  output logic                   idle_o
);
  localparam int unsigned UnitsPerBeat = BusBytes / UnitBytes;
  // Bursts of at most 32 beats, but never less than one element.
  localparam int unsigned MaxBeats = (UnitsPerElem > 32) ? UnitsPerElem : 32;
  localparam int unsigned MaxUnits = MaxBeats * UnitsPerBeat;
  localparam int unsigned PosW = $clog2(MaxUnits) + 1;
  localparam int unsigned LogBus = $clog2(BusBytes);
  localparam int unsigned LogUnit = $clog2(UnitBytes);
  localparam int unsigned LogUpe = $clog2(UnitsPerElem);
  localparam int unsigned LogUpb = $clog2(UnitsPerBeat);
  localparam int unsigned LaneW = (LogUpb > 0) ? LogUpb : 1;

  if (MaxBeats > 256) begin : gen_too_wide
    $error("vta_tensor_reader: an element needs more than 256 beats");
  end

  // ---- splitting jobs into bursts
  logic            active_q;
  logic [31:0]     addr_q;
  logic [15:0]     rem_q;
  logic [IdxW-1:0] dst_q;

  logic [PosW-1:0] first_unit;   // unit offset of the first element inside the first beat
  logic [PosW-1:0] burst_elems;  // elements in the burst being offered
  logic [PosW-1:0] burst_end;    // first_unit + units of those elements
  logic [PosW-1:0] burst_beats;
  logic [PosW-1:0] fit_elems;
  // At most 256 beats per burst, so the AXI-style length keeps only its low 8 bits.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [PosW-1:0] burst_len;
  /* verilator lint_on UNUSEDSIGNAL */

  // slot table
  logic [NumSlots-1:0] slot_busy_q;
  logic [IdxW-1:0]     slot_dst_q [NumSlots];
  logic [PosW-1:0]     slot_first_q [NumSlots];
  logic [PosW-1:0]     slot_end_q [NumSlots];
  logic [PosW-1:0]     slot_pos_q [NumSlots];  // unit position of the next beat's first unit
  logic [SlotW-1:0]    free_slot;
  logic                have_free;

  // The slot search and the burst arithmetic matter only while a job is being split (active_q):
  // outside that they are held at 0 so Verilator, which evaluates them every clock, skips the work
  // for the many idle readers (six clients, most idle at any time).
  always_comb begin
    free_slot = '0;
    have_free = 1'b0;
    if (active_q) begin
      for (int s = NumSlots - 1; s >= 0; s--) begin
        if (!slot_busy_q[s]) begin
          free_slot = SlotW'(s);
          have_free = 1'b1;
        end
      end
    end
  end

  always_comb begin
    first_unit  = '0;
    fit_elems   = '0;
    burst_elems = '0;
    burst_end   = '0;
    burst_beats = '0;
    burst_len   = '0;
    if (active_q) begin
      first_unit  = PosW'(addr_q[LogBus-1:0]) >> LogUnit;
      fit_elems   = (PosW'(MaxUnits) - first_unit) >> LogUpe;
      burst_elems = (32'(rem_q) < 32'(fit_elems)) ? PosW'(rem_q) : fit_elems;
      burst_end   = first_unit + (burst_elems << LogUpe);
      burst_beats = (burst_end + PosW'(UnitsPerBeat - 1)) >> LogUpb;
      burst_len   = burst_beats - PosW'(1);
    end
  end

  assign job_ready_o = !active_q;
  assign req_valid_o = active_q && have_free;
  assign req_addr_o  = {addr_q[31:LogBus], {LogBus{1'b0}}};
  assign req_len_o   = 8'(burst_len);
  assign req_id_o    = 8'((ClientId << SlotW) | 32'(free_slot));

  // ---- the beat being unpacked
  logic                   buf_valid_q;
  logic [BusBytes*8-1:0]  buf_data_q;
  logic [IdxW-1:0]        buf_dst_q;    // destination of relative unit 0
  logic [PosW-1:0]        buf_rel_q;    // relative unit (from the burst's first unit) now emitted
  logic [PosW-1:0]        buf_left_q;   // units of this beat still to emit
  logic [LaneW-1:0]       buf_lane_q;   // which unit of the beat
  logic                   emit_last;
  logic                   take;

  assign emit_last   = buf_valid_q && (buf_left_q == PosW'(1));
  assign rsp_ready_o = !buf_valid_q || emit_last;
  assign take        = rsp_valid_i && rsp_ready_o;

  // Units of the arriving beat: from max(first, pos) to min(end, pos + per beat). Only looked up
  // when a beat arrives (0 otherwise; simulation speed, as above).
  logic [PosW-1:0] in_pos, in_first, in_end, in_lo, in_hi;
  always_comb begin
    in_pos   = '0;
    in_first = '0;
    in_end   = '0;
    if (rsp_valid_i) begin
      in_pos   = slot_pos_q[rsp_slot_i];
      in_first = slot_first_q[rsp_slot_i];
      in_end   = slot_end_q[rsp_slot_i];
    end
    in_lo    = (in_pos < in_first) ? in_first : in_pos;
    in_hi    = (in_end < in_pos + PosW'(UnitsPerBeat)) ? in_end : in_pos + PosW'(UnitsPerBeat);
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      active_q    <= 1'b0;
      addr_q      <= 32'd0;
      rem_q       <= 16'd0;
      dst_q       <= '0;
      slot_busy_q <= '0;
      buf_valid_q <= 1'b0;
      buf_data_q  <= '0;
      buf_dst_q   <= '0;
      buf_rel_q   <= '0;
      buf_left_q  <= '0;
      buf_lane_q  <= '0;
    end else begin
      if (job_valid_i && job_ready_o) begin
        active_q <= (job_count_i != 16'd0);
        addr_q   <= job_addr_i;
        rem_q    <= job_count_i;
        dst_q    <= job_dst_i;
      end else if (req_valid_o && req_grant_i) begin
        slot_busy_q[free_slot]  <= 1'b1;
        slot_dst_q[free_slot]   <= dst_q;
        slot_first_q[free_slot] <= first_unit;
        slot_end_q[free_slot]   <= burst_end;
        slot_pos_q[free_slot]   <= '0;
        addr_q   <= addr_q + 32'(burst_elems) * ElemBytes;
        rem_q    <= rem_q - 16'(burst_elems);
        dst_q    <= dst_q + IdxW'(burst_elems);
        active_q <= (rem_q != 16'(burst_elems));
      end

      if (buf_valid_q) begin
        buf_rel_q  <= buf_rel_q + 1'b1;
        buf_left_q <= buf_left_q - 1'b1;
        buf_lane_q <= buf_lane_q + 1'b1;
      end
      if (take) begin
        buf_valid_q <= 1'b1;
        buf_data_q  <= rsp_data_i;
        buf_dst_q   <= slot_dst_q[rsp_slot_i];
        buf_rel_q   <= in_lo - in_first;
        buf_left_q  <= in_hi - in_lo;
        buf_lane_q  <= LaneW'(in_lo - in_pos);
        slot_pos_q[rsp_slot_i] <= in_pos + PosW'(UnitsPerBeat);
        // The slot is free again once its last beat is in the buffer.
        if (in_pos + PosW'(UnitsPerBeat) >= in_end) slot_busy_q[rsp_slot_i] <= 1'b0;
      end else if (emit_last) begin
        buf_valid_q <= 1'b0;
      end
    end
  end

  assign out_valid_o = buf_valid_q;
  // Destination indices wrap modulo the scratchpad depth (like Chisel), so high bits may go unused.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [PosW-1:0] rel_elem;
  /* verilator lint_on UNUSEDSIGNAL */
  assign rel_elem    = buf_rel_q >> LogUpe;
  assign out_idx_o   = buf_dst_q + IdxW'(rel_elem);
  assign out_chunk_o = ChunkW'(buf_rel_q & PosW'(UnitsPerElem - 1));
  assign out_data_o  = buf_data_q[32'(buf_lane_q) * UnitBytes * 8 +: UnitBytes * 8];
  assign idle_o      = !active_q && (slot_busy_q == '0) && !buf_valid_q;
endmodule
