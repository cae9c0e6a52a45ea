/* `precis sites [--json] [--remove SITE]`: what is indexed. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include "precis/cli.h"
#include "precis/index.h"

static void size_text(long long n, char *dst, size_t cap)
{
    if (n >= 1000000)
        snprintf(dst, cap, "%.1f MB", (double)n / 1e6);
    else if (n >= 1000)
        snprintf(dst, cap, "%.1f kB", (double)n / 1e3);
    else
        snprintf(dst, cap, "%lld B", n);
}

static void time_text(long long t, char *dst, size_t cap)
{
    if (t <= 0) {
        snprintf(dst, cap, "never finished");
        return;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(dst, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static long long file_size(const char *path)
{
    struct stat sb;
    long long n = 0;
    if (stat(path, &sb) == 0)
        n += (long long)sb.st_size;
    char wal[4200];
    snprintf(wal, sizeof wal, "%s-wal", path);
    if (stat(wal, &sb) == 0)
        n += (long long)sb.st_size;
    return n;
}

static int remove_site(precis_index *idx, const char *spec)
{
    precis_site s;
    precis_error err;
    if (precis_index_find_site(idx, spec, &s, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        return 1;
    }
    int rc = 0;
    if (precis_index_remove_site(idx, s.id, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        rc = 2;
    } else {
        char line[600];
        int n = snprintf(line, sizeof line, "removed %s (%ld pages, %ld sections)\n", s.name,
                         s.pages, s.sections);
        precis_write_stdout(line, n > 0 ? (size_t)n : 0);
    }
    precis_site_release(&s);
    return rc;
}

int precis_cmd_sites(const precis_cli *cli)
{
    if (cli->n_sources > 0) {
        precis_warn("'precis sites' takes no arguments; to remove one: precis sites --remove "
                    "SITE");
        return 1;
    }
    precis_index *idx;
    precis_error err;
    precis_error_clear(&err);
    if (precis_index_open(NULL, false, &idx, &err) != PRECIS_OK) {
        if (err.code == PRECIS_ERR_USAGE && !cli->remove) { /* nothing indexed: an empty list */
            if (cli->json)
                precis_write_stdout("{\"sites\": []}\n", 14);
            else
                precis_warn("%s", err.msg);
            return 0;
        }
        precis_warn("%s", err.msg);
        return err.code == PRECIS_ERR_USAGE ? 1 : 2;
    }
    if (cli->remove) {
        int rc = remove_site(idx, cli->remove);
        precis_index_close(idx);
        return rc;
    }
    precis_site *sites;
    size_t n;
    if (precis_index_sites(idx, &sites, &n, &err) != PRECIS_OK) {
        precis_warn("%s", err.msg);
        precis_index_close(idx);
        return 2;
    }
    precis_buf out;
    precis_buf_init(&out, 0);
    char size[32], when[40];
    if (cli->json) {
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "database", precis_index_path(idx));
        cJSON_AddNumberToObject(o, "database_bytes", (double)file_size(precis_index_path(idx)));
        cJSON *a = cJSON_AddArrayToObject(o, "sites");
        for (size_t i = 0; i < n; i++) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddStringToObject(s, "site", sites[i].name);
            cJSON_AddStringToObject(s, "start_url", sites[i].start_url);
            cJSON_AddNumberToObject(s, "pages", (double)sites[i].pages);
            cJSON_AddNumberToObject(s, "sections", (double)sites[i].sections);
            cJSON_AddNumberToObject(s, "bytes", (double)sites[i].bytes);
            time_text(sites[i].last_crawl, when, sizeof when);
            if (sites[i].last_crawl > 0)
                cJSON_AddStringToObject(s, "last_crawl", when);
            else
                cJSON_AddNullToObject(s, "last_crawl");
            cJSON_AddItemToArray(a, s);
        }
        char *text = cJSON_Print(o);
        precis_buf_puts(&out, text);
        precis_buf_putc(&out, '\n');
        cJSON_free(text);
        cJSON_Delete(o);
    } else {
        precis_buf_printf(&out, "%-36s %7s %9s %9s  %-20s  %s\n", "SITE", "PAGES", "SECTIONS",
                          "SIZE", "LAST CRAWL", "START URL");
        for (size_t i = 0; i < n; i++) {
            size_text(sites[i].bytes, size, sizeof size);
            time_text(sites[i].last_crawl, when, sizeof when);
            precis_buf_printf(&out, "%-36s %7ld %9ld %9s  %-20s  %s\n", sites[i].name,
                              sites[i].pages, sites[i].sections, size, when, sites[i].start_url);
        }
        size_text(file_size(precis_index_path(idx)), size, sizeof size);
        precis_buf_printf(&out, "%zu site%s in %s (%s on disk)\n", n, n == 1 ? "" : "s",
                          precis_index_path(idx), size);
    }
    bool ok = precis_write_stdout(out.ptr, out.len);
    precis_buf_release(&out);
    precis_sites_free(sites, n);
    precis_index_close(idx);
    return ok ? 0 : 2;
}
