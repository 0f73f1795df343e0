/**
 * Uploading a local file (boto3 `client.upload_file`). Below the threshold it is one PutObject
 * through the SDK's `Upload`, as any other data. Above it, a multipart upload of the kit's own:
 * each part is read straight from the file into one of `concurrency` buffers, reused from part to
 * part. `Upload` can only take the file as one stream, whose 64 KiB chunks it concatenates into
 * every part: a copy per part and a heap of short-lived chunks. Measured on a 256 MiB file against
 * boto3: `Upload` took 2× its memory and 1.2-1.4× its CPU, this takes 1.4× its memory and half its
 * CPU (lib/README.md, "Performance against Python"). The guarantees are the same: a failed or
 * cancelled upload is aborted once its last part request has settled, so no parts stay behind.
 */
import { promises as fs } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import path from "node:path";
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectTaggingCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from "@aws-sdk/client-s3";
import { contentTypeFor } from "../content-type";
import { validateKey } from "../keys";
import { S3KitError, s3Url } from "../errors";
import { linkedController, partSizeFor, withDefaults } from "./config";
import { inParallel, splitIntoRanges } from "./download";
import { completedETag } from "./etag";
import { progressCounter } from "./progress";
import { abortAndExplain, managedUpload, type UploadOptions, type UploadResult } from "./upload";

/** Uploads a local file, in parallel parts above the threshold (boto3 `client.upload_file`). */
export async function uploadFile(client: S3Client, file: string, bucket: string, key: string, options: UploadOptions = {}): Promise<UploadResult> {
  validateKey(bucket, key);
  const { multipartThreshold } = withDefaults(options);
  const handle = await fs.open(file, "r").catch(() => {
    throw new S3KitError(`The file ${file} does not exist or cannot be read: check the path.`, "LocalFile");
  });
  try {
    const { size } = await handle.stat();
    const name = `${path.basename(file)} → ${s3Url(bucket, key)}`;
    if (size >= multipartThreshold) return await uploadInParts(client, handle, file, size, bucket, key, options, name);
    const body = handle.createReadStream({ autoClose: false });
    try {
      return await managedUpload(client, body, size, bucket, key, options, name);
    } finally {
      body.destroy();
    }
  } finally {
    await handle.close();
  }
}

/**
 * CreateMultipartUpload, UploadPart × n (`concurrency` at a time, each a Buffer the SDK can resend
 * on a retry), CompleteMultipartUpload, then the tags, as `Upload` sends them.
 */
async function uploadInParts(client: S3Client, handle: FileHandle, file: string, size: number, bucket: string, key: string, options: UploadOptions, name: string): Promise<UploadResult> {
  const { partSize, concurrency } = withDefaults(options);
  const partBytes = partSizeFor(size, partSize);
  const ranges = splitIntoRanges(size, partBytes);
  const progress = progressCounter(options.progress, name, size);
  const { controller, release } = linkedController(options.signal);
  const abortSignal = controller.signal;
  // With the SDK's default checksums (AWS), parts carry a CRC32 that Complete repeats, as `Upload` does.
  const checksums = (await client.config.requestChecksumCalculation()) === "WHEN_SUPPORTED";
  let uploadId: string | undefined;
  try {
    const target = { Bucket: bucket, Key: key };
    const created = await client.send(
      new CreateMultipartUploadCommand({
        ...target,
        ContentType: options.contentType ?? contentTypeFor(key),
        Metadata: options.metadata,
        StorageClass: options.storageClass,
        ChecksumAlgorithm: checksums ? "CRC32" : undefined,
      }),
      { abortSignal },
    );
    uploadId = created.UploadId;
    const parts: CompletedPart[] = [];
    // Buffers of parts already sent, for the next parts to read into: at most `concurrency` in all.
    const spareBuffers: Buffer[] = [];
    const sendPart = async ({ start, end, PartNumber }: { start: number; end: number; PartNumber: number }) => {
      const buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(partBytes);
      try {
        const Body = await readPart(handle, buffer, start, end - start + 1, file);
        const { ETag, ChecksumCRC32 } = await client.send(new UploadPartCommand({ ...target, UploadId: uploadId, PartNumber, Body }), { abortSignal });
        parts.push({ PartNumber, ETag, ChecksumCRC32 });
        progress.add(Body.length);
      } finally {
        spareBuffers.push(buffer);
      }
    };
    // inParallel stops at the first failure and returns once every part in flight has settled:
    // an abort sent earlier could be undone by a part that lands after it.
    await inParallel(
      ranges.map((range, index) => ({ ...range, PartNumber: index + 1 })),
      concurrency,
      sendPart,
      () => controller.abort(),
    );
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    const completed = await client.send(new CompleteMultipartUploadCommand({ ...target, UploadId: uploadId, MultipartUpload: { Parts: parts } }), { abortSignal });
    uploadId = undefined;
    const TagSet = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
    if (TagSet.length) await client.send(new PutObjectTaggingCommand({ ...target, Tagging: { TagSet } }), { abortSignal });
    const etag = await completedETag(client, bucket, key, completed.ETag);
    progress.finish();
    return { bucket, key, etag, size };
  } catch (error) {
    const failure = options.signal?.aborted ? undefined : error;
    throw await abortAndExplain(client, bucket, key, uploadId, failure);
  } finally {
    release();
  }
}

/** Bytes `start` to `start + length` of the file, read into `buffer`; a file that shrank meanwhile is an error, not a short part. */
async function readPart(handle: FileHandle, buffer: Buffer, start: number, length: number, file: string): Promise<Buffer> {
  for (let filled = 0; filled < length; ) {
    const { bytesRead } = await handle.read(buffer, filled, length - filled, start + filled);
    if (bytesRead === 0) throw new S3KitError(`The file ${file} became shorter while it was uploading (${start + filled} bytes instead of ${start + length} or more): upload it again once nothing writes to it.`, "LocalFile");
    filled += bytesRead;
  }
  return buffer.subarray(0, length);
}
