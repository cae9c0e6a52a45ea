#!/usr/bin/env python3
"""Renders curl's Markdown documentation (../shared/corpus/curl-docs) into a static
HTML documentation site for the crawler, index and retrieval tests.

    python3 tests/docsite/build_site.py OUT_DIR [--shared DIR]

build(out_dir, shared_dir) writes the site into out_dir and returns the manifest
(also written to OUT_DIR/_manifest.json, which the server never serves). Nothing
from the corpus is stored in the repository: the corpus is read at run time from
SHARED/corpus/curl-docs (SHARED = --shared, else $PRECIS_SHARED, else
<repo>/../shared). When it is absent the CLI prints one "SKIP:" line and exits 77.

Heading ids (see README.md): the page title is the only <h1> and has no id;
Markdown "#" headings become <h2 id="sN">, "##" become <h3 id="sN-M">, deeper
ones become <h4>/<h5> with NO id (their text belongs to the enclosing <h3>).
N counts the page's <h2>s from 1 (the generated PROTOCOLS, AVAILABILITY and
SEE ALSO sections included); M counts <h3>s inside the current <h2> (N is 0 when
an <h3> comes before any <h2>). Text before the first <h2>/<h3> is the page
intro: anchor "".

Several page URLs are written with the literal placeholder @@BASE@@ (canonical
links, robots.txt, sitemaps, llms.txt); the server replaces it with its own
http://127.0.0.1:PORT when serving.
"""
import argparse
import hashlib
import html
import json
import os
import re
import shutil
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SITE_NAME = "curl docs"
BASE = "@@BASE@@"
CORPUS_DATE = 1787400000  # 2026-08-22, the corpus snapshot (seconds since the epoch)

# Pages with a role in the crawl tests.
ORPHAN = "/docs/KNOWN_RISKS.html"          # only the sitemap lists it
ALLOWED_INTERNAL = "/docs/internals/README.html"  # robots Allow inside a Disallow
DISALLOWED_PREFIX = "/docs/internals/"

SECTIONS = [  # (key, corpus sub-directory, URL directory, sidebar title)
    ("docs", "", "/docs/", "Documentation"),
    ("libcurl", "libcurl", "/docs/libcurl/", "libcurl API"),
    ("opts", "libcurl/opts", "/docs/libcurl/opts/", "Easy options"),
    ("cmdline", "cmdline-opts", "/docs/cmdline-opts/", "Command line options"),
    ("internals", "internals", "/docs/internals/", "Internals"),
    ("tests", "tests", "/docs/tests/", "Test suite"),
    ("examples", "examples", "/docs/examples/", "Examples"),
]


def corpus_dir(shared_dir=None):
    """The curl-docs/docs directory, or None when the shared corpus is absent."""
    shared = shared_dir or os.environ.get("PRECIS_SHARED") or os.path.join(REPO, "..", "shared")
    d = os.path.join(shared, "corpus", "curl-docs", "docs")
    return d if os.path.isdir(d) else None


def esc(s):
    return html.escape(s, quote=True)


def gh_slug(text):
    """GitHub's anchor for a heading text (used only to repair in-page links)."""
    s = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return s.replace(" ", "-")


# ---------------------------------------------------------------- front matter

def split_front_matter(text):
    meta = {}
    if not text.startswith("---\n"):
        return meta, text
    end = text.find("\n---\n", 3)
    if end < 0:
        return meta, text
    key = None
    for line in text[4:end].split("\n"):
        m = re.match(r"^([A-Za-z][\w-]*):\s*(.*)$", line)
        if m:
            key = m.group(1)
            meta[key] = m.group(2).strip() if m.group(2).strip() else []
        elif key and re.match(r"^\s+-\s+", line):
            if not isinstance(meta[key], list):
                meta[key] = [meta[key]]
            meta[key].append(re.sub(r"^\s+-\s+", "", line).strip())
    return meta, text[end + 5:]


# ---------------------------------------------------------------- inline Markdown

CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.S)
LINK = re.compile(r"\[([^\]\n]*(?:\n[^\]\n]*)?)\]\(\s*<?([^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
AUTOLINK = re.compile(r"<((?:https?|ftp|mailto):[^>\s]+)>")
BARE_URL = re.compile(r"(?<![\w/\"'=])(https?://[A-Za-z0-9][^\s<>()\"']*[A-Za-z0-9/_=#-])")
MANREF = re.compile(r"(?<![\w-])([A-Za-z_][A-Za-z0-9_.-]*)\((3|1)\)")
OPTREF = re.compile(r"(?<![\w-])--([a-z0-9][a-z0-9.-]*[a-z0-9])")
STRONG_EM = re.compile(r"\*\*\*(?!\s)(.+?)(?<!\s)\*\*\*", re.S)
STRONG = re.compile(r"\*\*(?!\s)(.+?)(?<!\s)\*\*", re.S)
EM = re.compile(r"(?<![\w*\\])\*(?![\s*])([^*\n]+?)(?<![\s\\])\*(?![\w*])")


class Renderer:
    """Converts one document's Markdown to HTML; knows the site's page map for links."""

    def __init__(self, site, page):
        self.site = site
        self.page = page
        self.holds = []

    def hold(self, s):
        self.holds.append(s)
        return "\x00%d\x00" % (len(self.holds) - 1)

    def link_target(self, url):
        """Maps a Markdown link target to a site URL (or keeps an external one)."""
        if re.match(r"^[a-z][a-z0-9+.-]*:", url, re.I):
            return url
        if url.startswith("#"):
            slug = url[1:]
            return "#" + self.page["slug_ids"].get(slug, slug)
        path, _, frag = url.partition("#")
        if path.endswith(".md"):
            src_dir = os.path.dirname(self.page["src"])
            rel = os.path.normpath(os.path.join(src_dir, path)).replace(os.sep, "/")
            target = self.site["by_src"].get(rel)
            if target:
                return target["url"] + ("#" + frag if frag else "")
            return "/docs/" + rel[:-3] + ".html" + ("#" + frag if frag else "")
        return url

    def a(self, href, label_html):
        if href == ORPHAN:  # nothing links to the orphan page
            return label_html
        return '<a href="%s">%s</a>' % (esc(href), label_html)

    def inline(self, text):
        self.holds = []
        text = CODE_SPAN.sub(lambda m: self.hold("<code>%s</code>" % esc(m.group(2).strip())), text)
        text = re.sub(r"\\([\\`*_{}\[\]()#+.!<>|~-])", lambda m: self.hold(esc(m.group(1))), text)
        text = LINK.sub(lambda m: self.hold(self.a(self.link_target(m.group(2)),
                                                   self.inline_plain(m.group(1)))), text)
        text = AUTOLINK.sub(lambda m: self.hold(self.a(m.group(1), esc(m.group(1)))), text)
        text = BARE_URL.sub(lambda m: self.hold(self.a(m.group(1), esc(m.group(1)))), text)
        text = esc(text)
        text = STRONG_EM.sub(r"<strong><em>\1</em></strong>", text)
        text = STRONG.sub(r"<strong>\1</strong>", text)
        text = EM.sub(r"<em>\1</em>", text)
        text = MANREF.sub(self.manref, text)
        if self.page["section"] == "cmdline":
            text = OPTREF.sub(self.optref, text)
        for _ in range(3):  # holds may nest one level (code inside a link label)
            if "\x00" not in text:
                break
            text = re.sub(r"\x00(\d+)\x00", lambda m: self.holds[int(m.group(1))], text)
        return text

    def inline_plain(self, text):
        """A link label: escaped text with emphasis (code spans are already held)."""
        text = esc(text)
        text = STRONG.sub(r"<strong>\1</strong>", text)
        return EM.sub(r"<em>\1</em>", text)

    def manref(self, m):
        name = m.group(1)
        target = self.site["by_name"].get(name)
        if not target or target["url"] == self.page["url"]:
            return m.group(0)
        return self.a(target["url"], m.group(0))

    def optref(self, m):
        target = self.site["options"].get(m.group(1))
        if not target or target["url"] == self.page["url"]:
            return m.group(0)
        return self.a(target["url"], m.group(0))


# ---------------------------------------------------------------- block Markdown

FENCE = re.compile(r"^(\s*)(```+|~~~+)\s*([\w+#.-]*)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])(\s+|$)")
TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
RAW_TAG = re.compile(r"^\s*</?(details|summary)\b[^>]*>\s*(.*?)\s*(</summary>)?\s*$")


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def parse_blocks(lines):
    """Returns a list of blocks: ('h', level, text), ('code', lang, text), ('p', text),
    ('list', ordered, [item_lines...]), ('table', rows), ('quote', lines), ('raw', html)."""
    blocks = []
    i, n = 0, len(lines)
    while i < n:
        line = lines[i].expandtabs(4)
        if not line.strip():
            i += 1
            continue
        if line.lstrip().startswith("<!--"):
            while i < n and "-->" not in lines[i]:
                i += 1
            i += 1
            continue
        m = FENCE.match(line)
        if m:
            marker, lang, ind = m.group(2), m.group(3), len(m.group(1))
            body = []
            i += 1
            while i < n and not lines[i].strip().startswith(marker[0] * len(marker)):
                body.append(lines[i][ind:] if lines[i][:ind].strip() == "" else lines[i])
                i += 1
            i += 1
            blocks.append(("code", lang, "\n".join(body)))
            continue
        m = HEADING.match(line)
        if m and indent_of(line) < 4:
            blocks.append(("h", len(m.group(1)), m.group(2)))
            i += 1
            continue
        if line.lstrip().startswith("|") and i + 1 < n and TABLE_SEP.match(lines[i + 1]):
            rows = [line]
            i += 2
            while i < n and lines[i].strip().startswith("|"):
                rows.append(lines[i])
                i += 1
            blocks.append(("table", rows))
            continue
        if line.lstrip().startswith(">"):
            body = []
            while i < n and lines[i].lstrip().startswith(">"):
                body.append(re.sub(r"^\s*>\s?", "", lines[i]))
                i += 1
            blocks.append(("quote", body))
            continue
        m = RAW_TAG.match(line)
        if m:
            blocks.append(("raw", line.strip()))
            i += 1
            continue
        m = LIST_ITEM.match(line)
        if m and indent_of(line) < 4 and m.group(3):
            i = parse_list(lines, i, blocks)
            continue
        if indent_of(line) >= 4:
            body = []
            while i < n and (not lines[i].strip() or indent_of(lines[i].expandtabs(4)) >= 4):
                body.append(lines[i].expandtabs(4)[4:])
                i += 1
            while body and not body[-1].strip():
                body.pop()
            blocks.append(("code", "", "\n".join(body)))
            continue
        para = [line.strip()]
        i += 1
        while i < n and lines[i].strip():
            nxt = lines[i]
            if (FENCE.match(nxt) or HEADING.match(nxt) or nxt.lstrip().startswith("<!--")
                    or (LIST_ITEM.match(nxt) and LIST_ITEM.match(nxt).group(3)
                        and indent_of(nxt) < 4 and not re.match(r"^\s*\d", nxt))):
                break
            para.append(nxt.strip())
            i += 1
        blocks.append(("p", "\n".join(para)))
    return blocks


def parse_list(lines, i, blocks):
    first = LIST_ITEM.match(lines[i])
    base = indent_of(lines[i])
    ordered = first.group(2)[0].isdigit()
    items = []
    n = len(lines)
    while i < n:
        m = LIST_ITEM.match(lines[i])
        if not m or abs(indent_of(lines[i]) - base) > 1 or m.group(2)[0].isdigit() != ordered:
            break
        col = len(m.group(0))
        content = [lines[i][col:]]
        i += 1
        while i < n:
            line = lines[i].expandtabs(4)
            if not line.strip():
                j = i
                while j < n and not lines[j].strip():
                    j += 1
                if j < n and indent_of(lines[j]) > base and not (
                        LIST_ITEM.match(lines[j]) and indent_of(lines[j]) <= base + 1):
                    content.extend([""] * (j - i))
                    i = j
                    continue
                break
            mm = LIST_ITEM.match(line)
            if mm and indent_of(line) <= base + 1:
                break
            if indent_of(line) > base:
                cut = min(indent_of(line), col)
                content.append(line[cut:])
            elif content[-1].strip() and not (FENCE.match(line) or HEADING.match(line)):
                content.append(line.strip())
            else:
                break
            i += 1
        items.append(content)
        # a blank line between items of the same list keeps the list going
        j = i
        while j < n and not lines[j].strip():
            j += 1
        if j < n and j != i:
            mm = LIST_ITEM.match(lines[j])
            if mm and abs(indent_of(lines[j]) - base) <= 1 and mm.group(2)[0].isdigit() == ordered:
                i = j
    blocks.append(("list", ordered, items))
    return i


# ---------------------------------------------------------------- page rendering

class Page:
    pass


def render_body(r, blocks, headings, counters):
    """Renders blocks; headings are shifted one level down and numbered (see module doc)."""
    out = []
    for b in blocks:
        kind = b[0]
        if kind == "h":
            level = min(b[1] + 1, 6)
            text = b[2]
            if text in ("%PROTOCOLS%", "%AVAILABILITY%"):
                out.append(generated_section(r, text, headings, counters))
                continue
            out.append(heading(r, level, text, headings, counters))
        elif kind == "p":
            out.append("<p>%s</p>" % r.inline(b[1]))
        elif kind == "code":
            cls = ' class="language-%s"' % esc(b[1]) if b[1] else ""
            out.append("<pre><code%s>%s</code></pre>" % (cls, esc(b[2])))
        elif kind == "list":
            tag = "ol" if b[1] else "ul"
            items = []
            for content in b[2]:
                sub = parse_blocks(content)
                if len(sub) == 1 and sub[0][0] == "p":
                    items.append("<li>%s</li>" % r.inline(sub[0][1]))
                else:
                    items.append("<li>%s</li>" % render_body(r, sub, headings, counters))
            out.append("<%s>\n%s\n</%s>" % (tag, "\n".join(items), tag))
        elif kind == "table":
            rows = [split_row(x) for x in b[1]]
            head = "".join("<th>%s</th>" % r.inline(c) for c in rows[0])
            body = "\n".join("<tr>%s</tr>" % "".join("<td>%s</td>" % r.inline(c) for c in row)
                             for row in rows[1:])
            out.append("<table>\n<thead><tr>%s</tr></thead>\n<tbody>\n%s\n</tbody>\n</table>"
                       % (head, body))
        elif kind == "quote":
            out.append("<blockquote>%s</blockquote>"
                       % render_body(r, parse_blocks(b[1]), headings, counters))
        elif kind == "raw":
            m = re.match(r"^<(/?)(details|summary)[^>]*>(.*?)(</summary>)?$", b[1])
            if m and m.group(2) == "summary" and not m.group(1):
                out.append("<summary>%s</summary>" % r.inline(re.sub(r"</summary>$", "", m.group(3))))
            elif m:
                out.append("<%s%s>" % (m.group(1), m.group(2)))
    return "\n".join(out)


def split_row(line):
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|") and not line.endswith("\\|"):
        line = line[:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)]


