import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { kitPaths } from "./paths";
import { DEFAULT_PORT, startLocalServer, type LocalServer } from "./local-server";

/**
 * The kit's own local server, shared by `npm start`, notebooks and the REPL: whoever needs it first
 * starts it (on port 4568, or a free port when that one is taken) and records its endpoint in
 * `.s3kit/server.json`, so that a notebook opened outside `npm start` (VS Code, say) finds it.
 */
export interface KitServerInfo {
  endpoint: string;
  pid: number;
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

/** The endpoint of a kit server that is already running, if any. */
export async function findKitServer(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const candidates = [env.S3KIT_ENDPOINT, readServerState()?.endpoint, `http://127.0.0.1:${DEFAULT_PORT}`];
  for (const endpoint of candidates) {
    if (endpoint && (await answersLikeS3(endpoint))) return endpoint;
  }
  return undefined;
}

/** Starts the kit server on its persistent data folder and records it for others to find. */
export async function startKitServer(options: { port?: number; strictPort?: boolean } = {}): Promise<LocalServer> {
  const paths = kitPaths();
  const server = await startLocalServer({ dataDir: paths.dataDir, ...options });
  mkdirSync(path.dirname(paths.serverStateFile), { recursive: true });
  const info: KitServerInfo = { endpoint: server.endpoint, pid: server.pid };
  writeFileSync(paths.serverStateFile, JSON.stringify(info) + "\n");
  return {
    ...server,
    async stop() {
      await server.stop();
      if (readServerState()?.pid === server.pid) rmSync(paths.serverStateFile, { force: true });
    },
  };
}

function readServerState(): KitServerInfo | undefined {
  try {
    return JSON.parse(readFileSync(kitPaths().serverStateFile, "utf8")) as KitServerInfo;
  } catch {
    return undefined;
  }
}
