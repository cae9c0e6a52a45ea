/* Loading a page: fetch, sniff the content type, decode, and build a document. */
#include "precis/page.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "precis/charset.h"
#include "precis/pdftext.h"

typedef enum page_kind {
    KIND_HTML,
    KIND_TEXT,
    KIND_MARKDOWN,
    KIND_JSON,
    KIND_PDF,
    KIND_BINARY
} page_kind;

#define SNIFF_BYTES 1024

static bool starts_with(const char *s, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);
    return len >= n && memcmp(s, prefix, n) == 0;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Skips a BOM and leading whitespace; returns the offset of the first content byte. */
static size_t skip_space(const char *s, size_t len)
{
    size_t i = starts_with(s, len, "\xEF\xBB\xBF") ? 3 : 0;
    while (i < len && isspace((unsigned char)s[i]))
        i++;
    return i;
}

/* True if the body starts like an HTML document (the WHATWG sniffing tags). */
static bool looks_like_html(const char *s, size_t len)
{
    static const char *const tags[] = {"<!doctype html", "<html", "<head", "<body", "<script",
                                       "<iframe", "<h1", "<div", "<font", "<table", "<a",
                                       "<style", "<title", "<b", "<br", "<p", "<!--", "<meta",
                                       "<article", "<main"};
    size_t i = skip_space(s, len);
    for (size_t t = 0; t < sizeof tags / sizeof tags[0]; t++) {
        size_t n = strlen(tags[t]);
        if (len - i < n + 1)
            continue;
        bool match = true;
        for (size_t k = 0; k < n && match; k++)
            match = tolower((unsigned char)s[i + k]) == tags[t][k];
        char after = s[i + n];
        if (match && (strcmp(tags[t], "<!--") == 0 || after == ' ' || after == '>' ||
                      after == '\t' || after == '\n' || after == '\r' || after == '/'))
            return true;
    }
    return false;
}

/* True if the first bytes look like binary data rather than text. */
static bool looks_binary(const char *s, size_t len)
{
    static const char *const magics[] = {"\x89PNG", "GIF8", "\xFF\xD8\xFF", "PK\x03\x04",
                                         "\x1F\x8B", "RIFF", "OggS", "ID3", "fLaC",
                                         "\x7F" "ELF", "BZh", "\xFD" "7zXZ"};
    for (size_t i = 0; i < sizeof magics / sizeof magics[0]; i++)
        if (starts_with(s, len, magics[i]))
            return true;
    size_t n = len < SNIFF_BYTES ? len : SNIFF_BYTES;
    size_t controls = 0;
    if (starts_with(s, len, "\xFF\xFE") || starts_with(s, len, "\xFE\xFF"))
        return false; /* UTF-16 text */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 0)
            return true;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b)
            controls++;
    }
    return controls * 10 > n;
}

static bool is_json_type(const char *type)
{
    return strcmp(type, "application/json") == 0 || strcmp(type, "text/json") == 0 ||
           has_suffix(type, "+json");
}

/* Decides how to read the body from its media type (may be NULL) and its bytes. */
static page_kind classify(const char *type, const char *s, size_t len)
{
    if (starts_with(s, len, "%PDF-") || (type && strcmp(type, "application/pdf") == 0))
        return KIND_PDF;
    if (type) {
        if (strcmp(type, "text/html") == 0 || strcmp(type, "application/xhtml+xml") == 0)
            return KIND_HTML;
        if (is_json_type(type))
            return KIND_JSON;
        if (strcmp(type, "text/markdown") == 0 || strcmp(type, "text/x-markdown") == 0)
            return KIND_MARKDOWN;
        if (strncmp(type, "image/", 6) == 0 || strncmp(type, "audio/", 6) == 0 ||
            strncmp(type, "video/", 6) == 0 || strncmp(type, "font/", 5) == 0)
            return KIND_BINARY;
        if (strncmp(type, "text/", 5) == 0)
            return KIND_TEXT;
        if (strcmp(type, "application/octet-stream") != 0 && strcmp(type, "unknown/unknown") != 0) {
            /* other application types: text-like ones (xml, javascript) pass through */
            if (looks_binary(s, len))
                return KIND_BINARY;
            return looks_like_html(s, len) && strstr(type, "xml") ? KIND_HTML : KIND_TEXT;
        }
    }
    /* no type, or application/octet-stream: sniff */
    if (looks_binary(s, len))
        return KIND_BINARY;
    if (looks_like_html(s, len))
        return KIND_HTML;
    size_t i = skip_space(s, len);
    if (i < len && (s[i] == '{' || s[i] == '[')) {
        cJSON *j = cJSON_ParseWithLength(s + i, len - i);
        if (j) {
            cJSON_Delete(j);
            return KIND_JSON;
        }
    }
    if (type) /* application/octet-stream that is not HTML: treat as binary */
        return KIND_BINARY;
    return KIND_TEXT;
}

