// Every row of the cheat sheet (notebooks/14-cheat-sheet.ipynb), run for real: the boto3 column
// with boto3, the resource and client columns with s3kit, each against the same server under
// trace(), each asserted to send exactly the row's requests and give the row's value or error.
// The notebook's tables must be the ones generated from the same rows (test/parity/cheat-sheet.ts).
import * as sdk from "@aws-sdk/client-s3";
import { createPresignedPost } from "@aws-sdk/s3-presigned-post";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import * as s3kit from "s3kit";
import { cheatSheetMarkdown, FIXTURE, kernelCells, numberedRows, splitCode, type CheatRow, type Given } from "./parity/cheat-sheet";
import { root } from "./helpers/kit";
import { tempDir, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();
const rows = numberedRows();
/** The notebook checked: the committed one, or another copy (S3KIT_CHEAT_SHEET=path) to test the test. */
const notebookPath = process.env.S3KIT_CHEAT_SHEET ?? path.join(root, "notebooks", "14-cheat-sheet.ipynb");

interface Outcome {
  sent: string[];
  value?: unknown;
  error?: string;
}

/** Empties and deletes the bucket, then makes it what the row is given. */
async function prepare(client: sdk.S3Client, Bucket: string, given: Given): Promise<void> {
  const s3 = new s3kit.ServiceResource(client);
  if (await s3.bucket(Bucket).exists()) {
    await s3.bucket(Bucket).objects.all().delete();
    await s3.bucket(Bucket).delete();
  }
  if (given === "none") return;
  await s3.createBucket({ Bucket });
  if (given === "objects") for (const [Key, Body] of Object.entries(FIXTURE)) await s3.bucket(Bucket).putObject({ Key, Body });
}

let danfo: Record<string, unknown> | undefined;

/** Runs a row's TypeScript as written, with the sheet's names in scope, under trace(). */
async function runKit(code: string, given: Given, Bucket: string, folder: string): Promise<Outcome> {
  const client = server.client;
  await prepare(client, Bucket, given);
  const file = path.join(folder, "hi.txt");
  writeFileSync(file, "hi");
  const dest = path.join(folder, "downloaded.txt");
  rmSync(dest, { force: true });
  const s3 = new s3kit.ServiceResource(client);
  const bucket = s3.bucket(Bucket);
  danfo ??= (await import("danfojs-node")) as unknown as Record<string, unknown>;
  const names: Record<string, unknown> = {
    ...sdk, ...s3kit, getSignedUrl, createPresignedPost, DataFrame: danfo.DataFrame,
    s3, client, Bucket, bucket, Key: "hello.txt", obj: bucket.object("hello.txt"), file, dest,
  };
  const used = [...new Set(code.match(/[A-Za-z_$][\w$]*/g))].filter((name) => name in names);
  const { statements, result } = splitCode(code);
  const body = [`const { ${used.join(", ")} } = names`, ...statements, ...(result === undefined ? [] : [`return (${result})`])].join(";\n");
  const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor;
  const run = new AsyncFunction("names", body) as (names: Record<string, unknown>) => Promise<unknown>;
  const outcome: Outcome = { sent: [] };
  const traced = await s3kit.trace(async () => {
    try {
      outcome.value = await run(names);
    } catch (error) {
      const failed = error as { code?: string; name?: string; message?: string };
      outcome.error = failed.code ?? failed.name ?? String(error);
    }
  }, { client });
  outcome.sent = traced.requests.map((r) => r.operation);
  return outcome;
}

/** Runs every row's boto3 column with boto3 (test/parity/cheat-sheet.py), in one process. */
async function runBoto3(): Promise<Outcome[]> {
  const { accessKeyId, secretAccessKey } = await server.client.config.credentials();
  const job = { endpoint: server.endpoint, bucket: uniqueBucket("cheat-boto3"), fixture: FIXTURE, rows: rows.map((row) => ({ code: row.boto3, given: row.given ?? "objects" })) };
  const run = spawnSync("/usr/bin/python3", [path.join(root, "test", "parity", "cheat-sheet.py")], {
    input: JSON.stringify(job),
    encoding: "utf8",
    env: { ...process.env, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey },
  });
  assert.equal(run.status, 0, `the boto3 column could not run (npm test installs Debian's python3-boto3): ${run.stderr}`);
  return JSON.parse(run.stdout);
}

function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null));
}

