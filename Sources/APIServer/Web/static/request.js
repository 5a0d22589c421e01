// The request page: live progress from the event stream, cancel and retry, downloads, the first
// failed records, and the scatter plot of the result.

import {
  api,
  API,
  toQuery,
  el,
  fmtInt,
  fmtBytes,
  fmtDuration,
  parseDate,
  timeElement,
  stateLabel,
  showProblem,
  progressBar,
  updateProgressBar,
  barVariant,
  jobProcessed,
  overallPercent,
  requestCounts,
  FINISHED_STATES,
  markCurrentNav,
} from "./api.js";
import { ScatterPlot } from "./plot.js";

const $ = (id) => document.getElementById(id);
const id = decodeURIComponent(location.pathname.replace(/\/+$/, "").split("/").pop() ?? "");
const base = `${API}/requests/${encodeURIComponent(id)}`;

const CANCELLABLE = new Set(["queued", "running", "merging"]);
const RETRYABLE = new Set(["completed_with_errors", "failed"]);
const RATE_WINDOW_MS = 15000;
const ERROR_ROWS_SHOWN = 10;
// A partial result marks records that never ran with this text; they were cancelled, not failed.
const CANCELLED_REASON = "cancelled before this record ran";

let current = null; // the newest status shown
let source = null; // the EventSource while the request is live
let pollTimer = 0;
let resultKey = null; // which result the downloads, error rows and plot were built for
let errorAbort = null;
let plot = null;
let announcedState = null;
const samples = []; // {t, jobs: Map(model → processed)} for rates over a sliding window
const jobRows = new Map();
const optionsPromise = api(`${API}/options`).then(
  (response) => response.body,
  () => null,
);

markCurrentNav("/requests");
wireActions();
wirePlotControls();
start();

async function start() {
  $("request-id").textContent = id;
  try {
    const { body } = await api(base);
    handleStatus(body);
    if (!FINISHED_STATES.has(body.state)) openStream();
  } catch (error) {
    const problem = error.problem ?? { detail: String(error) };
    if (error.status === 404) problem.detail = `There is no request ${id}. It may belong to someone else, or the address is mistyped.`;
    showProblem($("request-error"), problem);
    // Empty panels under the error would only suggest there is something to wait for.
    for (const section of document.querySelectorAll("main > section")) section.hidden = true;
    document.title = "Request not found · BulkPredict";
    return;
  }
  // Rates and time left move even when no event arrives (a stalled task shows as a falling rate).
  let ticks = 0;
  setInterval(() => {
    if (!current || FINISHED_STATES.has(current.state)) return;
    addSample(current);
    renderRates(current);
    ticks += 1;
    // A queued request's place changes when others start, which is no event of its own.
    if (current.state === "queued" && ticks % 5 === 0) api(base).then(({ body }) => handleStatus(body), () => {});
  }, 1000);
}

// ---------- live updates ----------

function openStream() {
  closeStream();
  clearTimeout(pollTimer);
  source = new EventSource(`${base}/events`);
  const onStatus = (event) => handleStatus(JSON.parse(event.data));
  source.addEventListener("snapshot", onStatus);
  source.addEventListener("progress", onStatus);
  source.addEventListener("end", (event) => {
    handleStatus(JSON.parse(event.data));
    closeStream();
  });
  source.addEventListener("open", () => {
    $("live-info").textContent = "Live";
  });
  source.addEventListener("error", () => {
    if (!source) return;
    if (source.readyState === EventSource.CLOSED) {
      // The browser gave up on the stream (e.g. a proxy refused it): fall back to polling.
      closeStream();
      poll();
    } else {
      $("live-info").textContent = "Reconnecting…";
    }
  });
}

function closeStream() {
  source?.close();
  source = null;
  $("live-info").textContent = "";
}

