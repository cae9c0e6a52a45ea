/* Config loading: find and parse the file, choose the profile, apply the environment. */
#include "config_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CONFIG_MAX_BYTES (1024 * 1024)

/* One key = value line of the file. section NULL = global. */
typedef struct entry {
    char *section;
    int key;
    char *value;
    int line;
} entry;

typedef struct load_ctx {
    entry *entries;
    size_t n_entries;
    char *cur; /* current profile name, NULL = global */
    char **names;
    size_t n_names;
    char *file_profile;
    int file_profile_line;
    precis_buf norm;
} load_ctx;

static const char *getenv_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

static bool is_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '-' || *s == '_' || *s == '.'))
            return false;
    return true;
}

static void describe_section(const char *section, precis_buf *out)
{
    if (section)
        precis_buf_printf(out, "[profile %s]", section);
    else
        precis_buf_puts(out, "the global settings");
}

static precis_result on_section(load_ctx *c, int line, const char *text, precis_error *err)
{
    const char *name = text;
    if (strncmp(text, "profile", 7) == 0 && (text[7] == ' ' || text[7] == '\t')) {
        name = text + 8;
        while (*name == ' ' || *name == '\t')
            name++;
    }
    if (!is_name(name))
        return precis_error_set(err, PRECIS_ERR_USAGE,
                                "config line %d: bad section [%s]: use [profile NAME] with a "
                                "name of letters, digits, '-', '_' or '.'",
                                line, text);
    free(c->cur);
    c->cur = NULL;
    if (strcmp(name, "default") == 0)
        return PRECIS_OK;
    c->cur = precis_xstrdup(name);
    for (size_t i = 0; i < c->n_names; i++)
        if (strcmp(c->names[i], name) == 0)
            return PRECIS_OK;
    c->names = precis_xrealloc(c->names, (c->n_names + 1) * sizeof *c->names);
    c->names[c->n_names++] = precis_xstrdup(name);
    return PRECIS_OK;
}

static precis_result on_line(void *ctx, int line, const char *section, const char *key,
                             const char *value, precis_error *err)
{
    load_ctx *c = ctx;
    (void)section;
    if (!key)
        return on_section(c, line, value, err);
    if (strcmp(key, "profile") == 0) {
        if (c->cur)
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "config line %d: 'profile = NAME' belongs at the top or in "
                                    "[default], not in [profile %s]",
                                    line, c->cur);
        if (!is_name(value))
            return precis_error_set(err, PRECIS_ERR_USAGE,
                                    "config line %d: bad profile name '%s'", line, value);
        free(c->file_profile);
        c->file_profile = precis_xstrdup(value);
        c->file_profile_line = line;
        return PRECIS_OK;
    }
    precis_buf where;
    precis_buf_init(&where, 0);
    describe_section(c->cur, &where);
    precis_result r = PRECIS_OK;
    int k = precis_config_key_index(key);
    if (k < 0) {
        const char *hint = precis_config_suggest(key);
        r = precis_error_set(err, PRECIS_ERR_USAGE, "config line %d: unknown key '%s' in %s%s%s%s",
                             line, key, where.ptr, hint ? " (did you mean '" : "",
                             hint ? hint : "", hint ? "'?)" : "");
    } else {
        const char *why = precis_config_validate(k, value, &c->norm);
        if (why) {
            r = precis_error_set(err, PRECIS_ERR_USAGE,
                                 "config line %d: bad value for %s in %s: expected %s", line, key,
                                 where.ptr, why);
        } else {
            c->entries = precis_xrealloc(c->entries, (c->n_entries + 1) * sizeof *c->entries);
            entry *e = &c->entries[c->n_entries++];
            e->section = c->cur ? precis_xstrdup(c->cur) : NULL;
            e->key = k;
            e->value = precis_xstrdup(c->norm.ptr);
            e->line = line;
        }
    }
    precis_buf_release(&where);
    return r;
}

static void ctx_release(load_ctx *c)
{
    for (size_t i = 0; i < c->n_entries; i++) {
        free(c->entries[i].section);
        free(c->entries[i].value);
    }
    free(c->entries);
    for (size_t i = 0; i < c->n_names; i++)
        free(c->names[i]);
    free(c->names);
    free(c->cur);
    free(c->file_profile);
    precis_buf_release(&c->norm);
}

