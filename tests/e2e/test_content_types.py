"""Content-type dispatch: HTML and XHTML are extracted, text and Markdown pass
through, JSON is pretty-printed, PDF goes through pdftotext, binaries are refused."""
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "pages"))
from pagekit import FAST, Cache, Server, one_error_line, out, run, run_tests  # noqa: E402

S = None
C = None
HAVE_PDFTOTEXT = shutil.which("pdftotext") is not None


def setup():
    global S, C
    S = Server()
    C = Cache()


def teardown():
    S.stop()
    C.cleanup()


def fetch(path, *extra, env=None):
    return run(["--no-cache"] + list(extra) + FAST + [S.url(path)], C.home, env=env)[0]


def ok(p):
    assert p.returncode == 0, p.stderr
    assert p.stderr == b"", p.stderr
    return out(p)


def test_html_and_xhtml():
    text = ok(fetch("/html"))
    assert "The town council approved the bridge budget." in text
    text = ok(fetch("/type/xhtml"))
    assert "Served as application/xhtml+xml" in text
    assert "<?xml" not in text and "<p>" not in text


def test_html_is_sniffed_when_untyped_or_octet_stream():
    text = ok(fetch("/type/octet-html"))
    assert "Served as octet-stream but it is HTML." in text
    assert "<p>" not in text
    text = ok(fetch("/type/none-html"))
    assert "Served with no Content-Type at all." in text
    assert "<p>" not in text


def test_plain_text_passes_through():
    text = ok(fetch("/type/plain"))
    assert "Plain text line one.\nLine two with caf\u00e9.\n\n  indented line" in text
    assert "\r" not in text


def test_markdown_passes_through_with_title():
    text = ok(fetch("/type/markdown"))
    assert "# Markdown Title\n\nSome *emphasis* here." in text
    doc = json.loads(ok(fetch("/type/markdown", "--format", "json")))
    assert "Markdown Title" in json.dumps(doc), doc


def test_json_is_pretty_printed():
    text = ok(fetch("/type/json"))
    assert '"name":\t"precis"' in text or '"name": "precis"' in text, text
    assert "\n" in text.strip()  # more than one line: pretty
    text = ok(fetch("/type/ldjson"))
    assert '"@type"' in text
    text = ok(fetch("/type/json-invalid"))
    assert '{"name": "broken",' in text


def test_pdf():
    p = fetch("/type/pdf")
    if HAVE_PDFTOTEXT:
        assert "Hello from a PDF file" in ok(p)
        assert "Sniffed PDF magic" in ok(fetch("/type/pdf-untyped"))
    else:
        one_error_line(p, 3, S.url("/type/pdf"), "PDF support needs pdftotext",
                       "apt-get install poppler-utils")


def test_pdf_without_pdftotext_says_how_to_install():
    p = fetch("/type/pdf", env={"PATH": tempfile.gettempdir() + "/precis-no-such-dir"})
    one_error_line(p, 3, S.url("/type/pdf"),
                   "PDF support needs pdftotext: install poppler-utils "
                   "(apt-get install poppler-utils)")


def test_binary_types_are_refused():
    p = fetch("/type/png")
    one_error_line(p, 3, S.url("/type/png"), "image/png")
    assert p.stdout == b""
    p = fetch("/type/octet-binary")
    one_error_line(p, 3, S.url("/type/octet-binary"), "application/octet-stream")


def test_empty_page():
    p = fetch("/empty")
    one_error_line(p, 3, S.url("/empty"), "empty page")


def test_javascript_only_page():
    p = fetch("/js-only")
    one_error_line(p, 3, S.url("/js-only"))


def test_hidden_text_is_dropped():
    text = ok(fetch("/hidden"))
    assert "Visible paragraph text." in text
    assert "HIDDEN-SECRET-TEXT" not in text and "HIDDEN-ATTR-TEXT" not in text


def test_local_files_by_extension_and_sniffing():
    d = tempfile.mkdtemp(prefix="precis-types-")
    try:
        files = {
            "notes.md": (b"# File Title\n\nBody of the markdown file.\n", "Body of the markdown"),
            "data.json": (b'{"k": [1, 2]}', '"k"'),
            "page.txt": (b"<p>not html, a text file</p>\n", "<p>not html, a text file</p>"),
            "noext": (b"<!DOCTYPE html><html><body><article><h1>Sniffed</h1><p>"
                      + b"A local file without an extension that is HTML. " * 4
                      + b"</p></article></body></html>", "without an extension"),
        }
        for name, (data, want) in files.items():
            path = os.path.join(d, name)
            with open(path, "wb") as f:
                f.write(data)
            p = run([path], C.home)[0]
            assert want in ok(p), (name, out(p))
        path = os.path.join(d, "pic.png")
        with open(path, "wb") as f:
            f.write(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
        one_error_line(run([path], C.home)[0], 3, path, "image/png")
        path = os.path.join(d, "blob")
        with open(path, "wb") as f:
            f.write(bytes(range(256)) * 4)
        one_error_line(run([path], C.home)[0], 3, path)
        path = os.path.join(d, "empty.html")
        open(path, "wb").close()
        one_error_line(run([path], C.home)[0], 3, path, "empty page")
    finally:
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    run_tests(dict(globals()), setup, teardown)
