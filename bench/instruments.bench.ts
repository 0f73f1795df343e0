/**
 * What the teaching instruments cost: the same requests sent by a raw SDK client that the kit
 * never touched (the baseline: no kit middleware, never traced), by the kit's client, by the kit's
 * client inside trace(), and through the resource layer, so that notebook 02's "the request
 * dominates" is measured, not asserted. Rounds alternate their starting task (harness.ts).
 */
import { CreateBucketCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { ServiceResource, trace } from "s3kit";
import { alternatingMedians, printTable, withLocalServer } from "./harness";

const OBJECTS = 100;
const RUNS = 15;

function table(title: string, medians: Record<string, number>): void {
  const [baseline] = Object.values(medians);
  printTable(title, Object.entries(medians).map(([how, ms], i) => ({
    how: i === 0 ? `${how} (baseline)` : how,
    "median ms": ms.toFixed(1),
    "vs baseline": `${(ms / baseline).toFixed(2)}×`,
  })));
}

void withLocalServer(async (server, client) => {
  const Bucket = "bench-instruments";
  await client.send(new CreateBucketCommand({ Bucket }));
  const keys = Array.from({ length: OBJECTS }, (_, i) => `k/${String(i).padStart(4, "0")}`);
  for (let i = 0; i < keys.length; i += 20) {
    await Promise.all(keys.slice(i, i + 20).map((Key) => client.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));
  }
  // The same settings as the kit's client, none of its middleware.
  const raw = new S3Client({
    region: "us-east-1",
    endpoint: server.endpoint,
    forcePathStyle: true,
    credentials: server.credentials,
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const resource = new ServiceResource(client);
  const heads = (on: S3Client) => async () => {
    for (const Key of keys) await on.send(new HeadObjectCommand({ Bucket, Key }));
  };
  table(`${OBJECTS} HeadObject requests one after another, median of ${RUNS} rounds`, await alternatingMedians({
    "raw S3Client": heads(raw),
    "the kit's client": heads(client),
    "the kit's client inside trace()": () => trace(heads(client), { client }),
    "resource.object(...).load()": async () => {
      for (const key of keys) await resource.object(Bucket, key).load();
    },
  }, RUNS));

  table(`Listing ${OBJECTS} keys (one request), median of ${RUNS} rounds`, await alternatingMedians({
    "raw S3Client ListObjectsV2": () => raw.send(new ListObjectsV2Command({ Bucket })),
    "the kit's client ListObjectsV2": () => client.send(new ListObjectsV2Command({ Bucket })),
    "bucket.objects.all().toArray()": () => resource.bucket(Bucket).objects.all().toArray(),
  }, RUNS));
  raw.destroy();
});
