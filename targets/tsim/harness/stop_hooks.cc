// Verilator's user hooks (compiled with VL_USER_FATAL/VL_USER_STOP/VL_USER_FINISH): $fatal, $stop,
// a failed assertion or $finish ends the run with status crash instead of aborting silently.
#include <string>

#include "simulator.h"
#include "verilated.h"

static std::string where(const char* filename, int linenum, const char* what) {
  std::string s = what;
  if (filename && filename[0]) s += std::string(" (") + filename + ":" + std::to_string(linenum) + ")";
  return s;
}

void vl_fatal(const char* filename, int linenum, const char* hier, const char* msg) {
  (void)hier;
  tsim::g_simulator->designStopped(where(filename, linenum, (std::string("$fatal: ") + (msg ? msg : "")).c_str()));
}

void vl_stop(const char* filename, int linenum, const char* hier) {
  (void)hier;
  tsim::g_simulator->designStopped(where(filename, linenum, "$stop or failed assertion"));
}

void vl_finish(const char* filename, int linenum, const char* hier) {
  (void)hier;
  tsim::g_simulator->designStopped(where(filename, linenum, "design called $finish"));
}
