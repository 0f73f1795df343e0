// `npm run bench`: every bench/*.bench.ts, each against its own fresh embedded S3 server.
// Figures are printed as Markdown tables, with ratios against a baseline measured in the same run.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { buildLib, ensureAwsCli, ensureCeph, ensureDebianPackages, ensureDependencies, root } from "./setup.mjs";

ensureDependencies();
buildLib();
ensureCeph();
ensureAwsCli();
const only = process.argv.slice(2);
const benches = readdirSync(path.join(root, "bench"))
  .filter((f) => f.endsWith(".bench.ts") && (only.length === 0 || only.some((o) => f.includes(o))))
  .sort();
// The anchors the figures are ratios against: Debian's boto3, pandas and AWS CLI.
if (benches.includes("anchors.bench.ts")) ensureDebianPackages(["python3-boto3", "python3-pandas", "awscli"], ["boto3", "pandas", "awscli"], "The bench's Python anchors");
let failed = 0;
for (const bench of benches) {
  console.log(`\n## ${bench}`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join("bench", bench)], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