/* Applies the entries of one section (NULL = global) at layer. */
static precis_result apply(precis_config *cfg, const load_ctx *c, const char *section, int layer,
                           precis_error *err)
{
    precis_buf src;
    precis_buf_init(&src, 0);
    precis_result r = PRECIS_OK;
    for (size_t i = 0; i < c->n_entries && r == PRECIS_OK; i++) {
        const entry *e = &c->entries[i];
        if (section ? !e->section || strcmp(section, e->section) != 0 : e->section != NULL)
            continue;
        int other = precis_config_key_source(cfg);
        if (e->key >= PRECIS_KEY_API_KEY && e->key <= PRECIS_KEY_API_KEY_CMD && other >= 0 &&
            other != e->key && cfg->s[other].layer == layer) {
            precis_buf where;
            precis_buf_init(&where, 0);
            describe_section(section, &where);
            r = precis_error_set(err, PRECIS_ERR_USAGE,
                                 "config line %d: %s sets both %s and %s (%s): keep one", e->line,
                                 where.ptr, precis_config_key_name(e->key),
                                 precis_config_key_name(other), cfg->s[other].source);
            precis_buf_release(&where);
            break;
        }
        precis_buf_reset(&src);
        precis_buf_printf(&src, "config line %d", e->line);
        precis_config_store(cfg, e->key, e->value, src.ptr, layer);
    }
    precis_buf_release(&src);
    return r;
}

/* Chooses the profile: flag, then PRECIS_PROFILE, then `profile =` in the file. */
static precis_result choose_profile(precis_config *cfg, const load_ctx *c, const char *flag,
                                    precis_error *err)
{
    precis_buf src;
    precis_buf_init(&src, 0);
    const char *name = NULL;
    if (flag && *flag) {
        name = flag;
        precis_buf_puts(&src, "flag --profile");
    } else if ((name = getenv_nonempty("PRECIS_PROFILE"))) {
        precis_buf_puts(&src, "env PRECIS_PROFILE");
    } else if (c->file_profile) {
        name = c->file_profile;
        precis_buf_printf(&src, "config line %d", c->file_profile_line);
    }
    precis_result r = PRECIS_OK;
    if (name && strcmp(name, "default") != 0) {
        bool known = false;
        for (size_t i = 0; i < c->n_names; i++)
            known = known || strcmp(c->names[i], name) == 0;
        if (!known) {
            precis_buf list;
            precis_buf_init(&list, 0);
            for (size_t i = 0; i < c->n_names; i++)
                precis_buf_printf(&list, "%s%s", i ? ", " : "", c->names[i]);
            if (!cfg->found)
                r = precis_error_set(err, PRECIS_ERR_USAGE,
                                     "profile '%s' (%s) not found: no config file at %s", name,
                                     src.ptr, cfg->path ? cfg->path : "(none)");
            else
                r = precis_error_set(err, PRECIS_ERR_USAGE,
                                     "profile '%s' (%s) not found in %s (profiles: %s)", name,
                                     src.ptr, cfg->path, list.len ? list.ptr : "none");
            precis_buf_release(&list);
        } else {
            cfg->profile = precis_xstrdup(name);
            cfg->profile_source = precis_xstrdup(src.ptr);
        }
    }
    precis_buf_release(&src);
    return r;
}

/* Applies OPENAI_BASE_URL, PRECIS_MODEL and OPENAI_API_KEY. */
static precis_result apply_env(precis_config *cfg, precis_error *err)
{
    static const struct {
        const char *var;
        int key;
    } vars[] = {
        {"OPENAI_BASE_URL", PRECIS_KEY_BASE_URL},
        {"PRECIS_MODEL", PRECIS_KEY_MODEL},
    };
    precis_buf norm;
    precis_buf_init(&norm, 0);
    precis_result r = PRECIS_OK;
    for (size_t i = 0; i < sizeof vars / sizeof vars[0] && r == PRECIS_OK; i++) {
        const char *v = getenv_nonempty(vars[i].var);
        if (!v)
            continue;
        const char *why = precis_config_validate(vars[i].key, v, &norm);
        if (why) {
            r = precis_error_set(err, PRECIS_ERR_USAGE, "env %s: expected %s", vars[i].var, why);
        } else {
            char src[64];
            snprintf(src, sizeof src, "env %s", vars[i].var);
            precis_config_store(cfg, vars[i].key, norm.ptr, src, PRECIS_LAYER_ENV);
        }
    }
    /* OPENAI_API_KEY must not reach another provider just because it is in the
     * environment: a profile that names its own key source keeps it, and a
     * config base_url elsewhere than api.openai.com gets no key from it (an
     * OPENAI_BASE_URL set next to it is the user's explicit pairing). */
    const precis_setting *base = &cfg->s[PRECIS_KEY_BASE_URL];
    bool base_ok = !base->value || base->layer == PRECIS_LAYER_ENV ||
                   precis_config_is_openai_url(base->value);
    if (r == PRECIS_OK && getenv_nonempty("OPENAI_API_KEY") && precis_config_key_source(cfg) < 0 &&
        base_ok)
        precis_config_store(cfg, PRECIS_KEY_API_KEY_ENV, "OPENAI_API_KEY", "env OPENAI_API_KEY",
                            PRECIS_LAYER_ENV);
    precis_buf_release(&norm);
    return r;
}

