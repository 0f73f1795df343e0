// The kit's patches to two of its dependencies, patches/<package>-<version>.patch, applied to
// node_modules after `npm ci` (ensureDependencies runs this on every command): tslab, the notebook
// kernel, and danfojs-node, which then loads its heavy modules on first use. Each patch's opening
// text says what it changes and why.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { root, SetupError } from "./setup.mjs";

/** The versions package-lock.json pins, the ones the patches are made for. */
export const PATCHED_VERSIONS = { tslab: "1.0.22", "danfojs-node": "1.2.0" };

/**
 * The hunks of a unified diff, per file: each as the exact text it replaces and its replacement.
 * Text before the first `---` line is a comment.
 */
export function parsePatch(patchText) {
  const files = [];
  let hunk;
  for (const line of patchText.split("\n")) {
    if (line.startsWith("+++ ")) {
      files.push({ file: line.slice(4).trim().replace(/^b\//, ""), hunks: [] });
    } else if (line.startsWith("@@ ")) {
      hunk = { before: "", after: "" };
      files.at(-1).hunks.push(hunk);
    } else if (hunk && /^[ +-]/.test(line) && !line.startsWith("--- ")) {
      if (line[0] !== "+") hunk.before += line.slice(1) + "\n";
      if (line[0] !== "-") hunk.after += line.slice(1) + "\n";
    }
  }
  return files;
}

/**
 * Applies a unified diff to the files under `dir`, and does nothing to a hunk already applied, so
 * it can run on every start. A hunk whose text is not found exactly once stops everything before
 * a file is written. Returns the files it changed.
 */
export function applyPatch(patchText, dir, what = "the patch") {
  const patched = parsePatch(patchText).map(({ file, hunks }) => {
    const original = readFileSync(path.join(dir, file), "utf8");
    let text = original;
    for (const { before, after } of hunks) {
      if (text.includes(after)) continue;
      const at = text.indexOf(before);
      if (at < 0 || text.indexOf(before, at + 1) >= 0) {
        throw new SetupError(`${what} does not apply to ${path.join(dir, file)} (a changed file?): run \`npm ci\` to reinstall it, then run the command again.`);
      }
      text = text.slice(0, at) + after + text.slice(at + before.length);
    }
    return { file, text, changed: text !== original };
  });
  for (const { file, text, changed } of patched) if (changed) writeFileSync(path.join(dir, file), text);
  return patched.filter((p) => p.changed).map((p) => p.file);
}

/** Patches node_modules/<name> (the locked version only); returns the files it changed. */
export function patchPackage(name, dir = path.join(root, "node_modules", name)) {
  const expected = PATCHED_VERSIONS[name];
  const { version } = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
  if (version !== expected) {
    throw new SetupError(`${name} ${version} is installed but the kit's patch is for ${name} ${expected}: run \`npm ci\` to install the locked version.`);
  }
  const patchFile = path.join(root, "patches", `${name}-${expected}.patch`);
  return applyPatch(readFileSync(patchFile, "utf8"), dir, `The kit's ${name} patch (${path.relative(root, patchFile)})`);
}

/** Every patch above; returns the files changed, as `package/file`. */
export function patchDependencies() {
  return Object.keys(PATCHED_VERSIONS).flatMap((name) => patchPackage(name).map((file) => `${name}/${file}`));
}
