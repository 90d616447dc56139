#!/usr/bin/python3
"""Golden vectors for gradient clipping, learning-rate schedules and short training runs.

Run from the repository root with Debian's interpreter (it ships torch 1.13 and numpy):

    /usr/bin/python3 tools/golden/generate_training_golden.py

It writes two kinds of files into the conformance module's golden folder, next to
the ones generate_golden.py writes.  It borrows that script's helpers (JSON writing,
float32 formatting, the PyTorch <-> canonical gate-order conversions and the float64
numpy RNN) by importing it; importing it does not run it.

optimizer_extras.json
    A list of optimizer cases shaped like optimizers.json, but each case updates two
    parameter tensors (p0 [8] and p0b [2, 3]) so that clipping by global norm has to
    sum over both.  They cover clipping by global norm (TensorFlow's
    clip_by_global_norm rule, g * c / max(n, c)), clipping by value, both together
    (value first, then norm), and the schedules step, exponential, cosine and linear
    warm-up.  The parameters after each step come from torch.optim.SGD / Adam in
    float32, with torch.nn.utils.clip_grad_value_ for value clipping and torch's
    StepLR / ExponentialLR / CosineAnnealingLR / LinearLR stepped after every update.
    Global-norm clipping is applied to the .grad tensors by this script, because
    torch's clip_grad_norm_ divides by n + 1e-6 rather than by n.

train_*.json
    Four full-batch training steps of the network of the network_* cases (one
    recurrent layer, a dense head on the last step, mean softmax cross-entropy)
    with Adam, SGD with momentum and RMSprop plus global-norm clipping, computed
    with PyTorch autograd and torch.optim in float32.  Each file holds the initial
    parameters, the batch, the loss before each update and the parameters after the
    last update, all in Recurra's canonical layout.

Self-checks (the script fails if one fails):
  * the learning rates torch used equal Recurra's schedule formulas (relative 1e-12);
  * every optimizer case matches a float64 numpy restatement of the clipping rules,
    the schedule formulas and the update rules (1e-5);
  * each clipping case changes the result noticeably if the clipping is dropped,
    applied per tensor, or applied in the other order;
  * every training run matches an independent float64 run: the canonical-layout
    numpy RNN from generate_golden.py, gradients by central finite differences,
    the numpy update rules.

Deterministic: every case draws from its own fixed seed.  See tools/golden/README.md
for the canonical layout.
"""

import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import generate_golden as gg  # noqa: E402  (its main() only runs as a script)

f32_list = gg.f32_list
f32_scalar = gg.f32_scalar
f32 = gg.f32
TORCH_VERSION = gg.TORCH_VERSION

OPT_TOL = 1e-5          # torch float32 vs float64 restatement, optimizer cases
TRAIN_TOL = 1e-5        # the same for the training runs
LR_REL_TOL = 1e-12      # torch's scheduler rates vs Recurra's formulas
DISCRIMINATE = 1e-4     # a misreading of the clipping must move `after` at least this much


# --------------------------------------------------------------------------
# Recurra's rules, restated in float64
# --------------------------------------------------------------------------

