import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { S3KitError } from "../errors";
import { isRunning, sleep } from "./processes";

const WAIT_MS = 180_000;

/**
 * Runs `work` while holding `lockFile` (created exclusively, holding our pid), so that two
 * processes never start a server on the same data at once: the second waits, then finds the
 * first one's server. A lock whose process is gone (killed mid-start) is removed with one note.
 */
export async function withLock<T>(lockFile: string, work: () => Promise<T>, note: (line: string) => void): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lockFile, "wx", 0o644);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(readFileSafe(lockFile).trim());
    if (!isRunning(holder)) {
      note(`removed a stale lock file left by process ${holder || "?"} (${lockFile})`);
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new S3KitError(`Process ${holder} has been starting the kit's local server for ${WAIT_MS / 1000} s: stop it, or wait and try again.`, "Failed");
    }
    await sleep(200);
  }
  try {
    return await work();
  } finally {
    rmSync(lockFile, { force: true });
  }
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
