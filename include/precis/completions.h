/* Shell completion scripts for bash, zsh and fish, generated from the option and
 * command tables the parser uses (precis_cli_option_at, precis_cli_command_at). */
#ifndef PRECIS_COMPLETIONS_H
#define PRECIS_COMPLETIONS_H

#include <stdbool.h>

#include "precis/buf.h"

/* Appends the completion script for shell ("bash", "zsh" or "fish") to out.
 * Returns false, appending nothing, for any other shell. The scripts get changing
 * values (profiles, prompts, models, sites) from `precis completions list KIND`. */
bool precis_completions_script(const char *shell, precis_buf *out);

/* Returns a few words describing command (a name from the command table); "" if
 * it has none. */
const char *precis_completions_command_summary(const char *command);

#endif
