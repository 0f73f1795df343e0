import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { S3KitError } from "../errors";
import { deadDaemons, gatewayPid, restartDaemons, startCeph, stopCeph, type S3Credentials } from "./ceph";
import { chooseEngine, type EngineName } from "./engine";
import { isRunning, terminate } from "./processes";

/** A running local S3 server (Ceph's daemons or s3rver, bound to 127.0.0.1). */
export interface LocalServer {
  readonly engine: EngineName;
  readonly endpoint: string;
  readonly port: number;
  /** Where its state lives: s3rver's data folder, or the Ceph cluster's folder. */
  readonly dataDir: string;
  /** The process answering S3 (s3rver's, or Ceph's gateway). */
  readonly pid: number;
  /** The S3 user's keys (generated per install on Ceph; s3rver's fixed pair). */
  readonly credentials: S3Credentials;
  /** Ceph's second S3 user's keys, for lessons on permissions (s3rver has one user only). */
  readonly otherCredentials?: S3Credentials;
  /** Multipart uploads (`bucket/key`) a previous run left unfinished, which this start removed. */
  readonly discardedUploads: string[];
  /** The parts of the server that are not running any more (empty while all is well). */
  stopped(): string[];
  /** Starts again what `stopped()` names, on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

export interface LocalServerOptions {
  /** Folder where the server keeps its state; created if missing. */
  dataDir: string;
  /** Port to listen on; 0 picks a free one. */
  port?: number;
  /** When the port is taken: fail (true) or fall back to a free port (false, the default). */
  strictPort?: boolean;
  /** Default: the kit's choice (`chooseEngine`: S3KIT_SERVER, else Ceph where installed). */
  engine?: EngineName;
  /**
   * Keep running after the starting process exits (the kit's shared server), instead of stopping
   * with it (a test's). Ceph's daemons always run on their own.
   */
  detached?: boolean;
  /** Receives one-line notes about the start (stale pid files removed, a port moved, ...). */
  note?: (line: string) => void;
}

/** s3rver's only key pair: it checks the access key, never the signature. */
export const S3RVER_CREDENTIALS: S3Credentials = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" };

export const DEFAULT_PORT = 4568;
const START_TIMEOUT_MS = 15_000;

/** Starts the local S3 server of `options.engine` and resolves once it answers. */
export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  return (options.engine ?? chooseEngine().engine) === "ceph" ? startCephServer(options) : startS3rver(options);
}

async function startCephServer(options: LocalServerOptions): Promise<LocalServer> {
  const start = () => startCeph({ stateDir: options.dataDir, port: options.port || undefined, strictPort: options.strictPort, note: options.note });
  const cluster = await start();
  return {
    engine: "ceph",
    endpoint: cluster.endpoint,
    port: cluster.port,
    dataDir: cluster.stateDir,
    get pid() {
      return gatewayPid(options.dataDir) ?? cluster.pids["client.rgw.kit"]!;
    },
    credentials: cluster.credentials.kit,
    otherCredentials: cluster.credentials.other,
    discardedUploads: cluster.discardedUploads,
    stopped: () => deadDaemons(options.dataDir).map((daemon) => `Ceph's ${daemon.name}`),
    restart: () => restartDaemons(options.dataDir),
    stop: () => stopCeph(options.dataDir),
  };
}

/** Starts s3rver as a child process and resolves once it listens. */
async function startS3rver(options: LocalServerOptions): Promise<LocalServer> {
  checkDataDir(options.dataDir);
  const port = options.port ?? DEFAULT_PORT;
  const outcome = await spawnServer(options.dataDir, port, options.detached ?? false);
  if ("server" in outcome) return outcome.server;
  if (outcome.error === "EADDRINUSE" && !options.strictPort && port !== 0) {
    return startS3rver({ ...options, port: 0 });
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

function spawnServer(dataDir: string, port: number, detached: boolean): Promise<SpawnOutcome> {
  const script = path.join(__dirname, "s3rver-process.js");
  // Detached, it writes its errors to a file beside the data folder: nobody may be left to read a pipe.
  const log = detached ? openSync(`${dataDir}.log`, "w") : "pipe";
  const child = spawn(
    process.execPath,
    ["--openssl-legacy-provider", script, JSON.stringify({ port, directory: dataDir, detached })],
    { stdio: [detached ? "ignore" : "pipe", "pipe", log], env: { ...process.env, NODE_OPTIONS: "" }, detached },
  );
  if (typeof log === "number") closeSync(log);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
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
        if (detached) {
          child.stdout!.destroy();
          child.unref();
        }
        resolve({ server: handle(child, report.port, dataDir, report.discardedUploads ?? [], detached) });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ error: "Exited", message: stderr.trim().split("\n").pop() || `exit code ${code}` });
    });
  });
}

function handle(first: ChildProcess, port: number, dataDir: string, discardedUploads: string[], detached: boolean): LocalServer {
  let pid = first.pid!;
  const script = path.join(__dirname, "s3rver-process.js");
  return {
    engine: "s3rver",
    endpoint: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    get pid() {
      return pid;
    },
    credentials: S3RVER_CREDENTIALS,
    discardedUploads,
    stopped: () => (isRunning(pid, script) ? [] : ["s3rver"]),
    async restart() {
      const outcome = await spawnServer(dataDir, port, detached);
      if (!("server" in outcome)) throw new S3KitError(`The local S3 server did not start again: ${outcome.message}.`, "Failed");
      pid = outcome.server.pid;
    },
    stop: () => terminate(pid, script, 3_000),
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
