import assert from "node:assert/strict";
import { describe, test, before } from "node:test";
import { gzipSync } from "node:zlib";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import * as danfo from "danfojs-node";
import { connect, readCsv, readCsvChunks, S3KitError, writeCsv } from "s3kit";
import { decodeText } from "../lib/src/csv/body";
import { ColumnBuilder, parseNumber, reproduces } from "../lib/src/csv/columns";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();
const Bucket = uniqueBucket("csvs");
const put = (Key: string, Body: string | Buffer) => server.client.send(new PutObjectCommand({ Bucket, Key, Body }));
const get = async (Key: string) => Buffer.from(await (await server.client.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());

async function rejectsWith(promise: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof S3KitError, String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  });
}

/** Rows of words in three- and four-byte characters, so that any chunk boundary can fall inside one. */
function multiByteCsv(rows: number): { text: string; words: string[] } {
  const alphabet = ["日本語", "Σίσυφος", "👋🏽", "ünïcödé", "𝄞𝄢", "中文字符"];
  const words = Array.from({ length: rows }, (_, i) => alphabet[i % alphabet.length].repeat(1 + (i % 7)));
  return { text: "id,word\n" + words.map((w, i) => `${i},${w}\n`).join(""), words };
}

describe("streaming", () => {
  before(async () => {
    await server.client.send(new CreateBucketCommand({ Bucket }));
  });

  test("a UTF-8 character split across chunks is decoded whole, even one byte per chunk", async () => {
    const bytes = Buffer.from("\ufeffname\n日本語 👋🏽 Σ\n", "utf8");
    async function* oneByteAtATime() {
      for (const byte of bytes) yield Uint8Array.of(byte);
    }
    let text = "";
    for await (const chunk of decodeText(oneByteAtATime(), "s3://b/k.csv", "k.csv")) text += chunk;
    assert.equal(text, "name\n日本語 👋🏽 Σ\n");
  });

  test("a multi-megabyte CSV of multi-byte characters comes through the network chunks intact", async () => {
    const { text, words } = multiByteCsv(60_000);
    assert.ok(Buffer.byteLength(text) > 2_000_000);
    await put("multibyte-big.csv", text);
    const df = await readCsv(`s3://${Bucket}/multibyte-big.csv`, { client: server.client });
    assert.deepEqual(df.column("word").values, words);
    assert.ok(!(df.column("word").values as string[]).some((w) => w.includes("\ufffd")));
  });

  test("readCsvChunks yields frames of chunkSize rows that add up to readCsv's frame", async () => {
    const { text, words } = multiByteCsv(2_500);
    await put("chunked.csv.gz", gzipSync(text));
    const sizes: number[] = [];
    const seen: string[] = [];
    for await (const chunk of readCsvChunks({ Bucket, Key: "chunked.csv.gz" }, { client: server.client, chunkSize: 1_000 })) {
      sizes.push(chunk.shape[0]);
      seen.push(...(chunk.column("word").values as string[]));
      assert.deepEqual(chunk.dtypes, ["int32", "string"]);
    }
    assert.deepEqual(sizes, [1_000, 1_000, 500]);
    assert.deepEqual(seen, words);
    await assert.rejects(async () => {
      for await (const _ of readCsvChunks({ Bucket, Key: "chunked.csv.gz" }, { client: server.client, chunkSize: 0 })) break;
    }, /chunkSize must be a positive whole number/);
  });

  test("nrows stops after that many rows", async () => {
    const df = await readCsv({ Bucket, Key: "multibyte-big.csv" }, { client: server.client, nrows: 3 });
    assert.deepEqual(df.column("id").values, [0, 1, 2]);
  });
});

describe("where the CSV comes from", () => {
  test("{ Bucket, Key }, a resource-like object with meta.client, and s3:// with the latest connect()'s client", async () => {
    await put("small.csv", "a,b\n1,x\n");
    const expected = [[1, "x"]];
    assert.deepEqual((await readCsv({ Bucket, Key: "small.csv" }, { client: server.client })).values, expected);
    assert.deepEqual((await readCsv({ bucketName: Bucket, key: "small.csv", meta: { client: server.client } })).values, expected);
    process.env.S3KIT_ENDPOINT = server.endpoint;
    try {
      await connect({ quiet: true });
    } finally {
      delete process.env.S3KIT_ENDPOINT;
    }
    assert.deepEqual((await readCsv(`s3://${Bucket}/small.csv`)).values, expected);
  });
});

