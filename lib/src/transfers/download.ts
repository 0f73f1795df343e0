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
  const hash = md5 === undefined ? undefined : new OrderedHash(handle, ranges.map((range) => range ?? { start: 0, end: size - 1 }));
  try {
    const get = async (range: ByteRange | undefined) => {
      // IfMatch: a range of a different version of the object would make a file that never existed.
      const command = new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: head.ETag, Range: range && `bytes=${range.start}-${range.end}` });
      const { Body } = await client.send(command, { abortSignal: controller.signal });
      const start = range?.start ?? 0;
      const written = await writeAt(handle.fd, Body as Readable, start, progress, controller.signal, (position, chunk) => hash?.wrote(start, position, chunk));
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
  // "wx+": never reuse a file that is already there; readable too, for the MD5's read-backs.
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
async function writeAt(fd: number, body: Readable, position: number, progress: ProgressCounter, signal: AbortSignal, onWritten: (position: number, chunk: Buffer) => void): Promise<number> {
  let written = 0;
  for await (const chunk of addAbortSignal(signal, body) as AsyncIterable<Buffer>) {
    for (let done = 0; done < chunk.length; ) done += writeSync(fd, chunk, done, chunk.length - done, position + written + done);
    onWritten(position + written, chunk);
    written += chunk.length;
    progress.add(chunk.length);
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

/** Bytes read back per read when the hash catches up from the file. */
const READ_BACK = MiB;

/**
 * The MD5 of a file whose ranges land in any order, worked out while they download (an MD5 can
 * only take bytes in file order). Bytes that are the next ones in file order are hashed straight
 * from the response, already in memory; bytes written ahead of that point, by a later range, are
 * read back from the file (the page cache, just written) once every byte before them is in, with
 * one reused buffer. With 4 ranges in flight most bytes are read back; keeping them in memory
 * instead would add up to 3 parts to the peak to save a read that costs far less than the MD5
 * itself (0.05 s against 0.38 s of CPU per 256 MiB here). No thread is started per download: a
 * hashing thread (tried) gained 0.1 s of wall time per 256 MiB on a quiet machine, none on a busy
 * one, and added 12-25 MB to the peak RSS.
 */
class OrderedHash {
  private readonly md5 = createHash("md5");
  /** How far, from the file's start, the hash has got. */
  private hashed = 0;
  /** How many bytes each range (by its start) has in the file so far: a range writes in order. */
  private readonly writtenUpTo = new Map<number, number>();
  private readingBack: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;
  private buffer: Buffer | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly ranges: ByteRange[],
  ) {
    for (const { start } of ranges) this.writtenUpTo.set(start, start);
  }

  /** `chunk` is now in the file from `position` on, the next bytes of the range that starts at `rangeStart`. */
  wrote(rangeStart: number, position: number, chunk: Buffer): void {
    this.writtenUpTo.set(rangeStart, position + chunk.length);
    if (this.readingBack === undefined && position === this.hashed) {
      this.md5.update(chunk);
      this.hashed += chunk.length;
    }
    // One read-back at a time; its loop picks up whatever lands while it reads.
    this.readingBack ??= this.readBack().then(
      () => {
        this.readingBack = undefined;
      },
      (error: unknown) => {
        this.failure ??= { error };
      },
    );
  }

  /** The hex MD5, once every range has been written: reads back what no earlier read-back reached. */
  async digest(): Promise<string> {
    while (this.readingBack !== undefined && this.failure === undefined) await this.readingBack;
    if (this.failure) throw this.failure.error;
    await this.readBack();
    return this.md5.digest("hex");
  }

  /** Hashes, from the file, whatever is written from `hashed` on, one range after the other. */
  private async readBack(): Promise<void> {
    for (;;) {
      const range = this.ranges.find(({ start, end }) => start <= this.hashed && this.hashed <= end);
      const available = range ? this.writtenUpTo.get(range.start)! : this.hashed;
      if (available <= this.hashed) return;
      this.buffer ??= Buffer.allocUnsafe(READ_BACK);
      const { bytesRead } = await this.handle.read(this.buffer, 0, Math.min(this.buffer.length, available - this.hashed), this.hashed);
      if (bytesRead === 0) throw new Error(`the file ends at byte ${this.hashed}, before ${available}`);
      this.md5.update(this.buffer.subarray(0, bytesRead));
      this.hashed += bytesRead;
    }
  }
}

/** Size always; content too when the ETag is the object's MD5. */
async function verify(file: string, size: number, md5: string | undefined, actualMd5: string | undefined, bucket: string, key: string): Promise<void> {
  const { size: actual } = await fs.stat(file);
  if (actual !== size) throw new S3KitError(`${s3Url(bucket, key)} arrived with ${actual} bytes instead of ${size}: download it again.`, "Integrity");
  if (md5 !== undefined && actualMd5 !== md5) throw new S3KitError(`${s3Url(bucket, key)} arrived with different content than S3 holds (MD5 mismatch): download it again.`, "Integrity");
}
