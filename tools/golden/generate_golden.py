#!/usr/bin/python3
"""Generate Recurra's golden test vectors from independent implementations.

Run from the repository root with Debian's interpreter (it ships torch and onnx):

    /usr/bin/python3 tools/golden/generate_golden.py

Sources of truth
  * ONNX 1.12's numpy reference helpers (LSTM_Helper, GRU_Helper, RNN_Helper from
    onnx/backend/test/case/node/{lstm,gru,rnn}.py) for the onnx_* cell cases.
  * PyTorch (nn.LSTM / nn.GRU / nn.RNN, autograd, torch.optim) for the torch_*
    cell cases, the network_* gradient cases, optimizers.json, the seq_* sequence
    cases (stacked, reverse, bidirectional, packed variable lengths) and the
    seqnet_* sequence-network gradient cases.
  * Self-checks: an independent float64 numpy implementation of the canonical
    formulas (seq_*, seqnet_* losses), central finite differences (network_*,
    seqnet_*) and float64 restatements of the optimizer update rules.

Every array is written in Recurra's canonical layout (ONNX operator weight layout,
batch-major sequences; single direction for the cell cases, a leading directions
axis for seq_* / seqnet_*); see tools/golden/README.md.
The script is deterministic: every case draws from its own fixed seed.
"""

import json
import os
import subprocess
import sys

import numpy as np
import torch

import onnx
from onnx.backend.test.case.node.gru import GRU_Helper
from onnx.backend.test.case.node.lstm import LSTM_Helper
from onnx.backend.test.case.node.rnn import RNN_Helper

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(
    REPO_ROOT, "conformance", "src", "main", "resources",
    "io", "github", "recurra", "conformance", "golden")

ONNX_SOURCES = {
    "lstm": "onnx %s numpy reference (onnx/backend/test/case/node/lstm.py LSTM_Helper)",
    "gru": "onnx %s numpy reference (onnx/backend/test/case/node/gru.py GRU_Helper)",
    "rnn": "onnx %s numpy reference (onnx/backend/test/case/node/rnn.py RNN_Helper)",
}


def _torch_version():
    """Debian's torch build reports __version__ 1.13.0a0; name the package too."""
    try:
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        deb = ""
    if deb and torch.__file__.startswith("/usr/lib/python3/"):
        return "torch %s (Debian python3-torch %s)" % (torch.__version__, deb)
    return "torch %s" % torch.__version__


TORCH_VERSION = _torch_version()

SELF_CHECK_TOL = 1e-5
MAX_FILE_BYTES = 100 * 1024

torch.set_num_threads(1)  # keeps float32 reductions in a fixed order


# --------------------------------------------------------------------------
# JSON helpers
# --------------------------------------------------------------------------

def f32_list(a):
    """Flatten an array (row-major) into Python floats holding float32 values."""
    flat = np.asarray(a, dtype=np.float64).reshape(-1).astype(np.float32)
    return [float(v) for v in flat]


def f32_scalar(v):
    return float(np.float32(v))


def write_json(name, obj):
    path = os.path.join(OUT_DIR, name + ".json")
    text = json.dumps(obj, indent=1, allow_nan=False)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.write("\n")
    size = os.path.getsize(path)
    if size >= MAX_FILE_BYTES:
        raise SystemExit("%s is %d bytes, over the %d byte limit" % (path, size, MAX_FILE_BYTES))
    written.append((os.path.relpath(path, REPO_ROOT), size))


written = []


def f32(a):
    """Round to float32 (every golden input is exactly representable in float32)."""
    return np.asarray(a, dtype=np.float32)


# --------------------------------------------------------------------------
# Gate-order conversions between PyTorch and the canonical (ONNX) layout
# --------------------------------------------------------------------------
# Canonical block k is PyTorch block TORCH_BLOCK[cell][k].
#   LSTM: torch rows i f g o  -> canonical i o f c   (g is the cell candidate c)
#   GRU : torch rows r z n    -> canonical z r h     (n is the candidate h)
TORCH_BLOCK = {"lstm": [0, 3, 1, 2], "gru": [1, 0, 2], "rnn": [0]}


def torch_to_canonical(cell, a, hidden):
    a = np.asarray(a)
    blocks = [a[k * hidden:(k + 1) * hidden] for k in range(len(TORCH_BLOCK[cell]))]
    return np.concatenate([blocks[k] for k in TORCH_BLOCK[cell]], axis=0)


def canonical_to_torch(cell, a, hidden):
    a = np.asarray(a)
    order = TORCH_BLOCK[cell]
    out = [None] * len(order)
    for canon_pos, torch_pos in enumerate(order):
        out[torch_pos] = a[canon_pos * hidden:(canon_pos + 1) * hidden]
    return np.concatenate(out, axis=0)


def module_to_canonical(cell, mod, hidden):
    """Return W [G*H, I], R [G*H, H], B [2*G*H] of a single-layer torch RNN module."""
    get = lambda t: t.detach().cpu().numpy()
    W = torch_to_canonical(cell, get(mod.weight_ih_l0), hidden)
    R = torch_to_canonical(cell, get(mod.weight_hh_l0), hidden)
    B = np.concatenate([torch_to_canonical(cell, get(mod.bias_ih_l0), hidden),
                        torch_to_canonical(cell, get(mod.bias_hh_l0), hidden)])
    return W, R, B


def grads_to_canonical(cell, mod, hidden):
    get = lambda t: t.grad.detach().cpu().numpy()
    W = torch_to_canonical(cell, get(mod.weight_ih_l0), hidden)
    R = torch_to_canonical(cell, get(mod.weight_hh_l0), hidden)
    B = np.concatenate([torch_to_canonical(cell, get(mod.bias_ih_l0), hidden),
                        torch_to_canonical(cell, get(mod.bias_hh_l0), hidden)])
    return W, R, B


def load_canonical_into_module(cell, mod, W, R, B, hidden):
    gh = W.shape[0]
    with torch.no_grad():
        mod.weight_ih_l0.copy_(torch.from_numpy(canonical_to_torch(cell, W, hidden)))
        mod.weight_hh_l0.copy_(torch.from_numpy(canonical_to_torch(cell, R, hidden)))
        mod.bias_ih_l0.copy_(torch.from_numpy(canonical_to_torch(cell, B[:gh], hidden)))
        mod.bias_hh_l0.copy_(torch.from_numpy(canonical_to_torch(cell, B[gh:], hidden)))


def make_torch_module(cell, inp, hidden, activation="tanh", dtype=torch.float32):
    if cell == "lstm":
        mod = torch.nn.LSTM(inp, hidden, batch_first=True)
    elif cell == "gru":
        mod = torch.nn.GRU(inp, hidden, batch_first=True)
    else:
        mod = torch.nn.RNN(inp, hidden, nonlinearity=activation, batch_first=True)
    return mod.to(dtype)


# --------------------------------------------------------------------------
# Running the ONNX reference helpers
# --------------------------------------------------------------------------

class _LSTMHelperRecordingC(LSTM_Helper):
    """LSTM_Helper only returns Y and Y_h.  Its step() evaluates h(C_t) once per
    time step with the freshly computed cell state, so recording the argument of
    h() gives the final cell state C_T without re-implementing anything."""

    def h(self, x):
        self.last_c = x
        return LSTM_Helper.h(self, x)


def run_onnx_helper(cell, x_bm, W, R, B=None, P=None, h0=None, c0=None, lbr=None):
    """x_bm is batch-major [B, T, I]; returns y [B, T, H], hT [B, H], cT [B, H] or None.

    Inputs are float32 values; the helper is evaluated in float64 on them so the
    golden outputs are the float32-rounded exact results."""
    d = lambda a: np.asarray(a, dtype=np.float64)[np.newaxis]   # add num_directions=1
    params = {"X": np.transpose(d(x_bm)[0], (1, 0, 2)),  # ONNX layout 0: [T, B, I]
              "W": d(W), "R": d(R)}
    if B is not None:
        params["B"] = d(B)
    if h0 is not None:
        params["initial_h"] = d(h0)
    if cell == "lstm":
        if P is not None:
            params["P"] = d(P)
        if c0 is not None:
            params["initial_c"] = d(c0)
        helper = _LSTMHelperRecordingC(**params)
    elif cell == "gru":
        if lbr is not None:
            params["linear_before_reset"] = np.array([lbr])
        helper = GRU_Helper(**params)
    else:
        helper = RNN_Helper(**params)
    Y, Y_h = helper.step()            # Y: [T, 1, B, H], Y_h: [1, B, H]
    y = np.transpose(Y[:, 0], (1, 0, 2))
    hT = Y_h[0]
    assert np.array_equal(hT, y[:, -1, :])
    cT = helper.last_c if cell == "lstm" else None
    return y, hT, cT


