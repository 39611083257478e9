// Serves Cloudflare D1's REST API shape (/query and /raw) on top of a local
// D1 binding, so d1store's HTTP adapter can be tested against the real D1
// SQLite engine (workerd) without a Cloudflare account.
//
// Configuration comes from text bindings set by launch.mjs:
//   API_TOKEN, ACCOUNT_ID, DATABASE_ID.
// Error codes mimic Cloudflare's where known (see /work/shared/D1-FACTS.md);
// the Python side classifies SQL errors by message substring, so SQLite's
// message text is passed through unchanged (minus the binding's prefix).

const ROUTE =
  /^\/client\/v4\/accounts\/([^/]+)\/d1\/database\/([^/]+)\/(query|raw)\/?$/;

function envelope(status, result, errors = []) {
  return new Response(
    JSON.stringify({ success: errors.length === 0, errors, messages: [], result }),
    { status, headers: { "content-type": "application/json" } },
  );
}

const fail = (status, code, message) => envelope(status, [], [{ code, message }]);

// A JSON body statement -> {sql, params}, or a string describing what's wrong.
function parseStatement(s, where) {
  if (s === null || typeof s !== "object" || Array.isArray(s))
    return `${where} must be an object with "sql"`;
  if (typeof s.sql !== "string" || s.sql.trim() === "")
    return `${where}: "sql" must be a non-empty string`;
  const params = s.params ?? [];
  if (!Array.isArray(params)) return `${where}: "params" must be an array`;
  for (const p of params) {
    // Cloudflare's API accepts only scalars; anything else is a client bug.
    if (p !== null && !["string", "number", "boolean"].includes(typeof p))
      return `${where}: params may only hold strings, numbers, booleans or null`;
  }
  return { sql: s.sql, params };
}

// Rows as objects -> {columns, rows}. The binding's batch() only returns
// objects, so with no rows the column list is empty (a known difference from
// production) and duplicate column names have already collapsed.
function toRaw(rows) {
  const columns = rows.length ? Object.keys(rows[0]) : [];
  return { columns, rows: rows.map((r) => columns.map((c) => r[c])) };
}

async function handle(request, env) {
  const url = new URL(request.url);
  const m = ROUTE.exec(url.pathname);
  if (!m) return fail(404, 7000, "No route for that URI");
  if (request.method !== "POST") return fail(405, 7001, "Method not allowed");

  const [, accountId, databaseId, kind] = m;
  if (request.headers.get("authorization") !== `Bearer ${env.API_TOKEN}`)
    return fail(403, 10000, "Authentication error");
  if (decodeURIComponent(accountId) !== env.ACCOUNT_ID)
    return fail(403, 7403, "The given account is not valid or is not authorized to access this service");
  if (decodeURIComponent(databaseId) !== env.DATABASE_ID)
    return fail(404, 7404, `The database ${databaseId} could not be found`);

  let body;
  try {
    body = await request.json();
  } catch (e) {
    return fail(400, 7400, `The request is malformed: body is not valid JSON (${e.message})`);
  }
  const isBatch = body !== null && typeof body === "object" && "batch" in body;
  let statements;
  if (isBatch) {
    if (!Array.isArray(body.batch) || body.batch.length === 0)
      return fail(400, 7400, 'The request is malformed: "batch" must be a non-empty array');
    statements = body.batch.map((s, i) => parseStatement(s, `batch[${i}]`));
  } else {
    statements = [parseStatement(body, "body")];
  }
  const bad = statements.find((s) => typeof s === "string");
  if (bad) return fail(400, 7400, `The request is malformed: ${bad}`);

  let results;
  try {
    // batch() runs all statements in one transaction: all or nothing. A single
    // statement goes through the same path (a batch of one), and the engine
    // also accepts several ';'-separated statements without params there.
    const prepared = statements.map(({ sql, params }) =>
      env.DB.prepare(sql).bind(...params),
    );
    results = await env.DB.batch(prepared);
  } catch (e) {
    const message = String(e?.message ?? e).replace(/^D1_ERROR: /, "");
    return fail(400, 7500, message);
  }

  return envelope(
    200,
    results.map((r) => ({
      success: r.success,
      results: kind === "raw" ? toRaw(r.results ?? []) : (r.results ?? []),
      meta: r.meta,
    })),
  );
}

export default {
  async fetch(request, env) {
    try {
      return await handle(request, env);
    } catch (e) {
      // A bug in this worker, not an SQL error: look like Cloudflare's 500.
      return fail(500, 7500, `internal error; reference = local: ${e?.stack ?? e}`);
    }
  },
};
