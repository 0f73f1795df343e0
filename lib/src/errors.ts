import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { unstorableKeyReason } from "./server/key-guard";

/**
 * The failures s3kit finds itself, before or without an answer from S3 (a bad argument, a file
 * that is not there, attributes not loaded yet...). A failure S3 answered keeps S3's own code
 * instead: `NoSuchKey`, `NoSuchBucket`, `BucketNotEmpty`, `AccessDenied`, ...
 */
export type KitErrorCode =
  | "InvalidName"
  | "InvalidArgument"
  | "Unreachable"
  | "Timeout"
  | "NotLoaded"
  | "NotImplemented"
  | "PortInUse"
  | "DamagedData"
  | "BadCsv"
  | "Aborted"
  | "Integrity"
  | "LocalFile"
  | "Failed";

/** A kit code, or the error code S3 answered with (`NoSuchKey`, `SignatureDoesNotMatch`, ...). */
export type S3KitErrorCode = KitErrorCode | (string & {});

/** The SDK's response metadata, as on its own errors (`$metadata.httpStatusCode`, `requestId`). */
export interface ResponseMetadata {
  httpStatusCode?: number;
  requestId?: string;
  extendedRequestId?: string;
  attempts?: number;
  totalRetryDelay?: number;
}

/** What an S3KitError keeps of the S3 answer behind it: the SDK's metadata and fault side. */
export interface S3Answer {
  $metadata: ResponseMetadata;
  $fault: "client" | "server";
}

/**
 * The one error type s3kit throws: its message is a single plain sentence that names the thing
 * (bucket, key, copy source, endpoint, file, port) and says what to do. `cause` keeps the SDK's or
 * Node's original error.
 *
 * When S3 answered, `code` and `name` are S3's own code and `$metadata` the SDK's, so the error
 * also passes the SDK's `instanceof` checks (`e instanceof NoSuchKey`: the SDK's exception classes
 * recognise any error with that name, `$fault` and `$metadata`). For the kit's own failures,
 * `code` is one of KitErrorCode and `name` is "S3KitError".
 */
export class S3KitError extends Error {
  override readonly name: string;
  // `declare`: no own property at all on the kit's own errors, so they print without them.
  declare readonly $metadata?: ResponseMetadata;
  declare readonly $fault?: "client" | "server";

  constructor(
    message: string,
    readonly code: S3KitErrorCode,
    options: { cause?: unknown; answer?: S3Answer } = {},
  ) {
    // No `cause` at all rather than an undefined one, which would print as `[cause]: undefined`.
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = options.answer ? code : "S3KitError";
    if (options.answer) Object.assign(this, options.answer);
  }

  /** The same failure (code, S3 answer, cause) told with another sentence. */
  retold(message: string): S3KitError {
    const answer = this.$metadata && this.$fault ? { $metadata: this.$metadata, $fault: this.$fault } : undefined;
    return new S3KitError(message, this.code, { cause: this.cause, answer });
  }
}

/** The codes that mean "it is not there", whichever way S3 said it. */
const MISSING_CODES = new Set(["NoSuchKey", "NoSuchBucket", "NotFound", "NoSuchVersion", "NoSuchUpload"]);

/** True for every "it is not there" answer from S3: NoSuchKey, NoSuchBucket, a bare 404 from HEAD. */
export function isNotFound(error: unknown): boolean {
  const err = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } } | null;
  if (error instanceof S3KitError) return MISSING_CODES.has(error.code);
  return MISSING_CODES.has(err?.name ?? "") || err?.$metadata?.httpStatusCode === 404;
}

/** `s3://bucket/key` (or `s3://bucket` without a key): how s3kit names a location in messages. */
export function s3Url(bucket: string, key?: string): string {
  return key === undefined ? `s3://${bucket}` : `s3://${bucket}/${key}`;
}

/** What s3kit's client middleware records on a failed request, so that errors can name it. */
export interface RequestContext {
  operation: string;
  endpoint: string;
  local: boolean;
  bucket?: string;
  key?: string;
  uploadId?: string;
  versionId?: string;
  /** CopyObject's and UploadPartCopy's `x-amz-copy-source`: `bucket/key`, URL-encoded. */
  copySource?: string;
  /** Set for a request made with a presigned URL or form rather than by the SDK. */
  presigned?: boolean;
  /** For a presigned request: its URL has expired (S3 may not say so in words). */
  expired?: boolean;
  /** The client that sent the request, for the one follow-up request `explained` may send. */
  client?: S3Client;
}