def heading(r, level, text, headings, counters):
    inner = r.inline(text)
    plain = html.unescape(re.sub(r"<[^>]+>", "", inner))
    hid = ""
    if level == 2:
        counters[0] += 1
        counters[1] = 0
        hid = "s%d" % counters[0]
    elif level == 3:
        counters[1] += 1
        hid = "s%d-%d" % (counters[0], counters[1])
    headings.append({"level": level, "id": hid, "text": plain})
    attr = ' id="%s"' % hid if hid else ""
    return "<h%d%s>%s</h%d>" % (level, attr, inner, level)


def generated_section(r, marker, headings, counters):
    meta = r.page["meta"]
    if marker == "%PROTOCOLS%":
        out = [heading(r, 2, "PROTOCOLS", headings, counters)]
        protos = meta.get("Protocol") or []
        if isinstance(protos, str):
            protos = [protos]
        if protos == ["All"]:
            out.append("<p>This functionality affects all supported protocols</p>")
        elif protos:
            out.append("<p>This functionality affects %s</p>" % esc(" and ".join(
                p.lower() if p != "TLS" else p for p in protos)))
        return "\n".join(out)
    out = [heading(r, 2, "AVAILABILITY", headings, counters)]
    added = meta.get("Added-in")
    if added and added != "n/a":
        out.append("<p>Added in curl %s</p>" % esc(added))
    else:
        out.append("<p>Available since the beginning of libcurl.</p>")
    return "\n".join(out)


