// An interactive scatter plot on a <canvas>, written for the result view: tens of thousands of
// points, zoom and pan by mouse, touch and keyboard, and a tooltip for the point under the
// pointer (or, for keyboard users, the point nearest the centre of the view).
//
// Why it is built this way:
// - Drawing happens at most once per animation frame (requestAnimationFrame), however many
//   pointer events arrive, so dragging stays smooth.
// - Points are bucketed by colour once per data set; each bucket is one path and one fill.
// - Hover hit-testing uses a grid of screen cells rebuilt after each draw, so finding the
//   nearest point looks at a few cells instead of every point.
// - The backing store is sized in device pixels and the context scaled, so lines and text stay
//   sharp on high-density screens; the rest of the code works in CSS pixels.

const MARGIN = { left: 56, right: 16, top: 14, bottom: 46 };
const CELL = 16; // hit-test grid cell, CSS px
const HOVER_RADIUS = 10; // how far from a point the pointer may be, CSS px
const ZOOM_STEP = 1.5;
const TICK_FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
const MAX_CATEGORIES = 9; // more than this and the rest share "other": colours stop being tellable

// Viridis: perceptually even and readable by colour-blind people.
const VIRIDIS = ["#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725"];
const RAMP_STEPS = 32;
// Tableau 10, less its grey, which is kept for "other".
const CATEGORICAL = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"];
const OTHER = "#a5a5a5";
const MISSING = "#d3d3d3";

function mix(a, b, t) {
  const pa = parseInt(a.slice(1), 16);
  const pb = parseInt(b.slice(1), 16);
  const channel = (shift) => Math.round(((pa >> shift) & 255) * (1 - t) + ((pb >> shift) & 255) * t);
  return `rgb(${channel(16)}, ${channel(8)}, ${channel(0)})`;
}

export function rampColor(t) {
  const clamped = Math.max(0, Math.min(1, t));
  const scaled = clamped * (VIRIDIS.length - 1);
  const index = Math.min(VIRIDIS.length - 2, Math.floor(scaled));
  return mix(VIRIDIS[index], VIRIDIS[index + 1], scaled - index);
}

/** Tick positions at 1, 2 or 5 × 10^k, about `count` of them between lo and hi. */
export function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [lo];
  const raw = span / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks = [];
  for (let value = Math.ceil(lo / step) * step; value <= hi + step * 1e-9; value += step) {
    ticks.push(Math.abs(value) < step * 1e-9 ? 0 : value);
    if (ticks.length > 50) break;
  }
  return ticks;
}

export function formatValue(value) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (!Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(2);
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}

function cssVar(name, fallback) {
  const value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return value || fallback;
}

export class ScatterPlot {
  /**
   * @param canvas the <canvas>; it should be focusable (tabindex=0) for keyboard use
   * @param tooltip an absolutely positioned element inside the canvas's positioned parent
   * @param options.legend element to fill with the colour legend
   * @param options.announce visually hidden live region for keyboard users
   */
  constructor(canvas, tooltip, { legend = null, announce = null } = {}) {
    this.canvas = canvas;
    this.tooltip = tooltip;
    this.legend = legend;
    this.announce = announce;
    this.ctx = canvas.getContext("2d");
    this.data = null;
    this.count = 0;
    this.view = { x0: 0, x1: 1, y0: 0, y1: 1 };
    this.home = { ...this.view };
    this.width = 0;
    this.height = 0;
    this.dpr = 1;
    this.frame = 0;
    this.hovered = -1;
    this.keyboardMode = false;
    this.pointers = new Map();
    this.drag = null;
    this.grid = new Map();
    this.screenX = new Float32Array(0);
    this.screenY = new Float32Array(0);
    this.visible = new Uint8Array(0);
    this.bindEvents();
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(canvas);
    this.watchPixelRatio();
    this.resize();
  }

  // ---------- data ----------

