// Runs solution.js and then the test_* functions of tests.js inside the sandbox (JavaScript).
//
// solution.js runs as a top-level script, so its functions and classes become globals that
// the tests can call (module.exports is copied onto globalThis too). tests.js runs inside a
// function, so it may declare its own `const assert = require("assert")`; a global `assert`
// is provided as well. Every `function test_x()` (or `const test_x = ...`) is called in
// order; one that returns a promise is awaited. The report is signed with HMAC under a key
// read and deleted before the solution runs, like the Python harness.
//
// Usage: node harness.js CONTROL_DIR
"use strict";

const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const vm = require("vm");
const { createRequire } = require("module");

const controlDir = process.argv[2];
const keyPath = path.join(controlDir, "key");
const key = fs.readFileSync(keyPath);
fs.unlinkSync(keyPath);
const resultPath = path.join(controlDir, "result.json");
const workdir = process.cwd();
const solutionFile = path.join(workdir, "solution.js");
const testsFile = path.join(workdir, "tests.js");

function report(payload) {
  const body = JSON.stringify(payload);
  const mac = crypto.createHmac("sha256", key).update(body).digest("hex");
  fs.writeFileSync(resultPath, JSON.stringify({ payload: body, mac }));
}

function describe(error) {
  const type = error && error.constructor && error.constructor.name ? error.constructor.name : "Error";
  const text = error && error.message !== undefined ? String(error.message) : String(error);
  const message = `${type}: ${text}`.replace(/\s+/g, " ").trim();
  return { type, errno: null, message: message.length > 300 ? message.slice(0, 299) + "…" : message };
}

function stackOf(error) {
  return (error && error.stack) || String(error);
}

function testNames(source) {
  const pattern = /\b(?:async\s+)?function\s*\*?\s*(test_\w+)\s*\(|\b(?:const|let|var)\s+(test_\w+)\s*=/g;
  const names = [];
  for (const match of source.matchAll(pattern)) {
    const name = match[1] || match[2];
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

async function main() {
  const sandboxModule = { exports: {} };
  Object.assign(globalThis, {
    require: createRequire(solutionFile),
    module: sandboxModule,
    exports: sandboxModule.exports,
    __filename: solutionFile,
    __dirname: workdir,
    assert: require("assert"),
  });
  try {
    vm.runInThisContext(fs.readFileSync(solutionFile, "utf8"), { filename: solutionFile });
    for (const [name, value] of Object.entries(sandboxModule.exports || {})) {
      if (!(name in globalThis)) globalThis[name] = value;
    }
  } catch (error) {
    process.stderr.write(stackOf(error) + "\n");
    report({ mode: "tests", outcome: "exception", phase: "solution", ...describe(error) });
    process.exit(1);
  }
  const source = fs.readFileSync(testsFile, "utf8");
  const names = testNames(source);
  const table = names.map((n) => `${JSON.stringify(n)}: typeof ${n} === "function" ? ${n} : undefined`);
  const wrapped = `(function () {\n${source}\n;return {${table.join(", ")}};\n})()`;
  let tests;
  try {
    tests = vm.runInThisContext(wrapped, { filename: testsFile, lineOffset: -1 });
  } catch (error) {
    process.stderr.write(stackOf(error) + "\n");
    report({ mode: "tests", outcome: "exception", phase: "tests-import", ...describe(error) });
    process.exit(1);
  }
  const passed = [];
  const failures = {};
  for (const name of names) {
    if (typeof tests[name] !== "function") continue;
    try {
      await tests[name]();
      passed.push(name);
    } catch (error) {
      failures[name] = describe(error).message;
      process.stderr.write(`FAILED ${name}\n${stackOf(error)}\n`);
    }
  }
  report({ mode: "tests", outcome: "tests", passed, failed: Object.keys(failures), failures });
  process.exit(Object.keys(failures).length ? 1 : 0);
}

main();