def cell_case(name, source, cell, x, W, R, B, y, hT, cT=None, P=None, h0=None, c0=None,
              activation=None, peepholes=None, lbr=None, lengths=None):
    Bsz, T, I = x.shape
    H = R.shape[1]
    obj = {"name": name, "source": source, "cell": cell,
           "batch": int(Bsz), "time": int(T), "input": int(I), "hidden": int(H)}
    if cell == "rnn":
        obj["activation"] = activation
    if cell == "lstm":
        obj["peepholes"] = bool(peepholes)
    if cell == "gru":
        obj["linearBeforeReset"] = bool(lbr)
    obj["x"] = f32_list(x)
    obj["W"] = f32_list(W)
    obj["R"] = f32_list(R)
    obj["B"] = f32_list(B)
    if P is not None:
        obj["P"] = f32_list(P)
    if h0 is not None:
        obj["h0"] = f32_list(h0)
    if c0 is not None:
        obj["c0"] = f32_list(c0)
    if lengths is not None:
        obj["lengths"] = [int(v) for v in lengths]
    obj["y"] = f32_list(y)
    obj["hT"] = f32_list(hT)
    if cell == "lstm":
        obj["cT"] = f32_list(cT)
    write_json(name, obj)
    return obj


def onnx_case(name, cell, x_bm, W, R, B=None, P=None, h0=None, c0=None, lbr=None,
              lengths=None):
    """Run the ONNX helper and write a cell case.  B / P default to zeros like the
    helper does, so the JSON always has explicit B (and P when peepholes are on)."""
    G = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    H = R.shape[1]
    y, hT, cT = run_onnx_helper(cell, x_bm, W, R, B=B, P=P, h0=h0, c0=c0, lbr=lbr)
    B_out = f32(B) if B is not None else np.zeros(2 * G * H, np.float32)
    return cell_case(name, ONNX_SOURCES[cell] % onnx.__version__, cell, x_bm, W, R, B_out,
                     y, hT, cT, P=P, h0=h0, c0=c0,
                     activation="tanh" if cell == "rnn" else None,
                     peepholes=P is not None, lbr=bool(lbr) if cell == "gru" else None,
                     lengths=lengths)


# --------------------------------------------------------------------------
# A. ONNX operator test cases, regenerated with their own inputs
# --------------------------------------------------------------------------

def tm_to_bm(x_tm):
    """ONNX test inputs are time-major [T, B, I]; the golden files are batch-major."""
    return np.ascontiguousarray(np.transpose(f32(x_tm), (1, 0, 2)))


def onnx_operator_cases():
    # LSTM, test_lstm_defaults: X [T=1, B=3, I=2], H=3, W=R=0.1, no B.
    x = tm_to_bm([[[1., 2.], [3., 4.], [5., 6.]]])
    H, I = 3, 2
    onnx_case("onnx_lstm_defaults", "lstm", x,
              f32(0.1 * np.ones((4 * H, I))), f32(0.1 * np.ones((4 * H, H))))

    # LSTM, test_lstm_with_initial_bias: X [1, 3, 3], H=4, Wb=0.1, Rb=0.
    x = tm_to_bm([[[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]]])
    H, I = 4, 3
    B = np.concatenate([0.1 * np.ones(4 * H), np.zeros(4 * H)])
    onnx_case("onnx_lstm_initial_bias", "lstm", x,
              f32(0.1 * np.ones((4 * H, I))), f32(0.1 * np.ones((4 * H, H))), B=f32(B))

    # LSTM, test_lstm_with_peepholes: X [1, 2, 4], H=3, B=0, P=0.1, zero initial h/c.
    x = tm_to_bm([[[1., 2., 3., 4.], [5., 6., 7., 8.]]])
    H, I, Bsz = 3, 4, 2
    zeros_state = np.zeros((Bsz, H), np.float32)
    onnx_case("onnx_lstm_peepholes", "lstm", x,
              f32(0.1 * np.ones((4 * H, I))), f32(0.1 * np.ones((4 * H, H))),
              B=np.zeros(8 * H, np.float32), P=f32(0.1 * np.ones(3 * H)),
              h0=zeros_state, c0=zeros_state)

    # GRU, test_gru_defaults: X [1, 3, 2], H=5, W=R=0.1.
    x = tm_to_bm([[[1., 2.], [3., 4.], [5., 6.]]])
    H, I = 5, 2
    onnx_case("onnx_gru_defaults", "gru", x,
              f32(0.1 * np.ones((3 * H, I))), f32(0.1 * np.ones((3 * H, H))), lbr=0)

    # GRU, test_gru_with_initial_bias: X [1, 3, 3], H=3, Wb=0.1, Rb=0.
    x = tm_to_bm([[[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]]])
    H, I = 3, 3
    B = np.concatenate([0.1 * np.ones(3 * H), np.zeros(3 * H)])
    onnx_case("onnx_gru_initial_bias", "gru", x,
              f32(0.1 * np.ones((3 * H, I))), f32(0.1 * np.ones((3 * H, H))), B=f32(B), lbr=0)

    # GRU, test_gru_seq_length: X [T=2, B=3, I=3], H=5, randn W, R, B.  The ONNX
    # test draws them from the unseeded global generator; we seed our own.  Neither
    # the node nor the helper receives sequence_lens there, so every example runs
    # the full T steps: lengths = [T] * B.
    x_tm = [[[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]],
            [[10., 11., 12.], [13., 14., 15.], [16., 17., 18.]]]
    x = tm_to_bm(x_tm)
    H, I = 5, 3
    rng = np.random.RandomState(1201)
    W = f32(rng.randn(3 * H, I))
    R = f32(rng.randn(3 * H, H))
    B = f32(np.concatenate([rng.randn(3 * H), rng.randn(3 * H)]))
    onnx_case("onnx_gru_seq_length", "gru", x, W, R, B=B, lbr=0,
              lengths=[x.shape[1]] * x.shape[0])

    # GRU linear_before_reset: ONNX 1.12 has no operator test for it, so run the
    # helper with linear_before_reset=1 on the seq-length inputs above (T=2 and a
    # non-zero recurrent bias are needed for the two formulas to differ).
    y_lbr = onnx_case("onnx_gru_linear_before_reset", "gru", x, W, R, B=B, lbr=1)["y"]
    y_def = run_onnx_helper("gru", x, W, R, B=B, lbr=0)[0]
    diff = np.max(np.abs(np.asarray(y_lbr) - y_def.reshape(-1)))
    assert diff > 1e-3, "linear_before_reset case does not discriminate (%g)" % diff
    print("onnx_gru_linear_before_reset differs from lbr=0 by up to %.3g" % diff)

    # RNN, test_simple_rnn_defaults: X [1, 3, 2], H=4, W=R=0.1.
    x = tm_to_bm([[[1., 2.], [3., 4.], [5., 6.]]])
    H, I = 4, 2
    onnx_case("onnx_rnn_defaults", "rnn", x,
              f32(0.1 * np.ones((H, I))), f32(0.1 * np.ones((H, H))))

    # RNN, test_simple_rnn_with_initial_bias: X [1, 3, 3], H=5, Wb=0.1, Rb=0.
    x = tm_to_bm([[[1., 2., 3.], [4., 5., 6.], [7., 8., 9.]]])
    H, I = 5, 3
    B = np.concatenate([0.1 * np.ones(H), np.zeros(H)])
    onnx_case("onnx_rnn_initial_bias", "rnn", x,
              f32(0.1 * np.ones((H, I))), f32(0.1 * np.ones((H, H))), B=f32(B))

    # RNN, test_rnn_seq_length: same shape story as the GRU one.
    x = tm_to_bm(x_tm)
    H, I = 5, 3
    rng = np.random.RandomState(1202)
    W = f32(rng.randn(H, I))
    R = f32(rng.randn(H, H))
    B = f32(np.concatenate([rng.randn(H), rng.randn(H)]))
    onnx_case("onnx_rnn_seq_length", "rnn", x, W, R, B=B,
              lengths=[x.shape[1]] * x.shape[0])