async function poll() {
  try {
    const { body } = await api(base);
    handleStatus(body);
    if (FINISHED_STATES.has(body.state)) return;
  } catch {
    /* keep polling: the server may be restarting */
  }
  $("live-info").textContent = "Updating every 2 s";
  pollTimer = setTimeout(poll, 2000);
}

function handleStatus(status, { force = false } = {}) {
  // The stream and a fetch can cross; an older revision must not overwrite a newer one.
  if (!force && current && current.id === status.id && (status.revision ?? 0) < (current.revision ?? 0)) return;
  current = status;
  addSample(status);
  render(status);
  if (status.result) {
    // Not the revision: a later status with the same result must not reset the user's plot.
    const key = `${status.result.sha256}|${status.result.rows}|${status.state}`;
    if (FINISHED_STATES.has(status.state) && key !== resultKey) {
      resultKey = key;
      showResult(status);
    }
  } else if (status.state === "cancelled" || status.state === "failed") {
    awaitLateResult();
  }
}

let lateTries = 0;
let lateTimer = 0;

/**
 * A cancelled (or failed) request gets its partial result merged after it has stopped, and the
 * event stream has ended by then; ask a few more times so the downloads appear without a reload.
 */
function awaitLateResult() {
  if (lateTimer || lateTries >= 30) return;
  lateTries += 1;
  lateTimer = setTimeout(async () => {
    lateTimer = 0;
    try {
      const { body } = await api(base);
      handleStatus(body);
    } catch {
      awaitLateResult();
    }
  }, 2000);
}

function addSample(status) {
  const now = performance.now();
  samples.push({ t: now, jobs: new Map((status.jobs ?? []).map((job) => [job.model, (job.succeeded ?? 0) + (job.failed ?? 0)])) });
  while (samples.length > 2 && now - samples[1].t > RATE_WINDOW_MS) samples.shift();
}

/** Records per second for one model (or all, when `model` is null), or null when unknown. */
function rateOf(status, model) {
  const models = model ? [model] : (status.jobs ?? []).map((job) => job.model);
  const first = samples[0];
  const last = samples[samples.length - 1];
  const sum = (sample) => models.reduce((total, name) => total + (sample.jobs.get(name) ?? 0), 0);
  const seconds = first && last ? (last.t - first.t) / 1000 : 0;
  if (seconds >= 2) return Math.max(0, (sum(last) - sum(first)) / seconds);
  // Just opened: the average since the request started is the best first guess.
  const started = parseDate(status.started_at);
  if (!started || !last) return null;
  const elapsed = (Date.now() - started.getTime()) / 1000;
  return elapsed > 0.5 ? sum(last) / elapsed : null;
}

/** The average over the whole run, for a finished request. */
function averageRate(status, processed) {
  const started = parseDate(status.started_at);
  const finished = parseDate(status.finished_at);
  if (!started || !finished) return null;
  const seconds = (finished.getTime() - started.getTime()) / 1000;
  return seconds > 0 ? processed / seconds : null;
}

function fmtRate(rate) {
  if (rate === null || !Number.isFinite(rate)) return "—";
  return `${rate >= 100 ? fmtInt(rate) : rate.toFixed(1)} records/s`;
}

// ---------- rendering ----------

