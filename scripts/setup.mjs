// What `npm start` and `npm test` need before anything else, on a fresh clone: npm dependencies,
// the kit's patch of tslab, the compiled s3kit package, Debian's Jupyter, and the project-local
// kernelspec.
// Plain Node with no dependencies, because it runs before `npm ci`.
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { installKernel } from "./kernelspec.mjs";
import { patchDependencies } from "./patches.mjs";
import { installNotebookStyle } from "./notebook-style.mjs";

export { installKernel };

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** The kit's runtime state (local S3 data, kernelspec, Jupyter runtime); S3KIT_HOME moves it. */
export const kitHome = process.env.S3KIT_HOME ?? path.join(root, ".s3kit");
export const jupyterPath = path.join(kitHome, "jupyter");
/**
 * Debian's Python, the one apt-get gives Jupyter to (the python3 first on PATH may be a pyenv
 * build without it); S3KIT_PYTHON names another Python that has Jupyter.
 */
const DEBIAN_PYTHON = "/usr/bin/python3";
export const python = process.env.S3KIT_PYTHON ?? DEBIAN_PYTHON;

const JUPYTER_PACKAGES = ["jupyter-notebook", "jupyter-nbconvert", "python3-nbclient", "jupyter-client"];
const JUPYTER_MODULES = ["notebook", "nbconvert", "nbclient", "jupyter_client"];

export class SetupError extends Error {}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", ...options });
  if (result.error) throw new SetupError(`Could not run ${command}: ${result.error.message}.`);
  if (result.status !== 0) throw new SetupError(`\`${[command, ...args].join(" ")}\` failed (exit code ${result.status}).`);
  return result;
}

/**
 * `npm ci` when node_modules is missing or older than package-lock.json, then the kit's patches
 * (patches.mjs; each run, as `npm install` undoes them).
 */
export function ensureDependencies() {
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const lock = path.join(root, "package-lock.json");
  if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
    console.log("s3kit: installing npm dependencies (npm ci) ...");
    run("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"]);
  }
  patchDependencies();
}

/** Compiles lib/ to lib/dist, the `s3kit` package notebooks import through node_modules. */
export function buildLib() {
  run(process.execPath, [path.join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "lib"]);
}

function missingPythonModules(modules) {
  if (!existsSync(python)) return modules;
  return modules.filter(
    (module) => spawnSync(python, ["-c", `import ${module}`], { stdio: "ignore" }).status !== 0,
  );
}

/**
 * Installs Debian `packages` when `missing()` describes something absent (it returns "" when
 * nothing is), if we are root; otherwise one line saying what to install. S3KIT_NO_APT=1 forbids
 * apt-get even for root; `aptCanHelp` false means apt-get would not install where we look.
 */
