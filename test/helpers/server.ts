import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, type TestContext } from "node:test";
import { chooseEngine, createClient, startLocalServer, type EngineName, type LocalServer, type S3Credentials } from "s3kit";
import type { S3Client } from "@aws-sdk/client-s3";

export interface TestServer {
  endpoint: string;
  client: S3Client;
  server: LocalServer;
}

/**
 * The engine the tests run on: the one `npm test` started for the whole run (S3KIT_TEST_ENGINE),
 * else the kit's choice.
 */
export const testEngine = (): EngineName => (process.env.S3KIT_TEST_ENGINE as EngineName | undefined) ?? chooseEngine().engine;

/** Skips a test that needs what only Ceph has; true when skipped (`if (needsCeph(t)) return;`). */
export function needsCeph(t: TestContext): boolean {
  if (testEngine() === "ceph") return false;
  t.skip("needs the ceph engine");
  return true;
}

/**
 * Skips a test about what s3rver lacks or only imitates (it checks the exact command sent, or the
 * imitation's own behaviour); on Ceph the real operation is tested instead (ceph-features.test.ts).
 */
export function onlyOnS3rver(t: TestContext): boolean {
  if (testEngine() === "s3rver") return false;
  t.skip("s3rver only: Ceph runs the real operation (test/ceph-features.test.ts)");
  return true;
}

/** The second S3 user Ceph's init creates (for permissions), as `npm test` hands it over. */
export function otherUser(): S3Credentials {
  const { S3KIT_TEST_OTHER_ACCESS_KEY_ID: accessKeyId, S3KIT_TEST_OTHER_SECRET_ACCESS_KEY: secretAccessKey } = process.env;
  if (!accessKeyId || !secretAccessKey) throw new Error("no second S3 user: run the tests with `npm test` (or scripts/test.mjs)");
  return { accessKeyId, secretAccessKey };
}

/**
 * A real local S3 server for one test file. Under `npm test` it is the run's shared server (one per
 * run: a Ceph cluster takes seconds to start), so every test uses buckets of its own; run alone,
 * a file starts its own server in a temporary folder on a free port, stopped and removed after it.
 * Fields are filled in by the time the tests run.
 */
export function useLocalServer(): TestServer {
  const context = {} as TestServer;
  let dataDir = "";
  before(async () => {
    const shared = process.env.S3KIT_TEST_ENDPOINT;
    if (shared) {
      context.server = sharedServer(shared);
    } else {
      dataDir = mkdtempSync(path.join(os.tmpdir(), "s3kit-test-"));
      context.server = await startLocalServer({ dataDir, port: 0, engine: testEngine() });
    }
    context.endpoint = context.server.endpoint;
    // Where LOCAL_CREDENTIALS and createClient's local default find the keys, as in a kernel.
    process.env.S3KIT_ACCESS_KEY_ID ??= context.server.credentials.accessKeyId;
    process.env.S3KIT_SECRET_ACCESS_KEY ??= context.server.credentials.secretAccessKey;
    context.client = createClient({ kind: "local", endpoint: context.endpoint, region: "us-east-1" }, context.server.credentials);
  });
  after(async () => {
    context.client?.destroy();
    if (dataDir) {
      await context.server?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
  return context;
}

/** The run's server as `npm test` describes it in the environment; stopping it is the run's business. */
function sharedServer(endpoint: string): LocalServer {
  const env = process.env;
  return {
    engine: testEngine(),
    endpoint,
    port: Number(new URL(endpoint).port),
    dataDir: env.S3KIT_TEST_DATA_DIR ?? "",
    pid: Number(env.S3KIT_TEST_PID),
    credentials: { accessKeyId: env.S3KIT_ACCESS_KEY_ID ?? "S3RVER", secretAccessKey: env.S3KIT_SECRET_ACCESS_KEY ?? "S3RVER" },
    discardedUploads: [],
    stopped: () => [],
    restart: async () => {},
    stop: async () => {},
  };
}

let counter = 0;
/** A bucket name no other test uses. */
export function uniqueBucket(prefix = "test"): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

/** Every folder tempDir() made in this test file's process, removed when the process exits. */
const temporaryFolders: string[] = [];
process.once("exit", () => {
  for (const dir of temporaryFolders) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when this test file's process exits (node:test runs each file in its own). */
export function tempDir(prefix = "s3kit-test-"): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryFolders.push(dir);
  return dir;
}
