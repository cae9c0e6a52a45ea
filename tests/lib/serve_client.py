"""Drives a real `precis serve` process over pipes: send JSON-RPC lines, read replies
with deadlines (a reader thread queues every stdout line, parsed)."""
import json
import os
import queue
import subprocess
import tempfile
import threading
import time

from harness import BIN


def clean_env(extra=None):
    e = dict(os.environ)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE", "PRECIS_INDEX",
              "NO_COLOR", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        e.pop(k, None)
    e["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="precis-cache-")
    e["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="precis-config-")
    e["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="precis-data-")
    e["PRECIS_RETRY_BASE_MS"] = "10"
    e.update(extra or {})
    return e


class Serve:
    """One `precis serve` process. Every stdout line must be a JSON-RPC 2.0 message."""

    def __init__(self, args=(), env=None):
        self.proc = subprocess.Popen([BIN, "serve"] + list(args), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=clean_env(env))
        self.lines = queue.Queue()
        self.raw = []
        self.stderr = b""
        self.next_id = 1000
        self.stash = {}   # replies read while waiting for another id
        self.pending_notes = {}
        self.readers = [threading.Thread(target=self._read, daemon=True),
                        threading.Thread(target=self._read_err, daemon=True)]
        for t in self.readers:
            t.start()

    def _read(self):
        try:
            for line in self.proc.stdout:
                self._line(line)
        except ValueError:  # the test closed our end of stdout
            pass
        self.lines.put((time.monotonic(), None))

    def _line(self, line):
        if True:
            self.raw.append(line)
            try:
                msg = json.loads(line)
            except ValueError:
                msg = {"__not_json__": line}
            self.lines.put((time.monotonic(), msg))

    def _read_err(self):
        self.stderr = self.proc.stderr.read()

    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, method, params=None, id=None, notify=False):
        msg = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        if not notify:
            if id is None:
                self.next_id += 1
                id = self.next_id
            msg["id"] = id
        self.send_raw(json.dumps(msg) + "\n")
        return id

    def get(self, timeout=20):
        """Next message (time, msg); msg is None at EOF."""
        t, msg = self.lines.get(timeout=timeout)
        assert msg is None or "__not_json__" not in msg, "non-protocol line: %r" % msg
        return t, msg

    def until_reply(self, id, timeout=30):
        """Collects messages until the reply to id; returns (reply, notifications for id,
        other messages)."""
        if id in self.stash:
            return self.stash.pop(id), self.pending_notes.pop(id, []), []
        mine, others = self.pending_notes.pop(id, []), []
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            assert left > 0, "no reply to %r in %s s" % (id, timeout)
            _, msg = self.get(left)
            assert msg is not None, "EOF before the reply to %r" % id
            if msg.get("id") == id and ("result" in msg or "error" in msg):
                return msg, mine, others
            if msg.get("params", {}).get("id") == id:
                mine.append(msg)
            else:
                others.append(msg)
                if "id" in msg and ("result" in msg or "error" in msg):
                    self.stash[msg["id"]] = msg
                elif isinstance(msg.get("params"), dict) and "id" in msg["params"]:
                    self.pending_notes.setdefault(msg["params"]["id"], []).append(msg)

    def call(self, method, params=None, timeout=30):
        id = self.send(method, params)
        return self.until_reply(id, timeout)

    def close_stdin(self):
        self.proc.stdin.close()

    def wait(self, timeout=30):
        """Waits for the process to exit and for its output to be read to the end
        (so that self.stderr and self.raw are complete)."""
        rc = self.proc.wait(timeout=timeout)
        for t in self.readers:
            t.join(timeout=10)
        return rc

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def text_of(notes):
    return "".join(n["params"]["text"] for n in notes if n["method"] == "delta")
