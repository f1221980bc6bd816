#!/usr/bin/env node
import { runCli } from './run';

runCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  environment: process.env,
}).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(`soc-copilot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
