/**
 * Object keys the kit refuses before anything is sent. An empty key is not a "nameless object":
 * without it the request's path is the bucket's, so PutObject becomes CreateBucket and
 * DeleteObject becomes DeleteBucket (botocore refuses it for the same reason). S3 refuses keys
 * over 1,024 bytes, but HEAD cannot say why, so the kit says it first.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { S3KitError, s3Url } from "./errors";

/** S3's longest key, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 1024;

/** Why `key` cannot name an object, or undefined when it can. */
export function keyProblem(key: string): string | undefined {
  if (key === "") return "the key is empty, which would address the bucket itself";
  const bytes = Buffer.byteLength(key);
  if (bytes > MAX_KEY_BYTES) return `the key is ${bytes} bytes long; S3 keys are at most ${MAX_KEY_BYTES} bytes (UTF-8)`;
  return undefined;
}

/** Throws InvalidName, naming the bucket and the rule, when `key` cannot name an object. */
export function validateKey(bucket: string, key: string): void {
  const problem = keyProblem(key);
  if (problem) throw new S3KitError(`Cannot use the key "${key.length > 40 ? `${key.slice(0, 40)}…` : key}" in ${s3Url(bucket)}: ${problem}; give a non-empty key of at most ${MAX_KEY_BYTES} bytes.`, "InvalidName");
}

/** A client middleware that applies validateKey to every command with a Key, as botocore validates parameters. */
export function refuseInvalidKeys(client: S3Client): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const { Bucket, Key } = args.input as { Bucket?: string; Key?: unknown };
      if (typeof Key === "string") validateKey(Bucket ?? "?", Key);
      return next(args);
    },
    { step: "initialize", name: "s3kitValidateKey", priority: "high" },
  );
}
