import { GetObjectCommand } from "@aws-sdk/client-s3";
import { Readable, pipeline } from "node:stream";
import { TextDecoder } from "node:util";
import { createGunzip } from "node:zlib";
import { explain, S3KitError } from "../errors";
import type { ResolvedLocation } from "./location";

export type Compression = "infer" | "gzip" | "none";

/** Formats recognised by their first bytes (pandas infers the same ones from the file name). */
const MAGIC: { name: string; suffix: string; bytes: number[] }[] = [
  { name: "gzip", suffix: ".gz", bytes: [0x1f, 0x8b] },
  { name: "zip", suffix: ".zip", bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: "bzip2", suffix: ".bz2", bytes: [0x42, 0x5a, 0x68] },
  { name: "xz", suffix: ".xz", bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00] },
  { name: "zstd", suffix: ".zst", bytes: [0x28, 0xb5, 0x2f, 0xfd] },
];

function compressionOf(key: string, head: Uint8Array): string | undefined {
  const byMagic = MAGIC.find((m) => m.bytes.every((b, i) => head[i] === b));
  return byMagic?.name ?? MAGIC.find((m) => key.toLowerCase().endsWith(m.suffix))?.name;
}

/**
 * The object's text, decoded chunk by chunk as it arrives: gunzipped when the key or the first bytes
 * say gzip, without its BOM, and checked to be text. Nothing holds more than one network chunk.
 * A UTF-8 character split across two chunks is kept whole by the streaming TextDecoder.
 */
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

/** The decoding half of objectText, for any byte stream (tests feed it chunks split mid-character). */
export async function* decodeText(
  body: AsyncIterable<Uint8Array>,
  url: string,
  key: string,
  { compression = "infer", encoding = "utf-8" }: { compression?: Compression; encoding?: string } = {},
): AsyncGenerator<string> {
  const chunks = body[Symbol.asyncIterator]();
  const first = await chunks.next();
  if (first.done) return;
  const rest = { [Symbol.asyncIterator]: () => chunks };
  const compressed = compression === "infer" ? compressionOf(key, first.value) : compression === "gzip" ? "gzip" : undefined;
  if (compressed && compressed !== "gzip") {
    throw new S3KitError(`${url} is compressed with ${compressed}, which readCsv cannot decompress: store it uncompressed or gzipped.`, "BadCsv");
  }
  const whole = Readable.from(prepend(first.value, rest), { objectMode: false });
  const bytes: AsyncIterable<Uint8Array> = compressed ? pipeline(whole, createGunzip(), () => {}) : whole;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch (error) {
    throw new S3KitError(`"${encoding}" is not an encoding this Node.js knows: use a WHATWG label such as "utf-8" or "latin1".`, "InvalidArgument", { cause: error });
  }
  let offset = 0;
  try {
    for await (const chunk of bytes) {
      if (encoding === "utf-8" && chunk.indexOf(0) !== -1) {
        throw new S3KitError(`${url} holds binary data (NUL bytes near byte ${offset + chunk.indexOf(0)}), not CSV text: check the key, or convert a UTF-16 file to UTF-8.`, "BadCsv");
      }
      yield decodeOrExplain(decoder, chunk, url, offset, true);
      offset += chunk.length;
    }
    yield decodeOrExplain(decoder, new Uint8Array(0), url, offset, false);
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith("Z_")) {
      throw new S3KitError(`${url} is not a valid gzip file (${(error as Error).message}): check that it was compressed completely.`, "BadCsv", { cause: error });
    }
    throw error;
  }
}

function decodeOrExplain(decoder: TextDecoder, chunk: Uint8Array, url: string, offset: number, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch (error) {
    throw new S3KitError(
      `${url} is not valid ${decoder.encoding} text (bad bytes near byte ${offset}): pass { encoding: "latin1" } (or the file's real encoding), or check that it is a CSV.`,
      "BadCsv",
      { cause: error },
    );
  }
}

async function* prepend<T>(first: T, rest: AsyncIterable<T>): AsyncGenerator<T> {
  yield first;
  for await (const item of rest) yield item;
}