# --------------------------------------------------------------------------
# A. Random-weight cases through the ONNX helpers
# --------------------------------------------------------------------------

def random_params(rng, cell, Bsz, T, I, H, peepholes=False):
    G = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
    u = lambda *shape: f32(rng.uniform(-0.5, 0.5, size=shape))
    p = {"x": f32(rng.standard_normal((Bsz, T, I))),
         "W": u(G * H, I), "R": u(G * H, H), "B": u(2 * G * H),
         "h0": f32(rng.standard_normal((Bsz, H)) * 0.5)}
    if cell == "lstm":
        p["c0"] = f32(rng.standard_normal((Bsz, H)) * 0.5)
    if peepholes:
        p["P"] = u(3 * H)
    return p


def onnx_random_cases():
    Bsz, T, I, H = 3, 5, 4, 6
    out = {}
    specs = [("onnx_lstm_random", "lstm", {}, 2101),
             ("onnx_lstm_peepholes_random", "lstm", {"peepholes": True}, 2102),
             ("onnx_gru_random", "gru", {"lbr": 0}, 2103),
             ("onnx_gru_lbr_random", "gru", {"lbr": 1}, 2104),
             ("onnx_rnn_tanh_random", "rnn", {}, 2105)]
    # RNN_Helper hard-codes tanh (it has no 'activations' parameter), so there is no
    # onnx_rnn_relu_random; relu is covered by torch_rnn_relu_random.
    for name, cell, opts, seed in specs:
        rng = np.random.default_rng(seed)
        p = random_params(rng, cell, Bsz, T, I, H, peepholes=opts.get("peepholes", False))
        out[name] = onnx_case(name, cell, p["x"], p["W"], p["R"], B=p["B"], P=p.get("P"),
                              h0=p["h0"], c0=p.get("c0"), lbr=opts.get("lbr"))
    return out


# --------------------------------------------------------------------------
# B. PyTorch cell cases
# --------------------------------------------------------------------------

def run_torch(cell, x, W, R, B, h0, c0=None, activation="tanh", dtype=torch.float32):
    """Run a torch module loaded with canonical weights; returns y, hT, cT (numpy)."""
    Bsz, T, I = x.shape
    H = R.shape[1]
    mod = make_torch_module(cell, I, H, activation, dtype)
    np_dtype = np.float32 if dtype == torch.float32 else np.float64
    load_canonical_into_module(cell, mod, W.astype(np_dtype), R.astype(np_dtype),
                               B.astype(np_dtype), H)
    xt = torch.from_numpy(x.astype(np_dtype))
    ht = torch.from_numpy(h0.astype(np_dtype))[None]
    with torch.no_grad():
        if cell == "lstm":
            ct = torch.from_numpy(c0.astype(np_dtype))[None]
            y, (hT, cT) = mod(xt, (ht, ct))
            return y.numpy(), hT[0].numpy(), cT[0].numpy()
        y, hT = mod(xt, ht)
        return y.numpy(), hT[0].numpy(), None


def torch_cell_cases():
    Bsz, T, I, H = 4, 7, 5, 8
    out = {}
    specs = [("torch_lstm_random", "lstm", "tanh", 3101),
             ("torch_gru_random", "gru", "tanh", 3102),
             ("torch_rnn_tanh_random", "rnn", "tanh", 3103),
             ("torch_rnn_relu_random", "rnn", "relu", 3104)]
    for name, cell, act, seed in specs:
        torch.manual_seed(seed)
        mod = make_torch_module(cell, I, H, act)
        with torch.no_grad():
            for prm in mod.parameters():
                prm.uniform_(-0.5, 0.5)
        x = torch.randn(Bsz, T, I)
        h0 = 0.5 * torch.randn(1, Bsz, H)
        c0 = 0.5 * torch.randn(1, Bsz, H)
        with torch.no_grad():
            if cell == "lstm":
                y, (hT, cT) = mod(x, (h0, c0))
            else:
                y, hT = mod(x, h0)
                cT = None
        W, R, B = module_to_canonical(cell, mod, H)
        # Round-trip check of the layout conversion: reloading the canonical
        # weights into a fresh module must reproduce the outputs bit for bit.
        y2, hT2, cT2 = run_torch(cell, x.numpy(), W, R, B, h0[0].numpy(),
                                 c0[0].numpy() if cell == "lstm" else None, act)
        assert np.array_equal(y2, y.numpy()) and np.array_equal(hT2, hT[0].numpy())
        src = "%s nn.%s%s (batch_first=True, float32)" % (
            TORCH_VERSION, cell.upper(), "" if cell != "rnn" else " nonlinearity=" + act)
        out[name] = cell_case(
            name, src, cell, x.numpy(), W, R, B, y.numpy(), hT[0].numpy(),
            cT[0].numpy() if cT is not None else None,
            h0=h0[0].numpy(), c0=c0[0].numpy() if cell == "lstm" else None,
            activation=act if cell == "rnn" else None,
            peepholes=False if cell == "lstm" else None,
            lbr=True if cell == "gru" else None)
    return out


# --------------------------------------------------------------------------
# C. Self-check: ONNX helper vs torch on identical weights
# --------------------------------------------------------------------------

def arr(case, key, shape):
    return np.asarray(case[key], dtype=np.float32).reshape(shape)


def self_check(onnx_cases, torch_cases):
    pairs = [("lstm", "onnx_lstm_random", "torch_lstm_random"),
             ("gru", "onnx_gru_lbr_random", "torch_gru_random"),
             ("rnn", "onnx_rnn_tanh_random", "torch_rnn_tanh_random")]
    worst = 0.0
    report = []
    for cell, oname, tname in pairs:
        for name in (oname, tname):
            c = onnx_cases.get(name) or torch_cases[name]
            Bsz, T, I, H = c["batch"], c["time"], c["input"], c["hidden"]
            G = {"lstm": 4, "gru": 3, "rnn": 1}[cell]
            x = arr(c, "x", (Bsz, T, I))
            W = arr(c, "W", (G * H, I))
            R = arr(c, "R", (G * H, H))
            B = arr(c, "B", (2 * G * H,))
            h0 = arr(c, "h0", (Bsz, H))
            c0 = arr(c, "c0", (Bsz, H)) if cell == "lstm" else None
            y_o, h_o, c_o = run_onnx_helper(cell, x, W, R, B=B, h0=h0, c0=c0,
                                            lbr=1 if cell == "gru" else None)
            y_t, h_t, c_t = run_torch(cell, x, W, R, B, h0, c0)
            d = max(np.max(np.abs(y_o - y_t)), np.max(np.abs(h_o - h_t)))
            if cell == "lstm":
                d = max(d, np.max(np.abs(c_o - c_t)))
            # also compare against the values stored in the JSON file
            d = max(d, np.max(np.abs(arr(c, "y", (Bsz, T, H)) - (y_o if name == oname else y_t))))
            report.append((name, cell, float(d)))
            worst = max(worst, float(d))
    print("Self-check (ONNX numpy helper vs torch float32, same canonical weights):")
    for name, cell, d in report:
        print("  %-26s %-5s max |diff| = %.3e" % (name, cell, d))
    print("  overall max |diff| = %.3e (tolerance %.0e)" % (worst, SELF_CHECK_TOL))
    assert worst < SELF_CHECK_TOL, "ONNX helper and torch disagree"
    return report


# --------------------------------------------------------------------------
# Whole-network gradient cases
# --------------------------------------------------------------------------

class TinyClassifier(torch.nn.Module):
    def __init__(self, cell, I, H, C):
        super().__init__()
        self.rnn = make_torch_module(cell, I, H, "tanh", torch.float64)
        self.head = torch.nn.Linear(H, C).to(torch.float64)

    def forward(self, x):
        y, _ = self.rnn(x)            # zero initial state
        return self.head(y[:, -1, :])


