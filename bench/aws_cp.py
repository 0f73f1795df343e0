# Runs `aws s3 cp` for anchors.bench.ts and reports its wall time and peak RSS (this wrapper's
# own start is left out of both): argv = the CLI's path, then the scenario as JSON. The CLI's peak
# RSS is getrusage's for children, which starts at this small wrapper's RSS (see peak-rss.mjs).
import json, resource, subprocess, sys, time

cli, args = sys.argv[1], json.loads(sys.argv[2])
remote = f"s3://{args['bucket']}/{args['key']}"
source, target = (args["file"], remote) if args["scenario"] == "upload" else (remote, args["file"])
started = time.perf_counter()
subprocess.run([cli, "--endpoint-url", args["endpoint"], "s3", "cp", "--only-show-errors", source, target], check=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"seconds": seconds, "peakRssMb": usage.ru_maxrss / 1024, "cpuSeconds": usage.ru_utime + usage.ru_stime}))
