import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test, before } from "node:test";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { DataFrame } from "danfojs-node";
import { readCsv, readCsvChunks, writeCsv, type ReadCsvOptions } from "s3kit";
import { CORPUS, type Cell, type CorpusCase } from "./csv-corpus";
import { tempDir, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();
const FIXTURES = path.join(__dirname, "..", "fixtures", "csv");
const PYTHON = "/usr/bin/python3";
const Bucket = uniqueBucket("csv");

/** What pandas.read_csv gives for the same bytes (see csv-pandas.py); undefined without pandas. */
type PandasCell = null | { b: boolean } | { i: string } | { f: string } | { t: number } | { s: string };
interface PandasResult {
  columns?: string[];
  dtypes?: string[];
  cells?: PandasCell[][] | null;
  roundtrips?: boolean;
  error?: string;
}

const hasPandas = existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import pandas"]).status === 0;

function bytesOf(c: CorpusCase): Buffer {
  const raw = readFileSync(path.join(FIXTURES, c.file));
  return c.gzip ? gzipSync(raw) : raw;
}

function pandasRead(requests: { bytes: Buffer; name: string; kwargs: Record<string, unknown> }[]): PandasResult[] {
  const dir = tempDir("s3kit-pandas-");
  const input = requests.map((r, i) => {
    const file = path.join(dir, `${i}-${r.name}`);
    writeFileSync(file, r.bytes);
    return { path: file, kwargs: r.kwargs };
  });
  const result = spawnSync(PYTHON, [path.join(__dirname, "csv-pandas.py")], { input: JSON.stringify(input), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as PandasResult[];
}

/** The frame's cells column by column, missing values (NaN, null) as null. */
function cellsOf(df: DataFrame): Cell[][] {
  return df.columns.map((name) => (df.shape[0] === 0 ? [] : (df.column(name).values as Cell[]).map((v) => (typeof v === "number" && Number.isNaN(v) ? null : v))));
}

/**
 * The danfo dtype the kit gives a column pandas types as `dtype`: danfo's labels for float64 and
 * int64 values (numbers are float64 underneath either way), and a column of integers beyond 2^53
 * as strings, every digit kept (lib/README.md: "a column holding one is read as strings").
 */
function oursFor(dtype: string, cells: PandasCell[]): string {
  if (dtype === "int64") return cells.some((p) => p !== null && "i" in p && !Number.isSafeInteger(Number(p.i))) ? "string" : "int32";
  if (dtype === "float64") return "float32";
  if (dtype === "bool") return "boolean";
  if (dtype.startsWith("datetime64")) return "datetime";
  return "string";
}

function assertMatchesPandas(df: DataFrame, expected: PandasResult, label: string): void {
  assert.deepEqual(df.columns, expected.columns, `${label}: columns`);
  assert.ok(expected.cells, `${label}: pandas gave cells (unique column names)`);
  assert.deepEqual(df.dtypes, expected.dtypes!.map((dtype, c) => oursFor(dtype, expected.cells![c])), `${label}: dtypes (pandas: ${expected.dtypes})`);
  const ours = cellsOf(df);
  expected.cells.forEach((column, c) => {
    assert.equal(ours[c].length, column.length, `${label}: column ${df.columns[c]} has pandas' ${column.length} rows`);
    column.forEach((p, r) => {
      const v = ours[c][r];
      const where = `${label}: column ${df.columns[c]}, row ${r}: ours ${String(v)}, pandas ${JSON.stringify(p)}`;
      if (p === null) assert.equal(v, null, where);
      else if ("i" in p) assert.ok(Number.isSafeInteger(Number(p.i)) && typeof v === "number" ? v === Number(p.i) : v === p.i, where);
      else if ("f" in p) assert.ok(v === Number(p.f), where);
      else if ("b" in p) assert.equal(v, p.b, where);
      else if ("t" in p) assert.ok(v instanceof Date && v.getTime() === p.t, where);
      else assert.equal(v, p.s, where);
    });
  });
}

function assertMatchesWritten(df: DataFrame, c: CorpusCase): void {
  assert.deepEqual(df.columns, c.columns);
  const ours = cellsOf(df);
  const rows = Array.from({ length: df.shape[0] }, (_, r) => ours.map((column) => column[r]));
  assert.deepEqual(rows, c.rows);
}

/** The options that describe the values rather than which part of the file to read. */
function valueOptions({ dtype, parseDates, naValues, keepDefaultNa }: ReadCsvOptions): ReadCsvOptions {
  return { dtype, parseDates, naValues, keepDefaultNa };
}

function assertFramesEqual(actual: DataFrame, expected: DataFrame): void {
  assert.deepEqual(actual.columns, expected.columns);
  assert.deepEqual(actual.dtypes, expected.dtypes);
  assert.deepEqual(cellsOf(actual), cellsOf(expected));
}

describe("readCsv over the corpus of awkward CSVs", () => {
  let pandas: PandasResult[] | undefined;
  before(async () => {
    await server.client.send(new CreateBucketCommand({ Bucket }));
    for (const c of CORPUS) await server.client.send(new PutObjectCommand({ Bucket, Key: c.key ?? c.file, Body: bytesOf(c) }));
    if (hasPandas) pandas = pandasRead(CORPUS.map((c) => ({ bytes: bytesOf(c), name: c.key ?? c.file, kwargs: c.pandas ?? {} })));
  });

  CORPUS.forEach((c, i) => {
    test(c.name, async () => {
      const df = await readCsv(`s3://${Bucket}/${c.key ?? c.file}`, { client: server.client, ...c.options });
      assertMatchesWritten(df, c);
    });

    test(`${c.name}: as pandas.read_csv reads it`, async (t) => {
      if (!pandas) return t.skip(`pandas is not installed (${PYTHON} -c "import pandas" fails): compared with the written expectations only`);
      const df = await readCsv(`s3://${Bucket}/${c.key ?? c.file}`, { client: server.client, ...c.options });
      assert.equal(pandas[i].error, undefined);
      if (pandas[i].columns!.length > 0 || c.columns.length > 0) assertMatchesPandas(df, pandas[i], c.name);
      assert.equal(pandas[i].roundtrips ?? false, c.roundtrips, "the written round-trip flag agrees with pandas");
    });
  });

  test("writeCsv then readCsv gives back an equal DataFrame for every file pandas round-trips", async () => {
    const roundtripping = CORPUS.filter((c, i) => (pandas ? pandas[i].roundtrips === true : c.roundtrips));
    assert.ok(roundtripping.length >= 15);
    for (const c of roundtripping) {
      const df = await readCsv(`s3://${Bucket}/${c.key ?? c.file}`, { client: server.client, ...c.options });
      const Key = `roundtrip/${c.key ?? c.file}`;
      await writeCsv(df, { Bucket, Key }, { client: server.client });
      const again = await readCsv({ Bucket, Key }, { client: server.client, ...valueOptions(c.options ?? {}) });
      assertFramesEqual(again, df);
    }
  });
});

test("danfo loads on the first CSV read, not with the kit", { timeout: 60_000 }, async () => {
  await server.client.send(new CreateBucketCommand({ Bucket: `${Bucket}-lazy` }));
  await server.client.send(new PutObjectCommand({ Bucket: `${Bucket}-lazy`, Key: "a.csv", Body: "a,b\n1,2\n" }));
  // A process of its own: this one loaded danfo already.
  const script = `
    const s3kit = require("s3kit");
    const danfoLoaded = () => Object.keys(require.cache).some((file) => file.includes("/node_modules/danfojs-node/"));
    const before = danfoLoaded();
    const client = s3kit.createClient({ kind: "local", endpoint: process.env.ENDPOINT, region: "us-east-1" }, JSON.parse(process.env.CREDENTIALS));
    s3kit.readCsv({ Bucket: process.env.BUCKET, Key: "a.csv" }, { client }).then((df) => {
      console.log(JSON.stringify({ before, after: danfoLoaded(), shape: df.shape }));
      client.destroy();
    });`;
  const env = { ...process.env, ENDPOINT: server.endpoint, CREDENTIALS: JSON.stringify(server.server.credentials), BUCKET: `${Bucket}-lazy` };
  const run = spawnSync(process.execPath, ["-e", script], { cwd: path.join(__dirname, ".."), env, encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), { before: false, after: true, shape: [1, 2] });
});

