import {
  AbortMultipartUploadCommand,
  ListBucketsCommand,
  ListMultipartUploadsCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { S3KitError } from "../../errors";
import { freePortRange, isPortFree, portListener } from "../ports";
import { sleep, terminate } from "../processes";
import { cephConf } from "./config";
import { clearStalePid, daemonPid, daemonRunning, DAEMONS, lastWords, spawnDaemon, stopDaemons, truncateLogs, type Daemon } from "./daemons";
import { createS3Users, initCluster, newSettings } from "./init";
import { readJson, writeJson } from "../files";
import { cephLayout, OSD_PORT_COUNT, type CephLayout, type ClusterCredentials, type ClusterSettings } from "./layout";

export { cephLayout, type ClusterCredentials, type S3Credentials } from "./layout";
export { CEPH_PROGRAMS, DAEMONS } from "./daemons";

export interface CephStartOptions {
  /** The cluster's folder, `<S3KIT_HOME>/ceph`. */
  stateDir: string;
  /** S3 port; default: the one chosen at init. */
  port?: number;
  /** When that port is taken: fail (true) or move to a free one (false, the default). */
  strictPort?: boolean;
  /** Receives the one-line notes of a start (stale pid files removed, a port moved, ...). */
  note?: (line: string) => void;
}

export interface CephCluster {
  readonly endpoint: string;
  readonly port: number;
  readonly stateDir: string;
  readonly credentials: ClusterCredentials;
  /** Daemon name → pid. */
  readonly pids: Record<string, number>;
  /** Multipart uploads (`bucket/key`) left unfinished when the cluster last stopped, aborted by this start. */
  readonly discardedUploads: string[];
}

const READY_TIMEOUT_MS = 90_000;

/**
 * Starts this home's cluster (creating it on first use) and resolves once S3 answers. Daemons
 * already running are kept; the others are started. Their pids are in `<stateDir>/run`.
 */
export async function startCeph(options: CephStartOptions): Promise<CephCluster> {
  const layout = cephLayout(options.stateDir);
  const note = options.note ?? (() => {});
  const runningBefore = DAEMONS.filter((d) => daemonRunning(layout, d)).map((d) => daemonPid(layout, d));
  try {
    let settings: ClusterSettings;
    if (!existsSync(layout.cluster)) {
      settings = await createCluster(layout, options, note);
    } else {
      checkComplete(layout);
      settings = await prepareRestart(layout, readJson<ClusterSettings>(layout.cluster), options, note);
    }
    const started = startMissing(layout);
    const endpoint = `http://127.0.0.1:${settings.rgwPort}`;
    await waitForGateway(layout, settings.rgwPort);
    if (!existsSync(layout.credentials)) createS3Users(layout);
    const credentials = readJson<ClusterCredentials>(layout.credentials);
    const discardedUploads = started.includes(DAEMONS[2]) ? await abortInterruptedUploads(endpoint, credentials) : [];
    const pids = Object.fromEntries(DAEMONS.map((d) => [d.name, daemonPid(layout, d)!]));
    return { endpoint, port: settings.rgwPort, stateDir: layout.dir, credentials, pids, discardedUploads };
  } catch (error) {
    // A failed start leaves nothing running that it started; daemons that ran before it keep running.
    const startedNow = DAEMONS.filter((d) => daemonRunning(layout, d) && !runningBefore.includes(daemonPid(layout, d)));
    await stopDaemons(layout, 1_000, startedNow);
    throw error;
  }
}

/** Stops this home's daemons (those recorded in its pid files). */
export async function stopCeph(stateDir: string): Promise<void> {
  await stopDaemons(cephLayout(stateDir));
}

/** The gateway's pid (it changes when a supervisor restarts it). */
export function gatewayPid(stateDir: string): number | undefined {
  return daemonPid(cephLayout(stateDir), DAEMONS[2]);
}

/** The daemons of this home that are not running (a supervisor restarts them with `restartDaemons`). */
export function deadDaemons(stateDir: string): Daemon[] {
  const layout = cephLayout(stateDir);
  return DAEMONS.filter((d) => !daemonRunning(layout, d));
}

/** Starts the daemons that died, and resolves once S3 answers again. */
export async function restartDaemons(stateDir: string): Promise<void> {
  const layout = cephLayout(stateDir);
  startMissing(layout);
  await waitForGateway(layout, readJson<ClusterSettings>(layout.cluster).rgwPort);
}

async function createCluster(layout: CephLayout, options: CephStartOptions, note: (line: string) => void): Promise<ClusterSettings> {
  if (existsSync(layout.dir) && readdirSync(layout.dir).length) {
    // cluster.json is written last, so this is an init that stopped half-way: it holds no objects.
    note(`the Ceph setup in ${layout.dir} did not finish last time: starting it over`);
    await stopDaemons(layout, 1_000);
    rmSync(layout.dir, { recursive: true, force: true });
  }
  const rgwPort = await chooseGatewayPort(options, undefined);
  const monPort = await freePortRange(1, [rgwPort]);
  const osdPortMin = await freePortRange(OSD_PORT_COUNT, [rgwPort, monPort]);
  const settings = newSettings({ monPort, osdPortMin, rgwPort });
  try {
    initCluster(layout, settings);
  } catch (error) {
    await stopDaemons(layout, 1_000);
    throw new S3KitError(`Setting up Ceph in ${layout.dir} failed (${(error as Error).message}); see the logs in ${layout.log}.`, "Failed");
  }
  writeJson(layout.cluster, settings);
  return settings;
}

/** Files without which the cluster cannot start; their absence means the folder was damaged. */
function checkComplete(layout: CephLayout): void {
  const needed = [layout.conf, layout.adminKeyring, layout.rgwKeyring, layout.monData, layout.osdData];
  const missing = needed.find((file) => !existsSync(file));
  if (missing) throw damaged(layout, `${missing.slice(layout.dir.length + 1)} is missing`);
}

function damaged(layout: CephLayout, what: string): S3KitError {
  return new S3KitError(
    `The Ceph state folder ${layout.dir} is damaged (${what}): move it aside (mv ${layout.dir} ${layout.dir}.damaged) to start with a new, empty cluster; your objects stay in the moved folder.`,
    "DamagedData",
  );
}

/** Clears stale pid files and makes sure the ports of the daemons to start are free. */
async function prepareRestart(layout: CephLayout, settings: ClusterSettings, options: CephStartOptions, note: (line: string) => void): Promise<ClusterSettings> {
  const stale = DAEMONS.filter((daemon) => clearStalePid(layout, daemon)).map((daemon) => daemon.name);
  if (stale.length) note(`removed stale pid files of Ceph's ${stale.join(", ")} (stopped without cleaning up, e.g. by kill -9): restarting them`);
  const running = (d: Daemon) => daemonRunning(layout, d);
  const next = { ...settings };
  if (!running(DAEMONS[0]) && !(await portFreesUp(settings.monPort))) {
    throw new S3KitError(
      `Port ${settings.monPort} on 127.0.0.1, where this kit home's Ceph monitor listens, is taken by another program: stop that program and start again.`,
      "PortInUse",
    );
  }
  if (!running(DAEMONS[1])) {
    const ports = Array.from({ length: OSD_PORT_COUNT }, (_, i) => settings.osdPortMin + i);
    if (!(await Promise.all(ports.map(isPortFree))).every(Boolean)) {
      next.osdPortMin = await freePortRange(OSD_PORT_COUNT, [settings.monPort, settings.rgwPort]);
    }
  }
  const wanted = options.port ?? settings.rgwPort;
  if (running(DAEMONS[2]) && wanted !== settings.rgwPort) await stopDaemonOnly(layout, DAEMONS[2]);
  if (!running(DAEMONS[2])) {
    // A gateway killed a moment ago (its pid file was just found stale) may hold its port a little longer.
    if (stale.includes(DAEMONS[2].name) && wanted === settings.rgwPort) await portFreesUp(wanted, 5_000);
    next.rgwPort = await chooseGatewayPort(options, settings.rgwPort);
    if (next.rgwPort !== wanted) note(`port ${wanted} is taken by another program: the S3 endpoint moved to port ${next.rgwPort}`);
  }
  if (JSON.stringify(next) !== JSON.stringify(settings)) writeJson(layout.cluster, next);
  writeFileSync(layout.conf, cephConf(layout, next));
  return next;
}

/** Waits for a port a daemon just killed may hold a moment longer (the monitor's cannot move: it is in its map). */
async function portFreesUp(port: number, withinMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + withinMs;
  while (!(await isPortFree(port))) {
    if (Date.now() > deadline) return false;
    await sleep(200);
  }
  return true;
}

async function stopDaemonOnly(layout: CephLayout, daemon: Daemon): Promise<void> {
  await terminate(daemonPid(layout, daemon)!, layout.conf, 4_000);
}

async function chooseGatewayPort(options: CephStartOptions, previous: number | undefined): Promise<number> {
  const wanted = options.port ?? previous;
  if (wanted !== undefined && wanted !== 0 && (await isPortFree(wanted))) return wanted;
  if (wanted !== undefined && wanted !== 0 && options.strictPort) {
    throw portTaken(wanted);
  }
  return freePortRange(1);
}

const portTaken = (port: number) =>
  new S3KitError(`Port ${port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_PORT.`, "PortInUse");

function startMissing(layout: CephLayout): Daemon[] {
  const missing = DAEMONS.filter((d) => !daemonRunning(layout, d));
  truncateLogs(layout, missing);
  for (const daemon of missing) spawnDaemon(layout, daemon);
  return missing;
}

/**
 * Waits until the gateway listens on its port and answers HTTP. Another program that took the port
 * after it was found free (another S3 server answers too, with its own keys) fails the start at once,
 * and so does a daemon that exits meanwhile, with its last words.
 */
async function waitForGateway(layout: CephLayout, port: number): Promise<void> {
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const listener = portListener(port, daemonPid(layout, DAEMONS[2]));
    if (listener === "other") throw portTaken(port);
    if (listener === "this" && (await answersHttp(endpoint))) return;
    const dead = DAEMONS.find((d) => !daemonRunning(layout, d));
    if (dead) {
      throw new S3KitError(
        `Ceph's ${dead.name} stopped while starting (${lastWords(layout, dead)}); its log is in ${layout.log}. If the state folder is damaged, move it aside (mv ${layout.dir} ${layout.dir}.damaged) to start with a new, empty cluster; your objects stay in the moved folder.`,
        "Failed",
      );
    }
    await sleep(100);
  }
  throw new S3KitError(`Ceph's S3 gateway did not answer at ${endpoint} within ${READY_TIMEOUT_MS / 1000} s; its log is in ${layout.log}.`, "Failed");
}

async function answersHttp(endpoint: string): Promise<boolean> {
  try {
    await (await fetch(endpoint, { signal: AbortSignal.timeout(1_000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Aborts the multipart uploads a previous run left unfinished (a crash or kill -9 mid-upload):
 * their parts would otherwise hold space forever, unseen by any listing of objects.
 */
async function abortInterruptedUploads(endpoint: string, credentials: ClusterCredentials): Promise<string[]> {
  const client = new S3Client({ endpoint, region: "us-east-1", forcePathStyle: true, credentials: credentials.kit, maxAttempts: 2 });
  const aborted: string[] = [];
  try {
    for (const { Name: Bucket } of (await client.send(new ListBucketsCommand({}))).Buckets ?? []) {
      // Aborting removes what was listed, so listing again until empty pages through them all.
      for (let page = await listUploads(client, Bucket); page.length; page = await listUploads(client, Bucket)) {
        for (const { Key, UploadId } of page) {
          await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
          aborted.push(`${Bucket}/${Key}`);
        }
      }
    }
  } finally {
    client.destroy();
  }
  return aborted;
}

async function listUploads(client: S3Client, Bucket: string | undefined) {
  return (await client.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads ?? [];
}
