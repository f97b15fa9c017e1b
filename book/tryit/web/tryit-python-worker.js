// Pyodide in a Web Worker: the reader's code runs here, never in the page itself. The page
// terminates this worker when a check takes too long (an endless loop) and starts a new one.
import { loadPyodide } from "./tryit-vendor/pyodide/pyodide.mjs";

const here = new URL(".", import.meta.url).href;
const ready = (async () => {
  const pyodide = await loadPyodide({ indexURL: here + "tryit-vendor/pyodide/" });
  const runner = await (await fetch(here + "tryit_check_runner.py")).text();
  pyodide.runPython(runner);
  return pyodide;
})();

self.onmessage = async (event) => {
  const { id, solution, checks } = event.data;
  try {
    const pyodide = await ready;
    const runChecks = pyodide.globals.get("run_checks");
    const report = JSON.parse(runChecks(solution, checks));
    runChecks.destroy();
    self.postMessage({ id, report });
  } catch (error) {
    self.postMessage({ id, error: String(error && error.message ? error.message : error) });
  }
};
self.postMessage({ id: 0, booting: true });
ready.then(
  () => self.postMessage({ id: 0, ready: true }),
  (error) => self.postMessage({ id: 0, error: "Python could not start: " + error }),
);
