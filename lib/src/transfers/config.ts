import { setMaxListeners } from "node:events";
import { S3KitError } from "../errors";
import type { ProgressOption } from "./progress";

/** boto3's `TransferConfig`: when to split a transfer into parts, how big, how many at once. */
export interface TransferConfig {
  /** Objects at least this big go in parts (boto3 `multipart_threshold`, default 8 MiB). */
  multipartThreshold?: number;
  /** Bytes per part or ranged GET (boto3 `multipart_chunksize`, default 8 MiB; S3's minimum part is 5 MiB). */
  partSize?: number;
  /** Parts in flight at once (boto3 `max_concurrency`; default 4, so memory stays near 4 × partSize). */
  concurrency?: number;
}

/** What every managed transfer accepts besides its TransferConfig. */
export interface TransferOptions extends TransferConfig {
  /** `true` for a live progress display, or a function called with each update. */
  progress?: ProgressOption;
  /** Stops the transfer; an upload's parts are then aborted and a download leaves no file. */
  signal?: AbortSignal;
}

export const MiB = 1024 * 1024;

/** S3's most parts per multipart upload. */
const MAX_PARTS = 10_000;

/** `partSize`, or bigger where an object of `size` bytes would need more than 10,000 parts (boto3's ChunksizeAdjuster). */
export function partSizeFor(size: number, partSize: number): number {
  return Math.max(partSize, Math.ceil(size / MAX_PARTS));
}

export function withDefaults(config: TransferConfig): Required<TransferConfig> {
  const settings = {
    multipartThreshold: config.multipartThreshold ?? 8 * MiB,
    partSize: config.partSize ?? 8 * MiB,
    concurrency: config.concurrency ?? 4,
  };
  if (!(settings.partSize >= 5 * MiB)) {
    throw new S3KitError(`partSize is ${settings.partSize} bytes: S3 needs parts of at least 5 MiB (5242880 bytes).`, "InvalidArgument");
  }
  if (!Number.isInteger(settings.concurrency) || settings.concurrency < 1) {
    throw new S3KitError(`concurrency is ${settings.concurrency}: give a whole number of parts in flight, 1 or more.`, "InvalidArgument");
  }
  return settings;
}

/**
 * A controller of the transfer's own that also stops when the caller's signal does, so the
 * transfer can cancel itself (one failed part or file stops the rest). `release` detaches it.
 */
export function linkedController(signal: AbortSignal | undefined): { controller: AbortController; release(): void } {
  const controller = new AbortController();
  // Every part in flight listens to this signal (its request and its file stream): that is up to
  // a few listeners per part, bounded by `concurrency`, not a leak.
  setMaxListeners(0, controller.signal);
  const cancel = () => controller.abort();
  if (signal?.aborted) cancel();
  signal?.addEventListener("abort", cancel, { once: true });
  return { controller, release: () => signal?.removeEventListener("abort", cancel) };
}
