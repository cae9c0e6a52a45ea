/* Command-line parsing: one sorted option table filling one precis_cli. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "precis/buf.h"
#include "precis/cli.h"

typedef enum opt_id {
    OPT_BASE_URL,
    OPT_CLEAR,
    OPT_COLOR,
    OPT_CONNECT_TIMEOUT,
    OPT_DEPTH,
    OPT_FORMAT,
    OPT_HELP,
    OPT_IDLE_TIMEOUT,
    OPT_IGNORE_ROBOTS,
    OPT_JOBS,
    OPT_JSON,
    OPT_KEEP_COMMENTS,
    OPT_LANG,
    OPT_LENGTH,
    OPT_LINKS,
    OPT_MAX_BYTES,
    OPT_MAX_PAGES,
    OPT_MAX_TIME,
    OPT_MODEL,
    OPT_NO_CACHE,
    OPT_NO_LOG,
    OPT_NO_STREAM,
    OPT_OFFLINE,
    OPT_PREFIX,
    OPT_PROFILE,
    OPT_PROMPT,
    OPT_QUESTION,
    OPT_REASONING,
    OPT_REMOVE,
    OPT_RESULTS,
    OPT_SHOW,
    OPT_SINCE,
    OPT_SITE,
    OPT_VERBOSE,
    OPT_VERSION,
    OPT_WHOLE_PAGE
} opt_id;

typedef struct opt_spec {
    const char *name; /* long name without "--" */
    char short_name;  /* 0 if none */
    bool takes_value;
    opt_id id;
} opt_spec;

/* Sorted by long name. */
static const opt_spec options[] = {
    {"base-url", 0, true, OPT_BASE_URL},
    {"clear", 0, false, OPT_CLEAR},
    {"color", 0, true, OPT_COLOR},
    {"connect-timeout", 0, true, OPT_CONNECT_TIMEOUT},
    {"depth", 0, true, OPT_DEPTH},
    {"format", 'f', true, OPT_FORMAT},
    {"help", 'h', false, OPT_HELP},
    {"idle-timeout", 0, true, OPT_IDLE_TIMEOUT},
    {"ignore-robots", 0, false, OPT_IGNORE_ROBOTS},
    {"jobs", 'j', true, OPT_JOBS},
    {"json", 0, false, OPT_JSON},
    {"keep-comments", 0, false, OPT_KEEP_COMMENTS},
    {"lang", 0, true, OPT_LANG},
    {"length", 0, true, OPT_LENGTH},
    {"links", 0, false, OPT_LINKS},
    {"max-bytes", 0, true, OPT_MAX_BYTES},
    {"max-pages", 0, true, OPT_MAX_PAGES},
    {"max-time", 0, true, OPT_MAX_TIME},
    {"model", 'm', true, OPT_MODEL},
    {"no-cache", 0, false, OPT_NO_CACHE},
    {"no-log", 0, false, OPT_NO_LOG},
    {"no-stream", 0, false, OPT_NO_STREAM},
    {"offline", 0, false, OPT_OFFLINE},
    {"prefix", 0, true, OPT_PREFIX},
    {"profile", 0, true, OPT_PROFILE},
    {"prompt", 'p', true, OPT_PROMPT},
    {"question", 'q', true, OPT_QUESTION},
    {"reasoning", 0, false, OPT_REASONING},
    {"remove", 0, true, OPT_REMOVE},
    {"results", 'n', true, OPT_RESULTS},
    {"show", 0, true, OPT_SHOW},
    {"since", 0, true, OPT_SINCE},
    {"site", 0, true, OPT_SITE},
    {"verbose", 'v', false, OPT_VERBOSE},
    {"version", 'V', false, OPT_VERSION},
    {"whole-page", 0, false, OPT_WHOLE_PAGE},
};

static const char *const commands[] = {"ask", "chat", "config", "extract", "index", "models",
                                       "prompts", "search", "serve", "sites", "summarize"};

static const opt_spec *find_long(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
            return &options[i];
    return NULL;
}

static const opt_spec *find_short(char c)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (options[i].short_name == c)
            return &options[i];
    return NULL;
}