def network_case(name, cell, seed, forget_bias_one=False):
    Bsz, T, I, H, C = 4, 6, 5, 7, 3
    torch.manual_seed(seed)
    net = TinyClassifier(cell, I, H, C)
    with torch.no_grad():
        for prm in net.parameters():
            # draw in float32 so that every parameter is float32-representable
            prm.copy_(torch.empty(prm.shape, dtype=torch.float32).uniform_(-0.5, 0.5))
        if forget_bias_one:
            # torch LSTM rows are i f g o: the forget block is rows H..2H
            net.rnn.bias_ih_l0[H:2 * H] = 1.0
            net.rnn.bias_hh_l0[H:2 * H] = 0.0
    x = torch.randn(Bsz, T, I, dtype=torch.float32).to(torch.float64)
    labels = torch.randint(0, C, (Bsz,))
    loss_fn = torch.nn.CrossEntropyLoss()   # mean over the batch

    logits = net(x)
    loss = loss_fn(logits, labels)
    net.zero_grad()
    loss.backward()

    # Finite-difference spot check of a few gradient entries (float64).
    rng = np.random.default_rng(seed)
    params = list(net.parameters())
    fd_worst = 0.0
    for _ in range(12):
        prm = params[rng.integers(len(params))]
        idx = tuple(int(rng.integers(s)) for s in prm.shape)
        eps = 1e-6
        with torch.no_grad():
            orig = prm[idx].item()
            prm[idx] = orig + eps
            lp = loss_fn(net(x), labels).item()
            prm[idx] = orig - eps
            lm = loss_fn(net(x), labels).item()
            prm[idx] = orig
        fd = (lp - lm) / (2 * eps)
        fd_worst = max(fd_worst, abs(fd - prm.grad[idx].item()))
    assert fd_worst < 1e-6, "finite differences disagree with autograd: %g" % fd_worst

    W, R, B = module_to_canonical(cell, net.rnn, H)
    gW, gR, gB = grads_to_canonical(cell, net.rnn, H)
    obj = {"name": name,
           "source": "%s autograd (float64 evaluation of float32 inputs): nn.%s(batch_first=True)"
                     " -> nn.Linear on last time step -> nn.CrossEntropyLoss(mean)"
                     % (TORCH_VERSION, cell.upper()),
           "cell": cell, "batch": Bsz, "time": T, "input": I, "hidden": H, "classes": C}
    if cell == "rnn":
        obj["activation"] = "tanh"
    if cell == "gru":
        obj["linearBeforeReset"] = True
    if cell == "lstm":
        obj["peepholes"] = False
    obj.update({
        "x": f32_list(x.numpy()),
        "labels": [int(v) for v in labels.tolist()],
        "W": f32_list(W), "R": f32_list(R), "B": f32_list(B),
        "headW": f32_list(net.head.weight.detach().numpy()),
        "headB": f32_list(net.head.bias.detach().numpy()),
        "loss": f32_scalar(loss.item()),
        "logits": f32_list(logits.detach().numpy()),
        "gradW": f32_list(gW), "gradR": f32_list(gR), "gradB": f32_list(gB),
        "gradHeadW": f32_list(net.head.weight.grad.numpy()),
        "gradHeadB": f32_list(net.head.bias.grad.numpy()),
    })
    write_json(name, obj)
    print("%-22s loss=%.6f  finite-difference spot check max |diff| = %.2e"
          % (name, loss.item(), fd_worst))


def network_cases():
    network_case("network_lstm", "lstm", 4101)
    network_case("network_lstm_forget1", "lstm", 4102, forget_bias_one=True)
    network_case("network_gru", "gru", 4103)
    network_case("network_rnn", "rnn", 4104)


# --------------------------------------------------------------------------
# Optimizer cases
# --------------------------------------------------------------------------

P0 = [0.5, -1.25, 3.0, -0.002, 0.75, 0.0, -2.5, 1.0]
G_FIXED = [0.001, -12.5, 0.3, -0.0025, 8.0, -0.05, 1.5, -0.0007]
G_VARYING = [
    [0.002, -9.0, 0.4, -0.001, 11.0, -0.06, 2.0, 0.0008],
    [-0.0015, 10.5, 0.0, 0.003, -7.5, 0.04, -1.25, 0.0012],
    [0.0009, -0.02, -0.35, -0.0022, 12.0, 0.0, 0.9, -9.5],
]


def run_optimizer(kind, lr, grads):
    p = torch.nn.Parameter(torch.tensor(P0, dtype=torch.float32))
    if kind == "sgd":
        opt = torch.optim.SGD([p], lr=lr, momentum=0, weight_decay=0)
    else:
        opt = torch.optim.Adam([p], lr=lr, betas=(0.9, 0.999), eps=1e-8,
                               weight_decay=0, amsgrad=False)
    after = []
    for g in grads:
        opt.zero_grad()
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        after.append(f32_list(p.detach().numpy()))
    return after


def numpy_reference(kind, lr, grads):
    """Textbook SGD / Adam (Kingma & Ba, eps added to sqrt(v_hat)) in float64."""
    p = np.array(P0, dtype=np.float64)
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    out = []
    for t, g in enumerate(grads, start=1):
        g = np.asarray(g, dtype=np.float64)
        if kind == "sgd":
            p = p - lr * g
        else:
            m = 0.9 * m + 0.1 * g
            v = 0.999 * v + 0.001 * g * g
            m_hat = m / (1 - 0.9 ** t)
            v_hat = v / (1 - 0.999 ** t)
            p = p - lr * m_hat / (np.sqrt(v_hat) + 1e-8)
        out.append(p.copy())
    return out


# Further optimizers, appended after the six cases above.  Each uses the three
# varying gradients.  The numpy references restate PyTorch 1.13's update rules
# (torch/optim/{sgd,rmsprop,adamw}.py, single-tensor path) in float64.
EXTRA_OPTIMIZER_SPECS = [
    ("sgd_momentum", "sgd", dict(lr=0.1, momentum=0.9)),
    ("sgd_nesterov", "sgd", dict(lr=0.1, momentum=0.9, nesterov=True)),
    ("sgd_momentum_dampening_weight_decay", "sgd",
     dict(lr=0.05, momentum=0.8, dampening=0.1, weight_decay=0.01)),
    ("rmsprop", "rmsprop", dict(lr=0.01, alpha=0.99, eps=1e-8)),
    ("rmsprop_momentum_centered", "rmsprop",
     dict(lr=0.01, alpha=0.9, eps=1e-6, momentum=0.5, centered=True)),
    ("adamw", "adamw", dict(lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01)),
    ("adamw_default_decay", "adamw", dict(lr=0.001)),
]

TORCH_OPTIMIZERS = {"sgd": torch.optim.SGD, "rmsprop": torch.optim.RMSprop,
                    "adamw": torch.optim.AdamW}


def run_extra_optimizer(kind, kwargs, grads):
    p = torch.nn.Parameter(torch.tensor(P0, dtype=torch.float32))
    opt = TORCH_OPTIMIZERS[kind]([p], **kwargs)
    after = []
    for g in grads:
        opt.zero_grad()
        p.grad = torch.tensor(g, dtype=torch.float32)
        opt.step()
        after.append(f32_list(p.detach().numpy()))
    return after, dict(opt.param_groups[0])


def extra_optimizer_reference(kind, hp, grads):
    """PyTorch 1.13's rules, float64.  hp is torch's resolved param group."""
    p = np.array(P0, dtype=np.float64)
    lr, wd = hp["lr"], hp["weight_decay"]
    buf = None
    m = np.zeros_like(p)
    v = np.zeros_like(p)
    g_avg = np.zeros_like(p)
    out = []
    for t, g in enumerate(grads, start=1):
        g = np.asarray(g, dtype=np.float64)
        if kind == "sgd":
            mu, damp = hp["momentum"], hp["dampening"]
            d = g + wd * p
            if mu != 0:
                # first step: buffer = d (no dampening); later buf = mu*buf + (1-damp)*d
                buf = d.copy() if buf is None else mu * buf + (1 - damp) * d
                d = d + mu * buf if hp["nesterov"] else buf
            p = p - lr * d
        elif kind == "rmsprop":
            alpha, eps, mu = hp["alpha"], hp["eps"], hp["momentum"]
            d = g + wd * p
            v = alpha * v + (1 - alpha) * d * d
            if hp["centered"]:
                g_avg = alpha * g_avg + (1 - alpha) * d
                denom = np.sqrt(v - g_avg * g_avg) + eps
            else:
                denom = np.sqrt(v) + eps
            if mu > 0:
                buf = (np.zeros_like(p) if buf is None else buf) * mu + d / denom
                p = p - lr * buf
            else:
                p = p - lr * d / denom
        else:  # adamw: decoupled decay applied to p before the Adam step
            b1, b2 = hp["betas"]
            eps = hp["eps"]
            p = p * (1 - lr * wd)
            m = b1 * m + (1 - b1) * g
            v = b2 * v + (1 - b2) * g * g
            denom = np.sqrt(v) / np.sqrt(1 - b2 ** t) + eps
            p = p - (lr / (1 - b1 ** t)) * m / denom
        out.append(p.copy())
    return out


