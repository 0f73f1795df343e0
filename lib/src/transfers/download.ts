/**
 * Managed downloads, which the SDK does not have: one GetObject below the threshold, parallel
 * ranged GETs above it, each streamed to its place in a temporary file beside the destination
 * (memory stays at a few stream buffers per range). The file is renamed into place only once its
 * size and, where the ETag is an MD5, its hash match what S3 holds: the destination path never
 * holds a partial file. The hash is worked out while later ranges still download.
 */
import { createHash, randomBytes } from "node:crypto";
import { constants as fsConstants, promises as fs, rmSync, writeSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { addAbortSignal, type Readable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { explain, explained, S3KitError, s3Url } from "../errors";
import { linkedController, MiB, withDefaults, type TransferOptions } from "./config";
import { progressCounter, type ProgressCounter } from "./progress";

export interface DownloadResult {
  bucket: string;
  key: string;
  file: string;
  size: number;
  etag?: string;
}

interface ByteRange {
  start: number;
  /** Inclusive, as in the HTTP Range header. */
  end: number;
}

/** Downloads an object to a local file, in parallel ranges above the threshold (boto3 `client.download_file`). */
export async function downloadFile(client: S3Client, bucket: string, key: string, file: string, options: TransferOptions = {}): Promise<DownloadResult> {
  const { multipartThreshold, partSize, concurrency } = withDefaults(options);
  const destination = path.resolve(file);
  const folder = path.dirname(destination);
  await checkDestination(destination, s3Url(bucket, key));
  const head = await explained(client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal }));
  const size = head.ContentLength ?? 0;
  const ranges = size < multipartThreshold ? [undefined] : splitIntoRanges(size, partSize);
  const progress = progressCounter(options.progress, `${s3Url(bucket, key)} → ${path.basename(destination)}`, size);
  const { controller, release } = linkedController(options.signal);
  const cancel = () => controller.abort();
  const { temporary, handle } = await createTemporaryFile(folder, controller);
  const md5 = contentMd5(head.ETag);
  const hash = md5 === undefined ? undefined : ranges.length === 1 ? new StreamedHash() : new HashingThread(handle.fd, ranges as ByteRange[]);
  try {
    const get = async (range: ByteRange | undefined) => {
      // IfMatch: a range of a different version of the object would make a file that never existed.
      const command = new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: head.ETag, Range: range && `bytes=${range.start}-${range.end}` });
      const { Body } = await client.send(command, { abortSignal: controller.signal });
      const start = range?.start ?? 0;
      const written = await writeAt(handle.fd, Body as Readable, start, progress, controller.signal, (chunk, upTo) => hash?.wrote(start, chunk, upTo));
      const expected = range ? range.end - range.start + 1 : size;
      if (written !== expected) throw new S3KitError(`${s3Url(bucket, key)} sent ${written} bytes at offset ${start} where ${expected} were expected: download it again.`, "Integrity");
    };
    await inParallel(ranges, concurrency, get, cancel);
    await verify(temporary, size, md5, await hash?.digest(), bucket, key);
    await fs.rename(temporary, destination);
    progress.finish();
    return { bucket, key, file: destination, size, etag: head.ETag };
  } catch (error) {
    if (options.signal?.aborted) {
      throw new S3KitError(`The download of ${s3Url(bucket, key)} was cancelled; no file was written to ${path.basename(destination)}.`, "Aborted", { cause: error });
    }
    throw localFileError(error, destination) ?? explain(error);
  } finally {
    await hash?.close();
    await handle.close();
    await removeTemporaryFile(temporary);
    release();
  }
}

/** Linux's longest file name, in bytes. */
const MAX_NAME_BYTES = 255;

/**
 * What would make writing `destination` fail, checked before anything is downloaded: a missing
 * folder, a folder in the file's place, a name too long, a folder the process cannot write to.
 * `createsFolders`: the caller creates missing folders (as downloadPrefix does).
 */
export async function checkDestination(destination: string, what: string, { createsFolders = false } = {}): Promise<void> {
  const name = path.basename(destination);
  const fail = (problem: string) => {
    throw new S3KitError(`Cannot download ${what} to ${destination}: ${problem}.`, "LocalFile");
  };
  // A download that creates the file's folders needs the nearest one that exists to be writable.
  let folder = path.dirname(destination);
  while (createsFolders && !(await fs.stat(folder).catch(() => undefined)) && path.dirname(folder) !== folder) folder = path.dirname(folder);
  const folderStat = await fs.stat(folder).catch(() => undefined);
  if (!folderStat) fail(`the folder ${folder} does not exist; create it first`);
  if (!folderStat!.isDirectory()) fail(`${folder} is a file, not a folder; pick another path`);
  if ((await fs.stat(destination).catch(() => undefined))?.isDirectory()) fail(`it is a folder; give a file path inside it, e.g. ${path.join(destination, name)}`);
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) fail(`the file name is ${Buffer.byteLength(name)} bytes long, over the ${MAX_NAME_BYTES} a file name may have; pick a shorter name`);
  await fs.access(folder, fsConstants.W_OK).catch(() => fail(`the folder ${folder} is not writable by this process; pick another folder or change its permissions`));
}

