/* Retry policy: which failures are retried, how long to wait, and Retry-After headers. */
#include "llm_internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

long precis_llm_retry_after_ms(const char *name, size_t name_len, const char *value,
                               size_t value_len)
{
    long scale;
    if (name_len == 11 && strncasecmp(name, "retry-after", 11) == 0)
        scale = 1000;
    else if (name_len == 14 && strncasecmp(name, "retry-after-ms", 14) == 0)
        scale = 1;
    else
        return -1;
    while (value_len > 0 && (*value == ' ' || *value == '\t')) {
        value++;
        value_len--;
    }
    /* Seconds (or ms) as a decimal number; an HTTP date is not worth honouring here. */
    char tmp[32];
    size_t n = 0;
    while (n < value_len && n < sizeof tmp - 1 && ((value[n] >= '0' && value[n] <= '9') || value[n] == '.')) {
        tmp[n] = value[n];
        n++;
    }
    tmp[n] = '\0';
    if (n == 0)
        return -1;
    double v = strtod(tmp, NULL);
    if (v < 0 || v > 86400.0 * 1000)
        return -1;
    return (long)(v * (double)scale + 0.5);
}

long precis_llm_backoff_ms(long base_ms, int attempt, long server_ms)
{
    if (server_ms >= 0)
        return server_ms;
    if (base_ms <= 0)
        return 0;
    long d = base_ms;
    for (int i = 1; i < attempt && d < 3600000; i++)
        d *= 2;
    /* Jitter: somewhere between half and all of the exponential delay. */
    static unsigned seed;
    if (!seed)
        seed = (unsigned)time(NULL) ^ (unsigned)(size_t)&seed;
    seed = seed * 1103515245u + 12345u;
    long half = d / 2;
    return half + (long)((seed >> 8) % (unsigned long)(d - half + 1));
}

bool precis_llm_should_retry(precis_llm_class cls, long http_status, bool delivered)
{
    if (delivered)
        return false; /* the user has seen part of an answer: never repeat it */
    switch (cls) {
    case PRECIS_LLM_RATE_LIMIT:
    case PRECIS_LLM_CONNECT:
        return true;
    case PRECIS_LLM_SERVER:
        return http_status == 408 || http_status == 500 || http_status == 502
               || http_status == 503 || http_status == 504;
    case PRECIS_LLM_TRUNCATED:
        return true; /* dropped before any text was shown */
    default:
        return false;
    }
}
