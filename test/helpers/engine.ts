import { GetBucketTaggingCommand, type S3Client } from "@aws-sdk/client-s3";

/**
 * Whether the server is s3rver, the kit's imitation fallback: it answers NotImplemented (501) for
 * bucket tagging, where a real S3 engine answers (404 NoSuchTagSet while none is set).
 */
export async function isS3rver(client: S3Client, bucket: string): Promise<boolean> {
  return client.send(new GetBucketTaggingCommand({ Bucket: bucket })).then(
    () => false,
    (error: { $metadata?: { httpStatusCode?: number } }) => error.$metadata?.httpStatusCode === 501,
  );
}
