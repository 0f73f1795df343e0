// `npm start`: the kit. Local S3 (seeded) + Jupyter Notebook on notebooks/ with the TypeScript
// kernel, all bound to 127.0.0.1. Ctrl-C or SIGTERM stops everything it started.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { kitHome, localTargetEnv, python, root, setup, SetupError } from "./setup.mjs";

const JUPYTER_DEFAULT_PORT = 8888;

/** How to stop what has been started so far, last started first. */
const stops = [];
let stopping = false;
/** The server start under way, if any: Ctrl-C during a (slow, first) Ceph start still stops its daemons. */
let serverStarting;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  const server = await serverStarting?.catch(() => undefined);
  if (server && !server.reused && !stops.length) stops.push(() => server.stop());
  if (stops.length) console.log("s3kit: stopping ...");
  for (const stop of stops) await stop().catch(() => {});
  process.exit(code);
}

async function main() {
  process.on("SIGINT", () => stopAll(0)).on("SIGTERM", () => stopAll(0));
  const jupyterEnv = setup();
  const s3kit = createRequire(import.meta.url)(path.join(root, "lib"));

  let server;
  if (process.env.S3KIT_TARGET === "aws" || process.env.AWS_ENDPOINT_URL_S3) {
    console.log(s3kit.describeTarget(s3kit.resolveTarget()));
  } else {
    serverStarting = startServer(s3kit);
    server = await serverStarting;
    if (stopping) return;
  }
  const port = await jupyterPort();
  const token = randomBytes(24).toString("hex");
  // Not on Jupyter's command line, which any local user can read with `ps`: in a file only this
  // user can read (JUPYTER_TOKEN_FILE; an environment variable would reach every kernel).
  const runtimeDir = path.join(kitHome, "jupyter-runtime");
  const tokenFile = path.join(runtimeDir, "token");
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  rmSync(tokenFile, { force: true });
  writeFileSync(tokenFile, token, { mode: 0o600 });
  stops.push(async () => rmSync(tokenFile, { force: true }));
  const { JUPYTER_TOKEN: _unused, ...inherited } = process.env;
  const jupyter = spawn(
    python,
    ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0",
      `--notebook-dir=${path.join(root, "notebooks")}`,
      "--log-level=WARN", ...(process.getuid?.() === 0 ? ["--allow-root"] : [])],
    {
      cwd: root,
      env: { ...inherited, ...jupyterEnv, ...(server ? localTargetEnv(server) : {}), JUPYTER_RUNTIME_DIR: runtimeDir, JUPYTER_TOKEN_FILE: tokenFile },
      stdio: ["ignore", "inherit", "inherit"],
      detached: true, // its own process group: we stop it (and it stops its kernels) in order
    },
  );
  const jupyterExited = new Promise((resolve) => jupyter.once("exit", resolve));
  stops.unshift(async () => {
    if (jupyter.exitCode !== null) return;
    jupyter.kill("SIGTERM");
    const timer = setTimeout(() => process.kill(-jupyter.pid, "SIGKILL"), 8_000);
    await jupyterExited;
    clearTimeout(timer);
  });
  jupyter.once("exit", (code) => {
    if (!stopping) {
      console.error(`s3kit: Jupyter exited unexpectedly (exit code ${code}); see its messages above.`);
      stopAll(1);
    }
  });

  const url = `http://127.0.0.1:${port}/tree?token=${token}`;
  await waitForHttp(`http://127.0.0.1:${port}/api/status?token=${token}`, 60_000);
  console.log(`\ns3kit is ready. Open this URL in your browser:\n\n    ${url}\n\nPress Ctrl-C to stop ${server?.reused ? "Jupyter (the S3 server keeps running: npm run stop stops it)" : "S3 and Jupyter"}.`);
}

/**
 * This kit home's local S3 server: started here (then supervised, and stopped by Ctrl-C), or the
 * one already running for this home (then Ctrl-C leaves it running; `npm run stop` stops it).
 */
async function startServer(s3kit) {
  const note = (line) => console.log(`s3kit: ${line}`);
  const { fallback } = s3kit.chooseEngine();
  if (fallback) note(fallback);
  const explicitPort = process.env.S3KIT_PORT ? Number(process.env.S3KIT_PORT) : undefined;
  const server = await s3kit.startKitServer({ port: explicitPort, strictPort: explicitPort !== undefined, note });
  const engine = s3kit.ENGINE_LABELS[server.engine];
  if (server.reused) {
    note(`using the local S3 server (${engine}) already running for this kit home at ${server.endpoint}; Ctrl-C here leaves it running, \`npm run stop\` stops it`);
    return server;
  }
  if (stopping) return server;
  const unwatch = s3kit.superviseServer(server, note);
  stops.push(async () => {
    unwatch();
    await server.stop();
  });
  const client = s3kit.createClient({ kind: "local", endpoint: server.endpoint, region: "us-east-1" }, server.credentials);
  if (stopping) return server;
  const written = await s3kit.seedKitData(client);
  client.destroy();
  if (server.discardedUploads.length) {
    note(`removed ${server.discardedUploads.length} multipart upload(s) left unfinished when the server last stopped: ${server.discardedUploads.join(", ")}`);
  }
  note(`local S3 server at ${server.endpoint} (${engine}; data in ${path.relative(root, server.dataDir)}; ${written.length ? `seeded ${written.length} objects` : "seed data already there"})`);
  return server;
}

async function jupyterPort() {
  if (process.env.S3KIT_JUPYTER_PORT) {
    const port = Number(process.env.S3KIT_JUPYTER_PORT);
    if (!(await isFree(port))) {
      throw new SetupError(`Port ${port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_JUPYTER_PORT.`);
    }
    return port;
  }
  return (await isFree(JUPYTER_DEFAULT_PORT)) ? JUPYTER_DEFAULT_PORT : freePort();
}

function isFree(port) {
  return new Promise((resolve) => {
    const probe = net.createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new SetupError(`Jupyter did not answer at ${url.replace(/token=\w+/, "token=…")} within ${timeoutMs / 1000} s.`);
}

main().catch((error) => {
  const known = error instanceof SetupError || error?.name === "S3KitError";
  console.error(`s3kit: ${known ? error.message : error?.stack ?? error}`);
  stopAll(1);
});
