/**
 * downloadFile's hashing thread: MD5 over byte ranges of a file, in the order they are posted.
 * Hashing 256 MiB takes about half a second of CPU; here it runs beside the download instead of
 * after it. Messages: `{ start, end }` (inclusive) to hash, then `"digest"`, answered with the hex MD5.
 * One buffer is read into again and again, so the thread's memory stays flat.
 */
import { createHash } from "node:crypto";
import { promises as fs } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";

const buffer = Buffer.allocUnsafe(1024 * 1024);
const hash = createHash("md5");
const file = fs.open(workerData as string, "r");
let queue: Promise<void> = Promise.resolve();

async function hashRange(start: number, end: number): Promise<void> {
  const handle = await file;
  for (let position = start; position <= end; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end + 1 - position), position);
    if (bytesRead === 0) throw new Error(`the file ends at byte ${position}, before ${end + 1}`);
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
}

async function digest(): Promise<void> {
  await (await file).close();
  parentPort!.postMessage({ md5: hash.digest("hex") });
}

parentPort!.on("message", (message: { start: number; end: number } | "digest") => {
  queue = queue
    .then(() => (message === "digest" ? digest() : hashRange(message.start, message.end)))
    .catch((error: Error) => parentPort!.postMessage({ error: error.message }));
});
