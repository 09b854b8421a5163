// optviz explorer: the numerics. The stepping loop of optviz/run.py (run_one),
// operation for operation in the same order, so that the iterates equal Python's to
// rounding. The update rules (RULES) are generated from the optimizer classes
// (optviz/explore/rules_js.py), the surface's value(x, y) and grad(x, y, out) from its
// Python definition (optviz/explore/translate.py); no formula is written here. The
// page's browser test holds run() to optviz.run_surface.
"use strict";

// x**n for integer n >= 0, rounded once (double-double products), as glibc's pow does
// for Python's float ** int; Math.pow may differ from it in the last bit.
const SPLIT = 134217729; // 2^27 + 1 (Veltkamp)
function twoProd(a, b, out) {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a), al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b), bl = b - bh;
  out[0] = p;
  out[1] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
}
const _tp = [0, 0];
function ddMul(ah, al, bh, bl, out) {
  twoProd(ah, bh, _tp);
  const e = _tp[1] + (ah * bl + al * bh);
  const s = _tp[0] + e;
  out[0] = s;
  out[1] = e - (s - _tp[0]);
}
const _r = [0, 0], _b = [0, 0];
function ipow(x, n) {
  if (n === 0) return 1;
  if (n === 1) return x;
  if (n === 2) return x * x;
  const ax = Math.abs(x);
  if (!(ax > 1e-140 && ax < 1e140)) return Math.pow(x, n);
  _r[0] = 1; _r[1] = 0; _b[0] = x; _b[1] = 0;
  let k = n;
  while (k > 0) {
    if (k & 1) ddMul(_r[0], _r[1], _b[0], _b[1], _r);
    k = Math.floor(k / 2);
    if (k) ddMul(_b[0], _b[1], _b[0], _b[1], _b);
  }
  const r = _r[0] + _r[1];
  return isFinite(r) ? r : Math.pow(x, n);
}
// surfaces._math.divide_or_zero: num / den, and 0 where den == 0.
function divz(n, d) { return d !== 0 ? n / d : 0; }
function npmax(a, b) { return (a !== a || b !== b) ? NaN : (a > b ? a : b); }
function npmin(a, b) { return (a !== a || b !== b) ? NaN : (a < b ? a : b); }

function square(x) { return x * x; }
function npwhere(c, a, b) { return c ? a : b; }
// Python's x ** y: an integer power rounded once (ipow), else Math.pow.
function pypow(x, y) {
  return Number.isInteger(y) && y >= 0 && y <= 64 ? ipow(x, y) : Math.pow(x, y);
}
function anyNonzero(x) { return x !== 0; }

// -- what the translated rules call (optviz/explore/rules_js.py) ----------------------
// RULES[name] = {fields, update(self, w, g, st, alpha), init(self, w), holds(self, f),
// lr(self, st)}: one coordinate at a time; w is a box {v}, st an object of numbers
// (null for an array the state does not hold), self the hyper-parameters.
let TRACE = null; // an object while the page explains a step: the rule's locals
function baseLr(self, t) { return self.lr; }
function freshState(self, fields, holds) {
  const st = { t: 0 };
  for (const f of fields) st[f] = holds(self, f) ? 0 : null;
  return st;
}

// -- the stepping loop (optviz.run.run_one, one start) ---------------------------------
const DIVERGENCE_SPANS = 10.0;

function outside(domain, x, y) {
  const x0 = domain[0][0], x1 = domain[0][1], y0 = domain[1][0], y1 = domain[1][1];
  const margin = DIVERGENCE_SPANS * Math.max(x1 - x0, y1 - y0);
  const inside = x >= x0 - margin && x <= x1 + margin && y >= y0 - margin && y <= y1 + margin;
  return !inside; // NaN compares false: outside
}

