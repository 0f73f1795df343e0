/**
 * What the teaching instruments cost: the same requests sent by a plain client, by a client
 * inside trace() (one extra middleware per HTTP attempt), and through the resource layer, so that
 * notebook 02's "the request dominates" is measured, not asserted. The runs alternate between
 * the ways (sideBySide's own scheduling), so a busy machine slows all of them alike.
 */
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { ServiceResource, sideBySide, trace, type SideBySide } from "s3kit";
import { printTable, withLocalServer } from "./harness";

const OBJECTS = 100;
const RUNS = 15;

function table(title: string, comparison: SideBySide): void {
  const [baseline] = comparison.columns;
  printTable(title, comparison.columns.map((c, i) => ({
    how: i === 0 ? `${c.label} (baseline)` : c.label,
    requests: c.first.requests.length,
    "median ms": c.medianMs.toFixed(1),
    "vs baseline": `${(c.medianMs / baseline.medianMs).toFixed(2)}×`,
  })));
}

void withLocalServer(async (_server, client) => {
  const Bucket = "bench-instruments";
  await client.send(new CreateBucketCommand({ Bucket }));
  const keys = Array.from({ length: OBJECTS }, (_, i) => `k/${String(i).padStart(4, "0")}`);
  await Promise.all(keys.map((Key) => client.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));
  const resource = new ServiceResource(client);

  const heads = async () => {
    for (const Key of keys) await client.send(new HeadObjectCommand({ Bucket, Key }));
  };
  const loads = async () => {
    for (const key of keys) await resource.object(Bucket, key).load();
  };
  table(`${OBJECTS} HeadObject requests one after another, median of ${RUNS} runs`, await sideBySide({
    "client.send": heads,
    "client.send inside trace()": () => trace(heads, { client }),
    "resource.object(...).load()": loads,
  }, { client, runs: RUNS }));

  table(`Listing ${OBJECTS} keys, median of ${RUNS * 4} runs`, await sideBySide({
    "client ListObjectsV2": () => client.send(new ListObjectsV2Command({ Bucket })),
    "bucket.objects.all().toArray()": () => resource.bucket(Bucket).objects.all().toArray(),
  }, { client, runs: RUNS * 4 }));
});
