"""A QEMU running a Fluid image, driven over its serial console (COM1 on
stdin/stdout of qemu/fluid-qemu.sh) from Python: the helper of the
power-cut, tier-soak and memory-pressure tests. Every wait has a timeout."""
import os
import subprocess
import threading
import time

PROMPT = "fluid> "


class Qemu:
    def __init__(self, root, image, smp=1, mem=1024, snapshot=False, log=None):
        args = ["/bin/bash", os.path.join(root, "qemu", "fluid-qemu.sh"), "--image", image, "--serial", "stdio",
                "--smp", str(smp), "--mem", str(mem)]
        if snapshot:
            args.append("--snapshot")
        self.output = ""
        self.cursor = 0
        self._lock = threading.Lock()
        if log:
            os.makedirs(os.path.dirname(os.path.abspath(log)), exist_ok=True)
        self._log = open(log, "a") if log else None
        self.process = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        while True:
            chunk = self.process.stdout.read1(4096)
            if not chunk:
                return
            text = chunk.decode("utf-8", "replace")
            with self._lock:
                self.output += text
            if self._log:
                self._log.write(text)
                self._log.flush()

    def wait_for(self, needle, timeout):
        """Waits until `needle` appears after the cursor; moves the cursor past it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                at = self.output.find(needle, self.cursor)
                if at >= 0:
                    found = self.output[self.cursor:at]
                    self.cursor = at + len(needle)
                    return found
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        return None

    def send(self, line):
        self.process.stdin.write((line + "\r").encode())
        self.process.stdin.flush()

    def command(self, line, timeout=120):
        """Sends `line`, returns what the guest printed before the next prompt (None on timeout)."""
        with self._lock:
            self.cursor = len(self.output)
        self.send(line)
        return self.wait_for(PROMPT, timeout)

    def boot(self, timeout=180):
        return self.wait_for(PROMPT, timeout) is not None

    def kill(self):
        """The power cut: SIGKILL to QEMU (fluid-qemu.sh execs it), no chance to flush anything."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, 9)
        self.process.wait(timeout=30)
        self._reader.join(timeout=5)

    def quit(self):
        if self.process.poll() is None:
            try:
                self.send("poweroff")
                self.process.wait(timeout=30)
            except (subprocess.TimeoutExpired, BrokenPipeError):
                pass
        self.kill()
