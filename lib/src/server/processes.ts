import { readFileSync } from "node:fs";

/**
 * Is `pid` a live process, and the one we mean? A pid file can outlive its process and the number be
 * reused by another program (`marker`: a string one of its arguments contains, such as its config
 * file), and a dead child not yet reaped (a zombie) still answers kill(pid, 0): /proc tells them apart.
 */
export function isRunning(pid: number | undefined, marker?: string): boolean {
  if (!pid || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (/^\d+ \(.*\) Z/s.test(stat)) return false;
    return !marker || readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").some((arg) => arg.includes(marker));
  } catch {
    return process.platform !== "linux" && signalZero(pid);
  }
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Sends SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
export async function terminate(pid: number, marker: string | undefined, graceMs: number): Promise<void> {
  if (!isRunning(pid, marker)) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (isRunning(pid, marker)) {
    if (Date.now() > deadline) {
      process.kill(pid, "SIGKILL");
      while (isRunning(pid, marker)) await sleep(20);
      return;
    }
    await sleep(50);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
