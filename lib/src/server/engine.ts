import { accessSync, constants } from "node:fs";
import path from "node:path";
import { S3KitError } from "../errors";
import { CEPH_PROGRAMS } from "./ceph";

/**
 * The kit's local S3 engines: Ceph's RADOS Gateway (real S3, the engine of distributed storage) and
 * s3rver (a small imitation that runs anywhere Node does, and lacks half of S3).
 */
export type EngineName = "ceph" | "s3rver";

/** How the kit names each engine in what it prints. */
export const ENGINE_LABELS: Record<EngineName, string> = { ceph: "Ceph RGW", s3rver: "s3rver" };

export interface EngineChoice {
  engine: EngineName;
  /** Why the kit fell back to s3rver, in one line, when Ceph was wanted by default but is absent. */
  fallback?: string;
}

/** What only the Ceph engine can run (s3rver lacks it or only imitates it). */
export const CEPH_ONLY =
  "versioning and delete markers, bucket tagging, ListParts, UploadPartCopy, signature checks, bucket policies, presigned POST conditions and object lock";

/** S3KIT_SERVER if set; otherwise Ceph where its programs are installed, else s3rver. */
export function chooseEngine(env: NodeJS.ProcessEnv = process.env): EngineChoice {
  const asked = env.S3KIT_SERVER;
  if (asked === "ceph" || asked === "s3rver") {
    if (asked === "ceph" && missingCephPrograms(env).length) {
      throw new S3KitError(
        `S3KIT_SERVER is "ceph" but Ceph is not installed (${missingCephPrograms(env).join(", ")} missing): install it with \`sudo apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common\`, or set S3KIT_SERVER=s3rver.`,
        "InvalidArgument",
      );
    }
    return { engine: asked };
  }
  if (asked) throw new S3KitError(`S3KIT_SERVER is "${asked}": set it to "ceph" or "s3rver" (or leave it unset).`, "InvalidArgument");
  const missing = missingCephPrograms(env);
  if (!missing.length) return { engine: "ceph" };
  const why =
    process.platform !== "linux"
      ? "Ceph runs on Linux only"
      : `Ceph is not installed (as root the kit installs it; or \`sudo apt-get install -y --no-install-recommends ceph-mon ceph-osd radosgw ceph-common\`)`;
  return { engine: "s3rver", fallback: `${why}: using s3rver, where the lessons on ${CEPH_ONLY} do not run.` };
}

function missingCephPrograms(env: NodeJS.ProcessEnv): string[] {
  const dirs = (env.PATH ?? "/usr/bin:/bin").split(path.delimiter).filter(Boolean);
  return CEPH_PROGRAMS.filter(
    (program) =>
      !dirs.some((dir) => {
        try {
          accessSync(path.join(dir, program), constants.X_OK);
          return true;
        } catch {
          return false;
        }
      }),
  );
}