def extra_optimizer_cases():
    grads_varying = [f32_list(g) for g in G_VARYING]
    cases = []
    for name, kind, kwargs in EXTRA_OPTIMIZER_SPECS:
        after, hp = run_extra_optimizer(kind, kwargs, grads_varying)
        ref = extra_optimizer_reference(kind, hp, grads_varying)
        d = max(float(np.max(np.abs(np.asarray(a) - r))) for a, r in zip(after, ref))
        assert d < 1e-5, "%s: torch differs from the float64 reference by %g" % (name, d)
        print("%-38s torch vs float64 reference max |diff| = %.2e" % (name, d))
        args = ", ".join("%s=%r" % kv for kv in kwargs.items())
        case = {"name": name,
                "source": "%s torch.optim.%s(%s) (float32)" % (
                    TORCH_VERSION, TORCH_OPTIMIZERS[kind].__name__, args),
                "optimizer": kind, "lr": f32_scalar(hp["lr"])}
        if kind == "sgd":
            case.update({"momentum": f32_scalar(hp["momentum"]),
                         "dampening": f32_scalar(hp["dampening"]),
                         "weightDecay": f32_scalar(hp["weight_decay"]),
                         "nesterov": bool(hp["nesterov"])})
        elif kind == "rmsprop":
            case.update({"alpha": f32_scalar(hp["alpha"]), "eps": f32_scalar(hp["eps"]),
                         "momentum": f32_scalar(hp["momentum"]),
                         "centered": bool(hp["centered"]),
                         "weightDecay": f32_scalar(hp["weight_decay"])})
        else:
            assert not hp["amsgrad"]
            case.update({"beta1": f32_scalar(hp["betas"][0]), "beta2": f32_scalar(hp["betas"][1]),
                         "eps": f32_scalar(hp["eps"]),
                         "weightDecay": f32_scalar(hp["weight_decay"])})
        case.update({"p0": f32_list(P0), "grads": grads_varying, "after": after})
        cases.append(case)
    return cases


def optimizer_cases():
    grads_fixed = [f32_list(G_FIXED)] * 3
    grads_varying = [f32_list(g) for g in G_VARYING]
    specs = [("sgd_lr0.1_fixed_gradient", "sgd", 0.1, grads_fixed),
             ("sgd_lr0.1_varying_gradients", "sgd", 0.1, grads_varying),
             ("adam_lr0.01_fixed_gradient", "adam", 0.01, grads_fixed),
             ("adam_lr0.01_varying_gradients", "adam", 0.01, grads_varying),
             ("adam_lr0.001_fixed_gradient", "adam", 0.001, grads_fixed),
             ("adam_lr0.001_varying_gradients", "adam", 0.001, grads_varying)]
    cases = []
    for name, kind, lr, grads in specs:
        after = run_optimizer(kind, lr, grads)
        ref = numpy_reference(kind, lr, grads)
        d = max(float(np.max(np.abs(np.asarray(a) - r))) for a, r in zip(after, ref))
        assert d < 1e-5, "%s: torch differs from textbook formula by %g" % (name, d)
        print("%-32s torch vs float64 textbook max |diff| = %.2e" % (name, d))
        case = {"name": name,
                "source": "%s torch.optim.%s (float32)" % (TORCH_VERSION,
                                                         "SGD" if kind == "sgd" else "Adam"),
                "optimizer": kind, "lr": f32_scalar(lr)}
        if kind == "adam":
            case.update({"beta1": f32_scalar(0.9), "beta2": f32_scalar(0.999),
                         "eps": f32_scalar(1e-8)})
        case.update({"p0": f32_list(P0), "grads": grads, "after": after})
        cases.append(case)
    cases += extra_optimizer_cases()
    path = os.path.join(OUT_DIR, "optimizers.json")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(cases, indent=1, allow_nan=False))
        fh.write("\n")
    written.append((os.path.relpath(path, REPO_ROOT), os.path.getsize(path)))


# --------------------------------------------------------------------------
# Multi-layer / bidirectional / variable-length sequence cases (seq_*)
# --------------------------------------------------------------------------
# Layout: per layer k, W [dirs, G*H, In_k], R [dirs, G*H, H], B [dirs, 2*G*H],
# direction index 0 = forward, 1 = reverse (torch's *_reverse parameters).
# In_0 is the input size, In_k = dirs*H for k > 0.  h0/hT/c0/cT are [dirs, B, H]
# per layer.  A "reverse" case is the reverse half of a bidirectional torch
# module, stored with dirs = 1.

GATES = {"lstm": 4, "gru": 3, "rnn": 1}
SEQ_DIRS = {"forward": 1, "reverse": 1, "bidirectional": 2}


def seq_dir_suffixes(direction):
    """torch parameter suffixes of the directions a case stores, in stored order."""
    return {"forward": [""], "reverse": ["_reverse"],
            "bidirectional": ["", "_reverse"]}[direction]


def seq_torch_dir_index(direction):
    """torch h0/h_n direction index of each stored direction (torch state index is
    layer * torch_dirs + dir, torch_dirs = 2 for reverse and bidirectional)."""
    return {"forward": [0], "reverse": [1], "bidirectional": [0, 1]}[direction]


def make_seq_module(cell, I, H, layers, direction, activation="tanh", dtype=torch.float32):
    bidir = direction != "forward"
    if direction == "reverse":
        assert layers == 1, "a reverse-only stack cannot be expressed with a torch module"
    kw = dict(num_layers=layers, bidirectional=bidir, batch_first=True)
    if cell == "lstm":
        mod = torch.nn.LSTM(I, H, **kw)
    elif cell == "gru":
        mod = torch.nn.GRU(I, H, **kw)
    else:
        mod = torch.nn.RNN(I, H, nonlinearity=activation, **kw)
    return mod.to(dtype)


def seq_params_to_canonical(cell, mod, H, layers, direction, grad=False):
    """{"layer<k>.W": [dirs, G*H, In], ".R": [dirs, G*H, H], ".B": [dirs, 2*G*H]}."""
    def get(name):
        t = getattr(mod, name)
        t = t.grad if grad else t
        return torch_to_canonical(cell, t.detach().cpu().numpy(), H)
    out = {}
    for k in range(layers):
        Ws, Rs, Bs = [], [], []
        for sfx in seq_dir_suffixes(direction):
            Ws.append(get("weight_ih_l%d%s" % (k, sfx)))
            Rs.append(get("weight_hh_l%d%s" % (k, sfx)))
            Bs.append(np.concatenate([get("bias_ih_l%d%s" % (k, sfx)),
                                      get("bias_hh_l%d%s" % (k, sfx))]))
        out["layer%d.W" % k] = np.stack(Ws)
        out["layer%d.R" % k] = np.stack(Rs)
        out["layer%d.B" % k] = np.stack(Bs)
    return out


def torch_state_to_layers(state, layers, direction):
    """torch [L*torch_dirs, B, H] -> {"layer<k>": [dirs, B, H]} for the stored directions."""
    torch_dirs = 1 if direction == "forward" else 2
    s = state.detach().cpu().numpy()
    return {"layer%d" % k: np.stack([s[k * torch_dirs + d] for d in seq_torch_dir_index(direction)])
            for k in range(layers)}


