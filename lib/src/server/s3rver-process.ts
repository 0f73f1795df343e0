/**
 * The embedded S3 server's own process: s3rver on 127.0.0.1. Run by `startLocalServer` with
 * `--openssl-legacy-provider`, because s3rver encrypts ListObjectsV2 continuation tokens with DES,
 * which Node's OpenSSL 3 refuses otherwise (every second page of a listing would answer 500).
 *
 * s3rver keeps its objects as plain files; the kit runs it on SafeFilesystemStore (no key outside
 * its bucket, atomic writes) and serves the calls s3rver lacks or gets wrong in front of it.
 *
 * It reports on stdout with one JSON line (`{"port":4568,"discardedUploads":[]}` or
 * `{"error":"EADDRINUSE",...}`), and
 * exits when its stdin closes, so it never outlives the process that started it, unless started
 * `detached` (the kit's shared server, stopped by `npm run stop`).
 */
import http from "node:http";
import S3rver from "s3rver";
import { withDeleteObjects } from "./delete-objects";
import { withKeyGuard } from "./key-guard";
import { withMissingSubresources } from "./missing-subresources";
import { discardInterruptedUploads, withMultipartExtras } from "./multipart-extras";
import { finishStagedWrites, SafeFilesystemStore } from "./safe-store";

interface ChildOptions {
  port: number;
  directory: string;
  detached?: boolean;
}

async function main(): Promise<void> {
  const { port, directory, detached } = JSON.parse(process.argv[2] ?? "{}") as ChildOptions;
  finishStagedWrites(directory);
  const discardedUploads = discardInterruptedUploads(directory);
  const s3rver = new S3rver({ directory, silent: true });
  const store = new SafeFilesystemStore(directory);
  s3rver.store = s3rver.context.store = store;
  // s3rver's own run() lets a listen error escape as an uncaught exception, so the kit listens itself.
  const server = http.createServer(withKeyGuard(withMissingSubresources(withMultipartExtras(directory, withDeleteObjects(store, s3rver.callback())))));
  server.once("error", ({ code, message }: NodeJS.ErrnoException) => {
    process.stdout.write(JSON.stringify({ error: code ?? "Failed", message }) + "\n");
    process.exit(1);
  });
  server.listen(port, "127.0.0.1", () => {
    process.stdout.write(JSON.stringify({ port: (server.address() as { port: number }).port, discardedUploads }) + "\n");
  });
  const stop = () => server.close(() => process.exit(0));
  if (!detached) process.stdin.on("end", stop).on("close", stop).resume();
  process.on("SIGTERM", stop).on("SIGINT", stop);
}

void main();
