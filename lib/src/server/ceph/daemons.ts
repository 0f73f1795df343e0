import { spawn, spawnSync } from "node:child_process";
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { isRunning, terminate } from "../processes";
import type { CephLayout } from "./layout";

/** The three daemons of the one-node cluster, in start order (stop goes the other way). */
export const DAEMONS = [
  { name: "mon.a", program: "ceph-mon", args: ["-i", "a"] },
  { name: "osd.0", program: "ceph-osd", args: ["-i", "0"] },
  { name: "client.rgw.kit", program: "radosgw", args: ["-n", "client.rgw.kit"] },
] as const;
export type Daemon = (typeof DAEMONS)[number];

/** The Ceph programs the engine runs (Debian: ceph-mon, ceph-osd, radosgw, ceph-common). */
export const CEPH_PROGRAMS = ["ceph-mon", "ceph-osd", "radosgw", "ceph", "ceph-authtool", "monmaptool", "radosgw-admin"];

const pidFile = (layout: CephLayout, daemon: Daemon) => path.join(layout.run, `${daemon.name}.pid`);
const outputFile = (layout: CephLayout, daemon: Daemon) => path.join(layout.log, `${daemon.name}.out`);

/** The daemon's pid from its pid file, if the file is there. */
export function daemonPid(layout: CephLayout, daemon: Daemon): number | undefined {
  try {
    return Number(readFileSync(pidFile(layout, daemon), "utf8").trim()) || undefined;
  } catch {
    return undefined;
  }
}

/** Is this home's daemon running? (The config path in its arguments tells it from another home's.) */
export function daemonRunning(layout: CephLayout, daemon: Daemon): boolean {
  return isRunning(daemonPid(layout, daemon), layout.conf);
}

/**
 * Removes the pid file of a daemon that is no longer running (killed, or the machine restarted);
 * returns true when there was one.
 */
export function clearStalePid(layout: CephLayout, daemon: Daemon): boolean {
  if (!existsSync(pidFile(layout, daemon)) || daemonRunning(layout, daemon)) return false;
  rmSync(pidFile(layout, daemon), { force: true });
  return true;
}

/**
 * Starts a daemon in the foreground of its own session (`-f`, detached): it outlives the process
 * that started it, Ctrl-C in the terminal does not reach it, and its pid is ours to record.
 */
export function spawnDaemon(layout: CephLayout, daemon: Daemon): number {
  const out = openSync(outputFile(layout, daemon), "a");
  try {
    const child = spawn(daemon.program, [...daemon.args, "-f", "-c", layout.conf], {
      detached: true,
      stdio: ["ignore", out, out],
      env: { ...process.env, CEPH_CONF: layout.conf },
    });
    child.unref();
    if (!child.pid) throw new Error(`could not run ${daemon.program}`);
    writeFileSync(pidFile(layout, daemon), `${child.pid}\n`);
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Logs are only for diagnosis: each start begins them afresh, so they never grow without bound. */
export function truncateLogs(layout: CephLayout, daemons: readonly Daemon[]): void {
  for (const daemon of daemons) {
    for (const file of [path.join(layout.log, `${daemon.name}.log`), outputFile(layout, daemon)]) {
      if (existsSync(file) && statSync(file).size > 0) truncateSync(file, 0);
    }
  }
}

/** The last meaningful line a daemon wrote, to say why it stopped. */
export function lastWords(layout: CephLayout, daemon: Daemon): string {
  for (const file of [outputFile(layout, daemon), path.join(layout.log, `${daemon.name}.log`)]) {
    try {
      const lines = readFileSync(file, "utf8").split("\n").map((line) => line.trim()).filter(Boolean);
      if (lines.length) return lines[lines.length - 1]!.slice(0, 300);
    } catch {
      // no such log yet
    }
  }
  return "no message";
}

/**
 * Stops the daemons (`which`, default all), gateway first (no new writes), then OSD, then monitor (the OSD tells the
 * monitor it is going down); each gets SIGTERM and, after `graceMs`, SIGKILL, which BlueStore survives.
 */
export async function stopDaemons(layout: CephLayout, graceMs = 4_000, which: readonly Daemon[] = DAEMONS): Promise<void> {
  for (const daemon of [...which].reverse()) {
    const pid = daemonPid(layout, daemon);
    if (pid) await terminate(pid, layout.conf, graceMs);
    rmSync(pidFile(layout, daemon), { force: true });
  }
}

/** Runs a Ceph command-line tool against this cluster; its output, or an Error with its last words. */
export function cephTool(layout: CephLayout, program: string, args: string[], input?: string): string {
  const result = spawnSync(program, args, {
    input,
    encoding: "utf8",
    env: { ...process.env, CEPH_CONF: layout.conf },
    timeout: 60_000,
  });
  if (result.error) throw new Error(`could not run ${program}: ${result.error.message}`);
  if (result.status !== 0) {
    const why = (result.stderr || result.stdout).trim().split("\n").pop();
    throw new Error(`${program} ${args[0] ?? ""} failed: ${why || `exit code ${result.status}`}`);
  }
  return result.stdout;
}