def run_seq_torch(mod, x, lengths, h0, c0):
    """Run a (possibly packed) batch-first torch module; y is padded with zeros."""
    T = x.shape[1]
    if lengths is not None:
        inp = torch.nn.utils.rnn.pack_padded_sequence(
            x, torch.tensor(lengths, dtype=torch.int64), batch_first=True, enforce_sorted=False)
    else:
        inp = x
    if isinstance(mod, torch.nn.LSTM):
        out, (hn, cn) = mod(inp, None if h0 is None else (h0, c0))
    else:
        out, hn = mod(inp, h0)
        cn = None
    if lengths is not None:
        y, _ = torch.nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=T)
    else:
        y = out
    return y, hn, cn


# ---- independent float64 numpy implementation of the canonical formulas ----

def _sigmoid(v):
    return 1.0 / (1.0 + np.exp(-v))


def np_cell_step(cell, activation, x_t, h, c, W, R, B):
    """One canonical step for one example. x_t [In], h, c [H]; W [G*H, In], R [G*H, H]."""
    GH = W.shape[0]
    H = R.shape[1]
    gx = W @ x_t + B[:GH]
    gh = R @ h + B[GH:]
    if cell == "lstm":
        a = gx + gh
        i, o, f, cc = (a[k * H:(k + 1) * H] for k in range(4))
        c_new = _sigmoid(f) * c + _sigmoid(i) * np.tanh(cc)
        return _sigmoid(o) * np.tanh(c_new), c_new
    if cell == "gru":   # linear_before_reset = 1
        z = _sigmoid(gx[:H] + gh[:H])
        r = _sigmoid(gx[H:2 * H] + gh[H:2 * H])
        n = np.tanh(gx[2 * H:] + r * gh[2 * H:])
        return (1.0 - z) * n + z * h, None
    a = gx + gh
    return (np.tanh(a) if activation == "tanh" else np.maximum(a, 0.0)), None


def np_direction(cell, activation, x, lengths, W, R, B, h0, c0, reverse):
    """x [B, T, In] -> y [B, T, H] (zero at t >= length), final h, c [B, H].

    Forward reads t = 0 .. len-1; reverse reads t = len-1 .. 0 and writes each
    output at its original time index.  The final state is the one after the
    direction's last processed step."""
    Bsz, T, _ = x.shape
    H = R.shape[1]
    y = np.zeros((Bsz, T, H))
    hT = np.zeros((Bsz, H))
    cT = np.zeros((Bsz, H))
    for b in range(Bsz):
        L = T if lengths is None else int(lengths[b])
        h = np.zeros(H) if h0 is None else np.array(h0[b], dtype=np.float64)
        c = np.zeros(H) if c0 is None else np.array(c0[b], dtype=np.float64)
        steps = range(L - 1, -1, -1) if reverse else range(L)
        for t in steps:
            h, c = np_cell_step(cell, activation, x[b, t], h, c, W, R, B)
            y[b, t] = h
        hT[b] = h
        if cell == "lstm":
            cT[b] = c
    return y, hT, (cT if cell == "lstm" else None)


def np_sequence(cell, activation, layers, direction, x, lengths, params, h0=None, c0=None):
    """Canonical-layout stack in float64.  params as in the JSON (numpy arrays);
    h0/c0: {"layer<k>": [dirs, B, H]} or None.  Returns y [B, T, dirs*H] and
    hT / cT dicts like the JSON."""
    dirs = SEQ_DIRS[direction]
    reverse_flags = {"forward": [False], "reverse": [True],
                     "bidirectional": [False, True]}[direction]
    inp = np.asarray(x, dtype=np.float64)
    hT, cT = {}, {}
    for k in range(layers):
        W = np.asarray(params["layer%d.W" % k], np.float64)
        R = np.asarray(params["layer%d.R" % k], np.float64)
        B = np.asarray(params["layer%d.B" % k], np.float64)
        ys, hs, cs = [], [], []
        for d in range(dirs):
            hk = None if h0 is None else np.asarray(h0["layer%d" % k], np.float64)[d]
            ck = None if c0 is None else np.asarray(c0["layer%d" % k], np.float64)[d]
            yd, hd, cd = np_direction(cell, activation, inp, lengths, W[d], R[d], B[d],
                                      hk, ck, reverse_flags[d])
            ys.append(yd)
            hs.append(hd)
            cs.append(cd)
        inp = np.concatenate(ys, axis=2)
        hT["layer%d" % k] = np.stack(hs)
        if cell == "lstm":
            cT["layer%d" % k] = np.stack(cs)
    return inp, hT, (cT if cell == "lstm" else None)


def seq_header(name, source, cell, activation, Bsz, T, I, H, layers, direction):
    obj = {"name": name, "source": source, "cell": cell}
    if cell == "rnn":
        obj["activation"] = activation
    if cell == "gru":
        obj["linearBeforeReset"] = True
    obj.update({"batch": int(Bsz), "time": int(T), "input": int(I), "hidden": int(H),
                "layers": int(layers), "direction": direction})
    return obj


def seq_source(cell, activation, layers, direction, lengths, dtype_note):
    mod = "nn.%s(%snum_layers=%d, bidirectional=%s, batch_first=True)" % (
        cell.upper(), "nonlinearity='%s', " % activation if cell == "rnn" else "",
        layers, direction != "forward")
    s = "%s %s, %s" % (TORCH_VERSION, mod, dtype_note)
    if direction == "reverse":
        s += "; only the reverse direction (*_reverse parameters, y[..., H:], h_n[1]) is stored"
    if lengths is not None:
        s += "; pack_padded_sequence(enforce_sorted=False) / pad_packed_sequence(total_length=T)"
    return s


def dict_f32(d):
    return {k: f32_list(v) for k, v in d.items()}


def draw_seq_module(seed, cell, activation, I, H, layers, direction, Bsz, T, dtype):
    """Seeded module with uniform(-0.5, 0.5) float32-valued parameters, x ~ N(0, 1)
    and initial states 0.5 * N(0, 1) (all float32 values)."""
    torch.manual_seed(seed)
    mod = make_seq_module(cell, I, H, layers, direction, activation, dtype)
    with torch.no_grad():
        for prm in mod.parameters():
            prm.copy_(torch.empty(prm.shape, dtype=torch.float32).uniform_(-0.5, 0.5))
    torch_dirs = 1 if direction == "forward" else 2
    x = torch.randn(Bsz, T, I, dtype=torch.float32)
    h0 = 0.5 * torch.randn(layers * torch_dirs, Bsz, H, dtype=torch.float32)
    c0 = 0.5 * torch.randn(layers * torch_dirs, Bsz, H, dtype=torch.float32)
    if direction == "reverse":
        # The forward half of the helper module is not part of the case: zero it.
        h0[0::2] = 0.0
        c0[0::2] = 0.0
    return mod, x, h0, c0


SEQ_LENGTHS = [6, 3, 1, 5]

SEQ_SPECS = [
    # name, cell, activation, layers, direction, initial states, lengths, seed
    ("seq_lstm_reverse", "lstm", None, 1, "reverse", False, None, 5101),
    ("seq_gru_reverse", "gru", None, 1, "reverse", True, None, 5102),
    ("seq_rnn_tanh_reverse", "rnn", "tanh", 1, "reverse", False, None, 5103),
    ("seq_lstm_bidirectional", "lstm", None, 1, "bidirectional", True, None, 5104),
    ("seq_gru_bidirectional", "gru", None, 1, "bidirectional", False, None, 5105),
    ("seq_rnn_relu_bidirectional", "rnn", "relu", 1, "bidirectional", False, None, 5106),
    ("seq_lstm_stacked", "lstm", None, 2, "forward", True, None, 5107),
    ("seq_gru_stacked_bidirectional", "gru", None, 2, "bidirectional", False, None, 5108),
    ("seq_lstm_lengths", "lstm", None, 1, "forward", False, SEQ_LENGTHS, 5109),
    ("seq_gru_lengths", "gru", None, 1, "forward", True, SEQ_LENGTHS, 5110),
    ("seq_rnn_tanh_lengths", "rnn", "tanh", 1, "forward", False, SEQ_LENGTHS, 5111),
    ("seq_lstm_bidirectional_lengths", "lstm", None, 1, "bidirectional", False, SEQ_LENGTHS, 5112),
    ("seq_gru_stacked_bidirectional_lengths", "gru", None, 2, "bidirectional", False,
     SEQ_LENGTHS, 5113),
    ("seq_lstm_reverse_lengths", "lstm", None, 1, "reverse", False, SEQ_LENGTHS, 5114),
]


