"""The man pages: they render cleanly (mandoc -T lint and groff -ww are quiet) and
do not drift from the code. precis(1) documents every command and every option of the
option table (the parser's own, printed by `precis completions list options`), each
command with exactly the options the table gives it, and every option any --help
lists; precis-config(5) documents exactly the keys src/config*.c accepts, and the
example profiles of README.md, which load.

Needs mandoc and groff (Debian packages mandoc, groff-base): a missing tool fails
with a message naming the package.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from harness import REPO, run, run_tests, text  # noqa: E402

MAN1 = os.path.join(REPO, "man", "precis.1")
MAN5 = os.path.join(REPO, "man", "precis-config.5")
OPT = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


def need(tool, package):
    path = shutil.which(tool)
    assert path, "%s is not installed: this test needs it (apt-get install %s)" % (tool, package)
    return path


def render(path):
    """The page as `man` shows it: plain text, 80 columns."""
    need("mandoc", "mandoc")
    p = subprocess.run(["mandoc", "-T", "ascii", "-O", "width=78", path],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return re.sub(r".\x08", "", p.stdout)


def sections(rendered):
    """Maps each section name to its lines."""
    out, cur = {}, None
    for line in rendered.split("\n"):
        if re.match(r"^[A-Z][A-Z ]+$", line):
            cur = line.strip()
            out[cur] = []
        elif cur:
            out[cur].append(line)
    return out


def lines_of(args):
    p = run(args)
    assert p.returncode == 0, (args, p.stderr)
    return text(p.stdout).split()


def commands():
    return lines_of(["completions", "list", "commands"])


def table(command=None):
    """Long options of the table that apply to command (None: all), and short -> long."""
    names = lines_of(["completions", "list", "options"] + ([command] if command else []))
    longs, shorts = set(), {}
    prev = None
    for n in names:
        if n.startswith("--"):
            longs.add(n)
            prev = n
        else:
            shorts[n] = prev  # a short form follows its long one
    return longs, shorts


def global_options():
    """Options that apply to every command (--help, --version)."""
    sets = [table(c)[0] for c in commands()]
    return set.intersection(*sets)


def as_long(opts, shorts):
    return {shorts.get(o, o) for o in opts}


# --- rendering ---

def test_lint_clean():
    need("mandoc", "mandoc")
    need("groff", "groff-base")
    for page in (MAN1, MAN5):
        p = subprocess.run(["mandoc", "-T", "lint", "-W", "all", page],
                           capture_output=True, text=True)
        assert p.returncode == 0 and not p.stdout and not p.stderr, p.stdout + p.stderr
        p = subprocess.run(["groff", "-ww", "-z", "-man", page], capture_output=True, text=True)
        assert p.returncode == 0 and not p.stderr, p.stderr


def test_renders_with_man():
    if not shutil.which("man"):
        return  # man-db is optional; mandoc renders above
    for page, title in ((MAN1, "PRECIS(1)"), (MAN5, "PRECIS-CONFIG(5)")):
        p = subprocess.run(["man", "-l", page], capture_output=True, text=True,
                           env=dict(os.environ, MANWIDTH="80", MANPAGER="cat", PAGER="cat"))
        assert p.returncode == 0 and title in p.stdout, p.stderr
        assert "warning" not in p.stderr, p.stderr


# --- precis(1) against the option table and the help texts ---

def man_commands():
    """Maps each command precis(1) documents under COMMANDS to the options it lists."""
    body = sections(render(MAN1))["COMMANDS"]
    known = set(commands())
    out, cur, in_opts = {}, None, False
    for line in body:
        tag = re.match(r"^ {7}precis(?: \[?(\w+)\]?)?", line)
        if tag:
            word = tag.group(1)
            cur = word if word in known else "summarize"
            out.setdefault(cur, set())
            in_opts = False
        elif cur and line.strip().startswith("Options"):
            in_opts = True
        elif not line.strip():
            in_opts = False
        if cur and in_opts:
            out[cur] |= set(OPT.findall(line))
    return out


def man_option_tags():
    """The options OPTIONS documents, and the short -> long pairs of its tags."""
    body = sections(render(MAN1))["OPTIONS"]
    documented, pairs = set(), {}
    for line in body:
        if re.match(r"^ {7}-", line):
            opts = OPT.findall(line.split("  ")[0] if "  " in line.strip() else line)
            documented |= set(opts)
            longs = [o for o in opts if o.startswith("--")]
            for o in opts:
                if not o.startswith("--"):
                    pairs[o] = longs[0] if longs else None
    return documented, pairs


def test_every_command_documented():
    documented = set(man_commands())
    assert documented == set(commands()), (
        "commands without a COMMANDS entry in man/precis.1: %s; entries for no command: %s"
        % (sorted(set(commands()) - documented), sorted(documented - set(commands()))))


def test_each_command_lists_its_table_options():
    glob = global_options()
    man = man_commands()
    for c in commands():
        want = table(c)[0] - glob
        got = man.get(c, set())
        assert got == want, "precis %s: the table has %s but man/precis.1 lists %s" % (
            c, sorted(want - got), sorted(got - want))


def test_options_section_matches_table():
    longs, shorts = table()
    documented, pairs = man_option_tags()
    doc_longs = {o for o in documented if o.startswith("--")}
    assert doc_longs == longs, (
        "in the table, not in OPTIONS: %s; in OPTIONS, not in the table: %s" % (
            sorted(longs - doc_longs), sorted(doc_longs - longs)))
    assert pairs == shorts, (pairs, shorts)


def help_options(out):
    """Options a help text lists: its Usage lines and its Options section."""
    found, mode = set(), None
    for line in out.split("\n"):
        if line.startswith("Usage:"):
            mode = "usage"
        elif line.startswith("Options"):
            mode = "options"
        elif not line.strip():
            mode = None
        elif mode == "usage" and not line.startswith(" "):
            mode = None
        if mode:
            found |= set(OPT.findall(line))
    return found


def test_help_texts_agree():
    longs, shorts = table()
    main = text(run(["--help"]).stdout)
    main_opts = as_long(help_options(main), shorts)
    assert main_opts, "no options found in precis --help"
    assert main_opts <= longs, "precis --help lists options the table lacks: %s" % sorted(
        main_opts - longs)
    documented, _ = man_option_tags()
    assert main_opts <= documented, sorted(main_opts - documented)
    glob = global_options()
    man = man_commands()
    own = 0
    for c in commands():
        p = run([c, "--help"])
        assert p.returncode == 0, (c, p.stderr)
        out = text(p.stdout)
        if out == main:
            continue  # the general help, of several commands: checked above
        own += 1
        opts = as_long(help_options(out), shorts)
        table_c = table(c)[0]
        assert opts <= table_c, "precis %s --help lists %s, which the table does not give it" % (
            c, sorted(opts - table_c))
        missing = opts - glob - man.get(c, set())
        assert not missing, "precis %s --help lists %s; man/precis.1 does not" % (
            c, sorted(missing))
    assert own >= 6, own  # extract, serve, index, search, sites, chat at least


# --- precis-config(5) against the config key table ---

def code_keys():
    """The keys src/config*.c accepts: the key_names table, plus `profile`."""
    keys = set()
    for name in os.listdir(os.path.join(REPO, "src")):
        if not re.match(r"config.*\.c$", name):
            continue
        src = open(os.path.join(REPO, "src", name)).read()
        m = re.search(r"key_names\[[^\]]*\]\s*=\s*\{(.*?)\};", src, re.S)
        if m:
            keys |= set(re.findall(r'=\s*"([a-z_]+)"', m.group(1)))
        if re.search(r'strcmp\(key, "profile"\) == 0', src):
            keys.add("profile")
    assert len(keys) > 10, keys
    return keys


def man_keys():
    body = sections(render(MAN5))["KEYS"]
    return {m.group(1) for m in (re.match(r"^ {7}([a-z_]+)\b", l) for l in body) if m}


def test_config_keys_match():
    code, man = code_keys(), man_keys()
    assert code == man, "keys the code accepts but precis-config(5) lacks: %s; documented " \
        "but unknown to the code: %s" % (sorted(code - man), sorted(man - code))


def load_config(body, profile=None):
    d = tempfile.mkdtemp(prefix="precis-man-")
    path = os.path.join(d, "config")
    with open(path, "w") as f:
        f.write(body)
    os.chmod(path, 0o600)
    args = ["config"] + (["--profile", profile] if profile else [])
    p = run(args, env={"PRECIS_CONFIG": path})
    shutil.rmtree(d, ignore_errors=True)
    return p


def test_documented_keys_parse():
    for key in sorted(man_keys()):
        p = load_config("%s = x\n" % key)
        assert "unknown key" not in text(p.stderr), (key, p.stderr)
    p = load_config("modle = x\n")
    assert p.returncode == 1 and "unknown key" in text(p.stderr), p.stderr


def example_block(rendered):
    return "\n".join(l[14:] if l.startswith(" " * 14) else l.strip()
                     for l in sections(rendered)["EXAMPLES"])


def test_example_profiles_from_readme_load():
    readme = open(os.path.join(REPO, "README.md")).read()
    m = re.search(r"### Example profiles\s+```ini\n(.*?)```", readme, re.S)
    assert m, "README.md has no Example profiles block"
    want = re.findall(r"^\[profile ([\w.-]+)\]", m.group(1), re.M)
    example = example_block(render(MAN5))
    got = re.findall(r"^\[profile ([\w.-]+)\]", example, re.M)
    assert got == want, (got, want)
    start = example.index("profile = ")
    config = example[start:]
    for name in got:
        p = load_config(config, name)
        assert p.returncode == 0, (name, p.stderr)
        assert "[profile %s]" % name in text(p.stdout) or name in text(p.stdout), name


if __name__ == "__main__":
    run_tests(dict(globals()))
