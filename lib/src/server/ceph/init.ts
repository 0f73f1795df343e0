import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { writeJson } from "../files";
import { cephConf } from "./config";
import { cephTool, spawnDaemon, DAEMONS } from "./daemons";
import type { CephLayout, ClusterCredentials, ClusterSettings, S3Credentials } from "./layout";

/**
 * Creates a cluster in an empty folder, the steps of Ceph's own vstart.sh cut down to one node:
 * keys and a monitor map, the monitor's store, the OSD's BlueStore, the gateway's key, then the
 * two S3 users. Leaves the monitor and OSD running (the gateway is started by the caller).
 * cluster.json is written last: a folder without it holds an init that did not finish, and no data.
 */
export function initCluster(layout: CephLayout, settings: ClusterSettings): ClusterSettings {
  for (const dir of [layout.run, layout.log, path.join(layout.dir, "crash"), path.join(layout.dir, "rgw"), layout.monData, layout.osdData]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  writeFileSync(layout.conf, cephConf(layout, settings));
  const tool = (program: string, ...args: string[]) => cephTool(layout, program, args);
  tool("ceph-authtool", layout.adminKeyring, "--create-keyring", "--gen-key", "-n", "mon.", "--cap", "mon", "allow *");
  tool("ceph-authtool", layout.adminKeyring, "--gen-key", "-n", "client.admin",
    "--cap", "mon", "allow *", "--cap", "osd", "allow *", "--cap", "mgr", "allow *");
  const monmap = path.join(layout.run, "monmap");
  tool("monmaptool", "--create", "--fsid", settings.fsid, "--addv", "a", `[v2:127.0.0.1:${settings.monPort}]`, monmap);
  tool("ceph-mon", "--mkfs", "-i", "a", "--monmap", monmap, "--keyring", layout.adminKeyring, "-c", layout.conf);
  spawnDaemon(layout, DAEMONS[0]);

  const osdUuid = randomUUID();
  tool("ceph", "--connect-timeout", "30", "osd", "new", osdUuid);
  tool("ceph-osd", "-i", "0", "--mkfs", "--mkkey", "--no-mon-config", "--osd-uuid", osdUuid, "-c", layout.conf);
  tool("ceph", "auth", "add", "osd.0", "osd", "allow *", "mon", "allow profile osd", "mgr", "allow profile osd",
    "-i", path.join(layout.osdData, "keyring"));
  spawnDaemon(layout, DAEMONS[1]);
  tool("ceph", "auth", "get-or-create", "client.rgw.kit", "mon", "allow rw", "osd", "allow rwx", "mgr", "allow rw", "-o", layout.rgwKeyring);
  return settings;
}

/**
 * Creates the S3 users with keys radosgw-admin generates itself and prints on stdout (a key passed
 * with --secret would be visible to every user of the machine in `ps`); stored 0600. A user a
 * start killed half-way already made is read back instead.
 */
export function createS3Users(layout: CephLayout): ClusterCredentials {
  const user = (uid: string, name: string): S3Credentials => {
    let answer: string;
    try {
      answer = cephTool(layout, "radosgw-admin", ["user", "info", `--uid=${uid}`]);
    } catch {
      answer = cephTool(layout, "radosgw-admin", ["user", "create", `--uid=${uid}`, `--display-name=${name}`]);
    }
    const [key] = (JSON.parse(answer) as { keys: { access_key: string; secret_key: string }[] }).keys;
    if (!key) throw new Error(`radosgw-admin made no key for ${uid}`);
    return { accessKeyId: key.access_key, secretAccessKey: key.secret_key };
  };
  const credentials = { kit: user("kit", "s3kit learner"), other: user("other", "another user, for lessons on permissions") };
  writeJson(layout.credentials, credentials, true);
  return credentials;
}

export const newSettings = (ports: Omit<ClusterSettings, "fsid">): ClusterSettings => ({ fsid: randomUUID(), ...ports });
