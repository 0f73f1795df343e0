import { inspect } from "node:util";
import { S3Client } from "@aws-sdk/client-s3";
import { formatBytes } from "../display/format";
import { awsAsked } from "../client/target";
import { attachRequestContext, s3Url, S3KitError } from "../errors";

const ANNOTATED = Symbol.for("s3kit.annotatedSend");

interface CommandLike {
  input?: { Bucket?: string; Key?: string; UploadId?: string };
  constructor: { name: string };
}

interface StreamingBody {
  transformToString(encoding?: string): Promise<string>;
  transformToByteArray(): Promise<Uint8Array>;
  transformToWebStream(): unknown;
}

type Send = (this: S3Client, command: CommandLike, ...rest: unknown[]) => unknown;

/**
 * In an interactive session (notebook kernel, REPL), makes every S3Client of the process, a
 * learner's own `new S3Client()` included, answer the way a learner can read: a failed request's
 * error names its operation, bucket and key (as the kit's own clients' middleware does, which runs
 * first and wins), and a GetObject body shows what it is and says so when it is read twice.
 * A client with no endpoint, which would go to real AWS, is stopped before it sends anything
 * unless AWS was asked for. Middleware cannot do it: it is per client, and these clients are
 * not made by the kit.
 */
export function annotateS3Clients(clientClass: typeof S3Client = S3Client): void {
  const prototype = clientClass.prototype as unknown as { send: Send; [ANNOTATED]?: true };
  if (prototype[ANNOTATED]) return;
  Object.defineProperty(prototype, ANNOTATED, { value: true });
  const send = prototype.send;
  prototype.send = function (command, ...rest) {
    if (wouldReachUnaskedAws(this)) {
      const refusal = unaskedAwsError(command);
      const callback = rest.find((arg) => typeof arg === "function") as ((error: unknown) => void) | undefined;
      return callback ? callback(refusal) : Promise.reject(refusal);
    }
    const sent = send.call(this, command, ...rest);
    // With a callback the SDK returns nothing: that style stays as it is.
    if (!(sent instanceof Promise)) return sent;
    const input = command.input ?? {};
    return sent.then(
      (output: { Body?: unknown; ContentLength?: number; ContentType?: string }) => {
        if (input.Bucket && isStreamingBody(output?.Body)) describeBody(output.Body, s3Url(input.Bucket, input.Key), output);
        return output;
      },
      async (error: unknown) => {
        const endpoint = await endpointOf(this);
        attachRequestContext(error, {
          operation: command.constructor.name.replace(/Command$/, ""),
          endpoint,
          local: endpoint === process.env.S3KIT_ENDPOINT,
          bucket: input.Bucket,
          key: input.Key,
          uploadId: input.UploadId,
        });
        throw error;
      },
    );
  };
}

/** No endpoint in the client or the environment means AWS itself. */
function wouldReachUnaskedAws(client: S3Client): boolean {
  const endpointSet = client.config.endpoint !== undefined || Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return !endpointSet && !awsAsked(client);
}

function unaskedAwsError(command: CommandLike): S3KitError {
  const operation = command.constructor.name.replace(/Command$/, "");
  return new S3KitError(
    `This S3Client has no endpoint, so its ${operation} would go to real AWS, which this session was not asked to use: build it with { endpoint: process.env.S3KIT_ENDPOINT } or use connect(); for AWS, set S3KIT_TARGET=aws or call connect({ target: "aws" }).`,
    "InvalidArgument",
  );
}

/** Where the client sends requests: its endpoint URL, or AWS itself. */
async function endpointOf(client: S3Client): Promise<string> {
  try {
    const endpoint = await client.config.endpoint?.();
    if (endpoint) return `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ""}`;
    return process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL ?? `AWS S3 (${await client.config.region()})`;
  } catch {
    return "S3";
  }
}

function isStreamingBody(body: unknown): body is StreamingBody {
  return typeof (body as StreamingBody | undefined)?.transformToString === "function";
}

/**
 * A body is a network stream: printed, it shows as what it holds instead of its socket; read a
 * second time, it says why that cannot work instead of "The stream has already been transformed."
 */
function describeBody(body: StreamingBody, where: string, output: { ContentLength?: number; ContentType?: string }): void {
  let read = false;
  for (const method of ["transformToString", "transformToByteArray", "transformToWebStream"] as const) {
    const original = body[method].bind(body) as (...args: unknown[]) => never;
    Object.defineProperty(body, method, {
      writable: true,
      configurable: true,
      value: (...args: unknown[]) => {
        if (read) {
          throw new S3KitError(
            `The body of ${where} was already read: a response body is a stream and can be read once. Keep what the first read returned (const text = await Body.transformToString()), or send GetObject again.`,
            "Failed",
          );
        }
        read = true;
        return original(...args);
      },
    });
  }
  const size = output.ContentLength === undefined ? "size unknown" : formatBytes(output.ContentLength);
  Object.defineProperty(body, inspect.custom, {
    configurable: true,
    value: () => `[body of ${where}: ${size}, ${output.ContentType ?? "no content type"}; ${read ? "already read" : "read it once, e.g. await Body.transformToString()"}]`,
  });
}