def see_also_section(r, headings, counters):
    items = r.page["meta"].get("See-also") or []
    if isinstance(items, str):
        items = [items]
    if not items:
        return ""
    lis = []
    for item in items:
        name = re.sub(r"\s*\(\d\)\s*$", "", item).strip()
        target = r.site["by_name"].get(name) or r.site["options"].get(name)
        label = esc(item if r.page["section"] != "cmdline" else "--" + name)
        lis.append("<li>%s</li>" % (r.a(target["url"], label) if target else label))
    return "%s\n<ul class=\"see-also\">\n%s\n</ul>" % (
        heading(r, 2, "SEE ALSO", headings, counters), "\n".join(lis))


def cmdline_intro(r):
    meta = r.page["meta"]
    long = meta.get("Long")
    if not long:
        return ""
    parts = []
    sig = ("-%s, " % meta["Short"] if meta.get("Short") else "") + "--" + long
    if meta.get("Arg"):
        sig += " " + meta["Arg"]
    parts.append('<p class="synopsis"><code>%s</code></p>' % esc(sig))
    if meta.get("Help"):
        parts.append('<p class="summary">%s</p>' % esc(meta["Help"]))
    return "\n".join(parts)


def cmdline_outro(r):
    meta = r.page["meta"]
    if not meta.get("Long"):
        return ""
    parts = []
    ex = meta.get("Example") or []
    if isinstance(ex, str):
        ex = [ex]
    if ex:
        parts.append("<p>Example%s:</p>" % ("s" if len(ex) > 1 else ""))
        parts.append('<pre><code class="language-sh">%s</code></pre>' % esc("\n".join(
            "curl " + e.replace("$URL", "https://example.com") for e in ex)))
    if meta.get("Added"):
        parts.append("<p>Added in %s.</p>" % esc(meta["Added"]))
    return "\n".join(parts)