def schedule_rate(lr, schedule, t):
    """Recurra's LearningRateSchedule: the rate of update t (1-based)."""
    if schedule is None:
        return lr
    kind = schedule["kind"]
    if kind == "step":
        return lr * schedule["gamma"] ** ((t - 1) // schedule["every"])
    if kind == "exponential":
        return lr * schedule["gamma"] ** (t - 1)
    if kind == "cosine":
        total, lo = schedule["total"], schedule["min"]
        s = min(t - 1, total)
        return lo + (lr - lo) * (1 + math.cos(math.pi * s / total)) / 2
    if kind == "warmup":    # on a constant base rate
        return lr * min(1.0, t / schedule["steps"])
    raise ValueError(kind)


def clip_numpy(grads, clip_value=None, clip_norm=None, order="value_first", per_tensor=False):
    """Clipping of a list of float64 arrays: clamp(g, -v, v), then g * c / max(n, c)
    with n the global norm over every element of every tensor.  order / per_tensor
    select the misreadings used by the discrimination checks."""
    grads = [np.array(g, dtype=np.float64) for g in grads]

    def by_value(gs):
        return [np.clip(g, -clip_value, clip_value) for g in gs]

    def by_norm(gs):
        if per_tensor:
            return [g * clip_norm / max(float(np.sqrt(np.sum(g * g))), clip_norm) for g in gs]
        n = math.sqrt(sum(float(np.sum(g * g)) for g in gs))
        return [g * clip_norm / max(n, clip_norm) for g in gs]

    steps = []
    if clip_value is not None:
        steps.append(by_value)
    if clip_norm is not None:
        steps.append(by_norm)
    if order == "norm_first":
        steps.reverse()
    for s in steps:
        grads = s(grads)
    return grads


class NumpyOptimizer:
    """Float64 restatement of the update rules (PyTorch 1.13 single-tensor paths, as
    documented in tools/golden/README.md and Recurra's optimizer Javadoc)."""

    def __init__(self, hp, params):
        self.hp = hp
        self.state = [dict(m=np.zeros_like(p), v=np.zeros_like(p), buf=None) for p in params]

    def step(self, params, grads, lr, t):
        hp = self.hp
        out = []
        for p, g, st in zip(params, grads, self.state):
            kind = hp["optimizer"]
            if kind == "sgd":
                mu = hp.get("momentum", 0.0)
                d = g
                if mu != 0:
                    st["buf"] = d.copy() if st["buf"] is None else mu * st["buf"] + d
                    d = st["buf"]
                p = p - lr * d
            elif kind == "adam":
                b1, b2, eps = hp["beta1"], hp["beta2"], hp["eps"]
                st["m"] = b1 * st["m"] + (1 - b1) * g
                st["v"] = b2 * st["v"] + (1 - b2) * g * g
                denom = np.sqrt(st["v"]) / math.sqrt(1 - b2 ** t) + eps
                p = p - (lr / (1 - b1 ** t)) * st["m"] / denom
            elif kind == "rmsprop":
                alpha, eps = hp["alpha"], hp["eps"]
                assert hp.get("momentum", 0) == 0 and not hp.get("centered", False)
                st["v"] = alpha * st["v"] + (1 - alpha) * g * g
                p = p - lr * g / (np.sqrt(st["v"]) + eps)
            else:
                raise ValueError(kind)
            out.append(p)
        return out


def optimizer_fields(kind, hp):
    """The hyper-parameter fields, named as in optimizers.json (float64 values)."""
    if kind == "sgd":
        fields = {"lr": hp["lr"]}
        if hp.get("momentum", 0) != 0:
            fields.update({"momentum": hp["momentum"], "dampening": 0.0, "weightDecay": 0.0,
                           "nesterov": False})
        return fields
    if kind == "adam":
        return {"lr": hp["lr"], "beta1": hp["beta1"], "beta2": hp["beta2"], "eps": hp["eps"]}
    return {"lr": hp["lr"], "alpha": hp["alpha"], "eps": hp["eps"], "momentum": 0.0,
            "centered": False, "weightDecay": 0.0}


def make_torch_optimizer(hp, params):
    kind = hp["optimizer"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=hp["lr"], momentum=hp.get("momentum", 0.0)), \
            "torch.optim.SGD(lr=%r, momentum=%r)" % (hp["lr"], hp.get("momentum", 0.0))
    if kind == "adam":
        return torch.optim.Adam(params, lr=hp["lr"], betas=(hp["beta1"], hp["beta2"]),
                                eps=hp["eps"]), \
            "torch.optim.Adam(lr=%r, betas=(%r, %r), eps=%r)" % (
                hp["lr"], hp["beta1"], hp["beta2"], hp["eps"])
    return torch.optim.RMSprop(params, lr=hp["lr"], alpha=hp["alpha"], eps=hp["eps"]), \
        "torch.optim.RMSprop(lr=%r, alpha=%r, eps=%r)" % (hp["lr"], hp["alpha"], hp["eps"])


def make_torch_scheduler(opt, schedule):
    if schedule is None:
        return None, None
    kind = schedule["kind"]
    if kind == "step":
        return (torch.optim.lr_scheduler.StepLR(opt, step_size=schedule["every"],
                                                gamma=schedule["gamma"]),
                "StepLR(step_size=%d, gamma=%r)" % (schedule["every"], schedule["gamma"]))
    if kind == "exponential":
        return (torch.optim.lr_scheduler.ExponentialLR(opt, gamma=schedule["gamma"]),
                "ExponentialLR(gamma=%r)" % schedule["gamma"])
    if kind == "cosine":
        return (torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=schedule["total"],
                                                           eta_min=schedule["min"]),
                "CosineAnnealingLR(T_max=%d, eta_min=%r)" % (schedule["total"], schedule["min"]))
    if kind == "warmup":
        w = schedule["steps"]
        return (torch.optim.lr_scheduler.LinearLR(opt, start_factor=1.0 / w, end_factor=1.0,
                                                  total_iters=w - 1),
                "LinearLR(start_factor=1/%d, end_factor=1.0, total_iters=%d)" % (w, w - 1))
    raise ValueError(kind)


