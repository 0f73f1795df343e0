import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createReadStream, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListBucketsCommand,
  PutObjectCommand,
  S3Client,
  paginateListObjectsV2,
} from "@aws-sdk/client-s3";
import { connect, createClient, ENGINE_LABELS, explain, resolveTarget, S3KitError } from "s3kit";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { python } from "../scripts/setup.mjs";
import { observe } from "./helpers/observed";
import { sha256 } from "./helpers/hash";
import { bucketWithKeys } from "./helpers/keys";
import { tempDir, testEngine, uniqueBucket, useLocalServer } from "./helpers/server";

const server = useLocalServer();

/** connect() with the kit's local server announced the way npm start announces it. */
async function connectLocal() {
  const saved = { ...process.env };
  Object.assign(process.env, { S3KIT_ENDPOINT: server.endpoint, S3KIT_ENGINE: server.server.engine });
  try {
    return await connect({ quiet: true });
  } finally {
    process.env = saved;
  }
}

async function getBytes(client: S3Client, Bucket: string, Key: string): Promise<Buffer> {
  const { Body } = await client.send(new GetObjectCommand({ Bucket, Key }));
  return Buffer.from(await Body!.transformToByteArray());
}

describe("connect() to the local server", () => {
  test("reports the local target with its endpoint and region", async () => {
    const { target, description } = await connectLocal();
    assert.equal(target.kind, "local");
    assert.equal(target.endpoint, server.endpoint);
    assert.equal(description, `s3kit → the kit's local S3 server (${ENGINE_LABELS[testEngine()]}) at ${server.endpoint}, region us-east-1`);
  });

  test("connect({ needs }) stops at once on s3rver with one sentence, and connects on Ceph", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { S3KIT_ENDPOINT: server.endpoint, S3KIT_ENGINE: server.server.engine });
    try {
      const connecting = connect({ quiet: true, needs: "versioning" });
      if (testEngine() === "s3rver") {
        const error = await connecting.then(() => assert.fail("connect() should have refused s3rver"), (e: unknown) => e);
        assert.ok(error instanceof S3KitError);
        assert.equal(error.code, "NotImplemented");
        assert.equal(
          error.message,
          "This needs versioning, which the kit's s3rver fallback does not have: run the kit on the Ceph engine (S3KIT_SERVER=ceph npm start, as root it installs Ceph), or connect to MinIO or AWS.",
        );
      } else {
        assert.equal((await connecting).target.engine, "ceph");
      }
    } finally {
      process.env = saved;
    }
  });

  test("objects PUT from a string, a Buffer and a file stream come back byte-identical", async () => {
    const { client } = await connectLocal();
    const Bucket = uniqueBucket();
    await client.send(new CreateBucketCommand({ Bucket }));
    const text = "Grüße, S3! 👋\n".repeat(1000);
    const bytes = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256));
    const file = path.join(tempDir(), "stream.bin");
    writeFileSync(file, Buffer.concat([bytes, bytes, bytes]));

    await client.send(new PutObjectCommand({ Bucket, Key: "from-string.txt", Body: text }));
    await client.send(new PutObjectCommand({ Bucket, Key: "from-buffer.bin", Body: bytes }));
    // A stream body is what the SDK's default checksums would frame as aws-chunked, and s3rver would store the framing.
    await client.send(new PutObjectCommand({ Bucket, Key: "from-stream.bin", Body: createReadStream(file), ContentLength: bytes.length * 3 }));

    assert.equal(sha256(await getBytes(client, Bucket, "from-string.txt")), sha256(text));
    assert.equal(sha256(await getBytes(client, Bucket, "from-buffer.bin")), sha256(bytes));
    assert.equal(sha256(await getBytes(client, Bucket, "from-stream.bin")), sha256(Buffer.concat([bytes, bytes, bytes])));
  });

  test("a raw S3Client made with the kernel's environment stores streams intact too", async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED", AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED" });
    try {
      const raw = new S3Client({
        endpoint: server.endpoint,
        region: "us-east-1",
        forcePathStyle: true,
        credentials: server.server.credentials,
      });
      const Bucket = uniqueBucket();
      await raw.send(new CreateBucketCommand({ Bucket }));
      const file = path.join(tempDir(), "raw.txt");
      writeFileSync(file, "streamed by a raw client\n".repeat(5000));
      await raw.send(new PutObjectCommand({ Bucket, Key: "raw.txt", Body: createReadStream(file) }));
      assert.equal(sha256(await getBytes(raw, Bucket, "raw.txt")), sha256("streamed by a raw client\n".repeat(5000)));
    } finally {
      process.env = saved;
    }
  });

  test("a listing of 2,500 keys pages correctly with ListObjectsV2", async () => {
    const { client } = await connectLocal();
    const { Bucket, keys } = await bucketWithKeys(client, 2500);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListObjectsV2({ client }, { Bucket })) {
      pages++;
      seen.push(...(page.Contents ?? []).map((o) => o.Key!));
    }
    assert.equal(pages, 3);
    assert.deepEqual(seen, keys);
    observe("ListObjectsV2 pagination (2,500 keys, 3 pages)");
  });
});

