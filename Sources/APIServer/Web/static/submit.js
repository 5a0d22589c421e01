// The start page: builds a submission from pasted text or a file plus the routing, shows how
// many models it resolves to while the user is still choosing, and puts the API's validation
// problems next to the field they name.

import { api, API, toQuery, ProblemError, showProblem, el, fmtInt, fmtBytes, markCurrentNav, progressBar } from "./api.js";

const $ = (id) => document.getElementById(id);

const form = $("submit-form");
const textInput = $("smiles-input");
const fileInput = $("file-input");
const dropZone = $("drop-zone");
const targetSelect = $("target");
const seriesSelect = $("series");
const maxParallel = $("max-parallel");
const chunkSize = $("chunk-size");
const submitButton = $("submit-button");
const submitStatus = $("submit-status");
const modelCount = $("model-count");

let options = null;
let chosenFile = null;
// The routing preview: the last answer shown, the pending debounce and the request in flight.
let preview = null;
let previewTimer = 0;
let previewAbort = null;

// Where each problem `field` is shown and which control it belongs to. Routing problems name
// `target` even when models were chosen explicitly, so all three share the models' error slot.
const FIELD_SLOTS = {
  records: ["input-error", () => (chosenFile ? fileInput : textInput)],
  input: ["input-error", () => (chosenFile ? fileInput : textInput)],
  file: ["input-error", () => fileInput],
  filename: ["input-error", () => fileInput],
  models: ["models-error", routingControl],
  target: ["models-error", routingControl],
  series: ["models-error", routingControl],
  max_parallel: ["max-parallel-error", () => maxParallel],
  chunk_size: ["chunk-size-error", () => chunkSize],
};

const PROTEIN_EXTENSIONS = /\.(fasta|faa|fa)(\.gz)?$/i;

markCurrentNav("/");
init();

async function init() {
  wireInput();
  wireRouting();
  form.addEventListener("submit", onSubmit);
  refreshQuota();
  // Usage changes as other requests finish; poll only while someone is looking.
  setInterval(() => {
    if (document.visibilityState === "visible") refreshQuota();
  }, 10000);

  try {
    options = (await api(`${API}/options`)).body;
  } catch (error) {
    showProblem($("form-error"), error.problem ?? { detail: String(error) });
    $("model-list").replaceChildren(el("p", { class: "muted" }, "Models could not be loaded."));
    return;
  }
  applyLimits(options.limits);
  fillTargets(options);
  fillModels(options.models);
  updateRoutingPanels();
  schedulePreview();
}

// ---------- input ----------

function wireInput() {
  textInput.addEventListener("input", describeInput);
  fileInput.addEventListener("change", () => chooseFile(fileInput.files[0] ?? null));
  $("file-clear").addEventListener("click", () => {
    fileInput.value = "";
    chooseFile(null);
    fileInput.focus();
  });

  // dragenter/over on children fire leave on the parent; counting keeps the highlight steady.
  let depth = 0;
  dropZone.addEventListener("dragenter", (event) => {
    event.preventDefault();
    depth += 1;
    dropZone.classList.add("dragover");
  });
  dropZone.addEventListener("dragover", (event) => {
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  });
  dropZone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) dropZone.classList.remove("dragover");
  });
  dropZone.addEventListener("drop", (event) => {
    event.preventDefault();
    depth = 0;
    dropZone.classList.remove("dragover");
    const file = event.dataTransfer.files[0];
    if (!file) return;
    // Keep the file input in step, so the page shows one truth whichever way the file came.
    try {
      fileInput.files = event.dataTransfer.files;
    } catch {
      /* older browsers: the chosen-file line still shows the dropped file */
    }
    chooseFile(file);
  });
  // A file dropped next to the zone would otherwise navigate away from the form.
  window.addEventListener("dragover", (event) => event.preventDefault());
  window.addEventListener("drop", (event) => event.preventDefault());
  describeInput();
}

function chooseFile(file) {
  chosenFile = file;
  $("file-chosen").hidden = !file;
  $("file-chosen-name").textContent = file ? `${file.name} (${fmtBytes(file.size)})` : "";
  // A file wins over pasted text; disabling the textarea makes that visible.
  textInput.disabled = Boolean(file);
  clearFieldError("input-error");
  describeInput();
  schedulePreview();
}

