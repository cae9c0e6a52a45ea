"""The Vim/Neovim plugin (editors/vim) in the real editors, against `precis serve`.

Runs editors/vim/test/test_precis.vim headless in Vim (vim -Nu NONE -es) and in
Neovim (nvim --headless -u NONE), each talking to the real binary, the fake model
server and the local page server. The script writes one "PASS name" / "FAIL name:
why" line per case to a results file; every case becomes one test here per editor.
Answers are compared with what the command line prints for the same page.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BIN, REPO, FakeOpenAI, run, run_tests, text  # noqa: E402

PLUGIN = os.path.join(REPO, "editors", "vim")
SCRIPT = os.path.join(PLUGIN, "test", "test_precis.vim")
EDITORS = {
    "vim": ["vim", "-Nu", "NONE", "-i", "NONE", "-es", "-S", SCRIPT],
    "nvim": ["nvim", "--headless", "-u", "NONE", "-i", "NONE", "-S", SCRIPT],
}
EDITOR_TIMEOUT = 75
CASES = re.findall(r"^function! s:t_(\w+)\(\)", open(SCRIPT, encoding="utf-8").read(), re.M)


class Pages:
    """tests/pages/server.py on an ephemeral port; it exits when its stdin closes."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.join(REPO, "tests", "pages", "server.py"), "--lifetime", "240"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline().split()[1])
        self.base = "http://127.0.0.1:%d" % self.port


FAKE = FakeOpenAI()
PAGES = Pages()
URL = PAGES.base + "/html"
WORK = tempfile.mkdtemp(prefix="precis-vim-")
EXPECT = os.path.join(WORK, "expect")
RESULTS = {}  # editor -> {"cases": {name: (ok, why)}, "rc": int, "ended": bool, "out": str}


def editor_env(name):
    e = dict(os.environ)
    for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE", "PRECIS_CONFIG",
              "NO_COLOR", "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "VIMINIT",
              "EXINIT", "MYVIMRC", "NVIM_LISTEN_ADDRESS", "NVIM", "VIMRUNTIME"):
        e.pop(k, None)
    home = os.path.join(WORK, name)
    for sub in ("cache", "config", "data", "state", "home"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    e.update({
        "HOME": os.path.join(home, "home"),
        "XDG_CACHE_HOME": os.path.join(home, "cache"),
        "XDG_CONFIG_HOME": os.path.join(home, "config"),
        "XDG_DATA_HOME": os.path.join(home, "data"),
        "XDG_STATE_HOME": os.path.join(home, "state"),
        "PRECIS_RETRY_BASE_MS": "10",
        "PRECIS_TEST_BIN": os.path.abspath(BIN),
        "PRECIS_TEST_MODEL": FAKE.url,
        "PRECIS_TEST_PAGES": PAGES.base,
        "PRECIS_TEST_EXPECT": EXPECT,
        "PRECIS_TEST_RESULTS": os.path.join(home, "results.txt"),
    })
    return e


def write_expectations():
    """What the command line answers for the same page, for the scripts to compare with."""
    os.makedirs(EXPECT, exist_ok=True)

    def put(name, data):
        with open(os.path.join(EXPECT, name), "wb") as f:
            f.write(data)

    p = run([URL])
    assert p.returncode == 0, text(p.stderr)
    put("offline.txt", p.stdout)
    p = run(["-m", "echo", URL], env={"OPENAI_BASE_URL": FAKE.url})
    assert p.returncode == 0, text(p.stderr)
    out = p.stdout[:-1] if p.stdout.endswith(b"\n") else p.stdout
    put("echo.txt", out + b"\n")
    p = run(["extract", URL])
    assert p.returncode == 0, text(p.stderr)
    put("extract.md", p.stdout)
    with urllib.request.urlopen(URL, timeout=10) as r:
        html = r.read()
    put("page.html", html)
    p = run(["extract", "-"], stdin=html)
    assert p.returncode == 0, text(p.stderr)
    put("extract-stdin.md", p.stdout)


def run_editor(name):
    """Runs the test script in one editor once; returns its parsed results."""
    if name in RESULTS:
        return RESULTS[name]
    res = {"cases": {}, "rc": None, "ended": False, "out": "", "missing": False}
    RESULTS[name] = res
    cmd = EDITORS[name]
    if shutil.which(cmd[0]) is None:
        res["missing"] = True
        return res
    if not os.path.isdir(EXPECT):
        write_expectations()
    env = editor_env(name)
    t0 = time.time()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, env=env,
                           timeout=EDITOR_TIMEOUT, cwd=WORK)
        res["rc"] = p.returncode
        res["out"] = text(p.stdout)[-2000:] + text(p.stderr)[-2000:]
    except subprocess.TimeoutExpired as e:
        res["rc"] = "timeout after %d s" % EDITOR_TIMEOUT
        res["out"] = text(e.stdout or b"")[-2000:] + text(e.stderr or b"")[-2000:]
    res["seconds"] = time.time() - t0
    path = env["PRECIS_TEST_RESULTS"]
    lines = open(path, encoding="utf-8").read().splitlines() if os.path.exists(path) else []
    for line in lines:
        if line == "END":
            res["ended"] = True
            continue
        m = re.match(r"(PASS|FAIL) (\w+)(.*)", line)
        if m:
            res["cases"][m.group(2)] = (m.group(1) == "PASS", m.group(3).lstrip(": "))
    print("%s: %d/%d cases passed in %.1f s" % (
        name, sum(1 for ok, _ in res["cases"].values() if ok), len(CASES), res["seconds"]))
    return res