def clip_torch_(params, clip_value, clip_norm):
    """Clips the .grad tensors in place; returns the global norm before clipping.

    By value: torch.nn.utils.clip_grad_value_ (clamp to [-v, v]).
    By global norm: n in float64 over every element of every tensor, and if n > c,
    g <- float32(g * (c / n)) with the product taken in float64 (Recurra's rule;
    torch's clip_grad_norm_ would use c / (n + 1e-6))."""
    def global_norm():
        return math.sqrt(sum(float(torch.sum(p.grad.double() ** 2)) for p in params))
    before = global_norm()
    if clip_value is not None:
        torch.nn.utils.clip_grad_value_(params, clip_value)
    if clip_norm is not None:
        n = global_norm()
        if n > clip_norm:
            coef = clip_norm / n
            for p in params:
                p.grad = (p.grad.double() * coef).to(torch.float32)
    return before


def check_lr(name, t, used, schedule, lr):
    want = schedule_rate(lr, schedule, t)
    rel = abs(used - want) / abs(want)
    assert rel <= LR_REL_TOL, "%s step %d: torch used lr %r, Recurra's formula gives %r" % (
        name, t, used, want)
    return rel


# --------------------------------------------------------------------------
# 1. optimizer_extras.json
# --------------------------------------------------------------------------

P0 = gg.P0                                        # [8], as in optimizers.json
P0B = [[0.25, -0.75, 1.5], [-0.3, 0.05, 2.25]]    # [2, 3]


def scaled(rng, norm, scale=None):
    """Gradients for both tensors: normal draws scaled to the given global norm
    (or multiplied by `scale`), rounded to float32."""
    g = rng.standard_normal(8)
    gb = rng.standard_normal((2, 3))
    if norm is not None:
        s = norm / math.sqrt(float(np.sum(g * g) + np.sum(gb * gb)))
    else:
        s = scale
    return f32(g * s), f32(gb * s)


ADAM_HP = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-8}

# name, optimizer hyper-parameters, clipping, schedule, seed, gradients
# gradients: ("norms", [global norm per step]) or ("scale", [std dev per step])
EXTRA_SPECS = [
    ("sgd_clip_norm", dict(optimizer="sgd", lr=0.1), dict(clipNorm=1.0), None, 7101,
     ("norms", [5.0, 0.3, 4.5])),
    ("adam_clip_norm", dict(optimizer="adam", lr=0.01, **ADAM_HP), dict(clipNorm=0.5), None, 7102,
     ("norms", [2.0, 0.3, 3.0, 0.45])),
    ("sgd_clip_value", dict(optimizer="sgd", lr=0.1), dict(clipValue=0.05), None, 7103,
     ("scale", [0.08, 0.05, 0.1])),
    ("adam_clip_value", dict(optimizer="adam", lr=0.01, **ADAM_HP), dict(clipValue=0.1), None,
     7104, ("scale", [0.15, 0.3, 0.05, 0.2])),
    ("sgd_clip_value_and_norm", dict(optimizer="sgd", lr=0.1), dict(clipValue=0.1, clipNorm=0.25),
     None, 7105, ("scale", [0.5, 0.12, 0.03, 1.0])),
    ("sgd_schedule_step", dict(optimizer="sgd", lr=1.0), {}, {"kind": "step", "every": 2, "gamma": 0.5},
     7106, ("scale", [1.0] * 6)),
    ("sgd_schedule_exponential", dict(optimizer="sgd", lr=1.0), {},
     {"kind": "exponential", "gamma": 0.9}, 7107, ("scale", [1.0] * 6)),
    # Only t = 1 .. total + 1: afterwards Recurra holds the rate at min, while torch's
    # CosineAnnealingLR rises again (it is periodic).
    ("sgd_schedule_cosine", dict(optimizer="sgd", lr=1.0), {},
     {"kind": "cosine", "total": 4, "min": 0.01}, 7108, ("scale", [1.0] * 5)),
    ("sgd_schedule_warmup", dict(optimizer="sgd", lr=1.0), {}, {"kind": "warmup", "steps": 3},
     7109, ("scale", [1.0] * 6)),
    ("adam_schedule_step", dict(optimizer="adam", lr=0.01, **ADAM_HP), {},
     {"kind": "step", "every": 2, "gamma": 0.5}, 7110, ("scale", [1.0, 0.5, 2.0, 1.0, 0.3, 1.5])),
]


