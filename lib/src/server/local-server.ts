import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { S3KitError } from "../errors";

/** A running embedded S3 server (s3rver in a child process, bound to 127.0.0.1). */
export interface LocalServer {
  readonly endpoint: string;
  readonly port: number;
  readonly dataDir: string;
  readonly pid: number;
  /** Multipart uploads (`bucket/key`) a previous run left unfinished, which this start removed. */
  readonly discardedUploads: string[];
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** Folder where objects are kept; created if missing. */
  dataDir: string;
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /** When the port is taken: fail (true) or fall back to a free port (false, the default). */
  strictPort?: boolean;
}

export const DEFAULT_PORT = 4568;
const START_TIMEOUT_MS = 15_000;

/** Starts s3rver as a child process and resolves once it listens. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  checkDataDir(options.dataDir);
  const port = options.port ?? DEFAULT_PORT;
  const outcome = await spawnServer(options.dataDir, port);
  if ("server" in outcome) return outcome.server;
  if (outcome.error === "EADDRINUSE" && !options.strictPort && port !== 0) {
    return startLocalServer({ ...options, port: 0 });
  }
  if (outcome.error === "EADDRINUSE") {
    throw new S3KitError(
      `Port ${port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_PORT.`,
      "PortInUse",
    );
  }
  throw new S3KitError(`The local S3 server did not start: ${outcome.message}.`, "Failed");
}

type SpawnOutcome = { server: LocalServer } | { error: string; message: string };

function spawnServer(dataDir: string, port: number): Promise<SpawnOutcome> {
  const script = path.join(__dirname, "s3rver-process.js");
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", script, JSON.stringify({ port, directory: dataDir })],
    { stdio: ["pipe", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } },
  );
  let stderr = "";
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve({ error: "Timeout", message: `no answer within ${START_TIMEOUT_MS / 1000} s` });
    }, START_TIMEOUT_MS);
    const firstLine = readline.createInterface({ input: child.stdout! });
    firstLine.once("line", (line) => {
      clearTimeout(timer);
      firstLine.close();
      const report = JSON.parse(line) as { port?: number; discardedUploads?: string[]; error?: string; message?: string };
      if (report.port === undefined) {
        resolve({ error: report.error ?? "Failed", message: report.message ?? stderr.trim() });
      } else {
        resolve({ server: handle(child, report.port, dataDir, report.discardedUploads ?? []) });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ error: "Exited", message: stderr.trim().split("\n").pop() || `exit code ${code}` });
    });
  });
}

function handle(child: ChildProcess, port: number, dataDir: string, discardedUploads: string[]): LocalServer {
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    pid: child.pid!,
    discardedUploads,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const killer = setTimeout(() => child.kill("SIGKILL"), 3_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/**
 * s3rver keeps each bucket as a folder and each object's metadata as JSON beside it; it fails
 * later, on a random request, when those are damaged. Checking them up front turns that into one
 * clear message at start-up.
 */
function checkDataDir(dataDir: string): void {
  const damaged = (what: string) =>
    new S3KitError(
      `The local S3 data folder ${dataDir} is damaged (${what}): move it aside or delete it to start with fresh data.`,
      "DamagedData",
    );
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (error) {
    throw damaged((error as NodeJS.ErrnoException).code === "EEXIST" ? "it is a file, not a folder" : String(error));
  }
  for (const entry of readdirSync(dataDir, { withFileTypes: true, recursive: true })) {
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    if (full === path.join(dataDir, entry.name) && !entry.isDirectory()) {
      throw damaged(`${entry.name} should be a bucket folder`);
    }
    if (entry.name.endsWith("._S3rver_metadata.json") && statSync(full).isFile()) {
      try {
        JSON.parse(readFileSync(full, "utf8"));
      } catch {
        throw damaged(`${path.relative(dataDir, full)} is not valid JSON`);
      }
    }
  }
}
