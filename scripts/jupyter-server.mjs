// Jupyter Notebook for `npm start`: bound to 127.0.0.1, its token in a file only this user can read,
// its port chosen by Jupyter itself. Probing a port and handing it over races with every other
// program (the port can be taken between the probe and Jupyter's bind); Jupyter binds first and
// then writes the port it got to its runtime file (notebook 6: nbserver-<pid>.json), read here.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { SetupError } from "./setup.mjs";

export const JUPYTER_DEFAULT_PORT = 8888;
/** How many further ports Jupyter tries when the default one is taken (its own default too). */
const PORT_RETRIES = 50;
const READY_TIMEOUT_MS = 60_000;

/**
 * Starts Jupyter Notebook on `notebookDir`. With `port` (the learner's S3KIT_JUPYTER_PORT) that
 * port or a clear error; without, 8888 or a port near it. `stop` is there at once (Ctrl-C during
 * the start stops it too); `ready` resolves once Jupyter answers.
 * @param {{ python: string, cwd: string, notebookDir: string, runtimeDir: string, env: NodeJS.ProcessEnv, port?: number, onExit?: (code: number | null) => void }} options
 * @returns {{ stop: () => Promise<void>, ready: Promise<{ port: number, url: string }> }}
 */
export function startJupyter({ python, cwd, notebookDir, runtimeDir, env, port, onExit }) {
  const strict = port !== undefined;
  const token = randomBytes(24).toString("hex");
  // Not on Jupyter's command line, which any local user can read with `ps`: in a file only this
  // user can read (JUPYTER_TOKEN_FILE; an environment variable would reach every kernel).
  const tokenFile = path.join(runtimeDir, "token");
  mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
  rmSync(tokenFile, { force: true });
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const { JUPYTER_TOKEN: _unused, ...inherited } = env;
  const jupyter = spawn(
    python,
    ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port ?? JUPYTER_DEFAULT_PORT}`,
      `--port-retries=${strict ? 0 : PORT_RETRIES}`, `--notebook-dir=${notebookDir}`,
      "--log-level=WARN", ...(process.getuid?.() === 0 ? ["--allow-root"] : [])],
    {
      cwd,
      env: { ...inherited, JUPYTER_RUNTIME_DIR: runtimeDir, JUPYTER_TOKEN_FILE: tokenFile },
      stdio: ["ignore", "inherit", "pipe"],
      detached: true, // its own process group: we stop it (and it stops its kernels) in order
    },
  );
  // Until Jupyter is up its messages are held back: a taken port then reads as one sentence.
  let held = "";
  let ready = false;
  jupyter.stderr.on("data", (chunk) => (ready ? process.stderr.write(chunk) : (held += chunk)));
  const exited = new Promise((resolve) => jupyter.once("exit", (code) => resolve(code)));
  jupyter.once("exit", (code) => ready && onExit?.(code));

  const stop = async () => {
    if (jupyter.exitCode === null && jupyter.signalCode === null) {
      jupyter.kill("SIGTERM");
      const timer = setTimeout(() => process.kill(-jupyter.pid, "SIGKILL"), 8_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(tokenFile, { force: true });
  };

  return { stop, ready: whenReady() };

  async function whenReady() {
    const boundPort = await boundPortOf(jupyter, runtimeDir, exited);
    if (boundPort === undefined) {
      if (strict && (await isTaken(port))) {
        throw new SetupError(`Port ${port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_JUPYTER_PORT.`);
      }
      process.stderr.write(held);
      throw new SetupError(`Jupyter exited before it was ready (exit code ${jupyter.exitCode}); see its messages above.`);
    }
    await waitForHttp(`http://127.0.0.1:${boundPort}/api/status?token=${token}`, jupyter);
    ready = true;
    process.stderr.write(held);
    return { port: boundPort, url: `http://127.0.0.1:${boundPort}/tree?token=${token}` };
  }
}

/** The port Jupyter bound, from the runtime file it writes once bound; undefined if it exited first. */
async function boundPortOf(jupyter, runtimeDir, exited) {
  const infoFile = path.join(runtimeDir, `nbserver-${jupyter.pid}.json`);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone = false;
  exited.then(() => (gone = true));
  while (Date.now() < deadline) {
    if (existsSync(infoFile)) {
      try {
        return JSON.parse(readFileSync(infoFile, "utf8")).port;
      } catch {
        // being written
      }
    }
    if (gone) return undefined;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new SetupError(`Jupyter did not start within ${READY_TIMEOUT_MS / 1000} s.`);
}

async function waitForHttp(url, jupyter) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline && jupyter.exitCode === null) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not answering yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new SetupError(`Jupyter did not answer at ${url.replace(/token=\w+/, "token=…")} within ${READY_TIMEOUT_MS / 1000} s.`);
}

/** Only to explain a failed start: does something listen on this port of 127.0.0.1? */
function isTaken(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true))).once("error", () => resolve(false));
  });
}