// One optimizer from `start` for `steps` steps. Returns typed arrays of length steps+1
// (NaN where Python's records are NaN): x, y, loss, gx, gy, lrx, lry, and the state
// after each step (state.v[2k + i] ...), divergedAt (-1 if none).
function runOne(surface, cfg, start, steps, out) {
  const rule = RULES[cfg.name];
  const hp = cfg.hp;
  const n = steps + 1;
  const T = out && out.x.length === n ? out : {
    x: new Float64Array(n), y: new Float64Array(n), loss: new Float64Array(n),
    gx: new Float64Array(n), gy: new Float64Array(n),
    lrx: new Float64Array(n), lry: new Float64Array(n), state: {},
  };
  T.x.fill(NaN); T.y.fill(NaN); T.loss.fill(NaN); T.gx.fill(NaN); T.gy.fill(NaN);
  T.lrx.fill(NaN); T.lry.fill(NaN);
  const box = [{ v: start[0] }, { v: start[1] }];
  const st = [rule.init(hp, box[0]), rule.init(hp, box[1])];
  const held = rule.fields.filter((f) => st[0][f] !== null);
  T.fields = held;
  for (const f of held) {
    if (!T.state[f] || T.state[f].length !== 2 * n) T.state[f] = new Float64Array(2 * n);
    T.state[f].fill(NaN);
    T.state[f][0] = st[0][f]; T.state[f][1] = st[1][f];
  }
  const w = new Float64Array([start[0], start[1]]);
  const g = new Float64Array(2);
  T.x[0] = w[0]; T.y[0] = w[1];
  T.loss[0] = surface.value(w[0], w[1]);
  T.divergedAt = -1;
  let last = steps;
  for (let k = 1; k <= steps; k++) {
    surface.grad(w[0], w[1], g);
    T.gx[k - 1] = g[0]; T.gy[k - 1] = g[1];
    for (let i = 0; i < 2; i++) {
      st[i].t += 1;
      box[i].v = w[i];
      rule.update(hp, box[i], g[i], st[i], hp.lr);
      w[i] = box[i].v;
    }
    T.lrx[k] = rule.lr(hp, st[0]); T.lry[k] = rule.lr(hp, st[1]);
    for (const f of held) { T.state[f][2 * k] = st[0][f]; T.state[f][2 * k + 1] = st[1][f]; }
    const loss = surface.value(w[0], w[1]);
    if (outside(surface.domain, w[0], w[1]) || !isFinite(loss)) {
      T.divergedAt = k;
      w[0] = NaN; w[1] = NaN;
      T.x[k] = NaN; T.y[k] = NaN;
      last = k;
      break;
    }
    T.x[k] = w[0]; T.y[k] = w[1]; T.loss[k] = loss;
  }
  if (last === steps && T.divergedAt < 0) {
    surface.grad(w[0], w[1], g);
    T.gx[steps] = g[0]; T.gy[steps] = g[1];
  }
  T.last = last;
  T.steps = steps;
  return T;
}

// Step k of a run again, from its recorded state before it, with the rule's locals
// recorded (TRACE): what the page's step explanation shows. Returns, per coordinate,
// {state, locals}: the state after the step and every local the rule assigned.
function replayStep(cfg, T, k) {
  const rule = RULES[cfg.name];
  const w = [T.x[k - 1], T.y[k - 1]], g = [T.gx[k - 1], T.gy[k - 1]];
  const out = [];
  for (let i = 0; i < 2; i++) {
    const st = rule.init(cfg.hp, { v: w[i] });
    for (const f of T.fields) st[f] = T.state[f][2 * (k - 1) + i];
    st.t = k;
    TRACE = {};
    try { rule.update(cfg.hp, { v: w[i] }, g[i], st, cfg.hp.lr); } finally { out.push(TRACE); TRACE = null; }
  }
  return out;
}

// Every optimizer from the same start (optviz.run.run_surface).
function runAll(surface, cfgs, start, steps, reuse) {
  return cfgs.map((cfg, i) => runOne(surface, cfg, start, steps, reuse && reuse[i]));
}
