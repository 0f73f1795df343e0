/**
 * One measured CSV read in a process of its own (peak RSS is per process), for csv.bench.ts:
 * `readCsv`, `readCsvChunks` or `danfo.readCSV(presigned URL)`. Prints one JSON line.
 *
 * With `retained` (and node's --expose-gc), it measures instead what the read keeps on the heap
 * after full collections: the finished DataFrame, or the most any chunk keeps while the chunks are
 * read. Forced collections change the peak, so that is a run of its own.
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
  retained?: boolean;
}

/** Heap in use after full collections, in MB. */
function heapAfterGcMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("measuring retained memory needs node --expose-gc");
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1e6;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2]) as Args;
  const client = createClient({ kind: "local", endpoint: args.endpoint, region: "us-east-1" });
  const source = { Bucket: args.bucket, Key: args.key };
  // danfo is imported above, so the RSS before the read includes danfo and TensorFlow.js.
  const baseRssMb = process.memoryUsage().rss / 1024 / 1024;
  const baseHeapMb = args.retained ? heapAfterGcMb() : 0;
  let retainedMb: number | undefined;
  const started = performance.now();
  let rows = 0;
  if (args.mode === "readCsv" || args.mode === "danfo") {
    const frame =
      args.mode === "readCsv"
        ? await readCsv(source, { client })
        : await danfo.readCSV(await getSignedUrl(client, new GetObjectCommand(source), { expiresIn: 600 }));
    rows = frame.shape[0];
    if (args.retained) retainedMb = heapAfterGcMb() - baseHeapMb;
  } else {
    let chunks = 0;
    for await (const chunk of readCsvChunks(source, { client, chunkSize: args.chunkSize ?? 100_000 })) {
      rows += chunk.shape[0];
      if (args.retained && chunks++ % 10 === 0) retainedMb = Math.max(retainedMb ?? 0, heapAfterGcMb() - baseHeapMb);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ seconds, rows, peakRssMb: peakRssMb(), baseRssMb, retainedMb }));
  client.destroy();
}

void main();
