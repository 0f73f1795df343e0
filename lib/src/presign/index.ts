/**
 * Presigned URLs and POST forms: a credential-free grant, valid until it expires, to GET or PUT
 * one object or to upload through an HTML form. Whoever holds the URL needs no AWS credentials,
 * only `fetch`.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createPresignedPost, type PresignedPost, type PresignedPostOptions } from "@aws-sdk/s3-presigned-post";

export type { PresignedPost };
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { attachRequestContext, explain, S3KitError, s3Url } from "../errors";
import { validateKey } from "../keys";

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

/** The object requests a presigned URL can grant: the HTTP method and the command it stands for. */
const PRESIGNABLE = {
  GET: (Bucket: string, Key: string, options: PresignOptions) =>
    new GetObjectCommand({ Bucket, Key, ResponseContentDisposition: options.downloadAs && `attachment; filename="${options.downloadAs}"` }),
  PUT: (Bucket: string, Key: string, options: PresignOptions) => new PutObjectCommand({ Bucket, Key, ContentType: options.contentType }),
  HEAD: (Bucket: string, Key: string) => new HeadObjectCommand({ Bucket, Key }),
  DELETE: (Bucket: string, Key: string) => new DeleteObjectCommand({ Bucket, Key }),
};

export type PresignMethod = keyof typeof PRESIGNABLE;

/**
 * A URL that GETs, PUTs, HEADs or DELETEs one object without credentials until it expires (boto3
 * `client.generate_presigned_url`). Any other method is refused: a URL is a grant, and the wrong
 * one (a PUT where a DELETE was asked for) is worse than none.
 */
export async function presignedUrl(client: S3Client, method: PresignMethod, bucket: string, key: string, options: PresignOptions = {}): Promise<string> {
  const command = Object.hasOwn(PRESIGNABLE, method) ? PRESIGNABLE[method] : undefined;
  if (!command) {
    throw new S3KitError(`Cannot presign the method "${String(method)}" for ${s3Url(bucket, key)}: use ${Object.keys(PRESIGNABLE).join(", ")}.`, "InvalidArgument");
  }
  validateKey(bucket, key);
  const expiresIn = checkExpiry(options.expiresIn ?? 3600);
  return getSignedUrl(client, command(bucket, key, options), { expiresIn });
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
  validateKey(bucket, key);
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
    name: field("Code") ?? "Unknown",
    $metadata: { httpStatusCode: response.status, requestId: field("RequestId") },
    $fault: response.status >= 500 ? "server" : "client",
  });
  const url = new URL(response.url);
  attachRequestContext(error, { operation: "presigned request", endpoint: url.origin, local: false, bucket, key, presigned: true, expired: hasExpired(url) });
  return explain(error);
}

/** Whether a presigned URL is past its X-Amz-Date + X-Amz-Expires (servers do not all say so in words). */
function hasExpired(url: URL): boolean {
  const signed = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(url.searchParams.get("X-Amz-Date") ?? "");
  const expires = Number(url.searchParams.get("X-Amz-Expires"));
  if (!signed || !expires) return false;
  const [, y, mo, d, h, mi, se] = signed.map(Number);
  return Date.UTC(y, mo - 1, d, h, mi, se) + expires * 1000 < Date.now();
}
