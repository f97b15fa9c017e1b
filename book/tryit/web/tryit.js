// "Try it here": a small local model (wllama, llama.cpp compiled to WebAssembly) and Python
// (Pyodide in a Web Worker) running in the reader's browser, from files inside the book.
// Without JavaScript, WebAssembly or enough memory, the panel keeps the answer recorded when
// the book was built, and says why.

const STATIC = new URL(".", import.meta.url).href; // the site's _static/ folder
const VENDOR = STATIC + "tryit-vendor/";
const MODELS = STATIC + "tryit-models/";
const CACHE_NAME = "hero-tryit-models-v1";
const CHECK_TIMEOUT_MS = 15000;
const GB = 1024 * 1024 * 1024;

const $ = (root, selector) => root.querySelector(selector);
const mb = (bytes) => `${Math.round(bytes / 1e6)} MB`;

function setStatus(panel, text, kind = "info") {
  const status = $(panel, ".tryit-status");
  status.textContent = text;
  status.dataset.kind = kind;
}

// ---------------------------------------------------------------- can this browser run it?

function whyNot() {
  if (typeof WebAssembly !== "object") return "this browser has no WebAssembly";
  if (typeof Worker === "undefined") return "this browser cannot start Web Workers";
  const mobile = navigator.userAgentData ? navigator.userAgentData.mobile
    : /Android|iPhone|iPad|Mobi/i.test(navigator.userAgent);
  if (mobile) return "phones rarely have the memory and speed a model needs";
  if (navigator.deviceMemory !== undefined && navigator.deviceMemory < 1) {
    return `this device reports ${navigator.deviceMemory} GB of memory, under the 1 GB needed`;
  }
  return "";
}

function memoryAllows(model) {
  // deviceMemory is rounded down and capped at 8 (Chromium only); roughly 3x the file is needed.
  return navigator.deviceMemory === undefined || navigator.deviceMemory * GB >= 3 * model.size;
}

// A short timing run before any download: a dot product in a loop, scaled by what the same
// run scored next to the model's measured speed on a reference machine (tryit-calibration.json).
function probeScore(ms = 200) {
  const a = new Float32Array(1 << 16).map((_, i) => (i % 7) / 7);
  const b = new Float32Array(1 << 16).map((_, i) => (i % 5) / 5);
  let rounds = 0;
  let sink = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (let i = 0; i < a.length; i++) sink += a[i] * b[i];
    rounds++;
  }
  const elapsed = performance.now() - start;
  return sink > -1 ? (rounds * a.length) / elapsed / 1e3 : 0; // million multiply-adds per s
}

window.tryitProbe = probeScore; // the benchmark calibrates the estimate with it

function estimate(model, score, calibration) {
  const ref = calibration && calibration.models && calibration.models[model.sha256];
  if (!ref || !calibration.probe_score) return null;
  return ref.tok_s * (score / calibration.probe_score);
}

// ---------------------------------------------------------------- model download and load

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

async function sha256Hex(blob) {
  const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((x) => x.toString(16).padStart(2, "0")).join("");
}

