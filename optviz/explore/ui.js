// optviz explorer: the page. Draws what engine.js computes; never steps an optimizer.
"use strict";

const D = JSON.parse(document.getElementById("optviz-data").textContent);
const S = D.surface;

const TEXT = {
  en: {
    title: "optviz explorer",
    hint: "Click or drag on the map to set the start.",
    step: "step t",
    of: "of",
    lossLog: "f − f* (log)", lossPlain: "loss (log)", lossLinear: "f(x, y)",
    lr: "effective learning rate (log)", lrX: "x", lrY: "y",
    show: "show", diverged: "diverged (step {d})", offMap: ", off the map",
    finalLoss: "final f", explainTitle: "The step explained: {name}, t = {t}",
    explainStart: "t = 0 is the start: move the scrubber (or press play) to see a step.",
    explainHidden: "Show an optimizer to see its steps.",
    explainDiverged: "This run diverged at step {d}: no step {t}.",
    pick: "Hover over a path or a card to explain that optimizer.",
    gradient: "gradient", before: "before the step", options: "options",
    eff: "effective learning rate", move: "the step", now: "new point",
    cmdTitle: "Copy the command: reproduce this view",
    copyCli: "copy the commands", copyPy: "copy the Python", copied: "copied",
    words: {},
    footer: "Every path is computed in your browser by the update rules of optviz, " +
      "with the surface's value and gradient translated from its Python definition; " +
      "a browser test holds these iterates to optviz's Python iterates. " +
      "Works offline: this file loads nothing.",
    absent: "Not on this page (each step needs both coordinates at once, and the " +
      "page runs one coordinate at a time; optviz compare and animate draw them): ",
    start: "start",
  },
  zh: {
    title: "optviz 优化器演示",
    hint: "在图上单击或拖动以设置起点。",
    step: "步数 t",
    of: "/",
    lossLog: "f − f*（对数）", lossPlain: "损失（对数）", lossLinear: "f(x, y)",
    lr: "有效学习率（对数）", lrX: "x", lrY: "y",
    show: "显示", diverged: "发散（第 {d} 步）", offMap: "，已出图",
    finalLoss: "最终 f", explainTitle: "这一步的计算：{name}，t = {t}",
    explainStart: "t = 0 是起点：拖动进度条（或播放）查看每一步。",
    explainHidden: "显示一个优化器以查看它的每一步。",
    explainDiverged: "该运行在第 {d} 步发散：没有第 {t} 步。",
    pick: "将鼠标移到路径或卡片上，查看该优化器的计算。",
    gradient: "梯度", before: "这一步之前", options: "选项",
    eff: "有效学习率", move: "这一步的位移", now: "新的位置",
    cmdTitle: "复制命令：重现当前视图",
    copyCli: "复制命令", copyPy: "复制 Python 代码", copied: "已复制",
    // the optimizers' words (their classes' switch labels and `meaning`), translated
    words: {
      "PyTorch form": "PyTorch 形式", "bias correction": "偏差修正", "centered": "中心化",
      "velocity": "速度", "buffer of summed gradients": "梯度累加缓冲",
      "accumulated squared gradient": "累积平方梯度", "moving average of g²": "g² 的滑动平均",
      "moving average of g": "g 的滑动平均", "buffer of scaled gradients": "缩放梯度的缓冲",
      "first moment": "一阶矩", "second moment": "二阶矩", "largest second moment": "最大二阶矩",
      "bias-corrected first moment": "偏差修正后的一阶矩",
      "bias-corrected second moment": "偏差修正后的二阶矩",
    },
    footer: "每条路径都由浏览器按 optviz 的更新规则计算，曲面的函数值与梯度由其 Python " +
      "定义翻译而来；浏览器测试保证这些迭代值与 optviz 的 Python 结果一致。" +
      "离线可用：本文件不加载任何外部资源。",
    absent: "未列出（它们的每一步都同时需要两个坐标，而浏览器里一次只算一个坐标；" +
      "optviz compare 和 animate 可以画出它们）：",
    start: "起点",
  },
};
const L = TEXT[D.lang] || TEXT.en;
const fill = (s, o) => s.replace(/\{(\w+)\}/g, (_, k) => o[k]);
const word = (s) => L.words[s] || s;
// text into HTML: everything a class or a surface brings is shown as text
const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

// -- state --------------------------------------------------------------------------
const cfgs = D.optimizers.map((o) => ({
  label: o.label, name: o.name, title: o.title, color: o.color,
  hp: JSON.parse(JSON.stringify(o.hp)), defaults: o.defaults, visible: true,
  controls: o.controls, rule: o.rule, meaning: o.meaning, symbols: o.symbols,
}));
const view = {
  start: D.start.slice(), steps: D.steps, k: D.steps, selected: 0, playing: false,
  trajs: [], stats: { compute: 0, draw: 0 },
};

