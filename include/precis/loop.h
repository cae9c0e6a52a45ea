/* The event loop every transfer runs on: one curl multi handle, timers ("tickers") that
 * owners use to start, time out and retire their work, and poll() on the caller's own
 * descriptors (stdin for the editor server). Single-threaded; nothing here blocks except
 * precis_loop_step's bounded wait. */
#ifndef PRECIS_LOOP_H
#define PRECIS_LOOP_H

#include <stdbool.h>
#include <stddef.h>

#include <curl/curl.h>

typedef struct precis_loop precis_loop;

/* Called once when an easy handle added with precis_loop_add has finished (rc is its
 * result). The handle is still in the loop: the owner removes it (precis_loop_remove),
 * reuses or frees it. */
typedef void (*precis_loop_done_fn)(void *ctx, CURL *easy, CURLcode rc);

/* Called on every step, before and after transfers move. Returns how many milliseconds
 * the owner can wait before it needs to run again (-1: no deadline of its own; 0 when
 * it has just delivered something, so that the caller looks before the loop waits). */
typedef long (*precis_loop_tick_fn)(void *ctx);

/* One descriptor for precis_loop_step to watch for input; revents is set on return. */
typedef struct precis_loop_fd {
    int fd;
    bool readable; /* out: the descriptor is readable (or at EOF / in error) */
} precis_loop_fd;

/* Creates an empty loop (initialising libcurl once per process). Free with
 * precis_loop_free after every owner has removed its handles and tickers. */
precis_loop *precis_loop_new(void);

/* Frees the loop. Handles still added are removed (not cleaned up). NULL-safe. */
void precis_loop_free(precis_loop *loop);

/* Adds easy (owned by the caller) to the loop; fn(ctx, easy, rc) runs when it finishes. */
void precis_loop_add(precis_loop *loop, CURL *easy, precis_loop_done_fn fn, void *ctx);

/* Removes easy from the loop (closing its transfer); a handle not in the loop is ignored. */
void precis_loop_remove(precis_loop *loop, CURL *easy);

/* Registers a ticker; returns its id for precis_loop_ticker_remove. */
int precis_loop_ticker_add(precis_loop *loop, precis_loop_tick_fn fn, void *ctx);

/* Unregisters ticker id; safe from inside any callback (it is not called again). */
void precis_loop_ticker_remove(precis_loop *loop, int id);

/* Moves every transfer along: runs the tickers and dispatches finished transfers, then
 * waits up to timeout_ms (-1 = no limit but the tickers'; no wait at all when a ticker
 * asked for 0 or a transfer finished before the wait) for network activity or input on
 * fds, then dispatches and runs the tickers again. Returns the number of transfers
 * still in the loop. */
size_t precis_loop_step(precis_loop *loop, precis_loop_fd *fds, size_t nfds, int timeout_ms);

/* Number of transfers in the loop. */
size_t precis_loop_active(const precis_loop *loop);

/* Returns the monotonic clock in seconds. */
double precis_now(void);

#endif
