import path from "node:path";

/** Where one kit home's Ceph cluster keeps everything: `<S3KIT_HOME>/ceph`. */
export function cephLayout(stateDir: string) {
  return {
    dir: stateDir,
    conf: path.join(stateDir, "ceph.conf"),
    cluster: path.join(stateDir, "cluster.json"),
    credentials: path.join(stateDir, "credentials.json"),
    adminKeyring: path.join(stateDir, "keyring"),
    rgwKeyring: path.join(stateDir, "rgw.keyring"),
    monData: path.join(stateDir, "mon.a"),
    osdData: path.join(stateDir, "osd.0"),
    run: path.join(stateDir, "run"),
    log: path.join(stateDir, "log"),
  };
}
export type CephLayout = ReturnType<typeof cephLayout>;

/** What init chose once and every start reuses: the cluster's id and its ports on 127.0.0.1. */
export interface ClusterSettings {
  fsid: string;
  monPort: number;
  /** First of OSD_PORT_COUNT ports the OSD's messengers bind. */
  osdPortMin: number;
  rgwPort: number;
}
export const OSD_PORT_COUNT = 10;

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The S3 users init creates: the learner's, and a second one for lessons on permissions. */
export interface ClusterCredentials {
  kit: S3Credentials;
  other: S3Credentials;
}