function recompute() {
  const t0 = performance.now();
  view.trajs = cfgs.map((c, i) =>
    c.visible ? runOne(SURFACE, c, view.start, view.steps, view.trajs[i]) : view.trajs[i] || null);
  view.stats.compute = performance.now() - t0;
}

// -- geometry -------------------------------------------------------------------------
const MW = D.map.w, MH = D.map.h;
const M = { left: 52, top: 8, right: 10, bottom: 42 };
const [[X0, X1], [Y0, Y1]] = S.domain;
const px = (x) => M.left + (x - X0) / (X1 - X0) * MW;
const py = (y) => M.top + (Y1 - y) / (Y1 - Y0) * MH;
const ux = (p) => X0 + (p - M.left) / MW * (X1 - X0);
const uy = (p) => Y1 - (p - M.top) / MH * (Y1 - Y0);

function setupCanvas(id, w, h) {
  const c = document.getElementById(id);
  const dpr = window.devicePixelRatio || 1;
  c.width = Math.round(w * dpr); c.height = Math.round(h * dpr);
  c.style.width = w + "px"; c.style.height = h + "px";
  const ctx = c.getContext("2d");
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  return ctx;
}
const mapCtx = setupCanvas("map", MW + M.left + M.right, MH + M.top + M.bottom);
const CW = 460, CH = (MH + M.top + M.bottom - 8) / 2;
const lossCtx = setupCanvas("loss", CW, CH);
const lrCtx = setupCanvas("lr", CW, CH);
const background = new Image();
background.onload = () => render();
background.src = D.map.src;

function niceTicks(lo, hi, n) {
  const span = hi - lo, raw = span / n, mag = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= n) || 10 * mag;
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return out;
}
const tickText = (v) => String(Number(v.toPrecision(6)));

// -- the map --------------------------------------------------------------------------
function marker(ctx, x, y, r, fillColor, edge, lw) {
  ctx.beginPath(); ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = fillColor; ctx.fill();
  ctx.lineWidth = lw; ctx.strokeStyle = edge; ctx.stroke();
}
function cross(ctx, x, y, r, color) {
  ctx.save(); ctx.translate(x, y); ctx.rotate(Math.PI / 4);
  ctx.beginPath();
  const a = r * 0.38;
  ctx.moveTo(-a, -r); ctx.lineTo(a, -r); ctx.lineTo(a, -a); ctx.lineTo(r, -a); ctx.lineTo(r, a);
  ctx.lineTo(a, a); ctx.lineTo(a, r); ctx.lineTo(-a, r); ctx.lineTo(-a, a); ctx.lineTo(-r, a);
  ctx.lineTo(-r, -a); ctx.lineTo(-a, -a); ctx.closePath();
  ctx.fillStyle = color; ctx.fill(); ctx.lineWidth = 1.6; ctx.strokeStyle = "#000"; ctx.stroke();
  ctx.restore();
}
function lastFinite(T, upto) {
  for (let j = Math.min(upto, T.steps); j >= 0; j--) if (isFinite(T.x[j]) && isFinite(T.y[j])) return j;
  return 0;
}