/** "smiles" | "protein" | null for the current input, as the server will read it. */
function inputKind() {
  if (chosenFile) return PROTEIN_EXTENSIONS.test(chosenFile.name) ? "protein" : "smiles";
  const text = textInput.value.trim();
  if (!text) return null;
  return text.startsWith(">") ? "protein" : "smiles";
}

function pastedLines() {
  return textInput.value.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
}

function describeInput() {
  const kind = $("input-kind");
  if (chosenFile) {
    kind.textContent = `Using the file ${chosenFile.name}: ${inputKind() === "protein" ? "protein sequences (FASTA)" : "molecules"}. Remove it to paste instead.`;
  } else if (inputKind() === "protein") {
    const count = pastedLines().filter((line) => line.startsWith(">")).length;
    kind.textContent = `FASTA: ${fmtInt(count)} protein sequence${count === 1 ? "" : "s"}.`;
  } else if (inputKind() === "smiles") {
    const count = pastedLines().length;
    kind.textContent = `SMILES: ${fmtInt(count)} molecule${count === 1 ? "" : "s"}.`;
  } else {
    kind.textContent = "Nothing pasted yet.";
  }
  showKindMismatch();
}

// ---------- routing ----------

function wireRouting() {
  for (const radio of document.querySelectorAll('input[name="routing"]')) {
    radio.addEventListener("change", () => {
      updateRoutingPanels();
      schedulePreview();
    });
  }
  targetSelect.addEventListener("change", () => {
    fillSeries();
    schedulePreview();
  });
  seriesSelect.addEventListener("change", schedulePreview);
  $("model-list").addEventListener("change", schedulePreview);
  maxParallel.addEventListener("input", () => {
    $("max-parallel-value").textContent = maxParallel.value;
  });
}

function routingMode() {
  return $("routing-models").checked ? "models" : "target";
}

function routingControl() {
  if (routingMode() === "models") return document.querySelector("#model-list input") ?? $("routing-models");
  return targetSelect;
}

function updateRoutingPanels() {
  const byModels = routingMode() === "models";
  $("target-panel").hidden = byModels;
  $("models-panel").hidden = !byModels;
}

function applyLimits(limits) {
  if (!limits) return;
  const max = Math.max(1, limits.max_parallel_max ?? 1);
  maxParallel.max = String(max);
  maxParallel.value = String(Math.min(max, limits.max_parallel_default ?? max));
  $("max-parallel-value").textContent = maxParallel.value;
  $("max-parallel-hint").textContent = `How many chunks of this request may run at the same time (1 to ${max}).`;
  chunkSize.min = String(limits.chunk_size_min ?? 1);
  if (limits.chunk_size_max) chunkSize.max = String(limits.chunk_size_max);
  chunkSize.value = String(limits.chunk_size_default ?? 1000);
  $("chunk-size-hint").textContent =
    `${fmtInt(limits.chunk_size_min ?? 1)} to ${fmtInt(limits.chunk_size_max)} records. ` +
    "Smaller chunks show progress sooner and retry less work after a failure.";
}

const KIND_NAMES = { smiles: "Molecules (SMILES)", protein: "Proteins (FASTA)" };

function modelsFor(target) {
  return options.models.filter((model) => (model.targets ?? []).includes(target));
}

function fillTargets(opts) {
  // Targets grouped by the input their models take, so a protein user finds theirs at once.
  const groups = new Map();
  for (const target of opts.targets) {
    const models = modelsFor(target.name);
    const kind = models[0]?.input ?? "other";
    if (!groups.has(kind)) groups.set(kind, []);
    groups.get(kind).push({ target, models });
  }
  for (const [kind, entries] of groups) {
    const group = el("optgroup", { label: KIND_NAMES[kind] ?? kind });
    for (const { target, models } of entries) {
      const names = models.map((model) => model.id).join(", ");
      group.append(el("option", { value: target.name }, names ? `${target.name} — ${names}` : target.name));
    }
    targetSelect.append(group);
  }
  fillSeries();
}

function fillSeries() {
  const target = options?.targets.find((entry) => entry.name === targetSelect.value);
  const series = target?.series ?? [];
  seriesSelect.replaceChildren(el("option", { value: "" }, "Any series"), ...series.map((name) => el("option", { value: name }, name)));
  seriesSelect.disabled = series.length === 0;
}

