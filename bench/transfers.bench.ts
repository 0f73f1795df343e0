/**
 * Managed transfers against the embedded server: s3kit's uploadFile/downloadFile versus the raw
 * SDK (lib-storage `Upload` with the same part size and concurrency; one GetObject stream piped
 * to a file), 256 MiB each, MB/s and peak RSS, all in MB (10^6 bytes). Each measured run is a
 * process of its own (peak RSS is per process). Then 1 GiB each way, against the bounds
 * lib/README.md states: downloads ≈ 110-145 MB, uploads ≈ 105-120 MB (8 MiB parts × 4 in flight), from `npm run bench -- anchors`.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { CreateBucketCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { createClient, downloadFile, uploadFile } from "s3kit";
import { MB, median, peakRssMb, printTable, runIsolated, withLocalServer } from "./harness";
import { writeRandomFile } from "./random-file";

const MiB = 1024 * 1024;
const PART = 8 * MiB;
const CONCURRENCY = 4;
/** lib/README.md's "Bounded memory" figures (the upper ends), in MB: what each 1 GiB run must stay within. */
const BOUND_MB = { upload: 145, download: 145 };

interface Scenario {
  name: "s3kit upload" | "raw Upload" | "s3kit download" | "single GetObject";
  endpoint: string;
  bucket: string;
  key: string;
  file: string;
}

interface Measured {
  seconds: number;
  peakRssMb: number;
}

/** Child process: one transfer, then its time and this process's peak RSS as the last line. */
async function runScenario({ name, endpoint, bucket, key, file }: Scenario): Promise<Measured> {
  const client = createClient({ kind: "local", endpoint, region: "us-east-1" });
  const started = performance.now();
  if (name === "s3kit upload") {
    await uploadFile(client, file, bucket, key, { partSize: PART, concurrency: CONCURRENCY });
  } else if (name === "raw Upload") {
    const Body = createReadStream(file);
    await new Upload({ client, params: { Bucket: bucket, Key: key, Body }, partSize: PART, queueSize: CONCURRENCY }).done();
  } else if (name === "s3kit download") {
    await downloadFile(client, bucket, key, file, { partSize: PART, concurrency: CONCURRENCY });
  } else {
    const { Body } = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    await pipeline(Body as Readable, createWriteStream(file));
  }
  const seconds = (performance.now() - started) / 1000;
  client.destroy();
  return { seconds, peakRssMb: peakRssMb() };
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), "s3kit-bench-transfers-"));
  try {
    await withLocalServer(async (server, client) => {
      const bucket = "bench-transfers";
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      for (const [sizeMiB, runs, names] of [
        [256, 3, ["raw Upload", "s3kit upload", "single GetObject", "s3kit download"]],
        [1024, 1, ["s3kit upload", "s3kit download"]],
      ] as const) {
        const source = path.join(work, `source-${sizeMiB}.bin`);
        writeRandomFile(source, sizeMiB * MiB);
        // Runs interleave (A B A B ...) so that a slow moment of the shared 2-core machine hits every scenario alike.
        const measured = new Map<string, Measured[]>(names.map((name) => [name, []]));
        for (let run = 0; run < runs; run++) {
          for (const name of names) {
            const upload = name.includes("pload");
            const file = upload ? source : path.join(work, `download-${run}.bin`);
            measured.get(name)!.push(runIsolated<Measured>("transfers.bench.ts", { name, endpoint: server.endpoint, bucket, key: `data-${sizeMiB}.bin`, file } satisfies Scenario));
            if (!upload) rmSync(file);
          }
        }
        const baseline = { upload: 0, download: 0 };
        const rows = names.map((name) => {
          const runsOf = measured.get(name)!;
          const mbps = (sizeMiB * MiB) / MB / median(runsOf.map((m) => m.seconds));
          const direction = name.includes("pload") ? "upload" : "download";
          if (name === "raw Upload" || name === "single GetObject") baseline[direction] = mbps;
          const rss = Math.max(...runsOf.map((m) => m.peakRssMb));
          return {
            scenario: `${name} ${((sizeMiB * MiB) / MB).toFixed(0)} MB`,
            "MB/s (median)": mbps.toFixed(0),
            "vs raw SDK": baseline[direction] ? `${(mbps / baseline[direction]).toFixed(2)}×` : "–",
            "peak RSS MB": rss.toFixed(0),
            "lib/README.md's bound": `${BOUND_MB[direction]} MB: ${rss <= BOUND_MB[direction] ? "within" : "EXCEEDED"}`,
          };
        });
        rmSync(source);
        printTable(`${((sizeMiB * MiB) / MB).toFixed(0)} MB (${sizeMiB} MiB), part ${PART / MiB} MiB × ${CONCURRENCY} in flight, ${runs} run(s) each in its own process; medians, peak RSS the highest run`, rows);
      }
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[2]) {
  void runScenario(JSON.parse(process.argv[2]) as Scenario).then((result) => console.log(JSON.stringify(result)));
} else {
  void main();
}
