/* `precis doctor`: one line per check, each saying ok or what to do. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "precis/cache.h"
#include "precis/chat_history.h"
#include "precis/cli.h"
#include "precis/cli_model.h"
#include "precis/doctor.h"
#include "precis/index.h"
#include "precis/pdftext.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The binary that runs and the libraries it got. */
static void check_self(precis_doctor *d)
{
    curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    precis_doctor_add(d, PRECIS_CHECK_INFO, "precis", "%s at %s, libcurl %s", PRECIS_VERSION,
                      n > 0 ? exe : "(unknown path)", cv->version);
}

/* Config file, profile and where each setting came from. */
static void check_config(precis_doctor *d, const precis_cli *cli, const precis_config *cfg)
{
    const char *path = precis_config_path(cfg);
    if (!path)
        precis_doctor_add(d, PRECIS_CHECK_OK, "config",
                          "no config file (PRECIS_CONFIG is empty or HOME unset): defaults and "
                          "environment only");
    else if (precis_config_file_found(cfg))
        precis_doctor_add(d, PRECIS_CHECK_OK, "config", "read %s", path);
    else
        precis_doctor_add(d, PRECIS_CHECK_OK, "config",
                          "%s does not exist: defaults and environment only", path);
    const char *profile = precis_config_profile(cfg);
    size_t np = precis_config_profile_count(cfg);
    if (profile) {
        precis_doctor_add(d, PRECIS_CHECK_OK, "profile", "%s", profile);
    } else if (np) {
        precis_buf names;
        precis_buf_init(&names, 0);
        for (size_t i = 0; i < np; i++)
            precis_buf_printf(&names, "%s%s", i ? ", " : "", precis_config_profile_name(cfg, i));
        precis_doctor_add(d, PRECIS_CHECK_INFO, "profile",
                          "none chosen (the file has %s): --profile, PRECIS_PROFILE or "
                          "'profile = NAME' in [default] picks one",
                          names.ptr);
        precis_buf_release(&names);
    } else {
        precis_doctor_add(d, PRECIS_CHECK_INFO, "profile", "none");
    }
    precis_buf desc;
    precis_buf_init(&desc, 0);
    precis_config_describe(cfg, cli->verbose, &desc);
    /* The config line is said above; the rest shows every setting's source. */
    const char *rest = strncmp(desc.ptr, "config = ", 9) == 0 ? strchr(desc.ptr, '\n') : NULL;
    precis_doctor_add(d, PRECIS_CHECK_INFO, "settings", "each value and where it came from%s:",
                      cli->verbose ? "" : " (-v also runs api_key_cmd)");
    precis_doctor_detail(d, rest ? rest + 1 : desc.ptr);
    precis_buf_release(&desc);
}

/* Lists the endpoint's models into *ids (NULL if it did not answer). */
static void check_endpoint(precis_doctor *d, const precis_cli *cli, precis_cli_model *cm,
                           char ***ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    precis_error err;
    precis_error_clear(&err);
    if (precis_model_init_endpoint(&cm->model, cm->cfg, &err) != PRECIS_OK) {
        precis_doctor_add(d, PRECIS_CHECK_FAIL, "endpoint", "%s", err.msg);
        return;
    }
    precis_llm_request req;
    precis_model_request(&cm->model, &req);
    req.connect_timeout_ms = cli->fetch.connect_timeout_s * 1000;
    req.max_time_ms = 20000;
    req.max_retries = 0;
    req.cancel = &precis_interrupted;
    precis_llm_result res;
    precis_llm_result_init(&res);
    double t0 = now_ms();
    precis_result r = precis_llm_models(&req, ids, n, &res);
    double ms = now_ms() - t0;
    if (r == PRECIS_OK)
        precis_doctor_add(d, PRECIS_CHECK_OK, "endpoint",
                          "%s answers GET /models: %zu model%s in %.0f ms", cm->model.url, *n,
                          *n == 1 ? "" : "s", ms);
    else
        precis_doctor_add(d, PRECIS_CHECK_FAIL, "endpoint", "%s (after %.0f ms)", res.err.msg,
                          ms);
    precis_llm_result_release(&res);
}

