/* The config struct, shared by src/config*.c only (not part of the public API). */
#ifndef PRECIS_CONFIG_IMPL_H
#define PRECIS_CONFIG_IMPL_H

#include "precis/config.h"

/* Every known key, in the order `precis config` lists them. */
enum precis_cfg_key {
    PRECIS_KEY_BASE_URL,
    PRECIS_KEY_MODEL,
    PRECIS_KEY_API_KEY,
    PRECIS_KEY_API_KEY_ENV,
    PRECIS_KEY_API_KEY_FILE,
    PRECIS_KEY_API_KEY_CMD,
    PRECIS_KEY_AUTH,
    PRECIS_KEY_API_VERSION,
    PRECIS_KEY_HEADER,
    PRECIS_KEY_CONTEXT_TOKENS,
    PRECIS_KEY_MAX_TOKENS,
    PRECIS_KEY_TOKEN_LIMIT_FIELD,
    PRECIS_KEY_TEMPERATURE,
    PRECIS_KEY_INCLUDE_USAGE,
    PRECIS_KEY_JOBS,
    PRECIS_KEY_PROMPT,
    PRECIS_KEY_LENGTH,
    PRECIS_KEY_LANG,
    PRECIS_KEY_LOG,
    PRECIS_KEY_EMBEDDINGS_MODEL,
    PRECIS_KEY_SEARCH_EXPAND,
    PRECIS_KEY_COUNT
};

/* Layers, lowest precedence first. */
enum precis_cfg_layer {
    PRECIS_LAYER_DEFAULT,
    PRECIS_LAYER_GLOBAL,  /* top-level keys and [default] */
    PRECIS_LAYER_PROFILE, /* the chosen [profile NAME] */
    PRECIS_LAYER_ENV,
    PRECIS_LAYER_FLAG
};

/* One value and where it came from. value NULL = unset. */
typedef struct precis_setting {
    char *value;
    char *source; /* "config line 12", "env PRECIS_MODEL", "flag --model" */
    int layer;
} precis_setting;

struct precis_config {
    precis_setting s[PRECIS_KEY_COUNT]; /* s[PRECIS_KEY_HEADER] is unused */
    precis_setting *headers;
    size_t n_headers;
    char *path;
    bool found;
    bool readable_by_others; /* the file's mode lets group or others read it */
    char **profile_names;    /* every [profile NAME] of the file, in file order */
    size_t n_profiles;
    char *profile;        /* NULL = none */
    char *profile_source; /* where the profile choice came from */
    int key_timeout_ms;
};

/* Returns the key index of name, or -1 if unknown. */
int precis_config_key_index(const char *name);

/* Returns the name of key index k. */
const char *precis_config_key_name(int k);

/* Returns the known key closest to name (edit distance <= 2), or NULL. */
const char *precis_config_suggest(const char *name);

/* Checks value for key k; on success stores the normalised value in norm and
 * returns NULL, else returns a static description of what is expected. */
const char *precis_config_validate(int k, const char *value, precis_buf *norm);

/* Stores a validated value with its source and layer (header appends; a key
 * source key clears the other key sources). Copies value and source. */
void precis_config_store(precis_config *cfg, int k, const char *value, const char *source,
                         int layer);

/* Returns the index of the key source in effect (PRECIS_KEY_API_KEY..CMD) or -1. */
int precis_config_key_source(const precis_config *cfg);

/* Appends "profile 'NAME'" or "the default settings" to out, for messages. */
void precis_config_owner(const precis_config *cfg, precis_buf *out);

/* Returns true if url's host is api.openai.com. */
bool precis_config_is_openai_url(const char *url);

/* Returns a new empty config (defaults only). */
precis_config *precis_config_new(void);

#endif
