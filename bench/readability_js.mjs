// Readability.js on jsdom, timed in one node process, for bench/extract-bench.sh.
//   node readability_js.mjs [-n REPS] FILE...   per page: median of REPS runs of
//       new JSDOM(html) + new Readability(doc).parse(); prints a summary line
//   node readability_js.mjs --once FILE         one extraction, text to stdout
//       (what a whole-process run or a peak-RSS measurement times)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { JSDOM, VirtualConsole } from "jsdom";
import { Readability } from "@mozilla/readability";

// Pages log CSS and script errors through jsdom; they are noise here.
const quiet = new VirtualConsole();

function extract(html) {
  const dom = new JSDOM(html, { virtualConsole: quiet });
  const article = new Readability(dom.window.document).parse();
  dom.window.close();
  return article;
}

function median(values) {
  const v = [...values].sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return 0;
  return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

function main(argv) {
  let reps = 3;
  let once = false;
  const files = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "-n") reps = Number(argv[++i]);
    else if (argv[i] === "--once") once = true;
    else files.push(argv[i]);
  }
  if (files.length === 0 || !(reps >= 1)) {
    process.stderr.write("usage: readability_js.mjs [-n REPS] [--once] FILE...\n");
    return 1;
  }
  if (once) {
    const article = extract(readFileSync(files[0], "utf8"));
    process.stdout.write(article && article.textContent ? article.textContent + "\n" : "");
    return article ? 0 : 3;
  }
  // Load every page first so file reads are not timed.
  const pages = files.map((f) => readFileSync(f, "utf8"));
  const perPage = [];
  let failed = 0;
  for (const html of pages) {
    if (!extract(html)) failed++; // warm-up run, untimed
    const times = [];
    for (let r = 0; r < reps; r++) {
      const t0 = performance.now();
      extract(html);
      times.push(performance.now() - t0);
    }
    perPage.push(median(times));
  }
  const total = perPage.reduce((a, b) => a + b, 0);
  const n = perPage.length;
  process.stdout.write(
    `readability_js pages=${n} total_ms=${total.toFixed(3)} ` +
      `mean_ms=${(total / n).toFixed(3)} median_ms=${median(perPage).toFixed(3)} ` +
      `not_extracted=${failed}\n`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