def run_extra_torch(hp, clip, schedule, grads, grads_b, name):
    p = torch.nn.Parameter(torch.tensor(P0, dtype=torch.float32))
    q = torch.nn.Parameter(torch.tensor(P0B, dtype=torch.float32))
    opt, opt_src = make_torch_optimizer(hp, [p, q])
    sched, sched_src = make_torch_scheduler(opt, schedule)
    after, after_b, lrs, norms = [], [], [], []
    for t, (g, gb) in enumerate(zip(grads, grads_b), start=1):
        opt.zero_grad()
        p.grad = torch.tensor(g, dtype=torch.float32)
        q.grad = torch.tensor(gb, dtype=torch.float32)
        norms.append(clip_torch_([p, q], clip.get("clipValue"), clip.get("clipNorm")))
        lr = opt.param_groups[0]["lr"]
        check_lr(name, t, lr, schedule, hp["lr"])
        lrs.append(lr)
        opt.step()
        if sched is not None:
            sched.step()
        after.append(p.detach().numpy().copy())
        after_b.append(q.detach().numpy().copy())
    return after, after_b, lrs, norms, opt_src, sched_src


def run_extra_numpy(hp, clip, schedule, grads, grads_b, **clip_kw):
    params = [np.array(P0, np.float64), np.array(P0B, np.float64)]
    opt = NumpyOptimizer(hp, params)
    after, after_b = [], []
    for t, (g, gb) in enumerate(zip(grads, grads_b), start=1):
        cg = clip_numpy([g, gb], clip.get("clipValue"), clip.get("clipNorm"), **clip_kw)
        params = opt.step(params, cg, schedule_rate(hp["lr"], schedule, t), t)
        after.append(params[0])
        after_b.append(params[1])
    return after, after_b


def max_diff(a_list, b_list):
    return max(float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))
               for a, b in zip(a_list, b_list))


def torch_clip_grad_norm_gap(clip_norm, grads, grads_b):
    """Largest |difference| between torch.nn.utils.clip_grad_norm_'s clipped gradient and
    Recurra's rule, over the steps (for the record)."""
    worst = 0.0
    for g, gb in zip(grads, grads_b):
        p = torch.nn.Parameter(torch.zeros(8))
        q = torch.nn.Parameter(torch.zeros(2, 3))
        p.grad = torch.tensor(g)
        q.grad = torch.tensor(gb)
        torch.nn.utils.clip_grad_norm_([p, q], clip_norm)
        ref = clip_numpy([g, gb], None, clip_norm)
        worst = max(worst, float(np.max(np.abs(p.grad.numpy() - ref[0]))),
                    float(np.max(np.abs(q.grad.numpy() - ref[1]))))
    return worst


