/* Where precis keeps its files: the user's data directory and the directories above a
 * file it is about to create. */
#ifndef PRECIS_DATADIR_H
#define PRECIS_DATADIR_H

#include <stdbool.h>

/* Returns a new string: $env_override when set and non-empty, else
 * $XDG_DATA_HOME/precis/name, else ~/.local/share/precis/name. */
char *precis_data_file(const char *env_override, const char *name);

/* Creates every missing directory above path (mode 0700); true when they all exist
 * afterwards. */
bool precis_make_parent_dirs(const char *path);

#endif
