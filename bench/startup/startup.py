#!/usr/bin/env python3
"""Whole-process start-up of iamlab as a person meets it, against a bare
Bubble Tea v2 program in the same run: each binary is started on a
pseudo-terminal (120x40 unless --size says otherwise), the time until the
home screen's first frame arrives is noted, q is pressed. Runs alternate
between the two binaries so both see the same machine load; the medians
and their ratio are printed last, with the CPU time and the page faults
each whole run took (less sensitive to a busy machine than the wall-clock
figure; on a VM, where a first touch of a page can cost tens of
microseconds, the faults are much of the start-up) and the load average,
since a loaded machine stretches the larger binary more. README.md says
where iamlab's time goes.

    go build -o /tmp/iamlab ./cmd/iamlab && go build -o /tmp/bare ./bench/startup/bare
    python3 bench/startup/startup.py /tmp/iamlab /tmp/bare [--runs 15] [--size 120x40]

The data directory is a fresh temporary one, opened once before timing so
that the timed runs see an existing store, as a returning learner does.
"""
import argparse, fcntl, os, pty, select, statistics, struct, sys, tempfile, termios, time

MARK = b'Spaced'  # the Review entry of iamlab's home screen; the bare program prints it too


def first_frame(argv, cols, rows, env=os.environ):
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', rows, cols, 0, 0))
    buf, first = b'', None
    deadline = t0 + 10
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            if first is not None:
                break
            continue
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        buf += data
        if first is None and MARK in buf:
            first = time.monotonic() - t0
            os.write(fd, b'q')
    _, _, ru = os.wait4(pid, 0)
    os.close(fd)
    return first, (ru.ru_utime + ru.ru_stime) * 1000, ru.ru_minflt + ru.ru_majflt


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('iamlab', nargs='?', default='/tmp/iamlab')
    ap.add_argument('bare', nargs='?', default='/tmp/bare')
    ap.add_argument('--runs', type=int, default=15)
    ap.add_argument('--size', default='120x40')
    a = ap.parse_args()
    cols, rows = (int(x) for x in a.size.split('x'))
    with tempfile.TemporaryDirectory() as d:
        iamlab = [a.iamlab, '--data-dir', d]
        env = dict(os.environ, XDG_CONFIG_HOME=d)  # no material of the learner's own
        first_frame(iamlab, cols, rows, env)  # create the store
        times = {'iamlab': [], 'bare': []}
        cpu = {'iamlab': [], 'bare': []}
        faults = {'iamlab': [], 'bare': []}
        for _ in range(a.runs):
            for name, argv in (('bare', [a.bare]), ('iamlab', iamlab)):
                t, c, f = first_frame(argv, cols, rows, env)
                if t is None:
                    sys.exit(f'{name}: no first frame within 10 s')
                times[name].append(t * 1000)
                cpu[name].append(c)
                faults[name].append(f)
    for name, ts in times.items():
        print(f"{name:7s} first frame: median {statistics.median(ts):6.1f} ms  "
              f"(min {min(ts):.1f}, max {max(ts):.1f}, {len(ts)} runs); "
              f"whole run (to q): CPU {statistics.median(cpu[name]):.1f} ms, "
              f"{statistics.median(faults[name]):.0f} page faults (medians)")
    ratio = statistics.median(times['iamlab']) / statistics.median(times['bare'])
    print(f"iamlab / bare: {ratio:.2f}x at {cols}x{rows} (load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == '__main__':
    main()
