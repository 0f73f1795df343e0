// readCsv's two parsers give the same DataFrame: polars (whole files, where installed) and
// papaparse (streamed; the portable path). Every corpus file and a set of texts where polars' own
// rules differ from pandas' are read both ways and compared value by value, dtypes included.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import type { DataFrame } from "danfojs-node";
import { readCsv, type ReadCsvOptions } from "s3kit";
import { PANDAS_NA_VALUES } from "../lib/src/csv/columns";
import { polarsColumns, wholeFileParser } from "../lib/src/csv/polars";
import { CORPUS } from "./csv-corpus";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();
const Bucket = uniqueBucket("csv-parsers");
const FIXTURES = path.join(__dirname, "..", "fixtures", "csv");

/** Texts polars reads differently from pandas unless the kit steps in: each must come out as papaparse's path reads it. */
const TRAPS: Record<string, string> = {
  "booleans in odd letter cases (pandas: strings)": "a,b\ntrue,1\ntRuE,2\nFALSE,3\n",
  "booleans in pandas' spellings": "a,b\nTrue,1\nfalse,2\nTRUE,3\n",
  "a float column with NAN (pandas: strings)": "a\n1.5\nNAN\n",
  "an integral float beyond 2^53 (pandas: strings)": "a\n99999999999999999999\n1.5\n",
  "an integer beyond 2^53 (pandas: strings)": "a\n9007199254740993\n1\n",
  "a blank line (pandas skips it)": "a,b\n1,2\n\n3,4\n",
  "a row of empty fields (pandas keeps it)": "a,b\n1,2\n,\n3,4\n",
  "a short row": "a,b\n1\n3,4\n",
  "a line with too many fields": "a,b\n1,2,3\n4,5\n",
  "lone CR line breaks": "a,b\r1,2\r3,4\r",
  "repeated and empty names": "a,a,\n1,2,3\n",
  "an empty column": "a,b\n1,\n2,\n",
  "quoted missing markers and numbers": 'a,b\n"NA","1"\nx,"2"\n',
  "plus signs and infinities": "a,b\n+5,inf\n3,-Infinity\n",
  "a type change after 10,000 rows": `a\n${"1\n".repeat(10_001)}x\n`,
  "leading zeros": "a,b\n007,0.50\n8,1\n",
  "multi-line quoted text and UTF-8": 'a,b\n"x\ny",Zürich\n"z",東京\n',
  "CRLF": "a,b\r\n1,x\r\n2,y\r\n",
};

function cells(df: DataFrame): unknown[][] {
  return df.columns.map((name) => (df.shape[0] === 0 ? [] : (df.column(name).values as unknown[]).map((v) => (v instanceof Date ? v.getTime() : v))));
}

async function bothWays(key: string, options: ReadCsvOptions = {}): Promise<[DataFrame, DataFrame]> {
  const fast = await readCsv({ Bucket, Key: key }, { client: server.client, ...options });
  process.env.S3KIT_CSV_PARSER = "papaparse";
  try {
    return [fast, await readCsv({ Bucket, Key: key }, { client: server.client, ...options })];
  } finally {
    delete process.env.S3KIT_CSV_PARSER;
  }
}

function assertSame([fast, portable]: [DataFrame, DataFrame], label: string): void {
  assert.deepEqual(fast.columns, portable.columns, `${label}: columns`);
  assert.deepEqual(fast.dtypes, portable.dtypes, `${label}: dtypes`);
  assert.deepEqual(cells(fast), cells(portable), `${label}: values`); // deepEqual tells NaN from null and -0 from 0
}

const names = (header: string[]) => header;

describe("readCsv: polars and papaparse give the same DataFrame", () => {
  before(async () => {
    assert.equal(wholeFileParser(), "polars", "nodejs-polars is installed by npm ci on this platform");
    await server.client.send(new CreateBucketCommand({ Bucket }));
    for (const c of CORPUS) {
      const raw = readFileSync(path.join(FIXTURES, c.file));
      await server.client.send(new PutObjectCommand({ Bucket, Key: c.key ?? c.file, Body: c.gzip ? gzipSync(raw) : raw }));
    }
    for (const [name, text] of Object.entries(TRAPS)) await server.client.send(new PutObjectCommand({ Bucket, Key: `traps/${name}.csv`, Body: text }));
  });
  after(() => delete process.env.S3KIT_CSV_PARSER);

  test("every corpus file, with its options", async () => {
    for (const c of CORPUS) assertSame(await bothWays(c.key ?? c.file, c.options), c.name);
  });

  test("texts where polars' rules differ from pandas'", async () => {
    for (const name of Object.keys(TRAPS)) {
      const key = `traps/${name}.csv`;
      if (name === "a line with too many fields") {
        for (const read of [() => readCsv({ Bucket, Key: key }, { client: server.client }), () => bothWays(key)]) {
          await assert.rejects(read, /Expected 2 fields in line 2 .* saw 3/);
        }
        assertSame(await bothWays(key, { onBadLines: "skip" }), name);
      } else assertSame(await bothWays(key), name);
    }
  });

  test("polars takes the plain files and declines the ones it would read differently", () => {
    const taken = (text: string) => polarsColumns(Buffer.from(text), PANDAS_NA_VALUES, [], names) !== undefined;
    for (const name of ["a blank line (pandas skips it)", "a row of empty fields (pandas keeps it)", "a line with too many fields", "lone CR line breaks", "an integer beyond 2^53 (pandas: strings)", "an integral float beyond 2^53 (pandas: strings)"]) {
      assert.equal(taken(TRAPS[name]), false, name);
    }
    for (const name of ["booleans in odd letter cases (pandas: strings)", "plus signs and infinities", "multi-line quoted text and UTF-8", "CRLF", "repeated and empty names"]) {
      assert.equal(taken(TRAPS[name]), true, name);
    }
    const plainCorpus = CORPUS.filter((c) => !c.gzip && !c.options);
    const takenCorpus = plainCorpus.filter((c) => taken(readFileSync(path.join(FIXTURES, c.file), "utf8")));
    assert.ok(takenCorpus.length >= plainCorpus.length / 2, `polars took ${takenCorpus.length} of ${plainCorpus.length} plain corpus files`);
  });
});
