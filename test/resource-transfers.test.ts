import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PassThrough, type Writable } from "node:stream";
import { test } from "node:test";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { downloadFileobj, ServiceResource } from "s3kit";
import { capturingClient } from "./helpers/capture";
import { sha256, sha256File } from "./helpers/hash";
import { tempDir, uniqueBucket, useLocalServer } from "./helpers/server";

// The managed transfers and presigning boto3 injects into Bucket and Object, reached from resources.
const server = useLocalServer();

test("bucket.uploadFile then obj.downloadFile round-trips a multipart-sized file", async () => {
  const s3 = new ServiceResource(server.client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket() });
  const dir = tempDir();
  const source = path.join(dir, "source.bin");
  writeFileSync(source, Buffer.from(Array.from({ length: 5 * 1024 * 1024 + 1 }, (_, i) => (i * 31) % 251)));

  await bucket.uploadFile(source, "big.bin", { partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 });
  const obj = bucket.object("big.bin");
  await obj.load();
  assert.equal(obj.contentLength, 5 * 1024 * 1024 + 1);

  const copy = path.join(dir, "copy.bin");
  await obj.downloadFile(copy, { partSize: 5 * 1024 * 1024, multipartThreshold: 5 * 1024 * 1024 });
  assert.equal(await sha256File(copy), await sha256File(source));
});

test("bucket.copy keeps metadata, and obj.presignedUrl serves the copy to plain fetch", async () => {
  const s3 = new ServiceResource(server.client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket() });
  await bucket.object("original.txt").uploadData("copied words\n", { metadata: { author: "ada" } });

  await bucket.copy({ Bucket: bucket.name, Key: "original.txt" }, "copy.txt");
  const copied = bucket.object("copy.txt");
  await copied.load();
  assert.deepEqual(copied.metadata, { author: "ada" });
  assert.equal(copied.contentType, "text/plain; charset=utf-8");

  const response = await fetch(await copied.presignedUrl("GET", { expiresIn: 60 }));
  assert.equal(response.status, 200);
  assert.equal(sha256(Buffer.from(await response.arrayBuffer())), sha256("copied words\n"));
});

test("bucket.uploadDirectory and bucket.downloadPrefix mirror a folder", async () => {
  const s3 = new ServiceResource(server.client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket() });
  const source = tempDir();
  writeFileSync(path.join(source, "a.txt"), "alpha\n");
  writeFileSync(path.join(source, "b.txt"), "beta\n");

  const uploaded = await bucket.uploadDirectory(source, "docs/", {});
  assert.deepEqual([...uploaded].sort(), ["docs/a.txt", "docs/b.txt"]);
  const target = tempDir();
  await bucket.downloadPrefix("docs/", target, {});
  assert.equal(readFileSync(path.join(target, "a.txt"), "utf8"), "alpha\n");
  assert.equal(readFileSync(path.join(target, "b.txt"), "utf8"), "beta\n");
});

test("downloadFileobj writes into any stream in order, ranges in parallel (client, Bucket and Object)", async () => {
  const { client, sent } = capturingClient(server.endpoint);
  const s3 = new ServiceResource(client);
  const bucket = await s3.createBucket({ Bucket: uniqueBucket() });
  const MiB = 1024 * 1024;
  // Different bytes in every part, so that parts written out of order would change the hash.
  const bytes = Buffer.from(Array.from({ length: 21 * MiB + 7 }, (_, i) => (i * 7 + (i >> 20)) % 253));
  await bucket.uploadData(bytes, "streamed.bin");
  const options = { partSize: 5 * MiB, multipartThreshold: 5 * MiB, concurrency: 3 };
  const into = async (download: (stream: Writable) => Promise<unknown>) => {
    const stream = new PassThrough({ highWaterMark: MiB });
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    const before = sent.length;
    const result = await download(stream);
    return { result, received: Buffer.concat(chunks), gets: sent.slice(before).filter((r) => r.command === "GetObject").map((r) => r.input.Range) };
  };
  const { ETag } = await client.send(new HeadObjectCommand({ Bucket: bucket.name, Key: "streamed.bin" }));
  for (const download of [
    (stream: Writable) => downloadFileobj(client, bucket.name, "streamed.bin", stream, options),
    (stream: Writable) => bucket.downloadFileobj("streamed.bin", stream, options),
    (stream: Writable) => bucket.object("streamed.bin").downloadFileobj(stream, options),
  ]) {
    const { result, received, gets } = await into(download);
    assert.equal(sha256(received), sha256(bytes));
    assert.deepEqual(result, { bucket: bucket.name, key: "streamed.bin", size: bytes.length, etag: ETag });
    assert.equal(gets.length, 5, "one ranged GET per 5 MiB part");
    assert.equal(gets[0], `bytes=0-${5 * MiB - 1}`);
  }
});