def seq_case(name, cell, activation, layers, direction, use_h0, lengths, seed):
    Bsz, T, I, H = 4, 6, 3, 5
    act = activation or "tanh"
    mod, x, h0, c0 = draw_seq_module(seed, cell, act, I, H, layers, direction, Bsz, T,
                                     torch.float32)
    with torch.no_grad():
        y, hn, cn = run_seq_torch(mod, x, lengths, h0 if use_h0 else None,
                                  c0 if use_h0 and cell == "lstm" else None)
    y = y.numpy()
    if direction == "reverse":
        y = y[:, :, H:]
    params = seq_params_to_canonical(cell, mod, H, layers, direction)
    hT = torch_state_to_layers(hn, layers, direction)
    cT = torch_state_to_layers(cn, layers, direction) if cell == "lstm" else None
    h0d = torch_state_to_layers(h0, layers, direction) if use_h0 else None
    c0d = torch_state_to_layers(c0, layers, direction) if use_h0 and cell == "lstm" else None

    # Where PyTorch's h_n comes from with and without packing (single-layer cases
    # and the last layer of stacks): forward = y at step length-1, reverse = y at t = 0.
    dirs = SEQ_DIRS[direction]
    lens = lengths or [T] * Bsz
    last = hT["layer%d" % (layers - 1)]
    for d, is_rev in enumerate({"forward": [False], "reverse": [True],
                                "bidirectional": [False, True]}[direction]):
        for b in range(Bsz):
            t = 0 if is_rev else lens[b] - 1
            assert np.array_equal(last[d, b], y[b, t, d * H:(d + 1) * H]), (name, d, b)
    if lengths is not None:
        for b in range(Bsz):
            assert not np.any(y[b, lens[b]:]), "non-zero padding in %s" % name

    obj = seq_header(name, seq_source(cell, act, layers, direction, lengths,
                                      "float32"),
                     cell, act, Bsz, T, I, H, layers, direction)
    obj["x"] = f32_list(x.numpy())
    if lengths is not None:
        obj["lengths"] = [int(v) for v in lengths]
    obj["params"] = dict_f32(params)
    if use_h0:
        obj["h0"] = dict_f32(h0d)
        if cell == "lstm":
            obj["c0"] = dict_f32(c0d)
    obj["y"] = f32_list(y)
    obj["hT"] = dict_f32(hT)
    if cell == "lstm":
        obj["cT"] = dict_f32(cT)
    write_json(name, obj)

    # Self-check against the float64 numpy implementation, fed from the JSON values.
    shp = lambda key, s: {k: np.asarray(v, np.float32).reshape(s) for k, v in obj[key].items()}
    p_in = {}
    for k in range(layers):
        In = I if k == 0 else dirs * H
        G = GATES[cell]
        p_in["layer%d.W" % k] = np.asarray(obj["params"]["layer%d.W" % k], np.float32).reshape(dirs, G * H, In)
        p_in["layer%d.R" % k] = np.asarray(obj["params"]["layer%d.R" % k], np.float32).reshape(dirs, G * H, H)
        p_in["layer%d.B" % k] = np.asarray(obj["params"]["layer%d.B" % k], np.float32).reshape(dirs, 2 * G * H)
    ry, rh, rc = np_sequence(cell, act, layers, direction,
                             np.asarray(obj["x"], np.float32).reshape(Bsz, T, I), lengths, p_in,
                             shp("h0", (dirs, Bsz, H)) if use_h0 else None,
                             shp("c0", (dirs, Bsz, H)) if use_h0 and cell == "lstm" else None)
    d = float(np.max(np.abs(ry - np.asarray(obj["y"]).reshape(ry.shape))))
    for k in range(layers):
        d = max(d, float(np.max(np.abs(rh["layer%d" % k] - hT["layer%d" % k]))))
        if cell == "lstm":
            d = max(d, float(np.max(np.abs(rc["layer%d" % k] - cT["layer%d" % k]))))
    return d


def seq_cases():
    print("Sequence cases (torch float32 vs independent float64 numpy, y / hT / cT):")
    worst = 0.0
    for spec in SEQ_SPECS:
        d = seq_case(*spec)
        print("  %-40s max |diff| = %.3e" % (spec[0], d))
        worst = max(worst, d)
    print("  overall max |diff| = %.3e (tolerance %.0e)" % (worst, SELF_CHECK_TOL))
    assert worst < SELF_CHECK_TOL, "torch and the numpy sequence implementation disagree"


# --------------------------------------------------------------------------
# Whole-network gradient cases on sequences (seqnet_*)
# --------------------------------------------------------------------------

def seqnet_loss_torch(head, y, hn, lengths, layers, direction, headW, headB, target):
    """y [B, T, F] (zero padded), hn torch h_n.  target: labels or float targets."""
    Bsz, T, _ = y.shape
    lens = torch.tensor(lengths if lengths is not None else [T] * Bsz)
    if head.startswith("every_step"):
        mask = (torch.arange(T)[None, :] < lens[:, None]).to(y.dtype)       # [B, T]
        out = y @ headW.t() + headB                                          # [B, T, C]
        C = out.shape[2]
        if head == "every_step_softmax":
            ce = torch.nn.functional.cross_entropy(out.reshape(-1, C), target.reshape(-1),
                                                   reduction="none").reshape(Bsz, T)
            return (ce * mask).sum() / mask.sum()
        se = ((out - target) ** 2).sum(dim=2)
        return (se * mask).sum() / (mask.sum() * C)
    if direction == "forward":
        feat = hn[-1]
    else:
        feat = torch.cat([hn[-2], hn[-1]], dim=1)
    out = feat @ headW.t() + headB
    if head == "last_step_softmax":
        return torch.nn.functional.cross_entropy(out, target)
    return ((out - target) ** 2).mean()


def seqnet_loss_numpy(obj, p, h0, c0):
    """Loss from the independent numpy stack, everything in canonical layout."""
    Bsz, T, I, H = obj["batch"], obj["time"], obj["input"], obj["hidden"]
    cell, layers, direction, head = obj["cell"], obj["layers"], obj["direction"], obj["head"]
    lengths = obj.get("lengths")
    x = np.asarray(obj["x"], np.float64).reshape(Bsz, T, I)
    y, hT, _ = np_sequence(cell, obj.get("activation", "tanh"), layers, direction, x, lengths,
                           p, h0, c0)
    hW, hB = p["head.W"], p["head.B"]
    C = hB.shape[0]
    lens = lengths or [T] * Bsz
    if head.startswith("every_step"):
        out = y @ hW.T + hB                                                  # [B, T, C]
        total, count = 0.0, 0
        for b in range(Bsz):
            for t in range(lens[b]):
                if head == "every_step_softmax":
                    lab = obj["labels"][b * T + t]
                    z = out[b, t] - np.max(out[b, t])
                    total += np.log(np.sum(np.exp(z))) - z[lab]
                    count += 1
                else:
                    tg = np.asarray(obj["targets"][(b * T + t) * C:(b * T + t + 1) * C])
                    total += np.sum((out[b, t] - tg) ** 2)
                    count += C
        return total / count
    last = hT["layer%d" % (layers - 1)]                                      # [dirs, B, H]
    feat = np.concatenate(list(last), axis=1)                                # [B, dirs*H]
    out = feat @ hW.T + hB
    if head == "last_step_softmax":
        total = 0.0
        for b in range(Bsz):
            z = out[b] - np.max(out[b])
            total += np.log(np.sum(np.exp(z))) - z[obj["labels"][b]]
        return total / Bsz
    tg = np.asarray(obj["targets"]).reshape(Bsz, C)
    return float(np.mean((out - tg) ** 2))