/** A local filesystem failure (full disk, permissions changed mid-way...) as one sentence naming the file, or undefined for any other error. */
function localFileError(error: unknown, destination: string): S3KitError | undefined {
  const { code, syscall } = error as NodeJS.ErrnoException;
  if (!syscall || !code || code.startsWith("ECONN")) return undefined;
  return new S3KitError(`Writing ${destination} failed (${code}): nothing was written there; check the disk and the folder's permissions.`, "LocalFile", { cause: error });
}

/*
 * Temporary files: `.s3kit-<pid>-<random>.download` beside the destination, short whatever the
 * destination's name. A download that fails or is cancelled removes its own; on Ctrl-C (SIGINT)
 * or SIGTERM the handler below stops the downloads and removes their files (a Jupyter kernel
 * lives on after an interrupt; a plain process then ends as it would have); one whose process was
 * killed outright is removed by the next download into that folder, once its pid is gone.
 */
const TEMPORARY = /^\.s3kit-(\d+)-[0-9a-f]+\.download$/;
/** Each temporary file of a download under way, and the controller that stops that download. */
const pending = new Map<string, AbortController>();
const swept = new Set<string>();
const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/** The temporary file, open for writing: one descriptor for the whole download, every range writing at its own offset. */
async function createTemporaryFile(folder: string, download: AbortController): Promise<{ temporary: string; handle: FileHandle }> {
  if (!swept.has(folder)) {
    swept.add(folder);
    await removeStaleTemporaryFiles(folder);
  }
  const temporary = path.join(folder, `.s3kit-${process.pid}-${randomBytes(4).toString("hex")}.download`);
  if (pending.size === 0) SIGNALS.forEach((signal) => process.once(signal, removePendingOnSignal));
  pending.set(temporary, download);
  // "wx+": never reuse a file that is already there; readable too, for the hashing thread.
  return { temporary, handle: await fs.open(temporary, "wx+") };
}

async function removeTemporaryFile(temporary: string): Promise<void> {
  await fs.rm(temporary, { force: true });
  pending.delete(temporary);
  if (pending.size === 0) SIGNALS.forEach((signal) => process.off(signal, removePendingOnSignal));
}