def page_title(meta, blocks, stem, section):
    if meta.get("Title"):
        return meta["Title"], blocks
    if section == "cmdline" and meta.get("Long"):
        title = "--" + meta["Long"]
        if blocks and blocks[0][0] == "h" and blocks[0][1] == 1:
            blocks = blocks[1:]
        return title, blocks
    if blocks and blocks[0][0] == "h" and blocks[0][1] == 1:
        return re.sub(r"`", "", blocks[0][2]), blocks[1:]
    return stem, blocks


# ---------------------------------------------------------------- frame

HEADER = """<header class="site-header" id="top">
<a class="brand" href="/"><img src="/static/logo.png" alt="" width="24" height="24"> {site}</a>
<nav class="top-nav" aria-label="Main"><ul>
<li><a href="/docs/">Documentation</a></li>
<li><a href="/docs/libcurl/">libcurl</a></li>
<li><a href="/docs/cmdline-opts/">Command line</a></li>
<li><a href="/docs/FAQ.html?utm_source=nav&amp;utm_medium=x">FAQ</a></li>
<li><a href="/blog/">Blog</a></li>
<li><a href="/download.html">Download</a></li>
<li><a href="javascript:void(0)" class="theme-toggle">Dark mode</a></li>
</ul></nav>
<form class="search" action="/search" method="get" role="search"><input type="search" name="q" placeholder="Search the docs"></form>
</header>"""

FOOTER = """<footer class="site-footer">
<p>Copyright &copy; 1996 - 2026 Daniel Stenberg and the curl contributors. Rendered for the precis test suite.</p>
<ul>
<li><a href="/docs/manual.html">Manual (old address)</a></li>
<li><a href="/docs/">Documentation</a></li>
<li><a href="/blog/">Blog</a></li>
<li><a href="mailto:curl-library@example.invalid">Mailing list</a></li>
<li><a href="ftp://ftp.example.invalid/pub/curl/">FTP mirror</a></li>
<li><a href="javascript:openCookieSettings()">Cookie settings</a></li>
<li><a href="#top">Back to top</a></li>
</ul>
</footer>"""


def frame(title, url, body, sidebar="", toc="", description="", head_extra="", canonical=True):
    canon = '<link rel="canonical" href="%s%s">\n' % (BASE, esc(url)) if canonical else ""
    desc = '<meta name="description" content="%s">\n' % esc(description) if description else ""
    toc_html = ""
    if toc:
        toc_html = ('<aside class="toc" aria-label="On this page"><h2>On this page</h2>\n'
                    '<ul>\n%s\n</ul>\n</aside>\n' % toc)
    side = '<nav class="sidebar" aria-label="Section">\n%s\n</nav>\n' % sidebar if sidebar else ""
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%s - %s</title>\n%s%s<link rel=\"stylesheet\" href=\"/static/site.css\">\n%s"
            "</head>\n<body>\n%s\n<div class=\"layout\">\n%s<main id=\"content\">\n%s\n</main>\n%s"
            "</div>\n%s\n</body>\n</html>\n"
            % (esc(title), SITE_NAME, canon, desc, head_extra, HEADER.format(site=SITE_NAME),
               side, body, toc_html, FOOTER))


def sidebar_for(site, section_key):
    parts = ['<h2>Sections</h2>\n<ul class="sections">']
    for key, _, udir, name in SECTIONS:
        parts.append('<li><a href="%s">%s</a></li>' % (udir, esc(name)))
    parts.append("</ul>")
    name = [s[3] for s in SECTIONS if s[0] == section_key][0]
    parts.append("<h2>%s</h2>\n<ul class=\"pages\">" % esc(name))
    for p in site["sections"][section_key]:
        if p["url"] == ORPHAN:
            continue
        parts.append('<li><a href="%s">%s</a></li>' % (p["url"], esc(p["title"])))
    parts.append("</ul>")
    return "\n".join(parts)


def toc_for(headings):
    return "\n".join('<li class="toc-h%d"><a href="#%s">%s</a></li>'
                     % (h["level"], h["id"], esc(h["text"])) for h in headings if h["id"])


def breadcrumbs(page):
    crumbs = ['<a href="/docs/">Docs</a>']
    if page["section"] != "docs":
        udir = [s[2] for s in SECTIONS if s[0] == page["section"]][0]
        crumbs.append('<a href="%s">%s</a>' % (udir, esc(udir.strip("/").split("/")[-1])))
    crumbs.append(esc(page["title"]))
    return '<nav class="breadcrumbs" aria-label="Breadcrumb">%s</nav>' % " &rsaquo; ".join(crumbs)


# ---------------------------------------------------------------- the site

