// The Ceph engine's life: first start, stop, restart, kill -9 (also in the middle of a 300 MiB
// upload), stale pid files, a damaged folder, a taken port, two kit homes at once, supervision,
// and the kit server shared by scripts (connect() exits, the next caller reuses, npm run stop).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { after, describe, test } from "node:test";
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { createClient, startLocalServer, superviseServer, uploadFile, type LocalServer, S3KitError } from "s3kit";
import { sha256, sha256File } from "./helpers/hash";
import { root } from "./helpers/kit";
import { needsCeph, tempDir, uniqueBucket, useLocalServer } from "./helpers/server";

const MiB = 1024 * 1024;
// RGW runs its lifecycle workers only in their daily work time (00:00-06:00 by default): here at
// any hour (CEPH_ARGS reaches every daemon this file starts), so stop is timed with them running.
process.env.CEPH_ARGS = `${process.env.CEPH_ARGS ?? ""} --rgw_lifecycle_work_time=00:00-23:59`.trim();

/** Processes whose arguments mention `text` (a cluster's ceph.conf path names its daemons). */
function processesWith(text: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(text) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z");
      } catch {
        return false;
      }
    })
    .map(Number);
}

const daemonsOf = (stateDir: string) => processesWith(path.join(stateDir, "ceph.conf"));

function killDaemons(stateDir: string): void {
  for (const pid of daemonsOf(stateDir)) process.kill(pid, "SIGKILL");
}

