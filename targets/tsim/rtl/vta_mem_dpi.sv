// Wrapper of the upstream wide VTAMemDPI function (vta-isa.md §7.3, targets/tsim/README.md
// "Memory through VTAMemDPI"). Inputs are what the core drives during the cycle that ends at this
// edge; the read beat the function returns is registered, so the core sees it during the next
// cycle and takes it if it raises `rd_ready_i` then.
module vta_mem_dpi #(
  parameter int unsigned DataBits = 64
) (
  input  logic                  clk_i,
  input  logic                  rst_i,
  input  logic                  rd_req_valid_i,
  input  logic [7:0]            rd_req_len_i,
  input  logic [7:0]            rd_req_id_i,
  input  logic [63:0]           rd_req_addr_i,
  input  logic                  wr_req_valid_i,
  input  logic [7:0]            wr_req_len_i,
  input  logic [63:0]           wr_req_addr_i,
  input  logic                  wr_valid_i,
  input  logic [DataBits-1:0]   wr_data_i,
  input  logic [DataBits/8-1:0] wr_strb_i,
  output logic                  rd_valid_o,
  output logic [7:0]            rd_id_o,
  output logic [DataBits-1:0]   rd_data_o,
  input  logic                  rd_ready_i
);
  localparam int unsigned Words = DataBits / 64;

  import "DPI-C" function void VTAMemDPI(
    input  byte unsigned    rd_req_valid,
    input  byte unsigned    rd_req_len,
    input  byte unsigned    rd_req_id,
    input  longint unsigned rd_req_addr,
    input  byte unsigned    wr_req_valid,
    input  byte unsigned    wr_req_len,
    input  longint unsigned wr_req_addr,
    input  byte unsigned    wr_valid,
    input  longint unsigned wr_value[],
    input  longint unsigned wr_strb,
    output byte unsigned    rd_valid,
    output byte unsigned    rd_id,
    output longint unsigned rd_value[],
    input  byte unsigned    rd_ready
  );

  longint unsigned wr_words[Words];
  longint unsigned rd_words[Words];
  logic [63:0]     wr_strb64;

  always_comb begin
    for (int unsigned w = 0; w < Words; w++) wr_words[w] = wr_data_i[64*w +: 64];
  end
  assign wr_strb64 = 64'(wr_strb_i);

  always_ff @(posedge clk_i) begin : dpi_call
    byte unsigned valid_b;
    byte unsigned id_b;
    if (rst_i) begin
      rd_valid_o <= 1'b0;
      rd_id_o    <= 8'd0;
      rd_data_o  <= '0;
    end else begin
      VTAMemDPI({7'd0, rd_req_valid_i}, rd_req_len_i, rd_req_id_i, rd_req_addr_i,
                {7'd0, wr_req_valid_i}, wr_req_len_i, wr_req_addr_i,
                {7'd0, wr_valid_i}, wr_words, wr_strb64,
                valid_b, id_b, rd_words, {7'd0, rd_ready_i});
      rd_valid_o <= (valid_b != 8'd0);
      rd_id_o    <= id_b;
      for (int unsigned w = 0; w < Words; w++) rd_data_o[64*w +: 64] <= rd_words[w];
    end
  end
endmodule