function removePendingOnSignal(signal: NodeJS.Signals): void {
  for (const [file, download] of pending) {
    download.abort();
    rmSync(file, { force: true });
  }
  pending.clear();
  SIGNALS.forEach((other) => process.off(other, removePendingOnSignal));
  // With no other listener, do what Node does without one: end the process by that signal.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

async function removeStaleTemporaryFiles(folder: string): Promise<void> {
  for (const name of await fs.readdir(folder).catch(() => [])) {
    const pid = Number(TEMPORARY.exec(name)?.[1]);
    if (pid && !isRunning(pid)) await fs.rm(path.join(folder, name), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function splitIntoRanges(size: number, partSize: number): ByteRange[] {
  const ranges: ByteRange[] = [];
  for (let start = 0; start < size; start += partSize) ranges.push({ start, end: Math.min(size, start + partSize) - 1 });
  return ranges;
}

/**
 * Streams a response body into the file from byte `position` on; returns how many bytes it wrote.
 * Each chunk is written as it arrives, by a synchronous positional write: copying 64 KiB into the
 * page cache takes tens of microseconds, less than a round trip to libuv's thread pool. Measured
 * on s3rver: a 1 GiB download whose chunks were first gathered into 1 MiB `writev` batches (by the
 * thread pool or not) spent 2.0-2.8 s of system time; chunk by chunk, 0.8-1.4 s (the bytes are
 * copied while still in the CPU's cache, most likely).
 */
async function writeAt(fd: number, body: Readable, position: number, progress: ProgressCounter, signal: AbortSignal, onWritten: (chunk: Buffer, upTo: number) => void): Promise<number> {
  let written = 0;
  for await (const chunk of addAbortSignal(signal, body) as AsyncIterable<Buffer>) {
    for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done, chunk.length - done, position + written + done);
    written += chunk.length;
    progress.add(chunk.length);
    onWritten(chunk, position + written);
  }
  return written;
}

/**
 * Runs `work` over `items`, at most `limit` at a time; on the first failure it calls `cancel`,
 * waits for the running ones to settle, and rethrows that first failure.
 */
export async function inParallel<T>(items: T[], limit: number, work: (item: T) => Promise<unknown>, cancel: () => void): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async () => {
    while (!failure && next < items.length) {
      const item = items[next++];
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
        cancel();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw failure.error;
}

/** The MD5 an ETag names: single-part uploads; a multipart ETag ("…-N") is a hash of part hashes. */
function contentMd5(etag: string | undefined): string | undefined {
  const md5 = etag?.replace(/"/g, "");
  return md5 && /^[0-9a-f]{32}$/.test(md5) ? md5 : undefined;
}

/** What downloadFile needs of a hash: told of each chunk once it is in the file, asked for the hex MD5 at the end, closed either way. */
interface DownloadHash {
  /** `chunk` is now in the file, the range that starts at `rangeStart` written up to (not including) byte `upTo`. */
  wrote(rangeStart: number, chunk: Buffer, upTo: number): void;
  digest(): Promise<string>;
  close(): Promise<void>;
}

/** A single GET's bytes arrive in file order: each chunk is hashed from memory once written. */
class StreamedHash implements DownloadHash {
  private readonly md5 = createHash("md5");

  wrote(_rangeStart: number, chunk: Buffer): void {
    this.md5.update(chunk);
  }

  async digest(): Promise<string> {
    return this.md5.digest("hex");
  }

  async close(): Promise<void> {}
}

/**
 * The MD5 of a file whose ranges land in any order (an MD5 takes bytes in file order only),
 * worked out beside the download by a thread of its own (`md5-worker.ts`): it is the download's
 * biggest cost, 0.38 s of CPU per 256 MiB here, and in the main thread every socket read waited
 * behind it. The main thread only tells the thread how far the file is complete from its start;
 * the thread reads those bytes back from the page cache. A thread costs about 35 ms of CPU and
 * 12 MB to start, so a single GET hashes in memory instead.
 */
class HashingThread implements DownloadHash {
  private readonly worker: Worker;
  /** How far each range (by its start) is written: a range writes in order. */
  private readonly writtenUpTo = new Map<number, number>();
  /** The range the file's complete prefix ends in. */
  private current = 0;
  /** Every byte before this one is in the file. */
  private complete = 0;
  /** What the thread was last told: it hears once per MiB the prefix grows, not once per chunk. */
  private told = 0;
  private crashed: Error | undefined;

  constructor(
    fd: number,
    private readonly ranges: ByteRange[],
  ) {
    for (const { start } of ranges) this.writtenUpTo.set(start, start);
    this.worker = new Worker(path.join(__dirname, "md5-worker.js"), { workerData: fd, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 16 } });
    this.worker.on("error", (error) => (this.crashed ??= error));
  }

  wrote(rangeStart: number, _chunk: Buffer, upTo: number): void {
    this.writtenUpTo.set(rangeStart, upTo);
    while (this.current < this.ranges.length) {
      const { start, end } = this.ranges[this.current];
      this.complete = this.writtenUpTo.get(start)!;
      if (this.complete <= end) break;
      this.current++;
    }
    if (this.complete - this.told >= MiB) this.tell();
  }

  private tell(): void {
    this.worker.postMessage(this.complete);
    this.told = this.complete;
  }

  /** The hex MD5, once every range is written: the thread finishes what it has not reached yet. */
  async digest(): Promise<string> {
    if (this.crashed) throw this.crashed;
    if (this.complete > this.told) this.tell();
    const answer = new Promise<{ md5?: string; error?: string }>((resolve, reject) => {
      this.worker.once("message", resolve);
      this.worker.once("error", reject);
      this.worker.once("exit", (code) => reject(new Error(`the hashing thread ended (exit code ${code}) before its answer`)));
    });
    this.worker.postMessage("digest");
    const { md5, error } = await answer;
    if (error !== undefined) throw new Error(error);
    return md5!;
  }

  /** Ends the thread, before the file's descriptor is closed: the thread reads through it. */
  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** Size always; content too when the ETag is the object's MD5. */
async function verify(file: string, size: number, md5: string | undefined, actualMd5: string | undefined, bucket: string, key: string): Promise<void> {
  const { size: actual } = await fs.stat(file);
  if (actual !== size) throw new S3KitError(`${s3Url(bucket, key)} arrived with ${actual} bytes instead of ${size}: download it again.`, "Integrity");
  if (md5 !== undefined && actualMd5 !== md5) throw new S3KitError(`${s3Url(bucket, key)} arrived with different content than S3 holds (MD5 mismatch): download it again.`, "Integrity");
}