/* Sets cfg->path from PRECIS_CONFIG / XDG_CONFIG_HOME / HOME; *explicit if from PRECIS_CONFIG. */
static void find_path(precis_config *cfg, bool *explicit_path)
{
    const char *env = getenv("PRECIS_CONFIG");
    *explicit_path = false;
    if (env) {
        *explicit_path = *env != '\0';
        cfg->path = *env ? precis_xstrdup(env) : NULL;
        return;
    }
    precis_buf p;
    precis_buf_init(&p, 0);
    const char *xdg = getenv_nonempty("XDG_CONFIG_HOME");
    const char *home = getenv_nonempty("HOME");
    if (xdg && xdg[0] == '/')
        precis_buf_printf(&p, "%s/precis/config", xdg);
    else if (home)
        precis_buf_printf(&p, "%s/.config/precis/config", home);
    cfg->path = p.len ? precis_buf_detach(&p) : NULL;
    precis_buf_release(&p);
}

static precis_result finish_load(precis_config *cfg, const char *text, size_t len,
                                 const char *profile, precis_config **out, precis_error *err)
{
    load_ctx c;
    memset(&c, 0, sizeof c);
    precis_buf_init(&c.norm, 0);
    precis_result r = PRECIS_OK;
    if (text)
        r = precis_ini_parse(text, len, on_line, &c, err);
    if (r == PRECIS_OK)
        r = choose_profile(cfg, &c, profile, err);
    if (r == PRECIS_OK)
        r = apply(cfg, &c, NULL, PRECIS_LAYER_GLOBAL, err);
    if (r == PRECIS_OK && cfg->profile)
        r = apply(cfg, &c, cfg->profile, PRECIS_LAYER_PROFILE, err);
    if (r == PRECIS_OK)
        r = apply_env(cfg, err);
    cfg->profile_names = c.names;
    cfg->n_profiles = c.n_names;
    c.names = NULL;
    c.n_names = 0;
    ctx_release(&c);
    if (r != PRECIS_OK) {
        precis_config_free(cfg);
        cfg = NULL;
    }
    *out = cfg;
    return r;
}

precis_result precis_config_load_text(const char *path, const char *text, size_t len,
                                      const char *profile, precis_config **out,
                                      precis_error *err)
{
    precis_config *cfg = precis_config_new();
    cfg->path = path ? precis_xstrdup(path) : NULL;
    cfg->found = text != NULL;
    return finish_load(cfg, text, len, profile, out, err);
}

precis_result precis_config_load(const char *profile, precis_config **out, precis_error *err)
{
    precis_config *cfg = precis_config_new();
    bool explicit_path;
    find_path(cfg, &explicit_path);
    precis_buf text;
    precis_buf_init(&text, CONFIG_MAX_BYTES);
    precis_result r = PRECIS_OK;
    FILE *f = cfg->path ? fopen(cfg->path, "rb") : NULL;
    if (f) {
        struct stat st;
        if (fstat(fileno(f), &st) == 0)
            cfg->readable_by_others = (st.st_mode & 077) != 0;
        char chunk[4096];
        size_t n;
        while (r == PRECIS_OK && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
            if (precis_buf_append(&text, chunk, n) != PRECIS_OK)
                r = precis_error_set(err, PRECIS_ERR_USAGE, "config %s is larger than 1 MiB",
                                     cfg->path);
        if (r == PRECIS_OK && ferror(f))
            r = precis_error_set(err, PRECIS_ERR_IO, "cannot read config %s: %s", cfg->path,
                                 strerror(errno));
        fclose(f);
        cfg->found = true;
    } else if (cfg->path && (errno != ENOENT || explicit_path)) {
        r = precis_error_set(err, PRECIS_ERR_USAGE, "cannot read config %s%s: %s", cfg->path,
                             explicit_path ? " (from PRECIS_CONFIG)" : "", strerror(errno));
    }
    if (r != PRECIS_OK) {
        precis_buf_release(&text);
        precis_config_free(cfg);
        *out = NULL;
        return r;
    }
    r = finish_load(cfg, cfg->found ? text.ptr : NULL, text.len, profile, out, err);
    precis_buf_release(&text);
    return r;
}