static precis_result parse_seconds(const char *opt, const char *v, long *out, precis_error *err)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < 0 || n > 86400 * 365)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "--%s: expected a whole number of seconds (0 = no limit), got '%s'",
                                opt, v);
    *out = n;
    return PRECIS_OK;
}

/* Parses sizes like 25000000, 512K, 25M, 1G (powers of 1000; KiB/MiB/GiB use 1024). */
static precis_result parse_size(const char *opt, const char *v, size_t *out, precis_error *err)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 10);
    unsigned long long mul = 1;
    if (!errno && end != v && v[0] != '-') {
        const char *s = end;
        bool binary = strchr(s, 'i') != NULL;
        unsigned long long base = binary ? 1024 : 1000;
        switch (*s) {
        case 'k': case 'K': mul = base; s++; break;
        case 'm': case 'M': mul = base * base; s++; break;
        case 'g': case 'G': mul = base * base * base; s++; break;
        default: break;
        }
        if (mul > 1 && *s == 'i')
            s++;
        if (*s == 'B' || *s == 'b')
            s++;
        if (*s == '\0' && n > 0 && n <= (unsigned long long)SIZE_MAX / mul) {
            *out = (size_t)(n * mul);
            return PRECIS_OK;
        }
    }
    return precis_error_set(err, PRECIS_ERR_USAGE,
                            "--%s: expected a size in bytes such as 25M or 1000000, got '%s'", opt, v);
}

/* Parses a count from min to max for option opt. */
static precis_result parse_count(const char *opt, const char *v, long min, long max, long *out,
                                 precis_error *err)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max)
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "--%s: expected a whole number from %ld to %ld, got '%s'", opt, min,
                                max, v);
    *out = n;
    return PRECIS_OK;
}

static precis_result apply(precis_cli *cli, const opt_spec *o, const char *v, precis_error *err)
{
    switch (o->id) {
    case OPT_DEPTH: return parse_count(o->name, v, 0, 1000, &cli->depth, err);
    case OPT_MAX_PAGES: return parse_count(o->name, v, 1, 10000000, &cli->max_pages, err);
    case OPT_RESULTS: return parse_count(o->name, v, 1, 1000, &cli->results, err);
    case OPT_IGNORE_ROBOTS: cli->ignore_robots = true; return PRECIS_OK;
    case OPT_PREFIX: cli->prefix = v; return PRECIS_OK;
    case OPT_REMOVE: cli->remove = v; return PRECIS_OK;
    case OPT_SITE: cli->site = v; return PRECIS_OK;
    case OPT_NO_LOG: cli->no_log = true; return PRECIS_OK;
    case OPT_CLEAR: cli->clear = true; return PRECIS_OK;
    case OPT_SHOW: cli->show = v; return PRECIS_OK;
    case OPT_SINCE: cli->since = v; return PRECIS_OK;
    case OPT_CONNECT_TIMEOUT: return parse_seconds(o->name, v, &cli->fetch.connect_timeout_s, err);
    case OPT_IDLE_TIMEOUT:
        cli->idle_set = true;
        return parse_seconds(o->name, v, &cli->fetch.idle_timeout_s, err);
    case OPT_MAX_TIME:
        cli->max_time_set = true;
        return parse_seconds(o->name, v, &cli->fetch.max_time_s, err);
    case OPT_JOBS: {
        char *end;
        errno = 0;
        long n = strtol(v, &end, 10);
        if (errno || end == v || *end || n < 1 || n > 64)
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "--jobs: expected a number from 1 to 64, got '%s'", v);
        cli->jobs = v;
        return PRECIS_OK;
    }
    case OPT_COLOR:
        if (strcmp(v, "auto") && strcmp(v, "always") && strcmp(v, "never"))
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "--color: expected auto, always or never, got '%s'", v);
        cli->color = v;
        return PRECIS_OK;
    case OPT_BASE_URL: cli->base_url = v; return PRECIS_OK;
    case OPT_LANG: cli->lang = v; return PRECIS_OK;
    case OPT_MODEL: cli->model = v; return PRECIS_OK;
    case OPT_PROFILE: cli->profile = v; return PRECIS_OK;
    case OPT_PROMPT: cli->prompt = v; return PRECIS_OK;
    case OPT_QUESTION: cli->question = v; return PRECIS_OK;
    case OPT_JSON: cli->json = true; return PRECIS_OK;
    case OPT_NO_STREAM: cli->no_stream = true; return PRECIS_OK;
    case OPT_REASONING: cli->reasoning = true; return PRECIS_OK;
    case OPT_VERBOSE: cli->verbose = true; return PRECIS_OK;
    case OPT_MAX_BYTES: return parse_size(o->name, v, &cli->fetch.max_bytes, err);
    case OPT_FORMAT:
        if (!precis_format_parse(v, &cli->format))
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "--format: expected markdown, text or json, got '%s'", v);
        return PRECIS_OK;
    case OPT_LENGTH:
        if (strcmp(v, "short") && strcmp(v, "medium") && strcmp(v, "long"))
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "--length: expected short, medium or long, got '%s'", v);
        cli->length = v;
        return PRECIS_OK;
    case OPT_HELP: cli->help = true; return PRECIS_OK;
    case OPT_VERSION: cli->version = true; return PRECIS_OK;
    case OPT_LINKS: cli->links = true; return PRECIS_OK;
    case OPT_NO_CACHE: cli->fetch.use_cache = false; return PRECIS_OK;
    case OPT_OFFLINE: cli->offline = true; return PRECIS_OK;
    case OPT_KEEP_COMMENTS: cli->extract.keep_comments = true; return PRECIS_OK;
    case OPT_WHOLE_PAGE: cli->extract.whole_body = true; return PRECIS_OK;
    }
    return precis_error_set(err, PRECIS_ERR_INTERNAL, "unhandled option --%s", o->name);
}