  /** Takes the /plot endpoint's answer. `keepView` keeps the zoom when only the colour changed. */
  setData(plot, { keepView = false } = {}) {
    const points = plot.points ?? [];
    const n = points.length;
    this.data = plot;
    this.points = points;
    this.count = n;
    this.xs = new Float64Array(n);
    this.ys = new Float64Array(n);
    this.rowIndex = new Map();
    for (let i = 0; i < n; i += 1) {
      this.xs[i] = Number(points[i].x);
      this.ys[i] = Number(points[i].y);
      this.rowIndex.set(points[i].row, i);
    }
    this.screenX = new Float32Array(n);
    this.screenY = new Float32Array(n);
    this.visible = new Uint8Array(n);
    this.buildColours(plot);
    this.renderLegend(plot);
    this.home = this.dataBounds();
    if (!keepView) this.view = { ...this.home };
    this.hovered = -1;
    this.hideTooltip();
    this.radius = n < 200 ? 4.5 : n < 2000 ? 3.5 : n < 20000 ? 2.6 : 2;
    this.scheduleDraw();
  }

  dataBounds() {
    let x0 = Infinity;
    let x1 = -Infinity;
    let y0 = Infinity;
    let y1 = -Infinity;
    for (let i = 0; i < this.count; i += 1) {
      const x = this.xs[i];
      const y = this.ys[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    if (x0 > x1) return { x0: 0, x1: 1, y0: 0, y1: 1 };
    const pad = (lo, hi) => {
      // A single value (all points equal) still gets a visible range around it.
      const span = hi - lo || Math.abs(lo) * 0.2 || 1;
      return [lo - span * 0.05, hi + span * 0.05];
    };
    [x0, x1] = pad(x0, x1);
    [y0, y1] = pad(y0, y1);
    return { x0, x1, y0, y1 };
  }

  buildColours(plot) {
    const n = this.count;
    const base = cssVar("--accent", "#1f5fbf");
    this.colourOf = new Uint16Array(n);
    this.categories = null;
    this.range = null;
    if (!plot.color || !plot.color_type) {
      this.palette = [base];
    } else if (plot.color_type === "numeric") {
      let lo = Infinity;
      let hi = -Infinity;
      for (const point of this.points) {
        const value = point.color;
        if (typeof value === "number" && Number.isFinite(value)) {
          if (value < lo) lo = value;
          if (value > hi) hi = value;
        }
      }
      if (lo > hi) {
        lo = 0;
        hi = 1;
      }
      this.range = { lo, hi };
      this.palette = Array.from({ length: RAMP_STEPS }, (_, i) => rampColor(i / (RAMP_STEPS - 1)));
      this.palette.push(MISSING);
      const span = hi - lo || 1;
      for (let i = 0; i < n; i += 1) {
        const value = this.points[i].color;
        this.colourOf[i] =
          typeof value === "number" && Number.isFinite(value) ? Math.round(((value - lo) / span) * (RAMP_STEPS - 1)) : RAMP_STEPS;
      }
    } else {
      const counts = new Map();
      for (const point of this.points) {
        const key = point.color === null || point.color === undefined ? null : String(point.color);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      const named = [...counts.entries()].filter(([key]) => key !== null).sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
      const shown = named.length > MAX_CATEGORIES + 1 ? named.slice(0, MAX_CATEGORIES) : named.slice(0, MAX_CATEGORIES + 1);
      const slot = new Map(shown.map(([key], i) => [key, i]));
      this.palette = shown.map((_, i) => CATEGORICAL[i % CATEGORICAL.length]);
      const otherIndex = this.palette.length;
      this.palette.push(OTHER, MISSING);
      let otherCount = 0;
      for (let i = 0; i < n; i += 1) {
        const value = this.points[i].color;
        if (value === null || value === undefined) this.colourOf[i] = otherIndex + 1;
        else if (slot.has(String(value))) this.colourOf[i] = slot.get(String(value));
        else {
          this.colourOf[i] = otherIndex;
          otherCount += 1;
        }
      }
      this.categories = shown.map(([key, count], i) => ({ label: key, count, colour: this.palette[i] }));
      if (otherCount) this.categories.push({ label: `other (${named.length - shown.length} values)`, count: otherCount, colour: OTHER });
      if (counts.has(null)) this.categories.push({ label: "missing", count: counts.get(null), colour: MISSING });
    }
    // Bucket points by colour: one path per colour keeps fills few even for many points.
    const sizes = new Uint32Array(this.palette.length);
    for (let i = 0; i < n; i += 1) sizes[this.colourOf[i]] += 1;
    this.buckets = Array.from(sizes, (size) => new Uint32Array(size));
    const fill = new Uint32Array(this.palette.length);
    for (let i = 0; i < n; i += 1) {
      const c = this.colourOf[i];
      this.buckets[c][fill[c]] = i;
      fill[c] += 1;
    }
  }

  renderLegend(plot) {
    if (!this.legend) return;
    const legend = this.legend;
    legend.replaceChildren();
    if (!plot.color) return;
    const title = document.createElement("strong");
    title.textContent = `${plot.color}:`;
    legend.append(title);
    if (this.range) {
      const lo = document.createElement("span");
      lo.textContent = formatValue(this.range.lo);
      const ramp = document.createElement("span");
      ramp.className = "ramp";
      ramp.style.background = `linear-gradient(to right, ${VIRIDIS.join(", ")})`;
      ramp.setAttribute("role", "img");
      ramp.setAttribute("aria-label", `colour scale from ${formatValue(this.range.lo)} (dark purple) to ${formatValue(this.range.hi)} (yellow)`);
      const hi = document.createElement("span");
      hi.textContent = formatValue(this.range.hi);
      legend.append(lo, ramp, hi);
    } else if (this.categories) {
      for (const category of this.categories) {
        const item = document.createElement("span");
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.background = category.colour;
        const label = category.label.length > 40 ? `${category.label.slice(0, 39)}…` : category.label;
        item.title = category.label;
        item.append(swatch, `${label} (${category.count})`);
        legend.append(item);
      }
    }
  }

  // ---------- geometry ----------

  plotRect() {
    const left = this.marginLeft ?? MARGIN.left;
    return {
      left,
      top: MARGIN.top,
      width: Math.max(10, this.width - left - MARGIN.right),
      height: Math.max(10, this.height - MARGIN.top - MARGIN.bottom),
    };
  }

  toScreen(x, y) {
    const r = this.plotRect();
    const v = this.view;
    return [r.left + ((x - v.x0) / (v.x1 - v.x0)) * r.width, r.top + r.height - ((y - v.y0) / (v.y1 - v.y0)) * r.height];
  }

  toData(sx, sy) {
    const r = this.plotRect();
    const v = this.view;
    return [v.x0 + ((sx - r.left) / r.width) * (v.x1 - v.x0), v.y0 + ((r.top + r.height - sy) / r.height) * (v.y1 - v.y0)];
  }

  /** Zooms by `factor` (> 1 is in) keeping the data point under (sx, sy) in place. */
  zoom(factor, sx = null, sy = null) {
    const r = this.plotRect();
    const ax = sx ?? r.left + r.width / 2;
    const ay = sy ?? r.top + r.height / 2;
    const [dx, dy] = this.toData(ax, ay);
    const v = this.view;
    // Bounded so that floating point keeps distinct pixels apart and the plot never vanishes.
    const homeSpan = this.home.x1 - this.home.x0;
    const nextSpan = (v.x1 - v.x0) / factor;
    if (nextSpan < homeSpan * 1e-6 || nextSpan > homeSpan * 1e3) return;
    this.view = {
      x0: dx - (dx - v.x0) / factor,
      x1: dx + (v.x1 - dx) / factor,
      y0: dy - (dy - v.y0) / factor,
      y1: dy + (v.y1 - dy) / factor,
    };
    this.afterViewChange();
  }

  /** Moves the view by a distance in CSS pixels (content follows the pointer). */
  pan(dxPixels, dyPixels) {
    const r = this.plotRect();
    const v = this.view;
    const ddx = (dxPixels / r.width) * (v.x1 - v.x0);
    const ddy = (dyPixels / r.height) * (v.y1 - v.y0);
    this.view = { x0: v.x0 - ddx, x1: v.x1 - ddx, y0: v.y0 + ddy, y1: v.y1 + ddy };
    this.afterViewChange();
  }

  resetView() {
    this.view = { ...this.home };
    this.afterViewChange();
  }

  afterViewChange() {
    this.scheduleDraw();
    if (this.keyboardMode) this.pendingKeyboardPick = true;
    else {
      this.hovered = -1;
      this.hideTooltip();
    }
  }

  /** Where the point of result row `row` is drawn, in CSS px from the canvas's top-left; null when off view. */
  screenPositionOf(row) {
    const i = this.rowIndex?.get(row);
    if (i === undefined) return null;
    const [sx, sy] = this.toScreen(this.xs[i], this.ys[i]);
    const r = this.plotRect();
    if (sx < r.left || sx > r.left + r.width || sy < r.top || sy > r.top + r.height) return null;
    return { x: sx, y: sy };
  }

  // ---------- drawing ----------

  resize() {
    const rect = this.canvas.getBoundingClientRect();
    this.dpr = window.devicePixelRatio || 1;
    this.width = rect.width;
    this.height = rect.height;
    const w = Math.max(1, Math.round(rect.width * this.dpr));
    const h = Math.max(1, Math.round(rect.height * this.dpr));
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.scheduleDraw();
  }

  watchPixelRatio() {
    // Moving the window to a screen of another density changes devicePixelRatio without a resize.
    const query = matchMedia(`(resolution: ${window.devicePixelRatio || 1}dppx)`);
    query.addEventListener("change", () => {
      this.resize();
      this.watchPixelRatio();
    }, { once: true });
  }

  scheduleDraw() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  draw() {
    const ctx = this.ctx;
    const { width, height } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    const colours = {
      background: cssVar("--surface", "#ffffff"),
      grid: cssVar("--border", "#d9dde4"),
      text: cssVar("--muted", "#5b6576"),
      strong: cssVar("--text", "#1c2330"),
      focus: cssVar("--focus", "#f0a500"),
    };
    ctx.fillStyle = colours.background;
    ctx.fillRect(0, 0, width, height);
    if (!this.data) return;

    this.fitLeftMargin(ctx);
    const r = this.plotRect();
    const v = this.view;
    this.drawAxes(ctx, r, v, colours);

    ctx.save();
    ctx.beginPath();
    ctx.rect(r.left, r.top, r.width, r.height);
    ctx.clip();

    const sxScale = r.width / (v.x1 - v.x0);
    const syScale = r.height / (v.y1 - v.y0);
    const bottom = r.top + r.height;
    const radius = this.radius;
    let drawn = 0;
    for (let c = 0; c < this.buckets.length; c += 1) {
      const bucket = this.buckets[c];
      if (!bucket.length) continue;
      ctx.beginPath();
      for (let k = 0; k < bucket.length; k += 1) {
        const i = bucket[k];
        const sx = r.left + (this.xs[i] - v.x0) * sxScale;
        const sy = bottom - (this.ys[i] - v.y0) * syScale;
        this.screenX[i] = sx;
        this.screenY[i] = sy;
        const inside = sx >= r.left - radius && sx <= r.left + r.width + radius && sy >= r.top - radius && sy <= bottom + radius;
        this.visible[i] = inside ? 1 : 0;
        if (!inside) continue;
        ctx.moveTo(sx + radius, sy);
        ctx.arc(sx, sy, radius, 0, Math.PI * 2);
        drawn += 1;
      }
      ctx.fillStyle = this.palette[c];
      ctx.globalAlpha = 0.78;
      ctx.fill();
    }
    ctx.globalAlpha = 1;

    if (this.keyboardMode && document.activeElement === this.canvas) {
      // The crosshair marks the centre: arrow keys move the data under it.
      const cx = r.left + r.width / 2;
      const cy = r.top + r.height / 2;
      ctx.strokeStyle = colours.focus;
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(cx - 9, cy);
      ctx.lineTo(cx + 9, cy);
      ctx.moveTo(cx, cy - 9);
      ctx.lineTo(cx, cy + 9);
      ctx.stroke();
    }
    ctx.restore();

    this.buildGrid();
    if (this.pendingKeyboardPick) {
      this.pendingKeyboardPick = false;
      this.pickNearestCentre();
    }
    if (this.hovered >= 0 && this.visible[this.hovered]) {
      const sx = this.screenX[this.hovered];
      const sy = this.screenY[this.hovered];
      ctx.beginPath();
      ctx.arc(sx, sy, radius + 3, 0, Math.PI * 2);
      ctx.lineWidth = 2;
      ctx.strokeStyle = colours.strong;
      ctx.stroke();
      this.placeTooltip(sx, sy);
    } else if (this.hovered >= 0) {
      this.hideTooltip();
    }
    this.canvas.dataset.points = String(drawn);
    this.canvas.dataset.total = String(this.count);
  }

  /** Widens the left margin to the longest y tick label, so the axis title never overlaps it. */
  fitLeftMargin(ctx) {
    const height = Math.max(10, this.height - MARGIN.top - MARGIN.bottom);
    const ticks = niceTicks(this.view.y0, this.view.y1, Math.max(2, Math.floor(height / 60)));
    ctx.font = TICK_FONT;
    const widest = Math.max(0, ...ticks.map((tick) => ctx.measureText(formatValue(tick)).width));
    this.marginLeft = Math.max(MARGIN.left, Math.ceil(widest) + 34);
  }

  drawAxes(ctx, r, v, colours) {
    ctx.font = TICK_FONT;
    ctx.lineWidth = 1;
    ctx.strokeStyle = colours.grid;
    ctx.fillStyle = colours.text;
    const xTicks = niceTicks(v.x0, v.x1, Math.max(2, Math.floor(r.width / 90)));
    const yTicks = niceTicks(v.y0, v.y1, Math.max(2, Math.floor(r.height / 60)));
    ctx.beginPath();
    ctx.textAlign = "center";
    ctx.textBaseline = "top";
    for (const tick of xTicks) {
      const [sx] = this.toScreen(tick, 0);
      const px = Math.round(sx) + 0.5;
      ctx.moveTo(px, r.top);
      ctx.lineTo(px, r.top + r.height);
      ctx.fillText(formatValue(tick), sx, r.top + r.height + 6);
    }
    ctx.textAlign = "right";
    ctx.textBaseline = "middle";
    for (const tick of yTicks) {
      const [, sy] = this.toScreen(0, tick);
      const py = Math.round(sy) + 0.5;
      ctx.moveTo(r.left, py);
      ctx.lineTo(r.left + r.width, py);
      ctx.fillText(formatValue(tick), r.left - 6, sy);
    }
    ctx.stroke();
    ctx.strokeRect(r.left + 0.5, r.top + 0.5, r.width - 1, r.height - 1);

    ctx.fillStyle = colours.strong;
    ctx.font = "600 12.5px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    ctx.fillText(this.data.x ?? "x", r.left + r.width / 2, this.height - 4);
    ctx.save();
    ctx.translate(14, r.top + r.height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = "middle";
    ctx.fillText(this.data.y ?? "y", 0, 0);
    ctx.restore();
  }

  // ---------- hit testing ----------

  buildGrid() {
    const grid = new Map();
    const columns = Math.ceil(this.width / CELL) + 1;
    for (let i = 0; i < this.count; i += 1) {
      if (!this.visible[i]) continue;
      const key = Math.floor(this.screenY[i] / CELL) * columns + Math.floor(this.screenX[i] / CELL);
      const cell = grid.get(key);
      if (cell) cell.push(i);
      else grid.set(key, [i]);
    }
    this.grid = grid;
    this.gridColumns = columns;
  }

  /** The index of the drawn point nearest (sx, sy) within `radius` CSS px, or -1. */
  nearest(sx, sy, radius = HOVER_RADIUS) {
    const column = Math.floor(sx / CELL);
    const rowCell = Math.floor(sy / CELL);
    const reach = Math.ceil(radius / CELL);
    let best = -1;
    let bestDistance = radius * radius;
    for (let gy = rowCell - reach; gy <= rowCell + reach; gy += 1) {
      for (let gx = column - reach; gx <= column + reach; gx += 1) {
        if (gx < 0 || gx >= this.gridColumns) continue;
        const cell = this.grid.get(gy * this.gridColumns + gx);
        if (!cell) continue;
        for (const i of cell) {
          const dx = this.screenX[i] - sx;
          const dy = this.screenY[i] - sy;
          const distance = dx * dx + dy * dy;
          if (distance <= bestDistance) {
            bestDistance = distance;
            best = i;
          }
        }
      }
    }
    return best;
  }

  /** Keyboard users have no pointer: the point nearest the crosshair gets the tooltip. */
  pickNearestCentre() {
    const r = this.plotRect();
    const cx = r.left + r.width / 2;
    const cy = r.top + r.height / 2;
    let best = this.nearest(cx, cy, 60);
    if (best < 0) {
      let bestDistance = Infinity;
      for (let i = 0; i < this.count; i += 1) {
        if (!this.visible[i]) continue;
        const distance = (this.screenX[i] - cx) ** 2 + (this.screenY[i] - cy) ** 2;
        if (distance < bestDistance) {
          bestDistance = distance;
          best = i;
        }
      }
    }
    this.setHovered(best);
    if (best >= 0 && this.announce) this.announce.textContent = this.describe(best);
  }

  setHovered(index) {
    if (index === this.hovered) {
      if (index >= 0) this.placeTooltip(this.screenX[index], this.screenY[index]);
      return;
    }
    this.hovered = index;
    if (index < 0) this.hideTooltip();
    this.scheduleDraw();
  }

  describe(i) {
    const point = this.points[i];
    const parts = [`${point.id || `row ${point.row}`}`, `${this.data.x} ${formatValue(point.x)}`, `${this.data.y} ${formatValue(point.y)}`];
    if (this.data.color) parts.push(`${this.data.color} ${formatValue(point.color)}`);
    return parts.join(", ");
  }

  // ---------- tooltip ----------

  placeTooltip(sx, sy) {
    const point = this.points[this.hovered];
    if (!point) return;
    const tip = this.tooltip;
    if (tip.dataset.row !== String(point.row) || tip.dataset.color !== String(this.data.color)) {
      const line = (cls, text) => {
        const div = document.createElement("div");
        if (cls) div.className = cls;
        div.textContent = text;
        return div;
      };
      const input = String(point.input ?? "");
      tip.replaceChildren(
        line("tt-id", point.id ? String(point.id) : `Row ${point.row}`),
        line("tt-input", input.length > 120 ? `${input.slice(0, 117)}…` : input),
        line("", `${this.data.x}: ${formatValue(point.x)}`),
        line("", `${this.data.y}: ${formatValue(point.y)}`),
      );
      if (this.data.color) tip.append(line("", `${this.data.color}: ${formatValue(point.color)}`));
      tip.dataset.row = String(point.row);
      tip.dataset.color = String(this.data.color);
    }
    tip.hidden = false;
    // Beside the point, flipped to the other side near the right or bottom edge.
    const offset = 12;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    let left = sx + offset;
    let top = sy + offset;
    if (left + w > this.width - 4) left = sx - offset - w;
    if (top + h > this.height - 4) top = sy - offset - h;
    tip.style.left = `${Math.max(4, left)}px`;
    tip.style.top = `${Math.max(4, top)}px`;
  }

  hideTooltip() {
    this.tooltip.hidden = true;
    delete this.tooltip.dataset.row;
  }

  // ---------- input ----------

  bindEvents() {
    const canvas = this.canvas;
    const local = (event) => {
      const rect = canvas.getBoundingClientRect();
      return [event.clientX - rect.left, event.clientY - rect.top];
    };

    canvas.addEventListener("pointerdown", (event) => {
      if (event.button !== 0) return;
      this.keyboardMode = false;
      canvas.setPointerCapture(event.pointerId);
      this.pointers.set(event.pointerId, local(event));
      this.drag = { moved: false };
    });
    canvas.addEventListener("pointermove", (event) => {
      const [sx, sy] = local(event);
      if (this.pointers.has(event.pointerId)) {
        const [px, py] = this.pointers.get(event.pointerId);
        if (this.pointers.size === 2) {
          // Pinch: zoom by the change of distance between the two fingers, about their middle.
          const [other] = [...this.pointers.entries()].filter(([id]) => id !== event.pointerId).map(([, p]) => p);
          const before = Math.hypot(px - other[0], py - other[1]);
          const after = Math.hypot(sx - other[0], sy - other[1]);
          this.pointers.set(event.pointerId, [sx, sy]);
          if (before > 0 && after > 0) this.zoom(after / before, (sx + other[0]) / 2, (sy + other[1]) / 2);
          return;
        }
        if (Math.abs(sx - px) + Math.abs(sy - py) > 0) {
          this.drag.moved = true;
          canvas.classList.add("dragging");
          this.pan(sx - px, sy - py);
        }
        this.pointers.set(event.pointerId, [sx, sy]);
        return;
      }
      if (event.pointerType === "mouse" || event.pointerType === "pen") {
        this.keyboardMode = false;
        this.setHovered(this.nearest(sx, sy));
      }
    });
    const release = (event) => {
      if (!this.pointers.has(event.pointerId)) return;
      this.pointers.delete(event.pointerId);
      canvas.classList.remove("dragging");
      if (event.type === "pointerup" && this.drag && !this.drag.moved) {
        // A tap (touch has no hover) shows the tooltip of the point under the finger.
        const [sx, sy] = local(event);
        this.setHovered(this.nearest(sx, sy, event.pointerType === "touch" ? 18 : HOVER_RADIUS));
      }
      if (this.pointers.size === 0) this.drag = null;
    };
    canvas.addEventListener("pointerup", release);
    canvas.addEventListener("pointercancel", release);
    canvas.addEventListener("pointerleave", (event) => {
      if (event.pointerType === "mouse" && !this.pointers.size && !this.keyboardMode) this.setHovered(-1);
    });
    canvas.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const [sx, sy] = local(event);
        // deltaMode 1 is lines (Firefox); scale it to pixels so every wheel zooms alike.
        const delta = event.deltaY * (event.deltaMode === 1 ? 16 : 1);
        this.zoom(Math.exp(-delta * 0.0015), sx, sy);
      },
      { passive: false },
    );
    canvas.addEventListener("dblclick", (event) => {
      const [sx, sy] = local(event);
      this.zoom(event.shiftKey ? 1 / ZOOM_STEP : ZOOM_STEP, sx, sy);
    });

    canvas.addEventListener("keydown", (event) => this.onKey(event));
    canvas.addEventListener("focus", () => {
      // Only a keyboard focus gets the crosshair; a click also focuses the canvas.
      if (canvas.matches(":focus-visible")) {
        this.keyboardMode = true;
        this.pendingKeyboardPick = true;
        this.scheduleDraw();
      }
    });
    canvas.addEventListener("blur", () => {
      this.keyboardMode = false;
      this.setHovered(-1);
      this.scheduleDraw();
    });
  }

  onKey(event) {
    const r = this.plotRect();
    const step = event.shiftKey ? 0.25 : 0.08;
    let handled = true;
    switch (event.key) {
      case "+":
      case "=":
        this.zoom(ZOOM_STEP);
        break;
      case "-":
      case "_":
        this.zoom(1 / ZOOM_STEP);
        break;
      case "ArrowLeft":
        this.pan(r.width * step, 0);
        break;
      case "ArrowRight":
        this.pan(-r.width * step, 0);
        break;
      case "ArrowUp":
        this.pan(0, r.height * step);
        break;
      case "ArrowDown":
        this.pan(0, -r.height * step);
        break;
      case "0":
      case "Home":
        this.resetView();
        break;
      case "Escape":
        this.setHovered(-1);
        break;
      default:
        handled = false;
    }
    if (handled) {
      event.preventDefault();
      if (event.key !== "Escape") {
        this.keyboardMode = true;
        this.pendingKeyboardPick = true;
        this.scheduleDraw();
      }
    }
  }

  destroy() {
    this.resizeObserver.disconnect();
    cancelAnimationFrame(this.frame);
  }
}