const REQUEST_CONTEXT = Symbol.for("s3kit.requestContext");

export function attachRequestContext(error: unknown, context: RequestContext): void {
  if (error && typeof error === "object" && !(REQUEST_CONTEXT in error)) {
    Object.defineProperty(error, REQUEST_CONTEXT, { value: context, enumerable: false });
  }
}

/** The request context s3kit recorded on an error (or on the error it wraps), if any. */
export function requestContextOf(error: unknown): RequestContext | undefined {
  const tagged = error as { [REQUEST_CONTEXT]?: RequestContext; cause?: unknown } | null;
  return tagged?.[REQUEST_CONTEXT] ?? (tagged?.cause ? requestContextOf(tagged.cause) : undefined);
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "the connection was reset",
  EPIPE: "the connection was closed",
  ENOTFOUND: "the host name does not resolve",
  EAI_AGAIN: "the host name does not resolve",
  EHOSTUNREACH: "the host is unreachable",
  ENETUNREACH: "the network is unreachable",
  ETIMEDOUT: "the connection timed out",
};

/** The 404s S3 answers for a bucket configuration that was never set, and what each is. */
const MISSING_CONFIGURATIONS: Record<string, string> = {
  NoSuchCORSConfiguration: "CORS configuration",
  NoSuchWebsiteConfiguration: "website configuration",
  NoSuchBucketPolicy: "bucket policy",
  NoSuchTagSet: "tags",
  NoSuchLifecycleConfiguration: "lifecycle configuration",
};

/**
 * S3's code for an answer without an error body (HEAD has none): the SDK then names the error
 * "NotFound" for a 404 and "Unknown" otherwise, which says nothing.
 */
const CODES_BY_STATUS: Record<number, string> = {
  400: "BadRequest",
  403: "AccessDenied",
  404: "NotFound",
  405: "MethodNotAllowed",
  409: "Conflict",
  411: "MissingContentLength",
  412: "PreconditionFailed",
  416: "InvalidRange",
  500: "InternalError",
  501: "NotImplemented",
  503: "ServiceUnavailable",
};

/** S3's code for an SDK error, also when the SDK could not read one (an answer with no body). */
function s3Code(name: string, status: number | undefined): string {
  const unnamed = name === "Unknown" || name === "UnknownError" || name === "Error" || /^\d+$/.test(name);
  if (unnamed && status !== undefined) return CODES_BY_STATUS[status] ?? `HTTP${status}`;
  return name;
}

