# A process's own peak resident memory in MiB, for the Python scenarios of the benches: /proc's
# VmHWM, not getrusage's ru_maxrss, which on Linux starts at the parent's RSS when the process was
# forked (see peak-rss.mjs).
import resource


def peak_rss_mib():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
