// Shared by the three pages: talking to /api/v1, showing problem details, formatting numbers
// and dates, and building small pieces of DOM. No framework: the pages are small enough that
// direct DOM updates stay readable.

export const API = "/api/v1";

export const FINISHED_STATES = new Set(["completed", "completed_with_errors", "failed", "cancelled"]);
export const ACTIVE_STATES = new Set(["queued", "running", "merging", "cancelling"]);

/** An HTTP error carrying the RFC 9457 problem body, so callers can place it next to its field. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

/**
 * Fetches a JSON endpoint. Non-2xx answers become a ProblemError; a body that is not JSON
 * (a proxy's error page, say) still becomes a readable problem rather than a parse error.
 */
export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path.startsWith("/") ? path : `${API}/${path}`, options);
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ProblemError(0, { title: "Network error", detail: "The server could not be reached. Check the connection and try again." });
  }
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const problem = body && typeof body === "object" ? body : { title: response.statusText || "Error", detail: text.slice(0, 300) };
    problem.status ??= response.status;
    throw new ProblemError(response.status, problem);
  }
  return { status: response.status, body, headers: response.headers };
}

/**
 * A query string with spaces as %20. URLSearchParams writes them as "+", which the server
 * reads literally ("PCA 1" would arrive as "PCA+1"); a literal "+" is already "%2B".
 */
export function toQuery(params) {
  return new URLSearchParams(params).toString().replace(/\+/g, "%20");
}

/** Fills `target` with a problem's title, detail and the valid choices the API suggests. */
export function showProblem(target, problem) {
  target.replaceChildren();
  if (!problem) return;
  if (problem.title && problem.detail) {
    target.append(el("span", { class: "problem-title" }, `${problem.title}: `));
  }
  target.append(problem.detail || problem.title || "Something went wrong.");
  if (Array.isArray(problem.valid_choices) && problem.valid_choices.length) {
    target.append(el("span", { class: "problem-choices" }, `Valid choices: ${problem.valid_choices.join(", ")}`));
  }
}

/** Builds an element: el("a", {href: "/"}, "text", child). `null`/`false` children are skipped. */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

const integerFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
export function fmtInt(value) {
  return Number.isFinite(value) ? integerFormat.format(value) : "—";
}

export function fmtNumber(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return String(value ?? "—");
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(3);
  return new Intl.NumberFormat(undefined, { maximumSignificantDigits: 5 }).format(value);
}

export function fmtBytes(bytes) {
  if (!Number.isFinite(bytes)) return "—";
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** "4 s", "2 min 5 s", "1 h 3 min": ETAs and durations read better coarse. */
export function fmtDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 1) return "< 1 s";
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${m % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
export function parseDate(iso) {
  if (!iso) return null;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A <time> element: local date and time, machine-readable ISO in `datetime`. */
export function timeElement(iso) {
  const date = parseDate(iso);
  if (!date) return document.createTextNode("—");
  return el("time", { datetime: date.toISOString(), title: date.toISOString() }, dateFormat.format(date));
}

export function fmtRelative(iso, now = Date.now()) {
  const date = parseDate(iso);
  if (!date) return "—";
  const seconds = Math.round((now - date.getTime()) / 1000);
  if (seconds < 45) return "just now";
  if (seconds < 3600) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)} h ago`;
  return dateFormat.format(date);
}

const STATE_LABELS = {
  queued: "Queued",
  running: "Running",
  merging: "Merging results",
  completed: "Completed",
  completed_with_errors: "Completed with errors",
  failed: "Failed",
  cancelling: "Cancelling",
  cancelled: "Cancelled",
};

export function stateLabel(state) {
  return STATE_LABELS[state] ?? String(state ?? "unknown");
}

/** A state badge; `data-state` keeps the API's raw value for scripts and tests. */
export function stateBadge(state, attributes = {}) {
  return el("span", { class: `state state-${state}`, dataset: { state }, ...attributes }, stateLabel(state));
}

/** Records a job has finished with, whatever the outcome. */
export function jobProcessed(job) {
  return (job.succeeded ?? 0) + (job.failed ?? 0) + (job.cancelled ?? 0);
}

/**
 * Whole-request counts over record × model pairs: processed (succeeded or failed), cancelled and
 * the total. `records_done` counts cancelled pairs too, which would show a cancelled request as
 * complete; the per-job counts tell them apart.
 */
export function requestCounts(status) {
  const jobs = status.jobs ?? [];
  const total = status.records_total ?? jobs.length * (status.record_count ?? 0);
  let processed = 0;
  let failed = 0;
  let cancelled = 0;
  for (const job of jobs) {
    processed += (job.succeeded ?? 0) + (job.failed ?? 0);
    failed += job.failed ?? 0;
    cancelled += job.cancelled ?? 0;
  }
  if (!jobs.length) processed = status.records_done ?? 0;
  return { processed, failed, cancelled, total };
}

/** Whole-request progress in percent (0–100). */
export function overallPercent(status) {
  if (status.state === "completed" || status.state === "completed_with_errors") return 100;
  const { processed, total } = requestCounts(status);
  if (!total) return 0;
  return Math.min(100, Math.floor((100 * processed) / total));
}

/**
 * A progress bar with role=progressbar, so assistive technology and tests read the same
 * numbers: aria-valuenow is the whole percent, aria-valuetext the sentence shown.
 */
export function progressBar(percent, { label = "Progress", text = null, variant = "", id = null, big = false } = {}) {
  const bar = el("div", {
    class: `bar ${variant} ${big ? "big" : ""}`.trim(),
    role: "progressbar",
    id,
    "aria-label": label,
    "aria-valuemin": 0,
    "aria-valuemax": 100,
  });
  bar.append(el("span"));
  updateProgressBar(bar, percent, { text, variant, big });
  return bar;
}

export function updateProgressBar(bar, percent, { text = null, variant = "", big = false } = {}) {
  const clamped = Math.max(0, Math.min(100, Math.round(percent)));
  bar.setAttribute("aria-valuenow", String(clamped));
  bar.setAttribute("aria-valuetext", text ?? `${clamped}%`);
  bar.className = `bar ${variant} ${big ? "big" : ""}`.trim();
  bar.firstElementChild.style.width = `${clamped}%`;
}

/** The bar's colour follows the outcome, so a glance at the list tells finished from broken. */
export function barVariant(state) {
  switch (state) {
    case "completed":
      return "done";
    case "completed_with_errors":
      return "with-errors";
    case "cancelled":
    case "cancelling":
    case "failed":
      return "stopped";
    default:
      return "";
  }
}

/** Marks the nav link for the current page, so the header says where you are. */
export function markCurrentNav(path) {
  for (const link of document.querySelectorAll(".site-nav a")) {
    if (link.getAttribute("href") === path) link.setAttribute("aria-current", "page");
  }
}
