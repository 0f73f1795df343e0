import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { describe, test } from "node:test";
import { freePort, isFree, processesOf, root, startKit, waitFor, waitForJupyterUrl, waitForNoProcessesOf } from "./helpers/kit";
import { tempDir } from "./helpers/server";

/** Runs npm start expecting it to fail: exit code and what it printed. */
async function startFails(env: Record<string, string>): Promise<{ code: number | null; lines: string[]; ms: number }> {
  const started = Date.now();
  const kit = startKit(env);
  const code = await Promise.race([kit.exited, new Promise<null>((r) => setTimeout(() => r(null), 60_000))]);
  if (code === null) kit.child.kill("SIGKILL");
  return { code, lines: kit.output().trim().split("\n"), ms: Date.now() - started };
}

describe("npm start", { concurrency: false }, () => {
  // SIGINT (Ctrl-C) on the default engine, SIGTERM on s3rver: each engine's stop path, each signal.
  for (const [signal, engine] of [["SIGINT", undefined], ["SIGTERM", "s3rver"]] as const) {
    test(`brings up S3 (${engine ?? "default engine"}) and Jupyter with the TypeScript kernel, and ${signal} stops all of it`, { timeout: 180_000 }, async () => {
      const home = tempDir("s3kit-home-");
      const [s3Port, jupyterPort] = [await freePort(), await freePort()];
      const kit = startKit({ S3KIT_HOME: home, S3KIT_PORT: String(s3Port), S3KIT_JUPYTER_PORT: String(jupyterPort), ...(engine && { S3KIT_SERVER: engine }) });
      try {
        const url = await waitForJupyterUrl(kit);
        assert.match(kit.output(), new RegExp(`local S3 server at http://127\\.0\\.0\\.1:${s3Port} .*seeded 10 objects`));
        assert.equal(new URL(url).port, String(jupyterPort));
        assert.equal((await fetch(url)).status, 200);

        const token = new URL(url).searchParams.get("token");
        const api = (route: string, init?: RequestInit) => fetch(`http://127.0.0.1:${jupyterPort}/api/${route}?token=${token}`, init);
        const specs = (await (await api("kernelspecs")).json()) as { kernelspecs: Record<string, { spec: { display_name: string } }> };
        assert.equal(specs.kernelspecs.s3kit?.spec.display_name, "TypeScript (s3kit)");
        const kernel = (await (await api("kernels", { method: "POST", body: JSON.stringify({ name: "s3kit" }) })).json()) as { id: string };
        assert.ok(kernel.id);
        await waitFor(() => processesOf(home).length >= 4, 30_000, () => `processes: ${processesOf(home)}`);

        kit.child.kill(signal);
        assert.equal(await kit.exited, 0);
        await waitForNoProcessesOf(home);
        assert.ok(await isFree(s3Port), "the S3 port is free again");
        assert.ok(await isFree(jupyterPort), "the Jupyter port is free again");
      } finally {
        for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
      }
    });
  }

  test("through npm: the Jupyter token is on no command line, and SIGINT to npm alone stops everything", { timeout: 180_000 }, async () => {
    const home = tempDir("s3kit-home-");
    const [s3Port, jupyterPort] = [await freePort(), await freePort()];
    const kit = startKit({ S3KIT_HOME: home, S3KIT_PORT: String(s3Port), S3KIT_JUPYTER_PORT: String(jupyterPort) }, { viaNpm: true });
    try {
      const url = await waitForJupyterUrl(kit);
      const token = new URL(url).searchParams.get("token")!;
      const api = (route: string, init?: RequestInit) => fetch(`http://127.0.0.1:${jupyterPort}/api/${route}?token=${token}`, init);
      assert.equal((await api("kernels", { method: "POST", body: JSON.stringify({ name: "s3kit" }) })).status, 201);
      await waitFor(() => processesOf(home).length >= 5, 30_000, () => `processes: ${processesOf(home)}`);
      const commandLines = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" });
      assert.ok(commandLines.includes("-m notebook"), "ps lists Jupyter");
      assert.ok(!commandLines.includes(token), "no command line holds the token");
      const tokenFile = path.join(home, "jupyter-runtime", "token");
      assert.equal(statSync(tokenFile).mode & 0o777, 0o600, "the token file is readable by its owner only");

      process.kill(kit.child.pid!, "SIGINT"); // npm alone, not its process group
      await kit.exited;
      await waitForNoProcessesOf(home);
      assert.ok(await isFree(s3Port), "the S3 port is free again");
      assert.ok(await isFree(jupyterPort), "the Jupyter port is free again");
      assert.ok(!existsSync(tokenFile), "the token file is removed");
    } finally {
      for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
    }
  });

  test("a port already taken gives one clear line and a non-zero exit", { timeout: 120_000 }, async () => {
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      const result = await startFails({ S3KIT_HOME: tempDir("s3kit-home-"), S3KIT_PORT: String(port) });
      assert.equal(result.code, 1);
      assert.deepEqual(result.lines, [`s3kit: Port ${port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_PORT.`]);
    } finally {
      blocker.close();
    }
  });

  test("with Jupyter's default port 8888 taken, Jupyter binds a port near it and the printed URL has that port", { timeout: 180_000 }, async () => {
    const home = tempDir("s3kit-home-");
    // 8888 is taken either by this blocker or by whatever already holds it: both are the case under test.
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.once("error", () => resolve()).listen(8888, "127.0.0.1", resolve));
    assert.equal(await isFree(8888), false);
    const kit = startKit({ S3KIT_HOME: home, S3KIT_SERVER: "s3rver", S3KIT_PORT: String(await freePort()), S3KIT_JUPYTER_PORT: "" });
    try {
      const url = await waitForJupyterUrl(kit);
      const port = Number(new URL(url).port);
      // Jupyter's own retries (8889-8892, then within 100 of 8888), not a port the kit probed and handed on.
      assert.ok(port !== 8888 && Math.abs(port - 8888) <= 100, `Jupyter's port ${port} is near 8888`);
      assert.equal((await fetch(url)).status, 200);
      kit.child.kill("SIGINT");
      assert.equal(await kit.exited, 0);
      await waitForNoProcessesOf(home);
    } finally {
      blocker.close();
      for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
    }
  });

  test("S3KIT_JUPYTER_PORT taken gives one clear line, a non-zero exit, and leaves nothing running", { timeout: 180_000 }, async () => {
    const home = tempDir("s3kit-home-");
    const blocker = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    const s3Port = await freePort();
    try {
      const result = await startFails({ S3KIT_HOME: home, S3KIT_SERVER: "s3rver", S3KIT_PORT: String(s3Port), S3KIT_JUPYTER_PORT: String(port) });
      assert.equal(result.code, 1);
      const sentence = `s3kit: Port ${port} on 127.0.0.1 is already in use: stop the program using it, or choose another port with S3KIT_JUPYTER_PORT.`;
      assert.deepEqual(result.lines.filter((line) => line.includes("already in use")), [sentence]);
      assert.deepEqual(result.lines.filter((line) => !line.startsWith("s3kit: ")), [], "none of Jupyter's own messages");
      await waitForNoProcessesOf(home);
      assert.ok(await isFree(s3Port), "the S3 port is free again");
    } finally {
      blocker.close();
      for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
    }
  });

  test("Jupyter missing, and apt-get not allowed, gives one clear line and a non-zero exit", { timeout: 120_000 }, async () => {
    const result = await startFails({ S3KIT_HOME: tempDir("s3kit-home-"), S3KIT_PYTHON: "/nonexistent/python3" });
    assert.equal(result.code, 1);
    assert.deepEqual(result.lines, [
      "s3kit: Jupyter is missing (Python modules notebook, nbconvert, nbclient, jupyter_client in /nonexistent/python3): install it with `sudo apt-get install -y jupyter-notebook jupyter-nbconvert python3-nbclient jupyter-client`, then run the command again.",
    ]);
  });

  test("a damaged data folder gives one clear line and a non-zero exit", { timeout: 120_000 }, async () => {
    const home = tempDir("s3kit-home-");
    mkdirSync(path.join(home, "data", "my-bucket"), { recursive: true });
    writeFileSync(path.join(home, "data", "my-bucket", "notes.txt._S3rver_metadata.json"), "{ not json");
    const result = await startFails({ S3KIT_HOME: home, S3KIT_PORT: String(await freePort()), S3KIT_SERVER: "s3rver" });
    assert.equal(result.code, 1);
    assert.deepEqual(result.lines, [
      `s3kit: The local S3 data folder ${path.join(home, "data")} is damaged (my-bucket/notes.txt._S3rver_metadata.json is not valid JSON): move it aside or delete it to start with fresh data.`,
    ]);

    const fileHome = tempDir("s3kit-home-");
    writeFileSync(path.join(fileHome, "data"), "not a folder");
    const second = await startFails({ S3KIT_HOME: fileHome, S3KIT_PORT: String(await freePort()), S3KIT_SERVER: "s3rver" });
    assert.equal(second.code, 1);
    assert.match(second.lines.join("\n"), /^s3kit: The local S3 data folder .* is damaged \(it is a file, not a folder\)/);
  });

  // On s3rver (ceph-engine.test.ts covers Ceph's scripts): the sharing is the same for both engines.
  test("beside a server a script's connect() started, npm start reuses it, and its Ctrl-C leaves it running for npm run stop", { timeout: 240_000 }, async () => {
    const home = tempDir("s3kit-home-");
    const env = { ...process.env, S3KIT_HOME: home, S3KIT_SERVER: "s3rver", S3KIT_ENDPOINT: "", AWS_ENDPOINT_URL_S3: "" };
    const script = spawnSync(process.execPath, ["-e", `require("./lib").connect().then(({ target }) => console.log(target.endpoint))`], { cwd: root, env, encoding: "utf8" });
    assert.equal(script.status, 0, script.stderr);
    const endpoint = script.stdout.trim().split("\n").pop()!;
    const kit = startKit({ S3KIT_HOME: home, S3KIT_SERVER: "s3rver", S3KIT_ENDPOINT: "", AWS_ENDPOINT_URL_S3: "", S3KIT_JUPYTER_PORT: String(await freePort()) });
    try {
      await waitForJupyterUrl(kit);
      assert.match(kit.output(), new RegExp(`s3kit: using the local S3 server \\(s3rver\\) already running for this kit home at ${endpoint.replace(/\./g, "\\.")}; Ctrl-C here leaves it running, \`npm run stop\` stops it`));
      kit.child.kill("SIGINT");
      assert.equal(await kit.exited, 0);
      assert.equal((await fetch(endpoint)).status < 500, true, "the server still answers");
      const stop = spawnSync(process.execPath, [path.join(root, "scripts", "stop.mjs")], { cwd: root, env, encoding: "utf8" });
      assert.match(stop.stdout, /^s3kit: stopped the local S3 server/);
      await waitForNoProcessesOf(home);
    } finally {
      for (const pid of processesOf(home)) process.kill(pid, "SIGKILL");
    }
  });
});