function fillModels(models) {
  const byKind = new Map();
  for (const model of models) {
    if (!byKind.has(model.input)) byKind.set(model.input, []);
    byKind.get(model.input).push(model);
  }
  const list = $("model-list");
  list.replaceChildren();
  for (const [kind, entries] of byKind) {
    const group = el("fieldset", {}, el("legend", {}, KIND_NAMES[kind] ?? kind));
    for (const model of entries) {
      const id = `model-${model.id}`;
      group.append(
        el(
          "div",
          { class: "choice" },
          el("input", { type: "checkbox", id, value: model.id, dataset: { model: model.id, input: model.input }, "aria-describedby": "models-error" }),
          el("label", { for: id }, model.id, el("span", { class: "desc" }, model.description ?? "")),
        ),
      );
    }
    list.append(group);
  }
}

function chosenModels() {
  return [...document.querySelectorAll("#model-list input:checked")].map((box) => box.value);
}

/** The routing as query items, shared by the preview and by file uploads. */
function routingQuery() {
  const query = new URLSearchParams();
  if (routingMode() === "models") {
    for (const model of chosenModels()) query.append("model", model);
  } else if (targetSelect.value) {
    query.set("target", targetSelect.value);
    if (seriesSelect.value) query.set("series", seriesSelect.value);
  }
  return query;
}

function schedulePreview() {
  clearTimeout(previewTimer);
  // Debounced: ticking three checkboxes in a row asks the server once.
  previewTimer = setTimeout(runPreview, 250);
}

async function runPreview() {
  previewAbort?.abort();
  clearFieldError("models-error");
  const query = routingQuery();
  if ([...query.keys()].length === 0) {
    preview = null;
    setModelCount(routingMode() === "models" ? "No models chosen yet." : "Choose a target or models.", "");
    return;
  }
  previewAbort = new AbortController();
  try {
    const { body } = await api(`${API}/preview-routing?${toQuery(query)}`, { signal: previewAbort.signal });
    preview = body;
    const ids = (body.models ?? []).map((model) => (typeof model === "string" ? model : model.id));
    const count = body.model_count ?? ids.length;
    setModelCount(`Resolves to ${count} model${count === 1 ? "" : "s"}: ${ids.join(", ")} (${KIND_NAMES[body.input_kind] ?? body.input_kind} input).`, "");
    modelCount.dataset.count = String(count);
  } catch (error) {
    if (error.name === "AbortError") return;
    preview = null;
    modelCount.dataset.count = "0";
    modelCount.classList.add("bad");
    const problem = error.problem ?? { detail: String(error) };
    modelCount.replaceChildren(`Resolves to no models. ${problem.detail ?? ""}`);
  }
  showKindMismatch();
}

function setModelCount(text, cls) {
  modelCount.className = `live-info ${cls}`.trim();
  modelCount.textContent = text;
  if (!preview) modelCount.dataset.count = "0";
}

function showKindMismatch() {
  const kind = inputKind();
  if (!preview || !kind || !preview.input_kind) return;
  const count = preview.model_count ?? 0;
  const base = `Resolves to ${count} model${count === 1 ? "" : "s"}: ${(preview.models ?? []).map((m) => m.id ?? m).join(", ")}`;
  if (preview.input_kind !== kind) {
    modelCount.className = "live-info warn";
    modelCount.textContent = `${base}. These models take ${KIND_NAMES[preview.input_kind] ?? preview.input_kind}, but the input looks like ${KIND_NAMES[kind] ?? kind}.`;
  } else {
    modelCount.className = "live-info";
    modelCount.textContent = `${base} (${KIND_NAMES[preview.input_kind] ?? preview.input_kind} input).`;
  }
}

// ---------- quota ----------

async function refreshQuota() {
  const box = $("quota");
  try {
    const { body } = await api(`${API}/quota`);
    const used = body.in_flight_record_models ?? 0;
    const max = body.max_in_flight_record_models ?? 0;
    const percent = max ? (100 * used) / max : 0;
    box.replaceChildren(
      el("p", {}, el("strong", { id: "quota-requests" }, fmtInt(body.in_flight_requests ?? 0)), ` request${body.in_flight_requests === 1 ? "" : "s"} in flight`),
      el("p", { class: "small" }, el("strong", { id: "quota-used" }, fmtInt(used)), " of ", el("span", { id: "quota-max" }, fmtInt(max)), " records × models in flight"),
      progressBar(percent, { label: "Quota used", text: `${fmtInt(used)} of ${fmtInt(max)} records × models`, variant: percent > 90 ? "with-errors" : "" }),
      el("p", { class: "hint" }, `A request counts its records times its models until it finishes. Owner: ${body.owner ?? "—"}.`),
    );
  } catch (error) {
    box.replaceChildren(el("p", { class: "muted" }, `Usage unavailable: ${error.problem?.detail ?? error.message}`));
  }
}

