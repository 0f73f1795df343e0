import type { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { DataFrame } from "danfojs-node";
import Papa from "papaparse";
import { PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { explain } from "../errors";
import { resolveLocation, type CsvLocation } from "./location";

export interface WriteCsvOptions {
  /** The client to use (default: the resource's `meta.client`, else the latest connect()'s). */
  client?: S3Client;
  /** Field separator (pandas `sep`), default ",". */
  delimiter?: string;
  /** Gzip the object; default: when the key ends in ".gz" (pandas `compression="infer"`). */
  gzip?: boolean;
  /** Rows turned into text at a time: bounds the memory the text takes (default 10,000). */
  rowsPerBatch?: number;
}

/** How pandas' to_csv writes what is not a plain string: missing as "", booleans as True/False, dates in ISO 8601. */
function cell(value: unknown): unknown {
  if (value === null || value === undefined || (typeof value === "number" && Number.isNaN(value))) return "";
  if (typeof value === "boolean") return value ? "True" : "False";
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * Writes a DataFrame to S3 as CSV (pandas: `df.to_csv("s3://bucket/key.csv", index=False)`):
 * quoted by papaparse's unparse (danfo's own toCSV leaves commas, quotes and newlines in fields
 * unquoted), turned into text a batch of rows at a time and streamed to a managed upload
 * (multipart for large frames; a failure aborts it and leaves no object).
 */
export async function writeCsv(df: DataFrame, destination: CsvLocation, options: WriteCsvOptions = {}): Promise<void> {
  const where = resolveLocation(destination, options.client);
  const { delimiter = ",", gzip = where.key.toLowerCase().endsWith(".gz"), rowsPerBatch = 10_000 } = options;
  const rows = df.values as unknown[][];
  const columns = df.columns;
  function* text(): Generator<string> {
    yield Papa.unparse([columns], { delimiter, newline: "\n" }) + "\n";
    for (let start = 0; start < rows.length; start += rowsPerBatch) {
      const batch = rows.slice(start, start + rowsPerBatch).map((row) => row.map(cell));
      yield Papa.unparse(batch, { delimiter, newline: "\n" }) + "\n";
    }
  }
  const body = new PassThrough();
  const produced = gzip ? pipeline(Readable.from(text()), createGzip(), body) : pipeline(Readable.from(text()), body);
  const upload = new Upload({
    client: where.client,
    params: { Bucket: where.bucket, Key: where.key, Body: body, ContentType: gzip ? "application/gzip" : "text/csv" },
  });
  try {
    await Promise.all([produced, upload.done()]);
  } catch (error) {
    body.destroy();
    await upload.abort().catch(() => {});
    throw explain(error);
  }
}
