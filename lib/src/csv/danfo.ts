import Module from "node:module";

/**
 * danfo, loaded on the first CSV read so that `import { connect } from "s3kit"` stays quick for
 * every lesson that reads no CSV.
 *
 * Loading danfo takes 0.6-0.7 s, most of it in three dependencies a CSV read never calls: mathjs
 * (danfo's statistics: mean, median, mode, std, variance), which builds all its hundreds of
 * functions when it loads; xlsx (Excel files); and request (danfo's reading from URLs), which
 * loads a public-suffix list among much else. Each is put in Node's module cache as a stand-in
 * that loads the real module the first time anything in it is used or called, so `describe()`
 * pays for mathjs once and a read alone does not. Results are the real modules' own.
 */
export function danfo(): typeof import("danfojs-node") {
  const danfoPath = require.resolve("danfojs-node");
  if (!require.cache[danfoPath]) for (const name of DEFERRED) deferLoading(name, danfoPath);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("danfojs-node") as typeof import("danfojs-node");
}

/**
 * `esModule`: what the module's `__esModule` flag is, answered without loading it (danfo reads it
 * through TypeScript's `__importDefault` when it loads request); undefined: load it to find out.
 */
const DEFERRED: { name: string; esModule?: boolean }[] = [{ name: "mathjs" }, { name: "xlsx" }, { name: "request", esModule: false }];

/** Puts a stand-in for `name` (as `from` resolves it) in the module cache, unless it is loaded already. */
function deferLoading({ name, esModule }: { name: string; esModule?: boolean }, from: string): void {
  const resolved = require.resolve(name, { paths: [from] });
  if (require.cache[resolved]) return;
  let real: object | undefined;
  const load = (): object => {
    if (!real) {
      delete require.cache[resolved];
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      real = require(resolved) as object;
    }
    return real;
  };
  // An arrow function, so that a module whose export is a function (request) can be called.
  const standIn = new Proxy(() => undefined, {
    apply: (_, self, args) => Reflect.apply(load() as (...a: unknown[]) => unknown, self, args),
    get: (_, key) => (key === "__esModule" && esModule !== undefined ? esModule || undefined : Reflect.get(load(), key)),
    has: (_, key) => Reflect.has(load(), key),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(load(), key);
      return descriptor && { ...descriptor, configurable: true };
    },
  });
  const cached = new Module(resolved);
  cached.filename = resolved;
  cached.loaded = true;
  cached.exports = standIn;
  require.cache[resolved] = cached;
}