def load(docs):
    site = {"pages": [], "by_src": {}, "by_name": {}, "options": {},
            "sections": {s[0]: [] for s in SECTIONS}}
    for key, sub, udir, _ in SECTIONS:
        d = os.path.join(docs, sub) if sub else docs
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".md"):
                continue
            with open(os.path.join(d, fn), encoding="utf-8") as f:
                text = f.read()
            meta, body = split_front_matter(text)
            stem = fn[:-3]
            lines = body.split("\n")
            blocks = parse_blocks(lines)
            title, blocks = page_title(meta, blocks, stem, key)
            src = (sub + "/" + fn) if sub else fn
            page = {"src": src, "url": udir + stem + ".html", "title": title, "meta": meta,
                    "section": key, "blocks": blocks, "stem": stem}
            site["pages"].append(page)
            site["by_src"][src] = page
            site["sections"][key].append(page)
            if key in ("libcurl", "opts"):
                site["by_name"][stem] = page
                if meta.get("Title"):
                    site["by_name"][meta["Title"]] = page
            if key == "cmdline" and meta.get("Long"):
                site["options"][meta["Long"]] = page
    return site


def render_page(site, page):
    r = Renderer(site, page)
    # map GitHub-style heading slugs to our ids so in-page [x](#slug) links work
    headings, counters = [], [0, 0]
    page["slug_ids"] = {}
    probe = []
    for b in page["blocks"]:
        if b[0] == "h":
            probe.append(b)
    c = [0, 0]
    for b in probe:
        lvl = b[1] + 1
        if lvl == 2:
            c[0] += 1
            c[1] = 0
            page["slug_ids"][gh_slug(b[2])] = "s%d" % c[0]
        elif lvl == 3:
            c[1] += 1
            page["slug_ids"][gh_slug(b[2])] = "s%d-%d" % tuple(c)
    intro = cmdline_intro(r)
    body = render_body(r, page["blocks"], headings, counters)
    outro = cmdline_outro(r)
    see = see_also_section(r, headings, counters)
    extra = ""
    if page["url"] == "/docs/FAQ.html":
        extra = ('<p class="related">Older bookmarks: <a href="/docs/faq">the lower-case FAQ '
                 'address</a> still works, and the <a href="/docs/mirror.html">mirror copy</a> '
                 'lives on another host.</p>')
    if page["url"] == "/docs/libcurl/opts/CURLOPT_TIMEOUT.html":
        extra = ('<p class="related">See also the <a href="/docs/libcurl/opts/CURLOPT_TIMEOUT_REMOVED.html">'
                 'retired timeout page</a> and <a href="/docs/filters.html">connection filters</a>.</p>')
    article = "\n".join(x for x in (
        breadcrumbs(page), "<article>", "<h1>%s</h1>" % esc(page["title"]), intro, body, outro,
        see, extra, "</article>") if x)
    page["headings"] = headings
    desc = page["meta"].get("Help") or ""
    if not desc:
        for b in page["blocks"]:
            if b[0] == "p":
                desc = re.sub(r"\s+", " ", re.sub(r"[*`]", "", b[1]))[:160]
                break
    return frame(page["title"], page["url"], article, sidebar_for(site, page["section"]),
                 toc_for(headings), desc)


def index_page(site, key, udir, name):
    items = "\n".join('<li><a href="%s">%s</a></li>' % (p["url"], esc(p["title"]))
                      for p in site["sections"][key] if p["url"] != ORPHAN)
    body = ('<nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/docs/">Docs</a> &rsaquo; %s</nav>\n'
            '<article>\n<h1>%s</h1>\n<p>All %d pages of the %s section.</p>\n<ul class="index">\n%s\n</ul>\n</article>'
            % (esc(name), esc(name), len(site["sections"][key]), esc(name), items))
    return frame(name, udir, body, sidebar_for(site, key))


