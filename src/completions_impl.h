/* What src/completions*.c share (not part of the public API). */
#ifndef PRECIS_COMPLETIONS_IMPL_H
#define PRECIS_COMPLETIONS_IMPL_H

#include "precis/buf.h"
#include "precis/cli.h"
#include "precis/completions.h"

/* What a command's operands are. */
typedef enum precis_comp_operands {
    PRECIS_COMP_NONE,   /* nothing to offer (index URL, search QUERY..., or none) */
    PRECIS_COMP_PAGES,  /* URL|FILE|-: files */
    PRECIS_COMP_SHELLS  /* bash, zsh, fish */
} precis_comp_operands;

/* Returns what command's operands are. */
precis_comp_operands precis_comp_operands_of(const char *command);

/* Appends every form of every value-taking option ("--format", "-f", ...) to out,
 * separated by sep. */
void precis_comp_valued(precis_buf *out, const char *sep);

/* Appends the command names to out, separated by sep. */
void precis_comp_commands(precis_buf *out, const char *sep);

/* Appends the completion scripts of one shell to out. */
void precis_comp_bash(precis_buf *out);
void precis_comp_zsh(precis_buf *out);
void precis_comp_fish(precis_buf *out);

#endif