// ---------- submit ----------

function clearFieldError(id) {
  const slot = $(id);
  slot.replaceChildren();
  for (const control of document.querySelectorAll(`[aria-describedby~="${id}"]`)) control.removeAttribute("aria-invalid");
}

function clearErrors() {
  $("form-error").replaceChildren();
  for (const id of ["input-error", "models-error", "max-parallel-error", "chunk-size-error"]) clearFieldError(id);
}

/** Shows a problem next to its field, or in the general area; moves focus there for keyboard users. */
function placeProblem(problem) {
  const slot = FIELD_SLOTS[problem.field];
  if (!slot) {
    showProblem($("form-error"), problem);
    $("form-error").scrollIntoView({ block: "nearest" });
    return;
  }
  const [slotId, controlOf] = slot;
  showProblem($(slotId), problem);
  if (slotId === "chunk-size-error") $("advanced").open = true;
  const control = controlOf();
  control.setAttribute("aria-invalid", "true");
  control.focus();
}

function contentTypeFor(name) {
  if (/\.gz$/i.test(name)) return "application/octet-stream";
  if (/\.csv$/i.test(name)) return "text/csv";
  if (/\.(sdf|sd|mol)$/i.test(name)) return "chemical/x-mdl-sdfile";
  return "text/plain";
}

function buildSubmission() {
  const parallel = Number(maxParallel.value);
  const chunkText = chunkSize.value.trim();
  const chunk = chunkText === "" ? null : Number(chunkText);

  if (chosenFile || inputKind() === "protein") {
    // Files and pasted FASTA go up as the raw body; the routing and options ride in the query.
    const query = routingQuery();
    query.set("filename", chosenFile ? chosenFile.name : "pasted.fasta");
    query.set("max_parallel", String(parallel));
    if (chunk !== null) query.set("chunk_size", chunkText);
    const body = chosenFile ?? new Blob([textInput.value], { type: "text/plain" });
    return { url: `${API}/requests?${toQuery(query)}`, body, type: chosenFile ? contentTypeFor(chosenFile.name) : "text/plain" };
  }
  const json = { records: pastedLines(), max_parallel: parallel };
  if (chunk !== null) json.chunk_size = Number.isFinite(chunk) ? chunk : chunkText;
  if (routingMode() === "models") {
    json.models = chosenModels();
  } else if (targetSelect.value) {
    json.target = targetSelect.value;
    if (seriesSelect.value) json.series = seriesSelect.value;
  }
  return { url: `${API}/requests`, body: JSON.stringify(json), type: "application/json" };
}

/** XMLHttpRequest rather than fetch: only it reports upload progress, which large files need. */
function send({ url, body, type }, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("Content-Type", type);
    request.setRequestHeader("Accept", "application/json, application/problem+json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      let parsed = null;
      try {
        parsed = JSON.parse(request.responseText);
      } catch {
        parsed = null;
      }
      if (request.status >= 200 && request.status < 300) resolve(parsed);
      else reject(new ProblemError(request.status, parsed ?? { title: `HTTP ${request.status}`, detail: request.responseText.slice(0, 300) }));
    });
    request.addEventListener("error", () =>
      reject(new ProblemError(0, { title: "Network error", detail: "The upload did not reach the server. Check the connection and try again." })),
    );
    request.send(body);
  });
}

async function onSubmit(event) {
  event.preventDefault();
  clearErrors();
  if (!chosenFile && pastedLines().length === 0) {
    placeProblem({ field: "input", detail: "Paste SMILES or FASTA, or choose a file to upload." });
    return;
  }
  submitButton.disabled = true;
  submitStatus.textContent = "Submitting…";
  try {
    const status = await send(buildSubmission(), (fraction) => {
      submitStatus.textContent = fraction < 1 ? `Uploading… ${Math.floor(fraction * 100)}%` : "Reading the input…";
    });
    submitStatus.textContent = "Submitted. Opening the request…";
    location.assign(`/requests/${encodeURIComponent(status.id)}`);
  } catch (error) {
    submitButton.disabled = false;
    submitStatus.textContent = "";
    const problem = error.problem ?? { title: "Error", detail: String(error) };
    if (error.status === 429) refreshQuota();
    placeProblem(problem);
  }
}