/* Whether the configured model is among ids. */
static void check_model(precis_doctor *d, const precis_config *cfg, char **ids, size_t n)
{
    const char *model = precis_config_model(cfg);
    if (!model) {
        if (precis_config_api_version(cfg)) {
            precis_doctor_add(d, PRECIS_CHECK_OK, "model",
                              "none named: the Azure deployment in base_url is used");
            return;
        }
        precis_doctor_add(d, PRECIS_CHECK_FAIL, "model",
                          "none named: set 'model' in the profile, PRECIS_MODEL or -m "
                          "('precis models' lists what the endpoint serves)");
        return;
    }
    if (!ids) {
        precis_doctor_add(d, PRECIS_CHECK_INFO, "model",
                          "%s: not checked, the endpoint did not list its models", model);
        return;
    }
    long i = precis_doctor_find_model(model, ids, n);
    if (i >= 0 && strcmp(ids[i], model) == 0) {
        precis_doctor_add(d, PRECIS_CHECK_OK, "model", "%s is served there", model);
        return;
    }
    if (i >= 0) {
        precis_doctor_add(d, PRECIS_CHECK_OK, "model", "%s is served there (as %s)", model, ids[i]);
        return;
    }
    precis_buf some;
    precis_buf_init(&some, 0);
    for (size_t k = 0; k < n && k < 8; k++)
        precis_buf_printf(&some, "%s%s", k ? ", " : "", ids[k]);
    if (n > 8)
        precis_buf_printf(&some, ", ... (%zu in all)", n);
    precis_doctor_add(d, PRECIS_CHECK_FAIL, "model",
                      "%s is not served there: set 'model', PRECIS_MODEL or -m to one of: %s",
                      model, n ? some.ptr : "(none listed)");
    precis_buf_release(&some);
}

/* The TLS library and the trust store libcurl verifies servers against. */
static void check_tls(precis_doctor *d)
{
    curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    if (!cv->ssl_version || !(cv->features & CURL_VERSION_SSL)) {
        precis_doctor_add(d, PRECIS_CHECK_FAIL, "tls",
                          "libcurl has no TLS support: https pages and endpoints cannot work; "
                          "install libcurl4 (OpenSSL flavour)");
        return;
    }
    const char *cainfo = NULL, *capath = NULL;
#if LIBCURL_VERSION_NUM >= 0x075400 /* 7.84.0: the built-in defaults can be read */
    CURL *e = curl_easy_init();
    char *s = NULL;
    if (e && curl_easy_getinfo(e, CURLINFO_CAINFO, &s) == CURLE_OK && s)
        cainfo = s;
    s = NULL;
    if (e && curl_easy_getinfo(e, CURLINFO_CAPATH, &s) == CURLE_OK && s)
        capath = s;
#endif
    if (cainfo && access(cainfo, R_OK) == 0)
        precis_doctor_add(d, PRECIS_CHECK_OK, "tls", "%s, trust store %s%s%s", cv->ssl_version,
                          cainfo, capath ? " and " : "", capath ? capath : "");
    else if (cainfo)
        precis_doctor_add(d, PRECIS_CHECK_FAIL, "tls",
                          "%s, trust store %s is missing: https will fail; "
                          "apt install ca-certificates",
                          cv->ssl_version, cainfo);
    else
        precis_doctor_add(d, PRECIS_CHECK_OK, "tls", "%s, its default trust store%s%s",
                          cv->ssl_version, capath ? " " : "", capath ? capath : "");
#if LIBCURL_VERSION_NUM >= 0x075400
    curl_easy_cleanup(e);
#endif
}

/* Removes the last path component of path (in place). */
static void strip_last(char *path)
{
    char *slash = strrchr(path, '/');
    if (slash && slash != path)
        *slash = '\0';
}

static void check_dir(precis_doctor *d, const char *topic, char *dir, const char *use)
{
    if (!dir) {
        precis_doctor_add(d, PRECIS_CHECK_WARN, topic,
                          "no directory (HOME and the XDG variable are unset): %s", use);
        return;
    }
    precis_buf why;
    precis_buf_init(&why, 0);
    precis_check v = precis_doctor_dir(dir, &why);
    precis_doctor_add(d, v, topic, "%s", why.ptr);
    precis_buf_release(&why);
}

/* Cache, data and state directories. */
static void check_dirs(precis_doctor *d)
{
    char *cache = precis_cache_dir(NULL);
    check_dir(d, "cache", cache, "pages are fetched again every time");
    free(cache);
    char *data = precis_index_default_path();
    strip_last(data);
    check_dir(d, "data", data, "the index and the answer log cannot be kept");
    free(data);
    precis_buf hist;
    precis_buf_init(&hist, 0);
    if (precis_chat_history_path(&hist)) {
        strip_last(hist.ptr);
        check_dir(d, "state", hist.ptr, "chat history is not kept");
    } else {
        precis_doctor_add(d, PRECIS_CHECK_INFO, "state", "chat history is off (PRECIS_HISTORY)");
    }
    precis_buf_release(&hist);
}

