// The three functions the upstream tsim shell imports (vta-isa.md §7.3), with upstream's names and
// argument lists, so RTL that uses upstream's own DPI wrappers links here unchanged. They only
// translate arguments; the behaviour lives in Simulator, HostPort and the memory model.
#include <cstdint>

#include "Vtsim__Dpi.h"
#include "simulator.h"
#include "svdpi.h"

using tsim::g_simulator;

namespace {
// Word w of an open array of 64-bit words (word w = data bits [64w+63:64w]).
uint64_t* word(const svOpenArrayHandle h, int w) {
  const int low = svLeft(h, 1) < svRight(h, 1) ? svLeft(h, 1) : svRight(h, 1);
  return static_cast<uint64_t*>(svGetArrElemPtr1(h, low + w));
}
}  // namespace

void VTASimDPI(unsigned char* sim_wait, unsigned char* sim_exit) {
  // The harness drives the clock itself; it never freezes or stops the design from here.
  *sim_wait = 0;
  *sim_exit = 0;
}

void VTAHostDPI(unsigned char* req_valid, unsigned char* req_opcode, unsigned char* req_addr, unsigned int* req_value,
                unsigned char req_deq, unsigned char resp_valid, unsigned int resp_value) {
  g_simulator->hostDpi(req_valid, req_opcode, req_addr, req_value, req_deq, resp_valid, resp_value);
}

void VTAMemDPI(unsigned char rd_req_valid, unsigned char rd_req_len, unsigned char rd_req_id,
               unsigned long long rd_req_addr, unsigned char wr_req_valid, unsigned char wr_req_len,
               unsigned long long wr_req_addr, unsigned char wr_valid, const svOpenArrayHandle wr_value,
               unsigned long long wr_strb, unsigned char* rd_valid, unsigned char* rd_id,
               const svOpenArrayHandle rd_value, unsigned char rd_ready) {
  const uint32_t words = g_simulator->beatBytes() / 8;
  uint64_t wr[8];
  uint64_t rd[8];
  if (wr_valid)
    for (uint32_t w = 0; w < words; w++) wr[w] = *word(wr_value, static_cast<int>(w));
  g_simulator->memDpi(rd_req_valid, rd_req_len, rd_req_id, rd_req_addr, wr_req_valid, wr_req_len, wr_req_addr,
                      wr_valid, reinterpret_cast<const uint8_t*>(wr), wr_strb, rd_valid, rd_id,
                      reinterpret_cast<uint8_t*>(rd), rd_ready);
  for (uint32_t w = 0; w < words; w++) *word(rd_value, static_cast<int>(w)) = rd[w];
}
