/**
 * The memory and start-up figures lib/README.md states outside the anchors table:
 * - what `import { connect } from "s3kit"` costs, against the same import with danfo loaded too
 *   (danfo loads on the first CSV read, not with the kit), each a whole Node process;
 * - what one `readCsv` can load whole under `--max-old-space-size=1536`, the heap limit the README
 *   suggests for bounding a kernel: CSVs of LIMITS_BENCH_SIZES_MB (default 150 and 250 MB).
 */
import { spawnSync } from "node:child_process";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { generateSensorCsv } from "s3kit";
import { MB, median, printTable, withLocalServer } from "./harness";

const Bucket = "limits-bench";
const BYTES_PER_ROW = 52.6; // generateSensorCsv's rows, on average
const HEAP_LIMIT = "--max-old-space-size=1536";
const RUNS = Number(process.env.LIMITS_BENCH_RUNS ?? 5);
const READ_TIMEOUT_MS = 10 * 60_000;

interface ProcessRun {
  seconds: number;
  peakRssMb: number;
  exitCode: number | null;
  stderr: string;
}

/** A whole Node process running `code`: wall time from spawn to exit and its peak RSS (GNU time). */
function nodeProcess(code: string, nodeFlags: string[] = [], timeout = 60_000): ProcessRun {
  const started = performance.now();
  const run = spawnSync("/usr/bin/time", ["-f", "peak-kb=%M", process.execPath, ...nodeFlags, "-e", code], {
    cwd: path.join(__dirname, ".."),
    encoding: "utf8",
    timeout,
    env: { ...process.env, NODE_OPTIONS: "" },
  });
  const seconds = (performance.now() - started) / 1000;
  const peakKb = Number(/peak-kb=(\d+)/.exec(run.stderr)?.[1] ?? NaN);
  return { seconds, peakRssMb: (peakKb * 1024) / MB, exitCode: run.status, stderr: run.stderr };
}

function importCosts(): void {
  const scripts = {
    "node alone (the baseline)": "",
    'import { connect } from "s3kit"': `require("s3kit")`,
    'the same, with danfo loaded (what the first CSV read adds)': `require("s3kit"); require("danfojs-node")`,
  };
  const runs = new Map<string, ProcessRun[]>(Object.keys(scripts).map((label) => [label, []]));
  for (let round = 0; round < RUNS; round++) {
    // Alternating, so neither order nor a slow moment favours one.
    const labels = Object.keys(scripts);
    for (const label of round % 2 ? labels.reverse() : labels) runs.get(label)!.push(nodeProcess(scripts[label as keyof typeof scripts]));
  }
  const baseline = median(runs.get("node alone (the baseline)")!.map((r) => r.seconds));
  printTable(`Start-up: whole Node processes, alternated, medians of ${RUNS}`, [...runs].map(([label, measured]) => {
    const seconds = median(measured.map((r) => r.seconds));
    return {
      "what the process does": label,
      "wall s": seconds.toFixed(2),
      "more than node alone, s": (seconds - baseline).toFixed(2),
      "peak RSS MB": Math.max(...measured.map((r) => r.peakRssMb)).toFixed(0),
    };
  }));
}

async function heapLimitReads(): Promise<void> {
  const sizes = (process.env.LIMITS_BENCH_SIZES_MB ?? "150,250").split(",").map(Number);
  const dir = mkdtempSync(path.join(os.tmpdir(), "s3kit-limits-bench-"));
  try {
    await withLocalServer(async (server, client) => {
      await client.send(new CreateBucketCommand({ Bucket }));
      const rows: Record<string, string>[] = [];
      for (const sizeMb of sizes) {
        const file = path.join(dir, `sensors-${sizeMb}mb.csv`);
        await generateSensorCsv(file, Math.round((sizeMb * MB) / BYTES_PER_ROW));
        const Key = path.basename(file);
        const fileMb = statSync(file).size / MB;
        await new Upload({ client, params: { Bucket, Key, Body: createReadStream(file) }, partSize: 16 * 1024 * 1024 }).done();
        rmSync(file);
        const read = `require("s3kit").readCsv({ Bucket: ${JSON.stringify(Bucket)}, Key: ${JSON.stringify(Key)} },
          { client: require("s3kit").createClient({ kind: "local", endpoint: ${JSON.stringify(server.endpoint)}, region: "us-east-1" }) })
          .then((df) => console.log(df.shape[0]))`;
        const run = nodeProcess(read, [HEAP_LIMIT], READ_TIMEOUT_MS);
        rows.push({
          "CSV MB": fileMb.toFixed(0),
          outcome: run.exitCode === 0 ? "loads" : /heap out of memory/i.test(run.stderr) ? "runs out of heap" : `fails: ${run.stderr.trim().split("\n").slice(-3).join(" / ")}`,
          "peak RSS MB": run.peakRssMb.toFixed(0),
          "wall s": run.seconds.toFixed(1),
        });
        await client.send(new DeleteObjectCommand({ Bucket, Key }));
      }
      printTable(`One readCsv under ${HEAP_LIMIT}, a whole Node process each`, rows);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  importCosts();
  await heapLimitReads();
}

void main();
