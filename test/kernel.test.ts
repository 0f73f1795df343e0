// The kit's kernel: registered for the user and removed again, a notebook saved outside
// notebooks/ importing "s3kit", and the Jupyter messages tslab used to log as unknown.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import * as kernelspec from "../scripts/kernelspec.mjs";
// eslint-disable-next-line @typescript-eslint/ban-ts-comment
// @ts-ignore: a plain ES module of the kit's scripts, without types
import { python, root } from "../scripts/setup.mjs";
import { tempDir } from "./helpers/server";
import { runInUserKernel } from "./helpers/user-kernel";

describe("npm run kernel", () => {
  test("Jupyter's per-user kernel folder, per platform", () => {
    assert.equal(kernelspec.userKernelsDir({}, "linux", "/home/ana"), "/home/ana/.local/share/jupyter/kernels");
    assert.equal(kernelspec.userKernelsDir({ XDG_DATA_HOME: "/data" }, "linux", "/home/ana"), "/data/jupyter/kernels");
    assert.equal(kernelspec.userKernelsDir({}, "darwin", "/Users/ana"), "/Users/ana/Library/Jupyter/kernels");
    assert.equal(kernelspec.userKernelsDir({ JUPYTER_DATA_DIR: "/j" }, "darwin", "/Users/ana"), "/j/kernels");
  });

  test("install, then uninstall; a kernel of the same name from elsewhere is left alone", () => {
    const kernels = path.join(tempDir("s3kit-jupyter-"), "kernels");
    const dir = kernelspec.installUserKernel(kernels);
    const spec = JSON.parse(readFileSync(path.join(dir, "kernel.json"), "utf8"));
    assert.equal(spec.display_name, "TypeScript (s3kit)");
    assert.ok(spec.argv.includes(path.join(root, "lib", "dist", "session", "kernel-preload.js")));
    assert.equal(kernelspec.uninstallUserKernel(kernels), dir);
    assert.ok(!existsSync(dir));
    assert.equal(kernelspec.uninstallUserKernel(kernels), undefined);

    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "kernel.json"), JSON.stringify({ argv: ["deno"], display_name: "Someone else's" }));
    assert.throws(() => kernelspec.uninstallUserKernel(kernels), /was not registered by s3kit: remove it yourself/);
    assert.ok(existsSync(dir));
  });

  test("a notebook saved outside notebooks/ runs on the user's kernel and imports s3kit", { timeout: 120_000 }, () => {
    const ran = runInUserKernel(['import { s3Url } from "s3kit";\ns3Url("my-bucket", "a/b.txt")']);
    assert.match(JSON.stringify(ran[0].outputs), /s3:\/\/my-bucket\/a\/b\.txt/);
  });
});

describe("the kernel and Jupyter's messages", () => {
  test("comm_open is answered with comm_close, comm_info with comm_info_reply, and nothing is logged", { timeout: 120_000 }, () => {
    const dataDir = tempDir("s3kit-jupyter-");
    kernelspec.installUserKernel(kernelspec.userKernelsDir({ JUPYTER_DATA_DIR: dataDir }));
    // What Notebook 6's widget extension sends on every kernel start.
    const script = `
import sys, tempfile
from jupyter_client.manager import start_new_kernel
with tempfile.TemporaryFile("w+") as stderr:
    km, kc = start_new_kernel(kernel_name="s3kit", stderr=stderr)
    try:
        msg = kc.session.msg("comm_open", {"comm_id": "c1", "target_name": "jupyter.widget.version", "data": {}})
        kc.shell_channel.send(msg)
        while True:
            reply = kc.get_iopub_msg(timeout=30)
            if reply["msg_type"] == "comm_close":
                print("comm_close", reply["content"]["comm_id"])
                break
        asked = kc.comm_info()
        while True:
            reply = kc.get_shell_msg(timeout=30)
            if reply["parent_header"].get("msg_id") == asked:
                print(reply["msg_type"])
                break
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    stderr.seek(0)
    print("stderr:", stderr.read().strip())
`;
    const env: NodeJS.ProcessEnv = { ...process.env, JUPYTER_DATA_DIR: dataDir };
    delete env.JUPYTER_PATH;
    const run = spawnSync(python, ["-c", script], { env, encoding: "utf8" });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(run.stdout.trim().split("\n"), ["comm_close c1", "comm_info_reply", "stderr:"]);
  });
});
