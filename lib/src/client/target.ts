import { S3KitError } from "../errors";
import { ENGINE_LABELS, type EngineName } from "../server/engine";

/**
 * Where s3kit sends requests. The kit's local server is the default; another endpoint (MinIO,
 * LocalStack, ...) is used when given; real AWS only when asked for by name, so that credentials
 * lying in ~/.aws never send a learner's experiments to a real account by accident.
 */
export interface Target {
  kind: "local" | "endpoint" | "aws";
  /** Absent for AWS (the SDK picks the regional endpoint), and for "local" until connect() finds the server. */
  endpoint?: string;
  region: string;
  /** For "local": which engine serves it, once known. */
  engine?: EngineName;
}

export interface TargetOptions {
  /** "local" (the default) or "aws"; the environment variable S3KIT_TARGET says the same. */
  target?: "local" | "aws";
  /** An S3-compatible endpoint such as MinIO's; AWS_ENDPOINT_URL_S3 says the same. */
  endpoint?: string;
  region?: string;
}

export function resolveTarget(options: TargetOptions = {}, env: NodeJS.ProcessEnv = process.env): Target {
  const region = options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "us-east-1";
  const chosen = options.target ?? env.S3KIT_TARGET ?? "local";
  if (chosen !== "local" && chosen !== "aws") {
    throw new S3KitError(`S3KIT_TARGET is "${chosen}": set it to "local" or "aws" (or leave it unset).`, "InvalidArgument");
  }
  if (chosen === "aws") return { kind: "aws", region };

  // The kit exports its own server as S3KIT_ENDPOINT and, for raw clients, as AWS_ENDPOINT_URL_S3 too.
  const kitEndpoint = env.S3KIT_ENDPOINT;
  const explicit = options.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  if (explicit && explicit !== kitEndpoint) {
    try {
      new URL(explicit);
    } catch {
      throw new S3KitError(`The endpoint "${explicit}" is not a URL: write it like http://127.0.0.1:9000.`, "InvalidArgument");
    }
    return { kind: "endpoint", endpoint: explicit.replace(/\/+$/, ""), region };
  }
  return { kind: "local", endpoint: kitEndpoint, region };
}

/** One line saying where requests go, printed by connect(). */
export function describeTarget(target: Target): string {
  switch (target.kind) {
    case "local": {
      const engine = target.engine ? ` (${ENGINE_LABELS[target.engine]})` : "";
      return target.endpoint
        ? `s3kit → the kit's local S3 server${engine} at ${target.endpoint}, region ${target.region}`
        : `s3kit → the kit's local S3 server (connect() finds or starts it), region ${target.region}`;
    }
    case "endpoint":
      return `s3kit → S3-compatible endpoint ${target.endpoint}, region ${target.region}`;
    case "aws":
      return `s3kit → real AWS S3, region ${target.region} (S3KIT_TARGET=aws)`;
  }
}

const AWS_ASKED = Symbol.for("s3kit.awsAsked");

/** Marks a client the kit built for real AWS because it was asked to (connect({ target: "aws" })). */
export function markAwsAsked(client: object): void {
  Object.defineProperty(client, AWS_ASKED, { value: true });
}

/**
 * Whether a client with no endpoint of its own may reach real AWS: only when it was asked for,
 * by the kit's target (S3KIT_TARGET=aws) or by connect({ target: "aws" }). Having credentials in
 * ~/.aws is not asking.
 */
export function awsAsked(client: object, env: NodeJS.ProcessEnv = process.env): boolean {
  return env.S3KIT_TARGET === "aws" || AWS_ASKED in client;
}
