/**
 * The embedded S3 server's own process: s3rver on 127.0.0.1. Run by `startLocalServer` with
 * `--openssl-legacy-provider`, because s3rver encrypts ListObjectsV2 continuation tokens with DES,
 * which Node's OpenSSL 3 refuses otherwise (every second page of a listing would answer 500).
 *
 * It reports on stdout with one JSON line (`{"port":4568,"discardedUploads":[]}` or
 * `{"error":"EADDRINUSE",...}`), and
 * exits when its stdin closes, so it never outlives the process that started it, unless started
 * `detached` (the kit's shared server, stopped by `npm run stop`).
 */
import http from "node:http";
import S3rver from "s3rver";
import { discardInterruptedUploads, withMultipartExtras } from "./multipart-extras";

interface ChildOptions {
  port: number;
  directory: string;
  detached?: boolean;
}

async function main(): Promise<void> {
  const { port, directory, detached } = JSON.parse(process.argv[2] ?? "{}") as ChildOptions;
  const discardedUploads = discardInterruptedUploads(directory);
  // s3rver's own run() lets a listen error escape as an uncaught exception, so the kit listens itself.
  const server = http.createServer(withMultipartExtras(directory, new S3rver({ directory, silent: true }).callback()));
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
