/* The shared event loop: a curl multi handle, owner tickers and poll() on extra fds. */
#include "precis/loop.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "precis/buf.h"
#include "precis/error.h"

typedef struct handle_rec {
    CURL *easy;
    precis_loop_done_fn fn;
    void *ctx;
} handle_rec;

typedef struct ticker_rec {
    int id; /* 0 = removed */
    precis_loop_tick_fn fn;
    void *ctx;
} ticker_rec;

struct precis_loop {
    CURLM *multi;
    handle_rec *h;
    size_t nh, caph;
    ticker_rec *t;
    size_t nt, capt;
    int next_id;
    int ticking;   /* nesting depth of run_tickers: compaction waits for 0 */
};

double precis_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

precis_loop *precis_loop_new(void)
{
    static bool global_done;
    if (!global_done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        global_done = true;
    }
    precis_loop *loop = precis_xcalloc(1, sizeof *loop);
    loop->multi = curl_multi_init();
    if (!loop->multi)
        precis_die("out of memory");
    return loop;
}

void precis_loop_free(precis_loop *loop)
{
    if (!loop)
        return;
    for (size_t i = 0; i < loop->nh; i++)
        curl_multi_remove_handle(loop->multi, loop->h[i].easy);
    curl_multi_cleanup(loop->multi);
    free(loop->h);
    free(loop->t);
    free(loop);
}

void precis_loop_add(precis_loop *loop, CURL *easy, precis_loop_done_fn fn, void *ctx)
{
    if (loop->nh == loop->caph) {
        loop->caph = loop->caph ? loop->caph * 2 : 8;
        loop->h = precis_xrealloc(loop->h, loop->caph * sizeof *loop->h);
    }
    loop->h[loop->nh++] = (handle_rec){easy, fn, ctx};
    if (curl_multi_add_handle(loop->multi, easy) != CURLM_OK)
        precis_die("curl_multi_add_handle failed");
}

static handle_rec *find_handle(precis_loop *loop, CURL *easy)
{
    for (size_t i = 0; i < loop->nh; i++)
        if (loop->h[i].easy == easy)
            return &loop->h[i];
    return NULL;
}

void precis_loop_remove(precis_loop *loop, CURL *easy)
{
    handle_rec *r = find_handle(loop, easy);
    if (!r)
        return;
    curl_multi_remove_handle(loop->multi, easy);
    *r = loop->h[--loop->nh];
}

int precis_loop_ticker_add(precis_loop *loop, precis_loop_tick_fn fn, void *ctx)
{
    if (loop->nt == loop->capt) {
        loop->capt = loop->capt ? loop->capt * 2 : 8;
        loop->t = precis_xrealloc(loop->t, loop->capt * sizeof *loop->t);
    }
    int id = ++loop->next_id;
    if (id <= 0)
        id = loop->next_id = 1;
    loop->t[loop->nt++] = (ticker_rec){id, fn, ctx};
    return id;
}

void precis_loop_ticker_remove(precis_loop *loop, int id)
{
    for (size_t i = 0; i < loop->nt; i++)
        if (loop->t[i].id == id)
            loop->t[i].id = 0;
}

/* Runs every live ticker; returns the shortest wait any of them asked for (-1: none). */
static long run_tickers(precis_loop *loop)
{
    long wait = -1;
    loop->ticking++;
    for (size_t i = 0; i < loop->nt; i++) { /* tickers added meanwhile run too */
        ticker_rec t = loop->t[i];
        if (!t.id)
            continue;
        long w = t.fn(t.ctx);
        if (w >= 0 && (wait < 0 || w < wait))
            wait = w;
    }
    if (--loop->ticking == 0) {
        size_t k = 0;
        for (size_t i = 0; i < loop->nt; i++)
            if (loop->t[i].id)
                loop->t[k++] = loop->t[i];
        loop->nt = k;
    }
    return wait;
}

/* Moves transfers and runs the done callbacks; returns how many transfers finished. */
static size_t dispatch(precis_loop *loop)
{
    size_t finished = 0;
    int still;
    curl_multi_perform(loop->multi, &still);
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(loop->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        CURL *easy = m->easy_handle;
        CURLcode rc = m->data.result;
        handle_rec *r = find_handle(loop, easy);
        if (r && r->fn) {
            finished++;
            r->fn(r->ctx, easy, rc); /* may add and remove handles, m is not read again */
        }
    }
    return finished;
}

size_t precis_loop_step(precis_loop *loop, precis_loop_fd *fds, size_t nfds, int timeout_ms)
{
    long want = run_tickers(loop);
    size_t finished = dispatch(loop);
    long w2 = run_tickers(loop);
    if (w2 >= 0 && (want < 0 || w2 < want))
        want = w2;
    if (finished > 0)
        want = 0; /* something ended: let the caller look before anything waits */
    long wait = timeout_ms;
    if (want >= 0 && (wait < 0 || want < wait))
        wait = want;
    if (wait < 0)
        wait = 1000; /* nothing asked for a deadline: wake now and then anyway */
    struct curl_waitfd w[16];
    size_t nw = nfds < 16 ? nfds : 16;
    for (size_t i = 0; i < nw; i++) {
        w[i].fd = fds[i].fd;
        w[i].events = CURL_WAIT_POLLIN;
        w[i].revents = 0;
        fds[i].readable = false;
    }
    curl_multi_poll(loop->multi, nw ? w : NULL, (unsigned)nw, (int)wait, NULL);
    for (size_t i = 0; i < nw; i++)
        fds[i].readable = w[i].revents != 0;
    dispatch(loop);
    run_tickers(loop);
    return loop->nh;
}

size_t precis_loop_active(const precis_loop *loop)
{
    return loop->nh;
}
