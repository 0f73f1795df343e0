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
