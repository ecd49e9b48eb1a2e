#include "frame_io.h"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace tsim {

uint32_t Frame::u32() {
  uint32_t v = 0;
  if (pos + 4 <= body.size()) std::memcpy(&v, body.data() + pos, 4);
  pos += 4;
  return v;
}

uint64_t Frame::u64() {
  uint64_t v = 0;
  if (pos + 8 <= body.size()) std::memcpy(&v, body.data() + pos, 8);
  pos += 8;
  return v;
}

std::string Frame::rest() {
  if (pos >= body.size()) return std::string();
  std::string s(reinterpret_cast<const char*>(body.data() + pos), body.size() - pos);
  pos = body.size();
  return s;
}

static bool readAll(int fd, void* p, size_t n) {
  uint8_t* b = static_cast<uint8_t*>(p);
  while (n > 0) {
    ssize_t r = ::read(fd, b, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    b += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

bool readFrame(int fd, Frame& out) {
  uint32_t len = 0;
  if (!readAll(fd, &len, 4) || len == 0) return false;
  out.body.resize(len - 1);
  out.pos = 0;
  if (!readAll(fd, &out.type, 1)) return false;
  return out.body.empty() || readAll(fd, out.body.data(), out.body.size());
}

void FrameBuilder::send(int fd) {
  const uint32_t len = static_cast<uint32_t>(buf_.size() - 4);
  std::memcpy(buf_.data(), &len, 4);
  const uint8_t* p = buf_.data();
  size_t n = buf_.size();
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    // The TypeScript side went away: nobody is left to report to.
    if (w <= 0) _exit(4);
    p += w;
    n -= static_cast<size_t>(w);
  }
  buf_.resize(5);
}

}  // namespace tsim
