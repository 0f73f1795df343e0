import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import net from "node:net";

/** Can something listen on this port of 127.0.0.1 right now? */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer().once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

/**
 * `count` consecutive free ports, below Linux's ephemeral range (32768+) so that outgoing
 * connections never take them later; random, so two kit homes rarely even try the same ones.
 */
export async function freePortRange(count: number, avoid: number[] = []): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const first = 10_000 + Math.floor(Math.random() * (32_000 - 10_000 - count));
    const ports = Array.from({ length: count }, (_, i) => first + i);
    if (ports.some((port) => avoid.includes(port))) continue;
    if ((await Promise.all(ports.map(isPortFree))).every(Boolean)) return first;
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1`);
}

/**
 * Who listens on this port of 127.0.0.1, from Linux's /proc: nobody, the process `pid`, or another
 * program. An answer over HTTP cannot tell: another S3 server on the port answers too.
 */
export function portListener(port: number, pid: number | undefined): "none" | "this" | "other" {
  const sockets = listeningSockets(port);
  if (!sockets.length) return "none";
  return pid !== undefined && sockets.some((inode) => openSockets(pid).has(inode)) ? "this" : "other";
}

/** Inodes of the sockets listening on the port on 127.0.0.1 or on every address (which includes it). */
function listeningSockets(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  const covering = new Set(["0100007F", "00000000", "0000000000000000FFFF00000100007F", "00000000000000000000000000000000"]);
  const inodes: string[] = [];
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let lines: string[];
    try {
      lines = readFileSync(table, "utf8").trim().split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      const [address, localPort] = (local ?? "").split(":");
      if (state === "0A" && localPort === hexPort && covering.has(address!)) inodes.push(inode!);
    }
  }
  return inodes;
}

function openSockets(pid: number): Set<string> {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      const target = readlinkOrEmpty(`/proc/${pid}/fd/${fd}`);
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      if (inode) inodes.add(inode);
    }
  } catch {
    // the process is gone
  }
  return inodes;
}

function readlinkOrEmpty(link: string): string {
  try {
    return readlinkSync(link);
  } catch {
    return ""; // closed meanwhile
  }
}