function render(status) {
  const name = status.input_name || (status.input_kind === "protein" ? "Pasted sequences" : "Pasted molecules");
  $("request-title").textContent = name;
  document.title = `${name} · ${stateLabel(status.state)} · BulkPredict`;
  // Screen readers hear state changes, not every progress tick.
  if (announcedState !== status.state) {
    announcedState = status.state;
    $("state-announce").textContent = `Request ${stateLabel(status.state).toLowerCase()}.`;
  }
  const badge = $("request-state");
  badge.className = `state state-${status.state}`;
  badge.dataset.state = status.state;
  badge.textContent = stateLabel(status.state);

  $("input-kind-fact").textContent = status.input_kind === "protein" ? "Protein sequences" : "Molecules (SMILES)";
  $("record-count").textContent = fmtInt(status.record_count);
  $("created-at").replaceChildren(timeElement(status.created_at));
  $("started-at").replaceChildren(timeElement(status.started_at));
  $("finished-at").replaceChildren(timeElement(status.finished_at));
  $("chunking").textContent = `${fmtInt(status.chunk_size)} records, up to ${fmtInt(status.max_parallel)} at once`;

  const queue = $("queue-position");
  if (status.state === "queued") {
    queue.hidden = false;
    // queue_position counts from 1 (next to start), so position − 1 requests are ahead.
    const position = status.queue_position;
    queue.textContent =
      position === undefined || position === null
        ? "Waiting in the queue."
        : position <= 1
          ? "Waiting in the queue: next in line."
          : `Waiting in the queue: position ${fmtInt(position)}, ${fmtInt(position - 1)} request${position === 2 ? "" : "s"} ahead.`;
    queue.dataset.position = String(position ?? "");
  } else {
    queue.hidden = true;
  }

  const { processed, failed, cancelled, total } = requestCounts(status);
  const percent = overallPercent(status);
  const text =
    `${fmtInt(processed)} of ${fmtInt(total)} done (${percent}%)` + (failed ? `, ${fmtInt(failed)} failed` : "") + (cancelled ? `, ${fmtInt(cancelled)} cancelled` : "");
  updateProgressBar($("progress-overall"), percent, { text, variant: barVariant(status.state), big: true });
  $("overall-text").textContent = (status.jobs ?? []).length > 1 ? `${text} · records × models` : text;

  const failure = $("request-failure");
  failure.hidden = !status.error;
  failure.textContent = status.error ? `The request failed: ${status.error}` : "";

  $("cancel-button").disabled = !CANCELLABLE.has(status.state);
  // A finished request has nothing to cancel; the button would only be noise.
  $("cancel-button").hidden = FINISHED_STATES.has(status.state);
  $("retry-button").disabled = !RETRYABLE.has(status.state);
  // Retrying only means something once the request has finished.
  $("retry-button").hidden = !FINISHED_STATES.has(status.state);

  renderJobs(status);
  renderRates(status);
}

function renderJobs(status) {
  const body = $("jobs-body");
  const seen = new Set();
  for (const job of status.jobs ?? []) {
    seen.add(job.model);
    let row = jobRows.get(job.model);
    if (!row) {
      row = createJobRow(job.model);
      jobRows.set(job.model, row);
      body.append(row.tr);
    }
    const processed = (job.succeeded ?? 0) + (job.failed ?? 0);
    const finished = job.state === "completed" || job.state === "completed_with_errors";
    const percent = finished ? 100 : status.record_count ? Math.floor((100 * processed) / status.record_count) : 0;
    row.version.textContent = job.model_version ? `v${job.model_version}` : "";
    row.state.className = `state state-${job.state}`;
    row.state.dataset.state = job.state;
    row.state.textContent = stateLabel(job.state);
    updateProgressBar(row.bar, percent, {
      text: `${fmtInt(processed)} of ${fmtInt(status.record_count)} records (${percent}%)`,
      variant: barVariant(job.state),
    });
    row.percent.textContent = `${percent}% · ${fmtInt(processed)} of ${fmtInt(status.record_count)}`;
    row.succeeded.textContent = fmtInt(job.succeeded ?? 0);
    row.failed.textContent = fmtInt(job.failed ?? 0);
    row.cancelled.textContent = fmtInt(job.cancelled ?? 0);
    row.tasks.textContent = `${fmtInt(job.tasks_done)} / ${fmtInt(job.tasks_total)}` + (job.tasks_running ? ` (${fmtInt(job.tasks_running)} running)` : "");
  }
  for (const [model, row] of jobRows) {
    if (!seen.has(model)) {
      row.tr.remove();
      jobRows.delete(model);
    }
  }
}

