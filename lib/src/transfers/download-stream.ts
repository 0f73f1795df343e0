/**
 * A managed download into any writable stream (boto3's `download_fileobj`): parallel ranged GETs
 * above the threshold, as downloadFile, but written in order, since a stream cannot be written at
 * an offset. Ranges are fetched at most `concurrency` ahead of the one being written, so memory
 * stays near concurrency × partSize. The stream is left open, as boto3 leaves the file object.
 */
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import { GetObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { explain, explained, S3KitError, s3Url } from "../errors";
import { linkedController, withDefaults, type TransferOptions } from "./config";
import { splitIntoRanges } from "./download";
import { progressCounter } from "./progress";

export interface StreamDownloadResult {
  bucket: string;
  key: string;
  size: number;
  etag?: string;
}

/** Downloads an object into `target` (a file stream, an HTTP response, a hash...), in order (boto3 `client.download_fileobj`). */
export async function downloadFileobj(client: S3Client, bucket: string, key: string, target: Writable, options: TransferOptions = {}): Promise<StreamDownloadResult> {
  const { multipartThreshold, partSize, concurrency } = withDefaults(options);
  const head = await explained(client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal }));
  const size = head.ContentLength ?? 0;
  const ranges = size < multipartThreshold ? [{ start: 0, end: size - 1 }] : splitIntoRanges(size, partSize);
  const progress = progressCounter(options.progress, s3Url(bucket, key), size);
  const { controller, release } = linkedController(options.signal);
  // A plain MD5 ETag (single-part upload) lets the bytes be checked; a multipart ETag does not.
  const md5 = /^"?([0-9a-f]{32})"?$/.exec(head.ETag ?? "")?.[1];
  const hash = createHash("md5");

  const fetchRange = async ({ start, end }: { start: number; end: number }): Promise<Buffer> => {
    if (end < start) return Buffer.alloc(0);
    // IfMatch: every range from the same version of the object.
    const command = new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: head.ETag, Range: `bytes=${start}-${end}` });
    const { Body } = await client.send(command, { abortSignal: controller.signal });
    const bytes = Buffer.from(await Body!.transformToByteArray());
    if (bytes.length !== end - start + 1) {
      throw new S3KitError(`${s3Url(bucket, key)} sent ${bytes.length} bytes at offset ${start} where ${end - start + 1} were expected: download it again.`, "Integrity");
    }
    return bytes;
  };

  const fetching: Promise<Buffer>[] = [];
  const startFetch = (index: number) => {
    const request = fetchRange(ranges[index]);
    request.catch(() => undefined); // awaited in order below; this only keeps an early failure from being "unhandled"
    fetching[index] = request;
  };
  try {
    for (let index = 0; index < ranges.length; index++) {
      for (let ahead = fetching.length; ahead < Math.min(ranges.length, index + concurrency); ahead++) startFetch(ahead);
      const bytes = await fetching[index];
      hash.update(bytes);
      if (!target.write(bytes)) await once(target, "drain", { signal: controller.signal });
      progress.add(bytes.length);
    }
    if (md5 && hash.digest("hex") !== md5) {
      throw new S3KitError(`${s3Url(bucket, key)} arrived with different content than S3 holds (MD5 mismatch): the stream holds damaged bytes; download it again.`, "Integrity");
    }
    progress.finish();
    return { bucket, key, size, etag: head.ETag };
  } catch (error) {
    controller.abort();
    await Promise.allSettled(fetching);
    if (options.signal?.aborted) {
      throw new S3KitError(`The download of ${s3Url(bucket, key)} was cancelled; the stream holds only its first bytes.`, "Aborted", { cause: error });
    }
    throw explain(error);
  } finally {
    release();
  }
}