function drawMap() {
  const ctx = mapCtx;
  const W = MW + M.left + M.right, H = MH + M.top + M.bottom;
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, W, H);
  if (background.complete && background.naturalWidth) ctx.drawImage(background, M.left, M.top, MW, MH);
  // axes and ticks
  ctx.strokeStyle = "#222"; ctx.lineWidth = 1; ctx.strokeRect(M.left - 0.5, M.top - 0.5, MW + 1, MH + 1);
  ctx.fillStyle = "#222"; ctx.font = "13px 'Optviz CJK Web', DejaVu Sans, Arial, sans-serif";
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const v of niceTicks(X0, X1, 6)) {
    const p = px(v); ctx.beginPath(); ctx.moveTo(p, M.top + MH); ctx.lineTo(p, M.top + MH + 5); ctx.stroke();
    ctx.fillText(tickText(v), p, M.top + MH + 7);
  }
  ctx.fillText("x", M.left + MW / 2, M.top + MH + 24);
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  for (const v of niceTicks(Y0, Y1, 6)) {
    const p = py(v); ctx.beginPath(); ctx.moveTo(M.left - 5, p); ctx.lineTo(M.left, p); ctx.stroke();
    ctx.fillText(tickText(v), M.left - 7, p);
  }
  ctx.save(); ctx.translate(12, M.top + MH / 2); ctx.rotate(-Math.PI / 2);
  ctx.textAlign = "center"; ctx.fillText("y", 0, 0); ctx.restore();
  // paths, clipped to the map
  ctx.save(); ctx.beginPath(); ctx.rect(M.left, M.top, MW, MH); ctx.clip();
  const k = view.k;
  cfgs.forEach((c, i) => {
    const T = view.trajs[i];
    if (!c.visible || !T) return;
    ctx.strokeStyle = c.color; ctx.lineWidth = 3; ctx.lineJoin = "round"; ctx.lineCap = "round";
    ctx.beginPath();
    let pen = false;
    const upto = Math.min(k, T.steps);
    for (let j = 0; j <= upto; j++) {
      const x = T.x[j], y = T.y[j];
      if (!(isFinite(x) && isFinite(y))) { pen = false; continue; }
      // keep far-away points drawable: canvas coordinates stay moderate
      const a = Math.max(-1e5, Math.min(1e5, px(x))), b = Math.max(-1e5, Math.min(1e5, py(y)));
      if (pen) ctx.lineTo(a, b); else { ctx.moveTo(a, b); pen = true; }
    }
    ctx.stroke();
  });
  ctx.restore();
  marker(ctx, px(view.start[0]), py(view.start[1]), 7, "#000", "#fff", 2.8);
  ctx.save(); ctx.beginPath(); ctx.rect(M.left, M.top, MW, MH); ctx.clip();
  cfgs.forEach((c, i) => {
    const T = view.trajs[i];
    if (!c.visible || !T) return;
    const j = lastFinite(T, view.k);
    const diverged = T.divergedAt >= 0 && view.k >= T.divergedAt;
    let hx = px(T.x[j]), hy = py(T.y[j]);
    if (!diverged) { marker(ctx, hx, hy, 6, c.color, "#fff", 2); return; }
    const inset = 17;
    const off = hx < M.left || hx > M.left + MW || hy < M.top || hy > M.top + MH;
    hx = Math.min(Math.max(hx, M.left + inset), M.left + MW - inset);
    hy = Math.min(Math.max(hy, M.top + inset), M.top + MH - inset);
    cross(ctx, hx, hy, 10, c.color);
    const right = hx > M.left + MW / 2, top = hy < M.top + MH / 2;
    ctx.font = "bold 14px 'Optviz CJK Web', DejaVu Sans, Arial, sans-serif"; ctx.fillStyle = c.color;
    ctx.textAlign = right ? "right" : "left"; ctx.textBaseline = top ? "top" : "bottom";
    ctx.fillText(fill(L.diverged, { d: T.divergedAt }) + (off ? L.offMap : ""),
      hx + (right ? -12 : 12), hy + (top ? 12 : -12));
  });
  ctx.restore();
}

// -- the curves -----------------------------------------------------------------------
function lossValues(T) {
  const n = T.steps + 1, out = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const f = T.loss[j];
    if (S.lossMode === "gap") out[j] = Math.max(f - S.minValue, S.gapFloor);
    else out[j] = f;
  }
  return out;
}

