import { HeadObjectCommand, CreateBucketCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { isNotFound } from "../errors";
import { kitPaths } from "./paths";
import { contentTypeFor } from "../content-type";

interface SeedEntry {
  key: string;
  fixture?: string;
  dataset?: string;
  generated?: string;
  rows?: number;
}

export interface SeedManifest {
  bucket: string;
  objects: SeedEntry[];
}

/** Reads fixtures/seed.json: the bucket and objects every fresh local server starts with. */
export function seedManifest(): SeedManifest {
  return JSON.parse(readFileSync(path.join(kitPaths().fixtures, "seed.json"), "utf8")) as SeedManifest;
}

/**
 * Puts the kit's data into a server: idempotent, so it runs on every start. An object already
 * there with the right size is left alone; a learner's own objects are never touched.
 */
export async function seedKitData(client: S3Client, manifest = seedManifest()): Promise<string[]> {
  const { bucket } = manifest;
  await client.send(new CreateBucketCommand({ Bucket: bucket })).catch((error: { name?: string }) => {
    if (error.name !== "BucketAlreadyOwnedByYou" && error.name !== "BucketAlreadyExists") throw error;
  });
  const written: string[] = [];
  for (const entry of manifest.objects) {
    const file = await sourceFile(entry);
    const size = statSync(file).size;
    if ((await storedSize(client, bucket, entry.key)) === size) continue;
    await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: entry.key,
        Body: createReadStream(file),
        ContentLength: size,
        ContentType: contentTypeFor(entry.key),
      }),
    );
    written.push(entry.key);
  }
  return written;
}

async function storedSize(client: S3Client, bucket: string, key: string): Promise<number | undefined> {
  try {
    return (await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

async function sourceFile(entry: SeedEntry): Promise<string> {
  const paths = kitPaths();
  if (entry.fixture) return path.join(paths.fixtures, entry.fixture);
  if (entry.dataset) return path.join(path.dirname(require.resolve("vega-datasets")), "..", "data", entry.dataset);
  const file = path.join(paths.generatedFixtures, entry.generated!);
  if (!existsSync(file)) await generateSensorCsv(file, entry.rows ?? 100_000);
  return file;
}

/**
 * A large, realistic-looking CSV for the chunked-reading lesson, generated rather than committed.
 * A fixed pseudo-random sequence makes every machine generate the same bytes.
 */
export async function generateSensorCsv(file: string, rows: number): Promise<void> {
  mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = createWriteStream(partial);
  let seed = 20240601;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  const stations = ["north-gate", "river-bank", "old-mill", "hilltop", "harbour"];
  const start = Date.UTC(2024, 0, 1);
  out.write("reading_id,timestamp,station,temperature_c,humidity_pct,wind_kmh,ok\n");
  for (let i = 0; i < rows; i++) {
    const time = new Date(start + i * 60_000).toISOString().slice(0, 19);
    const station = stations[Math.floor(random() * stations.length)];
    const temperature = (10 + 15 * Math.sin(i / 1440) + 5 * random()).toFixed(2);
    const line = `${i + 1},${time},${station},${temperature},${Math.floor(30 + 60 * random())},${(40 * random()).toFixed(1)},${random() > 0.02}\n`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  renameSync(partial, file);
}
