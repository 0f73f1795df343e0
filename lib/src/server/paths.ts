import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * The kit's folder (the one holding `notebooks/`, `fixtures/` and `lib/`), found by walking up
 * from this file: the local server keeps its data and state there, whoever starts it.
 */
export function kitRoot(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).workspaces) return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

/** Where the kit keeps its files; S3KIT_HOME moves the runtime state (tests use a temporary one). */
export const kitPaths = () => {
  const root = kitRoot();
  const state = path.resolve(process.env.S3KIT_HOME ?? path.join(root, ".s3kit"));
  return {
    root,
    fixtures: path.join(root, "fixtures"),
    generatedFixtures: path.join(root, "fixtures", "generated"),
    home: state,
    dataDir: path.join(state, "data"),
    cephDir: path.join(state, "ceph"),
    serverStateFile: path.join(state, "server.json"),
  };
};