function drawChart(ctx, series, opts) {
  const m = { left: 62, right: 22, top: 22, bottom: 34 };
  const w = CW - m.left - m.right, h = CH - m.top - m.bottom;
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, CW, CH);
  let lo = Infinity, hi = -Infinity;
  for (const s of series) for (const v of s.values) {
    if (!isFinite(v) || (opts.log && v <= 0)) continue;
    if (v < lo) lo = v; if (v > hi) hi = v;
  }
  if (!isFinite(lo)) { lo = opts.log ? 1e-3 : 0; hi = opts.log ? 1 : 1; }
  if (opts.log) { lo = Math.log10(lo); hi = Math.log10(hi); }
  if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.05; lo -= pad; hi += pad;
  const n = view.steps;
  const X = (j) => m.left + j / n * w;
  const Y = (v) => m.top + (hi - (opts.log ? Math.log10(v) : v)) / (hi - lo) * h;
  ctx.font = "12px 'Optviz CJK Web', DejaVu Sans, Arial, sans-serif"; ctx.fillStyle = "#222";
  ctx.strokeStyle = "rgba(0,0,0,0.12)"; ctx.lineWidth = 1;
  ctx.textAlign = "right"; ctx.textBaseline = "middle";
  let yt;
  if (opts.log) {
    // every decade (every 2nd, 3rd ... when there are many); 2 and 5 when there are few
    const every = Math.max(1, Math.ceil((hi - lo) / 7));
    const mantissas = hi - lo < 2.5 ? [1, 2, 5] : [1];
    yt = [];
    for (let e = Math.floor(lo); e <= Math.ceil(hi); e++) {
      if (e % every !== 0) continue;
      for (const m of mantissas) yt.push(m * Math.pow(10, e));
    }
  } else yt = niceTicks(lo, hi, 5);
  for (const v of yt) {
    const p = Y(v); if (p < m.top - 1 || p > m.top + h + 1) continue;
    ctx.beginPath(); ctx.moveTo(m.left, p); ctx.lineTo(m.left + w, p); ctx.stroke();
    ctx.fillText(opts.log ? v.toExponential(0).replace("e+", "e") : tickText(v), m.left - 5, p);
  }
  ctx.textAlign = "center"; ctx.textBaseline = "top";
  for (const v of niceTicks(0, n, 6)) {
    const p = X(v); ctx.beginPath(); ctx.moveTo(p, m.top); ctx.lineTo(p, m.top + h); ctx.stroke();
    ctx.fillText(tickText(v), p, m.top + h + 4);
  }
  ctx.fillText(L.step, m.left + w / 2, m.top + h + 18);
  ctx.textAlign = "left"; ctx.textBaseline = "top"; ctx.font = "bold 13px 'Optviz CJK Web', DejaVu Sans, Arial, sans-serif";
  ctx.fillText(opts.title, m.left, 3);
  ctx.strokeStyle = "#222"; ctx.strokeRect(m.left - 0.5, m.top - 0.5, w + 1, h + 1);
  ctx.save(); ctx.beginPath(); ctx.rect(m.left, m.top, w, h); ctx.clip();
  for (const s of series) {
    ctx.strokeStyle = s.color; ctx.lineWidth = 2; ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    let pen = false;
    for (let j = 0; j < s.values.length; j++) {
      const v = s.values[j];
      if (!isFinite(v) || (opts.log && v <= 0)) { pen = false; continue; }
      const a = X(j), b = Math.max(-1e5, Math.min(1e5, Y(v)));
      if (pen) ctx.lineTo(a, b); else { ctx.moveTo(a, b); pen = true; }
    }
    ctx.stroke();
    ctx.setLineDash([]);
    if (s.divergedAt >= 0) {
      let j = s.values.length - 1;
      while (j > 0 && !(isFinite(s.values[j]) && (!opts.log || s.values[j] > 0))) j--;
      cross(ctx, X(j), Y(s.values[j]), 7, s.color);
    }
  }
  ctx.strokeStyle = "#333"; ctx.setLineDash([4, 3]); ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(X(view.k), m.top); ctx.lineTo(X(view.k), m.top + h); ctx.stroke();
  ctx.setLineDash([]);
  for (const s of series) {
    const v = s.values[view.k];
    if (s.dot && isFinite(v) && (!opts.log || v > 0)) marker(ctx, X(view.k), Y(v), 4, s.color, "#fff", 1.5);
  }
  ctx.restore();
}

function drawCurves() {
  const loss = [], lr = [];
  cfgs.forEach((c, i) => {
    const T = view.trajs[i];
    if (!c.visible || !T) return;
    loss.push({ values: lossValues(T), color: c.color, divergedAt: T.divergedAt, dot: true });
    lr.push({ values: T.lrx, color: c.color, divergedAt: -1, dot: true });
    lr.push({ values: T.lry, color: c.color, divergedAt: -1, dash: [6, 4] });
  });
  const title = S.lossMode === "gap" ? L.lossLog : S.lossMode === "log" ? L.lossPlain : L.lossLinear;
  drawChart(lossCtx, loss, { log: S.lossMode !== "linear", title: title });
  drawChart(lrCtx, lr, { log: true, title: L.lr + "   — x   - - y" });
}

