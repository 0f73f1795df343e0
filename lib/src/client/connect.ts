import http from "node:http";
import https from "node:https";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { attachRequestContext, explain, S3KitError } from "../errors";
import { refuseInvalidKeys } from "../keys";
import { ServiceResource } from "../resources/service";
import { type S3Credentials } from "../server/ceph";
import { chooseEngine } from "../server/engine";
import { findKitServer, startKitServer, type KitServer } from "../server/kit-server";
import { S3RVER_CREDENTIALS } from "../server/local-server";
import { seedKitData } from "../server/seed";
import { describeTarget, markAwsAsked, resolveTarget, type Target, type TargetOptions } from "./target";

/**
 * The kit's local server's credentials, as the kit hands them to kernels, the REPL and tests
 * (S3KIT_ACCESS_KEY_ID / S3KIT_SECRET_ACCESS_KEY; generated per install on Ceph), else s3rver's
 * fixed pair. Read when used, so a connect() that found the server has set them already.
 */
export const LOCAL_CREDENTIALS: S3Credentials = {
  get accessKeyId() {
    return process.env.S3KIT_ACCESS_KEY_ID ?? S3RVER_CREDENTIALS.accessKeyId;
  },
  get secretAccessKey() {
    return process.env.S3KIT_SECRET_ACCESS_KEY ?? S3RVER_CREDENTIALS.secretAccessKey;
  },
};

/**
 * The keys of the local Ceph's second S3 user, `other`, for lessons on permissions: a client made
 * with them is someone else, whom a bucket policy can allow or deny. The kit hands them over as it
 * hands over its own (S3KIT_OTHER_ACCESS_KEY_ID / S3KIT_OTHER_SECRET_ACCESS_KEY), never on a
 * command line; s3rver has no second user.
 */
export function otherUserCredentials(env: NodeJS.ProcessEnv = process.env): S3Credentials {
  const { S3KIT_OTHER_ACCESS_KEY_ID: accessKeyId, S3KIT_OTHER_SECRET_ACCESS_KEY: secretAccessKey } = env;
  if (!accessKeyId || !secretAccessKey) {
    throw new S3KitError(
      "The local server's second user is not known here: it exists on the kit's Ceph engine only, whose keys `npm start` (or connect()) hands over; start the kit with S3KIT_SERVER=ceph npm start.",
      "NotImplemented",
    );
  }
  return { accessKeyId, secretAccessKey };
}

export interface ConnectOptions extends TargetOptions {
  /** Credentials for an explicit endpoint or AWS (default: the SDK's usual chain). */
  credentials?: S3ClientConfig["credentials"];
  /** Do not print the one line saying where requests go. */
  quiet?: boolean;
  /**
   * What the caller needs that the s3rver fallback lacks (e.g. "versioning"): connecting to a
   * local s3rver then fails with one sentence, so a lesson stops at its first cell.
   */
  needs?: string;
}

export interface Connection {
  /** The AWS SDK v3 client: one method per API operation, plain objects back (boto3's `client('s3')`). */
  readonly client: S3Client;
  /** The resource interface on that client (boto3's `resource('s3')`); `resource.meta.client` is `client`. */
  readonly resource: ServiceResource;
  /** Where requests go. */
  readonly target: Target;
  /** The one-line description printed on connect. */
  readonly description: string;
}

let latest: Connection | undefined;

/**
 * The client of the latest connect(), for helpers that take an `s3://` URL and no client, the
 * way pandas finds its default session.
 */
export function defaultClient(): S3Client {
  if (!latest) throw new S3KitError("No S3 connection yet: call `await connect()` first, or pass { client }.", "InvalidArgument");
  return latest.client;
}

/**
 * Connects to the kit's local S3 server (starting and seeding it if none answers), to an explicit
 * endpoint, or, when asked for with `target: "aws"` / S3KIT_TARGET=aws, to real AWS.
 */
export async function connect(options: ConnectOptions = {}): Promise<Connection> {
  const target = resolveTarget(options);
  const local = target.kind === "local" ? await localServer(target.endpoint) : undefined;
  const endpoint = local?.endpoint ?? target.endpoint;
  const resolved: Target = { ...target, endpoint, engine: local?.engine };
  if (options.needs && resolved.engine === "s3rver") throw lacksFeature(options.needs);
  const client = createClient(resolved, options.credentials);
  if (target.kind === "endpoint") await checkReachable(target.endpoint!);
  const description = describeTarget(resolved);
  if (!options.quiet) console.log(description);
  latest = { client, resource: new ServiceResource(client), target: resolved, description };
  return latest;
}

