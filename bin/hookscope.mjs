#!/usr/bin/env node
// The `hookscope` command (`npx hookscope listen …`). It runs the TypeScript CLI through tsx, a
// dependency of the package, so there is no build step; see lib/relay/cli.ts.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../lib/relay/cli.ts");

const controller = new AbortController();
// First Ctrl-C: stop after closing the stream (the delivery in flight is cancelled); second: now.
const stop = () => {
  if (controller.signal.aborted) process.exit(130);
  controller.abort();
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);

const code = await main(process.argv.slice(2), {
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  signal: controller.signal,
});
process.exit(code);