function createJobRow(model) {
  const cell = (label, attributes = {}, ...children) => el("td", { "data-label": label, ...attributes }, ...children);
  const row = {
    version: el("span", { class: "muted small" }),
    state: el("span", { id: `job-state-${model}`, class: "state" }),
    bar: progressBar(0, { id: `progress-${model}`, label: `Progress of ${model}` }),
    percent: el("span", { class: "small" }),
    succeeded: el("span", { id: `succeeded-${model}` }),
    failed: el("span", { id: `failed-${model}` }),
    cancelled: el("span", { id: `cancelled-${model}` }),
    tasks: el("span"),
    rate: el("span", { id: `rate-${model}` }),
    eta: el("span", { id: `eta-${model}` }),
  };
  row.tr = el(
    "tr",
    { id: `job-${model}`, dataset: { model } },
    cell("Model", {}, el("strong", {}, model), " ", row.version),
    cell("State", {}, row.state),
    cell("Progress", { class: "progress-cell" }, row.percent, row.bar),
    cell("Succeeded", { class: "num" }, row.succeeded),
    cell("Failed", { class: "num" }, row.failed),
    cell("Cancelled", { class: "num" }, row.cancelled),
    cell("Tasks", { class: "num" }, row.tasks),
    cell("Rate", { class: "num" }, row.rate),
    cell("Time left", { class: "num" }, row.eta),
  );
  return row;
}

function renderRates(status) {
  const finished = FINISHED_STATES.has(status.state);
  const running = status.state === "running";
  for (const job of status.jobs ?? []) {
    const row = jobRows.get(job.model);
    if (!row) continue;
    const processed = (job.succeeded ?? 0) + (job.failed ?? 0);
    const remaining = Math.max(0, (status.record_count ?? 0) - jobProcessed(job));
    if (finished) {
      const average = averageRate(status, processed);
      row.rate.textContent = average === null ? "—" : `${fmtRate(average)} avg`;
      row.eta.textContent = "—";
    } else {
      const rate = running ? rateOf(status, job.model) : null;
      row.rate.textContent = fmtRate(rate);
      row.eta.textContent = remaining === 0 ? "—" : rate ? fmtDuration(remaining / rate) : "—";
    }
  }
  const { processed, cancelled, total } = requestCounts(status);
  if (finished) {
    const average = averageRate(status, processed);
    // A run too short to time has no meaningful average; "took < 1 s" says it all.
    $("rate").textContent = average === null ? "" : `${fmtRate(average)} on average`;
    $("rate-sep").hidden = average === null;
    $("eta-label").textContent = "took";
    const started = parseDate(status.started_at);
    const ended = parseDate(status.finished_at);
    $("eta").textContent = started && ended ? fmtDuration((ended - started) / 1000) : "—";
  } else {
    const rate = running ? rateOf(status, null) : null;
    const remaining = Math.max(0, total - processed - cancelled);
    const queued = status.state === "queued";
    $("rate").textContent = queued ? "" : fmtRate(rate);
    $("rate-sep").hidden = queued;
    $("eta-label").textContent = queued ? "" : "time left";
    $("eta").textContent = queued ? "waiting to start" : rate ? fmtDuration(remaining / rate) : "—";
  }
}

function setAction(message, tone = "") {
  const line = $("action-status");
  line.className = `status-line ${tone}`.trim();
  line.textContent = message;
}

// ---------- cancel and retry ----------

function wireActions() {
  const dialog = $("cancel-dialog");
  $("cancel-button").addEventListener("click", () => {
    if (!current) return;
    fillCancelSummary(current);
    $("cancel-confirm").disabled = false;
    dialog.showModal();
    // The safe choice has focus: Enter or Escape right away keeps the request running.
    $("cancel-keep").focus();
  });
  $("cancel-keep").addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => {
    if (!$("cancel-button").disabled) $("cancel-button").focus();
  });
  $("cancel-confirm").addEventListener("click", confirmCancel);
  $("retry-button").addEventListener("click", retry);
}