describe("choosing the target", () => {
  test("the local server is the default, even with AWS credentials around", () => {
    const target = resolveTarget({}, { AWS_PROFILE: "work", AWS_ACCESS_KEY_ID: "AKIAIOSFODNN7EXAMPLE", AWS_SECRET_ACCESS_KEY: "x" });
    assert.equal(target.kind, "local");
  });

  test("an explicit endpoint is used as given", () => {
    assert.deepEqual(resolveTarget({}, { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:9000/" }), {
      kind: "endpoint",
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
    });
    assert.equal(resolveTarget({ endpoint: "http://minio.local:9000" }, {}).endpoint, "http://minio.local:9000");
  });

  test("the kit's own endpoint exported for raw clients still counts as local", () => {
    const env = { S3KIT_ENDPOINT: "http://127.0.0.1:4568", AWS_ENDPOINT_URL_S3: "http://127.0.0.1:4568" };
    assert.equal(resolveTarget({}, env).kind, "local");
  });

  test("real AWS only when asked for by name", () => {
    assert.deepEqual(resolveTarget({}, { S3KIT_TARGET: "aws", AWS_REGION: "eu-west-1" }), { kind: "aws", region: "eu-west-1" });
    assert.equal(resolveTarget({ target: "aws" }, {}).kind, "aws");
    assert.throws(() => resolveTarget({}, { S3KIT_TARGET: "prod" }), /S3KIT_TARGET is "prod": set it to "local" or "aws"/);
    assert.throws(() => resolveTarget({ endpoint: "not a url" }, {}), /is not a URL/);
  });
});

describe("an unreachable endpoint", () => {
  async function closedPort(): Promise<number> {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    return port;
  }

  test("connect() to an explicit endpoint fails fast with one sentence", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const started = Date.now();
    const error = await connect({ endpoint, quiet: true }).then(
      () => assert.fail("connect() should have failed"),
      (e: unknown) => e,
    );
    assert.ok(error instanceof S3KitError);
    assert.equal(error.code, "Unreachable");
    assert.equal(error.message, `Cannot reach the S3 endpoint ${endpoint} (connection refused): check that the server is running and the endpoint URL is right.`);
    assert.ok(Date.now() - started < 5_000, `took ${Date.now() - started} ms`);
  });

  /** A server on 127.0.0.1 that takes no connection at all: its backlog is full, so a SYN goes unanswered. */
  async function unansweringServer(): Promise<{ endpoint: string; stop: () => void }> {
    const holder = spawn(python, ["-c", "import socket, time\ns = socket.socket()\ns.bind(('127.0.0.1', 0))\ns.listen(0)\nprint(s.getsockname()[1], flush=True)\ntime.sleep(120)"]);
    const port = await new Promise<number>((resolve) => holder.stdout!.once("data", (data: Buffer) => resolve(Number(String(data).trim()))));
    const fillers = Array.from({ length: 3 }, () => net.connect(port, "127.0.0.1").on("error", () => undefined));
    await new Promise((resolve) => setTimeout(resolve, 300));
    return { endpoint: `http://127.0.0.1:${port}`, stop: () => (fillers.forEach((socket) => socket.destroy()), holder.kill()) };
  }

  /** How a request through the kit's client ends: the SDK's error (with its attempts) and the time it took. */
  async function failedRequest(endpoint: string): Promise<{ error: Error & { $metadata?: { attempts?: number } }; ms: number }> {
    const client = createClient({ kind: "endpoint", endpoint, region: "us-east-1" }, { accessKeyId: "k", secretAccessKey: "s" });
    const started = Date.now();
    try {
      const error = await client.send(new ListBucketsCommand({})).then(() => assert.fail("should have failed"), (e: Error) => e);
      return { error, ms: Date.now() - started };
    } finally {
      client.destroy();
    }
  }

  test("a server that drops every connection gets at most one retry: two connections, then one sentence", async () => {
    let connections = 0;
    const dropping = net.createServer((socket) => (connections++, socket.destroy()));
    await new Promise<void>((resolve) => dropping.listen(0, "127.0.0.1", resolve));
    try {
      const endpoint = `http://127.0.0.1:${(dropping.address() as net.AddressInfo).port}`;
      const { error, ms } = await failedRequest(endpoint);
      assert.equal(error.$metadata?.attempts, 2, "one attempt and one retry");
      assert.equal(connections, 2);
      assert.ok(ms < 3_000, `took ${ms} ms`);
      assert.equal(explain(error).message, `Cannot reach the S3 endpoint ${endpoint} (the connection was reset): check that the server is running and the endpoint URL is right.`);
    } finally {
      dropping.close();
    }
  });

  test("a server that never takes the connection fails after the 2 s connection timeout, retried once", async () => {
    const silent = await unansweringServer();
    try {
      const { error, ms } = await failedRequest(silent.endpoint);
      assert.equal(error.$metadata?.attempts, 2, "one attempt and one retry");
      assert.ok(ms >= 3_900 && ms < 7_000, `two connection timeouts of 2 s: took ${ms} ms`);
    } finally {
      silent.stop();
    }
  });

  test("a connection timeout reads as one sentence saying what to do", async () => {
    const silent = await unansweringServer();
    try {
      const { error } = await failedRequest(silent.endpoint);
      const explained = explain(error);
      assert.equal(explained.code, "Unreachable");
      assert.equal(explained.message, `Cannot reach the S3 endpoint ${silent.endpoint} (the connection timed out): check that the server is running and the endpoint URL is right.`);
    } finally {
      silent.stop();
    }
  });

  test("a request to a stopped local server says how to start it", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const { createClient } = await import("s3kit");
    const client = createClient({ kind: "local", endpoint, region: "us-east-1" });
    const error = await client.send(new ListBucketsCommand({})).catch((e: unknown) => explain(e));
    assert.ok(error instanceof S3KitError);
    assert.match(error.message, /^Cannot reach the S3 endpoint http:\/\/127\.0\.0\.1:\d+ \(connection refused\): start the kit's local server with `npm start`/);
  });
});