/* Returns the first ATX ("# Title") or setext heading text of markdown, or NULL. */
static char *markdown_title(const char *s, size_t len)
{
    const char *end = s + len;
    const char *prev = NULL;
    size_t prev_len = 0;
    for (const char *line = s; line < end;) {
        const char *nl = memchr(line, '\n', (size_t)(end - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
        size_t i = 0;
        while (i < n && i < 3 && line[i] == ' ')
            i++;
        if (i < n && line[i] == '#') {
            size_t level = 0;
            while (i < n && line[i] == '#' && level < 7) {
                i++;
                level++;
            }
            if (level <= 6 && (i == n || line[i] == ' ' || line[i] == '\t')) {
                while (i < n && isspace((unsigned char)line[i]))
                    i++;
                size_t e = n;
                while (e > i && (isspace((unsigned char)line[e - 1]) || line[e - 1] == '#'))
                    e--;
                if (e > i)
                    return precis_xstrndup(line + i, e - i);
            }
        }
        /* setext: a non-blank line followed by === or --- */
        if (prev && prev_len && n >= 3 && (line[0] == '=' || line[0] == '-')) {
            bool all = true;
            for (size_t k = 0; k < n && all; k++)
                all = line[k] == line[0] || isspace((unsigned char)line[k]);
            if (all)
                return precis_xstrndup(prev, prev_len);
        }
        size_t t = 0;
        while (t < n && isspace((unsigned char)line[t]))
            t++;
        size_t e = n;
        while (e > t && isspace((unsigned char)line[e - 1]))
            e--;
        prev = e > t ? line + t : NULL;
        prev_len = e > t ? e - t : 0;
        if (!nl)
            break;
        line = nl + 1;
    }
    return NULL;
}

static bool is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!isspace((unsigned char)s[i]))
            return false;
    return true;
}

/* Builds a one-RAW-node document from decoded text. */
static precis_result text_doc(const char *name, const precis_buf *text, bool markdown,
                              precis_doc **out, precis_error *err)
{
    if (is_blank(text->ptr, text->len))
        return precis_error_set(err, PRECIS_ERR_NO_CONTENT, "%s: the page has no text", name);
    precis_doc *doc = precis_doc_new();
    precis_node_append(doc->root, precis_node_new_text(PRECIS_NODE_RAW, text->ptr, text->len));
    if (markdown)
        doc->meta.title = markdown_title(text->ptr, text->len);
    *out = doc;
    return PRECIS_OK;
}

static precis_result json_doc(const char *name, const precis_buf *text, precis_doc **out,
                              precis_error *err)
{
    cJSON *j = cJSON_ParseWithLength(text->ptr, text->len);
    if (!j)
        return text_doc(name, text, false, out, err);
    char *pretty = cJSON_Print(j); /* cJSON's malloc; freed with cJSON_free */
    cJSON_Delete(j);
    if (!pretty)
        precis_die("out of memory printing JSON");
    precis_buf clean;
    precis_buf_init(&clean, 0);
    precis_utf8_sanitize(pretty, strlen(pretty), &clean);
    cJSON_free(pretty);
    precis_doc *doc = precis_doc_new();
    precis_node *code = precis_node_new_text(PRECIS_NODE_CODE_BLOCK, clean.ptr, clean.len);
    code->lang = precis_xstrdup("json");
    precis_node_append(doc->root, code);
    precis_buf_release(&clean);
    *out = doc;
    return PRECIS_OK;
}

/* Prefixes err's message with the source name unless it already names it. */
static void name_error(precis_error *err, const char *name)
{
    if (!err || !err->msg[0] || strncmp(err->msg, name, strlen(name)) == 0)
        return;
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_buf_puts(&b, name);
    precis_buf_puts(&b, ": ");
    precis_buf_puts(&b, err->msg);
    size_t n = b.len < sizeof err->msg - 1 ? b.len : sizeof err->msg - 1;
    memcpy(err->msg, b.ptr, n);
    err->msg[n] = '\0';
    precis_buf_release(&b);
}

