/**
 * Managed uploads of data (and of files below the multipart threshold, see upload-file.ts):
 * lib-storage's `Upload` (one PUT for small bodies, parallel UploadPart calls for big ones) with
 * boto3's settings and one guarantee added: a failed or cancelled multipart upload is aborted,
 * and only after its last part request has settled, so no parts stay behind.
 */
import type { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  ListMultipartUploadsCommand,
  type PutObjectCommandInput,
  type S3Client,
  type StorageClass,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { contentTypeFor } from "../content-type";
import { validateKey } from "../keys";
import { explain, isNotFound, S3KitError, s3Url } from "../errors";
import { linkedController, MiB, withDefaults, type TransferOptions } from "./config";
import { completedETag } from "./etag";
import { progressCounter } from "./progress";

/** boto3's `ExtraArgs`, the common ones by name. */
export interface UploadOptions extends TransferOptions {
  /** Default: guessed from the key's extension (`contentTypeFor`). */
  contentType?: string;
  /** User metadata, stored as `x-amz-meta-*` headers. */
  metadata?: Record<string, string>;
  /** Object tags, set right after the upload completes. */
  tags?: Record<string, string>;
  storageClass?: StorageClass;
}

/** What S3 answered, and how many bytes were sent. */
export interface UploadResult {
  bucket: string;
  key: string;
  etag?: string;
  size: number;
}

/** Uploads a Buffer, a string or a stream (boto3 `client.upload_fileobj`). */
export function uploadData(client: S3Client, body: Buffer | string | Readable, bucket: string, key: string, options: UploadOptions = {}): Promise<UploadResult> {
  const size = typeof body === "string" ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : undefined;
  return managedUpload(client, body, size, bucket, key, options, s3Url(bucket, key));
}

/** The SDK's `Upload` with boto3's settings, progress, cancellation and the abort of a failed multipart upload. */
export async function managedUpload(
  client: S3Client,
  body: PutObjectCommandInput["Body"],
  size: number | undefined,
  bucket: string,
  key: string,
  options: UploadOptions,
  name: string,
): Promise<UploadResult> {
  validateKey(bucket, key);
  const { multipartThreshold, partSize, concurrency } = withDefaults(options);
  const { controller, release } = linkedController(options.signal);
  const cancel = () => controller.abort();
  const requests = trackRequests(client, bucket, key, cancel);
  const progress = progressCounter(options.progress, name, size);
  const managed = new Upload({
    client,
    params: {
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentLength: size,
      ContentType: options.contentType ?? contentTypeFor(key),
      Metadata: options.metadata,
      StorageClass: options.storageClass,
    },
    // Below the threshold the whole body is one part, which Upload sends as a single PUT.
    partSize: size !== undefined && size < multipartThreshold ? Math.max(size, 5 * MiB) : partSize,
    queueSize: concurrency,
    tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
    // s3kit aborts the upload itself: Upload's own abort runs after done() has already rejected.
    leavePartsOnError: true,
    abortController: controller,
  });
  let reported = 0;
  managed.on("httpUploadProgress", ({ loaded = 0 }) => {
    progress.add(loaded - reported);
    reported = loaded;
  });
  try {
    const result = await managed.done();
    const etag = await completedETag(client, bucket, key, result.ETag);
    progress.finish();
    return { bucket, key, etag, size: size ?? reported };
  } catch (error) {
    cancel();
    await requests.settled();
    requests.dispose();
    const failure = options.signal?.aborted ? undefined : (requests.firstFailure() ?? error);
    throw await abortAndExplain(client, bucket, key, requests.uploadId(), failure);
  } finally {
    requests.dispose();
    release();
  }
}

/**
 * Follows this upload's requests (a middleware on the client, for this bucket and key): remembers
 * the UploadId, cancels the other parts as soon as one request fails (Upload itself would send
 * the rest of the file first), and knows when the last one has settled, because an abort sent
 * while a part is in flight can be followed by that part, recreating what the abort removed.
 */
function trackRequests(client: S3Client, bucket: string, key: string, onFailed: () => void) {
  const inFlight = new Set<Promise<unknown>>();
  let uploadId: string | undefined;
  let firstFailure: { error: unknown } | undefined;
  const name = `s3kitTrackUpload-${bucket}/${key}-${Math.random()}`;
  client.middlewareStack.add(
    (next) => (args) => {
      const input = args.input as { Bucket?: string; Key?: string };
      if (input.Bucket !== bucket || input.Key !== key) return next(args);
      const response = next(args);
      inFlight.add(response);
      response.then(
        ({ output }) => {
          // CreateMultipartUpload's answer is the one that carries the UploadId.
          uploadId ??= (output as { UploadId?: string }).UploadId;
          inFlight.delete(response);
        },
        (error: unknown) => {
          inFlight.delete(response);
          firstFailure ??= { error };
          onFailed();
        },
      );
      return response;
    },
    { step: "initialize", name },
  );
  return {
    settled: async () => {
      while (inFlight.size) await Promise.allSettled([...inFlight]);
    },
    uploadId: () => uploadId,
    /** The request failure that started it all: done() then rejects with the cancellation instead. */
    firstFailure: () => firstFailure?.error,
    dispose: () => client.middlewareStack.remove(name),
  };
}

const ABORT_ATTEMPTS = 3;

/**
 * Aborts the multipart upload (a few tries, for a server that blinked), and says in one sentence
 * what went wrong and whether parts were left behind. `failure` undefined means cancelled.
 */
export async function abortAndExplain(
  client: S3Client,
  bucket: string,
  key: string,
  uploadId: string | undefined,
  failure: unknown,
  transfer: "upload" | "copy" = "upload",
): Promise<S3KitError> {
  const cause = failure === undefined ? undefined : explain(failure);
  const what = cause ? cause.message.replace(/\.$/, "") : `The ${transfer} to ${s3Url(bucket, key)} was cancelled`;
  // The failure keeps its code (S3's, or the kit's) and S3's answer; only the sentence grows.
  const tell = (message: string) => cause?.retold(message) ?? new S3KitError(message, "Aborted");
  if (uploadId === undefined) return tell(`${what}.`);
  for (let attempt = 1; attempt <= ABORT_ATTEMPTS; attempt++) {
    try {
      await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }));
      return tell(`${what}; its incomplete multipart upload was aborted, so no parts are left on the server.`);
    } catch (error) {
      if (isNotFound(error)) return tell(`${what}.`);
      if (attempt < ABORT_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
  return tell(
    `${what}; its incomplete multipart upload could not be aborted, so its parts stay on the server: once it answers again, run abortIncompleteUploads(client, "${bucket}") (the kit's local server removes them itself when it starts again).`,
  );
}

/**
 * Aborts every incomplete multipart upload in a bucket (under a prefix), which is what an S3
 * lifecycle rule `AbortIncompleteMultipartUpload` does on a schedule (boto3
 * `bucket.multipart_uploads.all()` then `upload.abort()`). Returns the keys whose uploads it aborted.
 */
export async function abortIncompleteUploads(client: S3Client, bucket: string, prefix = ""): Promise<string[]> {
  const aborted: string[] = [];
  try {
    // The SDK has no paginator for ListMultipartUploads; its markers page by hand.
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, ...markers }));
      for (const { Key, UploadId } of page.Uploads ?? []) {
        await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key, UploadId }));
        aborted.push(Key!);
      }
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker, UploadIdMarker: page.NextUploadIdMarker };
    }
  } catch (error) {
    throw explain(error);
  }
  return aborted.sort();
}
