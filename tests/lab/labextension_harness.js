// TEST HARNESS: runs the prebuilt JupyterLab extension in Node with a stand-in for what
// JupyterLab hands it (a share scope, the app, the provider manager, a server connection).
// Reads a scenario as JSON from argv[2]; prints what happened as JSON on stdout.
'use strict';

const scenario = JSON.parse(process.argv[2]);
globalThis.window = globalThis;

const TOKEN = { name: '@jupyterlab/completer:ICompletionProviderManager' };
const requests = [];
const loaded = [];

function entry(version, module) {
  return {
    get: () => {
      loaded.push(version);
      return Promise.resolve(() => module);
    }
  };
}

const ServerConnection = {
  makeRequest: (url, init, settings) => {
    requests.push({ url, body: JSON.parse(init.body), method: init.method, token: settings.token });
    if (scenario.network_error) {
      return Promise.reject(new Error('connection refused'));
    }
    return Promise.resolve({
      status: scenario.status || 200,
      json: () => Promise.resolve(scenario.reply)
    });
  }
};

const shareScope = {
  '@jupyterlab/completer': {
    '4.6.6': entry('completer 4.6.6', { ICompletionProviderManager: TOKEN }),
    '4.0.0': entry('completer 4.0.0', { ICompletionProviderManager: { name: 'stale' } })
  },
  '@jupyterlab/services': { '7.6.6': entry('services 7.6.6', { ServerConnection }) }
};

function cell(type, source) {
  return { model: { type, sharedModel: { getSource: () => source } } };
}

async function main() {
  require(process.argv[3]);
  const container = window._JUPYTERLAB['codegen-hero-completer'];
  await container.init(shareScope);
  const factory = await container.get('./extension');
  const module = factory();
  const plugins = module.default;
  const plugin = plugins[0];
  const providers = [];
  const manager = { registerInlineProvider: p => providers.push(p) };
  const app = { serviceManager: { serverSettings: { baseUrl: '/base/', token: 'tok' } } };
  plugin.activate(app, manager);
  const provider = providers[0];
  const cells = (scenario.cells_above || []).map(c => cell(c[0], c[1]));
  cells.push(cell('code', scenario.text));
  const widget = { content: { widgets: cells, activeCellIndex: cells.length - 1 } };
  const result = await provider.fetch(
    { text: scenario.text, offset: scenario.offset, mimeType: scenario.mimeType || 'text/x-ipython' },
    { widget, triggerKind: 1 }
  );
  let missing = null;
  try {
    await container.get('./nothing');
  } catch (error) {
    missing = String(error.message);
  }
  console.log(
    JSON.stringify({
      esModule: module.__esModule,
      pluginCount: plugins.length,
      id: plugin.id,
      autoStart: plugin.autoStart,
      requiresTheSharedToken: plugin.requires[0] === TOKEN,
      loaded,
      identifier: provider.identifier,
      schemaDefault: provider.schema.default,
      requests,
      result,
      missing
    })
  );
}

main().catch(error => {
  console.error(String((error && error.stack) || error));
  process.exit(1);
});
