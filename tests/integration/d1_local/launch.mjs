// Starts a local D1 engine (workerd via Miniflare) running worker.js, which
// serves D1's REST API shape. Prints ONE JSON line with the connection info
// on stdout once it accepts requests, then runs until SIGTERM/SIGINT.
//
// Usage: node launch.mjs [--state DIR] [--port N] [--host H]
//                        [--account-id ID] [--database-id ID] [--token T]
// Each option may also come from the environment: D1_LOCAL_STATE,
// D1_LOCAL_PORT, D1_LOCAL_HOST, D1_LOCAL_ACCOUNT_ID, D1_LOCAL_DATABASE_ID,
// D1_LOCAL_API_TOKEN. --port 0 picks a free port.
import { Miniflare } from "miniflare";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const here = path.dirname(fileURLToPath(import.meta.url));
const env = process.env;
const { values: opt } = parseArgs({
  options: {
    state: { type: "string", default: env.D1_LOCAL_STATE ?? path.join(process.cwd(), ".d1-local") },
    port: { type: "string", default: env.D1_LOCAL_PORT ?? "0" },
    host: { type: "string", default: env.D1_LOCAL_HOST ?? "127.0.0.1" },
    "account-id": { type: "string", default: env.D1_LOCAL_ACCOUNT_ID ?? "local-account" },
    "database-id": { type: "string", default: env.D1_LOCAL_DATABASE_ID ?? "local-db" },
    token: { type: "string", default: env.D1_LOCAL_API_TOKEN ?? "local-token" },
    "stop-with-stdin": { type: "boolean", default: false },
  },
});

const mf = new Miniflare({
  modules: true,
  scriptPath: path.join(here, "worker.js"),
  compatibilityDate: "2025-01-01",
  cf: false, // don't fetch request metadata from the network
  host: opt.host,
  port: Number(opt.port),
  d1Databases: { DB: opt["database-id"] },
  d1Persist: path.resolve(opt.state),
  bindings: {
    API_TOKEN: opt.token,
    ACCOUNT_ID: opt["account-id"],
    DATABASE_ID: opt["database-id"],
  },
  // stdout carries only our JSON line; workerd's own output goes to stderr.
  handleRuntimeStdio(stdout, stderr) {
    stdout.pipe(process.stderr);
    stderr.pipe(process.stderr);
  },
});

let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  try {
    await mf.dispose(); // kills the workerd child
  } finally {
    process.exit(code);
  }
}
// Miniflare installs its own SIGINT/SIGTERM hooks that kill workerd and exit
// with 130/143; replace them so a requested stop disposes cleanly and exits 0.
// (Its process "exit" hook stays, killing workerd if we exit any other way.
// A SIGKILL of this process alone does orphan workerd: kill the whole process
// group, as engine.py does.)
for (const sig of ["SIGTERM", "SIGINT", "SIGHUP"]) {
  process.removeAllListeners(sig);
  process.on(sig, () => stop(0));
}

// A test run killed outright (SIGKILL, a CI timeout) never sends SIGTERM. With
// --stop-with-stdin the parent holds our stdin open; its death closes the pipe,
// and we stop instead of lingering as an orphan.
if (opt["stop-with-stdin"]) {
  process.stdin.on("end", () => stop(0));
  process.stdin.on("error", () => stop(0));
  process.stdin.resume();
}

try {
  const url = await mf.ready;
  process.stdout.write(
    JSON.stringify({
      url: url.origin,
      account_id: opt["account-id"],
      database_id: opt["database-id"],
      api_token: opt.token,
      state: path.resolve(opt.state),
    }) + "\n",
  );
} catch (e) {
  console.error(`d1-local: failed to start: ${e?.stack ?? e}`);
  await stop(1);
}