def check_case(editor, case):
    res = run_editor(editor)
    if res["missing"]:
        raise AssertionError("%s is not installed (CI installs vim-nox and neovim)" % EDITORS[editor][0])
    if case not in res["cases"]:
        raise AssertionError("%s did not report %s (exit %r, ended=%s): %s" % (
            editor, case, res["rc"], res["ended"], res["out"]))
    ok, why = res["cases"][case]
    assert ok, "%s: %s" % (editor, why)


def test_editors_installed():
    missing = [cmd[0] for cmd in EDITORS.values() if shutil.which(cmd[0]) is None]
    assert not missing, "not installed: %s (CI installs vim-nox and neovim)" % ", ".join(missing)


def _make(editor, case):
    return lambda: check_case(editor, case)


for _editor in EDITORS:
    for _case in CASES:
        globals()["test_%s_%s" % (_editor, _case)] = _make(_editor, _case)

    def _clean(editor=_editor):
        res = run_editor(editor)
        if res["missing"]:
            raise AssertionError("%s is not installed" % editor)
        assert res["ended"] and res["rc"] == 0, "%s: exit %r, ended=%s: %s" % (
            editor, res["rc"], res["ended"], res["out"])
    globals()["test_%s_ran_to_the_end" % _editor] = _clean


def user_messages():
    out = []
    for r in FAKE.requests():
        body = r.get("body") or {}
        for m in body.get("messages") or []:
            if m.get("role") == "user" and isinstance(m.get("content"), str):
                out.append(m["content"])
    return out


def test_requests_carried_the_question_and_the_text():
    for editor in EDITORS:
        if RESULTS.get(editor, {}).get("missing", True):
            raise AssertionError("%s did not run" % editor)
    msgs = user_messages()
    for editor in EDITORS:
        q = [m for m in msgs if "What was approved (%s)?" % editor in m]
        assert q and "bridge budget" in q[0], "%s: no ask request with the page: %r" % (editor, q[:1])
        q = [m for m in msgs if "What is the code (%s)?" % editor in m]
        assert q and "%s-zebra-42" % editor in q[0], "%s: no ask request with the buffer" % editor
        region = [m for m in msgs if "%s-bravo-two" % editor in m]
        assert any("%s-delta-four" % editor in m and "%s-alpha-one" % editor not in m
                   and "%s-echo-five" % editor not in m for m in region), \
            "%s: no request with just lines 2-4: %r" % (editor, region)
        assert any("%s-alpha-one" % editor in m and "%s-echo-five" % editor in m for m in region), \
            "%s: no request with the whole buffer" % editor


if __name__ == "__main__":
    try:
        run_tests(globals())
    finally:
        FAKE.stop()
        PAGES.proc.stdin.close()
        PAGES.proc.wait(timeout=5)
        shutil.rmtree(WORK, ignore_errors=True)
