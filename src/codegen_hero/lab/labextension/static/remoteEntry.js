/*
 * codegen-hero-completer: ghost text in JupyterLab from the course's local model.
 *
 * A prebuilt JupyterLab extension written by hand, so installing it needs no Node build.
 * JupyterLab loads prebuilt extensions as module-federation containers: it runs this
 * script, finds `window._JUPYTERLAB[name]`, calls `init(shareScope)` with the modules the
 * application shares, then `get('./extension')` for a factory of the plugin module. The
 * plugin must use JupyterLab's own `@jupyterlab/completer` (its token is compared by
 * identity), so it takes the module from that share scope, as a webpack-built extension would.
 *
 * The plugin registers an inline completion provider. On a pause in typing, JupyterLab
 * calls its `fetch` with the cell's text and the cursor offset; the provider sends the code
 * before and after the cursor to POST /codegen-hero/complete (the server extension), which
 * answers with a fill-in-the-middle suggestion. JupyterLab shows it as ghost text: Tab
 * accepts it, typing on dismisses it.
 */
(function () {
  'use strict';

  var NAME = 'codegen-hero-completer';
  var ROUTE = 'codegen-hero/complete';
  var CONTEXT_CHARS = 3000; // code from the cells above, sent before the cursor's own cell
  var shareScope = null;

  // -- the shared-module scope, read the way webpack's own consumer code reads it ----------

  function versionParts(version) {
    return String(version)
      .split(/[.+-]/)
      .map(function (part) {
        return /^\d+$/.test(part) ? Number(part) : part;
      });
  }

  function isOlder(a, b) {
    var left = versionParts(a);
    var right = versionParts(b);
    for (var i = 0; i < Math.max(left.length, right.length); i++) {
      if (left[i] === right[i]) {
        continue;
      }
      if (left[i] === undefined) {
        return true;
      }
      if (right[i] === undefined) {
        return false;
      }
      return typeof left[i] === typeof right[i] ? left[i] < right[i] : typeof left[i] === 'string';
    }
    return false;
  }

  /** A singleton from the share scope: the loaded version if any, else the newest. */
  function sharedModule(pkg) {
    var versions = shareScope && shareScope[pkg];
    if (!versions || Object.keys(versions).length === 0) {
      return Promise.reject(new Error(NAME + ': JupyterLab shares no ' + pkg));
    }
    var chosen = Object.keys(versions).reduce(function (best, candidate) {
      return !best || (!versions[best].loaded && isOlder(best, candidate)) ? candidate : best;
    }, 0);
    var entry = versions[chosen];
    entry.loaded = 1;
    return Promise.resolve(entry.get()).then(function (factory) {
      return factory();
    });
  }

  // -- what the model sees -----------------------------------------------------------------

  /** Split at the cursor; JupyterLab counts the offset in code points, not UTF-16 units. */
  function splitAtCursor(text, offset) {
    var chars = Array.from(text);
    return [chars.slice(0, offset).join(''), chars.slice(offset).join('')];
  }

  /** The code cells above the active one in a notebook, as context before the cursor. */
  function codeAbove(widget) {
    var notebook = widget && widget.content;
    if (!notebook || !notebook.widgets || typeof notebook.activeCellIndex !== 'number') {
      return '';
    }
    var sources = [];
    for (var i = 0; i < notebook.activeCellIndex; i++) {
      var model = notebook.widgets[i].model;
      if (model && model.type === 'code') {
        sources.push(model.sharedModel.getSource());
      }
    }
    var text = sources.join('\n\n');
    if (!text.trim()) {
      return '';
    }
    text = text.slice(-CONTEXT_CHARS);
    return text + '\n\n';
  }

  // -- the provider ------------------------------------------------------------------------

  function HeroInlineProvider(serverSettings, ServerConnection) {
    this.name = 'Codegen Hero (local model)';
    this.identifier = 'codegen-hero';
    // Defaults for JupyterLab's per-provider settings: wait for a pause in typing, and give
    // a CPU model time to answer (JupyterLab's default timeout is 5 s).
    this.schema = { default: { enabled: true, debouncerDelay: 300, timeout: 30000 } };
    this._settings = serverSettings;
    this._connection = ServerConnection;
  }

  HeroInlineProvider.prototype.fetch = function (request, context) {
    // Python cells and files only (a notebook's Markdown is text/x-ipythongfm).
    if (!/^text\/(x-)?i?python$/.test(request.mimeType || '')) {
      return Promise.resolve({ items: [] });
    }
    var parts = splitAtCursor(request.text, request.offset);
    if (!parts[0].trim()) {
      return Promise.resolve({ items: [] });
    }
    var body = JSON.stringify({ prefix: codeAbove(context.widget) + parts[0], suffix: parts[1] });
    var url = this._settings.baseUrl.replace(/\/?$/, '/') + ROUTE;
    var connection = this._connection;
    return connection
      .makeRequest(url, { method: 'POST', body: body }, this._settings)
      .then(function (response) {
        return response.json().catch(function () {
          return { error: NAME + ': the server answered ' + response.status + ' without JSON' };
        });
      })
      .catch(function (reason) {
        return { error: NAME + ': the Jupyter server did not answer (' + reason + ')' };
      })
      .then(function (reply) {
        if (reply.error) {
          console.warn(NAME + ': ' + reply.error);
          return { items: [{ insertText: '', error: { message: reply.error } }] };
        }
        return { items: reply.suggestion ? [{ insertText: reply.suggestion }] : [] };
      });
  };

  function plugin(completer, services) {
    return {
      id: NAME + ':inline-provider',
      description: 'Ghost-text suggestions from the local model, asked for the way editors ask.',
      autoStart: true,
      requires: [completer.ICompletionProviderManager],
      activate: function (app, manager) {
        var settings = app.serviceManager.serverSettings;
        manager.registerInlineProvider(new HeroInlineProvider(settings, services.ServerConnection));
      }
    };
  }

  // -- the chat pane's keys: Enter sends, Shift+Enter is a new line, Escape stops --------
  //
  // The pane (codegen_hero.chat) is made of plain ipywidgets, which have no key events; this
  // listener gives its message box the habits of a chat app. It listens in the capture phase
  // because the text area stops its key events from bubbling, and it clicks the pane's own
  // buttons, so the kernel sees exactly what a mouse click would send.

  function onChatKey(event) {
    var target = event.target;
    var box = target && target.closest ? target.closest('.hero-chat-input') : null;
    var pane = box ? box.closest('.hero-chat') : null;
    if (!pane || event.isComposing) {
      return;
    }
    var plain = !event.shiftKey && !event.ctrlKey && !event.metaKey && !event.altKey;
    var selector = null;
    if (event.key === 'Enter' && plain) {
      selector = '.hero-chat-send';
    } else if (event.key === 'Escape') {
      selector = '.hero-chat-stop';
    }
    if (!selector) {
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (selector === '.hero-chat-send' && target.tagName === 'TEXTAREA') {
      // The box sends its text to the kernel on 'change' only (continuous_update=False):
      // per-keystroke updates are throttled and can arrive after the click, which would
      // send a message missing its last keys and leave the box full. A 'change' now goes
      // out before the click, on the same channel, so the kernel reads the whole text.
      target.dispatchEvent(new Event('change', { bubbles: true }));
    }
    var button = pane.querySelector(selector);
    if (button && !button.disabled) {
      button.click();
    }
  }

  function chatKeysPlugin() {
    return {
      id: NAME + ':chat-keys',
      description: 'Enter sends and Escape stops in the course chat pane.',
      autoStart: true,
      activate: function () {
        document.addEventListener('keydown', onChatKey, true);
      }
    };
  }

  // -- the container JupyterLab loads ------------------------------------------------------

  var container = {
    init: function (scope) {
      shareScope = scope;
      return Promise.resolve();
    },
    get: function (module) {
      if (module !== './extension') {
        return Promise.reject(new Error(NAME + ' has no module ' + module));
      }
      return Promise.all([
        sharedModule('@jupyterlab/completer'),
        sharedModule('@jupyterlab/services')
      ]).then(function (modules) {
        var plugins = [plugin(modules[0], modules[1]), chatKeysPlugin()];
        var extension = { __esModule: true, default: plugins };
        return function () {
          return extension;
        };
      });
    }
  };

  window._JUPYTERLAB = window._JUPYTERLAB || {};
  window._JUPYTERLAB[NAME] = container;
})();