// -- the step explained ----------------------------------------------------------------
const fmt = (v) => (v === 0 ? "0" : isFinite(v) ? String(Number(v.toPrecision(6))) : String(v));
function vec(name, a, b) {
  return `<span class="v" data-name="${name}" data-v="${JSON.stringify([a, b])}">(${fmt(a)}, ${fmt(b)})</span>`;
}
function sc(name, a) {
  return `<span class="v" data-name="${name}" data-v="${JSON.stringify([a])}">${fmt(a)}</span>`;
}
// a name of the notes as a symbol: s_hat -> ŝ, r_max -> r<sub>max</sub>
function symbol(name) {
  const m = /^(\w)_hat$/.exec(name);
  if (m) return esc(m[1] + "\u0302");
  const parts = name.split("_");
  return esc(parts[0]) + (parts.length > 1 ? `<sub>${esc(parts.slice(1).join("_"))}</sub>` : "");
}
const RESERVED = new Set(["g", "w", "w_prev", "dw", "f", "lr", "alpha"]);
// Step k of optimizer i: the gradient, the state before and after, and every quantity
// the rule names (its locals, recorded by replaying the step: engine.js replayStep).
function explainData(i, k) {
  const c = cfgs[i], T = view.trajs[i], hp = c.hp;
  const st = (f, j) => [T.state[f][2 * j], T.state[f][2 * j + 1]];
  const d = { t: k, name: c.name, g: [T.gx[k - 1], T.gy[k - 1]],
    w0: [T.x[k - 1], T.y[k - 1]], w: [T.x[k], T.y[k]], lr: [T.lrx[k], T.lry[k]], hp: hp };
  d.dw = [d.w[0] - d.w0[0], d.w[1] - d.w0[1]];
  d.fields = T.fields.slice();
  for (const f of T.fields) { d[f] = st(f, k); d[f + "_prev"] = st(f, k - 1); }
  const traced = replayStep(c, T, k);
  d.locals = {};
  for (const key of Object.keys(traced[0])) {
    if (RESERVED.has(key) || T.fields.includes(key)) continue;
    d.locals[key] = [traced[0][key], traced[1][key]];
  }
  return d;
}

function optionsText(c) {
  const on = [];
  for (const k of c.controls) {
    if (k.kind === "flag" && !!c.hp[k.hp] !== !!c.defaults[k.hp]) on.push(`${word(k.label)}: ${c.hp[k.hp] ? "✓" : "✗"}`);
    if (k.kind === "choice" && c.hp[k.hp] !== c.defaults[k.hp]) on.push(`${word(k.label)}`);
  }
  return on.join(", ");
}

function explainHTML(i, k) {
  const c = cfgs[i], hp = c.hp, T = view.trajs[i];
  let h = `<h3>${fill(L.explainTitle, { name: esc(c.title), t: k })}</h3>`;
  if (k === 0) return h + `<p>${L.explainStart}</p>`;
  if (T.divergedAt >= 0 && k > T.divergedAt) return h + `<p>${fill(L.explainDiverged, { d: T.divergedAt, t: k })}</p>`;
  const d = explainData(i, k);
  const eq = (s) => `<div class="eq">${s}</div>`;
  const num = (s) => `<div class="num">${s}</div>`;
  h += eq(`g = ∇f(w<sub>t−1</sub>) &nbsp; (${L.gradient})`);
  h += num(`w<sub>t−1</sub> = ${vec("w_prev", d.w0[0], d.w0[1])}, &nbsp; g = ${vec("g", d.g[0], d.g[1])}`);
  for (const line of c.rule) h += eq(esc(line));
  const options = optionsText(c);
  if (options) h += num(`${L.options}: ${esc(options)}`);
  const hyper = Object.entries(c.symbols).map(([key, sym]) => {
    const m = /^(\w+)\[(\d+)\]$/.exec(key);
    const v = m ? hp[m[1]][Number(m[2])] : hp[key];
    return `${esc(sym)} = ${sc(key === "lr" ? "alpha" : key, v)}`;
  });
  if (hyper.length) h += num(hyper.join(", &nbsp; "));
  for (const f of d.fields) {
    const meaning = c.meaning[f] ? ` &nbsp; (${esc(word(c.meaning[f]))})` : "";
    h += num(`${symbol(f)}: ${vec(f + "_prev", d[f + "_prev"][0], d[f + "_prev"][1])} → ${vec(f, d[f][0], d[f][1])}${meaning}`);
  }
  for (const [key, v] of Object.entries(d.locals)) {
    if (!c.meaning[key]) continue;
    h += num(`${symbol(key)} = ${vec(key, v[0], v[1])} &nbsp; (${esc(word(c.meaning[key]))})`);
  }
  h += eq(`${L.eff}: ${vec("lr", d.lr[0], d.lr[1])}`);
  h += num(`Δw = ${vec("dw", d.dw[0], d.dw[1])} &nbsp; (${L.move})`);
  h += num(`w<sub>t</sub> = ${vec("w", d.w[0], d.w[1])}, &nbsp; f(w<sub>t</sub>) = ${sc("f", T.loss[k])} &nbsp; (${L.now})`);
  return h;
}

function drawExplain() {
  const el = document.getElementById("explain");
  const i = view.selected;
  if (!cfgs.some((c) => c.visible)) { el.innerHTML = `<p>${L.explainHidden}</p>`; return; }
  if (!cfgs[i] || !cfgs[i].visible || !view.trajs[i]) {
    view.selected = cfgs.findIndex((c) => c.visible);
  }
  el.innerHTML = explainHTML(view.selected, view.k) + `<p class="hint">${L.pick}</p>`;
  el.dataset.optimizer = cfgs[view.selected].label;
  el.dataset.t = view.k;
}

