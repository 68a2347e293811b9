"""Runs a command on a new pseudo-terminal (80x24) and relays bytes: our
standard input to the terminal, the terminal's output to our standard output.
Exits with the command's exit status. Used by tests/repl_pty.rs."""
import fcntl, os, pty, select, struct, sys, termios

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
inputs = [0, fd]
while True:
    try:
        ready, _, _ = select.select(inputs, [], [], 0.1)
    except InterruptedError:
        continue
    if 0 in ready:
        data = os.read(0, 4096)
        if data:
            os.write(fd, data)
        else:
            inputs.remove(0)
    if fd in ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            data = b""
        if not data:
            break
        os.write(1, data)
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status))