/**
 * The kit's server: the one npm start announced (S3KIT_ENDPOINT, with its credentials in the
 * environment), else this kit home's running one, else one started (and seeded) now. Its
 * credentials go into this process's environment, where LOCAL_CREDENTIALS and createClient find them.
 */
async function localServer(announced: string | undefined): Promise<{ endpoint: string; engine: Target["engine"] }> {
  if (announced) {
    const engine = process.env.S3KIT_ENGINE;
    return { endpoint: announced, engine: engine === "ceph" || engine === "s3rver" ? engine : undefined };
  }
  const fallback = chooseEngine().fallback;
  const note = (line: string) => console.log(`s3kit: ${line}`);
  const found = await findKitServer(process.env, note);
  const server = found ?? (await startKitServer({ port: envPort(), strictPort: envPort() !== undefined, note }));
  if (fallback && server.engine === "s3rver") note(fallback);
  process.env.S3KIT_ACCESS_KEY_ID = server.credentials.accessKeyId;
  process.env.S3KIT_SECRET_ACCESS_KEY = server.credentials.secretAccessKey;
  if (server.otherCredentials) {
    process.env.S3KIT_OTHER_ACCESS_KEY_ID = server.otherCredentials.accessKeyId;
    process.env.S3KIT_OTHER_SECRET_ACCESS_KEY = server.otherCredentials.secretAccessKey;
  }
  if (!found && !(server as KitServer).reused) {
    await seedKitData(createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials));
  }
  return { endpoint: server.endpoint, engine: server.engine };
}

function lacksFeature(feature: string): S3KitError {
  return new S3KitError(
    `This needs ${feature}, which the kit's s3rver fallback does not have: run the kit on the Ceph engine (S3KIT_SERVER=ceph npm start, as root it installs Ceph), or connect to MinIO or AWS.`,
    "NotImplemented",
  );
}

function envPort(): number | undefined {
  return process.env.S3KIT_PORT ? Number(process.env.S3KIT_PORT) : undefined;
}

/**
 * The client configuration that matters off AWS: path-style URLs (no bucket-name DNS), and
 * checksums only where the API requires them, because s3rver stores the SDK's default
 * `aws-chunked` CRC32 framing as part of the object's bytes. Short connection timeouts and few
 * retries make an unreachable endpoint fail in seconds rather than after a retry storm, and a
 * server that accepts a request but never answers fails after `requestTimeout` ms (default 30 s).
 */
export function createClient(target: Target, credentials?: S3ClientConfig["credentials"], timeouts: { requestTimeout?: number } = {}): S3Client {
  const offAws = target.kind !== "aws";
  const client = new S3Client({
    region: target.region,
    ...(offAws && {
      endpoint: target.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 2,
    }),
    credentials: target.kind === "local" ? (credentials ?? { ...LOCAL_CREDENTIALS }) : credentials,
    // requestTimeout: until the answer's headers arrive; without throwOnRequestTimeout the SDK only warns and waits on.
    requestHandler: { connectionTimeout: 2_000, requestTimeout: timeouts.requestTimeout ?? 30_000, throwOnRequestTimeout: true },
  });
  if (!offAws) markAwsAsked(client);
  addRequestContext(client, target);
  refuseInvalidKeys(client);
  return client;
}

/** Middleware that tags a failed request's error with its operation, bucket and key (see `explain`). */
function addRequestContext(client: S3Client, target: Target): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        const input = args.input as { Bucket?: string; Key?: string; UploadId?: string; VersionId?: string; CopySource?: string };
        attachRequestContext(error, {
          operation: context.commandName?.replace(/Command$/, "") ?? "request",
          endpoint: target.endpoint ?? `AWS S3 (${target.region})`,
          local: target.kind === "local",
          bucket: input.Bucket,
          key: input.Key,
          uploadId: input.UploadId,
          versionId: input.VersionId,
          copySource: input.CopySource,
          client,
        });
        throw error;
      }
    },
    { step: "initialize", name: "s3kitRequestContext" },
  );
}

/**
 * Any HTTP answer will do: credentials and permissions are the first real request's business.
 * Asked with node:http(s), which the SDK has loaded already (global fetch would load undici,
 * 0.1-0.2 s of every script's start).
 */
async function checkReachable(endpoint: string): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      const { request } = endpoint.startsWith("https:") ? https : http;
      request(endpoint, { method: "HEAD", signal: AbortSignal.timeout(3_000) }, (response) => {
        response.resume();
        resolve();
      })
        .on("error", reject)
        .end();
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause ?? error;
    attachRequestContext(cause, { operation: "connect", endpoint, local: false });
    throw explain(cause);
  }
}