// -- the command -------------------------------------------------------------------------
const num2s = (v) => (Array.isArray(v) ? v.map(num2s).join("/") : typeof v === "number" ? String(v) : String(v));
function specOf(c) {
  const parts = ["lr=" + num2s(c.hp.lr)];
  for (const [key, value] of Object.entries(c.hp)) {
    if (key === "lr") continue;
    if (JSON.stringify(value) === JSON.stringify(c.defaults[key])) continue;
    parts.push(key + "=" + num2s(value));
  }
  return c.name + ":" + parts.join(",");
}
function startText() { return view.start.map((v) => String(v)).join(","); }
function commands() {
  const specs = cfgs.filter((c) => c.visible).map(specOf);
  const os = specs.map((s) => " -o " + s).join("");
  const tail = ` --steps ${view.steps} --start=${startText()}`;
  return {
    compare: `optviz compare ${S.name}${os}${tail}`,
    animate: `optviz animate ${S.name}${os}${tail} --out ${S.name}.gif`,
    explore: `optviz explore ${S.name}${os}${tail} --lang ${D.lang} --out explore.html`,
    python: [
      "import optviz",
      "from optviz.spec import build_optimizers",
      "from optviz.surfaces import get",
      "",
      `surface = get(${JSON.stringify(S.name)})`,
      `specs = [${specs.map((s) => JSON.stringify(s)).join(", ")}]`,
      `optimizers = build_optimizers(specs, surface, steps=${view.steps})`,
      `run = optviz.run_surface(surface, optimizers, start=(${view.start.map(String).join(", ")}), steps=${view.steps})`,
      `# the same page: optviz.explore(${JSON.stringify(S.name)}, specs, start=(${view.start.map(String).join(", ")}), steps=${view.steps})`,
    ].join("\n"),
  };
}
function drawCommand() {
  const c = commands();
  const note = S.registered ? "" : "# this surface is not the registry's: the commands use its name\n";
  document.getElementById("cmd").textContent = note + [c.compare, c.animate, c.explore].join("\n");
  document.getElementById("py").textContent = c.python;
}
// Copy at once where the browser lets a click do so (also from file://, offline);
// otherwise through the asynchronous clipboard. The text stays on the page either way.
function copyText(text) {
  const done = () => {
    const e = document.getElementById("copied");
    e.textContent = L.copied;
    setTimeout(() => { e.textContent = ""; }, 3000);
  };
  const ta = document.createElement("textarea");
  ta.value = text; document.body.appendChild(ta); ta.select();
  let ok = false;
  try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
  ta.remove();
  if (ok) done();
  else if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, () => {});
}

