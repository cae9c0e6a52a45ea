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
    const char *name;        /* long name without "--" */
    char short_name;         /* 0 if none */
    precis_value_kind value; /* PRECIS_VALUE_NONE: a flag; anything else takes a value */
    opt_id id;
    const char *choices;     /* PRECIS_VALUE_CHOICE only: the accepted values */
    const char *commands;    /* the commands it applies to; NULL: every one */
    const char *summary;     /* for completion menus */
} opt_spec;

/* Which commands the shared option groups apply to (completions and precis.1 use them). */
#define CMDS_FETCH "summarize ask extract chat serve index"
#define CMDS_PAGES "summarize ask extract chat serve"
#define CMDS_ENDPOINT "summarize ask chat serve config models doctor"
#define CMDS_TEMPLATE "summarize ask chat serve config"
#define CMDS_STREAM "summarize ask chat"

/* Sorted by long name. */
static const opt_spec options[] = {
    {"base-url", 0, PRECIS_VALUE_URL, OPT_BASE_URL, NULL, CMDS_ENDPOINT,
     "OpenAI-compatible endpoint"},
    {"clear", 0, PRECIS_VALUE_NONE, OPT_CLEAR, NULL, "log", "delete every logged answer"},
    {"color", 0, PRECIS_VALUE_CHOICE, OPT_COLOR, "auto always never", CMDS_STREAM " search",
     "Markdown rendering on a terminal"},
    {"connect-timeout", 0, PRECIS_VALUE_NUMBER, OPT_CONNECT_TIMEOUT, NULL,
     CMDS_FETCH " models doctor", "seconds to connect"},
    {"depth", 0, PRECIS_VALUE_NUMBER, OPT_DEPTH, NULL, "index", "link steps from the start URL"},
    {"format", 'f', PRECIS_VALUE_CHOICE, OPT_FORMAT, "markdown text json", "extract",
     "output format"},
    {"help", 'h', PRECIS_VALUE_NONE, OPT_HELP, NULL, NULL, "show help"},
    {"idle-timeout", 0, PRECIS_VALUE_NUMBER, OPT_IDLE_TIMEOUT, NULL, CMDS_FETCH,
     "seconds without a byte"},
    {"ignore-robots", 0, PRECIS_VALUE_NONE, OPT_IGNORE_ROBOTS, NULL, "index",
     "do not obey robots.txt"},
    {"jobs", 'j', PRECIS_VALUE_NUMBER, OPT_JOBS, NULL, CMDS_TEMPLATE " index",
     "requests in flight"},
    {"json", 0, PRECIS_VALUE_NONE, OPT_JSON, NULL, "summarize ask search sites log",
     "print JSON"},
    {"keep-comments", 0, PRECIS_VALUE_NONE, OPT_KEEP_COMMENTS, NULL, CMDS_PAGES,
     "keep comment sections"},
    {"lang", 0, PRECIS_VALUE_TEXT, OPT_LANG, NULL, CMDS_TEMPLATE, "language of the answer"},
    {"length", 0, PRECIS_VALUE_CHOICE, OPT_LENGTH, "short medium long", CMDS_TEMPLATE,
     "answer length"},
    {"links", 0, PRECIS_VALUE_NONE, OPT_LINKS, NULL, "extract", "print the page's links"},
    {"max-bytes", 0, PRECIS_VALUE_NUMBER, OPT_MAX_BYTES, NULL, CMDS_FETCH,
     "cap on a page's size"},
    {"max-pages", 0, PRECIS_VALUE_NUMBER, OPT_MAX_PAGES, NULL, "index", "stop after N pages"},
    {"max-time", 0, PRECIS_VALUE_NUMBER, OPT_MAX_TIME, NULL, CMDS_FETCH,
     "seconds for a whole transfer"},
    {"model", 'm', PRECIS_VALUE_MODEL, OPT_MODEL, NULL, CMDS_TEMPLATE " doctor", "model name"},
    {"no-cache", 0, PRECIS_VALUE_NONE, OPT_NO_CACHE, NULL, CMDS_PAGES,
     "bypass the HTTP cache"},
    {"no-log", 0, PRECIS_VALUE_NONE, OPT_NO_LOG, NULL, CMDS_STREAM " serve",
     "do not record answers in the log"},
    {"no-stream", 0, PRECIS_VALUE_NONE, OPT_NO_STREAM, NULL, CMDS_STREAM,
     "one plain response"},
    {"offline", 0, PRECIS_VALUE_NONE, OPT_OFFLINE, NULL, CMDS_STREAM " serve",
     "built-in extractive summarizer"},
    {"prefix", 0, PRECIS_VALUE_PATH, OPT_PREFIX, NULL, "index", "path the crawl stays under"},
    {"profile", 0, PRECIS_VALUE_PROFILE, OPT_PROFILE, NULL, CMDS_ENDPOINT " search index",
     "profile from the config file"},
    {"prompt", 'p', PRECIS_VALUE_PROMPT, OPT_PROMPT, NULL, CMDS_TEMPLATE,
     "prompt template or file"},
    {"question", 'q', PRECIS_VALUE_TEXT, OPT_QUESTION, NULL, "ask", "the question"},
    {"reasoning", 0, PRECIS_VALUE_NONE, OPT_REASONING, NULL, CMDS_STREAM,
     "show the model's reasoning"},
    {"remove", 0, PRECIS_VALUE_SITE, OPT_REMOVE, NULL, "sites", "delete an indexed site"},
    {"results", 'n', PRECIS_VALUE_NUMBER, OPT_RESULTS, NULL, "ask search log",
     "how many sections"},
    {"show", 0, PRECIS_VALUE_TEXT, OPT_SHOW, NULL, "log", "print one logged answer"},
    {"since", 0, PRECIS_VALUE_TEXT, OPT_SINCE, NULL, "log", "answers since a date or age"},
    {"site", 0, PRECIS_VALUE_SITE, OPT_SITE, NULL, "ask search chat", "an indexed site"},
    {"verbose", 'v', PRECIS_VALUE_NONE, OPT_VERBOSE, NULL, "summarize ask config doctor",
     "usage and timings on stderr"},
    {"version", 'V', PRECIS_VALUE_NONE, OPT_VERSION, NULL, NULL, "show the version"},
    {"whole-page", 0, PRECIS_VALUE_NONE, OPT_WHOLE_PAGE, NULL, CMDS_PAGES,
     "skip main-content detection"},
};

