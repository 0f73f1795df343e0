/**
 * Managed server-side copy (boto3's `client.copy`): one CopyObject below the multipart threshold,
 * above it a multipart upload whose parts are UploadPartCopy calls, several at once. No byte passes
 * through this process either way. A failed multipart copy is aborted, so no parts stay behind.
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectTaggingCommand,
  UploadPartCopyCommand,
  type CompletedPart,
  type HeadObjectCommandOutput,
  type S3Client,
} from "@aws-sdk/client-s3";
import { explainAfterCheck, S3KitError, s3Url } from "../errors";
import { linkedController, partSizeFor, withDefaults, type TransferConfig } from "./config";
import { inParallel, splitIntoRanges } from "./download";
import { completedETag } from "./etag";
import { abortAndExplain } from "./upload";

export interface ObjectLocation {
  Bucket: string;
  Key: string;
}

/**
 * boto3's TransferConfig for copies: parts of `partSize` above `multipartThreshold` (8 MiB each by
 * default), `concurrency` parts at once (default 10, boto3's max_concurrency: the bytes stay on the
 * server, so more parts in flight cost this process no memory).
 */
export interface CopyOptions extends TransferConfig {
  signal?: AbortSignal;
}

/** CopyObject's limit; above it only a multipart copy can do it. */
const MAX_SINGLE_COPY = 5 * 1024 ** 3;
const COPY_CONCURRENCY = 10;

/**
 * Copies an object between keys or buckets on the server side, its metadata, content type and
 * tags preserved (boto3 `client.copy`). Returns the new object's ETag.
 *
 * A server without UploadPartCopy (the kit's s3rver fallback answers NotImplemented) gets one
 * CopyObject instead, which S3 allows up to 5 GiB.
 */
export async function copyObject(client: S3Client, source: ObjectLocation, destination: ObjectLocation, options: CopyOptions = {}): Promise<{ etag?: string }> {
  const { multipartThreshold, partSize, concurrency } = withDefaults({ ...options, concurrency: options.concurrency ?? COPY_CONCURRENCY });
  // explainAfterCheck: a HEAD of a missing source is a bare 404; HeadBucket says whether its key or its bucket is missing.
  const head = await client.send(new HeadObjectCommand(source), { abortSignal: options.signal }).catch(async (error: unknown) => {
    throw await explainAfterCheck(error);
  });
  const size = head.ContentLength ?? 0;
  if (size < multipartThreshold && size <= MAX_SINGLE_COPY) return singleCopy(client, source, destination, options.signal);
  const adjustedPartSize = partSizeFor(size, partSize);
  try {
    return await multipartCopy(client, source, destination, head, adjustedPartSize, concurrency, options.signal);
  } catch (error) {
    const cause = error instanceof S3KitError ? error.cause : error;
    if (!isNotImplemented(cause) || options.signal?.aborted) throw error;
    if (size > MAX_SINGLE_COPY) {
      throw new S3KitError(
        `${s3Url(source.Bucket, source.Key)} is over 5 GiB, which needs UploadPartCopy, and this server does not implement it: copy it on a server that does (the kit's Ceph engine, AWS), or download and upload it.`,
        "NotImplemented",
        { cause: error },
      );
    }
    return singleCopy(client, source, destination, options.signal);
  }
}

function isNotImplemented(error: unknown): boolean {
  const { name, $metadata } = (error ?? {}) as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === "NotImplemented" || $metadata?.httpStatusCode === 501;
}

/** The `x-amz-copy-source` value: "bucket/key" URL-encoded, with the key's slashes kept. */
function copySource({ Bucket, Key }: ObjectLocation): string {
  return `${Bucket}/${Key.split("/").map(encodeURIComponent).join("/")}`;
}

async function singleCopy(client: S3Client, source: ObjectLocation, destination: ObjectLocation, signal?: AbortSignal): Promise<{ etag?: string }> {
  try {
    const { CopyObjectResult } = await client.send(
      new CopyObjectCommand({ ...destination, CopySource: copySource(source), MetadataDirective: "COPY", TaggingDirective: "COPY" }),
      { abortSignal: signal },
    );
    return { etag: CopyObjectResult?.ETag };
  } catch (error) {
    // explainAfterCheck: a copy answers NoSuchBucket for a missing source bucket and a missing destination bucket alike.
    throw await explainAfterCheck(error);
  }
}

/**
 * CreateMultipartUpload with the source's metadata, UploadPartCopy of each byte range,
 * CompleteMultipartUpload, then the source's tags (CopyObject would copy both itself). Every part names the source's ETag
 * (CopySourceIfMatch), so a source replaced mid-copy fails the copy instead of mixing two objects.
 */
async function multipartCopy(
  client: S3Client,
  source: ObjectLocation,
  destination: ObjectLocation,
  head: HeadObjectCommandOutput,
  partSize: number,
  concurrency: number,
  signal?: AbortSignal,
): Promise<{ etag?: string }> {
  const { controller, release } = linkedController(signal);
  let uploadId: string | undefined;
  try {
    const { TagSet = [] } = await client.send(new GetObjectTaggingCommand(source), { abortSignal: controller.signal });
    const { UploadId } = await client.send(
      new CreateMultipartUploadCommand({
        ...destination,
        ContentType: head.ContentType,
        ContentEncoding: head.ContentEncoding,
        ContentDisposition: head.ContentDisposition,
        ContentLanguage: head.ContentLanguage,
        CacheControl: head.CacheControl,
        Expires: head.Expires,
        Metadata: head.Metadata,
        StorageClass: head.StorageClass,
      }),
      { abortSignal: controller.signal },
    );
    uploadId = UploadId;
    const ranges = splitIntoRanges(head.ContentLength ?? 0, partSize);
    const parts: CompletedPart[] = [];
    await inParallel(
      ranges.map((range, index) => ({ ...range, PartNumber: index + 1 })),
      concurrency,
      async ({ start, end, PartNumber }) => {
        const { CopyPartResult } = await client.send(
          new UploadPartCopyCommand({
            ...destination,
            UploadId,
            PartNumber,
            CopySource: copySource(source),
            CopySourceRange: `bytes=${start}-${end}`,
            CopySourceIfMatch: head.ETag,
          }),
          { abortSignal: controller.signal },
        );
        parts.push({ PartNumber, ETag: CopyPartResult?.ETag });
      },
      () => controller.abort(),
    );
    parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
    const completed = await client.send(
      new CompleteMultipartUploadCommand({ ...destination, UploadId, MultipartUpload: { Parts: parts } }),
      { abortSignal: controller.signal },
    );
    // Tags after completion, as lib-storage's Upload does: Ceph RGW 16.2 ignores CreateMultipartUpload's Tagging.
    if (TagSet.length) await client.send(new PutObjectTaggingCommand({ ...destination, Tagging: { TagSet } }), { abortSignal: controller.signal });
    return { etag: await completedETag(client, destination.Bucket, destination.Key, completed.ETag) };
  } catch (error) {
    const failure = signal?.aborted ? undefined : error;
    throw await abortAndExplain(client, destination.Bucket, destination.Key, uploadId, failure, "copy");
  } finally {
    release();
  }
}
