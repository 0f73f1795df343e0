/**
 * s3kit against the Python a learner would otherwise use, in the same run, on the same local
 * server, once on each engine the kit has (Ceph RGW where installed, and s3rver): import + connect, a 50 MB CSV into a DataFrame (pandas), downloads and uploads of 256 MiB
 * and 1 GiB (boto3's download_file/upload_file, and `aws s3 cp` for scale), 2,000 keys listed
 * through the resource interface. Every figure is a whole process: interpreter start, imports,
 * connection, the work. Pairs alternate (s3kit, anchor, s3kit, ...) so that a busy moment of the
 * machine hits both; the table gives medians, wall ratios and both peak RSS figures.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { chooseEngine, createClient, ENGINE_LABELS, generateSensorCsv, startLocalServer, uploadFile, type EngineName, type LocalServer } from "s3kit";
import { printTable } from "./harness";
import { writeRandomFile } from "./random-file";

const PYTHON = process.env.S3KIT_PYTHON ?? "/usr/bin/python3";
const AWS_CLI = "/usr/bin/aws";
const RUNS = Number(process.env.ANCHOR_RUNS ?? 5);
const BIG_RUNS = Number(process.env.ANCHOR_BIG_RUNS ?? 3);
const MiB = 1024 * 1024;
const Bucket = "anchors";
const LISTED = 2000;
/** Transfer sizes and their pair counts. */
const SIZES = [[256, RUNS], [1024, BIG_RUNS]] as const;

/** The server's key pair for both sides and the CLI: in the environment, never on a command line; no user config. */
function scenarioEnv(server: LocalServer): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_OPTIONS: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
    AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    AWS_DEFAULT_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
}

interface Measured {
  seconds: number;
  peakRssMb: number;
  /** User + system CPU of the process and its threads: steadier than wall time on a busy machine. */
  cpuSeconds: number;
}

type Side = "s3kit" | "python" | "aws";

