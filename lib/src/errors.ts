/**
 * The one error type s3kit throws on purpose: its message is a single plain sentence that names
 * the thing (bucket, key, endpoint, file, port) and says what to do. `code` lets code branch on the
 * kind of failure; `cause` keeps the SDK's or Node's original error for whoever wants the details.
 */
export type S3KitErrorCode =
  | "NotFound"
  | "InvalidName"
  | "InvalidArgument"
  | "Unreachable"
  | "AccessDenied"
  | "Expired"
  | "NotLoaded"
  | "NotImplemented"
  | "PortInUse"
  | "DamagedData"
  | "BadCsv"
  | "Aborted"
  | "Integrity"
  | "Failed";

export class S3KitError extends Error {
  override readonly name = "S3KitError";

  constructor(
    message: string,
    readonly code: S3KitErrorCode,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for every "it is not there" failure: NoSuchKey, NoSuchBucket, a bare 404 from HEAD. */
export function isNotFound(error: unknown): boolean {
  if (error instanceof S3KitError) return error.code === "NotFound";
  const name = (error as { name?: string } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return name === "NoSuchKey" || name === "NoSuchBucket" || name === "NotFound" || status === 404;
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
  /** Set for a request made with a presigned URL or form rather than by the SDK. */
  presigned?: boolean;
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
  TimeoutError: "the connection timed out",
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
 * Turns any error from an S3 call into an S3KitError with one sentence that names the bucket, key
 * or endpoint and says what to do. The SDK's own error stays available as `cause`.
 */
export function explain(error: unknown): S3KitError {
  if (error instanceof S3KitError) return error;
  const err = (error ?? {}) as Error & {
    code?: string;
    Code?: string;
    $metadata?: { httpStatusCode?: number };
    [REQUEST_CONTEXT]?: RequestContext;
  };
  const context = err[REQUEST_CONTEXT];
  const where = context?.bucket ? s3Url(context.bucket, context.key) : (context?.endpoint ?? "S3");
  const status = err.$metadata?.httpStatusCode;
  const name = err.name === "Error" || !err.name ? (err.Code ?? err.code ?? "Error") : err.name;
  const fail = (message: string, code: S3KitErrorCode) => new S3KitError(message, code, { cause: error });

  const network = NETWORK_CODES[err.code ?? ""] ?? NETWORK_CODES[name];
  if (network) {
    const how = context?.local
      ? "start the kit's local server with `npm start` (or call connect() again, which starts it)"
      : "check that the server is running and the endpoint URL is right";
    const endpoint = context?.endpoint ? ` ${context.endpoint}` : "";
    return fail(`Cannot reach the S3 endpoint${endpoint} (${network}): ${how}.`, "Unreachable");
  }
  if (name === "AbortError") return fail(`The request to ${where} was cancelled.`, "Aborted");
  if (name === "NoSuchUpload") {
    return fail(`The multipart upload ${context?.uploadId ?? ""} on ${where} does not exist: it was already completed or aborted.`, "NotFound");
  }
  const missingConfiguration = MISSING_CONFIGURATIONS[name];
  if (missingConfiguration) {
    return fail(`The bucket ${where} has no ${missingConfiguration}: put one first, or treat this as "none".`, "NotFound");
  }
  if (name === "NoSuchBucket" || ((status === 404 || name === "NotFound") && context?.bucket && context.key === undefined)) {
    return fail(`The bucket ${s3Url(context?.bucket ?? "?")} does not exist: create it first, or check the name.`, "NotFound");
  }
  if (name === "NoSuchKey" || name === "NotFound" || status === 404) {
    return fail(`${where} does not exist: check the key, or list the bucket to see what is there.`, "NotFound");
  }
  if (name === "BucketAlreadyOwnedByYou" || name === "BucketAlreadyExists") {
    return fail(`The bucket ${where} already exists: pick another name, or use the existing bucket.`, "InvalidArgument");
  }
  if (name === "BucketNotEmpty") {
    return fail(`The bucket ${where} is not empty: delete its objects first, e.g. with bucket.objects.all().delete().`, "InvalidArgument");
  }
  if (name === "InvalidBucketName") {
    return fail(`"${context?.bucket}" is not a valid bucket name: use 3-63 lowercase letters, digits, dots and hyphens.`, "InvalidName");
  }
  // s3rver answers MethodNotAllowed for operations it has no route for (ListObjectVersions, ListParts, ...).
  if (name === "NotImplemented" || status === 501 || (name === "MethodNotAllowed" && context?.local)) {
    return fail(
      `The server at ${context?.endpoint ?? "this endpoint"} does not implement ${context?.operation ?? "this operation"}: run it against MinIO or AWS (see the README's support table).`,
      "NotImplemented",
    );
  }
  if ((name === "AccessDenied" || status === 403) && /expired/i.test(err.message ?? "")) {
    const what = context?.presigned ? `The presigned URL for ${where}` : `The credentials used for ${where}`;
    return fail(`${what} has expired: create a new one${context?.presigned ? " with a longer expiresIn" : ""}.`, "Expired");
  }
  if (name === "AccessDenied" || name === "Forbidden" || status === 403) {
    return fail(`Access to ${where} was denied: check the credentials and their permissions.`, "AccessDenied");
  }
  const detail = err.message && err.message !== name ? `${name}: ${err.message}` : name;
  return fail(`${context?.operation ?? "The request"} on ${where} failed (${detail}).`, "Failed");
}

/**
 * Awaits one S3 request and turns its failure into the one-sentence S3KitError of `explain`, so
 * that every s3kit call built on the client fails in the same predictable shape.
 */
export async function explained<T>(request: Promise<T>): Promise<T> {
  try {
    return await request;
  } catch (error) {
    throw explain(error);
  }
}
