"""The answer log end to end: every front-end records its answers (summary, ask, offline,
chat, serve), `precis log` lists, searches, shows and clears them, --no-log and
`log = false` keep answers out, the key and request headers never reach the file, and a
busy, corrupt, read-only or newer database costs one warning, never the answer."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "lib"))
sys.path.insert(0, os.path.join(HERE, "..", "pages"))
from harness import BIN, REPO, FakeOpenAI, run, run_tests, text  # noqa: E402
from pagekit import Server  # noqa: E402
from serve_client import Serve, text_of  # noqa: E402

EXAMPLE = os.path.join(REPO, "examples", "tracing-gc.html")
KEY = "sk-test-LOGSECRET-c0ffee-9876543210"
HEADER_VALUE = "hdr-LOGSECRET-4242"
FAKE = FakeOpenAI()


def data_env(extra=None):
    """An environment with a data directory of its own, shared by the runs given it."""
    d = tempfile.mkdtemp(prefix="precis-logdata-")
    e = {"XDG_DATA_HOME": d, "PRECIS_RETRY_BASE_MS": "10"}
    e.update(extra or {})
    return e


def model_env(env, model="ok"):
    e = dict(env)
    e.update({"OPENAI_BASE_URL": FAKE.url, "OPENAI_API_KEY": KEY, "PRECIS_MODEL": model})
    return e


def log_path(env):
    return env.get("PRECIS_LOG") or os.path.join(env["XDG_DATA_HOME"], "precis", "log.db")


def entries(env, *args):
    p = run(["log", "--json"] + list(args), env=env)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def stderr_lines(p):
    return [l for l in text(p.stderr).splitlines() if l.strip()]


def raw_bytes(env):
    data = b""
    for suffix in ("", "-wal", "-shm"):
        try:
            with open(log_path(env) + suffix, "rb") as f:
                data += f.read()
        except FileNotFoundError:
            pass
    return data


def test_summary_is_logged_without_key_or_headers():
    env = data_env()
    cfgdir = tempfile.mkdtemp(prefix="precis-logcfg-")
    os.makedirs(os.path.join(cfgdir, "precis"))
    with open(os.path.join(cfgdir, "precis", "config"), "w") as f:
        f.write("header = X-Trace: %s\n" % HEADER_VALUE)
    env["XDG_CONFIG_HOME"] = cfgdir
    p = run([EXAMPLE], env=model_env(env))
    assert p.returncode == 0 and text(p.stdout).startswith("Hello, world."), p.stderr
    assert FAKE.requests()[-1]["headers"].get("x-trace") == HEADER_VALUE  # it was sent
    [e] = entries(env)
    assert e["command"] == "summarize" and e["prompt"] == "summarize"
    assert e["model"] == "fake-model"  # the name the server answered with, as --json says
    assert e["answer"] == "Hello, world." and e["partial"] is False, e
    assert e["finish_reason"] == "stop" and e["exit_status"] == 0
    assert e["endpoint"] == "127.0.0.1:%d" % FAKE.port, e["endpoint"]
    assert e["sources"] == [EXAMPLE] and e["title"].startswith("How a tracing")
    assert e["usage"]["prompt_tokens"] is not None and e["timings"]["total_s"] is not None
    assert e["question"] is None and e["profile"] is None
    raw = raw_bytes(env)
    assert b"Hello, world." in raw  # the file is what was inspected
    for secret in (KEY.encode(), HEADER_VALUE.encode(), b"Bearer", b"X-Trace", b"/v1"):
        assert secret not in raw, secret
    assert b"authorization" not in raw.lower()


def test_ask_partial_and_failed_answers_keep_their_exit_codes():
    env = data_env()
    p = run(["ask", EXAMPLE, "-q", "What does a write barrier do?"], env=model_env(env))
    assert p.returncode == 0, p.stderr
    p = run([EXAMPLE], env=model_env(env, "length"))
    assert p.returncode == 4 and "This answer is cut" in text(p.stdout)
    p = run([EXAMPLE], env=model_env(env, "500"))
    assert p.returncode == 4
    failed, cut, asked = entries(env)
    assert asked["command"] == "ask" and asked["question"] == "What does a write barrier do?"
    assert asked["prompt"] == "ask" and asked["exit_status"] == 0
    assert cut["partial"] is True and cut["finish_reason"] == "length"
    assert cut["answer"] == "This answer is cut" and cut["exit_status"] == 4
    assert failed["partial"] is True and failed["exit_status"] == 4 and failed["error"]


def test_offline_no_log_and_config_off():
    env = data_env()
    p = run(["--offline", EXAMPLE], env=env)
    assert p.returncode == 0 and p.stderr == b"", p.stderr
    [e] = entries(env)
    assert e["model"] == "offline" and e["endpoint"] is None
    assert e["answer"] == text(p.stdout).rstrip("\n") or e["answer"] == text(p.stdout)
    p = run(["--offline", "--no-log", EXAMPLE], env=env)
    assert p.returncode == 0
    cfgdir = tempfile.mkdtemp(prefix="precis-logcfg-")
    os.makedirs(os.path.join(cfgdir, "precis"))
    with open(os.path.join(cfgdir, "precis", "config"), "w") as f:
        f.write("log = false\n")
    off = dict(env, XDG_CONFIG_HOME=cfgdir)
    p = run(["--offline", EXAMPLE], env=off)
    assert p.returncode == 0
    p = run([EXAMPLE], env=model_env(off))
    assert p.returncode == 0
    assert len(entries(env)) == 1
    p = run(["config"], env=off)
    assert "log = false  (config line 1)" in text(p.stdout), p.stdout
    p = run(["config"], env=env)
    assert "log = true  (default)" in text(p.stdout), p.stdout
    with open(os.path.join(cfgdir, "precis", "config"), "w") as f:
        f.write("log = sometimes\n")
    p = run(["--offline", EXAMPLE], env=off)
    assert p.returncode == 1 and "bad value for log" in text(p.stderr), p.stderr


def test_list_search_since_show_clear():
    env = data_env()
    for q in ("What is a write barrier?", "How are roots found?", "Why pace the collector?"):
        p = run(["ask", EXAMPLE, "-q", q], env=model_env(env, "say:About %s" % q.split()[-1]))
        assert p.returncode == 0, p.stderr
    p = run(["log"], env=env)
    out = text(p.stdout)
    assert p.returncode == 0 and out.index("collector?") < out.index("barrier?"), out
    assert "Q: What is a write barrier?" in out and "About barrier?" in out
    assert len(entries(env, "-n", "2")) == 2
    found = entries(env, "roots")
    assert [e["question"] for e in found] == ["How are roots found?"]
    assert entries(env, "found", "About") and not entries(env, "roots", "barrier")
    assert len(entries(env, "--since", "1d")) == 3
    assert entries(env, "--since", "2999-01-01") == []
    assert len(entries(env, "--since", "2000-01-01T00:00")) == 3
    p = run(["log", "--since", "yesterday"], env=env)
    assert p.returncode == 1 and "--since" in text(p.stderr)
    first = found[0]["id"]
    p = run(["log", "--show", str(first)], env=env)
    out = text(p.stdout)
    assert p.returncode == 0 and "How are roots found?" in out and "About found?" in out
    assert "127.0.0.1:%d" % FAKE.port in out
    p = run(["log", "--show", "%d" % first, "--json"], env=env)
    assert json.loads(p.stdout)["id"] == first
    p = run(["log", "--show", "999"], env=env)
    assert p.returncode == 1 and "no logged answer #999" in text(p.stderr)
    p = run(["log", "--clear"], env=env, stdin=b"")  # not a terminal: no question
    assert p.returncode == 0 and "deleted 3" in text(p.stdout), (p.stdout, p.stderr)
    assert entries(env) == []
    assert b"About barrier" not in raw_bytes(env)
    p = run(["log"], env=data_env())
    assert p.returncode == 0 and "no answers logged yet" in text(p.stdout)
    assert not os.path.exists(os.path.join(data_env()["XDG_DATA_HOME"], "precis"))


def clear_on_a_terminal(env, answer):
    """Runs `precis log --clear` with a terminal as stdin, typing answer; returns
    (exit code, what the terminal showed)."""
    import pty
    e = dict(os.environ)
    e.pop("PRECIS_LOG", None)
    e.update(env)
    master, slave = pty.openpty()
    p = subprocess.Popen([BIN, "log", "--clear"], stdin=slave, stdout=slave, stderr=slave,
                         env=e)
    os.close(slave)
    seen = b""
    while b"[y/N]" not in seen:
        chunk = os.read(master, 4096)
        assert chunk, seen
        seen += chunk
    os.write(master, answer)
    try:
        while True:
            chunk = os.read(master, 4096)
            if not chunk:
                break
            seen += chunk
    except OSError:
        pass
    os.close(master)
    return p.wait(timeout=10), text(seen)


def test_clear_asks_on_a_terminal():
    env = data_env()
    assert run(["--offline", EXAMPLE], env=env).returncode == 0
    rc, seen = clear_on_a_terminal(env, b"\n")  # the default is no
    assert rc == 1 and "delete all 1 logged answer in" in seen and "left as it was" in seen
    assert len(entries(env)) == 1
    rc, seen = clear_on_a_terminal(env, b"y\n")
    assert rc == 0 and "deleted 1 logged answer" in seen, seen
    assert entries(env) == []


def test_eight_processes_at_once():
    env = data_env()
    procs = []
    for i in range(8):
        e = dict(os.environ)
        for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_LOG"):
            e.pop(k, None)
        e.update(env)
        e["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="precis-config-")
        e["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="precis-cache-")
        procs.append(subprocess.Popen([BIN, "ask", EXAMPLE, "-q", "question %d" % i],
                                      env=model_env(e), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE))
    for p in procs:
        out, err = p.communicate(timeout=60)
        assert p.returncode == 0 and out.startswith(b"Hello, world."), err
        assert err == b"", err
    got = sorted(e["question"] for e in entries(env, "-n", "100"))
    assert got == sorted("question %d" % i for i in range(8)), got


def expect_answer_despite_log(env, must):
    """Runs an offline summary and a model answer: both print and exit as without a log,
    each with one warning line about the log."""
    p = run(["--offline", EXAMPLE], env=env)
    assert p.returncode == 0 and text(p.stdout).startswith("# How a tracing"), p.stderr
    lines = stderr_lines(p)
    assert len(lines) == 1 and lines[0].startswith("precis: answer log ") and must in lines[0], lines
    p = run([EXAMPLE], env=model_env(env, "500"))
    assert p.returncode == 4
    p = run([EXAMPLE], env=model_env(env))
    assert p.returncode == 0 and text(p.stdout).startswith("Hello, world.")
    assert len(stderr_lines(p)) == 1


def test_corrupt_database():
    env = data_env()
    os.makedirs(os.path.dirname(log_path(env)))
    with open(log_path(env), "wb") as f:
        f.write(bytes((i * 7919 + 13) & 0xFF for i in range(8192)))
    expect_answer_despite_log(env, "not a usable SQLite database")
    p = run(["log"], env=env)
    assert p.returncode != 0 and "not a usable SQLite database" in text(p.stderr)


def test_database_from_a_newer_precis():
    env = data_env({"PRECIS_LOG": os.path.join(tempfile.mkdtemp(), "custom.db")})
    p = run(["--offline", EXAMPLE], env=env)
    assert p.returncode == 0 and os.path.exists(env["PRECIS_LOG"])
    db = sqlite3.connect(env["PRECIS_LOG"])
    db.execute("UPDATE meta SET value = '7' WHERE key = 'schema'")
    db.commit()
    db.close()
    expect_answer_despite_log(env, "written by a newer precis (schema 7, this one knows 1)")
    p = run(["log"], env=env)
    assert p.returncode == 1 and "newer precis" in text(p.stderr)


def test_busy_database_gives_up_quickly():
    env = data_env()
    p = run(["--offline", EXAMPLE], env=env)
    assert p.returncode == 0
    db = sqlite3.connect(log_path(env), isolation_level=None)
    db.execute("BEGIN EXCLUSIVE")
    db.execute("INSERT INTO meta VALUES('lock', 'held')")
    try:
        p = run(["--offline", EXAMPLE], env=env, timeout=20)
        assert p.returncode == 0 and text(p.stdout).startswith("# How a tracing")
        lines = stderr_lines(p)
        assert len(lines) == 1 and "busy" in lines[0], lines
    finally:
        db.execute("ROLLBACK")
        db.close()


def test_read_only_database_and_directory():
    """As root, the runs drop to nobody: root may write a read-only file."""
    base = tempfile.mkdtemp(prefix="precis-ro-")
    os.chmod(base, 0o755)
    home = os.path.join(base, "data")
    os.makedirs(os.path.join(home, "precis"))
    os.chmod(home, 0o777)
    env = {"XDG_DATA_HOME": home, "HOME": base}
    for k in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        d = os.path.join(base, k.lower())
        os.makedirs(d)
        os.chmod(d, 0o777)
        env[k] = d
    user = 65534 if os.geteuid() == 0 else None
    # nobody may not be able to reach the build tree (a clone in a 0700 directory):
    # run a copy of the binary on a copy of the page, both where anyone can read them
    binary = os.path.join(base, "precis")
    shutil.copy2(BIN, binary)
    os.chmod(binary, 0o755)
    page = os.path.join(base, "tracing-gc.html")
    shutil.copy2(EXAMPLE, page)
    os.chmod(page, 0o644)

    def as_user(args):
        e = dict(os.environ)
        for k in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL", "PRECIS_LOG"):
            e.pop(k, None)
        e.update(env)
        args = [page if a == EXAMPLE else a for a in args]
        return subprocess.run([binary] + args, env=e, capture_output=True, timeout=30, user=user)

    os.chmod(os.path.join(home, "precis"), 0o777)
    p = as_user(["--offline", EXAMPLE])
    assert p.returncode == 0 and p.stderr == b"", p.stderr
    db = log_path(env)
    os.chmod(db, 0o444)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.chmod(db + suffix, 0o444)
    p = as_user(["--offline", EXAMPLE])
    assert p.returncode == 0 and text(p.stdout).startswith("# How a tracing")
    lines = stderr_lines(p)
    assert len(lines) == 1 and lines[0].startswith("precis: answer log "), lines
    # a directory nobody may write: the file cannot be made at all
    os.remove(db)
    for suffix in ("-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    os.chmod(os.path.join(home, "precis"), 0o555)
    p = as_user(["--offline", EXAMPLE])
    assert p.returncode == 0 and text(p.stdout).startswith("# How a tracing")
    lines = stderr_lines(p)
    assert len(lines) == 1 and lines[0].startswith("precis: answer log "), lines


def test_chat_questions_and_summary_are_logged():
    env = data_env({"PRECIS_HISTORY": ""})
    p = run(["chat", EXAMPLE], env=model_env(env),
            stdin=b"What is a write barrier?\n/summary\n")
    assert p.returncode == 0, p.stderr
    summary, question = entries(env)
    assert question["command"] == "chat" and question["question"] == "What is a write barrier?"
    assert question["answer"] == "Hello, world." and question["sources"] == [EXAMPLE]
    assert summary["question"] == "/summary" and summary["prompt"] == "summarize"
    p = run(["chat", "--offline", "--no-log", EXAMPLE], env=env, stdin=b"What is marking?\n")
    assert p.returncode == 0
    p = run(["chat", "--offline", EXAMPLE], env=env, stdin=b"What is marking?\n")
    assert p.returncode == 0
    newest = entries(env)[0]
    assert newest["model"] == "offline" and newest["question"] == "What is marking?"
    assert len(entries(env)) == 3


def test_serve_answers_are_logged():
    env = data_env()
    s = Serve(env=model_env(env))
    reply, notes, _ = s.call("summarize", {"text": "<p>Some words about arenas.</p>",
                                           "title": "Arenas"})
    assert "result" in reply and text_of(notes) == "Hello, world.", reply
    reply, notes, _ = s.call("ask", {"url": EXAMPLE, "question": "What is tracing?"})
    assert "result" in reply, reply
    s.close_stdin()
    assert s.wait() == 0
    asked, summarized = entries(env)
    assert summarized["command"] == "serve" and summarized["title"] == "Arenas"
    assert summarized["answer"] == "Hello, world." and summarized["prompt"] == "summarize"
    assert asked["question"] == "What is tracing?" and asked["sources"] == [EXAMPLE]
    assert KEY.encode() not in raw_bytes(env)
    s = Serve(["--no-log"], env=model_env(env))
    reply, _, _ = s.call("summarize", {"url": EXAMPLE})
    assert "result" in reply
    s.close_stdin()
    assert s.wait() == 0
    s = Serve(env=env)  # offline
    reply, _, _ = s.call("summarize", {"url": EXAMPLE})
    assert reply["result"]["model"] == "offline"
    s.close_stdin()
    assert s.wait() == 0
    got = entries(env)
    assert len(got) == 3 and got[0]["model"] == "offline"


def test_ask_site_is_logged_with_model_and_offline():
    pages = Server()
    env = data_env()
    p = run(["index", "--max-pages", "3", pages.url("/html")], env=env)
    assert p.returncode == 0, p.stderr
    site = "127.0.0.1:%d" % pages.port
    p = run(["ask", "--site", site, "-q", "bridge budget"], env=model_env(env))
    assert p.returncode == 0 and text(p.stdout).startswith("Hello, world."), p.stderr
    p = run(["ask", "--site", site, "-q", "bridge budget", "--offline"], env=env)
    assert p.returncode == 0, p.stderr
    offline, online = entries(env)
    for e in (offline, online):
        assert e["command"] == "ask-site" and e["title"] == site
        assert e["question"] == "bridge budget" and e["sources"] == [pages.url("/html")]
    assert online["answer"] == "Hello, world." and online["prompt"] == "ask-site"
    assert offline["model"] == "offline" and "Budget approved" in offline["answer"]


if __name__ == "__main__":
    try:
        run_tests(dict(globals()))
    finally:
        FAKE.stop()
