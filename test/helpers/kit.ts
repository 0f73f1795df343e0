import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { freePortRange, isPortFree } from "../../lib/src/server/ports";

export const root = path.resolve(__dirname, "..", "..");

const handedOut: number[] = [];

/**
 * A port for a server this test starts in another process. Not the kernel's choice (listen(0)
 * gives a port of the ephemeral range, which any outgoing connection may take before the server
 * binds it) but a free one below that range, and never the same one twice in a test file.
 */
export async function freePort(): Promise<number> {
  const port = await freePortRange(1, handedOut);
  handedOut.push(port);
  return port;
}

export const isFree = isPortFree;

/** Every process whose environment carries this S3KIT_HOME: npm start's children inherit it. */
export function processesOf(home: string): number[] {
  const found: number[] = [];
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      if (readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`S3KIT_HOME=${home}`)) found.push(Number(pid));
    } catch {
      // gone already, or not ours to read
    }
  }
  return found;
}

export interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/**
 * Runs scripts/start.mjs (what `npm start` runs) with extra environment, collecting its output;
 * `viaNpm` runs `npm start` itself, so that `child` is npm.
 */
export function startKit(env: Record<string, string>, { viaNpm = false } = {}): Started {
  const [command, args] = viaNpm ? ["npm", ["start", "--silent"]] : [process.execPath, [path.join(root, "scripts", "start.mjs")]];
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls `what` until it returns a value; fails with `describeState()` on timeout or if `kit` exits. */
export async function waitFor<T>(what: () => T | null | undefined, timeoutMs: number, describeState: () => string, kit?: Started): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (kit && kit.child.exitCode !== null) assert.fail(`npm start exited (${kit.child.exitCode}):\n${describeState()}`);
    const value = what();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  assert.fail(`timed out; output so far:\n${describeState()}`);
}

/** The Jupyter URL npm start prints once S3 and Jupyter are up. */
export async function waitForJupyterUrl(kit: Started): Promise<string> {
  const [, url] = await waitFor(() => kit.output().match(/^\s+(http:\/\/127\.0\.0\.1:\d+\/tree\?token=\w+)$/m), 120_000, kit.output, kit);
  return url;
}

/** Waits until nothing started with this S3KIT_HOME is left running. */
export async function waitForNoProcessesOf(home: string): Promise<void> {
  await waitFor(() => processesOf(home).length === 0, 10_000, () => `left running: ${processesOf(home)}`);
}