def docs_index(site):
    secs = "\n".join('<li><a href="%s">%s</a> (%d pages)</li>' % (u, esc(n), len(site["sections"][k]))
                     for k, _, u, n in SECTIONS)
    top = "\n".join('<li><a href="%s">%s</a></li>' % (p["url"], esc(p["title"]))
                    for p in site["sections"]["docs"] if p["url"] != ORPHAN)
    internals = "\n".join('<li><a href="%s">%s</a></li>' % (p["url"], esc(p["title"]))
                          for p in site["sections"]["internals"])
    body = """<article>
<h1>curl documentation</h1>
<p>Everything about the curl command line tool and the libcurl library: the API reference,
one page for every command line option, guides, and notes about curl's internals.</p>
<h2 id="s1">Sections</h2>
<ul>
%s
</ul>
<h2 id="s2">Guides and project documents</h2>
<ul>
%s
</ul>
<h2 id="s3">Internals</h2>
<p>Notes for contributors, starting with the <a href="/docs/internals/README.html">overview</a>.</p>
<ul>
%s
</ul>
<h2 id="s4">Quick links</h2>
<ul>
<li><a href="/docs/manual.html">The manual (old address)</a></li>
<li><a href="/docs/faq">FAQ (old address)</a></li>
<li><a href="/docs/mirror.html">Mirror of the manual</a></li>
<li><a href="/docs/filters.html">Connection filters</a></li>
<li><a href="/docs/calendar/2026/11.html">Release calendar</a></li>
<li><a href="/docs/status.html">Service status</a></li>
<li><a href="/docs/slow.html">Mirror latency report</a></li>
<li><a href="/docs/api-explorer.html">API explorer</a></li>
<li><a href="/docs/all-in-one.html">All documentation on one page</a></li>
<li><a href="/docs/libcurl/curl_easy_perform-print.html">curl_easy_perform (printer friendly)</a></li>
<li><a href="/docs/no-such-page.html">Release notes</a></li>
<li><a href="/docs/logo.png">Logo (PNG)</a></li>
<li><a href="/download/curl-8.99.0.tar.gz">Source tarball</a></li>
<li><a href="#s1">Back to the sections</a></li>
</ul>
</article>""" % (secs, top, internals)
    return frame("Documentation", "/docs/", body, sidebar_for(site, "docs"))


def home_page():
    body = """<article>
<h1>curl</h1>
<p>command line tool and library for transferring data with URLs.</p>
<ul>
<li><a href="/docs/">Documentation</a></li>
<li><a href="/blog/">Blog</a></li>
<li><a href="/download.html">Download</a></li>
</ul>
</article>"""
    return frame("curl", "/", body)


BLOG = [
    ("/blog/2026/curl-8-99.html", "curl 8.99 released",
     "This release brings the usual mix of bug fixes and a few new options. Thanks to all "
     "the contributors who reported problems and sent patches during the last cycle."),
    ("/blog/2026/twenty-eight-years.html", "Twenty-eight years of curl",
     "The project turned twenty-eight this spring. We look back at how a small currency "
     "converter grew into a library used in billions of installations."),
]


def blog_pages():
    out = {}
    items = "\n".join('<li><a href="%s">%s</a></li>' % (u, esc(t)) for u, t, _ in BLOG)
    out["/blog/index.html"] = frame("Blog", "/blog/", "<article>\n<h1>Blog</h1>\n<ul>\n%s\n</ul>\n</article>" % items)
    for u, t, text in BLOG:
        out[u] = frame(t, u, "<article>\n<h1>%s</h1>\n<p>%s</p>\n<p>Read the <a href=\"/docs/\">documentation</a>.</p>\n</article>"
                       % (esc(t), esc(text)))
    return out


def download_page():
    body = """<article>
<h1>Download</h1>
<p>The latest release is curl 8.99.0.</p>
<ul>
<li><a href="/download/curl-8.99.0.tar.gz">curl-8.99.0.tar.gz</a></li>
<li><a href="ftp://ftp.example.invalid/pub/curl/curl-8.99.0.tar.gz">FTP mirror</a></li>
<li><a href="/docs/INSTALL.html">How to install</a></li>
</ul>
</article>"""
    return frame("Download", "/download.html", body)


def print_copy(site):
    """A printer-friendly duplicate of curl_easy_perform: other bytes, same text, and a
    canonical link naming the original page's URL."""
    page = site["by_src"]["libcurl/curl_easy_perform.md"]
    return render_page(site, page).replace('href="/static/site.css"',
                                           'href="/static/print.css" media="print"')


def robots_txt():
    return """# robots.txt for the precis test docs site
User-agent: ExampleBot
Disallow: /

User-agent: *
Allow: %s
Disallow: %s
Disallow: /docs/private/
Disallow: /_ctl/
Crawl-delay: 0

Sitemap: %s/sitemap.xml
""" % (ALLOWED_INTERNAL, DISALLOWED_PREFIX, BASE)


def http_date(t):
    return time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(t))


def lastmod_for(url):
    days = int(hashlib.sha1(url.encode()).hexdigest()[:6], 16) % 400
    return CORPUS_DATE - days * 86400 - 3600 * (days % 13)


def sitemap(urls, lastmods):
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for u in urls:
        lines.append("<url><loc>%s%s</loc><lastmod>%s</lastmod></url>"
                     % (BASE, esc(u), time.strftime("%Y-%m-%d", time.gmtime(lastmods[u]))))
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemap_index():
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            '<sitemap><loc>%s/sitemap-libcurl.xml</loc></sitemap>\n'
            '<sitemap><loc>%s/sitemap-docs.xml</loc></sitemap>\n'
            '</sitemapindex>\n' % (BASE, BASE))


