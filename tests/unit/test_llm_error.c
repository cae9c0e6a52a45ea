/* Provider error envelopes, classification, retry policy and request building. */
#include "check.h"

#include <stdlib.h>

#include "../../src/llm_internal.h"

static precis_llm_class classify_body(const char *body, long status, precis_llm_apierr *e)
{
    memset(e, 0, sizeof *e);
    precis_llm_apierr_from_body(body, strlen(body), status, e);
    e->status = status;
    return precis_llm_classify(e);
}

static void test_envelopes(void)
{
    precis_llm_apierr e;
    CHECK(classify_body("{\"error\":{\"message\":\"Incorrect API key provided: sk-x\",\"type\":\"invalid_request_error\","
                        "\"param\":null,\"code\":\"invalid_api_key\"}}", 401, &e) == PRECIS_LLM_AUTH);
    CHECK_STR(e.message, "Incorrect API key provided: sk-x");
    CHECK_STR(e.code, "invalid_api_key");
    CHECK(e.param == NULL);
    precis_llm_apierr_release(&e);

    CHECK(classify_body("{\"error\":{\"code\":\"DeploymentNotFound\",\"message\":\"The API deployment does not exist\"}}",
                        404, &e) == PRECIS_LLM_NOT_FOUND);
    precis_llm_apierr_release(&e);
    CHECK(classify_body("{\"error\":{\"code\":402,\"message\":\"Insufficient credits\",\"metadata\":{}}}", 402, &e)
          == PRECIS_LLM_QUOTA);
    CHECK_STR(e.code, "402");
    precis_llm_apierr_release(&e);
    /* vLLM flat envelope with an integer code */
    CHECK(classify_body("{\"object\":\"error\",\"message\":\"This model's maximum context length is 4096 tokens.\","
                        "\"type\":\"BadRequestError\",\"param\":null,\"code\":400}", 400, &e)
          == PRECIS_LLM_CONTEXT_OVERFLOW);
    CHECK_STR(e.type, "BadRequestError");
    precis_llm_apierr_release(&e);
    /* Mistral: message is an object */
    CHECK(classify_body("{\"object\":\"error\",\"message\":{\"detail\":[{\"type\":\"extra_forbidden\",\"loc\":[\"body\","
                        "\"max_completion_tokens\"],\"msg\":\"Extra inputs are not permitted\"}]},\"type\":"
                        "\"invalid_request_error\",\"param\":null,\"code\":null}", 422, &e)
          == PRECIS_LLM_UNSUPPORTED_PARAM);
    CHECK_CONTAINS(e.message, "Extra inputs are not permitted");
    CHECK(precis_llm_param_fallback(&e, 422, PRECIS_LLM_MAX_COMPLETION_TOKENS) == PRECIS_LLM_MAX_TOKENS);
    CHECK(precis_llm_param_fallback(&e, 422, PRECIS_LLM_MAX_TOKENS) == PRECIS_LLM_MAX_TOKENS);
    precis_llm_apierr_release(&e);
    /* Ollama native: error is a string */
    CHECK(classify_body("{\"error\":\"model 'mistral' not found, try pulling it first\"}", 404, &e)
          == PRECIS_LLM_NOT_FOUND);
    CHECK_STR(e.message, "model 'mistral' not found, try pulling it first");
    precis_llm_apierr_release(&e);
    /* llama.cpp overflow */
    CHECK(classify_body("{\"error\":{\"code\":400,\"message\":\"the request exceeds the available context size\","
                        "\"type\":\"exceed_context_size_error\",\"n_prompt_tokens\":1407,\"n_ctx\":256}}", 400, &e)
          == PRECIS_LLM_CONTEXT_OVERFLOW);
    precis_llm_apierr_release(&e);
    /* proxies: HTML, then nothing at all */
    CHECK(classify_body("<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>", 502, &e)
          == PRECIS_LLM_SERVER);
    CHECK_STR(e.message, "502 Bad Gateway nginx");
    precis_llm_apierr_release(&e);
    CHECK(classify_body("", 503, &e) == PRECIS_LLM_SERVER);
    CHECK_STR(e.message, "HTTP 503");
    precis_llm_apierr_release(&e);
    /* 429: quota is not a rate limit; token rate limits are not overflows */
    CHECK(classify_body("{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\","
                        "\"code\":\"insufficient_quota\"}}", 429, &e) == PRECIS_LLM_QUOTA);
    precis_llm_apierr_release(&e);
    CHECK(classify_body("{\"error\":{\"message\":\"Rate limit: too many tokens per min\",\"code\":\"rate_limit_exceeded\"}}",
                        429, &e) == PRECIS_LLM_RATE_LIMIT);
    precis_llm_apierr_release(&e);
    CHECK(classify_body("{\"error\":{\"message\":\"bad\",\"code\":\"invalid_value\"}}", 400, &e) == PRECIS_LLM_BAD_REQUEST);
    precis_llm_apierr_release(&e);
    CHECK(classify_body("{\"error\":{\"message\":\"Unsupported value: 'temperature' does not support 0.2\","
                        "\"code\":\"unsupported_value\",\"param\":\"temperature\"}}", 400, &e)
          == PRECIS_LLM_UNSUPPORTED_PARAM);
    CHECK(precis_llm_param_fallback(&e, 400, PRECIS_LLM_MAX_TOKENS) == PRECIS_LLM_MAX_TOKENS);
    precis_llm_apierr_release(&e);
    /* an in-stream error with a numeric code takes that code as its status */
    memset(&e, 0, sizeof e);
    e.status = 200;
    cJSON *j = cJSON_Parse("{\"error\":{\"code\":\"503\",\"message\":\"overloaded\"}}");
    CHECK(precis_llm_apierr_from_json(j, &e));
    CHECK(e.status == 503);
    CHECK(precis_llm_classify(&e) == PRECIS_LLM_SERVER);
    cJSON_Delete(j);
    precis_llm_apierr_release(&e);
    j = cJSON_Parse("{\"choices\":[]}");
    memset(&e, 0, sizeof e);
    CHECK(!precis_llm_apierr_from_json(j, &e));
    cJSON_Delete(j);
}