static bool is_command(const char *word)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(word, commands[i]) == 0)
            return true;
    return false;
}

precis_result precis_cli_parse(int argc, char **argv, precis_cli *cli, precis_error *err)
{
    memset(cli, 0, sizeof *cli);
    cli->command = "summarize";
    cli->format = PRECIS_FORMAT_MARKDOWN;
    cli->depth = -1;
    cli->max_pages = -1;
    cli->results = -1;
    precis_fetch_opts_init(&cli->fetch);
    precis_extract_opts_init(&cli->extract);
    cli->sources = precis_xcalloc((size_t)(argc > 0 ? argc : 1), sizeof *cli->sources);

    bool only_positional = false;
    bool command_seen = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (only_positional || arg[0] != '-' || strcmp(arg, "-") == 0) {
            if (!command_seen && cli->n_sources == 0 && is_command(arg)) {
                cli->command = arg;
                command_seen = true;
            } else {
                cli->sources[cli->n_sources++] = arg;
            }
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positional = true;
            continue;
        }
        const opt_spec *o;
        const char *value = NULL;
        if (arg[1] == '-') {
            const char *name = arg + 2;
            const char *eq = strchr(name, '=');
            o = find_long(name, eq ? (size_t)(eq - name) : strlen(name));
            if (!o)
                return precis_error_set(err, PRECIS_ERR_USAGE,
                                        "unknown option '%s'; see 'precis --help'", arg);
            if (eq) {
                if (!o->takes_value)
                    return precis_error_set(err, PRECIS_ERR_USAGE,
                                            "option --%s takes no value", o->name);
                value = eq + 1;
            }
        } else {
            o = find_short(arg[1]);
            if (!o || (arg[2] && !o->takes_value))
                return precis_error_set(err, PRECIS_ERR_USAGE,
                                        "unknown option '%s'; see 'precis --help'", arg);
            if (arg[2])
                value = arg + 2;
        }
        if (o->takes_value && !value) {
            if (i + 1 >= argc)
                return precis_error_set(err, PRECIS_ERR_USAGE, "option --%s needs a value",
                                        o->name);
            value = argv[++i];
        }
        precis_result r = apply(cli, o, value, err);
        if (r != PRECIS_OK)
            return r;
    }
    return PRECIS_OK;
}

void precis_cli_release(precis_cli *cli)
{
    free(cli->sources);
    cli->sources = NULL;
    cli->n_sources = 0;
}