// Each part is fetched once, checked against its sha256 and kept in the Cache API; a later
// visit reads it back from there. The parts are joined into one Blob for llama.cpp.
async function fetchModel(model, onProgress) {
  const cache = "caches" in self ? await caches.open(CACHE_NAME).catch(() => null) : null;
  const blobs = [];
  let loaded = 0;
  let fromCache = 0;
  for (const part of model.parts) {
    const url = MODELS + part.path;
    const cached = cache ? await cache.match(url) : undefined;
    if (cached) {
      const blob = await cached.blob();
      if (blob.size === part.size) {
        blobs.push(blob);
        loaded += part.size;
        fromCache += part.size;
        onProgress(loaded, model.size, fromCache);
        continue;
      }
    }
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${part.path}: HTTP ${response.status}`);
    const reader = response.body.getReader();
    const chunks = [];
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      onProgress(loaded, model.size, fromCache);
    }
    const blob = new Blob(chunks);
    if (blob.size !== part.size || (crypto.subtle && (await sha256Hex(blob)) !== part.sha256)) {
      throw new Error(`${part.path} arrived damaged (size or sha256 differs); reload to retry`);
    }
    if (cache) await cache.put(url, new Response(blob)).catch(() => {}); // full quota: no cache
    blobs.push(blob);
  }
  return new Blob(blobs);
}

// Several threads need cross-origin isolation, which GitHub Pages' headers cannot give; the
// coi-serviceworker shim adds the headers from a service worker. It is installed only when the
// reader asks for the model: the page reloads once, then loading resumes on its own.
const AUTOLOAD = "hero-tryit-autoload";
const RESUMED = "hero-tryit-resume";
const TRIED = "hero-tryit-isolation-tried";

async function isolateOnce(panel, model) {
  if (self.crossOriginIsolated || !window.isSecureContext || !navigator.serviceWorker) return;
  if (sessionStorage.getItem(TRIED)) return;
  sessionStorage.setItem(TRIED, "1");
  let registration;
  try {
    registration = await navigator.serviceWorker.register(new URL("../coi-serviceworker.min.js", STATIC));
  } catch (error) {
    return; // no service worker allowed here: one thread it is
  }
  if (!registration) return;
  setStatus(panel, "Reloading the page once to allow several threads…");
  sessionStorage.setItem(AUTOLOAD, model.sha256);
  sessionStorage.setItem(RESUMED, "1");
  await navigator.serviceWorker.ready;
  window.location.reload();
  await new Promise(() => {}); // the reload takes over
}

let engine = null; // one model per page, shared by its panels: { model, wllama }

async function loadModel(model, panel) {
  if (engine && engine.model.sha256 === model.sha256) return engine;
  if (engine) await engine.wllama.exit();
  const { Wllama } = await import(VENDOR + "wllama/index.js");
  const wllama = new Wllama(
    { default: VENDOR + "wllama/wllama.wasm" },
    { suppressNativeLog: true, logger: { ...console, debug() {}, log() {} } },
  );
  // Browsers without JSPI or Memory64 get the compat build, served from this site too.
  wllama.setCompat({
    wasm: VENDOR + "wllama-compat/wllama.wasm",
    worker: VENDOR + "wllama-compat/wllama.js",
  });
  const started = performance.now();
  const blob = await fetchModel(model, (loaded, total, cached) => {
    const bar = $(panel, ".tryit-progress");
    bar.hidden = false;
    bar.max = total;
    bar.value = loaded;
    const source = cached >= loaded ? "from this browser's cache" : "downloading";
    setStatus(panel, `${model.display}: ${source}, ${mb(loaded)} of ${mb(total)}`);
  });
  const fetched = performance.now();
  setStatus(panel, `${model.display}: loading into memory…`);
  const threads = self.crossOriginIsolated ? Math.min(4, navigator.hardwareConcurrency || 1) : 1;
  await wllama.loadModel([blob], { n_ctx: 1024, n_threads: threads, n_gpu_layers: 0 });
  const done = performance.now();
  engine = { model, wllama, threads };
  window.tryitStats = {
    model: model.name,
    threads,
    fetch_s: (fetched - started) / 1000,
    load_s: (done - fetched) / 1000,
    isolated: self.crossOriginIsolated === true,
  };
  return engine;
}

// ---------------------------------------------------------------- asking the model

async function generate(panel, request, onText) {
  const { wllama } = engine;
  const started = performance.now();
  let tokens = 0;
  let timings = null;
  // window.tryitMaxTokens lets the browser test and the benchmark ask for shorter answers.
  const maxTokens = window.tryitMaxTokens || request.maxTokens || 160;
  const common = { max_tokens: maxTokens, temperature: 0, stream: true };
  const onData = (chunk, text) => {
    if (chunk.timings) timings = chunk.timings;
    if (text) {
      tokens += 1;
      onText(text);
    }
  };
  if (request.prompt !== undefined) {
    await wllama.createCompletion({
      ...common,
      prompt: request.prompt,
      stop: request.stop,
      onData: (chunk) => onData(chunk, chunk.choices[0] && chunk.choices[0].text),
    });
  } else {
    await wllama.createChatCompletion({
      ...common,
      messages: request.messages,
      onData: (chunk) => onData(chunk, chunk.choices[0] && chunk.choices[0].delta.content),
    });
  }
  const seconds = (performance.now() - started) / 1000;
  const tokS = timings && timings.predicted_per_second ? timings.predicted_per_second
    : tokens / seconds;
  window.tryitLastRun = { tokens: timings ? timings.predicted_n : tokens, tok_s: tokS, seconds };
  return { tokS, seconds };
}

function fimRequest(config, prefix, suffix) {
  if (engine.model.fim) {
    // A small model sometimes writes on into the code after the cursor: stop where it starts.
    const next = suffix.split("\n").map((line) => line.trim()).find((line) => line);
    return {
      prompt: `<|fim_prefix|>${prefix}<|fim_suffix|>${suffix}<|fim_middle|>`,
      stop: ["<|endoftext|>", "<|fim_pad|>", "<|file_sep|>", "\n\n\n", ...(next ? [next] : [])],
      maxTokens: 64,
    };
  }
  // Without fill-in-the-middle tokens the model only sees the code before the cursor.
  return { prompt: prefix, stop: ["\n\n\n", "\nprint("], maxTokens: 64 };
}

// ---------------------------------------------------------------- Python checks in a worker

let python = null;

function pythonWorker() {
  if (python) return python;
  const worker = new Worker(STATIC + "tryit-python-worker.js", { type: "module" });
  const pending = new Map();
  const booted = new Promise((resolve, reject) => {
    worker.addEventListener("message", (event) => {
      const { id, report, error, ready } = event.data;
      if (id === 0) {
        if (ready) resolve();
        if (error) reject(new Error(error));
        return;
      }
      const job = pending.get(id);
      if (!job) return;
      pending.delete(id);
      if (error) job.reject(new Error(error));
      else job.resolve(report);
    });
  });
  let next = 1;
  python = {
    booted,
    run(solution, checks) {
      const id = next++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          worker.terminate(); // an endless loop: throw this worker away, start a new one next time
          python = null;
          reject(new Error(`the check did not finish in ${CHECK_TIMEOUT_MS / 1000} s (an endless loop?)`));
        }, CHECK_TIMEOUT_MS);
        pending.set(id, {
          resolve: (r) => { clearTimeout(timer); resolve(r); },
          reject: (e) => { clearTimeout(timer); reject(e); },
        });
        worker.postMessage({ id, solution, checks });
      });
    },
  };
  return python;
}

function showReport(box, report) {
  box.replaceChildren();
  const passed = report.tests.filter((t) => t.passed).length;
  const verdict = document.createElement("p");
  verdict.className = "tryit-verdict";
  if (!report.loaded) {
    verdict.textContent = "Your code did not load:";
    verdict.dataset.passed = "false";
    const pre = document.createElement("pre");
    pre.textContent = report.error;
    box.append(verdict, pre);
    return;
  }
  const all = passed === report.tests.length && passed > 0;
  verdict.dataset.passed = String(all);
  verdict.textContent = all ? `All ${passed} checks pass.` : `${passed} of ${report.tests.length} checks pass.`;
  const list = document.createElement("ul");
  for (const test of report.tests) {
    const item = document.createElement("li");
    item.dataset.passed = String(test.passed);
    item.textContent = `${test.passed ? "pass" : "FAIL"}  ${test.name}${test.message ? "  " + test.message : ""}`;
    list.append(item);
  }
  box.append(verdict, list);
  if (report.output) {
    const pre = document.createElement("pre");
    pre.textContent = report.output;
    box.append(pre);
  }
}

function extractCode(text) {
  const fenced = text.match(/```(?:python|py)?\n([\s\S]*?)```/);
  return (fenced ? fenced[1] : text).trim() + "\n";
}

// ---------------------------------------------------------------- the panel

function enableAsk(panel, config) {
  const ask = $(panel, ".tryit-ask-button");
  const output = $(panel, ".tryit-live");
  ask.disabled = false;
  ask.addEventListener("click", async () => {
    ask.disabled = true;
    output.hidden = false;
    output.textContent = "";
    try {
      let request;
      if (config.kind === "fim") {
        request = fimRequest(config, $(panel, ".tryit-prefix").value, $(panel, ".tryit-suffix").value);
      } else {
        request = { messages: [{ role: "user", content: $(panel, ".tryit-prompt").value }] };
      }
      const { tokS, seconds } = await generate(panel, request, (t) => { output.textContent += t; });
      setStatus(panel, `${engine.model.display} answered in ${seconds.toFixed(1)} s ` +
        `(${tokS.toFixed(1)} tokens/s, ${engine.threads} thread${engine.threads > 1 ? "s" : ""}), in this browser.`, "ok");
      panel.dataset.answered = "true";
    } catch (error) {
      setStatus(panel, `The model stopped with an error: ${error.message}`, "error");
    } finally {
      ask.disabled = false;
    }
  });
  const solve = $(panel, ".tryit-solve");
  if (solve) {
    solve.disabled = false;
    solve.addEventListener("click", async () => {
      solve.disabled = true;
      const editor = $(panel, ".tryit-code");
      const task = `Complete this Python function. Reply with the whole function in one code block.\n\n${config.starter}`;
      let text = "";
      try {
        await generate(panel, { messages: [{ role: "user", content: task }], maxTokens: 256 }, (t) => {
          text += t;
          editor.value = text;
        });
        editor.value = extractCode(text);
        setStatus(panel, "The model's answer is in the editor: run the checks on it.", "ok");
      } catch (error) {
        setStatus(panel, `The model stopped with an error: ${error.message}`, "error");
      } finally {
        solve.disabled = false;
      }
    });
  }
}

async function setupModel(panel, config, manifest, calibration) {
  const picker = $(panel, ".tryit-model-picker");
  const load = $(panel, ".tryit-load");
  picker.replaceChildren();
  const score = probeScore();
  for (const model of manifest.models) {
    const option = document.createElement("option");
    option.value = model.sha256;
    const speed = estimate(model, score, calibration);
    const guess = speed ? `, about ${speed < 3 ? speed.toFixed(1) : Math.round(speed)} tokens/s here` : "";
    const fim = config.kind === "fim" && !model.fim ? ", no fill-in-the-middle" : "";
    option.textContent = `${model.display}: ${mb(model.size)} download${guess}${fim}`;
    option.disabled = !memoryAllows(model);
    picker.append(option);
  }
  picker.hidden = false;
  load.hidden = false;
  load.disabled = false;
  const describe = () => {
    const model = manifest.models.find((m) => m.sha256 === picker.value);
    let text = `Nothing is downloaded until you press Load: ${mb(model.size)} once, then kept in this browser.`;
    if (config.kind === "fim" && !model.fim) {
      text += " This model has no fill-in-the-middle tokens: it only continues the code before the cursor.";
    }
    setStatus(panel, text);
  };
  picker.addEventListener("change", describe);
  const resume = sessionStorage.getItem(AUTOLOAD);
  sessionStorage.removeItem(AUTOLOAD);
  if (resume && manifest.models.some((m) => m.sha256 === resume)) picker.value = resume;
  describe();
  load.addEventListener("click", async () => {
    load.disabled = true;
    picker.disabled = true;
    try {
      const model = manifest.models.find((m) => m.sha256 === picker.value);
      await isolateOnce(panel, model);
      await loadModel(model, panel);
      $(panel, ".tryit-progress").hidden = true;
      const stats = window.tryitStats;
      setStatus(panel, `${model.display} is ready (fetched in ${stats.fetch_s.toFixed(1)} s, ` +
        `loaded in ${stats.load_s.toFixed(1)} s). Ask away.`, "ok");
      enableAsk(panel, config);
    } catch (error) {
      setStatus(panel, `The model could not load: ${error.message}. The recorded answer stays below.`, "error");
      load.disabled = false;
      picker.disabled = false;
    }
  });
}

function setupPython(panel, config) {
  const run = $(panel, ".tryit-run");
  const box = $(panel, ".tryit-result");
  if (!run) return;
  run.disabled = false;
  run.addEventListener("click", async () => {
    run.disabled = true;
    box.textContent = "Starting Python in your browser…";
    try {
      const worker = pythonWorker();
      await worker.booted;
      box.textContent = "Running the checks…";
      const report = await worker.run($(panel, ".tryit-code").value, config.checks);
      showReport(box, report);
      panel.dataset.checked = "true";
    } catch (error) {
      box.textContent = `Python could not run the checks: ${error.message}`;
    } finally {
      run.disabled = false;
    }
  });
}

async function setup(panel) {
  const config = JSON.parse($(panel, ".tryit-config").textContent);
  panel.classList.add("tryit-live-js");
  if (!config.runtimes) {
    setStatus(panel, "This copy of the book was built without the in-browser model and Python " +
      "(scripts/tryit-assets.sh); the recorded answer is below.", "warn");
    return;
  }
  setupPython(panel, config);
  const reason = whyNot();
  if (reason) {
    setStatus(panel, `The model does not run here: ${reason}. Below is what it answered when the book was built.`, "warn");
    return;
  }
  let manifest;
  let calibration = null;
  try {
    manifest = await fetchJson(MODELS + "manifest.json");
    calibration = await fetchJson(STATIC + "tryit-calibration.json").catch(() => null);
  } catch (error) {
    setStatus(panel, "This copy of the book was built without the in-browser model files; the recorded answer is below.", "warn");
    return;
  }
  const usable = manifest.models.filter(memoryAllows);
  if (usable.length === 0) {
    setStatus(panel, `Too little memory here for the models (${navigator.deviceMemory} GB reported). The recorded answer is below.`, "warn");
    return;
  }
  await setupModel(panel, config, manifest, calibration);
  if (sessionStorage.getItem(RESUMED) === "1") {
    sessionStorage.removeItem(RESUMED);
    $(panel, ".tryit-load").click(); // the page reloaded once to run on several threads
  }
}

for (const panel of document.querySelectorAll(".tryit")) {
  setup(panel).catch((error) => setStatus(panel, `This panel failed to start: ${error.message}`, "error"));
}