def optimizer_extra_cases():
    print("optimizer_extras.json (torch float32 vs float64 restatement; 'alt' = smallest change")
    print("  of `after` when the clipping is dropped / applied per tensor / in the other order):")
    cases = []
    for name, hp, clip, schedule, seed, (how, values) in EXTRA_SPECS:
        rng = np.random.default_rng(seed)
        draws = [scaled(rng, v) if how == "norms" else scaled(rng, None, v) for v in values]
        grads = [g for g, _ in draws]
        grads_b = [gb for _, gb in draws]

        after, after_b, lrs, norms, opt_src, sched_src = run_extra_torch(
            hp, clip, schedule, grads, grads_b, name)
        ref, ref_b = run_extra_numpy(hp, clip, schedule, grads, grads_b)
        d = max(max_diff(after, ref), max_diff(after_b, ref_b))
        assert d < OPT_TOL, "%s: torch differs from the float64 restatement by %g" % (name, d)

        notes = []
        if clip:
            alts = [("no clipping", {"clip": {}})]
            if "clipNorm" in clip:
                alts.append(("per-tensor norm", {"per_tensor": True}))
                n_clipped = sum(1 for n in norms if n > clip["clipNorm"])
                assert 0 < n_clipped < len(norms) or "clipValue" in clip, (name, norms)
                notes.append("norms %s" % ", ".join("%.3g" % n for n in norms))
            if "clipValue" in clip:
                frac = np.mean([np.mean(np.abs(np.concatenate([g.ravel(), gb.ravel()]))
                                        > f32_scalar(clip["clipValue"]))
                                for g, gb in zip(grads, grads_b)])
                notes.append("%.0f%% of elements clamped" % (100 * frac))
            if "clipValue" in clip and "clipNorm" in clip:
                alts.append(("norm before value", {"order": "norm_first"}))
                post = [math.sqrt(sum(float(np.sum(c * c)) for c in clip_numpy(
                    [g, gb], clip["clipValue"], None))) for g, gb in zip(grads, grads_b)]
                n_clipped = sum(1 for n in post if n > clip["clipNorm"])
                assert 0 < n_clipped < len(post), (name, post)
                notes.append("norms after value clipping %s" % ", ".join("%.3g" % n for n in post))
            worst = None
            for label, kw in alts:
                c = kw.pop("clip", clip)
                alt, alt_b = run_extra_numpy(hp, c, schedule, grads, grads_b, **kw)
                dd = max(max_diff(alt, ref), max_diff(alt_b, ref_b))
                assert dd > DISCRIMINATE, "%s does not discriminate '%s' (%g)" % (name, label, dd)
                worst = dd if worst is None else min(worst, dd)
            notes.insert(0, "alt >= %.2g" % worst)
            if "clipNorm" in clip and "clipValue" not in clip:
                notes.append("clip_grad_norm_ gap %.1e" % torch_clip_grad_norm_gap(
                    clip["clipNorm"], grads, grads_b))
        if schedule is not None:
            notes.append("lrs %s" % ", ".join("%.6g" % v for v in lrs))
        print("  %-26s max |diff| = %.2e  %s" % (name, d, "; ".join(notes)))

        src = "%s %s" % (TORCH_VERSION, opt_src)
        if "clipValue" in clip:
            src += ", torch.nn.utils.clip_grad_value_(%r)" % clip["clipValue"]
        if "clipNorm" in clip:
            src += (", global-norm clipping g*c/max(n, c) with c=%r applied to .grad"
                    " (float64 coefficient)" % clip["clipNorm"])
        if sched_src:
            src += ", lr_scheduler.%s stepped after each optimizer.step()" % sched_src
        src += " (float32)"
        case = {"name": name, "source": src, "optimizer": hp["optimizer"]}
        case.update(optimizer_fields(hp["optimizer"], hp))
        if "clipValue" in clip:
            case["clipValue"] = clip["clipValue"]
        if "clipNorm" in clip:
            case["clipNorm"] = clip["clipNorm"]
        if schedule is not None:
            case["schedule"] = dict(schedule)
        case.update({
            "steps": len(grads), "shape": [8], "shapeB": [2, 3],
            "p0": f32_list(P0), "p0b": f32_list(P0B),
            "grads": [f32_list(g) for g in grads], "gradsB": [f32_list(g) for g in grads_b],
            "lrs": [float(v) for v in lrs]})
        if clip:
            case["globalNorms"] = [float(v) for v in norms]
        case.update({"after": [f32_list(a) for a in after],
                     "afterB": [f32_list(a) for a in after_b]})
        cases.append(case)
    gg.write_json("optimizer_extras", cases)


# --------------------------------------------------------------------------
# 2. train_*.json
# --------------------------------------------------------------------------

TRAIN_B, TRAIN_T, TRAIN_I, TRAIN_H, TRAIN_C = 4, 6, 5, 7, 3
TRAIN_STEPS = 4

TRAIN_SPECS = [
    # name, cell, optimizer hyper-parameters, clipNorm, seed
    ("train_lstm_adam", "lstm", dict(optimizer="adam", lr=0.01, **ADAM_HP), None, 8101),
    ("train_gru_sgd_momentum", "gru", dict(optimizer="sgd", lr=0.1, momentum=0.9), None, 8102),
    ("train_rnn_rmsprop_clip", "rnn", dict(optimizer="rmsprop", lr=0.01, alpha=0.99, eps=1e-8),
     0.5, 8103),
]


