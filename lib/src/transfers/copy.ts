import { CopyObjectCommand, HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { explainAfterCheck, S3KitError, s3Url } from "../errors";

export interface ObjectLocation {
  Bucket: string;
  Key: string;
}

/** CopyObject's limit; above it S3 needs a multipart copy (UploadPartCopy), which s3rver lacks. */
const MAX_SINGLE_COPY = 5 * 1024 ** 3;

/**
 * Copies an object between keys or buckets on the server side, its metadata, content type and
 * tags preserved (boto3 `client.copy`). Returns the new object's ETag.
 */
export async function copyObject(client: S3Client, source: ObjectLocation, destination: ObjectLocation, options: { signal?: AbortSignal } = {}): Promise<{ etag?: string }> {
  try {
    const head = await client.send(new HeadObjectCommand(source), { abortSignal: options.signal });
    if ((head.ContentLength ?? 0) > MAX_SINGLE_COPY) {
      throw new S3KitError(
        `${s3Url(source.Bucket, source.Key)} is over 5 GiB, which needs a multipart copy that s3kit does not do yet: download and upload it instead.`,
        "NotImplemented",
      );
    }
    const { CopyObjectResult } = await client.send(
      new CopyObjectCommand({
        ...destination,
        // CopySource is "bucket/key" URL-encoded, with the key's slashes kept.
        CopySource: `${source.Bucket}/${source.Key.split("/").map(encodeURIComponent).join("/")}`,
        MetadataDirective: "COPY",
        TaggingDirective: "COPY",
      }),
      { abortSignal: options.signal },
    );
    return { etag: CopyObjectResult?.ETag };
  } catch (error) {
    // explainAfterCheck: a HEAD of a missing source is a bare 404; HeadBucket says whether its key or its bucket is missing.
    throw await explainAfterCheck(error);
  }
}
