/**
 * The kit's two local engines side by side: 256 MiB through s3kit's uploadFile/downloadFile, and
 * the same file through `aws s3 cp` (Debian's AWS CLI) against the same server in the same run,
 * as the baseline. Median of 3 interleaved runs; every download is checked byte for byte.
 */
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { chooseEngine, createClient, downloadFile, ENGINE_LABELS, startLocalServer, uploadFile, type EngineName, type LocalServer } from "s3kit";
import { sha256File } from "../test/helpers/hash";
import { printTable } from "./harness";

const MiB = 1024 * 1024;
const SIZE = 256 * MiB;
const RUNS = 3;
const AWS_CLI = "/usr/bin/aws";

/** `aws s3 cp`, with the keys in its environment (never on its command line) and no user config. */
function awsCopy(server: LocalServer, from: string, to: string): void {
  const result = spawnSync(AWS_CLI, ["s3", "cp", "--only-show-errors", "--endpoint-url", server.endpoint, from, to], {
    env: {
      PATH: process.env.PATH,
      HOME: os.tmpdir(),
      AWS_CONFIG_FILE: "/dev/null",
      AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
      AWS_DEFAULT_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: server.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: server.credentials.secretAccessKey,
    },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`aws s3 cp failed: ${result.stderr || result.error}`);
}

async function timed(fn: () => unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function benchEngine(engine: EngineName, source: string, work: string) {
  const home = mkdtempSync(path.join(os.tmpdir(), `s3kit-bench-${engine}-`));
  const server = await startLocalServer({ engine, dataDir: path.join(home, engine), port: 0 });
  const client = createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials);
  const Bucket = "bench-engines";
  const expected = await sha256File(source);
  const seconds = { "s3kit upload": [] as number[], "aws s3 cp up": [] as number[], "s3kit download": [] as number[], "aws s3 cp down": [] as number[] };
  try {
    await client.send(new CreateBucketCommand({ Bucket }));
    for (let run = 0; run < RUNS; run++) {
      seconds["s3kit upload"].push(await timed(() => uploadFile(client, source, Bucket, "kit.bin")));
      seconds["aws s3 cp up"].push(await timed(() => awsCopy(server, source, `s3://${Bucket}/cli.bin`)));
      for (const [name, key, download] of [
        ["s3kit download", "cli.bin", (file: string) => downloadFile(client, Bucket, "cli.bin", file)],
        ["aws s3 cp down", "kit.bin", (file: string) => awsCopy(server, `s3://${Bucket}/kit.bin`, file)],
      ] as const) {
        const file = path.join(work, `${engine}-${key}`);
        seconds[name].push(await timed(() => download(file)));
        if ((await sha256File(file)) !== expected) throw new Error(`${name} on ${engine}: the bytes differ`);
        rmSync(file);
      }
    }
  } finally {
    client.destroy();
    await server.stop();
    rmSync(home, { recursive: true, force: true });
  }
  const mbps = (name: keyof typeof seconds) => SIZE / 1e6 / median(seconds[name]);
  return [
    { engine: ENGINE_LABELS[engine], direction: "upload", "s3kit MB/s": mbps("s3kit upload"), "aws s3 cp MB/s": mbps("aws s3 cp up") },
    { engine: ENGINE_LABELS[engine], direction: "download", "s3kit MB/s": mbps("s3kit download"), "aws s3 cp MB/s": mbps("aws s3 cp down") },
  ];
}

async function main(): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), "s3kit-bench-engines-"));
  try {
    const source = path.join(work, "source.bin");
    for (let written = 0; written < SIZE; written += 8 * MiB) writeFileSync(source, randomBytes(8 * MiB), { flag: "a" });
    const engines: EngineName[] = chooseEngine({ ...process.env, S3KIT_SERVER: "" }).engine === "ceph" ? ["ceph", "s3rver"] : ["s3rver"];
    const rows = [];
    for (const engine of engines) rows.push(...(await benchEngine(engine, source, work)));
    printTable(
      `256 MiB through the kit (uploadFile/downloadFile, defaults) and \`aws s3 cp\` (${AWS_CLI}), median of ${RUNS}, bytes checked`,
      rows.map((row) => ({
        ...row,
        "s3kit MB/s": row["s3kit MB/s"].toFixed(0),
        "aws s3 cp MB/s": row["aws s3 cp MB/s"].toFixed(0),
        "s3kit vs aws": `${(row["s3kit MB/s"] / row["aws s3 cp MB/s"]).toFixed(2)}×`,
      })),
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

void main();