// -- the cards -------------------------------------------------------------------------
// The card's controls come from the optimizer's class (explore/page.py _controls):
// {key, hp, index?, sym, kind: "log" | "fraction" | "flag" | "choice", label}.
const RANGES = { fraction: { lo: 0, hi: 0.9999, step: 0.0001 } };
const control = (c, key) => c.controls.find((k) => k.key === key);
function getHp(c, key) {
  const k = control(c, key) || { hp: key };
  return k.index === undefined ? c.hp[k.hp] : c.hp[k.hp][k.index];
}
function isOn(c, k) { return k.kind === "choice" ? c.hp[k.hp] === k.on : !!c.hp[k.hp]; }
function setHp(i, key, value) {
  const c = cfgs[i];
  const k = control(c, key) || { key: key, hp: key };
  if (k.index !== undefined) {
    const pair = c.hp[k.hp].slice(); pair[k.index] = value; c.hp[k.hp] = pair;
  } else if (k.kind === "choice") c.hp[k.hp] = value ? k.on : k.off;
  else c.hp[k.hp] = value;
  const card = document.querySelector(`.card[data-opt="${i}"]`);
  const input = card.querySelector(`input[data-key="${key}"]`);
  if (input && input.type === "range") {
    input.value = k.kind === "log" ? Math.log10(value) : value;
    card.querySelector(`.val[data-key="${key}"]`).textContent = fmt(value);
  } else if (input) {
    input.checked = isOn(c, k);
  }
  update();
}
function buildCards() {
  const box = document.getElementById("cards");
  cfgs.forEach((c, i) => {
    const card = document.createElement("div");
    card.className = "card"; card.dataset.opt = i; card.style.borderColor = c.color;
    let h = `<h3><input type="checkbox" data-key="visible" checked aria-label="${esc(L.show)}">` +
      `<span class="swatch" style="background:${esc(c.color)}"></span>${esc(c.title)}</h3>`;
    for (const k of c.controls) {
      if (k.kind !== "log" && k.kind !== "fraction") continue;
      const v = getHp(c, k.key), key = esc(k.key);
      const e = Math.log10(v);
      const r = k.kind === "log" ? { lo: Math.floor(e) - 3, hi: Math.ceil(e) + 2, step: 0.01 } : RANGES[k.kind];
      const value = k.kind === "log" ? e : v, lo = r.lo, hi = r.hi, step = r.step;
      h += `<label class="row"><span>${esc(k.sym)}</span><input type="range" data-key="${key}" min="${lo}" max="${hi}" step="${step}" value="${value}">` +
        `<span class="val" data-key="${key}">${fmt(v)}</span></label>`;
    }
    const toggles = c.controls.filter((k) => k.kind === "flag" || k.kind === "choice");
    if (toggles.length) {
      h += '<div class="toggles">';
      for (const k of toggles) {
        h += `<label><input type="checkbox" data-key="${esc(k.key)}" ${isOn(c, k) ? "checked" : ""}> ${esc(word(k.label))}</label>`;
      }
      h += "</div>";
    }
    h += '<div class="status"></div>';
    card.innerHTML = h;
    box.appendChild(card);
    card.addEventListener("mouseenter", () => select(i));
    card.addEventListener("focusin", () => select(i));
    for (const input of card.querySelectorAll("input")) {
      const key = input.dataset.key;
      input.addEventListener("input", () => {
        if (key === "visible") { c.visible = input.checked; update(); return; }
        if (input.type === "checkbox") { setHp(i, key, input.checked); return; }
        const raw = Number(input.value);
        const v = control(c, key).kind === "log" ? Number(Math.pow(10, raw).toPrecision(3)) : Number(raw.toFixed(4));
        setHp(i, key, v);
      });
    }
  });
}
function drawCards() {
  cfgs.forEach((c, i) => {
    const card = document.querySelector(`.card[data-opt="${i}"]`);
    card.classList.toggle("selected", i === view.selected);
    const T = view.trajs[i], status = card.querySelector(".status");
    if (!c.visible || !T) { status.textContent = ""; return; }
    if (T.divergedAt >= 0) { status.textContent = fill(L.diverged, { d: T.divergedAt }); status.style.color = "#b00"; }
    else { status.textContent = `${L.finalLoss} = ${fmt(T.loss[T.steps])}`; status.style.color = "#333"; }
  });
}
function select(i) {
  if (view.selected === i) return;
  view.selected = i; drawCards(); drawExplain();
}

