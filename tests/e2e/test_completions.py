"""Shell completions as a user meets them: `precis completions bash|zsh|fish`, loaded
into the real shells, completing commands, options, option values, profiles from a
config file, prompt names, and the model names `precis models` cached.

Needs bash, zsh and fish (Debian packages bash, zsh, fish): a missing shell fails
its tests with a message naming the package.
"""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import BIN, FakeOpenAI, expect_one_error_line, run, run_tests, text  # noqa: E402

CONFIG = """\
profile = ollama
[profile ollama]
base_url = http://127.0.0.1:9/v1
model = llama3.2
auth = none
[profile groq-fast]
base_url = https://api.groq.com/openai/v1
model = llama-3.3-70b-versatile
api_key_env = GROQ_API_KEY
[default]
length = short
"""


def need(tool):
    """Returns the path of tool, or fails naming the Debian package to install."""
    path = shutil.which(tool)
    assert path, "%s is not installed: these tests need it (apt-get install %s)" % (tool, tool)
    return path


class Home:
    """A throwaway home: precis on PATH as 'precis', a config with two profiles, a
    model cache written by a real `precis models`, and no index."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="precis-comp-")
        self.bin = os.path.join(self.dir, "bin")
        os.makedirs(self.bin)
        os.symlink(os.path.abspath(BIN), os.path.join(self.bin, "precis"))
        self.env = {"HOME": self.dir,
                    "XDG_CONFIG_HOME": os.path.join(self.dir, "config"),
                    "XDG_CACHE_HOME": os.path.join(self.dir, "cache"),
                    "XDG_DATA_HOME": os.path.join(self.dir, "data"),
                    "XDG_STATE_HOME": os.path.join(self.dir, "state")}
        os.makedirs(os.path.join(self.env["XDG_CONFIG_HOME"], "precis"))
        with open(os.path.join(self.env["XDG_CONFIG_HOME"], "precis", "config"), "w") as f:
            f.write(CONFIG)
        os.chmod(os.path.join(self.env["XDG_CONFIG_HOME"], "precis", "config"), 0o600)
        self.shell_env = dict(os.environ)
        for k in ("PRECIS_CONFIG", "PRECIS_PROFILE", "PRECIS_INDEX", "PRECIS_PROMPTS_DIR",
                  "OPENAI_API_KEY", "OPENAI_BASE_URL", "PRECIS_MODEL"):
            self.shell_env.pop(k, None)
        self.shell_env.update(self.env)
        self.shell_env["PATH"] = self.bin + os.pathsep + os.environ.get("PATH", "")
        self.shell_env["ASAN_OPTIONS"] = "detect_leaks=0"

    def precis(self, args, **kw):
        return run(args, env=dict(self.env), **kw)

    def script(self, shell):
        p = self.precis(["completions", shell])
        assert p.returncode == 0, p.stderr
        return text(p.stdout)

    def cache_models(self):
        """Runs `precis models` against the fake endpoint; returns the names it listed."""
        fake = FakeOpenAI()
        try:
            p = run(["models", "--base-url", fake.url],
                    env=dict(self.env, OPENAI_API_KEY="sk-test-0123456789abcdef"))
        finally:
            fake.stop()
        assert p.returncode == 0, p.stderr
        return text(p.stdout).split()


HOME = None


def home():
    global HOME
    if HOME is None:
        HOME = Home()
        HOME.models = HOME.cache_models()
    return HOME


def table_options(command=None):
    """The option table as `precis completions list options [COMMAND]` prints it."""
    p = run(["completions", "list", "options"] + ([command] if command else []))
    assert p.returncode == 0, p.stderr
    return text(p.stdout).split()


# --- the command and its helper ---

def test_scripts_and_usage():
    h = home()
    assert h.script("bash").startswith("# bash completion for precis")
    assert "complete -F _precis precis" in h.script("bash")
    assert h.script("zsh").startswith("#compdef precis\n")
    assert "complete -c precis" in h.script("fish")
    for args in (["completions"], ["completions", "tcsh"], ["completions", "bash", "zsh"]):
        p = run(args)
        assert p.returncode == 1 and p.stdout == b"", args
        expect_one_error_line(p, ["bash, zsh or fish"])
    p = run(["completions", "--help"])
    assert p.returncode == 0 and b"Usage: precis completions bash|zsh|fish" in p.stdout


def test_list_kinds():
    h = home()
    p = h.precis(["completions", "list", "profiles"])
    assert p.returncode == 0 and text(p.stdout).split() == ["ollama", "groq-fast"], p
    p = h.precis(["completions", "list", "prompts"])
    names = text(p.stdout).split()
    for name in ("summarize", "tldr", "key-points", "explain", "ask"):
        assert name in names, names
    p = h.precis(["completions", "list", "sites"])
    assert p.returncode == 0 and p.stdout == b"", p
    p = h.precis(["completions", "list", "commands"])
    cmds = text(p.stdout).split()
    assert cmds == sorted(cmds) and "completions" in cmds and "extract" in cmds, cmds
    p = h.precis(["completions", "list", "flavours"])
    assert p.returncode == 1
    expect_one_error_line(p, ["flavours"])


def test_models_writes_the_cache():
    h = home()
    assert h.models == ["fake-model", "llama3:latest"], h.models
    path = os.path.join(h.env["XDG_CACHE_HOME"], "precis", "models")
    with open(path) as f:
        assert f.read() == "fake-model\nllama3:latest\n"
    p = h.precis(["completions", "list", "models"])
    assert text(p.stdout).split() == h.models
    # No cache yet: nothing, quietly, and no network.
    p = run(["completions", "list", "models"])
    assert p.returncode == 0 and p.stdout == b"" and p.stderr == b""


def test_every_option_belongs_to_a_command():
    every = set(table_options())
    union = set()
    for c in text(run(["completions", "list", "commands"]).stdout).split():
        union |= set(table_options(c))
    assert every == union, every ^ union


# --- bash ---

BASH_DRIVER = r"""
source "$1"
t() {
    COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMPREPLY=()
    _precis
    printf '%s\n' "${COMPREPLY[@]}" | LC_ALL=C sort | tr '\n' ' '
    printf '\n'
}
complete -p precis
"""


def bash(cases):
    """Completes each word list in bash; returns one candidate list per case."""
    h = home()
    need("bash")
    path = os.path.join(h.dir, "precis.bash")
    with open(path, "w") as f:
        f.write(h.script("bash"))
    driver = BASH_DRIVER + "".join(
        "t " + " ".join("'%s'" % w for w in words) + "\n" for words in cases)
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", driver, "bash", path],
                       capture_output=True, text=True, env=h.shell_env, cwd=h.dir, timeout=60)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.split("\n")
    assert lines[0] == "complete -F _precis precis", lines[0]
    return [l.split() for l in lines[1:1 + len(cases)]]


def test_bash():
    h = home()
    got = bash([["precis", "ex"], ["precis", "--form"], ["precis", "extract", "--format", ""],
                ["precis", "extract", "-f", "j"], ["precis", "--format", "=", "t"],
                ["precis", "--length", ""], ["precis", "--color", "a"],
                ["precis", "--profile", ""], ["precis", "ask", "-p", "tl"],
                ["precis", "-m", ""], ["precis", "chat", "--model", "ll"],
                ["precis", "completions", ""], ["precis", "search", "--w"],
                ["precis", "extract", "--"]])
    assert got[0] == ["extract"], got[0]
    assert got[1] == ["--format"], got[1]
    assert got[2] == ["json", "markdown", "text"], got[2]
    assert got[3] == ["json"], got[3]
    assert got[4] == ["text"], got[4]
    assert got[5] == ["long", "medium", "short"], got[5]
    assert got[6] == ["always", "auto"], got[6]
    assert got[7] == ["groq-fast", "ollama"], got[7]
    assert got[8] == ["tldr"], got[8]
    assert got[9] == sorted(h.models), got[9]
    assert got[10] == ["llama3:latest"], got[10]
    assert got[11] == ["bash", "fish", "zsh"], got[11]
    assert got[12] == [], got[12]  # --whole-page is not a search option
    want = sorted(o for o in table_options("extract") if o.startswith("--"))
    assert got[13] == want, (got[13], want)


def test_bash_files_for_pages():
    h = home()
    with open(os.path.join(h.dir, "page.html"), "w") as f:
        f.write("<p>hi</p>")
    got = bash([["precis", "pag"], ["precis", "extract", "pag"], ["precis", "index", "pag"]])
    assert got[0] == ["page.html"], got[0]
    assert got[1] == ["page.html"], got[1]
    assert got[2] == [], got[2]


# --- zsh: the real completion system in a zpty, with compadd logging what it offers ---

ZSH_CAPTURE = r"""
compadd() {
    if (( ${@[(I)-[OAD]*]} )); then
        builtin compadd "$@"
        return
    fi
    local -a __hits
    builtin compadd -A __hits "$@"
    (( $#__hits )) && print -rl -- $__hits >> $ZCAP_OUT
    builtin compadd "$@"
}
"""

ZSH_DRIVER = r"""
zmodload zsh/zpty || exit 3
dir=$1; shift
zpty z 'zsh -f -i'
zpty -w z "fpath=($dir/fp \$fpath); autoload -Uz compinit; compinit -u -d $dir/zcompdump; source $dir/capture.zsh; print RE''ADY"
all=
while zpty -r z chunk; do all+=$chunk; [[ $all == *READY* ]] && break; done
integer n=0
for line in "$@"; do
    n+=1
    zpty -w z "ZCAP_OUT=$dir/out.$n"
    zpty -w -n z "$line"$'\t'
    sleep 0.7
    zpty -w -n z $'\C-u'
done
zpty -w z "print DO''NE"
all=
while zpty -r z chunk; do all+=$chunk; [[ $all == *DONE* ]] && break; done
zpty -d z
"""


def zsh(lines):
    """Completes each command line in zsh; returns one sorted candidate list per line."""
    h = home()
    need("zsh")
    zdir = tempfile.mkdtemp(prefix="zsh-", dir=h.dir)
    os.makedirs(os.path.join(zdir, "fp"))
    with open(os.path.join(zdir, "fp", "_precis"), "w") as f:
        f.write(h.script("zsh"))
    with open(os.path.join(zdir, "capture.zsh"), "w") as f:
        f.write(ZSH_CAPTURE)
    p = subprocess.run(["zsh", "-f", "-c", ZSH_DRIVER, "zsh", zdir] + list(lines),
                       capture_output=True, text=True, env=h.shell_env, cwd=h.dir,
                       timeout=30 + 3 * len(lines))
    assert p.returncode == 0, (p.returncode, p.stderr)
    out = []
    for i in range(1, len(lines) + 1):
        path = os.path.join(zdir, "out.%d" % i)
        words = open(path).read().split("\n") if os.path.exists(path) else []
        out.append(sorted(set(w for w in words if w)))
    return out


def test_zsh():
    need("zsh")
    p = subprocess.run(["zsh", "-n", "-c", home().script("zsh")], capture_output=True)
    assert p.returncode == 0, p.stderr
    h = home()
    got = zsh(["precis ex", "precis --form", "precis extract --format ", "precis --length m",
               "precis --color ", "precis --profile ", "precis ask -p tl", "precis -m ",
               "precis completions ", "precis search --w"])
    assert got[0] == ["extract"], got[0]
    assert got[1] == ["--format"], got[1]
    assert got[2] == ["json", "markdown", "text"], got[2]
    assert got[3] == ["medium"], got[3]
    assert got[4] == ["always", "auto", "never"], got[4]
    assert got[5] == ["groq-fast", "ollama"], got[5]
    assert got[6] == ["tldr"], got[6]
    assert got[7] == sorted(h.models), got[7]
    assert got[8] == ["bash", "fish", "zsh"], got[8]
    assert got[9] == [], got[9]


# --- fish ---

def fish(lines):
    """Runs fish's `complete -C` on each line; returns sorted candidate lists."""
    h = home()
    need("fish")
    path = os.path.join(h.dir, "precis.fish")
    with open(path, "w") as f:
        f.write(h.script("fish"))
    cmds = "source %s\n" % path + "".join(
        "complete -C '%s'; echo '<<end>>'\n" % l for l in lines)
    p = subprocess.run(["fish", "--no-config", "-c", cmds], capture_output=True, text=True,
                       env=h.shell_env, cwd=h.dir, timeout=60)
    assert p.returncode == 0, p.stderr
    out, cur = [], []
    for line in p.stdout.split("\n"):
        if line == "<<end>>":
            out.append(sorted(cur))
            cur = []
        elif line:
            cur.append(line.split("\t")[0])
    return out


def test_fish():
    h = home()
    got = fish(["precis ex", "precis --form", "precis extract --format ", "precis --length m",
                "precis --color ", "precis --profile ", "precis ask -p tl", "precis -m ",
                "precis completions ", "precis search --w", "precis extract --"])
    assert got[0] == ["extract"], got[0]
    assert got[1] == ["--format"], got[1]
    assert got[2] == ["json", "markdown", "text"], got[2]
    assert got[3] == ["medium"], got[3]
    assert got[4] == ["always", "auto", "never"], got[4]
    assert got[5] == ["groq-fast", "ollama"], got[5]
    assert got[6] == ["tldr"], got[6]
    assert got[7] == sorted(h.models), got[7]
    assert got[8] == ["bash", "fish", "zsh"], got[8]
    assert got[9] == [], got[9]
    want = sorted(o for o in table_options("extract") if o.startswith("--"))
    assert got[10] == want, (got[10], want)


if __name__ == "__main__":
    try:
        run_tests(dict(globals()))
    finally:
        if HOME is not None:
            shutil.rmtree(HOME.dir, ignore_errors=True)
