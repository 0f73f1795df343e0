/**
 * CSV to DataFrame: a 50 MB CSV read from the embedded server by readCsv and by
 * danfo.readCSV(presigned URL) (and by pandas.read_csv on the same URL when Debian's pandas is
 * there), each in a process of its own for its peak RSS, and again for the heap the DataFrame keeps;
 * then readCsvChunks over a 1 GB CSV (CSV_BENCH_BIG_MB to change), generated here and deleted
 * afterwards.
 */
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { generateSensorCsv } from "s3kit";
import { printTable, runIsolated, withLocalServer } from "./harness";

interface Measured {
  seconds: number;
  rows: number;
  peakRssMb: number;
  /** Measured inside the scenario, once its imports are loaded. */
  baseRssMb?: number;
  /** What the result keeps in memory: heap after full collections (pandas: memory_usage(deep=True)); only in a `retained` run. */
  retainedMb?: number;
}

const BYTES_PER_ROW = 52.6; // generateSensorCsv's rows, on average
const Bucket = "csv-bench";
const PYTHON = "/usr/bin/python3";

async function upload(client: S3Client, Key: string, file: string): Promise<void> {
  await new Upload({ client, params: { Bucket, Key, Body: createReadStream(file) }, partSize: 16 * 1024 * 1024 }).done();
}

/** pandas.read_csv on the presigned URL, the reference the issue aims at. */
function pandasOn(url: string): Measured | undefined {
  if (!existsSync(PYTHON) || spawnSync(PYTHON, ["-c", "import pandas"]).status !== 0) return undefined;
  const script = `
import json, sys, time
sys.path.insert(0, sys.argv[2])
from peak_rss import peak_rss_mib
import pandas as pd
base = peak_rss_mib()
started = time.perf_counter()
df = pd.read_csv(sys.argv[1])
seconds = time.perf_counter() - started
peak = peak_rss_mib()
print(json.dumps({"seconds": seconds, "rows": len(df), "peakRssMb": peak, "baseRssMb": base, "retainedMb": df.memory_usage(deep=True).sum() / 1e6}))`;
  const result = spawnSync(PYTHON, ["-c", script, url, __dirname], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`pandas failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measured;
}

function row(name: string, m: Measured, megabytes: number, baseline?: Measured) {
  const mbPerS = megabytes / m.seconds;
  return {
    reader: name,
    rows: m.rows,
    "MB/s": mbPerS.toFixed(1),
    "× danfo": baseline ? (baseline.seconds / m.seconds).toFixed(2) : "1.00",
    "peak RSS MB": m.peakRssMb.toFixed(0),
    "RSS before the read MB": m.baseRssMb!.toFixed(0),
    "peak RSS / file size": (m.peakRssMb / megabytes).toFixed(1),
    "DataFrame MB": m.retainedMb!.toFixed(0),
    "DataFrame / file size": (m.retainedMb! / megabytes).toFixed(1),
  };
}

/** readCsvChunks as a learner's script runs it: plain Node, `import` of s3kit only, no TypeScript loader. */
function plainScript(endpoint: string, key: string): Measured {
  const started = performance.now();
  const run = spawnSync(process.execPath, [path.join(__dirname, "anchor-scenario.mjs"), JSON.stringify({ scenario: "chunks", endpoint, bucket: Bucket, key })], {
    encoding: "utf8",
    env: { ...process.env, NODE_OPTIONS: "", AWS_ACCESS_KEY_ID: process.env.S3KIT_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY: process.env.S3KIT_SECRET_ACCESS_KEY },
  });
  if (run.status !== 0) throw new Error(`anchor-scenario.mjs failed: ${run.stderr}`);
  const { result, peakRssMb } = JSON.parse(run.stdout.trim().split("\n").pop()!) as { result: number; peakRssMb: number };
  return { seconds: (performance.now() - started) / 1000, rows: result, peakRssMb };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "s3kit-csv-bench-"));
  try {
    await withLocalServer(async (server, client) => {
      await client.send(new CreateBucketCommand({ Bucket }));
      const scenario = (key: string, mode: string, extra = {}, nodeFlags: string[] = []) =>
        runIsolated<Measured>("csv-read.scenario.ts", { endpoint: server.endpoint, bucket: Bucket, key, mode, ...extra }, nodeFlags);

      const medium = path.join(dir, "sensors-50mb.csv");
      await generateSensorCsv(medium, Math.round((50 * 1e6) / BYTES_PER_ROW));
      const mediumMb = statSync(medium).size / 1e6;
      await upload(client, "sensors-50mb.csv", medium);
      // Peak and speed in one run, what the DataFrame keeps in another (forced collections change the peak).
      const measured = (mode: string): Measured => ({
        ...scenario("sensors-50mb.csv", mode),
        retainedMb: scenario("sensors-50mb.csv", mode, { retained: true }, ["--expose-gc"]).retainedMb,
      });
      const danfo = measured("danfo");
      const ours = measured("readCsv");
      const url = await getSignedUrl(client, new GetObjectCommand({ Bucket, Key: "sensors-50mb.csv" }), { expiresIn: 3600 });
      const pandas = pandasOn(url);
      printTable(`Reading a ${mediumMb.toFixed(1)} MB CSV from the embedded server into a DataFrame`, [
        row("danfo.readCSV(presigned URL)", danfo, mediumMb),
        row("readCsv", ours, mediumMb, danfo),
        ...(pandas ? [row("pandas.read_csv(presigned URL), for reference", pandas, mediumMb, danfo)] : []),
      ]);
      await client.send(new DeleteObjectCommand({ Bucket, Key: "sensors-50mb.csv" }));
      rmSync(medium);

      const bigMb = Number(process.env.CSV_BENCH_BIG_MB ?? 1024);
      const big = path.join(dir, "sensors-big.csv");
      await generateSensorCsv(big, Math.round((bigMb * 1e6) / BYTES_PER_ROW));
      const bigSize = statSync(big).size / 1e6;
      await upload(client, "sensors-big.csv", big);
      rmSync(big);
      // V8 lets garbage grow to about 4x the live heap before collecting it when its heap limit is 2 GB
      // or more (Node's default on a machine with 8 GB or more); below that it grows less. So the read
      // runs with Node's defaults, with a 1.5 GB limit, and once with forced collections, which
      // shows what the reader itself keeps: one chunk.
      const chunked = (flags: string[], extra = {}) => scenario("sensors-big.csv", "readCsvChunks", { chunkSize: 50_000, ...extra }, flags);
      const runs: [string, Measured][] = [
        ["Node's defaults, a learner's plain Node script (bench/anchor-scenario.mjs)", plainScript(server.endpoint, "sensors-big.csv")],
        ["Node's defaults", chunked([])],
        ["--max-old-space-size=1536", chunked(["--max-old-space-size=1536"])],
        ["--expose-gc, a full collection every 10 chunks", chunked(["--expose-gc"], { retained: true })],
      ];
      printTable(`readCsvChunks over a ${bigSize.toFixed(0)} MB CSV, 50,000 rows a chunk (target: peak RSS under 400 MB)`, runs.map(([flags, m]) => ({
        "node flags": flags,
        rows: m.rows,
        "MB/s": (bigSize / m.seconds).toFixed(1),
        "peak RSS MB": m.peakRssMb.toFixed(0),
        "RSS before the read MB": m.baseRssMb?.toFixed(0) ?? "(not measured)",
        "most heap kept by the reader MB": m.retainedMb?.toFixed(0) ?? "(not measured)",
      })));
      await client.send(new DeleteObjectCommand({ Bucket, Key: "sensors-big.csv" }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
