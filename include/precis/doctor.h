/* `precis doctor`: the report it prints and the checks worth testing alone. */
#ifndef PRECIS_DOCTOR_H
#define PRECIS_DOCTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "precis/buf.h"

/* The verdict of one check. */
typedef enum precis_check {
    PRECIS_CHECK_OK = 0,   /* works */
    PRECIS_CHECK_INFO,     /* a fact, nothing to do */
    PRECIS_CHECK_WARN,     /* works, but something optional is missing */
    PRECIS_CHECK_FAIL      /* broken: the line says what to do */
} precis_check;

/* The report: its text and how many checks failed or warned. */
typedef struct precis_doctor {
    precis_buf out;
    int fails;
    int warns;
} precis_doctor;

/* Starts an empty report. Release with precis_doctor_release. */
void precis_doctor_init(precis_doctor *d);

/* Frees the report's text. */
void precis_doctor_release(precis_doctor *d);

/* Appends one line "VERDICT  TOPIC  message" (message printf-style, sanitised
 * to one line) and counts it. */
void precis_doctor_add(precis_doctor *d, precis_check verdict, const char *topic,
                       const char *fmt, ...) PRECIS_PRINTF(4, 5);

/* Appends text indented under the previous line (each of its lines), uncounted. */
void precis_doctor_detail(precis_doctor *d, const char *text);

/* Returns the word printed for a verdict ("ok", "info", "warn", "FAIL"). */
const char *precis_check_word(precis_check verdict);

/* Checks that precis can create files in dir: dir exists and is writable, or the
 * nearest existing ancestor is a writable directory (dir is made on first use).
 * Creates nothing. Appends the reason or what to do to why. */
precis_check precis_doctor_dir(const char *dir, precis_buf *why);

/* Returns the index in ids[0..n) of the model the server lists for name: the
 * same id, or name with the ":latest" tag Ollama adds, or "models/" + name as
 * Gemini lists them; -1 if none. */
long precis_doctor_find_model(const char *name, char *const *ids, size_t n);

#endif
