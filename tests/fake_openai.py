#!/usr/bin/env python3
"""A fake OpenAI-compatible chat server for tests (Python standard library only).

Listens on 127.0.0.1 (ephemeral port unless --port), prints "PORT <n>" on stdout, and
exits after --lifetime seconds. The behaviour of each request is chosen by the model
name (an optional "quirk:" prefix is ignored) or by an X-Fake-Scenario header; a
scenario may take an argument after a colon ("latency:200", "big:100000").

POST /v1/embeddings answers deterministic vectors (EMBED_DIM floats): a hashed bag of
words in which the words of one CONCEPTS group share a bucket, so "automobile" lands
near a text about cars although the two share no word. Models: any name embeds, except
embed-500 (HTTP 500), embed-bad (one vector too few) and embed-slow:MS (answers late;
while it waits it counts in embed_inflight, and a client that closes the connection
meanwhile ends the wait and counts in embed_closed).

Introspection: GET /_requests (every request: method, path, headers, JSON body),
GET /_stats (count, chat requests in flight now and at most, embed-slow requests waiting
and closed by the client), POST /_reset (forget both and the
per-scenario attempt counters).

Scenarios (streaming unless the request says "stream": false, where that makes sense):
  ok, echo, crlf, cr, nospace, comments, done-nolf, no-done, usage-null, azure,
  role-every, content-null, reasoning-content, reasoning, think, groq-usage, length,
  empty, latency:MS, drip:N/MS, say:TEXT, big:N, deepseek-blank, llama-error-field, midstream-error,
  openrouter-error, overflow-llamacpp-200, json-200-error, html-200, 401, azure-401,
  404, string-error, overflow-openai, overflow-vllm, overflow-llamacpp,
  unsupported-max-tokens, mistral-422, 429-retry-after, 429-ms, 429-quota,
  429-always, 500, 502-html, 503-then-ok, drop, drop-early, stall, keepalive-forever,
  redirect, slow-headers, overflow-above:CHARS, escape
"""
import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
REQUESTS = []
COUNTERS = {}
STATS = {"inflight": 0, "max_inflight": 0, "embed_inflight": 0, "embed_closed": 0}

ANSWER = ["Hello", ", wor", "ld."]

EMBED_DIM = 256
CONCEPTS = [("car", "cars", "automobile", "automobiles", "motorcar", "vehicle", "vehicles"),
            ("boat", "boats", "ship", "ships", "vessel", "sailing"),
            ("train", "trains", "railway", "locomotive", "rail")]
CONCEPT_OF = {w: group[0] for group in CONCEPTS for w in group}


def embed_text(text):
    """A normalised hashed bag of words; synonyms (CONCEPTS) share a bucket."""
    import hashlib
    import math
    import re
    v = [0.0] * EMBED_DIM
    for w in re.findall(r"[a-z0-9]+", text.lower()):
        w = CONCEPT_OF.get(w, w)
        h = int(hashlib.md5(w.encode()).hexdigest(), 16)
        v[h % EMBED_DIM] += 1.0
    norm = math.sqrt(sum(x * x for x in v)) or 1.0
    return [x / norm for x in v]


def attempt(key):
    """Returns how many times this scenario has been requested (1 = first)."""
    with LOCK:
        COUNTERS[key] = COUNTERS.get(key, 0) + 1
        return COUNTERS[key]


def chunk(delta=None, finish=None, usage="absent", choices="default", **extra):
    obj = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1700000000,
           "model": "fake-model"}
    if choices == "default":
        obj["choices"] = [{"index": 0, "delta": delta if delta is not None else {},
                           "finish_reason": finish}]
    else:
        obj["choices"] = choices
    if usage != "absent":
        obj["usage"] = usage
    obj.update(extra)
    return json.dumps(obj)


USAGE = {"prompt_tokens": 9, "completion_tokens": 3, "total_tokens": 12}


