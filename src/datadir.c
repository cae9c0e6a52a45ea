/* The user's data directory and creating the directories above a file. */
#include "precis/datadir.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "precis/buf.h"

char *precis_data_file(const char *env_override, const char *name)
{
    precis_buf b;
    precis_buf_init(&b, 0);
    const char *e = env_override ? getenv(env_override) : NULL;
    const char *xdg = getenv("XDG_DATA_HOME");
    const char *home = getenv("HOME");
    if (e && *e)
        precis_buf_puts(&b, e);
    else if (xdg && *xdg)
        precis_buf_printf(&b, "%s/precis/%s", xdg, name);
    else
        precis_buf_printf(&b, "%s/.local/share/precis/%s", home && *home ? home : ".", name);
    return precis_buf_detach(&b);
}

bool precis_make_parent_dirs(const char *path)
{
    char *d = precis_xstrdup(path);
    bool ok = true;
    for (char *p = d + 1; *p && ok; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(d, 0700) != 0 && errno != EEXIST)
            ok = false;
        *p = '/';
    }
    free(d);
    return ok;
}