const started: string[] = [];
const folders: string[] = [];
after(() => {
  // Whatever a failed test left running, by the folders this file created; then the folders (a
  // cluster's sparse 10 GB BlueStore file holds what was written, 300 MiB and more here).
  for (const dir of started) killDaemons(dir);
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed after this file's tests. */
function scratch(prefix: string): string {
  const dir = tempDir(prefix);
  folders.push(dir);
  return dir;
}

async function start(stateDir: string, options: { port?: number; strictPort?: boolean } = {}) {
  const notes: string[] = [];
  started.push(stateDir);
  const begun = Date.now();
  const server = await startLocalServer({ engine: "ceph", dataDir: stateDir, note: (line) => notes.push(line), ...options });
  const client = createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials);
  return { server, client, notes, seconds: (Date.now() - begun) / 1000 };
}

async function getText(client: S3Client, Bucket: string, Key: string): Promise<string> {
  return (await client.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();
}

async function waitUntil(condition: () => boolean, timeoutMs: number, what: string, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

describe("the Ceph engine", { concurrency: false }, () => {
  const home = scratch("s3kit-ceph-");
  const stateDir = path.join(home, "ceph");
  const Bucket = uniqueBucket("life");
  let first: LocalServer;

  test("first start creates a cluster on 127.0.0.1 with cephx, generated keys stored 0600, and bounded logs", { timeout: 120_000 }, async (t) => {
    if (needsCeph(t)) return;
    const { server, client, seconds } = await start(stateDir);
    first = server;
    t.diagnostic(`cold start ${seconds.toFixed(1)} s`);
    assert.equal(server.engine, "ceph");
    assert.match(server.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(server.credentials.accessKeyId, "S3RVER");
    assert.match(server.credentials.secretAccessKey, /^\S{30,}$/);
    assert.equal(statSync(path.join(stateDir, "credentials.json")).mode & 0o777, 0o600);
    const conf = readFileSync(path.join(stateDir, "ceph.conf"), "utf8");
    assert.match(conf, /auth cluster required = cephx/);
    assert.match(conf, /osd objectstore = bluestore/);
    assert.doesNotMatch(conf, new RegExp(server.credentials.secretAccessKey), "no S3 secret in the config");
    for (const pid of daemonsOf(stateDir)) {
      assert.doesNotMatch(readFileSync(`/proc/${pid}/cmdline`, "utf8"), new RegExp(server.credentials.secretAccessKey), "no secret on a command line");
    }
    assert.equal(daemonsOf(stateDir).length, 3);
    await client.send(new CreateBucketCommand({ Bucket }));
    await client.send(new PutObjectCommand({ Bucket, Key: "kept.txt", Body: "still here" }));
    client.destroy();
  });

  test("stop ends every daemon on its SIGTERM within 3 s, none waiting for the 4 s grace; a restart keeps the data", { timeout: 120_000 }, async (t) => {
    if (needsCeph(t)) return;
    const stopping = Date.now();
    await first.stop();
    const stopSeconds = (Date.now() - stopping) / 1000;
    assert.deepEqual(daemonsOf(stateDir), []);
    // Measured 0.3-1.7 s. A daemon that waits (RGW's lifecycle workers sleeping 5 s on a shard lock
    // took 3.5-4.4 s) ends only with the SIGKILL after stopDaemons' 4 s SIGTERM grace.
    assert.ok(stopSeconds < 3, `stop took ${stopSeconds} s: a daemon waited instead of ending on SIGTERM`);
    const { server, client, seconds, notes } = await start(stateDir);
    t.diagnostic(`stop ${stopSeconds.toFixed(1)} s, restart ${seconds.toFixed(1)} s`);
    assert.deepEqual(notes, []);
    assert.equal(server.endpoint, first.endpoint, "the same port as before");
    assert.equal(await getText(client, Bucket, "kept.txt"), "still here");
    first = server;
    client.destroy();
  });

  test("an overwritten object's data is freed within seconds, not RGW's default two hours", { timeout: 180_000 }, async (t) => {
    if (needsCeph(t)) return;
    // Without it, about 9 GiB of overwrites filled the 10 GiB store and every write then hung.
    const client = createClient({ kind: "local", endpoint: first.endpoint, region: "us-east-1" }, first.credentials);
    const body = randomBytes(16 * MiB); // beyond RGW's 4 MiB head: tail objects the collector frees
    await client.send(new PutObjectCommand({ Bucket, Key: "overwritten.bin", Body: body }));
    await client.send(new PutObjectCommand({ Bucket, Key: "overwritten.bin", Body: body }));
    client.destroy();
    const pending = (): number => {
      const listed = spawnSync("radosgw-admin", ["gc", "list", "--include-all"], { encoding: "utf8", env: { ...process.env, CEPH_CONF: path.join(stateDir, "ceph.conf") } });
      assert.equal(listed.status, 0, listed.stderr);
      return (JSON.parse(listed.stdout) as unknown[]).length;
    };
    assert.ok(pending() > 0, "the first copy's tail waits for the garbage collector");
    const waiting = Date.now();
    await waitUntil(() => pending() === 0, 150_000, "RGW's garbage collector to free the overwritten data", 5_000);
    t.diagnostic(`freed after ${((Date.now() - waiting) / 1000).toFixed(0)} s`);
  });

  test("kill -9 of every daemon, then start: one line about the stale pid files, data intact", { timeout: 120_000 }, async (t) => {
    if (needsCeph(t)) return;
    killDaemons(stateDir);
    await waitUntil(() => daemonsOf(stateDir).length === 0, 5_000, "the daemons to die");
    const { server, client, seconds, notes } = await start(stateDir);
    t.diagnostic(`restart after kill -9 ${seconds.toFixed(1)} s`);
    assert.deepEqual(notes, ["removed stale pid files of Ceph's mon.a, osd.0, client.rgw.kit (stopped without cleaning up, e.g. by kill -9): restarting them"]);
    assert.equal(await getText(client, Bucket, "kept.txt"), "still here");
    first = server;
    client.destroy();
  });

  test("supervision: a daemon that dies is named in one line and restarted", { timeout: 120_000 }, async (t) => {
    if (needsCeph(t)) return;
    const lines: string[] = [];
    const unwatch = superviseServer(first, (line) => lines.push(line), 200);
    try {
      const gateway = Number(readFileSync(path.join(stateDir, "run", "client.rgw.kit.pid"), "utf8"));
      process.kill(gateway, "SIGKILL");
      await waitUntil(() => lines.length >= 2, 60_000, `the restart (lines so far: ${lines.join(" | ")})`);
      assert.equal(lines[0], "Ceph's client.rgw.kit stopped unexpectedly: restarting it ...");
      assert.match(lines[1]!, new RegExp(`^the local S3 server answers again at ${first.endpoint} \\(restarted in \\d+\\.\\d s\\)$`));
      const client = createClient({ kind: "local", endpoint: first.endpoint, region: "us-east-1" }, first.credentials);
      assert.equal(await getText(client, Bucket, "kept.txt"), "still here");
      client.destroy();
    } finally {
      unwatch();
    }
  });

  test("kill -9 in the middle of a 300 MiB upload, then start: earlier objects intact, the upload aborted and reported", { timeout: 240_000 }, async (t) => {
    if (needsCeph(t)) return;
    const client = createClient({ kind: "local", endpoint: first.endpoint, region: "us-east-1" }, first.credentials);
    const file = path.join(scratch("s3kit-ceph-files-"), "big.bin");
    for (let i = 0; i < 30; i++) writeFileSync(file, randomBytes(10 * MiB), { flag: "a" });
    const earlier = randomBytes(3 * MiB);
    await client.send(new PutObjectCommand({ Bucket, Key: "earlier.bin", Body: earlier }));
    let killed = false;
    const failure = await uploadFile(client, file, Bucket, "big.bin", {
      progress: ({ loaded }) => {
        if (!killed && loaded > 100 * MiB) {
          killed = true;
          killDaemons(stateDir);
        }
      },
    }).then(() => assert.fail("the upload should have failed"), (e: unknown) => e);
    assert.ok(failure instanceof S3KitError, String(failure));
    client.destroy();

    const { server, client: again, notes } = await start(stateDir);
    assert.equal(notes.length, 1, notes.join("\n"));
    assert.deepEqual(server.discardedUploads, [`${Bucket}/big.bin`]);
    assert.equal(sha256(Buffer.from(await (await again.send(new GetObjectCommand({ Bucket, Key: "earlier.bin" }))).Body!.transformToByteArray())), sha256(earlier));
    assert.equal(await getText(again, Bucket, "kept.txt"), "still here");
    const missing = await again.send(new GetObjectCommand({ Bucket, Key: "big.bin" })).then(() => "stored", (e: { name: string }) => e.name);
    assert.equal(missing, "NoSuchKey", "no half object");
    // And a whole upload works again, bytes intact.
    await uploadFile(again, file, Bucket, "big.bin");
    const back = path.join(scratch("s3kit-ceph-files-"), "back.bin");
    const { Body } = await again.send(new GetObjectCommand({ Bucket, Key: "big.bin" }));
    writeFileSync(back, Buffer.from(await Body!.transformToByteArray()));
    assert.equal(await sha256File(back), await sha256File(file));
    rmSync(file);
    rmSync(back);
    first = server;
    again.destroy();
  });

  test("a taken S3 port: S3KIT_PORT's start says so in one sentence; otherwise the endpoint moves, with one line", { timeout: 120_000 }, async (t) => {
    if (needsCeph(t)) return;
    await first.stop();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(first.port, "127.0.0.1", resolve));
    try {
      await assert.rejects(start(stateDir, { port: first.port, strictPort: true }), {
        message: `Port ${first.port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_PORT.`,
      });
      const { server, client, notes } = await start(stateDir);
      assert.notEqual(server.port, first.port);
      assert.deepEqual(notes, [`port ${first.port} is taken by another program: the S3 endpoint moved to port ${server.port}`]);
      assert.equal(await getText(client, Bucket, "kept.txt"), "still here");
      client.destroy();
      await server.stop();
    } finally {
      blocker.close();
    }
  });

  test("a port taken after it was found free, by another S3 server: one sentence, and no daemon of the start left running", { timeout: 120_000 }, async (t) => {
    if (needsCeph(t)) return;
    // Another S3 server with its own keys: it answers every request, refusing the kit's key.
    const foreign = http.createServer((request, response) => {
      response.writeHead(403, { "content-type": "application/xml" });
      response.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InvalidAccessKeyId</Code></Error>');
    });
    const gatewayPidFile = path.join(stateDir, "run", "client.rgw.kit.pid");
    assert.equal(existsSync(gatewayPidFile), false, "the cluster is stopped before this test");
    const starting = start(stateDir, { port: first.port, strictPort: true });
    starting.catch(() => {});
    // The port was free when the start checked it; the gateway is spawned but binds it only once
    // it has reached the monitor and the OSD, seconds later: the other server takes it first.
    await waitUntil(() => existsSync(gatewayPidFile), 60_000, "the gateway to be spawned", 5);
    const spawned = readdirSync(path.join(stateDir, "run")).filter((file) => file.endsWith(".pid"))
      .map((file) => Number(readFileSync(path.join(stateDir, "run", file), "utf8")));
    await new Promise<void>((resolve) => foreign.listen(first.port, "127.0.0.1", resolve));
    try {
      await assert.rejects(starting, {
        name: "S3KitError",
        code: "PortInUse",
        message: `Port ${first.port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_PORT.`,
      });
      assert.equal(spawned.length, 3, "the monitor, OSD and gateway were spawned by the start");
      assert.deepEqual(spawned.filter((pid) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z")), []);
      assert.deepEqual(daemonsOf(stateDir), []);
    } finally {
      foreign.close();
    }
  });

  test("a damaged state folder gives one line saying how to recover without deleting anything", { timeout: 60_000 }, async (t) => {
    if (needsCeph(t)) return;
    renameSync(path.join(stateDir, "keyring"), path.join(stateDir, "keyring.moved"));
    try {
      await assert.rejects(start(stateDir), {
        message: `The Ceph state folder ${stateDir} is damaged (keyring is missing): move it aside (mv ${stateDir} ${stateDir}.damaged) to start with a new, empty cluster; your objects stay in the moved folder.`,
      });
      assert.deepEqual(daemonsOf(stateDir), []);
    } finally {
      renameSync(path.join(stateDir, "keyring.moved"), path.join(stateDir, "keyring"));
    }
  });
});

describe("two kit homes at once", () => {
  const shared = useLocalServer();

  test("each has its own ports, keys and data (the run's server, as a learner's npm start, and one more)", { timeout: 180_000 }, async (t) => {
    if (needsCeph(t)) return;
    const a = { server: shared.server, client: shared.client };
    const b = await start(path.join(scratch("s3kit-ceph-b-"), "ceph"));
    try {
      const conf = (s: LocalServer) => readFileSync(path.join(s.dataDir, "ceph.conf"), "utf8");
      const ports = (s: LocalServer) => [...conf(s).matchAll(/(?:127\.0\.0\.1:|port (?:min|max) = )(\d+)/g)].map((m) => Number(m[1]));
      const [portsA, portsB] = [ports(a.server), ports(b.server)];
      assert.ok(portsA.every((p) => !portsB.includes(p)), `ports ${portsA} vs ${portsB}`);
      assert.notEqual(a.server.credentials.accessKeyId, b.server.credentials.accessKeyId);
      const Bucket = uniqueBucket("home");
      await a.client.send(new CreateBucketCommand({ Bucket }));
      await a.client.send(new PutObjectCommand({ Bucket, Key: "a.txt", Body: "home a" }));
      const inB = await b.client.send(new GetObjectCommand({ Bucket, Key: "a.txt" })).then(() => "found", (e: { name: string }) => e.name);
      assert.equal(inB, "NoSuchBucket");
      const crossKeys = createClient({ kind: "local", endpoint: b.server.endpoint, region: "us-east-1" }, a.server.credentials);
      const refused = await crossKeys.send(new GetObjectCommand({ Bucket, Key: "a.txt" })).then(() => "served", (e: { name: string }) => e.name);
      assert.equal(refused, "InvalidAccessKeyId", "one home's keys mean nothing to the other");
      crossKeys.destroy();
    } finally {
      b.client.destroy();
      await b.server.stop();
    }
  });
});

describe("the kit's shared server (npm start, connect(), scripts, npm run stop)", () => {
  /** Runs a script with this kit home, the way a learner's script runs: its own process. */
  function script(home: string, code: string, extraEnv: Record<string, string> = {}) {
    const begun = Date.now();
    const result = spawnSync(process.execPath, ["-e", code], {
      cwd: root,
      env: { ...process.env, S3KIT_HOME: home, S3KIT_SERVER: "ceph", S3KIT_ENDPOINT: "", AWS_ENDPOINT_URL_S3: "", S3KIT_ACCESS_KEY_ID: "", S3KIT_SECRET_ACCESS_KEY: "", ...extraEnv },
      encoding: "utf8",
      timeout: 120_000,
    });
    return { ...result, seconds: (Date.now() - begun) / 1000 };
  }
  const connectAndList = `
    const s3kit = require("./lib");
    s3kit.connect().then(async ({ resource }) => {
      console.log("buckets: " + (await resource.buckets.all().toArray()).map((b) => b.name).join(","));
    });`;

  const home = scratch("s3kit-home-");
  const stateDir = path.join(home, "ceph");
  started.push(stateDir);

  test("a script's connect() starts and seeds the server, then exits; the next caller reuses it; npm run stop stops it", { timeout: 240_000 }, async (t) => {
    if (needsCeph(t)) return;

    const firstRun = script(home, connectAndList);
    assert.equal(firstRun.status, 0, firstRun.stderr);
    const lines = firstRun.stdout.trim().split("\n");
    assert.match(lines[0]!, /^s3kit → the kit's local S3 server \(Ceph RGW\) at http:\/\/127\.0\.0\.1:\d+, region us-east-1$/);
    assert.equal(lines[1], "buckets: s3kit-data");
    const info = JSON.parse(readFileSync(path.join(home, "server.json"), "utf8"));
    assert.equal(info.engine, "ceph");
    assert.equal(info.home, home);
    assert.equal(daemonsOf(stateDir).length, 3, "the server stays for the next caller");

    const secondRun = script(home, connectAndList);
    assert.equal(secondRun.status, 0, secondRun.stderr);
    assert.equal(secondRun.stdout.trim().split("\n")[0], lines[0], "the same server");
    assert.ok(secondRun.seconds < 10, `reuse took ${secondRun.seconds} s`);

    const otherPort = script(home, connectAndList, { S3KIT_PORT: String(info.port + 1) });
    assert.equal(otherPort.status, 1);
    assert.match(otherPort.stderr, new RegExp(`This kit home's local server already runs at ${info.endpoint}, not on port ${info.port + 1}`));

    const stop = spawnSync(process.execPath, [path.join(root, "scripts", "stop.mjs")], { cwd: root, env: { ...process.env, S3KIT_HOME: home }, encoding: "utf8" });
    assert.equal(stop.status, 0, stop.stderr);
    assert.match(stop.stdout, new RegExp(`^s3kit: stopped the local S3 server \\(Ceph RGW at ${info.endpoint}\\) in \\d+\\.\\d s\\n$`));
    assert.deepEqual(daemonsOf(stateDir), []);
    assert.equal(existsSync(path.join(home, "server.json")), false, "no stale server.json");
    const again = spawnSync(process.execPath, [path.join(root, "scripts", "stop.mjs")], { cwd: root, env: { ...process.env, S3KIT_HOME: home }, encoding: "utf8" });
    assert.equal(again.stdout, "s3kit: no local S3 server was running for this kit home\n");
  });

  test("a server.json whose server is gone, and a lock left by a killed process, are removed with one line each", { timeout: 180_000 }, async (t) => {
    if (needsCeph(t)) return;
    writeFileSync(path.join(home, "server.json"), JSON.stringify({ engine: "ceph", endpoint: "http://127.0.0.1:1", port: 1, pid: 999_999_999, home }));
    writeFileSync(path.join(home, "server.lock"), "999999999\n");
    const run = script(home, connectAndList);
    try {
      assert.equal(run.status, 0, run.stderr);
      const lines = run.stdout.trim().split("\n");
      assert.deepEqual(lines.slice(0, 2), [
        `s3kit: removed ${path.join(home, "server.json")}: the server it named (pid 999999999) is not running any more`,
        `s3kit: removed a stale lock file left by process 999999999 (${path.join(home, "server.lock")})`,
      ]);
      assert.equal(lines[3], "buckets: s3kit-data");
    } finally {
      spawnSync(process.execPath, [path.join(root, "scripts", "stop.mjs")], { cwd: root, env: { ...process.env, S3KIT_HOME: home } });
    }
  });
});
