/* PDF -> text through poppler's pdftotext, run without a shell. */
#ifndef PRECIS_PDFTEXT_H
#define PRECIS_PDFTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"
#include "precis/error.h"

/* Returns the full path of pdftotext found on PATH as a new string the caller
 * frees, or NULL when it is not installed. */
char *precis_pdftotext_path(void);

/* Runs `pdftotext -layout - -` on pdf[0..len) and appends its output to text,
 * capped at max_bytes (0 = no cap), killing it after timeout_s seconds (0 = 60).
 * name labels error messages. Fails with PRECIS_ERR_UNSUPPORTED (and the install
 * hint) when pdftotext is missing. */
precis_result precis_pdf_to_text(const char *pdf, size_t len, const char *name, long timeout_s,
                                 size_t max_bytes, precis_buf *text, precis_error *err);

#endif
