/* Command dispatch, help and version. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>
#include <gumbo.h>

#include "precis/cli.h"

static const char main_help[] =
    "Usage: precis [command] [options] URL|FILE|-\n"
    "\n"
    "Turns a web page into an answer: fetches it (or reads a file or stdin),\n"
    "extracts the readable content, and summarizes it with any OpenAI-compatible\n"
    "model, or offline when none is configured.\n"
    "\n"
    "Commands:\n"
    "  (none) URL|FILE|-         summarize the page\n"
    "  ask URL... -q QUESTION    answer a question from the page(s), with citations\n"
    "  extract URL|FILE|-        print the readable content (see 'precis extract --help')\n"
    "  prompts                   list prompt templates\n"
    "  models                    list the endpoint's models\n"
    "  config                    show the effective settings and where they came from\n"
    "  doctor                    check the setup: config, endpoint, model, TLS, dirs, terminal\n"
    "  serve                     the editor protocol on stdin/stdout (see 'precis serve --help')\n"
    "  chat [URL|FILE]...        explore pages in an interactive Q&A REPL (see 'precis chat --help')\n"
    "  index URL                 crawl a docs site into the local index ('precis index --help')\n"
    "  search QUERY...           the best sections of the indexed sites, with deep links\n"
    "  ask --site SITE -q Q      a cited answer from an indexed site\n"
    "  sites                     list the indexed sites (--remove SITE deletes one)\n"
    "  log [SEARCH...]           the answers given so far, newest first ('precis log --help')\n"
    "  completions bash|zsh|fish print a shell completion script\n"
    "\n"
    "Options:\n"
    "  -p, --prompt NAME|FILE    template: summarize, tldr, key-points, explain, ask, ...\n"
    "  --length short|medium|long  answer length (default medium)\n"
    "  --lang LANG               language of the answer\n"
    "  -m, --model NAME          model name\n"
    "  --profile NAME            profile from ~/.config/precis/config\n"
    "  --base-url URL            OpenAI-compatible endpoint, e.g. http://localhost:11434/v1\n"
    "  -j, --jobs N              parallel requests for long pages (default 4)\n"
    "  --offline                 use the built-in extractive summarizer\n"
    "  --no-stream               ask for one plain response instead of a stream\n"
    "  --json                    print one JSON object with the answer and metadata\n"
    "  -v, --verbose             token usage and timings on stderr\n"
    "  --reasoning               show the model's reasoning (dimmed, on stderr)\n"
    "  --color auto|always|never  Markdown rendering on a terminal (NO_COLOR respected)\n"
    "  --connect-timeout S       give up connecting after S seconds (default 10)\n"
    "  --idle-timeout S          fail when no byte arrives for S seconds\n"
    "  --max-time S              cap on a whole transfer or answer, in seconds\n"
    "  --max-bytes N             cap on the decoded page size, e.g. 25M (default 25M)\n"
    "  --no-cache                neither read nor write the HTTP cache\n"
    "  --no-log                  keep this answer out of the answer log ('precis log')\n"
    "  --site SITE               ask, search: an indexed site (its name, start URL or a URL in it)\n"
    "  -n, --results K           search: how many sections (default 10); ask --site: sources (8)\n"
    "  -h, --help                this help\n"
    "  -V, --version             version\n"
    "\n"
    "Environment: OPENAI_BASE_URL, OPENAI_API_KEY, PRECIS_MODEL, PRECIS_PROFILE, NO_COLOR.\n"
    "Exit codes: 0 ok, 1 usage, 2 fetch failed, 3 no readable content,\n"
    "            4 model/API error, 130 interrupted.\n";

static const char extract_help[] =
    "Usage: precis extract [options] URL|FILE|-\n"
    "\n"
    "Prints the readable content of a page: the main text without navigation,\n"
    "headers, footers, sidebars, banners, comments or hidden elements.\n"
    "\n"
    "Options:\n"
    "  -f, --format markdown|text|json   output format (default markdown)\n"
    "  --links                 print the page's links, numbered, instead of the text\n"
    "  --keep-comments         keep comment sections\n"
    "  --whole-page            skip main-content detection: the cleaned body\n"
    "  --connect-timeout S     give up connecting after S seconds (default 10)\n"
    "  --idle-timeout S        fail when no byte arrives for S seconds (default 30)\n"
    "  --max-time S            cap on the whole transfer in seconds (default 120)\n"
    "  --max-bytes N           cap on the decoded page size, e.g. 25M (default 25M)\n"
    "  --no-cache              neither read nor write the HTTP cache\n"
    "\n"
    "Exit codes: 0 ok, 1 usage, 2 fetch failed, 3 no readable content.\n";

static const char serve_help[] =
    "Usage: precis serve [options]\n"
    "\n"
    "Speaks newline-delimited JSON-RPC 2.0 on stdin/stdout for editor plugins:\n"
    "initialize, summarize, ask, extract, models, cancel, shutdown. Answers stream\n"
    "as delta notifications; many requests run at once. The protocol is described\n"
    "in editors/PROTOCOL.md. Diagnostics go to stderr; EOF on stdin ends it once\n"
    "the requests in flight are answered.\n"
    "\n"
    "Options (defaults for every request):\n"
    "  -p, --prompt NAME|FILE    summary template (a request's \"prompt\" wins)\n"
    "  --length short|medium|long  answer length\n"
    "  --lang LANG               language of the answers\n"
    "  -m, --model NAME          model name (a request's \"model\" wins)\n"
    "  --profile NAME            profile from ~/.config/precis/config\n"
    "  --base-url URL            OpenAI-compatible endpoint\n"
    "  -j, --jobs N              parallel requests for long pages (default 4)\n"
    "  --offline                 never call a model: offline summaries only\n"
    "  --connect-timeout S, --idle-timeout S, --max-time S, --max-bytes N, --no-cache\n"
    "                            page fetching, as for 'precis extract'\n"
    "\n"
    "Exit code: 0 after EOF, shutdown or a closed stdout; 1 for bad options.\n";

static const char chat_help[] =
    "Usage: precis chat [options] [URL|FILE|-]...\n"
    "\n"
    "An interactive doc Q&A REPL: opens the pages given (the first is current), then\n"
    "reads questions, answered from the open pages with citations (streamed from the\n"
    "model, or the best passages offline), and commands: /open, /toc, /read, /links,\n"
    "/follow, /back, /forward, /search, /summary, /sources, /pages, /close, /model,\n"
    "/prompt, /lang, /save, /clear, /edit, /help, /quit. Tab completes; history is kept\n"
    "in $XDG_STATE_HOME/precis/history (PRECIS_HISTORY overrides it).\n"
    "With stdin not a terminal it reads one command or question a line, with no\n"
    "prompt, and exits at EOF with the code of the last failure (0 if none).\n"
    "\n"
    "Options:\n"
    "  --site SITE               work over an index made by 'precis index'\n"
    "  -p, --prompt NAME|FILE    template for /summary (default summarize)\n"
    "  --length short|medium|long  answer length\n"
    "  --lang LANG               language of the answers\n"
    "  -m, --model NAME          model name\n"
    "  --profile NAME            profile from ~/.config/precis/config\n"
    "  --base-url URL            OpenAI-compatible endpoint\n"
    "  --offline                 no model: answers are the best passages\n"
    "  --no-stream, --reasoning, --color auto|always|never, -j N\n"
    "  --connect-timeout S, --idle-timeout S, --max-time S, --max-bytes N, --no-cache\n"
    "\n"
    "Exit codes: 0 ok (always after /quit or Ctrl-D on a terminal), else that of the\n"
    "last failed line: 1 usage, 2 fetch failed, 3 no readable content, 4 model/API error.\n";

static const char index_help[] =
    "Usage: precis index [options] URL\n"
    "\n"
    "Crawls the docs site at URL (its scheme, host and port, under URL's directory or\n"
    "--prefix) into the local index, for 'precis search' and 'precis ask --site'.\n"
    "robots.txt is obeyed; its Sitemap lines, /sitemap.xml and /llms.txt seed the crawl.\n"
    "Running it again asks the server about every page (304s cost nothing) and updates\n"
    "the index: pages added, changed, removed and unchanged.\n"
    "\n"
    "Options:\n"
    "  --max-pages N             stop after N pages (default 5000)\n"
    "  --depth N                 follow links at most N steps from URL (default 20)\n"
    "  --prefix PATH             the path the crawl stays under (default: URL's directory)\n"
    "  -j, --jobs N              requests at once to the site (default 2)\n"
    "  --ignore-robots           do not obey robots.txt (with a warning)\n"
    "  --connect-timeout S, --idle-timeout S, --max-time S   per page\n"
    "  --max-bytes N             skip pages larger than N (default 10M)\n"
    "\n"
    "The index lives in $XDG_DATA_HOME/precis/index.db ($PRECIS_INDEX overrides).\n"
    "Exit codes: 0 ok (skipped pages are listed), 1 usage, 2 start URL unreachable,\n"
    "            130 interrupted (what was indexed is kept).\n";

static const char search_help[] =
    "Usage: precis search [--site SITE] [-n K] [--json] QUERY...\n"
    "\n"
    "Prints the K best sections (default 10) of the indexed sites: heading path, deep\n"
    "link URL#anchor and a snippet with the matched words highlighted. Any text is a\n"
    "valid query. --json prints {\"query\", \"results\": [{\"url\", \"page\", \"anchor\",\n"
    "\"title\", \"path\", \"score\", \"snippet\", \"site\"}]}.\n"
    "\n"
    "Related: precis ask --site SITE -q QUESTION (a cited answer), precis sites.\n";

static const char doctor_help[] =
    "Usage: precis doctor [--profile NAME] [--base-url URL] [-m MODEL] [-v]\n"
    "\n"
    "Checks what precis needs, one line each, saying ok or what to do: the config file\n"
    "read, the profile and where each setting came from (the key redacted; -v also runs\n"
    "api_key_cmd), whether the endpoint answers GET /models and how fast, whether it\n"
    "serves the model named, the TLS trust store, the cache, data and state directories,\n"
    "the prompt templates, pdftotext, and the terminal (TERM, colours, NO_COLOR).\n"
    "No model configured is fine: the offline summarizer is used.\n"
    "\n"
    "Exit codes: 0 nothing failed, 1 a check failed (its FAIL line says what to do).\n";

static const char log_help[] =
    "Usage: precis log [-n N] [--json] [--since DATE] [SEARCH...]\n"
    "       precis log --show ID [--json]\n"
    "       precis log --clear\n"
    "\n"
    "Every answer (summaries, ask, ask --site, chat, serve) is appended to a log when\n"
    "it ends: time, sources, title, command, prompt, question, model, profile, the\n"
    "endpoint's host, the answer (a cut one marked partial), finish reason, usage,\n"
    "timings and exit status. Never the API key or request headers.\n"
    "\n"
    "Options:\n"
    "  -n N                      how many answers, newest first (default 20)\n"
    "  --since DATE              only since YYYY-MM-DD, YYYY-MM-DDTHH:MM, or 7d, 12h, 30m ago\n"
    "  SEARCH...                 answers whose question or answer holds every word\n"
    "  --show ID                 print one answer whole\n"
    "  --json                    print JSON (a list, or one object with --show)\n"
    "  --clear                   delete every answer; asks y/N on a terminal, and does it\n"
    "                            without asking when stdin is not a terminal\n"
    "\n"
    "The log is $XDG_DATA_HOME/precis/log.db ($PRECIS_LOG overrides). --no-log on any\n"
    "command, or 'log = false' in the config, keeps answers out of it.\n";

static const char sites_help[] =
    "Usage: precis sites [--json] [--remove SITE]\n"
    "\n"
    "Lists the indexed sites: name, pages, sections, size, last crawl and start URL.\n"
    "--remove SITE deletes one (its name, start URL or any URL under it).\n";

static const char completions_help[] =
    "Usage: precis completions bash|zsh|fish\n"
    "\n"
    "Prints a completion script for the shell, generated from the option table:\n"
    "commands, options and their values (--format, --length, --color), profiles from\n"
    "the config file, prompt names, indexed sites, and the models 'precis models' last\n"
    "listed (it keeps them in $XDG_CACHE_HOME/precis/models). To install for yourself:\n"
    "\n"
    "  precis completions bash > ~/.local/share/bash-completion/completions/precis\n"
    "  precis completions zsh > ~/.zfunc/_precis     # a directory in $fpath\n"
    "  precis completions fish > ~/.config/fish/completions/precis.fish\n"
    "\n"
    "The scripts run 'precis completions list profiles|prompts|models|sites', which\n"
    "prints one name a line and never uses the network.\n";

static void print_version(void)
{
    curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);
    printf("precis %s\n", PRECIS_VERSION);
    printf("libcurl %s%s%s\n", cv->version, cv->ssl_version ? ", " : "",
           cv->ssl_version ? cv->ssl_version : "");
}

volatile sig_atomic_t precis_interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    precis_interrupted = 1;
}

/* Ctrl-C sets a flag that transfers check, so what was printed stays and the
 * command ends with exit 130 instead of dying mid-line. */