describe("clear errors", () => {
  const read = (Key: string, options = {}) => readCsv({ Bucket, Key }, { client: server.client, ...options });

  test("a missing key or bucket names the s3:// URL", async () => {
    await rejectsWith(read("no-such.csv"), "NoSuchKey", new RegExp(`s3://${Bucket}/no-such\\.csv does not exist`));
    await rejectsWith(readCsv("s3://no-such-bucket-s3kit/x.csv", { client: server.client }), "NoSuchBucket", /s3:\/\/no-such-bucket-s3kit/);
    await rejectsWith(readCsv("s3://only-a-bucket", { client: server.client }), "InvalidArgument", /s3:\/\/bucket\/key/);
  });

  test("binary, non-UTF-8 and unsupported compressed objects are refused, not turned into garbage frames", async () => {
    await put("image.csv", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    await rejectsWith(read("image.csv"), "BadCsv", /image\.csv holds binary data/);
    await put("latin1.csv", Buffer.from("name,city\nRené,Besançon\n", "latin1"));
    await rejectsWith(read("latin1.csv"), "BadCsv", /latin1\.csv is not valid utf-8 text.*encoding: "latin1"/);
    assert.deepEqual((await read("latin1.csv", { encoding: "latin1" })).values, [["René", "Besançon"]]);
    await put("archive.csv", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    await rejectsWith(read("archive.csv"), "BadCsv", /compressed with zip/);
    await put("broken.csv.gz", gzipSync("a,b\n1,2\n").subarray(0, 12));
    await rejectsWith(read("broken.csv.gz"), "BadCsv", /not a valid gzip file/);
  });

  test("bad lines: an error naming the line, or skipped with a warning", async () => {
    await put("bad.csv", "a,b,c\n1,2,3\n4,5,6,7\n8,9,10\n");
    await rejectsWith(read("bad.csv"), "BadCsv", /Expected 3 fields in line 3 of s3:\/\/.*bad\.csv, saw 4/);
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    try {
      assert.deepEqual((await read("bad.csv", { onBadLines: "warn" })).values, [[1, 2, 3], [8, 9, 10]]);
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(warnings, ["Skipping line 3: Expected 3 fields, saw 4."]);
  });

  test("line numbers are the file's lines: blank lines and line breaks inside quotes count", async () => {
    // Line 5 as an editor shows it; pandas says "line 4", counting the quoted record as one line.
    await put("bad-after-quotes.csv", 'a,b,c\n1,"two\nlines",3\n\n4,5,6,7\n');
    await rejectsWith(read("bad-after-quotes.csv"), "BadCsv", /Expected 3 fields in line 5 of s3:\/\/.*bad-after-quotes\.csv, saw 4/);
    await put("bad-crlf.csv", 'a,b,c\r\n1,"two\r\nlines",3\r\n4,5,6,7\r\n');
    await rejectsWith(read("bad-crlf.csv"), "BadCsv", /Expected 3 fields in line 4 of/);
    // Far enough into the file to be in a later network chunk than the quoted line breaks.
    const filler = Array.from({ length: 50_000 }, (_, i) => `${i},x,y`).join("\n");
    await put("bad-far.csv", `a,b,c\n1,"x\ny\nz",3\n${filler}\n4,5,6,7\n`);
    await rejectsWith(read("bad-far.csv"), "BadCsv", /Expected 3 fields in line 50005 of/);
  });

  test("an unclosed quote, a dtype the data contradicts, and unknown usecols", async () => {
    await put("unclosed.csv", 'a,b\n1,"never closed\n2,3\n');
    await rejectsWith(read("unclosed.csv"), "BadCsv", /quoted field that never closes \(it opens on line 2\)/);
    await put("typed.csv", "n\n1\n\n2.5\n");
    await rejectsWith(read("typed.csv", { dtype: { n: "int" } }), "BadCsv", /Column "n" is declared int but line 4 of s3:\/\/.*typed\.csv holds "2.5"/);
    await rejectsWith(read("typed.csv", { usecols: ["m"] }), "InvalidArgument", /usecols names columns .* \(m\): its columns are n/);
  });
});

describe("writeCsv", () => {
  const tricky = () => new danfo.DataFrame({ name: ["Smith, John", 'said "hi"', "two\nlines"], n: [1, 2, 3] });

  test("quotes fields that hold commas, quotes and newlines (danfo's toCSV does not)", async () => {
    await writeCsv(tricky(), { Bucket, Key: "written.csv" }, { client: server.client });
    assert.equal((await get("written.csv")).toString(), 'name,n\n"Smith, John",1\n"said ""hi""",2\n"two\nlines",3\n');
    const danfoText = danfo.toCSV(tricky()) as string;
    await put("danfo-written.csv", danfoText);
    await rejectsWith(readCsv({ Bucket, Key: "danfo-written.csv" }, { client: server.client }), "BadCsv", /Expected 2 fields in line 2/);
  });

  test("gzips a .gz key, and streams a large frame as a multipart upload", async () => {
    await writeCsv(tricky(), `s3://${Bucket}/written.csv.gz`, { client: server.client });
    assert.deepEqual([...(await get("written.csv.gz")).subarray(0, 2)], [0x1f, 0x8b]);
    assert.deepEqual((await readCsv(`s3://${Bucket}/written.csv.gz`, { client: server.client })).values, tricky().values);

    const rows = 300_000;
    const big = new danfo.DataFrame({ i: Array.from({ length: rows }, (_, i) => i * 1_000_003), x: Array.from({ length: rows }, (_, i) => i / 7) });
    await writeCsv(big, { Bucket, Key: "big.csv" }, { client: server.client });
    const back = await readCsv({ Bucket, Key: "big.csv" }, { client: server.client });
    assert.deepEqual(back.column("i").values, big.column("i").values);
    assert.deepEqual(back.column("x").values, big.column("x").values);
  });
});

describe("danfo.readCSV on a presigned URL", () => {
  test("works, with papaparse's typing rather than pandas'", async () => {
    await put("compare.csv", "zip,count,note\n00123,1,NA\n02134,9007199254740993,\n");
    const url = await getSignedUrl(server.client, new GetObjectCommand({ Bucket, Key: "compare.csv" }), { expiresIn: 60 });
    const theirs = await danfo.readCSV(url);
    const ours = await readCsv({ Bucket, Key: "compare.csv" }, { client: server.client, dtype: { zip: "string" } });
    assert.deepEqual(theirs.values, [[123, 1, "NA"], [2134, "9007199254740993", null]]);
    // A column with nothing in it is float NaN, as in pandas; an integer beyond 2^53 makes its column strings.
    assert.deepEqual(ours.values, [["00123", "1", NaN], ["02134", "9007199254740993", NaN]]);
    const missing = await getSignedUrl(server.client, new GetObjectCommand({ Bucket, Key: "nope.csv" }), { expiresIn: 60 });
    await assert.rejects(danfo.readCSV(missing), /HTTP 404: Not Found/);
  });
});

describe("number texts", () => {
  test("reproduces(text, n) is exactly String(n) === text, the check that keeps '007' and '1.50' when a column turns out to be text", () => {
    const texts = ["0", "-0", "+1", "007", "0.5", ".5", "5.", "1.50", "1e5", "1E5", "100000", "1e21", "1000000000000000000000", "0.000001", "0.0000001",
      "-12.25", "123456789012345", "1234567890123456", "0.1000000000000000055", "9007199254740991", "12.0", "-0.0", "3.14159", "1e-7", "Infinity"];
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    for (let i = 0; i < 20_000; i++) {
      const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
      const sign = random() < 0.3 ? "-" : "";
      texts.push(`${sign}${digits(1 + Math.floor(random() * 9))}.${digits(Math.floor(random() * 9))}`, `${sign}${digits(1 + Math.floor(random() * 16))}`, (random() * 10 ** Math.floor(random() * 30 - 10)).toPrecision(1 + Math.floor(random() * 17)));
    }
    for (const text of texts) {
      const n = parseNumber(text);
      if (n === undefined) continue;
      assert.equal(reproduces(text, n), String(n) === text, text);
    }
  });

  test("a numeric column that turns out to be text gives back every original text, whether or not the scan found it plain", () => {
    const texts = ["0", "-0", "0.5", "-0.5", ".5", "5.", "00.5", "1.50", "+1", "007", "0.000001", "0.0000001", "-0.0000015", "1e5", "12.0",
      "123456789012345", "1234567890.12345", "1234567890.123456", "-12.25", "10", "100.01", "Infinity", "-inf"];
    let seed = 11;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");
    for (let i = 0; i < 20_000; i++) {
      const sign = random() < 0.3 ? "-" : "";
      texts.push(`${sign}${digits(1 + Math.floor(random() * 9))}.${digits(Math.floor(random() * 9))}`, `${sign}${digits(1 + Math.floor(random() * 15))}`);
    }
    const column = new ColumnBuilder("n");
    for (const text of texts) assert.ok(column.push(text), text);
    column.push("x"); // the column becomes text: each number must give back the text it came from
    const { values } = column.finish(false);
    assert.deepEqual(values, [...texts, "x"]);
  });
});
