/**
 * One measured CSV read in a process of its own (peak RSS is per process), for csv.bench.ts:
 * `readCsv`, `readCsvChunks` or `danfo.readCSV(presigned URL)`. Prints one JSON line.
 */
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import * as danfo from "danfojs-node";
import { createClient, readCsv, readCsvChunks } from "s3kit";
import { peakRssMb } from "./harness";

interface Args {
  endpoint: string;
  bucket: string;
  key: string;
  mode: "readCsv" | "readCsvChunks" | "danfo";
  chunkSize?: number;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as Args;
  const client = createClient({ kind: "local", endpoint: args.endpoint, region: "us-east-1" });
  const source = { Bucket: args.bucket, Key: args.key };
  // Everything loaded and warmed on a tiny read first, so the figures are the read's own.
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const started = performance.now();
  let rows = 0;
  if (args.mode === "readCsv") {
    rows = (await readCsv(source, { client })).shape[0];
  } else if (args.mode === "readCsvChunks") {
    for await (const chunk of readCsvChunks(source, { client, chunkSize: args.chunkSize ?? 100_000 })) rows += chunk.shape[0];
  } else {
    const url = await getSignedUrl(client, new GetObjectCommand(source), { expiresIn: 600 });
    rows = (await danfo.readCSV(url)).shape[0];
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, rows, peakRssMb: peakRssMb(), baseRssMb }));
  client.destroy();
}

void main();
