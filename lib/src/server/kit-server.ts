import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { cephLayout, DAEMONS, stopCeph, type ClusterCredentials, type S3Credentials } from "./ceph";
import { writeJson } from "./files";
import { S3KitError } from "../errors";
import { chooseEngine, type EngineName } from "./engine";
import { DEFAULT_PORT, S3RVER_CREDENTIALS, startLocalServer, type LocalServer } from "./local-server";
import { withLock } from "./lock";
import { kitPaths } from "./paths";
import { isRunning, terminate } from "./processes";

/**
 * The kit's own local server, one per kit home (S3KIT_HOME, default `.s3kit`), shared by
 * `npm start`, notebooks, scripts and the REPL: whoever needs it first starts it and records it in
 * `<home>/server.json`; the others find it there. It keeps running when the process that started
 * it exits (a script calling connect() ends when its work does); the `npm start` that started it
 * stops it on Ctrl-C, and `npm run stop` stops it whoever started it.
 */
export interface KitServerInfo {
  engine: EngineName;
  endpoint: string;
  port: number;
  /** s3rver's pid, or Ceph's gateway's; Ceph's other daemons have pid files in its folder. */
  pid: number;
  /** The kit home it serves: a server is never used for another home's data. */
  home: string;
}

export interface FoundKitServer extends KitServerInfo {
  credentials: S3Credentials;
  otherCredentials?: S3Credentials;
}

/** Is something answering like an S3 server at this endpoint? (Any S3 XML answer counts.) */
export async function answersLikeS3(endpoint: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(endpoint, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return (response.headers.get("content-type") ?? "").includes("xml");
  } catch {
    return false;
  }
}

/**
 * This kit home's server, if it is running (and on S3KIT_PORT, when that is set). A server.json
 * whose server is gone is removed, with one note.
 */
export async function findKitServer(
  env: NodeJS.ProcessEnv = process.env,
  note: (line: string) => void = () => {},
): Promise<FoundKitServer | undefined> {
  const paths = kitPaths();
  const info = readServerState();
  if (!info) return undefined;
  const alive = isRunning(info.pid) && (await answersLikeS3(info.endpoint)) && engineRunning(info);
  if (!alive) {
    rmSync(paths.serverStateFile, { force: true });
    note(`removed ${paths.serverStateFile}: the server it named (pid ${info.pid}) is not running any more`);
    return undefined;
  }
  if (env.S3KIT_PORT && Number(env.S3KIT_PORT) !== info.port) return undefined;
  return { ...info, ...credentialsOf(info.engine) };
}

export interface KitServer extends LocalServer {
  /** True when another process had started it and this one only found it. */
  readonly reused: boolean;
}

/**
 * This home's server: the running one, or one started now on the kit's engine (under a lock, so
 * two processes never start two servers on the same data). `port` is S3KIT_PORT's.
 */
export async function startKitServer(
  options: { port?: number; strictPort?: boolean; note?: (line: string) => void } = {},
): Promise<KitServer> {
  const paths = kitPaths();
  const note = options.note ?? (() => {});
  mkdirSync(paths.home, { recursive: true });
  return withLock(path.join(paths.home, "server.lock"), async () => {
    const env = options.port ? { ...process.env, S3KIT_PORT: String(options.port) } : process.env;
    const running = await findKitServer(env, note);
    if (running) return reusedServer(running);
    const other = await findKitServer({}, note);
    if (other) {
      throw new S3KitError(
        `This kit home's local server already runs at ${other.endpoint}, not on port ${options.port}: unset S3KIT_PORT (or set it to ${other.port}), or stop the server with \`npm run stop\` first.`,
        "PortInUse",
      );
    }
    const engine = chooseEngine().engine;
    const server = await startLocalServer({
      engine,
      dataDir: engine === "ceph" ? paths.cephDir : paths.dataDir,
      port: options.port ?? (engine === "s3rver" ? DEFAULT_PORT : undefined),
      strictPort: options.strictPort,
      detached: true,
      note,
    });
    const info: KitServerInfo = { engine, endpoint: server.endpoint, port: server.port, pid: server.pid, home: paths.home };
    writeJson(paths.serverStateFile, info);
    return {
      engine: server.engine,
      endpoint: server.endpoint,
      port: server.port,
      dataDir: server.dataDir,
      get pid() {
        return server.pid;
      },
      credentials: server.credentials,
      otherCredentials: server.otherCredentials,
      discardedUploads: server.discardedUploads,
      stopped: () => server.stopped(),
      reused: false,
      restart: async () => {
        await server.restart();
        writeJson(paths.serverStateFile, { ...info, pid: server.pid });
      },
      stop: async () => {
        await server.stop();
        rmSync(paths.serverStateFile, { force: true });
      },
    };
  }, note);
}

/**
 * Stops this home's server, whoever started it (`npm run stop`). Ceph's daemons are found by their
 * pid files even when server.json is missing. Resolves to what was stopped, or undefined.
 */
export async function stopKitServer(): Promise<{ engine: EngineName; endpoint?: string } | undefined> {
  const paths = kitPaths();
  const info = readServerState();
  let stopped: { engine: EngineName; endpoint?: string } | undefined;
  if (info?.engine === "s3rver" && isRunning(info.pid, "s3rver-process")) {
    await terminate(info.pid, "s3rver-process", 3_000);
    stopped = { engine: "s3rver", endpoint: info.endpoint };
  }
  const ceph = cephLayout(paths.cephDir);
  if (DAEMONS.some((daemon) => existsSync(path.join(ceph.run, `${daemon.name}.pid`)))) {
    await stopCeph(paths.cephDir);
    stopped = { engine: "ceph", endpoint: info?.engine === "ceph" ? info.endpoint : undefined };
  }
  rmSync(paths.serverStateFile, { force: true });
  return stopped;
}

function reusedServer(found: FoundKitServer): KitServer {
  const paths = kitPaths();
  return {
    engine: found.engine,
    endpoint: found.endpoint,
    port: found.port,
    pid: found.pid,
    dataDir: found.engine === "ceph" ? paths.cephDir : paths.dataDir,
    credentials: found.credentials,
    otherCredentials: found.otherCredentials,
    discardedUploads: [],
    reused: true,
    stopped: () => (isRunning(found.pid) ? [] : [found.engine]),
    restart: async () => {},
    stop: async () => {
      await stopKitServer();
    },
  };
}

function engineRunning(info: KitServerInfo): boolean {
  if (info.engine === "s3rver") return isRunning(info.pid, "s3rver-process");
  return isRunning(info.pid, cephLayout(kitPaths().cephDir).conf);
}

function credentialsOf(engine: EngineName): Pick<FoundKitServer, "credentials" | "otherCredentials"> {
  if (engine === "s3rver") return { credentials: S3RVER_CREDENTIALS };
  const { kit, other } = JSON.parse(readFileSync(cephLayout(kitPaths().cephDir).credentials, "utf8")) as ClusterCredentials;
  return { credentials: kit, otherCredentials: other };
}

function readServerState(): KitServerInfo | undefined {
  try {
    const info = JSON.parse(readFileSync(kitPaths().serverStateFile, "utf8")) as KitServerInfo;
    return info.home === kitPaths().home ? info : undefined;
  } catch {
    return undefined;
  }
}