class Classifier(torch.nn.Module):
    """The network of the network_* cases, in float32."""

    def __init__(self, cell, I, H, C):
        super().__init__()
        self.rnn = gg.make_torch_module(cell, I, H, "tanh", torch.float32)
        self.head = torch.nn.Linear(H, C)

    def forward(self, x):
        y, _ = self.rnn(x)            # zero initial state
        return self.head(y[:, -1, :])


def canonical_params(cell, net):
    W, R, B = gg.module_to_canonical(cell, net.rnn, TRAIN_H)
    return {"W": W, "R": R, "B": B, "headW": net.head.weight.detach().numpy().copy(),
            "headB": net.head.bias.detach().numpy().copy()}


def numpy_loss(cell, p, x, labels):
    """Mean cross-entropy of the canonical-layout network, float64 (generate_golden's
    numpy RNN for the recurrent layer)."""
    prm = {"layer0.W": p["W"][None], "layer0.R": p["R"][None], "layer0.B": p["B"][None]}
    _, hT, _ = gg.np_sequence(cell, "tanh", 1, "forward", x, None, prm)
    logits = hT["layer0"][0] @ p["headW"].T + p["headB"]
    z = logits - logits.max(axis=1, keepdims=True)
    lse = np.log(np.exp(z).sum(axis=1))
    return float(np.mean(lse - z[np.arange(len(labels)), labels]))


def numpy_grads(cell, p, x, labels, eps=1e-6):
    """Central finite differences of numpy_loss in canonical layout."""
    grads = {}
    for k, a in p.items():
        g = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            orig = a[idx]
            a[idx] = orig + eps
            lp = numpy_loss(cell, p, x, labels)
            a[idx] = orig - eps
            lm = numpy_loss(cell, p, x, labels)
            a[idx] = orig
            g[idx] = (lp - lm) / (2 * eps)
        grads[k] = g
    return grads


def numpy_training(cell, hp, clip_norm, p0, x, labels):
    keys = ["W", "R", "B", "headW", "headB"]
    params = [np.array(p0[k], np.float64) for k in keys]
    opt = NumpyOptimizer(hp, params)
    losses, norms = [], []
    for t in range(1, TRAIN_STEPS + 1):
        p = dict(zip(keys, params))
        losses.append(numpy_loss(cell, p, x, labels))
        g = numpy_grads(cell, p, x, labels)
        gl = [g[k] for k in keys]
        norms.append(math.sqrt(sum(float(np.sum(v * v)) for v in gl)))
        gl = clip_numpy(gl, None, clip_norm) if clip_norm is not None else gl
        params = opt.step(params, gl, hp["lr"], t)
    final = dict(zip(keys, params))
    return losses, norms, final, numpy_loss(cell, final, x, labels)