SEQNET_SPECS = [
    # name, cell, layers, direction, head, C, lengths, initial states, seed
    ("seqnet_gru_bidirectional_stacked_lengths_every_step", "gru", 2, "bidirectional",
     "every_step_softmax", 3, [5, 2, 1, 4], False, 6101),
    ("seqnet_lstm_lengths_last_step", "lstm", 1, "forward", "last_step_softmax", 3,
     [5, 2, 1, 4], False, 6102),
    ("seqnet_lstm_bidirectional_last_step_mse", "lstm", 1, "bidirectional", "last_step_mse", 2,
     [3, 5, 1, 4], False, 6103),
    ("seqnet_rnn_stacked_every_step_mse", "rnn", 2, "forward", "every_step_mse", 2,
     None, False, 6104),
    ("seqnet_lstm_h0_every_step", "lstm", 1, "forward", "every_step_softmax", 3,
     None, True, 6105),
]


def seqnet_case(name, cell, layers, direction, head, C, lengths, use_h0, seed):
    Bsz, T, I, H = 4, 5, 3, 4
    act = "tanh"
    dirs = SEQ_DIRS[direction]
    F = dirs * H
    mod, x32, h0_32, c0_32 = draw_seq_module(seed, cell, act, I, H, layers, direction, Bsz, T,
                                             torch.float64)
    headW = torch.empty(C, F, dtype=torch.float32).uniform_(-0.5, 0.5).to(torch.float64)
    headB = torch.empty(C, dtype=torch.float32).uniform_(-0.5, 0.5).to(torch.float64)
    headW.requires_grad_(True)
    headB.requires_grad_(True)
    lens = lengths or [T] * Bsz
    if head.endswith("softmax"):
        target = torch.randint(0, C, (Bsz, T) if head.startswith("every") else (Bsz,))
        if head.startswith("every"):
            for b in range(Bsz):
                target[b, lens[b]:] = 0          # ignored steps: label 0
    else:
        target = torch.randn((Bsz, T, C) if head.startswith("every") else (Bsz, C),
                             dtype=torch.float32).to(torch.float64)
        if head.startswith("every"):
            for b in range(Bsz):
                target[b, lens[b]:] = 0.0        # ignored steps
    x = x32.to(torch.float64)
    h0 = h0_32.to(torch.float64).requires_grad_(True) if use_h0 else None
    c0 = c0_32.to(torch.float64).requires_grad_(True) if use_h0 and cell == "lstm" else None

    y, hn, _ = run_seq_torch(mod, x, lengths, h0, c0)
    loss = seqnet_loss_torch(head, y, hn, lengths, layers, direction, headW, headB, target)
    mod.zero_grad()
    loss.backward()

    params = seq_params_to_canonical(cell, mod, H, layers, direction)
    grads = seq_params_to_canonical(cell, mod, H, layers, direction, grad=True)
    grads["head.W"] = headW.grad.numpy()
    grads["head.B"] = headB.grad.numpy()

    src = seq_source(cell, act, layers, direction, lengths,
                     "autograd in float64 on float32 inputs") + \
        "; nn.Linear head, %s" % {
            "every_step_softmax": "cross-entropy averaged over the valid (b, t) pairs",
            "every_step_mse": "squared error averaged over the valid (b, t) pairs and outputs",
            "last_step_softmax": "cross-entropy on the final state(s) h_n, mean over the batch",
            "last_step_mse": "squared error on the final state(s) h_n, mean over batch and outputs",
        }[head]
    obj = seq_header(name, src, cell, act, Bsz, T, I, H, layers, direction)
    obj["head"] = head
    obj["classes" if head.endswith("softmax") else "outputs"] = C
    obj["x"] = f32_list(x32.numpy())
    if lengths is not None:
        obj["lengths"] = [int(v) for v in lengths]
    if head.endswith("softmax"):
        obj["labels"] = [int(v) for v in target.reshape(-1).tolist()]
    else:
        obj["targets"] = f32_list(target.numpy())
    obj["params"] = dict_f32(params)
    obj["headW"] = f32_list(headW.detach().numpy())
    obj["headB"] = f32_list(headB.detach().numpy())
    if use_h0:
        obj["h0"] = dict_f32(torch_state_to_layers(h0, layers, direction))
        if cell == "lstm":
            obj["c0"] = dict_f32(torch_state_to_layers(c0, layers, direction))
    obj["loss"] = f32_scalar(loss.item())
    obj["grads"] = dict_f32(grads)
    if use_h0:
        obj["gradH0"] = dict_f32(torch_state_to_layers(h0.grad, layers, direction))
        if cell == "lstm":
            obj["gradC0"] = dict_f32(torch_state_to_layers(c0.grad, layers, direction))
    write_json(name, obj)

    # Self-check 1: the independent numpy stack + head gives the same loss (float64).
    G = GATES[cell]
    p = {}
    for k in range(layers):
        In = I if k == 0 else F
        p["layer%d.W" % k] = np.asarray(obj["params"]["layer%d.W" % k], np.float64).reshape(dirs, G * H, In)
        p["layer%d.R" % k] = np.asarray(obj["params"]["layer%d.R" % k], np.float64).reshape(dirs, G * H, H)
        p["layer%d.B" % k] = np.asarray(obj["params"]["layer%d.B" % k], np.float64).reshape(dirs, 2 * G * H)
    p["head.W"] = np.asarray(obj["headW"], np.float64).reshape(C, F)
    p["head.B"] = np.asarray(obj["headB"], np.float64)
    s0 = {}
    if use_h0:
        s0["h0"] = {k: np.asarray(v, np.float64).reshape(dirs, Bsz, H) for k, v in obj["h0"].items()}
        if cell == "lstm":
            s0["c0"] = {k: np.asarray(v, np.float64).reshape(dirs, Bsz, H) for k, v in obj["c0"].items()}
    loss_np = seqnet_loss_numpy(obj, p, s0.get("h0"), s0.get("c0"))
    d_loss = abs(loss_np - loss.item())
    assert d_loss < 1e-10, "%s: numpy loss %r vs torch %r" % (name, loss_np, loss.item())

    # Self-check 2: central finite differences of the numpy loss, in canonical
    # layout, against the stored float64 autograd gradients (3 entries per tensor).
    rng = np.random.default_rng(seed)
    eps = 1e-6
    fd_worst = 0.0
    checks = [(p, key, grads[key]) for key in grads]
    if use_h0:
        checks += [(s0["h0"], k, torch_state_to_layers(h0.grad, layers, direction)[k])
                   for k in s0["h0"]]
        if cell == "lstm":
            checks += [(s0["c0"], k, torch_state_to_layers(c0.grad, layers, direction)[k])
                       for k in s0["c0"]]
    for store, key, g in checks:
        g = np.asarray(g).reshape(store[key].shape)
        for _ in range(3):
            idx = tuple(int(rng.integers(s)) for s in store[key].shape)
            orig = store[key][idx]
            store[key][idx] = orig + eps
            lp = seqnet_loss_numpy(obj, p, s0.get("h0"), s0.get("c0"))
            store[key][idx] = orig - eps
            lm = seqnet_loss_numpy(obj, p, s0.get("h0"), s0.get("c0"))
            store[key][idx] = orig
            fd_worst = max(fd_worst, abs((lp - lm) / (2 * eps) - g[idx]))
    assert fd_worst < 1e-6, "%s: finite differences disagree with autograd: %g" % (name, fd_worst)
    print("  %-52s loss=%.6f |numpy-torch loss|=%.1e  finite-diff max |diff|=%.1e (%d entries)"
          % (name, loss.item(), d_loss, fd_worst, 3 * len(checks)))


def seqnet_cases():
    print("Sequence network gradient cases (torch autograd float64; numpy loss + finite differences):")
    for spec in SEQNET_SPECS:
        seqnet_case(*spec)


# --------------------------------------------------------------------------

def main():
    os.makedirs(OUT_DIR, exist_ok=True)
    print("numpy %s, onnx %s, torch %s, python %s" % (
        np.__version__, onnx.__version__, torch.__version__, sys.version.split()[0]))
    onnx_operator_cases()
    onnx_cases = onnx_random_cases()
    torch_cases = torch_cell_cases()
    self_check(onnx_cases, torch_cases)
    network_cases()
    optimizer_cases()
    seq_cases()
    seqnet_cases()
    print("Wrote %d files to %s:" % (len(written), os.path.relpath(OUT_DIR, REPO_ROOT)))
    for path, size in written:
        print("  %-90s %6d bytes" % (path, size))


if __name__ == "__main__":
    main()
