import type { LocalServer } from "./local-server";

/**
 * Watches a server for as long as `npm start` runs: when a part of it stops (a crash, an OOM kill,
 * a learner's kill), says so in one line and starts it again. Returns the function that ends the watch.
 */
export function superviseServer(server: LocalServer, say: (line: string) => void, everyMs = 1_000): () => void {
  let busy = false;
  const timer = setInterval(async () => {
    const stopped = server.stopped();
    if (busy || !stopped.length) return;
    busy = true;
    const since = Date.now();
    say(`${stopped.join(", ")} stopped unexpectedly: restarting ${stopped.length > 1 ? "them" : "it"} ...`);
    try {
      await server.restart();
      say(`the local S3 server answers again at ${server.endpoint} (restarted in ${((Date.now() - since) / 1000).toFixed(1)} s)`);
    } catch (error) {
      say(`restarting failed: ${(error as Error).message}`);
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
