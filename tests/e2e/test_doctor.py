"""precis doctor against a fake model server: all well, model missing, endpoint down,
bad key, unwritable cache, broken config, no model at all, the terminal line."""
import os
import pty
import socket
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BIN, FakeOpenAI, run, run_tests, text  # noqa: E402

FAKE = FakeOpenAI(lifetime=120)


def doctor(env=None, args=()):
    p = run(["doctor"] + list(args), env=env)
    return p.returncode, text(p.stdout), text(p.stderr)


def line(out, verdict, topic):
    """The first report line with this verdict and topic, or None."""
    for l in out.splitlines():
        if l.startswith("%-4s  %-10s " % (verdict, topic)):
            return l
    return None


def model_env(model="fake-model", **extra):
    env = {"OPENAI_BASE_URL": FAKE.url, "PRECIS_MODEL": model}
    env.update(extra)
    return env


def test_all_well():
    rc, out, err = doctor(model_env())
    assert rc == 0, out + err
    ep = line(out, "ok", "endpoint")
    assert ep and FAKE.url in ep and "2 models in" in ep and " ms" in ep, out
    assert line(out, "ok", "model") and "fake-model is served there" in out, out
    assert "base_url = %s  (env OPENAI_BASE_URL)" % FAKE.url in out, out
    assert "model = fake-model  (env PRECIS_MODEL)" in out, out
    for topic in ("config", "tls", "cache", "data", "prompts", "terminal"):
        assert line(out, "ok", topic), (topic, out)
    assert "FAIL" not in out and out.rstrip().endswith(("all is well",
                                                       "(the warn lines are optional extras)"))


def test_ollama_tag_is_implied():
    rc, out, _ = doctor(model_env("llama3"))
    assert rc == 0, out
    assert "llama3 is served there (as llama3:latest)" in out, out


def test_model_missing():
    rc, out, _ = doctor(model_env("gpt-9"))
    assert rc == 1, out
    bad = line(out, "FAIL", "model")
    assert bad and "gpt-9 is not served there" in bad, out
    assert "fake-model, llama3:latest" in bad and "PRECIS_MODEL" in bad, bad
    assert line(out, "ok", "endpoint"), out
    assert "1 problem: the FAIL line above says what to do" in out, out


def test_endpoint_down():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    rc, out, _ = doctor({"OPENAI_BASE_URL": "http://127.0.0.1:%d/v1" % port,
                         "PRECIS_MODEL": "fake-model"})
    assert rc == 1, out
    bad = line(out, "FAIL", "endpoint")
    assert bad and str(port) in bad and "ms)" in bad, out
    assert "not checked, the endpoint did not list its models" in out, out


def test_bad_key_is_redacted():
    key = "sk-bad-key-0123456789abcdefXYZ"
    rc, out, err = doctor(model_env(OPENAI_API_KEY=key))
    assert rc == 1, out
    assert line(out, "FAIL", "endpoint") and "401" in out, out
    assert key not in out + err
    assert "sk-\u2026XYZ" in out, out


def test_unwritable_cache_dir():
    root = tempfile.mkdtemp(prefix="precis-doctor-")
    plain = os.path.join(root, "plain")
    open(plain, "w").close()  # a file where a directory must go: fails even for root
    rc, out, _ = doctor({"XDG_CACHE_HOME": os.path.join(plain, "cache")})
    assert rc == 1, out
    bad = line(out, "FAIL", "cache")
    assert bad and "cannot be created" in bad and plain in bad, out
    if os.geteuid() != 0:  # permissions bind only when not root
        ro = os.path.join(root, "ro")
        os.makedirs(os.path.join(ro, "precis", "http"))
        os.chmod(os.path.join(ro, "precis", "http"), 0o500)
        rc, out, _ = doctor({"XDG_CACHE_HOME": ro})
        assert rc == 1 and "is not writable" in (line(out, "FAIL", "cache") or ""), out


def test_no_model_is_not_a_failure():
    rc, out, _ = doctor()
    assert rc == 0, out
    ok = line(out, "ok", "model")
    assert ok and "offline summarizer is in use" in ok, out
    assert not line(out, "ok", "endpoint")


def test_broken_config():
    d = tempfile.mkdtemp(prefix="precis-doctor-")
    path = os.path.join(d, "config")
    with open(path, "w") as f:
        f.write("[profile local]\nmodle = x\n")
    rc, out, _ = doctor({"PRECIS_CONFIG": path})
    assert rc == 1, out
    bad = line(out, "FAIL", "config")
    assert bad and "unknown key 'modle'" in bad, out
    assert line(out, "ok", "prompts"), out  # the other checks still run


def test_profile_and_its_sources():
    d = tempfile.mkdtemp(prefix="precis-doctor-")
    path = os.path.join(d, "config")
    with open(path, "w") as f:
        f.write("[profile local]\nbase_url = %s\nmodel = fake-model\n" % FAKE.url)
    rc, out, _ = doctor({"PRECIS_CONFIG": path}, ["--profile", "local"])
    assert rc == 0, out
    assert line(out, "ok", "config") and ("read %s" % path) in out, out
    assert line(out, "ok", "profile").endswith("local"), out
    assert "base_url = %s  (config line 2)" % FAKE.url in out, out


def test_terminal_line():
    rc, out, _ = doctor({"TERM": "xterm-256color"})
    t = line(out, "ok", "terminal")
    assert t and "TERM=xterm-256color" in t and "stdout is not a terminal" in t, out
    # On a terminal with NO_COLOR set.
    env = dict(os.environ, NO_COLOR="1", TERM="xterm", HOME=tempfile.mkdtemp())
    for k in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "PRECIS_MODEL"):
        env.pop(k, None)
    master, slave = pty.openpty()
    p = subprocess.run([BIN, "doctor"], stdin=slave, stdout=slave, stderr=slave, env=env,
                       timeout=60)
    os.close(slave)
    chunks = []
    while True:
        try:
            b = os.read(master, 65536)
        except OSError:
            break
        if not b:
            break
        chunks.append(b)
    os.close(master)
    out = text(b"".join(chunks))
    assert p.returncode == 0, out
    assert "no colour: NO_COLOR is set" in out and "status line shown" in out, out


def test_help():
    p = run(["doctor", "--help"])
    assert p.returncode == 0 and b"Usage: precis doctor" in p.stdout
    p = run(["--help"])
    assert b"  doctor " in p.stdout


try:
    run_tests(dict(globals()))
finally:
    FAKE.stop()
