#!/usr/bin/env python3
"""Whole-process start-up of iamlab as a person meets it: run the binary on a
pseudo-terminal of 80x24 under /usr/bin/time, note when the home screen's
first frame arrives, press q, and report both times.

    go build -o /tmp/iamlab ./cmd/iamlab && python3 bench/startup/startup.py /tmp/iamlab
"""
import fcntl, os, pty, select, struct, sys, tempfile, termios, time

def run(binary, data_dir):
    t0 = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv('/usr/bin/time', ['/usr/bin/time', '-f', '%e s elapsed, %M KB max RSS',
                                   binary, '--data-dir', data_dir])
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', 24, 80, 0, 0))
    buf, first = b'', None
    while True:
        ready, _, _ = select.select([fd], [], [], 5)
        if not ready:
            break
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        buf += data
        if first is None and b'Spaced' in buf:  # the Review entry of the home screen
            first = time.monotonic() - t0
            os.write(fd, b'q')
    os.waitpid(pid, 0)
    tail = buf[-200:].decode('utf8', 'replace')
    timing = [l.split('\x07')[-1] for l in tail.splitlines() if 'elapsed' in l]
    return first, timing

if __name__ == '__main__':
    binary = sys.argv[1] if len(sys.argv) > 1 else '/tmp/iamlab'
    with tempfile.TemporaryDirectory() as d:
        for _ in range(5):
            first, timing = run(binary, d)
            print(f"first home frame after {first * 1000:.0f} ms; whole run {timing}")