function fillCancelSummary(status) {
  const items = [];
  for (const job of status.jobs ?? []) {
    if (FINISHED_STATES.has(job.state)) continue;
    const running = job.tasks_running ?? 0;
    const waiting = Math.max(0, (job.tasks_total ?? 0) - (job.tasks_done ?? 0) - running);
    const remaining = Math.max(0, (status.record_count ?? 0) - jobProcessed(job));
    items.push(
      el(
        "li",
        { dataset: { model: job.model } },
        el("strong", {}, job.model),
        `: ${fmtInt(running)} running and ${fmtInt(waiting)} queued task${waiting === 1 ? "" : "s"}; `,
        `${fmtInt(remaining)} record${remaining === 1 ? "" : "s"} not yet predicted.`,
      ),
    );
  }
  const { processed } = requestCounts(status);
  $("cancel-summary").replaceChildren(
    el("p", {}, items.length ? "This will stop:" : "Nothing is left to run; cancelling now stops the merge of the results."),
    items.length ? el("ul", {}, items) : null,
    el("p", { class: "small" }, `${fmtInt(processed)} record × model results done so far are kept.`),
  );
}

async function confirmCancel() {
  $("cancel-confirm").disabled = true;
  $("cancel-dialog").close();
  $("cancel-button").disabled = true;
  setAction("Stopping… running tasks are being stopped (within 30 seconds).");
  try {
    const { body } = await api(`${base}?drain=30`, { method: "DELETE" });
    handleStatus(body);
    const { processed, cancelled } = requestCounts(body);
    setAction(`Cancelled. ${fmtInt(processed)} results were done and are kept; ${fmtInt(cancelled)} were not run.`, "good");
  } catch (error) {
    const detail = error.problem?.detail ?? error.message;
    if (error.status === 504) {
      setAction(`Still stopping: ${detail} This page updates when it has stopped.`);
      if (!source) openStream();
    } else {
      setAction(`Could not cancel: ${detail}`, "bad");
      if (current) render(current);
    }
  }
}

async function retry() {
  $("retry-button").disabled = true;
  const failed = current ? requestCounts(current).failed : 0;
  setAction("Asking the server to retry…");
  try {
    const { body } = await api(`${base}/retry`, { method: "POST" });
    resetResultViews();
    samples.length = 0;
    handleStatus(body, { force: true });
    setAction(`Retrying ${fmtInt(failed)} failed record${failed === 1 ? "" : "s"}…`);
    openStream();
  } catch (error) {
    setAction(`Could not retry: ${error.problem?.detail ?? error.message}`, "bad");
    if (current) render(current);
  }
}

function resetResultViews() {
  resultKey = null;
  lateTries = 0;
  errorAbort?.abort();
  $("downloads").replaceChildren();
  $("result-info").textContent = "The results can be downloaded once the request has finished.";
  $("errors-section").hidden = true;
  $("plot-section").hidden = true;
}

// ---------- the result: downloads, failed records, plot ----------

async function showResult(status) {
  renderDownloads(status, await optionsPromise);
  loadErrorRows(status);
  loadPlot({});
}

function hasEmbedding(status, options) {
  if (status.input_kind !== "protein" || !options) return false;
  const byId = new Map((options.models ?? []).map((model) => [model.id, model]));
  return (status.jobs ?? []).some((job) => (byId.get(job.model)?.outputs ?? []).some((output) => output.type === "vector"));
}

