/**
 * Presigned URLs and POST forms: a credential-free grant, valid until it expires, to GET or PUT
 * one object or to upload through an HTML form. Whoever holds the URL needs no AWS credentials,
 * only `fetch`.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost, type PresignedPost, type PresignedPostOptions } from "@aws-sdk/s3-presigned-post";

export type { PresignedPost };
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { attachRequestContext, explain, S3KitError } from "../errors";

export interface PresignOptions {
  /** Seconds the URL stays valid (boto3 `ExpiresIn`; default 3600, at most 7 days). */
  expiresIn?: number;
  /** PUT: the Content-Type the uploader must send (it becomes part of the signature). */
  contentType?: string;
  /** GET: the file name a browser saves the download as (Content-Disposition). */
  downloadAs?: string;
}

const MAX_EXPIRY = 7 * 24 * 3600;

function checkExpiry(expiresIn: number): number {
  if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_EXPIRY) {
    throw new S3KitError(`expiresIn is ${expiresIn}: give a whole number of seconds from 1 to ${MAX_EXPIRY} (7 days).`, "InvalidArgument");
  }
  return expiresIn;
}

/** A URL that GETs or PUTs one object without credentials until it expires (boto3 `client.generate_presigned_url`). */
export async function presignedUrl(client: S3Client, method: "GET" | "PUT", bucket: string, key: string, options: PresignOptions = {}): Promise<string> {
  const expiresIn = checkExpiry(options.expiresIn ?? 3600);
  const command =
    method === "GET"
      ? new GetObjectCommand({ Bucket: bucket, Key: key, ResponseContentDisposition: options.downloadAs && `attachment; filename="${options.downloadAs}"` })
      : new PutObjectCommand({ Bucket: bucket, Key: key, ContentType: options.contentType });
  return getSignedUrl(client, command, { expiresIn });
}

export interface PresignPostOptions {
  expiresIn?: number;
  /** Policy conditions, e.g. `["content-length-range", 0, 1048576]` (AWS checks them; s3rver does not). */
  conditions?: PresignedPostOptions["Conditions"];
  /** Form fields to sign and send, e.g. `{ "Content-Type": "text/csv" }`. */
  fields?: Record<string, string>;
}

/**
 * A form upload of one key: POST `fields` plus a `file` field as multipart/form-data to `url`
 * (boto3 `client.generate_presigned_post`).
 */
export async function presignedPost(client: S3Client, bucket: string, key: string, options: PresignPostOptions = {}): Promise<PresignedPost> {
  return createPresignedPost(client, {
    Bucket: bucket,
    Key: key,
    Expires: checkExpiry(options.expiresIn ?? 3600),
    Conditions: options.conditions,
    Fields: options.fields,
  });
}

/**
 * The one-sentence explanation of a failed `fetch` of a presigned URL or form (an expired URL, a
 * missing key...), from S3's XML error body.
 */
export async function explainResponse(response: Response, bucket: string, key?: string): Promise<S3KitError> {
  const body = await response.text();
  const field = (name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(body)?.[1];
  const error = Object.assign(new Error(field("Message") ?? response.statusText), {
    name: field("Code") ?? `HTTP ${response.status}`,
    $metadata: { httpStatusCode: response.status },
  });
  const url = new URL(response.url);
  const expired = hasExpired(url);
  attachRequestContext(error, { operation: "presigned request", endpoint: url.origin, local: false, bucket, key, presigned: true, expired });
  return explain(error);
}

/** Whether a presigned URL's lifetime (X-Amz-Date, e.g. 20261122T213000Z, plus X-Amz-Expires seconds) is over. */
function hasExpired(url: URL): boolean {
  const signed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(url.searchParams.get("X-Amz-Date") ?? "");
  const lifetime = Number(url.searchParams.get("X-Amz-Expires"));
  if (!signed || !lifetime) return false;
  const [, year, month, day, hour, minute, second] = signed.map(Number);
  return Date.UTC(year, month - 1, day, hour, minute, second) + lifetime * 1000 < Date.now();
}
