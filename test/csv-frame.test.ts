import assert from "node:assert/strict";
import { describe, test, before } from "node:test";
import { CreateBucketCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import * as danfo from "danfojs-node";
import type { DataFrame } from "danfojs-node";
import { dataFrameTables, readCsv, readCsvChunks } from "s3kit";
import { uniqueBucket, useLocalServer } from "./helpers/server";

// readCsv hands back a danfo DataFrame whose row copy is built on first use (lib/src/csv/frame.ts).
// Each test reads a fresh frame, does one thing a learner does, and compares the result with the
// same thing done on a frame danfo built itself from the same rows, dtypes and column names.

const server = useLocalServer();
const Bucket = uniqueBucket("csvf");
const Key = "mixed.csv";
const CSV = [
  "station,reading,count,ok,day,note",
  "north,1.5,3,True,2024-01-01,a",
  "south,,4,False,2024-01-02,",
  "north,2.25,5,True,2024-01-03,b",
  "east,-0.5,6,,2024-01-04,c",
  "south,10,7,False,2024-01-05,d",
  "north,3,8,True,2024-01-06,e",
  "east,4.75,9,False,2024-01-07,f",
].join("\n");

const read = () => readCsv({ Bucket, Key }, { client: server.client, parseDates: ["day"] });

/** What danfo makes of the same values given as rows, read from the lazy frame's columns. */
function eagerTwin(lazy: DataFrame): DataFrame {
  const columns = lazy.columns.map((name) => lazy.column(name).values as unknown[]);
  const rows = Array.from({ length: lazy.shape[0] }, (_, r) => columns.map((values) => values[r]));
  return new danfo.DataFrame(rows, { columns: [...lazy.columns], dtypes: [...lazy.dtypes] });
}

/** True while the frame's rows have not been built. */
const rowsPending = (df: DataFrame) => typeof Object.getOwnPropertyDescriptor(df, "$data")?.get === "function";

/** A frame's content as plain data: columns, dtypes, index and rows. */
function contentOf(df: DataFrame | danfo.Series) {
  return { columns: df.columns, dtypes: df.dtypes, index: df.index, shape: df.shape, values: df.values };
}

describe("a DataFrame from readCsv (rows built on first use) behaves as danfo's own", () => {
  let expected: DataFrame;
  before(async () => {
    await server.client.send(new CreateBucketCommand({ Bucket }));
    await server.client.send(new PutObjectCommand({ Bucket, Key, Body: CSV }));
    expected = eagerTwin(await read());
  });

  test("the columns, dtypes and shape are there before any row is built", async () => {
    const df = await read();
    assert.ok(rowsPending(df));
    assert.deepEqual(df.shape, [7, 6]);
    assert.deepEqual(df.columns, ["station", "reading", "count", "ok", "day", "note"]);
    // pandas: float64, int64, object for True/False with a gap, datetime64.
    assert.deepEqual(df.dtypes, ["string", "float32", "int32", "string", "datetime", "string"]);
    assert.deepEqual(df.index, [0, 1, 2, 3, 4, 5, 6]);
    assert.ok(rowsPending(df), "columns, dtypes, shape and index read no row");
  });

  test("column access (df.column, df[name]) gives danfo's Series without building the rows", async () => {
    const df = await read();
    for (const name of df.columns) {
      assert.deepEqual(contentOf(df.column(name)), contentOf(expected.column(name)), name);
      assert.deepEqual(contentOf((df as unknown as Record<string, danfo.Series>)[name]), contentOf(expected.column(name)), name);
    }
    assert.deepEqual(df.column("count").values, [3, 4, 5, 6, 7, 8, 9]);
    assert.ok(rowsPending(df));
  });

  test("describe() gives danfo's statistics without building the rows", async () => {
    // danfo's describe() cannot take a datetime column (mathjs has no mean of dates), so no parseDates here.
    const df = await readCsv({ Bucket, Key }, { client: server.client });
    const stats = df.describe();
    assert.deepEqual(contentOf(stats), contentOf(eagerTwin(await readCsv({ Bucket, Key }, { client: server.client })).describe()));
    assert.deepEqual(stats.columns, ["reading", "count"]);
    assert.ok(rowsPending(df));
  });

  test("values builds the rows once, the same rows danfo holds", async () => {
    const df = await read();
    const rows = df.values;
    assert.ok(!rowsPending(df));
    assert.equal(df.values, rows, "built once, then kept");
    assert.deepEqual(rows, expected.values);
    assert.deepEqual(rows[1], ["south", NaN, 4, false, new Date("2024-01-02T00:00:00Z"), null]);
    assert.deepEqual(df.shape, [7, 6]);
  });

  test("head(), tail(), iloc and loc give danfo's frames", async () => {
    assert.deepEqual(contentOf((await read()).head()), contentOf(expected.head()));
    assert.deepEqual(contentOf((await read()).head(2)), contentOf(expected.head(2)));
    assert.deepEqual(contentOf((await read()).tail(3)), contentOf(expected.tail(3)));
    assert.deepEqual(contentOf((await read()).iloc({ rows: [1, 3], columns: [0, 1] })), contentOf(expected.iloc({ rows: [1, 3], columns: [0, 1] })));
    assert.deepEqual(contentOf((await read()).loc({ rows: ["2:5"], columns: ["station", "count"] })), contentOf(expected.loc({ rows: ["2:5"], columns: ["station", "count"] })));
    const slice = (await read()).iloc({ rows: ["2:4"] });
    assert.deepEqual(slice.values, [expected.values[2], expected.values[3]]);
  });

  test("groupby() gives danfo's groups and aggregates", async () => {
    const grouped = (await read()).groupby(["station"]).agg({ reading: "mean", count: "sum" });
    assert.deepEqual(contentOf(grouped), contentOf(expected.groupby(["station"]).agg({ reading: "mean", count: "sum" })));
    assert.equal(grouped.shape[0], 3);
    const counts = (await read()).groupby(["station"]).col(["count"]).count();
    assert.deepEqual(contentOf(counts), contentOf(expected.groupby(["station"]).col(["count"]).count()));
  });

  test("the kit's showDataFrame tables and danfo's print text are the same", async () => {
    assert.deepEqual(dataFrameTables(await read(), { rows: 4 }), dataFrameTables(expected, { rows: 4 }));
    assert.equal((await read()).toString(), expected.toString());
  });

  test("changes in place (addColumn, drop) and copies work as on danfo's frame", async () => {
    const df = await read();
    const twin = eagerTwin(df);
    df.addColumn("double", (df.column("count").values as number[]).map((n) => n * 2), { inplace: true });
    twin.addColumn("double", (twin.column("count").values as number[]).map((n) => n * 2), { inplace: true });
    assert.deepEqual(contentOf(df), contentOf(twin));
    df.drop({ columns: ["note"], inplace: true });
    twin.drop({ columns: ["note"], inplace: true });
    assert.deepEqual(contentOf(df), contentOf(twin));
    assert.deepEqual(contentOf(df.column("double")), contentOf(twin.column("double")));
    assert.deepEqual(contentOf((await read()).copy()), contentOf(expected.copy()));
  });

  test("readCsvChunks' frames are built the same way", async () => {
    const chunks: DataFrame[] = [];
    for await (const chunk of readCsvChunks({ Bucket, Key }, { client: server.client, chunkSize: 3, parseDates: ["day"] })) chunks.push(chunk);
    assert.deepEqual(chunks.map((c) => c.shape), [[3, 6], [3, 6], [1, 6]]);
    assert.ok(chunks.every(rowsPending));
    // Each chunk is typed on its own, as pandas types each chunk: only the second has a gap in "ok".
    assert.deepEqual(chunks.map((c) => c.dtypes[3]), ["boolean", "string", "boolean"]);
    assert.deepEqual(chunks.flatMap((c) => c.values as unknown[][]), expected.values);
  });
});