static void test_fallback(void)
{
    precis_llm_apierr e;
    classify_body("{\"error\":{\"message\":\"Unsupported parameter: 'max_tokens' is not supported with this model. Use "
                  "'max_completion_tokens' instead.\",\"type\":\"invalid_request_error\",\"param\":\"max_tokens\","
                  "\"code\":\"unsupported_parameter\"}}", 400, &e);
    CHECK(precis_llm_classify(&e) == PRECIS_LLM_UNSUPPORTED_PARAM);
    CHECK(precis_llm_param_fallback(&e, 400, PRECIS_LLM_MAX_TOKENS) == PRECIS_LLM_MAX_COMPLETION_TOKENS);
    /* the message names max_completion_tokens too, but as the advice, not the culprit */
    CHECK(precis_llm_param_fallback(&e, 400, PRECIS_LLM_MAX_COMPLETION_TOKENS) == PRECIS_LLM_MAX_COMPLETION_TOKENS);
    CHECK(precis_llm_param_fallback(&e, 500, PRECIS_LLM_MAX_TOKENS) == PRECIS_LLM_MAX_TOKENS);
    CHECK(precis_llm_param_fallback(&e, 400, PRECIS_LLM_MAX_NONE) == PRECIS_LLM_MAX_NONE);
    precis_llm_apierr_release(&e);
}