def last_user(body):
    msgs = body.get("messages") or []
    for m in reversed(msgs):
        if isinstance(m, dict) and m.get("role") == "user":
            c = m.get("content")
            return c if isinstance(c, str) else json.dumps(c)
    return ""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fake-openai/1"

    def log_message(self, fmt, *args):
        pass

    # ---- plumbing ----
    def send_body(self, status, body, ctype="application/json", headers=None):
        if not isinstance(body, (bytes, bytearray)):
            body = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()

    def start_stream(self, status=200, ctype="text/event-stream; charset=utf-8"):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.flush()

    def put(self, data, pause=0.0):
        if isinstance(data, str):
            data = data.encode()
        if data:
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()
        if pause:
            time.sleep(pause)

    def end_stream(self):
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def wait_or_gone(self, seconds):
        """Sleeps up to seconds; returns True as soon as the client closes the connection."""
        import select
        import socket
        end = time.time() + seconds
        while True:
            left = end - time.time()
            if left <= 0:
                return False
            ready, _, _ = select.select([self.connection], [], [], min(left, 0.02))
            if not ready:
                continue
            try:
                if not self.connection.recv(1, socket.MSG_PEEK):
                    return True
            except OSError:
                return True
            time.sleep(min(left, 0.02))  # bytes of a next request: not a close

    def drop(self):
        """Closes the connection without the final chunk: the client sees a cut body."""
        self.wfile.flush()
        self.close_connection = True
        try:
            import socket
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def events(self, payloads, nl="\n", prefix="data: ", pause=0.0, done=True, done_nl=True):
        self.start_stream()
        for p in payloads:
            if p.startswith(":"):
                self.put(p + nl + nl, pause)
            else:
                self.put(prefix + p + nl + nl, pause)
        if done:
            self.put(prefix + "[DONE]" + (nl + nl if done_nl else ""))
        self.end_stream()

    def standard(self, pieces=ANSWER, finish="stop"):
        out = [chunk({"role": "assistant", "content": ""})]
        out += [chunk({"content": p}) for p in pieces]
        out.append(chunk({}, finish=finish))
        out.append(chunk(choices=[], usage=USAGE))
        return out

    def answer(self, body, pieces, reasoning=None, finish="stop"):
        """A plain answer, streamed or not, as the request asked."""
        if body.get("stream", False):
            out = [chunk({"role": "assistant", "content": ""})]
            if reasoning:
                out += [chunk({"reasoning_content": r, "content": None}) for r in reasoning]
            out += [chunk({"content": p}) for p in pieces]
            out.append(chunk({}, finish=finish))
            out.append(chunk(choices=[], usage=USAGE))
            self.events(out)
        else:
            msg = {"role": "assistant", "content": "".join(pieces)}
            if reasoning:
                msg["reasoning_content"] = "".join(reasoning)
            self.send_body(200, {"id": "chatcmpl-fake", "object": "chat.completion",
                                 "created": 1700000000, "model": "fake-model",
                                 "choices": [{"index": 0, "message": msg, "finish_reason": finish}],
                                 "usage": USAGE})

    # ---- routes ----
    def do_GET(self):
        path = self.path.split("?")[0]
        if path == "/_requests":
            with LOCK:
                self.send_body(200, REQUESTS)
        elif path == "/_stats":
            with LOCK:
                self.send_body(200, {"count": len(REQUESTS), "max_inflight": STATS["max_inflight"],
                                     "inflight": STATS["inflight"],
                                     "embed_inflight": STATS["embed_inflight"],
                                     "embed_closed": STATS["embed_closed"]})
        elif path.endswith("/models"):
            self.record(None)
            auth = self.headers.get("Authorization", "")
            if "bad-key" in auth:
                self.send_body(401, {"error": {"message": "Incorrect API key provided",
                                               "type": "invalid_request_error",
                                               "code": "invalid_api_key"}})
                return
            self.send_body(200, {"object": "list", "data": [
                {"id": "fake-model", "object": "model", "owned_by": "test"},
                {"id": "llama3:latest", "object": "model", "owned_by": "test"}]})
        else:
            self.send_body(404, {"error": {"message": "no such path " + path}})

    def record(self, body):
        entry = {"method": self.command, "path": self.path,
                 "headers": {k.lower(): v for k, v in self.headers.items()},
                 "body": body, "t": time.time()}
        with LOCK:
            REQUESTS.append(entry)

    def do_POST(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n) if n else b""
        path = self.path.split("?")[0]
        if path == "/_reset":
            with LOCK:
                REQUESTS.clear()
                COUNTERS.clear()
                STATS["max_inflight"] = 0
                STATS["embed_closed"] = 0
            self.send_body(200, {"ok": True})
            return
        if path.endswith("/embeddings"):
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = None
            self.record(body)
            self.embeddings(body if isinstance(body, dict) else {})
            return
        if not path.endswith("/chat/completions"):
            self.send_body(404, {"error": {"message": "no such path " + path}})
            return
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = None
        self.record(body)
        if not isinstance(body, dict):
            self.send_body(400, {"error": {"message": "body is not JSON", "type": "invalid_request_error"}})
            return
        with LOCK:
            STATS["inflight"] += 1
            STATS["max_inflight"] = max(STATS["max_inflight"], STATS["inflight"])
        try:
            self.chat(body, raw)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            with LOCK:
                STATS["inflight"] -= 1

    def embeddings(self, body):
        model = str(body.get("model") or "")
        inputs = body.get("input")
        if isinstance(inputs, str):
            inputs = [inputs]
        if model == "embed-500":
            self.send_body(500, {"error": {"message": "embedding backend crashed",
                                           "type": "server_error"}})
            return
        if model.startswith("embed-slow"):
            with LOCK:
                STATS["embed_inflight"] += 1
            try:
                gone = self.wait_or_gone(int(model.split(":", 1)[1] if ":" in model else 3000)
                                         / 1000.0)
            finally:
                with LOCK:
                    STATS["embed_inflight"] -= 1
            if gone:
                with LOCK:
                    STATS["embed_closed"] += 1
                self.close_connection = True
                return
        if not isinstance(inputs, list) or not inputs or any(
                not isinstance(t, str) or t == "" for t in inputs):
            self.send_body(400, {"error": {"message": "input must be non-empty strings",
                                           "type": "invalid_request_error"}})
            return
        data = [{"object": "embedding", "index": i, "embedding": embed_text(t)}
                for i, t in enumerate(inputs)]
        if model == "embed-bad":
            data = data[:-1]
        data.reverse()  # clients must sort by index
        self.send_body(200, {"object": "list", "data": data, "model": model,
                             "usage": {"prompt_tokens": 1, "total_tokens": 1}})

    def chat(self, body, raw):
        name = self.headers.get("X-Fake-Scenario") or str(body.get("model") or "ok")
        if name.startswith("quirk:"):
            name = name[len("quirk:"):]
        arg = None
        if ":" in name:
            name, arg = name.split(":", 1)
        fn = getattr(self, "s_" + name.replace("-", "_"), None)
        if fn is None:
            self.send_body(404, {"error": {"message": "The model `%s` does not exist" % name,
                                           "type": "invalid_request_error", "param": None,
                                           "code": "model_not_found"}})
            return
        fn(body, arg, raw)

    # ---- scenarios: answers ----
    def s_ok(self, body, arg, raw):
        self.answer(body, ANSWER)

    def s_echo(self, body, arg, raw):
        text = "ECHO: " + last_user(body)[:60]
        self.answer(body, [text[i:i + 7] for i in range(0, len(text), 7)])

    def s_latency(self, body, arg, raw):
        time.sleep(int(arg or 100) / 1000.0)
        self.s_echo(body, arg, raw)

    def s_say(self, body, arg, raw):
        """say:TEXT answers exactly TEXT (streamed in 8-character pieces)."""
        text = arg or ""
        self.answer(body, [text[i:i + 8] for i in range(0, len(text), 8)] or [""])

    def s_drip(self, body, arg, raw):
        """drip:N/MS streams N numbered words MS milliseconds apart (default 20/50)."""
        n, ms = (arg or "20/50").split("/")
        words = ["w%d " % i for i in range(int(n))]
        out = [chunk({"role": "assistant", "content": ""})]
        out += [chunk({"content": w}) for w in words]
        out.append(chunk({}, finish="stop"))
        out.append(chunk(choices=[], usage=USAGE))
        self.events(out, pause=int(ms) / 1000.0)

    def s_big(self, body, arg, raw):
        total = int(arg or 1000000)
        word = "lorem ipsum dolor sit amet "
        piece = (word * 40)[:1000]
        self.start_stream()
        sent, batch = 0, []
        while sent < total:
            p = piece[:total - sent]
            batch.append("data: " + chunk({"content": p}) + "\n\n")
            sent += len(p)
            if len(batch) == 64:
                self.put("".join(batch))
                batch = []
        batch.append("data: " + chunk({}, finish="stop") + "\n\n")
        batch.append("data: [DONE]\n\n")
        self.put("".join(batch))
        self.end_stream()

    def s_crlf(self, body, arg, raw):
        self.events(self.standard(), nl="\r\n")

    def s_cr(self, body, arg, raw):
        self.events(self.standard(), nl="\r")

    def s_nospace(self, body, arg, raw):
        self.events(self.standard(), prefix="data:")

    def s_comments(self, body, arg, raw):
        std = self.standard()
        out = [": OPENROUTER PROCESSING", std[0], ": keep-alive", std[1], ": ping - 2024-01-01",
               *std[2:]]
        self.events(out)

    def s_done_nolf(self, body, arg, raw):
        self.events(self.standard(), done_nl=False)

    def s_no_done(self, body, arg, raw):
        self.events(self.standard(), done=False)

    def s_usage_null(self, body, arg, raw):
        out = self.standard()[:-1] + [chunk(choices=None, usage=USAGE)]
        self.events(out)

    def s_azure(self, body, arg, raw):
        first = json.dumps({"choices": [], "created": 0, "id": "", "model": "", "object": "",
                            "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {
                                "hate": {"filtered": False, "severity": "safe"}}}]})
        annot = chunk(choices=[{"index": 0, "finish_reason": None,
                                "content_filter_results": {"hate": {"filtered": False}}}])
        std = self.standard()
        self.events([first, std[0], std[1], annot, *std[2:]])

    def s_role_every(self, body, arg, raw):
        out = [chunk({"role": "assistant", "content": p}) for p in ANSWER]
        out.append(chunk({"role": "assistant", "content": ""}, finish="stop"))
        self.events(out)

    def s_content_null(self, body, arg, raw):
        out = [chunk({"role": "assistant", "content": None})]
        out += [chunk({"content": p}) for p in ANSWER]
        out.append(chunk({}, finish="stop", usage=USAGE))
        self.events(out)

    def s_reasoning_content(self, body, arg, raw):
        self.answer(body, ANSWER, reasoning=["Let me ", "think."])

    def s_reasoning(self, body, arg, raw):
        out = [chunk({"role": "assistant", "content": ""})]
        out += [chunk({"reasoning": r}) for r in ["Let me ", "think."]]
        out += [chunk({"content": p}) for p in ANSWER]
        out.append(chunk({}, finish="stop"))
        self.events(out)

    def s_think(self, body, arg, raw):
        pieces = ["<thi", "nk>I am thin", "king</th", "ink>\n\nThe answer", " is 42."]
        if not body.get("stream", False):
            self.answer(body, pieces)
            return
        self.events([chunk({"content": p}) for p in pieces] + [chunk({}, finish="stop")])

    def s_groq_usage(self, body, arg, raw):
        out = [chunk({"content": p}) for p in ANSWER]
        out.append(chunk({}, finish="stop", x_groq={"id": "req_1", "usage": {
            "prompt_tokens": 21, "completion_tokens": 5, "total_tokens": 26}}))
        self.events(out)

    def s_length(self, body, arg, raw):
        self.answer(body, ["This answer is cut"], finish="length")

    def s_empty(self, body, arg, raw):
        self.events([chunk({"role": "assistant", "content": ""}), chunk({}, finish="stop"),
                     chunk(choices=[], usage=USAGE)])

    def s_deepseek_blank(self, body, arg, raw):
        if body.get("stream", False):
            self.start_stream()
            for _ in range(3):
                self.put(": keep-alive\n\n", 0.05)
            for p in self.standard():
                self.put("data: " + p + "\n\n")
            self.put("data: [DONE]\n\n")
            self.end_stream()
            return
        self.start_stream(ctype="application/json")
        for _ in range(3):
            self.put("\n", 0.05)
        self.put(json.dumps({"id": "x", "object": "chat.completion", "model": "deepseek-chat",
                             "choices": [{"index": 0, "message": {"role": "assistant",
                                                                  "content": "Blank lines first."},
                                          "finish_reason": "stop"}], "usage": USAGE}))
        self.end_stream()

    # ---- scenarios: errors inside a 200 ----
    def s_llama_error_field(self, body, arg, raw):
        self.start_stream()
        self.put('error: {"code":500,"message":"llama_decode failed: out of memory","type":"server_error"}\n\n')
        self.put("data: [DONE]\n\n")
        self.end_stream()

    def s_midstream_error(self, body, arg, raw):
        self.start_stream()
        self.put("data: " + chunk({"content": "Partial "}) + "\n\n")
        self.put('data: {"error":{"message":"The server had an error while processing your request. '
                 'Sorry about that!","type":"server_error"}}\n\n')
        self.end_stream()

    def s_openrouter_error(self, body, arg, raw):
        self.start_stream()
        self.put(": OPENROUTER PROCESSING\n\n")
        self.put("data: " + chunk({"content": "Partial "}) + "\n\n")
        self.put("data: " + json.dumps({"id": "gen-1", "object": "chat.completion.chunk",
                                        "error": {"code": 502, "message": "Provider returned error"},
                                        "choices": [{"index": 0, "delta": {"content": ""},
                                                     "finish_reason": "error"}]}) + "\n\n")
        self.put("data: [DONE]\n\n")
        self.end_stream()

    def s_overflow_llamacpp_200(self, body, arg, raw):
        self.events([json.dumps({"error": {"code": 400, "message": "the request exceeds the available context size, try increasing it",
                                           "type": "exceed_context_size_error", "n_prompt_tokens": 1407, "n_ctx": 256}})],
                    done=False)

    def s_json_200_error(self, body, arg, raw):
        self.send_body(200, {"error": {"message": "Trying to keep the first 5000 tokens when context the overflows. "
                                                  "However, the model is loaded with context length of only 4096 tokens",
                                       "code": 400}})

    def s_html_200(self, body, arg, raw):
        self.send_body(200, "<!DOCTYPE html><html><head><title>Sign in</title></head>"
                            "<body><h1>Please sign in</h1></body></html>", ctype="text/html")

    # ---- scenarios: HTTP errors ----
    def s_401(self, body, arg, raw):
        key = self.headers.get("Authorization", "").replace("Bearer ", "")
        self.send_body(401, {"error": {"message": "Incorrect API key provided: %s. You can find your API key at "
                                                  "https://platform.openai.com/account/api-keys." % key,
                                       "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}})

    def s_azure_401(self, body, arg, raw):
        self.send_body(401, {"error": {"code": "401", "message": "Access denied due to invalid subscription key "
                                                                 "or wrong API endpoint. Make sure to provide a valid key."}})

    def s_404(self, body, arg, raw):
        self.send_body(404, {"error": {"message": "The model `gpt-9` does not exist or you do not have access to it.",
                                       "type": "invalid_request_error", "param": None, "code": "model_not_found"}})

    def s_string_error(self, body, arg, raw):
        self.send_body(404, {"error": "model 'mistral' not found, try pulling it first"})

    def s_overflow_openai(self, body, arg, raw):
        self.send_body(400, {"error": {"message": "This model's maximum context length is 8192 tokens. However, your "
                                                  "messages resulted in 9000 tokens. Please reduce the length of the messages.",
                                       "type": "invalid_request_error", "param": "messages",
                                       "code": "context_length_exceeded"}})

    def s_overflow_above(self, body, arg, raw):
        """Overflows like OpenAI when the last user message is longer than arg characters."""
        if len(last_user(body)) > int(arg or 4000):
            self.s_overflow_openai(body, arg, raw)
        else:
            self.s_echo(body, arg, raw)

    def s_escape(self, body, arg, raw):
        """An answer carrying terminal escape sequences and control characters."""
        self.answer(body, ["# Title\n", "Clear \x1b[2J screen, ", "clip \x1b]52;c;aGk=\x07 ",
                           "csi \u009b31m red", "\rover **bold**\n"])

    def s_overflow_vllm(self, body, arg, raw):
        self.send_body(400, {"object": "error", "message": "This model's maximum context length is 4096 tokens. However, "
                                                           "you requested 5000 tokens (4000 in the messages, 1000 in the completion).",
                             "type": "BadRequestError", "param": None, "code": 400})

    def s_overflow_llamacpp(self, body, arg, raw):
        self.send_body(400, {"error": {"code": 400, "message": "the request exceeds the available context size, try increasing it",
                                       "type": "exceed_context_size_error", "n_prompt_tokens": 1407, "n_ctx": 256}})

    def s_unsupported_max_tokens(self, body, arg, raw):
        if "max_tokens" in body:
            self.send_body(400, {"error": {"message": "Unsupported parameter: 'max_tokens' is not supported with this model. "
                                                      "Use 'max_completion_tokens' instead.",
                                           "type": "invalid_request_error", "param": "max_tokens",
                                           "code": "unsupported_parameter"}})
            return
        self.answer(body, ["used ", "max_completion_tokens=%s" % body.get("max_completion_tokens")])

    def s_mistral_422(self, body, arg, raw):
        if "max_completion_tokens" in body:
            self.send_body(422, {"object": "error", "message": {"detail": [
                {"type": "extra_forbidden", "loc": ["body", "max_completion_tokens"],
                 "msg": "Extra inputs are not permitted", "input": body["max_completion_tokens"]}]},
                "type": "invalid_request_error", "param": None, "code": None})
            return
        self.answer(body, ["used ", "max_tokens=%s" % body.get("max_tokens")])

    def s_429_retry_after(self, body, arg, raw):
        if attempt("429-retry-after") == 1:
            self.send_body(429, {"error": {"message": "Rate limit reached for requests", "type": "requests",
                                           "code": "rate_limit_exceeded"}}, headers={"Retry-After": "1"})
            return
        self.answer(body, ANSWER)

    def s_429_ms(self, body, arg, raw):
        if attempt("429-ms") == 1:
            self.send_body(429, {"error": {"message": "Rate limit reached for tokens", "type": "tokens",
                                           "code": "rate_limit_exceeded"}},
                           headers={"retry-after-ms": "300", "Retry-After": "5"})
            return
        self.answer(body, ANSWER)

    def s_429_quota(self, body, arg, raw):
        self.send_body(429, {"error": {"message": "You exceeded your current quota, please check your plan and billing details.",
                                       "type": "insufficient_quota", "param": None, "code": "insufficient_quota"}},
                       headers={"Retry-After": "1"})

    def s_429_always(self, body, arg, raw):
        self.send_body(429, {"error": {"message": "Rate limit reached", "code": "rate_limit_exceeded"}},
                       headers={"retry-after-ms": "20"})

    def s_500(self, body, arg, raw):
        self.send_body(500, {"error": {"message": "The server had an error while processing your request.",
                                       "type": "server_error"}})

    def s_502_html(self, body, arg, raw):
        self.send_body(502, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                            "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
                            "</body>\r\n</html>\r\n", ctype="text/html")

    def s_503_then_ok(self, body, arg, raw):
        if attempt("503-then-ok") <= 2:
            self.send_body(503, {"error": {"message": "The engine is currently overloaded, please try again later",
                                           "type": "server_error"}})
            return
        self.answer(body, ANSWER)

    def s_drop(self, body, arg, raw):
        self.start_stream()
        self.put("data: " + chunk({"content": "Partial "}) + "\n\n")
        self.put("data: " + chunk({"content": "answer"}) + "\n\n", 0.05)
        self.drop()

    def s_drop_early(self, body, arg, raw):
        if attempt("drop-early") == 1:
            self.start_stream()
            self.put(": connecting\n\n")
            self.drop()
            return
        self.answer(body, ANSWER)

    def s_stall(self, body, arg, raw):
        self.start_stream()
        self.put("data: " + chunk({"content": "Hel"}) + "\n\n")
        time.sleep(float(arg or 3000) / 1000.0)
        self.drop()

    def s_keepalive_forever(self, body, arg, raw):
        self.start_stream()
        end = time.time() + 10
        while time.time() < end:
            self.put(": keep-alive\n\n", 0.1)
        self.drop()

    def s_slow_headers(self, body, arg, raw):
        if self.wait_or_gone(float(arg or 3000) / 1000.0):
            self.close_connection = True
            return
        self.answer(body, ANSWER)

    def s_redirect(self, body, arg, raw):
        self.send_body(307, {"error": "moved"}, headers={"Location": "http://127.0.0.1:9/elsewhere/chat/completions"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # many parallel requests connect at once

    def handle_error(self, request, client_address):
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return  # the client went away (timeouts, cancels): expected in these tests
        super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--lifetime", type=float, default=120.0)
    args = ap.parse_args()
    srv = Server(("127.0.0.1", args.port), Handler)
    print("PORT %d" % srv.server_address[1], flush=True)
    t = threading.Timer(args.lifetime, srv.shutdown)
    t.daemon = True
    t.start()
    try:
        srv.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    srv.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
