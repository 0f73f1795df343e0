/**
 * downloadFile's hashing thread: the MD5 of a file whose ranges are still downloading, taken in
 * file order. workerData: the file's descriptor, shared with the main thread, which keeps it open
 * until this thread has ended. Messages: a number n, "the file's first n bytes are written", and
 * then "digest", answered with `{ md5 }` or, if a read failed, `{ error }`. The bytes are read back
 * from the page cache (just written) into one reused buffer, so this thread's memory stays flat;
 * its reads are synchronous: it has nothing else to do meanwhile.
 */
import { createHash } from "node:crypto";
import { readSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

const fd = workerData as number;
const buffer = Buffer.allocUnsafe(1024 * 1024);
const md5 = createHash("md5");
let hashed = 0;
let failure: string | undefined;

function hashUpTo(end: number): void {
  while (hashed < end) {
    const bytesRead = readSync(fd, buffer, 0, Math.min(buffer.length, end - hashed), hashed);
    if (bytesRead === 0) throw new Error(`the file ends at byte ${hashed}, before ${end}`);
    md5.update(buffer.subarray(0, bytesRead));
    hashed += bytesRead;
  }
}

parentPort!.on("message", (message: number | "digest") => {
  if (message === "digest") {
    parentPort!.postMessage(failure === undefined ? { md5: md5.digest("hex") } : { error: failure });
    return;
  }
  if (failure !== undefined) return;
  try {
    hashUpTo(message);
  } catch (error) {
    failure = (error as Error).message;
  }
});
