import type { Readable } from "node:stream";
import type { GetObjectCommandOutput } from "@aws-sdk/client-s3";

/**
 * GetObject's answer with the body helpers boto3 users reach for (`body.read().decode()`):
 * `text()`, `bytes()` and `stream()`. The body is a stream that can be read once.
 */
export type ObjectContent = GetObjectCommandOutput & {
  /** The whole body decoded as text (UTF-8 unless told otherwise). */
  text(encoding?: string): Promise<string>;
  /** The whole body as bytes. */
  bytes(): Promise<Uint8Array>;
  /** The body as a Node.js stream, e.g. to pipe into a file without holding it in memory. */
  stream(): Readable;
};

export function withBodyHelpers(output: GetObjectCommandOutput): ObjectContent {
  const body = output.Body;
  if (!body) throw new TypeError("GetObject answered without a body.");
  return Object.assign(output, {
    text: (encoding?: string) => body.transformToString(encoding),
    bytes: () => body.transformToByteArray(),
    stream: () => body as unknown as Readable,
  });
}