def llms_txt():
    key = [("/docs/MANUAL.html", "how to use the curl command line tool"),
           ("/docs/FAQ.html", "frequently asked questions"),
           ("/docs/libcurl/libcurl-tutorial.html", "programming with libcurl"),
           ("/docs/libcurl/curl_easy_setopt.html", "every easy handle option"),
           ("/docs/libcurl/libcurl-errors.html", "error codes"),
           ("/docs/TheArtOfHttpScripting.html", "scripting HTTP with curl")]
    lines = ["# curl docs", "", "> Documentation for the curl command line tool and libcurl.", "",
             "## Key pages", ""]
    lines += ["- [%s](%s%s): %s" % (u.rsplit("/", 1)[1], BASE, u, d) for u, d in key]
    return "\n".join(lines) + "\n"


CSS = """body{font-family:sans-serif;margin:0}.layout{display:flex}
.sidebar{width:16rem;font-size:.85rem}.toc{width:14rem;font-size:.85rem}
main{flex:1;padding:0 1rem}pre{background:#f4f4f4;padding:.5rem}
"""

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
       b"\x00\x00\x00\x00IEND\xaeB`\x82")


def tarball():
    import gzip
    import io
    raw = io.BytesIO()
    # a small, valid gzip stream of pseudo-random bytes
    seed = b"curl-8.99.0"
    data = b""
    while len(data) < 64 * 1024:
        seed = hashlib.sha256(seed).digest()
        data += seed
    with gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as g:
        g.write(data)
    return raw.getvalue()


def write(out_dir, url, content):
    rel = url.lstrip("/")
    if not rel or rel.endswith("/"):
        rel += "index.html"
    path = os.path.join(out_dir, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(content.encode("utf-8") if isinstance(content, str) else content)


def build(out_dir, shared_dir=None):
    """Renders the site into out_dir; returns the manifest dict. Raises FileNotFoundError
    (with a clear message) when the corpus is absent."""
    docs = corpus_dir(shared_dir)
    if not docs:
        raise FileNotFoundError("curl docs corpus not found: set PRECIS_SHARED to the directory "
                                "holding corpus/curl-docs (default <repo>/../shared)")
    site = load(docs)
    if os.path.isdir(out_dir):
        for name in os.listdir(out_dir):
            p = os.path.join(out_dir, name)
            shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)
    os.makedirs(out_dir, exist_ok=True)
    pages = {}
    for page in site["pages"]:
        write(out_dir, page["url"], render_page(site, page))
        pages[page["url"]] = {"title": page["title"], "section": page["section"], "src": page["src"],
                              "headings": page["headings"]}
    for key, _, udir, name in SECTIONS:
        if key != "docs":
            write(out_dir, udir, index_page(site, key, udir, name))
    write(out_dir, "/docs/", docs_index(site))
    write(out_dir, "/", home_page())
    for u, content in blog_pages().items():
        write(out_dir, u, content)
    write(out_dir, "/download.html", download_page())
    write(out_dir, "/docs/libcurl/curl_easy_perform-print.html", print_copy(site))
    write(out_dir, "/robots.txt", robots_txt())
    lastmods = {u: lastmod_for(u) for u in pages}
    lib = [u for u in sorted(pages) if u.startswith("/docs/libcurl/")]
    rest = [u for u in sorted(pages) if not u.startswith("/docs/libcurl/")]
    write(out_dir, "/sitemap.xml", sitemap_index())
    write(out_dir, "/sitemap-libcurl.xml", sitemap(lib, lastmods))
    write(out_dir, "/sitemap-docs.xml", sitemap(rest, lastmods))
    write(out_dir, "/llms.txt", llms_txt())
    write(out_dir, "/static/site.css", CSS)
    write(out_dir, "/static/logo.png", PNG)
    write(out_dir, "/docs/logo.png", PNG)
    write(out_dir, "/download/curl-8.99.0.tar.gz", tarball())
    manifest = {"pages": pages, "lastmod": lastmods, "orphan": ORPHAN,
                "disallowed_prefix": DISALLOWED_PREFIX, "allowed_exception": ALLOWED_INTERNAL}
    with open(os.path.join(out_dir, "_manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--shared", help="directory holding corpus/curl-docs "
                    "(default $PRECIS_SHARED, else <repo>/../shared)")
    args = ap.parse_args()
    if not corpus_dir(args.shared):
        print("SKIP: curl docs corpus not found under %s/corpus/curl-docs "
              "(set PRECIS_SHARED or --shared)"
              % (args.shared or os.environ.get("PRECIS_SHARED") or os.path.join(REPO, "..", "shared")))
        return 77
    t0 = time.monotonic()
    manifest = build(args.out_dir, args.shared)
    print("built %d pages in %s (%.1fs)" % (len(manifest["pages"]), args.out_dir, time.monotonic() - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
