import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, test, type TestContext } from "node:test";
import { CreateBucketCommand, GetObjectCommand } from "@aws-sdk/client-s3";
import * as dfd from "danfojs-node";
import { chartFont, describeProgress, htmlTable, inNotebook, liveOutput, renderChart, show, showDataFrame, showError, textTable, type VegaLiteSpec } from "s3kit";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

/** What a display helper printed outside a notebook (it falls back to console.log). */
function printed(t: TestContext, fn: () => void): string {
  const log = t.mock.method(console, "log", () => {});
  fn();
  const lines = log.mock.calls.map((call) => String(call.arguments[0]));
  log.mock.restore();
  return lines.join("\n");
}

describe("tables", () => {
  test("HTML tables escape their cells; text tables right-align numeric columns", () => {
    const html = htmlTable(["key", "size"], [["<script>&", 5]], { numeric: [false, true], caption: "1 row" });
    assert.match(html, /<td>&#60;script&#62;&#38;<\/td><td style="text-align:right">5<\/td>/);
    assert.match(html, /<caption[^>]*>1 row<\/caption>/);
    assert.equal(textTable(["key", "size"], [["a", 5], ["bb", 1234]], { numeric: [false, true] }), "key  size\n───  ────\na       5\nbb   1234");
  });
});

describe("showDataFrame", () => {
  const frame = (rows: number) =>
    new dfd.DataFrame({
      id: Array.from({ length: rows }, (_, i) => i),
      ratio: Array.from({ length: rows }, (_, i) => i / 4),
      name: Array.from({ length: rows }, (_, i) => `row-${i}`),
    });

  test("a long frame shows its head and tail, its dtypes and its shape", (t) => {
    assert.equal(inNotebook(), false);
    const text = printed(t, () => showDataFrame(frame(30), { rows: 6 }));
    const lines = text.split("\n");
    assert.match(lines[0], /^\s+id\s+ratio\s+name$/);
    assert.match(lines[1], /^\s+int32\s+float32\s+string$/);
    const shown = lines.slice(3, -1).map((line) => line.trim().split(/\s+/)[0]);
    assert.deepEqual(shown, ["0", "1", "2", "…", "27", "28", "29"]);
    assert.match(text, /29\s+29\s+7\.25\s+row-29/);
    assert.equal(lines.at(-1), "30 rows × 3 columns");
  });

  test("a short frame shows every row", (t) => {
    const text = printed(t, () => showDataFrame(frame(3)));
    assert.doesNotMatch(text, /…/);
    assert.match(text, /row-0[\s\S]*row-1[\s\S]*row-2/);
    assert.match(text, /3 rows × 3 columns$/);
  });
});

describe("progress line", () => {
  test("sizes and rate in one unit family: MiB and MiB/s", () => {
    const MiB = 1024 * 1024;
    assert.equal(describeProgress("s3://b/k", 12 * MiB, 64 * MiB, 0.125), "s3://b/k: 12.0 MiB of 64.0 MiB (18.8%), 96.0 MiB/s, ETA 0:01");
    assert.equal(describeProgress("s3://b/k", 512 * 1024, undefined, 1), "s3://b/k: 512.0 KiB, 512.0 KiB/s");
  });
});

describe("charts", () => {
  const spec = (labelled: boolean): VegaLiteSpec => ({
    width: 240,
    height: 120,
    data: { values: [{ month: "Jan", rain: 120 }, { month: "Feb", rain: 90 }, { month: "Mar", rain: 60 }] },
    mark: "bar",
    encoding: {
      x: { field: "month", type: "nominal", axis: labelled ? {} : { labels: false, title: null } },
      y: { field: "rain", type: "quantitative", axis: labelled ? { title: "rain (mm)" } : { labels: false, title: null } },
    },
  });

  test("a Vega-Lite spec renders to a PNG whose axis labels are drawn with a real font", async () => {
    assert.ok(existsSync(chartFont().path), "a font file was found for chart text");
    const png = await renderChart(spec(true));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], "PNG signature");
    const width = Buffer.from(png).readUInt32BE(16);
    assert.ok(width >= 480, `drawn at twice the spec's size (width ${width})`);
    // Without a font, resvg silently drops text and both images come out identical.
    const unlabelled = await renderChart(spec(false));
    assert.ok(png.byteLength > unlabelled.byteLength + 1000, `labels add detail (${png.byteLength} vs ${unlabelled.byteLength} bytes)`);
  });
});

describe("showError", () => {
  test("shows the one-sentence explanation of an SDK error, not a stack trace", async (t) => {
    const Bucket = uniqueBucket("err");
    await server.client.send(new CreateBucketCommand({ Bucket }));
    const error = await server.client.send(new GetObjectCommand({ Bucket, Key: "missing.csv" })).catch((e: unknown) => e);
    let returned: unknown = "not called";
    const text = printed(t, () => (returned = showError(error)));
    assert.equal(text, `✗ s3://${Bucket}/missing.csv does not exist: check the key, or list the bucket to see what is there.`);
    assert.equal(returned, undefined);
  });
});

describe("outside a notebook", () => {
  test("show() prints the plain text with signatures and credentials redacted", (t) => {
    const url = "http://127.0.0.1:4568/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=S3RVER%2F20260101&X-Amz-Signature=0123abcd&X-Amz-SignedHeaders=host";
    const text = printed(t, () => show({ html: "<b>ignored</b>" }, `${url}\nAuthorization: AWS4-HMAC-SHA256 Credential=S3RVER/x, Signature=0123abcd`));
    assert.equal(
      text,
      "http://127.0.0.1:4568/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=…&X-Amz-Signature=…&X-Amz-SignedHeaders=host\nAuthorization: …",
    );
  });

  test("a live output writes only its final state when output is not a terminal", (t) => {
    const tty = process.stdout.isTTY;
    Object.defineProperty(process.stdout, "isTTY", { value: false, configurable: true });
    const write = t.mock.method(process.stdout, "write", () => true);
    try {
      const live = liveOutput();
      for (let i = 1; i <= 100; i++) live.update(`<progress value="${i}">`, `${i}%`);
      live.done("<b>done</b>", "100% done");
    } finally {
      write.mock.restore();
      Object.defineProperty(process.stdout, "isTTY", { value: tty, configurable: true });
    }
    assert.deepEqual(write.mock.calls.map((c) => c.arguments[0]), ["100% done\n"]);
  });
});
