import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before } from "node:test";
import { createClient, startLocalServer, type LocalServer } from "s3kit";
import type { S3Client } from "@aws-sdk/client-s3";

export interface TestServer {
  endpoint: string;
  client: S3Client;
  server: LocalServer;
}

/**
 * A real embedded S3 server for one test file: fresh temporary data folder, free port, stopped and
 * removed after the file's tests. Fields are filled in by the time the tests run.
 */
export function useLocalServer(): TestServer {
  const context = {} as TestServer;
  let dataDir = "";
  before(async () => {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "s3kit-test-"));
    context.server = await startLocalServer({ dataDir, port: 0 });
    context.endpoint = context.server.endpoint;
    context.client = createClient({ kind: "local", endpoint: context.endpoint, region: "us-east-1" });
  });
  after(async () => {
    context.client?.destroy();
    await context.server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return context;
}

let counter = 0;
/** A bucket name no other test uses. */
export function uniqueBucket(prefix = "test"): string {
  return `${prefix}-${process.pid}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

export function tempDir(prefix = "s3kit-test-"): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}
