import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { Readable } from "node:stream";
import { explain } from "../errors";
import { decodeText, type Compression } from "./decode";
import type { ResolvedLocation } from "./location";

/** The object's text, decoded as it arrives (see decodeText). */
export async function* objectText(where: ResolvedLocation, options: { compression?: Compression; encoding?: string } = {}): AsyncGenerator<string> {
  const response = await where.client.send(new GetObjectCommand({ Bucket: where.bucket, Key: where.key })).catch((error: unknown) => {
    throw explain(error);
  });
  const body = response.Body as Readable | undefined;
  if (!body) return;
  try {
    yield* decodeText(body, where.url, where.key, options);
  } finally {
    body.destroy();
  }
}

