import { HeadObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { explained } from "../errors";

/**
 * The ETag of an object a multipart upload (or copy) just completed. Ceph RGW 16.2 answers
 * CompleteMultipartUpload with an empty <ETag> (lib-storage's `Upload.done()` then returns
 * `ETag: ''`) while HeadObject has the right `"…-N"` one, so when the answer has none, the kit
 * asks with one HeadObject.
 */
export async function completedETag(client: S3Client, bucket: string, key: string, answered: string | undefined): Promise<string | undefined> {
  if (answered) return answered;
  const head = await explained(client.send(new HeadObjectCommand({ Bucket: bucket, Key: key })));
  return head.ETag;
}
