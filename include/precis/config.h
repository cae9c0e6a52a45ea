/* Configuration: built-in defaults < config file profile < environment < flags,
 * with the origin of every effective setting, and lazy API key resolution.
 *
 * File: $PRECIS_CONFIG, else $XDG_CONFIG_HOME/precis/config, else
 * ~/.config/precis/config. INI: `[profile NAME]` or `[NAME]` sections; keys
 * before any section and keys in `[default]` apply to every profile, and
 * `profile = NAME` there chooses the default profile. `#` and `;` start comment
 * lines; values may be quoted ("..." with \" and \\ escapes, or '...'). */
#ifndef PRECIS_CONFIG_H
#define PRECIS_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"

/* Where an effective setting came from, lowest precedence first. */
typedef enum precis_config_origin {
    PRECIS_ORIGIN_DEFAULT = 0, /* built in (or derived from other settings) */
    PRECIS_ORIGIN_FILE,        /* the config file (global keys or the chosen profile) */
    PRECIS_ORIGIN_ENV,         /* an environment variable */
    PRECIS_ORIGIN_FLAG         /* a command-line flag (precis_config_set) */
} precis_config_origin;

/* How the API key is sent. */
typedef enum precis_auth {
    PRECIS_AUTH_BEARER = 0, /* Authorization: Bearer KEY */
    PRECIS_AUTH_API_KEY,    /* api-key: KEY (Azure OpenAI) */
    PRECIS_AUTH_NONE        /* no key is sent */
} precis_auth;

/* Which request field carries the output token limit. */
typedef enum precis_token_field {
    PRECIS_TOKEN_FIELD_MAX_TOKENS = 0,
    PRECIS_TOKEN_FIELD_MAX_COMPLETION_TOKENS,
    PRECIS_TOKEN_FIELD_NONE
} precis_token_field;

/* The effective configuration. Opaque; create with precis_config_load or
 * precis_config_load_text, free with precis_config_free. */
typedef struct precis_config precis_config;

/* Loads defaults, the config file and the environment. profile (may be NULL)
 * is the --profile flag and beats PRECIS_PROFILE and `profile =` in the file.
 * A missing default config file is not an error; a file named by PRECIS_CONFIG
 * must exist (an empty PRECIS_CONFIG means no file). On success *out is a new
 * config the caller frees with precis_config_free; on failure *out is NULL and
 * err says what to fix ("config line 12: unknown key 'modle' in [profile groq]
 * (did you mean 'model'?)"). Runs no command and reads no key. */
precis_result precis_config_load(const char *profile, precis_config **out, precis_error *err);

/* Like precis_config_load but parses text (len bytes) as the config file, named
 * path in messages (path may be NULL: no file). Environment still applies. */
precis_result precis_config_load_text(const char *path, const char *text, size_t len,
                                      const char *profile, precis_config **out,
                                      precis_error *err);

/* Frees cfg and everything it owns. NULL-safe. */
void precis_config_free(precis_config *cfg);

/* Applies a command-line override: key is a config key name ("model",
 * "base_url", "length", "header", ...), value its text, flag the flag's name for
 * `precis config` ("--model"). Validates like the file does. Refuses api_key
 * (keys never come from the command line) and profile (pass it to load).
 * "header" appends; every other key replaces. Copies key, value and flag. */
precis_result precis_config_set(precis_config *cfg, const char *key, const char *value,
                                const char *flag, precis_error *err);

/* Returns the effective string value of key (defaults included), or NULL if
 * unset. Owned by cfg, valid until the next set or free. For "api_key" returns
 * NULL: use precis_config_resolve_key. */
const char *precis_config_get(const precis_config *cfg, const char *key);

/* Returns where key's effective value came from. */
precis_config_origin precis_config_origin_of(const precis_config *cfg, const char *key);

/* Returns a human description of key's origin ("default", "config line 12",
 * "env PRECIS_MODEL", "flag --model"), owned by cfg. */
const char *precis_config_source(const precis_config *cfg, const char *key);

/* Returns the config file path that was consulted (owned by cfg; NULL: none). */
const char *precis_config_path(const precis_config *cfg);

/* Returns true if the config file existed and was read. */
bool precis_config_file_found(const precis_config *cfg);

/* Returns the chosen profile name (owned by cfg), or NULL for none. */
const char *precis_config_profile(const precis_config *cfg);

