import assert from "node:assert/strict";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { CEPH_ONLY, chooseEngine, createClient, startLocalServer, superviseServer } from "s3kit";
import { tempDir } from "./helpers/server";

describe("choosing the engine", () => {
  const withoutCeph = { PATH: tempDir("s3kit-empty-path-") };

  test("S3KIT_SERVER decides; without it, Ceph where its programs are installed", () => {
    assert.deepEqual(chooseEngine({ S3KIT_SERVER: "s3rver" }), { engine: "s3rver" });
    const withCeph = tempDir("s3kit-fake-ceph-");
    for (const program of ["ceph-mon", "ceph-osd", "radosgw", "ceph", "ceph-authtool", "monmaptool", "radosgw-admin"]) {
      writeFileSync(path.join(withCeph, program), "#!/bin/sh\n", { mode: 0o755 });
    }
    assert.deepEqual(chooseEngine({ PATH: withCeph }), { engine: "ceph" });
    assert.throws(() => chooseEngine({ S3KIT_SERVER: "minio" }), { message: 'S3KIT_SERVER is "minio": set it to "ceph" or "s3rver" (or leave it unset).' });
  });

  test("without Ceph: s3rver, with one line saying why and which lessons do not run", () => {
    const choice = chooseEngine(withoutCeph);
    assert.equal(choice.engine, "s3rver");
    assert.equal(
      choice.fallback,
      `Ceph is not installed (as root the kit installs it; or \`sudo apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common\`): using s3rver, where the lessons on ${CEPH_ONLY} do not run.`,
    );
  });

  test("S3KIT_SERVER=ceph where Ceph is missing is one sentence saying how to install it", () => {
    assert.throws(() => chooseEngine({ ...withoutCeph, S3KIT_SERVER: "ceph" }), {
      message: /^S3KIT_SERVER is "ceph" but Ceph is not installed \(ceph-mon, .* missing\): install it with `sudo apt-get install .*`, or set S3KIT_SERVER=s3rver\.$/,
    });
  });
});

describe("supervision of s3rver", () => {
  test("s3rver killed: one line, restarted on the same port, data kept", { timeout: 60_000 }, async () => {
    const dataDir = tempDir("s3kit-supervised-");
    const server = await startLocalServer({ engine: "s3rver", dataDir, port: 0 });
    const lines: string[] = [];
    const unwatch = superviseServer(server, (line) => lines.push(line), 100);
    const client = createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials);
    try {
      const killed = server.pid;
      process.kill(killed, "SIGKILL");
      const deadline = Date.now() + 30_000;
      while (lines.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(lines[0], "s3rver stopped unexpectedly: restarting it ...");
      assert.match(lines[1] ?? "", new RegExp(`^the local S3 server answers again at ${server.endpoint} \\(restarted in \\d+\\.\\d s\\)$`));
      assert.notEqual(server.pid, killed);
      assert.ok(Array.isArray((await client.send(new ListBucketsCommand({}))).Buckets));
    } finally {
      unwatch();
      client.destroy();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
