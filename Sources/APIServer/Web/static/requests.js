// The requests list: one page of 20, newest first, refreshed every few seconds while the tab
// is visible (a hidden tab polling the server helps nobody).

import { api, API, el, fmtInt, fmtRelative, stateBadge, overallPercent, requestCounts, progressBar, barVariant, showProblem, markCurrentNav } from "./api.js";

const PAGE_SIZE = 20;
const REFRESH_MS = 4000;
const $ = (id) => document.getElementById(id);

let page = Math.max(1, Number(new URLSearchParams(location.search).get("page")) || 1);
let total = 0;
let timer = 0;
let ticket = 0;

markCurrentNav("/requests");
$("prev-page").addEventListener("click", () => goTo(page - 1));
$("next-page").addEventListener("click", () => goTo(page + 1));
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "visible") load();
  else clearTimeout(timer);
});
window.addEventListener("popstate", () => {
  page = Math.max(1, Number(new URLSearchParams(location.search).get("page")) || 1);
  load();
});
load();

function goTo(next) {
  page = Math.max(1, next);
  const url = page === 1 ? "/requests" : `/requests?page=${page}`;
  history.pushState(null, "", url);
  load();
}

async function load() {
  clearTimeout(timer);
  // A newer load (a page change during a refresh) supersedes this one; its answer is dropped.
  const mine = ++ticket;
  try {
    const { body } = await api(`${API}/requests?limit=${PAGE_SIZE}&offset=${(page - 1) * PAGE_SIZE}`);
    if (mine !== ticket) return;
    total = body.total ?? body.requests.length;
    // A page past the end (an old link, or fewer requests now): show the last one instead.
    if (body.requests.length === 0 && page > 1 && total > 0) {
      page = Math.ceil(total / PAGE_SIZE);
      history.replaceState(null, "", `/requests?page=${page}`);
      return load();
    }
    render(body.requests);
    $("requests-error").replaceChildren();
    $("refresh-info").textContent = `Updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    if (mine !== ticket) return;
    showProblem($("requests-error"), error.problem ?? { detail: String(error) });
  }
  if (document.visibilityState === "visible") timer = setTimeout(load, REFRESH_MS);
}

function render(requests) {
  const body = $("requests-body");
  const now = Date.now();
  // Keep focus on the same link across a refresh, or keyboard users lose their place.
  const focusedId = document.activeElement?.closest?.("tr[data-request-id]")?.dataset.requestId;
  const rows = requests.map((status) => row(status, now));
  body.replaceChildren(...rows);
  if (focusedId) body.querySelector(`tr[data-request-id="${CSS.escape(focusedId)}"] a`)?.focus();

  $("requests-empty").hidden = total > 0;
  $("requests-table").hidden = total === 0;
  const first = total ? (page - 1) * PAGE_SIZE + 1 : 0;
  const last = Math.min(total, (page - 1) * PAGE_SIZE + requests.length);
  $("page-info").textContent = total ? `${fmtInt(first)}–${fmtInt(last)} of ${fmtInt(total)}` : "";
  $("prev-page").disabled = page <= 1;
  $("next-page").disabled = last >= total;
}

function row(status, now) {
  const percent = overallPercent(status);
  const models = (status.jobs ?? []).map((job) => job.model).join(", ");
  const name = status.input_name || (status.input_kind === "protein" ? "Pasted sequences" : "Pasted molecules");
  const { processed, failed, cancelled, total: pairs } = requestCounts(status);
  const progressText =
    `${fmtInt(processed)} of ${fmtInt(pairs)} done` + (failed ? `, ${fmtInt(failed)} failed` : "") + (cancelled ? `, ${fmtInt(cancelled)} cancelled` : "");
  return el(
    "tr",
    { dataset: { requestId: status.id, state: status.state } },
    el(
      "td",
      { "data-label": "Request" },
      el("a", { class: "request-link", href: `/requests/${encodeURIComponent(status.id)}` }, name),
      el("div", { class: "muted mono small" }, status.id.slice(0, 8)),
    ),
    el("td", { "data-label": "Created", title: status.created_at }, fmtRelative(status.created_at, now)),
    el("td", { "data-label": "Models" }, models || "—"),
    el("td", { class: "num", "data-label": "Records" }, fmtInt(status.record_count)),
    el("td", { "data-label": "State" }, stateBadge(status.state), status.queue_position != null && status.state === "queued" ? el("div", { class: "muted small" }, status.queue_position <= 1 ? "next in line" : `position ${fmtInt(status.queue_position)}`) : null),
    el(
      "td",
      { class: "progress-cell", "data-label": "Progress" },
      el("span", { class: "small" }, `${percent}%`, el("span", { class: "muted" }, ` · ${progressText}`)),
      progressBar(percent, { label: `Progress of ${name}`, text: progressText, variant: barVariant(status.state) }),
    ),
  );
}
