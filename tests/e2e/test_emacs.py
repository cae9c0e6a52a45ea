"""The Emacs package (editors/emacs/precis.el) against the real binary: runs its
ERT suite in emacs --batch with the fake model server and the page server, and
reports each ERT test as one test here."""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib"))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pages"))
from harness import BIN, REPO, FakeOpenAI, run_tests  # noqa: E402
from pagekit import Server  # noqa: E402

EMACS_DIR = os.path.join(REPO, "editors", "emacs")
EMACS = shutil.which(os.environ.get("EMACS", "emacs"))
SUITE_TIMEOUT = 150

RESULTS = {}   # ERT test name -> "passed" | "FAILED" | "skipped"
OUTPUT = ""
EXIT = None


def run_suite():
    """Runs the whole ERT suite once; fills RESULTS, OUTPUT and EXIT."""
    global OUTPUT, EXIT
    fake = FakeOpenAI(lifetime=SUITE_TIMEOUT + 30)
    pages = Server()
    home = tempfile.mkdtemp(prefix="precis-emacs-test-")
    try:
        env = dict(os.environ)
        for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_PROFILE",
                  "PRECIS_CONFIG", "NO_COLOR", "http_proxy", "https_proxy", "HTTP_PROXY",
                  "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"):
            env.pop(k, None)
        for sub in ("cache", "config", "home"):
            os.makedirs(os.path.join(home, sub))
        env.update({
            "XDG_CACHE_HOME": os.path.join(home, "cache"),
            "XDG_CONFIG_HOME": os.path.join(home, "config"),
            "HOME": os.path.join(home, "home"),
            "PRECIS_TEST_BIN": os.path.abspath(BIN),
            "PRECIS_TEST_OPENAI": fake.url,
            "PRECIS_TEST_PAGES": pages.base,
        })
        cmd = [EMACS, "--batch", "-Q", "-L", EMACS_DIR, "-l", "precis-tests.el",
               "-f", "ert-run-tests-batch-and-exit"]
        try:
            p = subprocess.run(cmd, cwd=EMACS_DIR, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, timeout=SUITE_TIMEOUT)
            OUTPUT = (p.stdout + p.stderr).decode("utf-8", "replace")
            EXIT = p.returncode
        except subprocess.TimeoutExpired as e:
            OUTPUT = ((e.stdout or b"") + (e.stderr or b"")).decode("utf-8", "replace")
            OUTPUT += "\n[the ERT suite did not finish within %d s]\n" % SUITE_TIMEOUT
            EXIT = "timeout"
    finally:
        fake.stop()
        pages.stop()
        shutil.rmtree(home, ignore_errors=True)
    for m in re.finditer(r"^\s+(passed|FAILED|skipped)\s+\d+/\d+\s+(\S+)", OUTPUT, re.M):
        RESULTS[m.group(2)] = m.group(1)
    ran = re.search(r"^Ran \d+ tests?.*$", OUTPUT, re.M)
    print("%s: %s" % (subprocess.run([EMACS, "--version"], capture_output=True, text=True)
                                .stdout.split("\n")[0], ran.group(0) if ran else "did not finish"))


def ert_case(name):
    def check():
        status = RESULTS.get(name)
        if status == "FAILED":
            # ERT prints each failure's details before its status line.
            raise AssertionError("ERT test %s failed:\n%s" % (name, details(name)))
        assert status in ("passed", "skipped"), (name, status)
        if status == "skipped":
            print("note: %s skipped" % name)
    check.__name__ = "test_" + name.replace("-", "_")
    return check


def details(name):
    """Returns the part of the ERT output about test NAME."""
    start = OUTPUT.find("Test %s backtrace:" % name)
    if start < 0:
        start = OUTPUT.find("Test %s condition:" % name)
    end = OUTPUT.find("FAILED", start)
    end = OUTPUT.find("\n", end) if end >= 0 else len(OUTPUT)
    return OUTPUT[start:end] if start >= 0 else OUTPUT[-4000:]


def test_emacs_is_installed():
    assert EMACS, "emacs not found on PATH: install emacs-nox (Debian) to test editors/emacs"


def test_ert_suite_ran_and_exited_zero():
    assert EMACS, "emacs not found"
    assert RESULTS, "no ERT results; output:\n%s" % OUTPUT[-4000:]
    counts = re.search(r"^Ran (\d+) tests?, (\d+) results? as expected", OUTPUT, re.M)
    assert counts and int(counts.group(1)) == len(RESULTS), OUTPUT[-4000:]
    assert EXIT == 0, "ERT exit %r:\n%s" % (EXIT, OUTPUT[-4000:])


if EMACS:
    run_suite()
    for _name in RESULTS:
        globals()["test_" + _name.replace("-", "_")] = ert_case(_name)

if __name__ == "__main__":
    run_tests(globals())
