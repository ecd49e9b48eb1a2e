// Framed binary messages between the TypeScript target and this process (protocol in
// targets/tsim/README.md): u32 length, u8 type, payload; little-endian throughout.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace tsim {

// A received command: its type and payload, with a cursor for reading fields in order.
struct Frame {
  uint8_t type = 0;
  std::vector<uint8_t> body;
  size_t pos = 0;
  uint32_t u32();
  uint64_t u64();
  // Everything not read yet.
  std::string rest();
  const uint8_t* restPtr() const { return body.data() + pos; }
  size_t restSize() const { return body.size() - pos; }
};

// Blocking read of the next frame from `fd`; false at end of input.
bool readFrame(int fd, Frame& out);

// Builds one outgoing frame's payload; send() writes it whole.
class FrameBuilder {
 public:
  explicit FrameBuilder(uint8_t type) { reset(type); }
  void reset(uint8_t type) {
    buf_.assign(5, 0);
    buf_[4] = type;
  }
  void u8(uint8_t v) { buf_.push_back(v); }
  void u32(uint32_t v) { append(&v, 4); }
  void u64(uint64_t v) { append(&v, 8); }
  void bytes(const void* p, size_t n) { append(p, n); }
  void str(const std::string& s) { append(s.data(), s.size()); }
  size_t payloadSize() const { return buf_.size() - 5; }
  // Write the frame to `fd` (retrying short writes); exits the process if the pipe is gone.
  void send(int fd);

 private:
  void append(const void* p, size_t n) {
    const uint8_t* b = static_cast<const uint8_t*>(p);
    buf_.insert(buf_.end(), b, b + n);
  }
  std::vector<uint8_t> buf_;
};

// Frame type numbers (README "The simulator process and its protocol").
enum : uint8_t {
  kCmdMemClear = 1,
  kCmdMemWrite = 2,
  kCmdRun = 3,
  kCmdMemRead = 4,
  kCmdExit = 5,
  kRepHello = 128,
  kRepEvents = 129,
  kRepDone = 130,
  kRepMemData = 131,
  kRepFatal = 132,
};

// The file descriptor replies go to (stdout stays free for the design's $display).
constexpr int kReplyFd = 3;

}  // namespace tsim