static const char *const commands[] = {"ask", "chat", "completions", "config", "doctor", "extract", "index",
                                       "log", "models", "prompts", "search", "serve", "sites", "summarize"};

static bool takes_value(const opt_spec *o)
{
    return o->value != PRECIS_VALUE_NONE;
}

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
                if (!takes_value(o))
                    return precis_error_set(err, PRECIS_ERR_USAGE,
                                            "option --%s takes no value", o->name);
                value = eq + 1;
            }
        } else {
            o = find_short(arg[1]);
            if (!o || (arg[2] && !takes_value(o)))
                return precis_error_set(err, PRECIS_ERR_USAGE,
                                        "unknown option '%s'; see 'precis --help'", arg);
            if (arg[2])
                value = arg + 2;
        }
        if (takes_value(o) && !value) {
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

bool precis_cli_option_at(size_t i, precis_option_info *out)
{
    if (i >= sizeof options / sizeof options[0])
        return false;
    const opt_spec *o = &options[i];
    *out = (precis_option_info){o->name, o->short_name, o->value, o->choices, o->commands,
                                o->summary};
    return true;
}

const char *precis_cli_command_at(size_t i)
{
    return i < sizeof commands / sizeof commands[0] ? commands[i] : NULL;
}

bool precis_cli_option_applies(const precis_option_info *o, const char *command)
{
    if (!o->commands)
        return true;
    size_t n = strlen(command);
    for (const char *p = o->commands; *p;) {
        size_t w = strcspn(p, " ");
        if (w == n && strncmp(p, command, n) == 0)
            return true;
        p += w;
        p += strspn(p, " ");
    }
    return false;
}