static void test_retry_policy(void)
{
    CHECK(precis_llm_retry_after_ms("Retry-After", 11, "2", 1) == 2000);
    CHECK(precis_llm_retry_after_ms("retry-after", 11, " 1.5", 4) == 1500);
    CHECK(precis_llm_retry_after_ms("retry-after-ms", 14, "300", 3) == 300);
    CHECK(precis_llm_retry_after_ms("Retry-After", 11, "Wed, 21 Oct 2015 07:28:00 GMT", 29) == -1);
    CHECK(precis_llm_retry_after_ms("X-Other", 7, "5", 1) == -1);
    for (int i = 0; i < 200; i++) {
        long d = precis_llm_backoff_ms(100, 3, -1);
        CHECK(d >= 200 && d <= 400);
    }
    CHECK(precis_llm_backoff_ms(100, 1, 1234) == 1234);
    CHECK(precis_llm_backoff_ms(0, 5, -1) == 0);
    CHECK(precis_llm_should_retry(PRECIS_LLM_RATE_LIMIT, 429, false));
    CHECK(!precis_llm_should_retry(PRECIS_LLM_RATE_LIMIT, 429, true));
    CHECK(precis_llm_should_retry(PRECIS_LLM_SERVER, 503, false));
    CHECK(precis_llm_should_retry(PRECIS_LLM_SERVER, 408, false));
    CHECK(!precis_llm_should_retry(PRECIS_LLM_SERVER, 501, false));
    CHECK(!precis_llm_should_retry(PRECIS_LLM_QUOTA, 429, false));
    CHECK(!precis_llm_should_retry(PRECIS_LLM_AUTH, 401, false));
    CHECK(!precis_llm_should_retry(PRECIS_LLM_BAD_REQUEST, 422, false));
    CHECK(!precis_llm_should_retry(PRECIS_LLM_NOT_FOUND, 404, false));
    CHECK(!precis_llm_should_retry(PRECIS_LLM_CONTEXT_OVERFLOW, 400, false));
    CHECK(precis_llm_should_retry(PRECIS_LLM_CONNECT, 0, false));
}

static void test_messages(void)
{
    precis_llm_request req;
    precis_llm_request_init(&req);
    req.base_url = "http://127.0.0.1:8080/v1?x=1";
    req.api_key = "sk-SECRET-abcdef";
    precis_llm_result res;
    precis_llm_result_init(&res);
    res.http_status = 401;
    precis_llm_fail(&res, &req, PRECIS_LLM_AUTH, "Incorrect API key provided: sk-SECRET-abcdef.\nbye");
    CHECK_STR(res.err.msg, "model API error (401 from http://127.0.0.1:8080/v1): Incorrect API key provided: "
                           "[redacted]. bye; check OPENAI_API_KEY or api_key in your profile");
    CHECK(res.code == PRECIS_ERR_API && res.cls == PRECIS_LLM_AUTH);
    res.http_status = 0;
    precis_llm_fail(&res, &req, PRECIS_LLM_CANCELLED, NULL);
    CHECK(res.code == PRECIS_ERR_CANCELLED);
    CHECK_STR(res.err.msg, "model API error (http://127.0.0.1:8080/v1): interrupted");
    precis_llm_result_release(&res);
    CHECK_STR(precis_llm_class_name(PRECIS_LLM_CONTEXT_OVERFLOW), "context_overflow");
}

static void test_body_and_url(void)
{
    precis_llm_request req;
    precis_llm_request_init(&req);
    req.base_url = "https://res.openai.azure.com/openai/deployments/gpt4o/";
    req.api_version = "2024-06-01";
    req.model = "m";
    req.user = "hi \"there\"";
    precis_buf b;
    precis_buf_init(&b, 0);
    precis_llm_build_url(&req, "/chat/completions", &b);
    CHECK_STR(b.ptr, "https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions?api-version=2024-06-01");
    precis_buf_reset(&b);
    precis_llm_build_body(&req, req.max_field, &b);
    CHECK_STR(b.ptr, "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi \\\"there\\\"\"}],"
                     "\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    precis_buf_reset(&b);
    req.stream = false;
    req.max_tokens = 64;
    req.has_temperature = true;
    req.temperature = 0.5;
    req.system = "sys";
    precis_llm_build_body(&req, PRECIS_LLM_MAX_COMPLETION_TOKENS, &b);
    CHECK_STR(b.ptr, "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"sys\"},{\"role\":\"user\","
                     "\"content\":\"hi \\\"there\\\"\"}],\"stream\":false,\"max_completion_tokens\":64,\"temperature\":0.5}");
    precis_buf_reset(&b);
    precis_llm_build_body(&req, PRECIS_LLM_MAX_NONE, &b);
    CHECK(!strstr(b.ptr, "max_"));
    precis_buf_release(&b);
}

int main(void)
{
    test_envelopes();
    test_fallback();
    test_retry_policy();
    test_messages();
    test_body_and_url();
    return CHECK_DONE();
}
