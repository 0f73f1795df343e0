// The kit's Jupyter kernel: tslab 1.0.22 with the kit's patch (patches.mjs), started with the kit's
// notebook hooks preloaded, registered either project-locally (npm start, npm test) or for the
// user (`npm run kernel -- install`), for VS Code, JupyterLab or `jupyter nbconvert`.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { KERNEL_ENV, jupyterPath, root, SetupError } from "./setup.mjs";

/** The name notebooks ask for (their metadata's kernelspec.name) and the name shown in menus. */
export const KERNEL_NAME = "s3kit";
export const KERNEL_DISPLAY_NAME = "TypeScript (s3kit)";
// A function, not a constant: setup.mjs and this module import each other, so `root` is not set yet
// while this module is first evaluated.
const tslabDir = () => path.join(root, "node_modules", "tslab");

/**
 * The kernel.json: this Node runs tslab with the kit's hooks preloaded (lib/dist/session); NODE_PATH
 * lets a notebook saved anywhere `import "s3kit"` and the kit's other packages.
 */
export function kernelSpec() {
  return {
    argv: [
      process.execPath,
      "--require",
      path.join(root, "lib", "dist", "session", "kernel-preload.js"),
      path.join(tslabDir(), "bin", "tslab"),
      "kernel",
      "--config-path",
      "{connection_file}",
    ],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    env: { ...KERNEL_ENV, NODE_PATH: path.join(root, "node_modules") },
    metadata: { s3kit: { root } },
  };
}

function writeKernelSpec(kernelsDir) {
  const dir = path.join(kernelsDir, KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelSpec(), null, 2) + "\n");
  return dir;
}

/**
 * Registers the kernel in a project-local Jupyter path (nothing system-wide). Returns the
 * environment that makes Jupyter see it.
 */
export function installKernel() {
  const kernelsDir = path.join(jupyterPath, "kernels");
  // Earlier versions of the kit registered it as "tslab": one kernel in the menu, not two.
  rmSync(path.join(kernelsDir, "tslab"), { recursive: true, force: true });
  writeKernelSpec(kernelsDir);
  return { JUPYTER_PATH: jupyterPath };
}

/** Jupyter's per-user data folder (`jupyter --data-dir`), where per-user kernels live. */
export function userKernelsDir(env = process.env, platform = process.platform, home = os.homedir()) {
  const dataDir =
    env.JUPYTER_DATA_DIR ??
    (platform === "darwin"
      ? path.join(home, "Library", "Jupyter")
      : platform === "win32"
        ? path.join(env.APPDATA ?? path.join(home, "AppData", "Roaming"), "jupyter")
        : path.join(env.XDG_DATA_HOME ?? path.join(home, ".local", "share"), "jupyter"));
  return path.join(dataDir, "kernels");
}

/** `npm run kernel -- install`: the kernel for this user, in every Jupyter front end. Returns its folder. */
export function installUserKernel(kernelsDir = userKernelsDir()) {
  return writeKernelSpec(kernelsDir);
}

/**
 * `npm run kernel -- uninstall`: removes the user's kernel if this kit registered it (a kernel of
 * the same name from elsewhere is left alone). Returns its folder, or undefined when there was none.
 */
export function uninstallUserKernel(kernelsDir = userKernelsDir()) {
  const dir = path.join(kernelsDir, KERNEL_NAME);
  const specFile = path.join(dir, "kernel.json");
  if (!existsSync(specFile)) return undefined;
  const spec = JSON.parse(readFileSync(specFile, "utf8"));
  if (!spec.metadata?.s3kit) {
    throw new SetupError(`The kernel "${KERNEL_NAME}" in ${dir} was not registered by s3kit: remove it yourself with \`jupyter kernelspec remove ${KERNEL_NAME}\` if you no longer want it.`);
  }
  rmSync(dir, { recursive: true, force: true });
  return dir;
}
