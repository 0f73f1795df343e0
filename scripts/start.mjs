// `npm start`: the kit. Local S3 (seeded) + Jupyter Notebook on notebooks/ with the TypeScript
// kernel, all bound to 127.0.0.1. Ctrl-C or SIGTERM stops everything it started.
import { createRequire } from "node:module";
import path from "node:path";
import { startJupyter } from "./jupyter-server.mjs";
import { kitHome, localTargetEnv, python, root, setup, SetupError } from "./setup.mjs";

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
  const jupyter = startJupyter({
    python,
    cwd: root,
    notebookDir: path.join(root, "notebooks"),
    runtimeDir: path.join(kitHome, "jupyter-runtime"),
    env: { ...process.env, ...jupyterEnv, ...(server ? localTargetEnv(server) : {}) },
    port: process.env.S3KIT_JUPYTER_PORT ? Number(process.env.S3KIT_JUPYTER_PORT) : undefined,
    onExit: (code) => {
      if (stopping) return;
      console.error(`s3kit: Jupyter exited unexpectedly (exit code ${code}); see its messages above.`);
      stopAll(1);
    },
  });
  stops.unshift(jupyter.stop);
  const { url } = await jupyter.ready;
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

main().catch((error) => {
  const known = error instanceof SetupError || error?.name === "S3KitError";
  console.error(`s3kit: ${known ? error.message : error?.stack ?? error}`);
  stopAll(1);
});