/* The shipped and the user's prompt templates. */
static void check_prompts(precis_doctor *d)
{
    precis_buf dir;
    precis_buf_init(&dir, 0);
    precis_prompt_info *items = NULL;
    size_t n = 0;
    precis_error err;
    precis_error_clear(&err);
    precis_prompt_list(&items, &n, &err);
    if (!precis_prompt_shipped_dir(0, &dir))
        precis_doctor_add(d, PRECIS_CHECK_FAIL, "prompts",
                          "no shipped templates found: reinstall precis or set "
                          "PRECIS_PROMPTS_DIR to its prompts directory");
    else
        precis_doctor_add(d, PRECIS_CHECK_OK, "prompts", "%s (%zu templates in all)", dir.ptr,
                          n);
    for (size_t i = 0; i < n; i++)
        if (strncmp(items[i].description, "(broken:", 8) == 0)
            precis_doctor_add(d, PRECIS_CHECK_FAIL, "prompts", "%s %s: fix or remove %s",
                              items[i].name, items[i].description, items[i].path);
    precis_prompt_list_free(items, n);
    precis_buf_release(&dir);
}

/* Optional programs precis runs. */
static void check_helpers(precis_doctor *d)
{
    char *pdf = precis_pdftotext_path();
    if (pdf)
        precis_doctor_add(d, PRECIS_CHECK_OK, "pdftotext", "%s (PDF pages can be read)", pdf);
    else
        precis_doctor_add(d, PRECIS_CHECK_WARN, "pdftotext",
                          "not found: PDF pages cannot be read; apt install poppler-utils");
    free(pdf);
}

/* What the output will look like on this terminal. */
static void check_terminal(precis_doctor *d)
{
    const char *term = getenv("TERM");
    const char *no_color = getenv("NO_COLOR");
    const char *colorterm = getenv("COLORTERM");
    bool out_tty = isatty(STDOUT_FILENO), err_tty = isatty(STDERR_FILENO);
    bool colour = precis_color_decide(PRECIS_COLOR_AUTO, out_tty, term, no_color);
    const char *out = colour                  ? "stdout is a terminal: answers in colour"
                      : no_color && *no_color   ? "no colour: NO_COLOR is set"
                      : !out_tty                ? "stdout is not a terminal: plain Markdown "
                                                  "(--color always forces colour)"
                      : !term || !*term         ? "no colour: TERM is unset"
                                                : "no colour: TERM is dumb";
    precis_doctor_add(d, PRECIS_CHECK_OK, "terminal", "TERM=%s%s%s; %s; %s",
                      term && *term ? term : "(unset)", colorterm ? " COLORTERM=" : "",
                      colorterm ? colorterm : "", out,
                      err_tty ? "stderr is a terminal: status line shown"
                              : "stderr is not a terminal: no status line");
}

int precis_cmd_doctor(const precis_cli *cli)
{
    precis_doctor d;
    precis_doctor_init(&d);
    check_self(&d);
    precis_cli_model cm;
    precis_error err;
    precis_error_clear(&err);
    precis_result r = precis_cli_model_open(cli, "summarize", &cm, &err);
    if (r != PRECIS_OK) {
        precis_doctor_add(&d, PRECIS_CHECK_FAIL, "config", "%s", err.msg);
    } else {
        check_config(&d, cli, cm.cfg);
        if (!cm.configured) {
            precis_doctor_add(&d, PRECIS_CHECK_OK, "model",
                              "none configured: the offline summarizer is in use (set "
                              "OPENAI_BASE_URL and PRECIS_MODEL, or a profile, to use a model)");
        } else {
            char **ids = NULL;
            size_t n = 0;
            check_endpoint(&d, cli, &cm, &ids, &n);
            check_model(&d, cm.cfg, ids, n);
            precis_llm_models_free(ids, n);
        }
    }
    precis_cli_model_close(&cm);
    check_tls(&d);
    check_dirs(&d);
    check_prompts(&d);
    check_helpers(&d);
    check_terminal(&d);
    if (d.fails)
        precis_buf_printf(&d.out, "%d problem%s: the FAIL line%s above say%s what to do\n",
                          d.fails, d.fails == 1 ? "" : "s", d.fails == 1 ? "" : "s",
                          d.fails == 1 ? "s" : "");
    else
        precis_buf_printf(&d.out, "all is well%s\n",
                          d.warns ? " (the warn lines are optional extras)" : "");
    bool ok = precis_write_stdout(d.out.ptr, d.out.len);
    int rc = d.fails ? 1 : ok ? 0 : 2;
    precis_doctor_release(&d);
    return rc;
}