function renderDownloads(status, options) {
  const result = status.result;
  const links = [
    { format: "parquet", layout: "wide", title: "Parquet", note: "Wide: one row per record" },
    { format: "parquet", layout: "long", title: "Parquet", note: "Long: one row per record and model" },
    { format: "csv", layout: "wide", title: "CSV", note: "Wide: one row per record" },
    { format: "csv", layout: "long", title: "CSV", note: "Long: one row per record and model" },
    { format: "jsonl", layout: "wide", title: "JSON Lines", note: "One object per record" },
  ];
  if (hasEmbedding(status, options)) {
    links.push(
      { format: "parquet", layout: "embeddings", title: "Embeddings", note: "Parquet: one vector per sequence" },
      // The bundle has no layout parameter; data-layout still names what it holds.
      { format: "parquetbundle", layout: "bundle", title: "ProtSpace bundle", note: "Embeddings and projections for ProtSpace" },
    );
  }
  $("downloads").replaceChildren(
    ...links.map((link) => {
      const query = link.format === "parquetbundle" ? `format=${link.format}` : `format=${link.format}&layout=${link.layout}`;
      return el(
        "li",
        {},
        el(
          "a",
          { href: `${base}/result?${query}`, download: "", dataset: { format: link.format, layout: link.layout } },
          el("strong", {}, link.title),
          el("small", {}, link.note),
        ),
      );
    }),
  );
  // `bytes` and `sha256` describe the merged wide CSV, from which every format is derived.
  const parts = [`${fmtInt(result.rows)} rows`, `${fmtBytes(result.bytes)} as CSV`];
  if (result.partial) parts.push("partial: the request did not run to the end");
  $("result-info").replaceChildren(
    parts.join(" · "),
    el("span", { class: "mono block", title: "SHA-256 of the merged wide CSV" }, `CSV sha256 ${result.sha256 ?? "—"}`),
  );
}

/**
 * Streams the JSON Lines result and stops reading as soon as enough failed records are found:
 * for a large result this saves the transfer and the parsing (the server still derives the
 * whole JSON Lines file once, on its first download, and keeps it).
 */
async function loadErrorRows(status) {
  errorAbort?.abort();
  const section = $("errors-section");
  const { failed } = requestCounts(status);
  if (!failed) {
    section.hidden = true;
    return;
  }
  section.hidden = false;
  const tbody = $("error-rows").tBodies[0];
  tbody.replaceChildren();
  $("error-summary").textContent = `${fmtInt(failed)} record × model result${failed === 1 ? "" : "s"} failed. Loading the first ones…`;
  const errorColumns = (status.jobs ?? []).map((job) => [job.model, `${job.model}.error`]);
  const found = [];
  errorAbort = new AbortController();
  try {
    const response = await fetch(`${base}/result?format=jsonl`, { signal: errorAbort.signal });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    outer: for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value ?? new Uint8Array(), { stream: !done });
      let newline;
      while ((newline = buffer.indexOf("\n")) >= 0 || (done && buffer.length)) {
        const line = newline >= 0 ? buffer.slice(0, newline) : buffer;
        buffer = newline >= 0 ? buffer.slice(newline + 1) : "";
        if (!line.trim()) continue;
        const record = JSON.parse(line);
        for (const [model, column] of errorColumns) {
          const reason = record[column];
          if (reason !== null && reason !== undefined && reason !== "" && reason !== CANCELLED_REASON) {
            found.push({ row: record.row, id: record.id, input: record.input, model, reason: String(reason) });
            if (found.length >= ERROR_ROWS_SHOWN) break outer;
          }
        }
      }
      if (done) break;
    }
    reader.cancel().catch(() => {});
  } catch (error) {
    if (error.name === "AbortError") return;
    $("error-summary").textContent = `${fmtInt(failed)} results failed; the failed records could not be loaded (${error.message}).`;
    return;
  }
  tbody.replaceChildren(
    ...found.map((entry) =>
      el(
        "tr",
        { dataset: { row: entry.row, model: entry.model } },
        el("td", { class: "num", "data-label": "Row" }, String(entry.row)),
        el("td", { "data-label": "Id" }, entry.id ?? "—"),
        el("td", { class: "input", "data-label": "Input" }, entry.input ?? ""),
        el("td", { "data-label": "Model" }, entry.model),
        el("td", { class: "reason", "data-label": "Reason" }, entry.reason),
      ),
    ),
  );
  $("error-summary").textContent =
    found.length < failed
      ? `${fmtInt(failed)} record × model results failed; the first ${found.length} are shown. The error columns of the downloads list them all.`
      : `${fmtInt(failed)} record × model result${failed === 1 ? "" : "s"} failed:`;
}

