// The host side of VTAHostDPI: a queue of register reads/writes for the VCR and the read
// responses coming back. Handshake: a request offered by one call is visible to the RTL during
// the next cycle and is consumed if `req_deq` is high in that cycle (reported by the following
// call); every call with `resp_valid` high delivers one read response.
#pragma once
#include <cstdint>
#include <deque>

namespace tsim {

class HostPort {
 public:
  void reset() {
    reqs_.clear();
    resps_.clear();
    offered_ = false;
  }
  void write(uint8_t addr, uint32_t value) { reqs_.push_back({true, addr, value}); }
  void read(uint8_t addr) { reqs_.push_back({false, addr, 0}); }
  bool pending() const { return !reqs_.empty(); }
  bool hasResponse() const { return !resps_.empty(); }
  uint32_t popResponse() {
    uint32_t v = resps_.front();
    resps_.pop_front();
    return v;
  }

  // The body of VTAHostDPI.
  void dpi(uint8_t* reqValid, uint8_t* reqOpcode, uint8_t* reqAddr, uint32_t* reqValue, uint8_t reqDeq,
           uint8_t respValid, uint32_t respValue) {
    if (offered_ && reqDeq && !reqs_.empty()) reqs_.pop_front();
    if (respValid) resps_.push_back(respValue);
    offered_ = !reqs_.empty();
    if (offered_) {
      const Req& r = reqs_.front();
      *reqValid = 1;
      *reqOpcode = r.write ? 1 : 0;
      *reqAddr = r.addr;
      *reqValue = r.value;
    } else {
      *reqValid = 0;
      *reqOpcode = 0;
      *reqAddr = 0;
      *reqValue = 0;
    }
  }

 private:
  struct Req {
    bool write;
    uint8_t addr;
    uint32_t value;
  };
  std::deque<Req> reqs_;
  std::deque<uint32_t> resps_;
  bool offered_ = false;
};

}  // namespace tsim
