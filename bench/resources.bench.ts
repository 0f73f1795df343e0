/**
 * What the resource layer costs over the raw client: listing 5,000 objects with
 * `bucket.objects.all()` versus the SDK's ListObjectsV2 paginator, and loading the attributes of
 * 200 objects with `obj.load()` versus HeadObject. Same server, same run; the resource must make
 * no more requests and take at most 10% more time.
 */
import { CreateBucketCommand, HeadObjectCommand, paginateListObjectsV2, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { ServiceResource } from "s3kit";
import { printTable, withLocalServer } from "./harness";

const OBJECTS = 5000;
const LOADED = 200;
const RUNS = 21;

/** Counts the requests a client sends. */
function countRequests(client: S3Client): { count: number } {
  const counter = { count: 0 };
  client.middlewareStack.add(
    (next) => async (args) => {
      counter.count++;
      return next(args);
    },
    { step: "finalizeRequest", name: "benchRequestCounter" },
  );
  return counter;
}

interface Measured {
  requests: number;
  ms: number;
}

interface Comparison {
  raw: Measured;
  resource: Measured;
  /** Median over rounds of resource time / client time in the same round: robust to a busy machine. */
  ratio: number;
}

/** The requests one run of `fn` sends. */
async function requestsOf(counter: { count: number }, fn: () => Promise<unknown>): Promise<number> {
  const before = counter.count;
  await fn();
  return counter.count - before;
}

/**
 * Times the client and resource versions of one task, alternating which goes first in each round
 * so that neither gains from the server's caches or the process warming up.
 */
async function compare(counter: { count: number }, raw: () => Promise<unknown>, resource: () => Promise<unknown>): Promise<Comparison> {
  // These first runs also warm up both paths.
  const rawRequests = await requestsOf(counter, raw);
  const resourceRequests = await requestsOf(counter, resource);
  const times: [number[], number[]] = [[], []];
  for (let round = 0; round < RUNS; round++) {
    const order = round % 2 === 0 ? [0, 1] : [1, 0];
    for (const which of order) {
      const started = performance.now();
      await (which === 0 ? raw : resource)();
      times[which].push(performance.now() - started);
    }
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  return {
    raw: { requests: rawRequests, ms: median(times[0]) },
    resource: { requests: resourceRequests, ms: median(times[1]) },
    ratio: median(times[1].map((ms, round) => ms / times[0][round])),
  };
}

void withLocalServer(async (_server, client) => {
  const counter = countRequests(client);
  const Bucket = "bench-resources";
  await client.send(new CreateBucketCommand({ Bucket }));
  const keys = Array.from({ length: OBJECTS }, (_, i) => `data/${String(i).padStart(5, "0")}.txt`);
  for (let i = 0; i < keys.length; i += 100) {
    await Promise.all(keys.slice(i, i + 100).map((Key) => client.send(new PutObjectCommand({ Bucket, Key, Body: Key }))));
  }
  const bucket = new ServiceResource(client).bucket(Bucket);

  const listing = await compare(
    counter,
    async () => {
      let n = 0;
      for await (const page of paginateListObjectsV2({ client }, { Bucket })) n += page.Contents?.length ?? 0;
      if (n !== OBJECTS) throw new Error(`paginator listed ${n} objects`);
    },
    async () => {
      let n = 0;
      for await (const summary of bucket.objects.all()) n += summary.key ? 1 : 0;
      if (n !== OBJECTS) throw new Error(`collection listed ${n} objects`);
    },
  );

  const sample = keys.slice(0, LOADED);
  const loading = await compare(
    counter,
    async () => {
      let bytes = 0;
      for (const Key of sample) bytes += (await client.send(new HeadObjectCommand({ Bucket, Key }))).ContentLength ?? 0;
      return bytes;
    },
    async () => {
      let bytes = 0;
      for (const Key of sample) {
        const obj = bucket.object(Key);
        await obj.load();
        bytes += obj.contentLength ?? 0;
      }
      return bytes;
    },
  );

  const row = (task: string, { raw, resource, ratio }: Comparison) => ({
    task,
    "client requests": raw.requests,
    "resource requests": resource.requests,
    "client ms (median)": raw.ms.toFixed(1),
    "resource ms (median)": resource.ms.toFixed(1),
    "resource / client (median of paired rounds)": ratio.toFixed(3),
    verdict: resource.requests <= raw.requests && ratio <= 1.1 ? "ok" : "OVER BUDGET",
  });
  printTable(`Resource layer vs raw client (median of ${RUNS} runs; budget: no more requests, ≤ 1.10× time)`, [
    row(`list ${OBJECTS} objects`, listing),
    row(`load attributes of ${LOADED} objects`, loading),
  ]);
});