// ---------- plot ----------

let plotRequest = 0;

function wirePlotControls() {
  for (const picker of ["plot-x", "plot-y", "plot-color"]) {
    $(picker).addEventListener("change", () =>
      loadPlot({ x: $("plot-x").value, y: $("plot-y").value, color: $("plot-color").value }, { keepView: picker === "plot-color" }),
    );
  }
  $("plot-zoom-in").addEventListener("click", () => plot?.zoom(1.5));
  $("plot-zoom-out").addEventListener("click", () => plot?.zoom(1 / 1.5));
  $("plot-reset").addEventListener("click", () => plot?.resetView());
  // The hook browser tests use to find a point on screen; harmless for everyone else.
  window.bulkpredictPlot = {
    screenPositionOf(row) {
      const position = plot?.screenPositionOf(row);
      if (!position) return null;
      const rect = $("plot").getBoundingClientRect();
      return { x: position.x, y: position.y, clientX: rect.left + position.x, clientY: rect.top + position.y };
    },
    rows(limit = 10) {
      return (plot?.points ?? []).slice(0, limit).map((point) => ({ row: point.row, id: point.id }));
    },
    get pointCount() {
      return plot?.count ?? 0;
    },
  };
}

async function loadPlot(params, { keepView = false } = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const ticket = ++plotRequest;
  $("plot-info").textContent = "Loading the plot…";
  let data;
  try {
    data = (await api(`${base}/plot?${toQuery(query)}`)).body;
  } catch (error) {
    if (ticket !== plotRequest) return;
    if (error.status === 409 || error.status === 404) {
      $("plot-section").hidden = true;
      return;
    }
    $("plot-section").hidden = false;
    $("plot-info").textContent = `The plot could not be loaded: ${error.problem?.detail ?? error.message}`;
    // The pickers go back to what the plot still shows.
    if (plot?.data) {
      $("plot-x").value = plot.data.x;
      $("plot-y").value = plot.data.y;
      $("plot-color").value = plot.data.color ?? "";
    }
    return;
  }
  if (ticket !== plotRequest) return;
  $("plot-section").hidden = false;
  fillPicker($("plot-x"), data.numeric_columns ?? [], data.x);
  fillPicker($("plot-y"), data.numeric_columns ?? [], data.y);
  fillPicker($("plot-color"), data.columns ?? [], data.color ?? "", "None");
  plot ??= new ScatterPlot($("plot"), $("plot-tooltip"), { legend: $("plot-legend"), announce: $("plot-announce") });
  plot.setData(data, { keepView });
  $("plot").setAttribute("aria-label", `Scatter plot of ${data.y} against ${data.x}${data.color ? `, coloured by ${data.color}` : ""}`);
  const shown = data.points?.length ?? 0;
  const parts = [data.sampled ? `A sample of ${fmtInt(shown)} of ${fmtInt(data.total)} records` : `${fmtInt(shown)} records`];
  if (data.missing) parts.push(`${fmtInt(data.missing)} without values for these axes are left out`);
  if (data.kind === "projection") parts.push("PCA projection of the embedding");
  $("plot-info").textContent = parts.join(" · ") + ".";
}

function fillPicker(select, names, selected, noneLabel = null) {
  const wanted = [...(noneLabel ? [""] : []), ...names];
  const existing = [...select.options].map((option) => option.value);
  if (wanted.length !== existing.length || wanted.some((name, i) => name !== existing[i])) {
    select.replaceChildren(...wanted.map((name) => el("option", { value: name }, name === "" ? noneLabel : name)));
  }
  select.value = selected ?? "";
}