/** `bucket/key?versionId=v` (a copy source header) as the bucket and key it names. */
function parseCopySource(header: string): { bucket: string; key: string } {
  const [path] = header.replace(/^\//, "").split("?");
  const slash = path.indexOf("/");
  return { bucket: path.slice(0, slash), key: decodeURIComponent(path.slice(slash + 1)) };
}

/**
 * Turns any error from an S3 call into an S3KitError with one sentence that names the bucket,
 * key, copy source or endpoint and says what to do. An answer from S3 keeps S3's code, the SDK's
 * `$metadata` and, as `cause`, the SDK's own error.
 */
export function explain(error: unknown): S3KitError {
  if (error instanceof S3KitError) return error;
  const err = (error ?? {}) as Error & { code?: string; Code?: string; $metadata?: ResponseMetadata; $fault?: "client" | "server" };
  const context = requestContextOf(error);
  const name = err.name === "Error" || !err.name ? (err.Code ?? err.code ?? "Error") : err.name;
  const where = context?.bucket ? s3Url(context.bucket, context.key) : "S3";

  // The client's requestTimeout (connect.ts): connected, but no answer came.
  if (name === "TimeoutError" && /requestTimeout/.test(err.message ?? "")) {
    return new S3KitError(
      `${context?.operation ?? "The request"} on ${where} got no answer from ${context?.endpoint ?? "the server"} in time: check that the server is running and not overloaded, then try again.`,
      "Timeout",
      { cause: error },
    );
  }
  // The client's connectionTimeout (connect.ts): the server never took the connection. The SDK
  // names it TimeoutError without a code, so only its message tells it from a requestTimeout.
  const connectionTimedOut = name === "TimeoutError" && /did not establish a connection/.test(err.message ?? "");
  const network = connectionTimedOut ? NETWORK_CODES.ETIMEDOUT : (NETWORK_CODES[err.code ?? ""] ?? NETWORK_CODES[name]);
  if (network) {
    const how = context?.local
      ? "start the kit's local server with `npm start` (or call connect() again, which starts it)"
      : "check that the server is running and the endpoint URL is right";
    const endpoint = context?.endpoint ? ` ${context.endpoint}` : "";
    return new S3KitError(`Cannot reach the S3 endpoint${endpoint} (${network}): ${how}.`, "Unreachable", { cause: error });
  }
  if (name === "AbortError") {
    return new S3KitError(`The request to ${where} was cancelled.`, "Aborted", { cause: error });
  }
  const status = err.$metadata?.httpStatusCode;
  if (status === undefined) {
    const detail = err.message && err.message !== name ? `${name}: ${err.message}` : name;
    return new S3KitError(`${context?.operation ?? "The request"} on ${where} failed (${detail}).`, "Failed", { cause: error });
  }
  // A bare 404 to a request without a key (HeadBucket) can only mean the bucket.
  const code = s3Code(name, status) === "NotFound" && context?.bucket && context.key === undefined ? "NoSuchBucket" : s3Code(name, status);
  const answer = { $metadata: err.$metadata!, $fault: err.$fault ?? (status >= 500 ? "server" : "client") };
  // The kit's s3rver refuses the keys it would store outside their bucket (server/key-guard.ts);
  // the refused key comes back as <Key> (it may be a copy source), or not at all for a HEAD.
  const refusedKey = (err as { Key?: string }).Key ?? context?.key;
  const unstorable = refusedKey !== undefined && context?.local ? unstorableKeyReason(refusedKey) : undefined;
  if (code === "UnsupportedKey" || (code === "BadRequest" && unstorable)) {
    return new S3KitError(
      `The key "${refusedKey}" ${unstorable ?? "cannot be stored as a file"}: the kit's local s3rver fallback cannot store such keys, so rename it, or use the Ceph engine (S3KIT_SERVER=ceph), which can.`,
      "UnsupportedKey",
      { cause: error, answer },
    );
  }
  return new S3KitError(sentence(code, context, err.message, status), code, { cause: error, answer });
}

/** The sentence for an answer from S3 with this code, naming what the request was about. */
function sentence(code: string, context: RequestContext | undefined, message: string | undefined, status: number): string {
  const bucket = context?.bucket ?? "?";
  const where = context?.bucket ? s3Url(context.bucket, context.key) : (context?.endpoint ?? "S3");
  const source = context?.copySource ? parseCopySource(context.copySource) : undefined;
  const missingConfiguration = MISSING_CONFIGURATIONS[code];
  if (missingConfiguration) return `The bucket ${s3Url(bucket)} has no ${missingConfiguration}: put one first, or treat this as "none".`;
  switch (code) {
    case "NoSuchUpload":
      return `The multipart upload ${context?.uploadId ?? ""} on ${where} does not exist: it was already completed or aborted.`;
    case "NoSuchBucket":
      if (source) return `The bucket of the copy source ${s3Url(source.bucket)} or of the destination ${s3Url(bucket)} does not exist: create it first, or check the names.`;
      return `The bucket ${s3Url(bucket)} does not exist: create it first, or check the name.`;
    case "NoSuchKey":
      if (source) return `The copy source ${s3Url(source.bucket, source.key)} does not exist: check its bucket and key, or list that bucket to see what is there.`;
      return `${where} does not exist: check the key, or list the bucket to see what is there.`;
    case "NoSuchVersion":
      return `Version ${context?.versionId ?? ""} of ${where} does not exist: list the object's versions to see which there are.`;
    case "NotFound":
      return `${where} does not exist (or its bucket does not): check the bucket and key, or list the bucket to see what is there.`;
    case "BucketAlreadyOwnedByYou":
      return `The bucket ${s3Url(bucket)} already exists and is yours: use it, or pick another name.`;
    case "BucketAlreadyExists":
      return `The bucket ${s3Url(bucket)} already exists (bucket names are shared by every account): pick another name.`;
    case "BucketNotEmpty":
      return `The bucket ${s3Url(bucket)} is not empty: delete its objects first, e.g. with bucket.objects.all().delete().`;
    case "InvalidBucketName":
      return `"${bucket}" is not a valid bucket name: use 3-63 lowercase letters, digits, dots and hyphens.`;
    case "KeyTooLongError":
      return `The key of ${where} is too long for S3: keep keys under 1,024 bytes (UTF-8).`;
    case "NotImplemented":
    case "MethodNotAllowed":
      // s3rver answers MethodNotAllowed for operations it has no route for (ListObjectVersions, ListParts, ...).
      if (code === "NotImplemented" || context?.local) {
        return `The server at ${context?.endpoint ?? "this endpoint"} does not implement ${context?.operation ?? "this operation"}: run it against MinIO or AWS (see the README's support table).`;
      }
      break;
    case "SignatureDoesNotMatch":
    case "InvalidAccessKeyId":
      return `The server refused the credentials for ${where} (${code}): check the access key and the secret key.`;
    case "PreconditionFailed":
      return `${where} has changed since the request was prepared (PreconditionFailed): start the operation again.`;
    case "InternalError":
    case "ServiceUnavailable":
    case "SlowDown":
      return `The server failed on ${context?.operation ?? "the request"} for ${where} (${code}): try again in a moment.`;
  }
  // AWS says "Access Denied because object protected by object lock", Ceph "forbidden by object lock".
  if (code === "AccessDenied" && /object lock/i.test(message ?? "")) {
    const what = context?.versionId ? `Version ${context.versionId} of ${where}` : where;
    return `${what} is protected by object lock (a legal hold or a retention period): turn the legal hold off, or wait until the retention ends (GOVERNANCE retention yields to BypassGovernanceRetention).`;
  }
  if (code === "AccessDenied" || status === 403) {
    if (context?.expired || /expired/i.test(message ?? "")) {
      const what = context?.presigned ? `The presigned URL for ${where}` : `The credentials used for ${where}`;
      return `${what} has expired: create a new one${context?.presigned ? " with a longer expiresIn" : ""}.`;
    }
    return `Access to ${where} was denied (${code}): check the credentials and their permissions.`;
  }
  // Some servers (Ceph RGW) send an empty <Message>, and HEAD answers have none: the code must do.
  const detail = message && message !== code && message !== "UnknownError" ? `${code}: ${message}` : code;
  return `${context?.operation ?? "The request"} on ${where} failed (${detail}).`;
}

/**
 * explain(), plus the one extra request S3 sometimes makes necessary to name the right thing. A
 * HEAD answers a missing object with a bare 404 whether the key or the whole bucket is missing, and
 * a copy answers NoSuchBucket for a missing source bucket and a missing destination bucket alike:
 * HeadBucket on the request's bucket tells them apart. The request goes through the same client,
 * so it is as visible (in traces, in server logs) as the request that failed.
 */
export async function explainAfterCheck(error: unknown): Promise<S3KitError> {
  const explanation = explain(error);
  const context = requestContextOf(error);
  const ambiguous = (explanation.code === "NotFound" && context?.key !== undefined) || (explanation.code === "NoSuchBucket" && context?.copySource);
  if (!ambiguous || !context?.client || !context.bucket) return explanation;
  const bucketExists = await context.client.send(new HeadBucketCommand({ Bucket: context.bucket })).then(
    () => true,
    (headError: unknown) => (isNotFound(headError) ? false : undefined),
  );
  if (bucketExists === undefined) return explanation;
  const tell = (code: string, message: string) => new S3KitError(message, code, { cause: error, answer: { $metadata: explanation.$metadata!, $fault: "client" } });
  if (!bucketExists) return tell("NoSuchBucket", sentence("NoSuchBucket", { ...context, copySource: undefined }, undefined, 404));
  if (context.copySource) {
    return tell("NoSuchBucket", `The bucket of the copy source ${s3Url(parseCopySource(context.copySource).bucket)} does not exist: create it first, or check the name.`);
  }
  const code = context.versionId ? "NoSuchVersion" : "NoSuchKey";
  return tell(code, sentence(code, context, undefined, 404));
}

/**
 * Awaits one S3 request and turns its failure into the one-sentence S3KitError of `explain` (with
 * the follow-up check of `explainAfterCheck`), so that every s3kit call built on the client fails
 * in the same predictable shape.
 */
export async function explained<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    throw await explainAfterCheck(error);
  }
}