precis_result precis_page_from_response(const char *source, precis_response *resp,
                                        const precis_fetch_opts *fetch_opts,
                                        const precis_extract_opts *extract_opts,
                                        precis_doc **out, precis_error *err)
{
    *out = NULL;
    precis_fetch_opts fdefaults;
    precis_extract_opts xdefaults;
    if (!fetch_opts) {
        precis_fetch_opts_init(&fdefaults);
        fetch_opts = &fdefaults;
    }
    if (!extract_opts) {
        precis_extract_opts_init(&xdefaults);
        extract_opts = &xdefaults;
    }
    const char *name = strcmp(source, "-") == 0 ? "stdin" : source;
    precis_buf text;
    precis_buf_init(&text, 0);
    precis_result r = PRECIS_OK;
    const char *s = resp->body.ptr;
    size_t len = resp->body.len;
    if (len == 0) {
        r = precis_error_set(err, PRECIS_ERR_NO_CONTENT, "%s: empty page; nothing to read", name);
        goto out;
    }
    page_kind kind = classify(resp->content_type, s, len);
    switch (kind) {
    case KIND_BINARY:
        r = precis_error_set(err, PRECIS_ERR_UNSUPPORTED,
                             "%s: cannot read %s content; precis reads HTML, text, Markdown, "
                             "JSON and PDF",
                             name, resp->content_type ? resp->content_type : "binary");
        break;
    case KIND_PDF: {
        precis_buf raw;
        precis_buf_init(&raw, 0);
        r = precis_pdf_to_text(s, len, name, fetch_opts->max_time_s, fetch_opts->max_bytes, &raw,
                               err);
        if (r == PRECIS_OK) {
            precis_to_utf8(raw.ptr, raw.len, "utf-8", false, &text, NULL);
            r = text_doc(name, &text, false, out, err);
            if (r == PRECIS_ERR_NO_CONTENT)
                precis_error_set(err, r, "%s: the PDF has no text layer (a scan?)", name);
        }
        precis_buf_release(&raw);
        break;
    }
    case KIND_HTML:
        precis_to_utf8(s, len, resp->charset, true, &text, NULL);
        r = precis_extract_html(text.ptr, text.len, resp->final_url, extract_opts, out, err);
        if (r != PRECIS_OK)
            name_error(err, name);
        break;
    case KIND_JSON:
        precis_to_utf8(s, len, resp->charset ? resp->charset : "utf-8", false, &text, NULL);
        r = json_doc(name, &text, out, err);
        break;
    case KIND_TEXT:
    case KIND_MARKDOWN:
        precis_to_utf8(s, len, resp->charset, false, &text, NULL);
        r = text_doc(name, &text, kind == KIND_MARKDOWN, out, err);
        break;
    }
    if (r == PRECIS_OK && *out && resp->final_url && kind != KIND_HTML)
        precis_set_string(&(*out)->meta.url, resp->final_url);
out:
    if (r != PRECIS_OK && *out) {
        precis_doc_free(*out);
        *out = NULL;
    }
    precis_buf_release(&text);
    return r;
}

precis_result precis_page_load(const char *source, const precis_fetch_opts *fetch_opts,
                               const precis_extract_opts *extract_opts, precis_doc **out,
                               precis_error *err)
{
    *out = NULL;
    precis_response resp;
    precis_result r = precis_fetch(source, fetch_opts, &resp, err);
    if (r == PRECIS_OK)
        r = precis_page_from_response(source, &resp, fetch_opts, extract_opts, out, err);
    precis_response_release(&resp);
    return r;
}

precis_result precis_page_from_text(const char *text, size_t len, const char *name,
                                    const precis_extract_opts *extract_opts, precis_doc **out,
                                    precis_error *err)
{
    precis_response resp;
    memset(&resp, 0, sizeof resp);
    precis_buf_init(&resp.body, 0);
    precis_buf_append(&resp.body, text, len);
    resp.content_type = precis_xstrdup(looks_like_html(text, len) ? "text/html" : "text/markdown");
    resp.charset = precis_xstrdup("utf-8");
    precis_result r = precis_page_from_response(name, &resp, NULL, extract_opts, out, err);
    precis_response_release(&resp);
    return r;
}