/** A whole process, timed from spawn to exit; the child reports its own peak RSS on its last line. */
function measure(side: Side, args: Record<string, unknown>, env: NodeJS.ProcessEnv): Measured {
  const json = JSON.stringify(args);
  const [command, argv] =
    side === "s3kit" ? [process.execPath, [path.join(__dirname, "anchor-scenario.mjs"), json]]
    : side === "python" ? [PYTHON, [path.join(__dirname, "anchor_scenario.py"), json]]
    : [PYTHON, [path.join(__dirname, "aws_cp.py"), AWS_CLI, json]];
  const started = performance.now();
  const child = spawnSync(command, argv, { encoding: "utf8", env, maxBuffer: 16 * MiB });
  const seconds = (performance.now() - started) / 1000;
  if (child.status !== 0) throw new Error(`${side} ${json} failed: ${child.stderr}`);
  const report = JSON.parse(child.stdout.trim().split("\n").pop()!) as { peakRssMb: number; cpuSeconds: number; seconds?: number };
  // The CLI runs under a small Python wrapper that times it itself (its own start is not the CLI's).
  return { seconds: report.seconds ?? seconds, peakRssMb: report.peakRssMb, cpuSeconds: report.cpuSeconds };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface Row {
  work: string;
  anchor: string;
  args: Record<string, unknown>;
  runs: number;
  anchorSide?: Side;
  /** Removed after every run (a downloaded file). */
  cleanup?: string;
}

function compare(row: Row, env: NodeJS.ProcessEnv): Record<string, string> {
  const ours: Measured[] = [];
  const theirs: Measured[] = [];
  for (let run = 0; run < row.runs; run++) {
    for (const [side, into] of [["s3kit", ours], [row.anchorSide ?? "python", theirs]] as const) {
      into.push(measure(side, row.args, env));
      if (row.cleanup) rmSync(row.cleanup, { force: true });
    }
  }
  const [s, a] = [median(ours.map((m) => m.seconds)), median(theirs.map((m) => m.seconds))];
  const [sCpu, aCpu] = [median(ours.map((m) => m.cpuSeconds)), median(theirs.map((m) => m.cpuSeconds))];
  const [sRss, aRss] = [Math.max(...ours.map((m) => m.peakRssMb)), Math.max(...theirs.map((m) => m.peakRssMb))];
  return {
    work: row.work,
    anchor: row.anchor,
    "s3kit s": s.toFixed(2),
    "anchor s": a.toFixed(2),
    "wall, s3kit/anchor": `${(s / a).toFixed(2)}×`,
    "CPU, s3kit/anchor": `${(sCpu / aCpu).toFixed(2)}×`,
    "peak RSS s3kit MB": sRss.toFixed(0),
    "peak RSS anchor MB": aRss.toFixed(0),
    "RSS, s3kit/anchor": `${(sRss / aRss).toFixed(2)}×`,
  };
}

/** Every row on one engine: its own server and data folder, stopped and removed at the end. */
async function benchEngine(engine: EngineName, work: string): Promise<Record<string, string>[]> {
  const home = mkdtempSync(path.join(os.tmpdir(), `s3kit-bench-anchors-${engine}-`));
  const server = await startLocalServer({ engine, dataDir: path.join(home, engine), port: 0 });
  const client: S3Client = createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials);
  const env = scenarioEnv(server);
  const { endpoint } = server;
  const rows: Record<string, string>[] = [];
  const add = (row: Row) => {
    const measured = compare(row, env);
    console.log(`  ${ENGINE_LABELS[engine]}: ${measured.work} vs ${measured.anchor}: wall ${measured["wall, s3kit/anchor"]}, CPU ${measured["CPU, s3kit/anchor"]} (load ${loadAverage()})`);
    rows.push({ engine: ENGINE_LABELS[engine], ...measured });
  };
  try {
    await client.send(new CreateBucketCommand({ Bucket }));
    const csv = path.join(work, "sensors-50mb.csv");
    await uploadFile(client, csv, Bucket, "sensors-50mb.csv");
    const csvMb = statSync(csv).size / 1e6;
    for (let i = 0; i < LISTED; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => client.send(new PutObjectCommand({ Bucket, Key: `listed/${String(i + j).padStart(5, "0")}.txt`, Body: "x" }))));
    }
    add({ work: "start: import + connect", anchor: "import boto3; boto3.client('s3')", args: { scenario: "start", endpoint }, runs: RUNS });
    add({
      work: `${csvMb.toFixed(1)} MB CSV into a DataFrame: readCsv`,
      anchor: "pd.read_csv(s3.get_object(...)['Body'])",
      args: { scenario: "csv", endpoint, bucket: Bucket, key: "sensors-50mb.csv" },
      runs: RUNS,
    });
    add({ work: `${LISTED} keys: bucket.objects.filter`, anchor: "boto3 Bucket.objects.filter", args: { scenario: "list", endpoint, bucket: Bucket, prefix: "listed/" }, runs: RUNS });
    for (const [sizeMiB, runs] of SIZES) {
      const source = path.join(work, `source-${sizeMiB}.bin`);
      const target = path.join(work, `download-${sizeMiB}.bin`);
      const transfer = { endpoint, bucket: Bucket, key: `data-${sizeMiB}.bin` };
      add({ work: `${sizeMiB} MiB file to an object: uploadFile`, anchor: "s3.upload_file", args: { scenario: "upload", file: source, ...transfer }, runs });
      add({ work: `${sizeMiB} MiB object to a file: downloadFile`, anchor: "s3.download_file", args: { scenario: "download", file: target, ...transfer }, runs, cleanup: target });
      if (sizeMiB === 256) {
        add({ work: `${sizeMiB} MiB file to an object: uploadFile`, anchor: "aws s3 cp (for scale)", anchorSide: "aws", args: { scenario: "upload", file: source, ...transfer }, runs });
        add({ work: `${sizeMiB} MiB object to a file: downloadFile`, anchor: "aws s3 cp (for scale)", anchorSide: "aws", args: { scenario: "download", file: target, ...transfer }, runs, cleanup: target });
      }
    }
  } finally {
    client.destroy();
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
  return rows;
}

const loadAverage = () => os.loadavg().map((l) => l.toFixed(1)).join(" ");

/** The engines to run on: ANCHOR_ENGINES (e.g. "s3rver"), else every engine this machine has. */
function engines(): EngineName[] {
  const asked = process.env.ANCHOR_ENGINES?.split(",").filter(Boolean) as EngineName[] | undefined;
  if (asked?.length) return asked;
  return chooseEngine({ ...process.env, S3KIT_SERVER: "" }).engine === "ceph" ? ["ceph", "s3rver"] : ["s3rver"];
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), "s3kit-bench-anchors-"));
  const loadAtStart = loadAverage();
  const started = performance.now();
  try {
    await generateSensorCsv(path.join(work, "sensors-50mb.csv"), Math.round(50e6 / 52.6));
    for (const [sizeMiB] of SIZES) writeRandomFile(path.join(work, `source-${sizeMiB}.bin`), sizeMiB * MiB);
    const rows: Record<string, string>[] = [];
    for (const engine of engines()) rows.push(...(await benchEngine(engine, work)));
    printTable(`s3kit against Python on the kit's local engines: whole processes, medians of ${RUNS} (1 GiB: ${BIG_RUNS}), pairs alternated`, rows);
    const minutes = ((performance.now() - started) / 60_000).toFixed(1);
    console.log(`\n${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average (1, 5, 15 min) at the start: ${loadAtStart}, at the end: ${loadAverage()}; ${minutes} min`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
