// Runs in a process of its own that has not loaded danfo: readCsv loads it, with mathjs, xlsx and
// request left as stand-ins until danfo first uses them (lib/src/csv/danfo.ts).
import assert from "node:assert/strict";
import { test } from "node:test";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import { readCsv } from "s3kit";
import { uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();
const Bucket = uniqueBucket("danfo-loading");
/** Whether a module's own files have run, not just its stand-in. */
const loaded = (name: string) => Object.keys(require.cache).some((file) => file.includes(`/node_modules/${name}/`) && require.cache[file]!.children.length > 0);

test("a read leaves mathjs, xlsx and request unloaded; describe(), groupby() and danfo.readCSV then load and use the real ones", async () => {
  assert.ok(!loaded("danfojs-node"), "danfo must not be loaded before the first read for this test to mean anything");
  await server.client.send(new CreateBucketCommand({ Bucket }));
  await server.client.send(new PutObjectCommand({ Bucket, Key: "small.csv", Body: "g,x\na,1\nb,2\na,3\nb,4\n" }));
  const df = await readCsv({ Bucket, Key: "small.csv" }, { client: server.client });
  assert.deepEqual(df.shape, [4, 2]);
  assert.ok(loaded("danfojs-node"));
  for (const name of ["mathjs", "xlsx", "request"]) assert.ok(!loaded(name), `${name} was loaded by a read`);

  const described = df.describe();
  assert.deepEqual(described.column("x").values, [4, 2.5, 1.2909944487358056, 1, 2.5, 4, 1.6666666666666667]);
  assert.ok(loaded("mathjs"));
  assert.deepEqual(df.groupby(["g"]).agg({ x: "mean" }).values, [["a", 2], ["b", 3]]);

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const danfo = require("danfojs-node") as typeof import("danfojs-node");
  const url = await getSignedUrl(server.client, new GetObjectCommand({ Bucket, Key: "small.csv" }), { expiresIn: 60 });
  assert.deepEqual((await danfo.readCSV(url)).values, [["a", 1], ["b", 2], ["a", 3], ["b", 4]]);
  assert.ok(loaded("request"));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const math = require("mathjs") as { std(values: number[]): number };
  assert.equal(math.std([1, 2, 3, 4]), 1.2909944487358056);
});