function ensureFromDebian(packages, what, missing, aptCanHelp = true, { recommends = true } = {}) {
  const absent = missing();
  if (!absent) return;
  const canApt = aptCanHelp && process.getuid?.() === 0 && process.env.S3KIT_NO_APT !== "1";
  if (!canApt) {
    throw new SetupError(
      `${what} is missing (${absent}): install it with \`sudo apt-get install -y ${packages.join(" ")}\`, then run the command again.`,
    );
  }
  console.log(`s3kit: installing ${what} from Debian (${packages.join(", ")}) ...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  run("apt-get", ["install", "-y", "-qq", ...(recommends ? [] : ["--no-install-recommends"]), ...packages], { env, stdio: ["ignore", "ignore", "inherit"] });
  const still = missing();
  if (still) throw new SetupError(`${what} is still missing after apt-get install (${still}).`);
}

/** Installs Debian packages that provide the given Python modules, when root; otherwise says how. */
export function ensureDebianPackages(packages, modules, what) {
  const missing = () => {
    const absent = missingPythonModules(modules);
    return absent.length ? `Python modules ${absent.join(", ")} in ${python}` : "";
  };
  ensureFromDebian(packages, what, missing, python === DEBIAN_PYTHON);
}

/**
 * The browser the end-to-end test drives: Debian's Chromium (npm's browser downloads cannot reach
 * their host here); S3KIT_CHROMIUM names another Chromium build.
 */
const DEBIAN_CHROMIUM = "/usr/bin/chromium";
export const chromium = process.env.S3KIT_CHROMIUM ?? DEBIAN_CHROMIUM;

/** Installs Debian's `chromium` when the browser is missing, as ensureJupyter does for Jupyter. */
export function ensureChromium() {
  const missing = () => {
    try {
      accessSync(chromium, constants.X_OK);
      return "";
    } catch {
      return `no executable ${chromium}`;
    }
  };
  ensureFromDebian(["chromium"], "Chromium", missing, chromium === DEBIAN_CHROMIUM);
}

export function ensureJupyter() {
  ensureDebianPackages(JUPYTER_PACKAGES, JUPYTER_MODULES, "Jupyter");
}

const CEPH_PACKAGES = ["ceph-mon", "ceph-osd", "radosgw", "ceph-common"];
const CEPH_PROGRAMS = ["ceph-mon", "ceph-osd", "radosgw", "ceph", "ceph-authtool", "monmaptool", "radosgw-admin"];

/**
 * Ceph, the kit's default local S3 engine, from Debian (without recommends: no ceph-mgr, 54
 * packages). Where it cannot be installed (not root, no apt-get) this is silent: the kit falls back
 * to s3rver and says so when it starts the server. S3KIT_SERVER=ceph makes that an error instead.
 */
export function ensureCeph() {
  if (process.env.S3KIT_SERVER === "s3rver" || process.platform !== "linux") return;
  const missing = () => {
    const absent = CEPH_PROGRAMS.filter((program) => !existsSync(path.join("/usr/bin", program)));
    return absent.length ? `no ${absent.join(", ")} in /usr/bin` : "";
  };
  try {
    ensureFromDebian(CEPH_PACKAGES, "Ceph (the local S3 engine)", missing, true, { recommends: false });
  } catch (error) {
    if (!(error instanceof SetupError) || process.env.S3KIT_SERVER === "ceph") throw error;
  }
}

/** Debian's AWS CLI, the baseline `npm run bench` compares the kit's transfers with. */
export const AWS_CLI = "/usr/bin/aws";

export function ensureAwsCli() {
  ensureFromDebian(["awscli"], "The AWS CLI", () => (existsSync(AWS_CLI) ? "" : `no ${AWS_CLI}`));
}

/** resvg draws chart text only with a font file it is given; DejaVu Sans is the one charts use. */
const CHART_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

export function ensureChartFont() {
  ensureFromDebian(["fonts-dejavu-core"], "A font for chart text (DejaVu Sans)", () => (existsSync(CHART_FONT) ? "" : `no ${CHART_FONT}`));
}

/**
 * The environment every kernel starts with. The checksum settings make even a raw
 * `new S3Client({...})` typed by a learner safe against s3rver, which would otherwise store the
 * SDK's aws-chunked framing inside the object.
 */
export const KERNEL_ENV = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  AWS_REQUEST_CHECKSUM_CALCULATION: "WHEN_REQUIRED",
  AWS_RESPONSE_CHECKSUM_VALIDATION: "WHEN_REQUIRED",
  // S3 keeps every time in UTC; showing them in UTC too keeps outputs the same on every machine.
  TZ: "UTC",
};

/**
 * The environment for Jupyter, kernels, the REPL and tests when the kit's `server` runs: connect()
 * finds it through S3KIT_ENDPOINT (and S3KIT_ENGINE, to name it), and a raw SDK client through
 * AWS_ENDPOINT_URL_S3 and the server's credentials, so nothing typed in a notebook reaches real
 * AWS by accident. The keys travel in the environment, never on a command line.
 */
export function localTargetEnv(server) {
  const { accessKeyId, secretAccessKey } = server.credentials;
  return {
    S3KIT_TARGET: "local",
    S3KIT_ENDPOINT: server.endpoint,
    S3KIT_ENGINE: server.engine,
    S3KIT_ACCESS_KEY_ID: accessKeyId,
    S3KIT_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_ENDPOINT_URL_S3: server.endpoint,
    AWS_ACCESS_KEY_ID: accessKeyId,
    AWS_SECRET_ACCESS_KEY: secretAccessKey,
    AWS_REGION: "us-east-1",
    // Ceph's second user, for the lesson on permissions (11).
    ...(server.otherCredentials && {
      S3KIT_OTHER_ACCESS_KEY_ID: server.otherCredentials.accessKeyId,
      S3KIT_OTHER_SECRET_ACCESS_KEY: server.otherCredentials.secretAccessKey,
    }),
  };
}

// The kit's own scripts load the SDK too: the same settings keep their output clean and safe.
for (const [name, value] of Object.entries(KERNEL_ENV)) process.env[name] ??= value;

/** Everything above, in order; returns the environment for Jupyter. */
export function setup() {
  ensureDependencies();
  buildLib();
  ensureJupyter();
  ensureChartFont();
  ensureCeph();
  return { ...installKernel(), ...installNotebookStyle(), ...KERNEL_ENV };
}
