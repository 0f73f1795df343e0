import type { S3Client } from "@aws-sdk/client-s3";
import { defaultClient } from "../client/connect";
import { S3KitError, s3Url } from "../errors";

/** Anything with a bucket and key: an Object or ObjectSummary resource (`obj.meta.client` is used). */
export interface ObjectLike {
  bucketName: string;
  key: string;
  meta: { client: S3Client };
}

/** Where a CSV lives: `"s3://bucket/key.csv"`, `{ Bucket, Key }`, or an Object/ObjectSummary resource. */
export type CsvLocation = string | { Bucket: string; Key: string } | ObjectLike;

export interface ResolvedLocation {
  client: S3Client;
  bucket: string;
  key: string;
  /** `s3://bucket/key`, for messages. */
  url: string;
}

/** Splits `s3://bucket/key` the way pandas and the AWS CLI read it. */
export function parseS3Url(url: string): { Bucket: string; Key: string } {
  const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(url);
  if (!match) throw new S3KitError(`"${url}" is not an S3 object URL: write it as s3://bucket/key.`, "InvalidArgument");
  return { Bucket: match[1], Key: match[2] };
}

/** The client comes from the options, else from the resource, else from the latest connect(). */
export function resolveLocation(location: CsvLocation, client?: S3Client): ResolvedLocation {
  const resource = typeof location === "object" && "bucketName" in location ? location : undefined;
  const { Bucket: bucket, Key: key } = resource
    ? { Bucket: resource.bucketName, Key: resource.key }
    : typeof location === "string"
      ? parseS3Url(location)
      : (location as { Bucket: string; Key: string });
  const ownClient = resource?.meta.client;
  return { client: client ?? ownClient ?? defaultClient(), bucket, key, url: s3Url(bucket, key) };
}