// -- the player --------------------------------------------------------------------------
const scrub = document.getElementById("scrub");
function setK(k) {
  view.k = Math.max(0, Math.min(view.steps, Math.round(k)));
  scrub.value = view.k;
  render();
}
function play() {
  if (view.playing) { view.playing = false; document.getElementById("play").innerHTML = "&#9654;"; return; }
  view.playing = true; document.getElementById("play").innerHTML = "&#10074;&#10074;";
  if (view.k >= view.steps) view.k = 0;
  const stride = Math.max(1, Math.round(view.steps / 240));
  const tick = () => {
    if (!view.playing) return;
    setK(view.k + stride);
    if (view.k >= view.steps) { play(); return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}

// -- drawing everything ------------------------------------------------------------------
function render() {
  const t0 = performance.now();
  drawMap();
  drawCurves();
  drawCards();
  drawExplain();
  document.getElementById("stepinfo").textContent = `${L.step} = ${view.k} ${L.of} ${view.steps}`;
  view.stats.draw = performance.now() - t0;
}
function update() {
  recompute();
  drawCommand();
  render();
}

// -- the start: click or drag -------------------------------------------------------------
function snap(v, span) {
  const digits = Math.max(0, Math.ceil(-Math.log10(span / 2000)));
  return Number(v.toFixed(digits));
}
function setStart(x, y) {
  view.start = [snap(x, X1 - X0), snap(y, Y1 - Y0)];
  update();
}
const mapEl = document.getElementById("map");
let dragging = false, pending = null;
function fromEvent(e) {
  const r = mapEl.getBoundingClientRect();
  const cx = Math.min(Math.max(e.clientX - r.left, M.left), M.left + MW);
  const cy = Math.min(Math.max(e.clientY - r.top, M.top), M.top + MH);
  return [ux(cx), uy(cy)];
}
mapEl.addEventListener("pointerdown", (e) => {
  const r = mapEl.getBoundingClientRect();
  const cx = e.clientX - r.left, cy = e.clientY - r.top;
  if (cx < M.left || cx > M.left + MW || cy < M.top || cy > M.top + MH) return;
  dragging = true; mapEl.setPointerCapture && mapEl.setPointerCapture(e.pointerId);
  setStart(...fromEvent(e));
});
mapEl.addEventListener("pointermove", (e) => {
  if (dragging) {
    const first = pending === null;
    pending = fromEvent(e);
    if (first) requestAnimationFrame(() => { const p = pending; pending = null; if (p) setStart(...p); });
    return;
  }
  // the optimizer under the cursor: the nearest path point up to the scrubbed step
  const r = mapEl.getBoundingClientRect();
  const cx = e.clientX - r.left, cy = e.clientY - r.top;
  let best = -1, bestD = 30 * 30;
  cfgs.forEach((c, i) => {
    const T = view.trajs[i];
    if (!c.visible || !T) return;
    const upto = Math.min(view.k, T.steps);
    for (let j = 0; j <= upto; j++) {
      const dx = px(T.x[j]) - cx, dy = py(T.y[j]) - cy, d2 = dx * dx + dy * dy;
      if (d2 < bestD) { bestD = d2; best = i; }
    }
  });
  if (best >= 0) select(best);
});
const endDrag = () => { dragging = false; };
mapEl.addEventListener("pointerup", endDrag);
mapEl.addEventListener("pointercancel", endDrag);

// -- wiring ------------------------------------------------------------------------------
document.getElementById("title").textContent = `${L.title}: ${S.title}`;
document.getElementById("formula").textContent = `f(x, y) = ${S.formula}`;
document.getElementById("map-hint").textContent = L.hint;
document.getElementById("cmd-title").textContent = L.cmdTitle;
document.getElementById("copy-cli").textContent = L.copyCli;
document.getElementById("copy-py").textContent = L.copyPy;
document.getElementById("footer").textContent = L.footer +
  (D.absent.length ? " " + L.absent + D.absent.join(", ") + "." : "");
document.getElementById("copy-cli").addEventListener("click", () => copyText(document.getElementById("cmd").textContent));
document.getElementById("copy-py").addEventListener("click", () => copyText(document.getElementById("py").textContent));
document.getElementById("play").addEventListener("click", play);
document.getElementById("back").addEventListener("click", () => setK(view.k - 1));
document.getElementById("fwd").addEventListener("click", () => setK(view.k + 1));
scrub.max = view.steps; scrub.value = view.k;
scrub.addEventListener("input", () => setK(Number(scrub.value)));
document.addEventListener("keydown", (e) => {
  if (e.target.tagName === "INPUT" || e.target.tagName === "BUTTON") return;
  if (e.key === " ") { e.preventDefault(); play(); }
  if (e.key === "ArrowRight") setK(view.k + 1);
  if (e.key === "ArrowLeft") setK(view.k - 1);
});
buildCards();
update();
// a Chinese page embeds the glyphs it needs (Optviz CJK Web): the canvases redraw once
// the font is ready, as they may have been drawn before it was
if (document.fonts && D.lang === "zh") {
  document.fonts.load("13px 'Optviz CJK Web'", TEXT.zh.title).then(render, () => {});
}

// -- for tests and benchmarks: the same functions the page uses ---------------------------
window.OPTVIZ = {
  data: D,
  view: view,
  cfgs: cfgs,
  setStart: setStart,
  setHp: setHp,
  setK: setK,
  commands: commands,
  explainData: explainData,
  toPx: (x, y) => [px(x), py(y)],
  run(specCfgs, start, steps) {
    return runAll(SURFACE, specCfgs, start, steps).map((T) => ({
      x: Array.from(T.x), y: Array.from(T.y), loss: Array.from(T.loss),
      lrx: Array.from(T.lrx), lry: Array.from(T.lry), divergedAt: T.divergedAt,
    }));
  },
  surface(points) {
    const g = [0, 0];
    return points.map((p) => [SURFACE.value(p[0], p[1]), ...SURFACE.grad(p[0], p[1], g)]);
  },
  // drag benchmark: n starts along a line, each a full recompute + redraw
  bench(n) {
    const times = [];
    for (let j = 0; j < n; j++) {
      const t0 = performance.now();
      const a = (j + 0.5) / n;
      setStart(X0 + (X1 - X0) * (0.2 + 0.6 * a), Y0 + (Y1 - Y0) * (0.8 - 0.6 * a));
      times.push(performance.now() - t0);
    }
    return times;
  },
};
