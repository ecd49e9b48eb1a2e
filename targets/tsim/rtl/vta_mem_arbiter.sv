// Shares the one VTAMemDPI read channel between the read clients: a round-robin choice of one
// request per cycle (the shell accepts every request), and read beats routed back by the
// client number in the upper bits of their id.
module vta_mem_arbiter #(
  parameter int unsigned NumClients = 6,
  parameter int unsigned SlotW      = 4,
  localparam int unsigned ClientW   = $clog2(NumClients)
) (
  input  logic                             clk_i,
  input  logic                             rst_i,
  input  logic [NumClients-1:0]            req_valid_i,
  output logic [NumClients-1:0]            req_grant_o,
  input  logic [NumClients-1:0][31:0]      req_addr_i,
  input  logic [NumClients-1:0][7:0]       req_len_i,
  input  logic [NumClients-1:0][7:0]       req_id_i,
  output logic                             rd_req_valid_o,
  output logic [63:0]                      rd_req_addr_o,
  output logic [7:0]                       rd_req_len_o,
  output logic [7:0]                       rd_req_id_o,
  input  logic                             rd_valid_i,
  input  logic [7:0]                       rd_id_i,
  output logic                             rd_ready_o,
  output logic [NumClients-1:0]            rsp_valid_o,
  output logic [SlotW-1:0]                 rsp_slot_o,
  input  logic [NumClients-1:0]            rsp_ready_i
);
  logic [ClientW-1:0] last_q;
  logic [ClientW-1:0] pick;
  logic               any;

  // First requesting client after the one granted last. The wrap is a subtraction, not `%`, and
  // the search runs only when someone requests: Verilator evaluates this every clock, and a
  // division per client per cycle was a measurable share of a simulated cycle.
  always_comb begin
    int unsigned c;
    c    = 0;
    pick = last_q;
    any  = 1'b0;
    if (req_valid_i != '0) begin
      for (int unsigned k = 1; k <= NumClients; k++) begin
        c = 32'(last_q) + k;
        if (c >= NumClients) c = c - NumClients;
        if (!any && req_valid_i[c]) begin
          pick = ClientW'(c);
          any  = 1'b1;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) last_q <= '0;
    else if (any) last_q <= pick;
  end

  always_comb begin
    req_grant_o = '0;
    if (any) req_grant_o[pick] = 1'b1;
  end

  assign rd_req_valid_o = any;
  assign rd_req_addr_o  = 64'(req_addr_i[pick]);
  assign rd_req_len_o   = req_len_i[pick];
  assign rd_req_id_o    = req_id_i[pick];

  // Beats: the client is id[7:SlotW]; ids of no client are taken and dropped.
  logic [7-SlotW:0] owner;
  assign owner      = rd_id_i[7:SlotW];
  assign rsp_slot_o = rd_id_i[SlotW-1:0];
  always_comb begin
    rsp_valid_o = '0;
    rd_ready_o  = 1'b1;
    for (int unsigned c = 0; c < NumClients; c++) begin
      if (32'(owner) == c) begin
        rsp_valid_o[c] = rd_valid_i;
        rd_ready_o     = rsp_ready_i[c];
      end
    end
  end
endmodule
