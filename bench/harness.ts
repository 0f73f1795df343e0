/**
 * Shared pieces for `npm run bench`: a fresh embedded S3 server, timing over several runs, and
 * peak memory measured in a child process of its own (peak RSS is per process, so each measured
 * scenario gets one), so that figures are ratios against a baseline measured in the same run.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createClient, startLocalServer, type LocalServer } from "s3kit";
import type { S3Client } from "@aws-sdk/client-s3";
import { peakRssKib } from "./peak-rss.mjs";

export async function withLocalServer<T>(fn: (server: LocalServer, client: S3Client) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "s3kit-bench-"));
  const server = await startLocalServer({ dataDir, port: 0 });
  // Scenario processes (runIsolated) inherit the keys, as kernels do.
  process.env.S3KIT_ACCESS_KEY_ID = server.credentials.accessKeyId;
  process.env.S3KIT_SECRET_ACCESS_KEY = server.credentials.secretAccessKey;
  const client = createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials);
  try {
    return await fn(server, client);
  } finally {
    client.destroy();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Bytes in a MB, the unit every bench prints (sizes, rates and memory alike). */
export const MB = 1e6;

/** Peak resident memory of this process so far, in MB (10^6 bytes; the kernel counts KiB). */
export function peakRssMb(): number {
  return (peakRssKib() * 1024) / MB;
}

/**
 * Median wall time in ms of each task over `runs` rounds, after one warm-up round. Each round runs
 * every task once, starting with a different one each time (A B C, B C A, C A B, ...), so that
 * neither a slow moment of the shared machine nor a position in the round favours any of them.
 */
export async function alternatingMedians(tasks: Record<string, () => Promise<unknown>>, runs: number): Promise<Record<string, number>> {
  const labels = Object.keys(tasks);
  const times = new Map<string, number[]>(labels.map((label) => [label, []]));
  for (let round = -1; round < runs; round++) {
    for (let i = 0; i < labels.length; i++) {
      const label = labels[(Math.max(round, 0) + i) % labels.length];
      const started = performance.now();
      await tasks[label]();
      if (round >= 0) times.get(label)!.push(performance.now() - started);
    }
  }
  return Object.fromEntries(labels.map((label) => [label, median(times.get(label)!)]));
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Runs `bench/<script>` in a fresh Node process and returns the JSON it prints last: the way to
 * measure a scenario's own peak RSS. `nodeFlags` go to that Node process (e.g. a heap cap).
 */
export function runIsolated<T>(script: string, args: Record<string, unknown>, nodeFlags: string[] = []): T {
  const result = spawnSync(process.execPath, [...nodeFlags, "--import", "tsx", path.join(__dirname, script), JSON.stringify(args)], {
    encoding: "utf8",
    maxBuffer: 16 * 1024 * 1024,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  const lines = result.stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]) as T;
}

export function printTable(title: string, rows: Record<string, string | number>[]): void {
  console.log(`\n### ${title}\n`);
  const columns = Object.keys(rows[0] ?? {});
  console.log(`| ${columns.join(" | ")} |`);
  console.log(`| ${columns.map(() => "---").join(" | ")} |`);
  for (const row of rows) console.log(`| ${columns.map((c) => row[c]).join(" | ")} |`);
}
