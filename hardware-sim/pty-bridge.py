#!/usr/bin/env python3
"""A virtual null-modem cable for one serial device of the hardware simulator.

Pty A is the port the edge agent opens (like /dev/ttyUSB0). Pty B is an injection port a person can
write into (printf 'CODE\\r\\n' > B). This process's stdin/stdout is the device emulator's side.
Bytes from stdin and from B go to A; bytes the agent writes on A go to stdout and to B.
Both slaves are raw (no echo, no CR/LF translation) and stay open here, so the masters never see
EIO while nobody has the port open. Ready info is one JSON line on stderr (stdout carries data).
"""
import errno, fcntl, json, os, pty, select, signal, sys, tty

def arg(name):
    return sys.argv[sys.argv.index(name) + 1] if name in sys.argv else None

def make_link(target, link):
    if not link:
        return
    try:
        os.unlink(link)
    except FileNotFoundError:
        pass
    os.symlink(target, link)

def main():
    agent_link, inject_link = arg('--agent-link'), arg('--inject-link')
    master_a, slave_a = pty.openpty()
    master_b, slave_b = pty.openpty()
    for fd in (slave_a, slave_b):
        tty.setraw(fd)
    agent_path, inject_path = os.ttyname(slave_a), os.ttyname(slave_b)
    make_link(agent_path, agent_link)
    make_link(inject_path, inject_link)
    for fd in (master_a, master_b):
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) | os.O_NONBLOCK)

    def cleanup(*_):
        for link in (agent_link, inject_link):
            if link and os.path.islink(link):
                os.unlink(link)
        os._exit(0)

    signal.signal(signal.SIGTERM, cleanup)
    signal.signal(signal.SIGINT, cleanup)
    sys.stderr.write(json.dumps({'ready': True, 'agentPath': agent_path, 'injectPath': inject_path}) + '\n')
    sys.stderr.flush()

    stdin, stdout = sys.stdin.fileno(), sys.stdout.fileno()
    # Bytes waiting for the agent's side while it is not reading. Past `limit` the bridge stops
    # reading its sources, so writers block (backpressure) rather than lose bytes.
    to_agent, to_inject = bytearray(), bytearray()
    limit = 1 << 20
    while True:
        writers = ([master_a] if to_agent else []) + ([master_b] if to_inject else [])
        # Flow control: stop taking device bytes while the agent is behind, instead of dropping.
        sources = [stdin, master_b] if len(to_agent) < limit else []
        readable, writable, _ = select.select(sources + [master_a], writers, [])
        if stdin in readable:
            data = os.read(stdin, 65536)
            if not data:
                cleanup()
            to_agent.extend(data)
        if master_b in readable:
            try:
                to_agent.extend(os.read(master_b, 65536))
            except OSError as e:
                if e.errno not in (errno.EIO, errno.EAGAIN):
                    raise
        if master_a in readable:
            try:
                data = os.read(master_a, 65536)
                os.write(stdout, data)
                to_inject.extend(data)
            except OSError as e:
                if e.errno not in (errno.EIO, errno.EAGAIN):
                    raise
        for fd, buf in ((master_a, to_agent), (master_b, to_inject)):
            if buf and fd in writable:
                try:
                    written = os.write(fd, bytes(buf[:4096]))
                    del buf[:written]
                except OSError as e:
                    if e.errno not in (errno.EAGAIN, errno.EIO):
                        raise
        # Nobody reads the injection side's echo of the agent's writes unless someone listens there.
        if len(to_inject) > 65536:
            del to_inject[:-65536]

if __name__ == '__main__':
    main()
