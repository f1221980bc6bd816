/**
 * What the child processes of the store tests share (test/unit/store/fixtures/store-child.js and
 * test/integration/store/fixtures/blob-child.js): a require hook that transpiles the TypeScript sources (jest's ts-jest
 * transform exists only inside jest and ts-node is not installed; `typescript.transpileModule` compiles each .ts file
 * on require, with no type checking), the optimistic increment loop and a wait for a line on stdin.
 */
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: the hook below needs require.extensions */

const fs = require('node:fs');
const typescript = require('typescript');

require.extensions['.ts'] = (module, fileName) => {
  const source = fs.readFileSync(fileName, 'utf8');
  const { outputText } = typescript.transpileModule(source, {
    fileName,
    compilerOptions: {
      module: typescript.ModuleKind.CommonJS,
      target: typescript.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
  });
  module._compile(outputText, fileName);
};

/** Same loop as incrementCounter in test/support/store-contract.ts, which a plain child process cannot import. */
async function incrementCounter(store, key) {
  for (let attempt = 0; attempt < 10000; attempt += 1) {
    const current = await store.get(key);
    try {
      if (current === undefined) await store.put(key, { count: 1 }, { ifNoneMatch: '*' });
      else await store.put(key, { count: current.value.count + 1 }, { ifMatch: current.etag });
      return attempt;
    } catch (error) {
      // Another process wrote between our read and our write: read again and retry.
      if (error.code !== 'store_conflict') throw error;
    }
  }
  throw new Error(`Gave up incrementing ${key}`);
}

function waitForLine(expected) {
  return new Promise((resolve) => {
    let buffered = '';
    process.stdin.on('data', (chunk) => {
      buffered += chunk.toString('utf8');
      if (!buffered.split('\n').includes(expected)) return;
      // An open stdin would keep this process alive after its work is done.
      process.stdin.destroy();
      resolve();
    });
  });
}

module.exports = { incrementCounter, waitForLine };