/* Number of profiles in the config file, and the i-th name (owned by cfg). */
size_t precis_config_profile_count(const precis_config *cfg);
const char *precis_config_profile_name(const precis_config *cfg, size_t i);

/* Returns true if a model endpoint is configured: a base_url or an API key
 * source from any layer. False means: use the offline summarizer. */
bool precis_config_has_model(const precis_config *cfg);

/* Checks that a request can be built: a base_url and a model (not needed for
 * Azure classic deployments, where api_version is set). Sets err to what to do. */
precis_result precis_config_check(const precis_config *cfg, precis_error *err);

/* Effective base URL (NULL if none), model (NULL if none) and prompt name. */
const char *precis_config_base_url(const precis_config *cfg);
const char *precis_config_model(const precis_config *cfg);
const char *precis_config_prompt(const precis_config *cfg);

/* Effective length ("short", "medium" or "long") and answer language (NULL: unset). */
const char *precis_config_length(const precis_config *cfg);
const char *precis_config_lang(const precis_config *cfg);

/* Azure api-version to append as ?api-version= (NULL: none). */
const char *precis_config_api_version(const precis_config *cfg);

/* Effective integers: context window, output limit (0: do not send one), jobs. */
long precis_config_context_tokens(const precis_config *cfg);
long precis_config_max_tokens(const precis_config *cfg);
long precis_config_jobs(const precis_config *cfg);

/* Effective token limit field, auth scheme and include_usage flag. */
precis_token_field precis_config_token_field(const precis_config *cfg);
precis_auth precis_config_auth(const precis_config *cfg);
bool precis_config_include_usage(const precis_config *cfg);

/* Returns true unless `log = false` turns the answer log off (default true). */
bool precis_config_log(const precis_config *cfg);

/* The embeddings model for hybrid doc search (NULL: unset, bm25 only). Owned by cfg. */
const char *precis_config_embeddings_model(const precis_config *cfg);

/* Returns true if `search_expand = true` asks the chat model for extra search terms
 * (default false). */
bool precis_config_search_expand(const precis_config *cfg);

/* Returns true and sets *t if temperature was set by the user (only then send it). */
bool precis_config_temperature(const precis_config *cfg, double *t);

/* Number of extra headers, and the i-th as "Name: value" (owned by cfg). */
size_t precis_config_header_count(const precis_config *cfg);
const char *precis_config_header(const precis_config *cfg, size_t i);

/* Appends base_url + path (path starts with '/', e.g. "/chat/completions") to
 * out, plus "?api-version=V" when api_version is set. Fails if no base_url. */
precis_result precis_config_url(const precis_config *cfg, const char *path, precis_buf *out,
                                precis_error *err);

/* Resolves the API key now: from api_key, the variable api_key_env names, the
 * first line of api_key_file, or the first stdout line of api_key_cmd (run with
 * /bin/sh -c, killed after the key timeout). *key is a new string the caller
 * frees (and should wipe), or NULL when no key is configured or auth is none.
 * Errors name the profile and the source but never the key or command output. */
precis_result precis_config_resolve_key(const precis_config *cfg, char **key, precis_error *err);

/* Sets the api_key_cmd time limit in milliseconds (default 10000). */
void precis_config_set_key_timeout(precis_config *cfg, int ms);

/* Appends a redacted form of key to out: "sk-…Xy3" (a short prefix ending in
 * '-' or '_' and at most the last 3 characters), or "set" for keys under 16 bytes. */
void precis_config_redact(const char *key, precis_buf *out);

/* Appends the effective settings to out for `precis config`, one
 * "key = value  (source)" line each. The API key is shown redacted; api_key_cmd
 * runs only if run_key_cmd is true. */
void precis_config_describe(const precis_config *cfg, bool run_key_cmd, precis_buf *out);

/* --- INI tokenizer (used by the loader; exposed for tests) --- */

/* Called once per section header (key == NULL, value == section text) and per
 * key/value pair; line is 1-based. Return PRECIS_OK to go on; anything else
 * stops the parse and is returned (the callback sets err). */
typedef precis_result (*precis_ini_fn)(void *ctx, int line, const char *section,
                                       const char *key, const char *value, precis_error *err);

/* Tokenizes INI text (len bytes): trims whitespace, skips blank and comment
 * lines, unquotes values. Syntax errors become "config line N: ..." in err. */
precis_result precis_ini_parse(const char *text, size_t len, precis_ini_fn fn, void *ctx,
                               precis_error *err);

#endif
