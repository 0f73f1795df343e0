// A process's own peak resident memory, for the scenarios the benches spawn. Not getrusage's
// ru_maxrss (`process.resourceUsage().maxRSS`): on Linux a child's starts at its parent's RSS
// when it was forked, so a small scenario spawned by a big bench process reported the bench's
// memory (a Python child of a 342 MB Node process reported 304 MB; its own peak was 13 MB).
// /proc's VmHWM counts only the program the process runs now (worker threads included).
import { readFileSync } from "node:fs";

/** Peak RSS of this process in KiB: VmHWM on Linux, getrusage's figure elsewhere. */
export function peakRssKib() {
  try {
    return Number(/^VmHWM:\s+(\d+) kB$/m.exec(readFileSync("/proc/self/status", "utf8"))[1]);
  } catch {
    return process.resourceUsage().maxRSS;
  }
}