static void catch_sigint(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
}

bool precis_write_stdout(const char *s, size_t n)
{
    if (n && fwrite(s, 1, n, stdout) != n)
        return false;
    return fflush(stdout) == 0;
}

int precis_cli_main(int argc, char **argv)
{
    precis_cli cli;
    precis_error err;
    precis_error_clear(&err);
    int rc;
    if (precis_cli_parse(argc, argv, &cli, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        rc = precis_exit_code(PRECIS_ERR_USAGE);
        goto out;
    }
    bool is_extract = strcmp(cli.command, "extract") == 0;
    bool needs_source = is_extract || strcmp(cli.command, "summarize") == 0 ||
                        strcmp(cli.command, "ask") == 0;
    if (cli.version) {
        print_version();
        rc = 0;
        goto out;
    }
    if (cli.help) {
        fputs(is_extract                               ? extract_help
              : strcmp(cli.command, "serve") == 0 ? serve_help
              : strcmp(cli.command, "chat") == 0  ? chat_help
              : strcmp(cli.command, "index") == 0  ? index_help
              : strcmp(cli.command, "search") == 0 ? search_help
              : strcmp(cli.command, "sites") == 0  ? sites_help
              : strcmp(cli.command, "log") == 0    ? log_help
              : strcmp(cli.command, "completions") == 0 ? completions_help
              : strcmp(cli.command, "doctor") == 0 ? doctor_help
                                                   : main_help,
              stdout);
        rc = 0;
        goto out;
    }
    if (needs_source && cli.n_sources == 0 && !(cli.site && strcmp(cli.command, "ask") == 0)) {
        precis_warn("no page given: pass a URL, a file, or - for stdin; see 'precis --help'");
        rc = 1;
        goto out;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    catch_sigint();
    cli.fetch.cancel = &precis_interrupted;
    if (is_extract)
        rc = precis_cmd_extract(&cli);
    else if (strcmp(cli.command, "ask") == 0)
        rc = precis_cmd_ask(&cli);
    else if (strcmp(cli.command, "prompts") == 0)
        rc = precis_cmd_prompts(&cli);
    else if (strcmp(cli.command, "models") == 0)
        rc = precis_cmd_models(&cli);
    else if (strcmp(cli.command, "config") == 0)
        rc = precis_cmd_config(&cli);
    else if (strcmp(cli.command, "serve") == 0)
        rc = precis_cmd_serve(&cli);
    else if (strcmp(cli.command, "chat") == 0)
        rc = precis_cmd_chat(&cli);
    else if (strcmp(cli.command, "index") == 0)
        rc = precis_cmd_index(&cli);
    else if (strcmp(cli.command, "doctor") == 0)
        rc = precis_cmd_doctor(&cli);
    else if (strcmp(cli.command, "sites") == 0)
        rc = precis_cmd_sites(&cli);
    else if (strcmp(cli.command, "log") == 0)
        rc = precis_cmd_log(&cli);
    else if (strcmp(cli.command, "search") == 0)
        rc = precis_cmd_search(&cli);
    else if (strcmp(cli.command, "completions") == 0)
        rc = precis_cmd_completions(&cli);
    else
        rc = precis_cmd_summarize(&cli);
    curl_global_cleanup();
out:
    precis_cli_release(&cli);
    return rc;
}
