import type { CephLayout, ClusterSettings } from "./layout";
import { OSD_PORT_COUNT } from "./layout";

/**
 * ceph.conf for a one-node cluster in one folder: one monitor, one OSD on a file-backed BlueStore
 * (it survives kill -9; memstore loses data), one RADOS Gateway, all on 127.0.0.1 with cephx.
 * Logging is kept low and in the folder; start truncates the logs, so they stay bounded.
 * `rgw crypt require ssl = false`: RGW refuses SSE-C (customer keys) over plain HTTP by default,
 * as AWS does; the gateway listens on 127.0.0.1 only, so the key never leaves the machine, and
 * lesson 11 can show SSE-C for real.
 * `rgw lc max worker = 1`: in its daily work time (00:00-06:00 by default) RGW runs lifecycle
 * workers that compete for the same shard locks, and the loser sleeps 5 s, deaf to SIGTERM, before
 * trying again; with several, a stop in those hours waited for that sleep. One is plenty here.
 * `rgw gc ... = 10`: the data of an overwritten or deleted object is freed by RGW's garbage
 * collector, by default two hours later; on this 10 GiB store about 9 GiB of overwrites then filled
 * it, and a full Ceph pauses every write without an answer (with 30 s, overwrites at full speed
 * still outran it). Freed after 10-20 s instead: a GET of the old data still streaming after 10 s
 * can fail, which a local store can afford (the kit's ranged downloads fail on a replaced object
 * anyway, by If-Match).
 */
export function cephConf(layout: CephLayout, settings: ClusterSettings): string {
  const { dir } = layout;
  return `[global]
fsid = ${settings.fsid}
mon host = [v2:127.0.0.1:${settings.monPort}]
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr1 = false
ms bind port min = ${settings.osdPortMin}
ms bind port max = ${settings.osdPortMin + OSD_PORT_COUNT - 1}
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
keyring = ${layout.adminKeyring}
run dir = ${layout.run}
crash dir = ${dir}/crash
log file = ${layout.log}/$name.log
admin socket = ${layout.run}/$name.asok
log to stderr = false
err to stderr = false
log max recent = 100
debug ms = 0
debug monc = 0
mon cluster log to file = false
mon cluster log file = ${layout.log}/cluster.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
mon max pg per osd = 1000
mon data avail warn = 2
mon data avail crit = 1

[mon]
mon data = ${layout.monData}
mon allow pool delete = true
paxos propose interval = 0.1
debug mon = 0
debug paxos = 0

[osd]
osd data = ${layout.osdData}
keyring = ${layout.osdData}/keyring
osd objectstore = bluestore
bluestore block create = true
bluestore fsck on mkfs = false
bluestore block size = 10737418240
osd memory target = 1073741824
debug osd = 0
debug bluestore = 0
debug rocksdb = 0

[client.rgw.kit]
keyring = ${layout.rgwKeyring}
rgw frontends = beast endpoint=127.0.0.1:${settings.rgwPort}
rgw data = ${dir}/rgw
rgw crypt require ssl = false
rgw thread pool size = 64
rgw lc max worker = 1
rgw gc obj min wait = 10
rgw gc processor period = 10
rgw gc processor max time = 10
rgw enable static website = true
debug rgw = 0
`;
}
