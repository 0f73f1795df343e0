import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { uniqueBucket } from "./server";

/** At most this many PUTs in flight: s3rver resets connections under more when the machine is busy. */
export const MAX_PARALLEL_PUTS = 20;

/** PUTs each key (its name as its body), MAX_PARALLEL_PUTS at a time. */
export async function putKeys(client: S3Client, Bucket: string, keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += MAX_PARALLEL_PUTS) {
    await Promise.all(keys.slice(i, i + MAX_PARALLEL_PUTS).map((Key) => client.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));
  }
}

/** A new bucket of `count` keys named `prefix/00000`, `prefix/00001`, ... */
export async function bucketWithKeys(client: S3Client, count: number, { prefix = "k", bucketPrefix = "test" } = {}): Promise<{ Bucket: string; keys: string[] }> {
  const Bucket = uniqueBucket(bucketPrefix);
  await client.send(new CreateBucketCommand({ Bucket }));
  const keys = Array.from({ length: count }, (_, i) => `${prefix}/${String(i).padStart(5, "0")}`);
  await putKeys(client, Bucket, keys);
  return { Bucket, keys };
}