def train_case(name, cell, hp, clip_norm, seed):
    Bsz, T, I, H, C = TRAIN_B, TRAIN_T, TRAIN_I, TRAIN_H, TRAIN_C
    torch.manual_seed(seed)
    net = Classifier(cell, I, H, C)
    with torch.no_grad():
        for prm in net.parameters():
            prm.copy_(torch.empty(prm.shape, dtype=torch.float32).uniform_(-0.5, 0.5))
    x = torch.randn(Bsz, T, I, dtype=torch.float32)
    labels = torch.randint(0, C, (Bsz,))
    p0 = canonical_params(cell, net)

    loss_fn = torch.nn.CrossEntropyLoss()
    params = list(net.parameters())
    opt, opt_src = make_torch_optimizer(hp, params)
    losses, norms = [], []
    for _ in range(TRAIN_STEPS):
        opt.zero_grad()
        loss = loss_fn(net(x), labels)
        losses.append(loss.item())
        loss.backward()
        norms.append(clip_torch_(params, None, clip_norm))
        opt.step()
    with torch.no_grad():
        final_loss = loss_fn(net(x), labels).item()
    p1 = canonical_params(cell, net)

    # Independent float64 run in canonical layout.
    x64 = x.numpy().astype(np.float64)
    lab = labels.numpy()
    r_losses, r_norms, r_final, r_final_loss = numpy_training(cell, hp, clip_norm, p0, x64, lab)
    d_param = max(float(np.max(np.abs(p1[k] - r_final[k]))) for k in p1)
    d_loss = max(abs(a - b) for a, b in zip(losses + [final_loss], r_losses + [r_final_loss]))
    d_norm = max(abs(a - b) / b for a, b in zip(norms, r_norms))
    assert d_param < TRAIN_TOL and d_loss < TRAIN_TOL and d_norm < 1e-4, (
        "%s: torch float32 vs float64 numpy: params %g, losses %g, norms (relative) %g"
        % (name, d_param, d_loss, d_norm))
    moved = max(float(np.max(np.abs(p1[k] - p0[k]))) for k in p1)
    note = ""
    if clip_norm is not None:
        n_clipped = sum(1 for n in norms if n > clip_norm)
        assert n_clipped > 0, "%s: the clipping never acts (norms %s)" % (name, norms)
        _, _, unclipped, _ = numpy_training(cell, hp, None, p0, x64, lab)
        alt = max(float(np.max(np.abs(unclipped[k] - r_final[k]))) for k in p1)
        assert alt > DISCRIMINATE, "%s: clipping changes the result by only %g" % (name, alt)
        note = "; clipped %d of %d steps, without clipping params move by %.2g" % (
            n_clipped, TRAIN_STEPS, alt)
    print("  %-24s losses %s -> %.5f; max |diff| params %.1e, losses %.1e; "
          "params moved up to %.3f; norms %s%s"
          % (name, " ".join("%.5f" % v for v in losses), final_loss, d_param, d_loss, moved,
             " ".join("%.3g" % v for v in norms), note))

    src = ("%s autograd and %s (float32): nn.%s(batch_first=True) -> nn.Linear on the last"
           " time step -> nn.CrossEntropyLoss(mean); %d full-batch steps on the same batch"
           % (TORCH_VERSION, opt_src, cell.upper(), TRAIN_STEPS))
    if clip_norm is not None:
        src += ("; before each step, global-norm clipping g*c/max(n, c) over every parameter"
                " with c=%r (float64 coefficient)" % clip_norm)
    obj = {"name": name, "source": src, "cell": cell,
           "batch": Bsz, "time": T, "input": I, "hidden": H, "classes": C}
    if cell == "rnn":
        obj["activation"] = "tanh"
    if cell == "gru":
        obj["linearBeforeReset"] = True
    if cell == "lstm":
        obj["peepholes"] = False
    obj["optimizer"] = hp["optimizer"]
    obj.update(optimizer_fields(hp["optimizer"], hp))
    if clip_norm is not None:
        obj["clipNorm"] = clip_norm
    obj.update({
        "steps": TRAIN_STEPS,
        "x": f32_list(x.numpy()),
        "labels": [int(v) for v in labels.tolist()],
        "W": f32_list(p0["W"]), "R": f32_list(p0["R"]), "B": f32_list(p0["B"]),
        "headW": f32_list(p0["headW"]), "headB": f32_list(p0["headB"]),
        "losses": [f32_scalar(v) for v in losses],
        "gradNorms": [float(v) for v in norms],
        "finalLoss": f32_scalar(final_loss),
        "afterW": f32_list(p1["W"]), "afterR": f32_list(p1["R"]), "afterB": f32_list(p1["B"]),
        "afterHeadW": f32_list(p1["headW"]), "afterHeadB": f32_list(p1["headB"]),
    })
    gg.write_json(name, obj)


def train_cases():
    print("train_*.json (torch float32 vs float64 numpy RNN + finite-difference gradients + "
          "numpy update rules):")
    for spec in TRAIN_SPECS:
        train_case(*spec)


# --------------------------------------------------------------------------

def main():
    os.makedirs(gg.OUT_DIR, exist_ok=True)
    print("numpy %s, %s, python %s" % (np.__version__, TORCH_VERSION, sys.version.split()[0]))
    optimizer_extra_cases()
    train_cases()
    print("Wrote %d files to %s:" % (len(gg.written), os.path.relpath(gg.OUT_DIR, gg.REPO_ROOT)))
    for path, size in gg.written:
        print("  %-90s %6d bytes" % (path, size))


if __name__ == "__main__":
    main()
