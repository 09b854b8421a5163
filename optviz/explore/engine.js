// optviz explorer: the numerics. The update rules of optviz/optimizers.py and the
// stepping loop of optviz/run.py (run_one), operation for operation in the same order,
// so that the iterates equal Python's to rounding. The surface's value(x, y) and
// grad(x, y, out) are generated from the Python definitions (optviz/explore/translate.py).
// The page's browser test holds run() to optviz.run_surface.
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

// -- the update rules: state fields are the notes' symbols, one Float64Array(2) each --
// Each rule: fields (the state it keeps), init(st, hp), update(w, g, st, t, hp),
// lr(st, t, hp) = the effective learning rate of coordinate i (optimizer.effective_lr()).
const RULES = {};

RULES.sgd = {
  fields: [],
  init() {},
  update(w, g, st, t, hp) {
    const alpha = hp.lr;
    for (let i = 0; i < 2; i++) w[i] -= alpha * g[i];
  },
  lr(st, t, hp, i) { return hp.lr; },
};

RULES.momentum = {
  fields: ["v", "b"],
  init(st) {},
  update(w, g, st, t, hp) {
    const alpha = hp.lr, beta = hp.momentum;
    for (let i = 0; i < 2; i++) {
      if (hp.form === "notes") {
        st.v[i] = beta * st.v[i] - alpha * g[i];
        if (hp.nesterov) w[i] += beta * st.v[i] - alpha * g[i];
        else w[i] += st.v[i];
      } else {
        // torch.optim.SGD: the first buffer is g itself
        st.b[i] = t > 1 ? beta * st.b[i] + g[i] : g[i];
        const d = hp.nesterov ? g[i] + beta * st.b[i] : st.b[i];
        st.v[i] = -(alpha * d);
        w[i] -= alpha * d;
      }
    }
  },
  lr(st, t, hp) { return hp.lr; },
};
RULES.nesterov = RULES.momentum;

function denominator(r, hp) {
  const delta = hp.eps;
  return hp.eps_inside_sqrt ? Math.sqrt(r + delta) : Math.sqrt(r) + delta;
}

RULES.adagrad = {
  fields: ["r"],
  init(st, hp) { for (let i = 0; i < 2; i++) st.r[i] = 0 + hp.initial_accumulator_value; },
  update(w, g, st, t, hp) {
    const alpha = hp.lr;
    for (let i = 0; i < 2; i++) {
      st.r[i] = st.r[i] + g[i] * g[i];
      w[i] -= alpha * g[i] / denominator(st.r[i], hp);
    }
  },
  lr(st, t, hp, i) { return hp.lr / denominator(st.r[i], hp); },
};

function rmsDen(st, hp, i) {
  const r = hp.centered ? st.r[i] - st.s[i] * st.s[i] : st.r[i];
  return denominator(r, hp);
}
RULES.rmsprop = {
  fields: ["r", "s", "b"],
  init() {},
  update(w, g, st, t, hp) {
    const alpha = hp.lr, rho = hp.rho;
    for (let i = 0; i < 2; i++) {
      st.r[i] = rho * st.r[i] + (1 - rho) * g[i] * g[i];
      if (hp.centered) st.s[i] = rho * st.s[i] + (1 - rho) * g[i];
      if (!(hp.momentum > 0)) {
        w[i] -= alpha * g[i] / rmsDen(st, hp, i);
      } else {
        st.b[i] = hp.momentum * st.b[i] + g[i] / rmsDen(st, hp, i);
        w[i] -= alpha * st.b[i];
      }
    }
  },
  lr(st, t, hp, i) { return hp.lr / rmsDen(st, hp, i); },
};

function corrections(t, hp) {
  if (!hp.bias_correction) return [1.0, 1.0];
  return [1 - ipow(hp.betas[0], t), 1 - ipow(hp.betas[1], t)];
}
function adamDen(st, t, hp, i) {
  const r = hp.amsgrad ? st.r_max[i] : st.r[i];
  const rHat = r / corrections(t, hp)[1];
  return hp.eps_inside_sqrt ? Math.sqrt(rHat + hp.eps) : Math.sqrt(rHat) + hp.eps;
}
RULES.adam = {
  fields: ["s", "r", "r_max"],
  init() {},
  update(w, g0, st, t, hp) {
    const alpha = hp.lr, rho1 = hp.betas[0], rho2 = hp.betas[1], lam = hp.weight_decay;
    const c = corrections(t, hp);
    for (let i = 0; i < 2; i++) {
      let g = g0[i];
      if (hp.decoupled) w[i] *= 1 - alpha * lam; // AdamW
      else if (lam !== 0) g = g + lam * w[i]; // Adam: L2 added to the gradient
      st.s[i] = rho1 * st.s[i] + (1 - rho1) * g;
      st.r[i] = rho2 * st.r[i] + (1 - rho2) * g * g;
      if (hp.amsgrad) st.r_max[i] = npmax(st.r_max[i], st.r[i]);
      const sHat = st.s[i] / c[0];
      w[i] -= alpha * sHat / adamDen(st, t, hp, i);
    }
  },
  lr(st, t, hp, i) { return hp.lr / adamDen(st, t, hp, i); },
};
RULES.adamw = RULES.adam;

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
  const st = {};
  for (const f of rule.fields) {
    st[f] = new Float64Array(2);
    if (!T.state[f] || T.state[f].length !== 2 * n) T.state[f] = new Float64Array(2 * n);
    T.state[f].fill(NaN);
  }
  rule.init(st, hp);
  for (const f of rule.fields) { T.state[f][0] = st[f][0]; T.state[f][1] = st[f][1]; }
  const w = new Float64Array([start[0], start[1]]);
  const g = new Float64Array(2);
  T.x[0] = w[0]; T.y[0] = w[1];
  T.loss[0] = surface.value(w[0], w[1]);
  T.divergedAt = -1;
  let last = steps;
  for (let k = 1; k <= steps; k++) {
    surface.grad(w[0], w[1], g);
    T.gx[k - 1] = g[0]; T.gy[k - 1] = g[1];
    rule.update(w, g, st, k, hp);
    T.lrx[k] = rule.lr(st, k, hp, 0); T.lry[k] = rule.lr(st, k, hp, 1);
    for (const f of rule.fields) { T.state[f][2 * k] = st[f][0]; T.state[f][2 * k + 1] = st[f][1]; }
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

// Every optimizer from the same start (optviz.run.run_surface).
function runAll(surface, cfgs, start, steps, reuse) {
  return cfgs.map((cfg, i) => runOne(surface, cfg, start, steps, reuse && reuse[i]));
}