/** What a column must have done: its requests, and the row's value or error. */
function expectOutcome(row: CheatRow & { number: number }, column: "boto3" | "resource" | "client", outcome: Outcome): void {
  const label = `row ${row.number} ${column}: ${column === "boto3" ? row.boto3 : row[column]}`;
  const sends = column === "boto3" ? row.boto3Sends ?? row.sends : column === "client" ? row.clientSends ?? row.sends : row.sends;
  const error = column === "boto3" ? row.boto3Error ?? row.error : column === "client" ? row.clientError ?? row.error : row.error;
  assert.equal(outcome.error, error, `${label}: ${outcome.error ? `failed with ${outcome.error}` : "did not fail"}`);
  assert.deepEqual(outcome.sent, sends, `${label}: sent ${outcome.sent.join(", ") || "nothing"}`);
  if (row.result !== undefined) assert.deepEqual(asJson(outcome.value), row.result, `${label}: gave ${JSON.stringify(outcome.value)}`);
}

test("the notebook's tables are the ones generated from the traced rows", () => {
  const generated = cheatSheetMarkdown();
  const notebook = JSON.parse(readFileSync(notebookPath, "utf8")) as { cells: Array<Omit<Cell, "source"> & { source: string | string[] }> };
  const cells = notebook.cells.map((cell) => ({ ...cell, source: [cell.source].flat().join("") }));
  if (process.env.S3KIT_WRITE_CHEAT_SHEET === "1") {
    // Sources as lists of lines, as Jupyter writes them; `npm run notebooks` then fills in the outputs.
    const written = generatedCells(cells).map((cell) => ({ ...cell, source: cell.source.split(/(?<=\n)/) }));
    writeFileSync(notebookPath, JSON.stringify({ ...notebook, cells: written }, null, 1) + "\n");
    return;
  }
  const expected = generatedCells(cells);
  assert.equal(cells.length, expected.length, `the cheat sheet has ${cells.length} cells, the generated one ${expected.length} (S3KIT_WRITE_CHEAT_SHEET=1 rewrites it)`);
  for (const [index, cell] of cells.entries()) {
    const lines = cell.source.split("\n");
    const wanted = expected[index].source.split("\n");
    const first = lines.findIndex((line, i) => line !== wanted[i]);
    assert.ok(
      first === -1 && lines.length === wanted.length,
      `cell ${index} of the cheat sheet differs from test/parity/cheat-sheet.ts (S3KIT_WRITE_CHEAT_SHEET=1 rewrites it), line ${first + 1}:\n` +
        `  notebook:  ${lines[first] ?? "(no more lines)"}\n  generated: ${wanted[first] ?? "(no more lines)"}`,
    );
    assert.deepEqual(cell.metadata, expected[index].metadata, `cell ${index}'s metadata (its expected output lines) differs from the generated one`);
  }
});

interface Cell {
  id?: string;
  cell_type: string;
  source: string;
  metadata: Record<string, unknown>;
  outputs?: unknown[];
}

/** The notebook's cells as generated: the markdown, the two kernel cells (keeping their outputs). */
function generatedCells(current: Cell[]): Cell[] {
  const kernel = kernelCells();
  const code = current.filter((cell) => cell.cell_type === "code");
  const codeCell = (source: string, metadata: Record<string, unknown>, kept?: Cell): Cell =>
    ({ cell_type: "code", execution_count: null, metadata, outputs: kept?.source === source ? kept.outputs ?? [] : [], source }) as Cell;
  const cells = [
    ...cheatSheetMarkdown().map((source) => ({ cell_type: "markdown", metadata: {}, source })),
    codeCell(kernel.setup, {}, code[0]),
    codeCell(kernel.checks, { s3kit: { expect: kernel.expect } }, code[1]),
  ];
  // Fixed cell ids: a regenerated notebook differs only where its content does.
  return cells.map((cell, index) => ({ id: `cheat-sheet-${index}`, ...cell }));
}

test("lib/README.md says how many rows are checked and how many run in the kernel", () => {
  const readme = readFileSync(path.join(root, "lib", "README.md"), "utf8").replace(/\s+/g, " ");
  assert.match(readme, new RegExp(`checks each of its ${rows.length} rows against the test server`));
  assert.match(readme, new RegExp(`the ${rows.filter((row) => row.kernel).length} rows that only read also run in the notebook's own kernel`));
});

test("every row's boto3 column runs with boto3 and sends exactly the listed requests", async (t) => {
  const outcomes = await runBoto3();
  for (const [index, row] of rows.entries()) {
    await t.test(`row ${row.number}: ${row.boto3}`, () => expectOutcome(row, "boto3", outcomes[index]));
  }
});

test("every row's resource and client columns run with s3kit and send exactly the listed requests", async (t) => {
  const Bucket = uniqueBucket("cheat-kit");
  const folder = tempDir("cheat-sheet-");
  for (const row of rows) {
    await t.test(`row ${row.number}: ${row.resource ?? "(no resource form)"} / ${row.client}`, async () => {
      if (row.resource !== undefined) expectOutcome(row, "resource", await runKit(row.resource, row.given ?? "objects", Bucket, folder));
      expectOutcome(row, "client", await runKit(row.client, row.given ?? "objects", Bucket, folder));
    });
  }
  await prepare(server.client, Bucket, "none");
});
