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
  * ONNX Runtime 1.28.0's CPU kernels (Java API, via tools/golden/OrtNodeRunner.java)
    evaluating single ONNX LSTM / GRU / RNN nodes for the ort_* cases: clip,
    input_forget, non-default activations, reverse / bidirectional, sequence_lens.
  * Self-checks: an independent float64 numpy implementation of the canonical
    formulas (seq_*, seqnet_* losses, ort_* with every operator option), central
    finite differences (network_*, seqnet_*) and float64 restatements of the
    optimizer update rules.

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

def seqnet_merge_torch(feat, H, merge):
    """Merge [B, 2H] = [forward, reverse] features the way a Recurra MergeMode does."""
    fwd, rev = feat[:, :H], feat[:, H:]
    if merge == "concat":
        return feat
    if merge == "sum":
        return fwd + rev
    if merge == "average":
        return (fwd + rev) / 2
    assert merge == "multiply", merge
    return fwd * rev


def seqnet_last_features_torch(y, hn, lengths, direction, H, merge, last_step):
    """What a last-step head reads, written the way a PyTorch user writes it.

    final_states: the last layer's h_n (forward), [h_n forward, h_n reverse]
    (bidirectional) or h_n reverse (reverse).  last_time_index: the padded output at
    each example's last valid index, y[:, -1, :] without lengths and y[b, len_b - 1, :]
    with them (of pad_packed_sequence's output), i.e. linear(y[:, -1, :]).  Then the
    merge of the two halves (sum: y[:, -1, :H] + y[:, -1, H:])."""
    if last_step == "last_time_index":
        if lengths is None:
            feat = y[:, -1, :]
        else:
            feat = y[torch.arange(y.shape[0]), torch.tensor(lengths, dtype=torch.int64) - 1, :]
        if direction == "reverse":
            feat = feat[:, H:]        # the reverse half of the helper module
    else:
        assert last_step == "final_states", last_step
        if direction == "bidirectional":
            feat = torch.cat([hn[-2], hn[-1]], dim=1)
        else:
            feat = hn[-1]
    return seqnet_merge_torch(feat, H, merge) if direction == "bidirectional" else feat


def seqnet_loss_torch(head, y, hn, lengths, layers, direction, headW, headB, target,
                      merge="concat", last_step="final_states"):
    """y [B, T, F] (zero padded), hn torch h_n.  target: labels or float targets.
    Returns the loss and the logits."""
    Bsz, T, _ = y.shape
    lens = torch.tensor(lengths if lengths is not None else [T] * Bsz)
    if head.startswith("every_step"):
        mask = (torch.arange(T)[None, :] < lens[:, None]).to(y.dtype)       # [B, T]
        out = y @ headW.t() + headB                                          # [B, T, C]
        C = out.shape[2]
        if head == "every_step_softmax":
            ce = torch.nn.functional.cross_entropy(out.reshape(-1, C), target.reshape(-1),
                                                   reduction="none").reshape(Bsz, T)
            return (ce * mask).sum() / mask.sum(), out
        se = ((out - target) ** 2).sum(dim=2)
        return (se * mask).sum() / (mask.sum() * C), out
    H = hn.shape[2]
    feat = seqnet_last_features_torch(y, hn, lengths, direction, H, merge, last_step)
    out = feat @ headW.t() + headB
    if head == "last_step_softmax":
        return torch.nn.functional.cross_entropy(out, target), out
    return ((out - target) ** 2).mean(), out


def seqnet_last_features_numpy(obj, y, hT, last_step=None):
    """What a last-step head reads, from the numpy stack's y [B, T, dirs*H] and hT:
    final states [B, dirs*H], or the output at each example's last valid index;
    then the case's merge of the two directions."""
    Bsz, T, H = obj["batch"], obj["time"], obj["hidden"]
    last_step = last_step or obj.get("lastStep", "final_states")
    if last_step == "last_time_index":
        lens = obj.get("lengths") or [T] * Bsz
        feat = np.stack([y[b, lens[b] - 1] for b in range(Bsz)])
    else:
        feat = np.concatenate(list(hT["layer%d" % (obj["layers"] - 1)]), axis=1)
    if SEQ_DIRS[obj["direction"]] == 1:
        return feat
    fwd, rev = feat[:, :H], feat[:, H:]
    return {"concat": feat, "sum": fwd + rev, "average": (fwd + rev) / 2,
            "multiply": fwd * rev}[obj.get("merge", "concat")]


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
    feat = seqnet_last_features_numpy(obj, y, hT)
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


# The head on y[:, -1, :] (Recurra's LastStep.LAST_TIME_INDEX): for a reverse
# direction that is its output after one step, not its final state.  merge is how
# the two halves are combined before the head (concat: y[:, -1, :] itself; sum:
# y[:, -1, :H] + y[:, -1, H:]; average; multiply).
SEQNET_LAST_INDEX_SPECS = [
    # name, cell, layers, direction, merge, head, C, lengths, initial states, seed
    ("seqnet_lstm_bidirectional_last_index", "lstm", 1, "bidirectional", "concat",
     "last_step_softmax", 3, None, False, 6201),
    ("seqnet_gru_bidirectional_last_index_mse", "gru", 1, "bidirectional", "concat",
     "last_step_mse", 2, None, False, 6202),
    ("seqnet_rnn_bidirectional_last_index_sum", "rnn", 1, "bidirectional", "sum",
     "last_step_softmax", 3, None, False, 6203),
    ("seqnet_gru_bidirectional_stacked_last_index", "gru", 2, "bidirectional", "concat",
     "last_step_softmax", 3, None, False, 6204),
    ("seqnet_lstm_bidirectional_h0_last_index_multiply", "lstm", 1, "bidirectional", "multiply",
     "last_step_mse", 2, None, True, 6205),
    ("seqnet_lstm_bidirectional_lengths_last_index_average", "lstm", 1, "bidirectional", "average",
     "last_step_softmax", 3, [5, 2, 1, 4], False, 6206),
    ("seqnet_gru_bidirectional_stacked_lengths_last_index", "gru", 2, "bidirectional", "concat",
     "last_step_softmax", 3, [3, 5, 1, 4], False, 6207),
    ("seqnet_rnn_reverse_lengths_last_index_mse", "rnn", 1, "reverse", "concat",
     "last_step_mse", 2, [5, 2, 1, 4], False, 6208),
]


def seqnet_case(name, cell, layers, direction, head, C, lengths, use_h0, seed,
                merge="concat", last_step="final_states"):
    Bsz, T, I, H = 4, 5, 3, 4
    act = "tanh"
    dirs = SEQ_DIRS[direction]
    F = dirs * H if merge == "concat" else H
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

    y, hn, cn = run_seq_torch(mod, x, lengths, h0, c0)
    loss, logits = seqnet_loss_torch(head, y, hn, lengths, layers, direction, headW, headB, target,
                                     merge, last_step)
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
    if last_step == "last_time_index":
        read = "y[:, -1, %s]" if lengths is None else "y[b, len_b - 1, %s]"
        half = "H:" if direction == "reverse" else ":"
        feat = {"concat": read % half, "sum": "%s + %s" % (read % ":H", read % "H:"),
                "average": "(%s + %s) / 2" % (read % ":H", read % "H:"),
                "multiply": "%s * %s" % (read % ":H", read % "H:")}[merge]
        if lengths is not None:
            feat += " of the padded output"
        src = src.replace("the final state(s) h_n", feat)
    obj = seq_header(name, src, cell, act, Bsz, T, I, H, layers, direction)
    if merge != "concat":
        obj["merge"] = merge
    if last_step != "final_states":
        obj["lastStep"] = last_step
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
    if last_step != "final_states":
        # what the last layer outputs (the head's input), the logits, and every layer's
        # real final states (which a last-time-index output does not change)
        feat = seqnet_last_features_torch(y, hn, lengths, direction, H, merge, last_step)
        obj["yLast"] = f32_list(feat.detach().numpy())
        obj["logits"] = f32_list(logits.detach().numpy())
        obj["hT"] = dict_f32(torch_state_to_layers(hn, layers, direction))
        if cell == "lstm":
            obj["cT"] = dict_f32(torch_state_to_layers(cn, layers, direction))
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
    trap = ""
    if last_step == "last_time_index":
        # Self-check 1b: the numpy stack's output at the last valid index is the
        # head's input torch used, and the case tells it from the final states (the
        # reverse direction's output after one step is not its final state).
        xs = np.asarray(obj["x"], np.float64).reshape(Bsz, T, I)
        ny, nh, _ = np_sequence(cell, act, layers, direction, xs, lengths, p, s0.get("h0"), s0.get("c0"))
        n_last = seqnet_last_features_numpy(obj, ny, nh)
        d_last = float(np.max(np.abs(n_last - np.asarray(obj["yLast"]).reshape(n_last.shape))))
        assert d_last < SELF_CHECK_TOL, "%s: numpy y at the last index differs by %g" % (name, d_last)
        apart = float(np.max(np.abs(n_last - seqnet_last_features_numpy(obj, ny, nh, "final_states"))))
        assert apart > 1e-2, "%s: the last index is too close to the final states (%g)" % (name, apart)
        last_fwd = np.stack([ny[b, (lengths or [T] * Bsz)[b] - 1] for b in range(Bsz)])
        if direction == "bidirectional":
            assert np.allclose(last_fwd[:, :H], nh["layer%d" % (layers - 1)][0], atol=1e-12), \
                "%s: the forward half at the last index must be the forward final state" % name
        trap = "  |last index - final states|=%.2f" % apart

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
    print("  %-52s loss=%.6f |numpy-torch loss|=%.1e  finite-diff max |diff|=%.1e (%d entries)%s"
          % (name, loss.item(), d_loss, fd_worst, 3 * len(checks), trap))


def seqnet_cases():
    print("Sequence network gradient cases (torch autograd float64; numpy loss + finite differences):")
    for spec in SEQNET_SPECS:
        seqnet_case(*spec)
    for name, cell, layers, direction, merge, head, C, lengths, use_h0, seed in SEQNET_LAST_INDEX_SPECS:
        seqnet_case(name, cell, layers, direction, head, C, lengths, use_h0, seed,
                    merge=merge, last_step="last_time_index")


# --------------------------------------------------------------------------
# ONNX Runtime single-node cases (ort_*)
# --------------------------------------------------------------------------
# Each case is one ONNX LSTM / GRU / RNN node (opset 14, layout 0) built with
# onnx.helper and evaluated by ONNX Runtime's CPU kernels through its Java API
# (tools/golden/OrtNodeRunner.java; there is no Python onnxruntime here).  They
# cover what the ONNX numpy helpers and PyTorch cannot: clip, input_forget,
# non-default activations, reverse / bidirectional nodes and sequence_lens.
# The results are checked against ort_np_* below, a float64 numpy restatement of
# the operator formulas as ONNX Runtime implements them.

ORT_VERSION = "1.28.0"
ORT_OPSET = 14
ORT_JAR = os.environ.get("ORT_JAR") or os.path.join(
    os.path.expanduser("~"), ".m2", "repository", "com", "microsoft", "onnxruntime",
    "onnxruntime", ORT_VERSION, "onnxruntime-%s.jar" % ORT_VERSION)
ORT_RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "OrtNodeRunner.java")

ORT_B, ORT_T, ORT_I, ORT_H = 3, 5, 4, 5
ORT_LENGTHS = [5, 3, 1]

# Which of alpha / beta each ONNX RNN activation function takes.  activation_alpha
# and activation_beta list values only for the functions that take them, in the
# order of the functions (all of direction 0, then all of direction 1).
ACT_ARGS = {"Relu": (), "Tanh": (), "Sigmoid": (), "Affine": ("alpha", "beta"),
            "LeakyRelu": ("alpha",), "ThresholdedRelu": ("alpha",),
            "ScaledTanh": ("alpha", "beta"), "HardSigmoid": ("alpha", "beta"),
            "Elu": ("alpha",), "Softsign": (), "Softplus": ()}


def act(name, *args):
    """An activation as stored in the JSON: ONNX name plus its float32 alpha / beta."""
    keys = ACT_ARGS[name]
    assert len(args) == len(keys), (name, args)
    out = {"name": name}
    for k, v in zip(keys, args):
        out[k] = f32_scalar(v)
    return out


ORT_DEFAULT_ACTS = {"lstm": [act("Sigmoid"), act("Tanh"), act("Tanh")],
                    "gru": [act("Sigmoid"), act("Tanh")],
                    "rnn": [act("Tanh")]}


def ort_np_activation(spec, v):
    """float64 activation functions (the ONNX RNN operator definitions)."""
    n, a, b = spec["name"], spec.get("alpha"), spec.get("beta")
    if n == "Relu":
        return np.maximum(v, 0.0)
    if n == "Tanh":
        return np.tanh(v)
    if n == "Sigmoid":
        return _sigmoid(v)
    if n == "Affine":
        return a * v + b
    if n == "LeakyRelu":
        return np.where(v >= 0, v, a * v)
    if n == "ThresholdedRelu":
        # discontinuous at alpha: make sure float32 rounding cannot flip a side
        assert np.min(np.abs(v - a)) > 1e-4, "pre-activation too close to the ThresholdedRelu step"
        return np.where(v > a, v, 0.0)
    if n == "ScaledTanh":
        return a * np.tanh(b * v)
    if n == "HardSigmoid":
        return np.clip(a * v + b, 0.0, 1.0)
    if n == "Elu":
        return np.where(v >= 0, v, a * (np.exp(np.minimum(v, 0.0)) - 1.0))
    if n == "Softsign":
        return v / (1.0 + np.abs(v))
    if n == "Softplus":
        return np.logaddexp(0.0, v)
    raise ValueError(n)


def ort_np_step(cell, o, x_t, h, c, W, R, B, P, stats):
    """One step of one example, float64.  o: the case options (acts, clip,
    input_forget, lbr).  Every gate pre-activation (peephole terms included) is
    clipped to [-clip, clip] before its activation; the cell state is not clipped.
    stats = [pre-activations seen, of which |v| > clip]."""
    GH = W.shape[0]
    H = R.shape[1]
    clip = o.get("clip")

    def pre(v):
        stats[0] += v.size
        if clip is None:
            return v
        stats[1] += int(np.sum(np.abs(v) > clip))
        return np.clip(v, -clip, clip)

    acts = o["acts"]
    fa = lambda v: ort_np_activation(acts[0], v)
    gx = W @ x_t + B[:GH]
    if cell == "lstm":
        ga = lambda v: ort_np_activation(acts[1], v)
        ha = lambda v: ort_np_activation(acts[2], v)
        a = gx + R @ h + B[GH:]
        ai, ao, af, ac = (a[k * H:(k + 1) * H] for k in range(4))
        pi, po, pf = ((P[k * H:(k + 1) * H] for k in range(3)) if P is not None
                      else (np.zeros(H),) * 3)
        i = fa(pre(ai + pi * c))                       # input peephole reads C_{t-1}
        f = 1.0 - i if o.get("input_forget") else fa(pre(af + pf * c))
        g = ga(pre(ac))
        c_new = f * c + i * g
        # output peephole reads C_t ("output_peephole_prev" only for the discrimination check)
        og = fa(pre(ao + po * (c if o.get("output_peephole_prev") else c_new)))
        return og * ha(c_new), c_new
    if cell == "gru":
        ga = lambda v: ort_np_activation(acts[1], v)
        Rz, Rr, Rh = R[:H], R[H:2 * H], R[2 * H:]
        Rbz, Rbr, Rbh = B[GH:GH + H], B[GH + H:GH + 2 * H], B[GH + 2 * H:]
        z = fa(pre(gx[:H] + Rz @ h + Rbz))
        r = fa(pre(gx[H:2 * H] + Rr @ h + Rbr))
        if o.get("lbr"):
            n = ga(pre(gx[2 * H:] + r * (Rh @ h + Rbh)))
        else:
            n = ga(pre(gx[2 * H:] + Rh @ (r * h) + Rbh))
        return (1.0 - z) * n + z * h, None
    return fa(pre(gx + R @ h + B[GH:])), None


def ort_np_node(cell, o, x, lengths, W, R, B, P, h0, c0, direction, stats):
    """A whole node in float64: x [B, T, I]; W/R/B/P/h0/c0 with a leading
    directions axis.  Forward runs t = 0 .. len-1, reverse t = len-1 .. 0 starting
    from h0 (padding is never read); outputs past len are zero; the final state is
    the one after each direction's last processed step.  Returns y [B, T, D*H],
    hT / cT [D, B, H]."""
    Bsz, T, _ = x.shape
    H = R.shape[2]
    flags = {"forward": [False], "reverse": [True], "bidirectional": [False, True]}[direction]
    D = len(flags)
    y = np.zeros((Bsz, T, D * H))
    hT = np.zeros((D, Bsz, H))
    cT = np.zeros((D, Bsz, H))
    for d, rev in enumerate(flags):
        for b in range(Bsz):
            L = T if lengths is None else int(lengths[b])
            h = np.array(h0[d, b], np.float64)
            c = np.array(c0[d, b], np.float64) if c0 is not None else None
            for t in (range(L - 1, -1, -1) if rev else range(L)):
                h, c = ort_np_step(cell, o, x[b, t], h, c, W[d], R[d], B[d],
                                   None if P is None else P[d], stats)
                y[b, t, d * H:(d + 1) * H] = h
            hT[d, b] = h
            if c is not None:
                cT[d, b] = c
    return y, hT, (cT if cell == "lstm" else None)


def ort_spec(name, cell, seed, direction="forward", lengths=False, peepholes=False, clip=None,
             input_forget=False, lbr=None, acts=None, scale=0.5):
    """scale: weights W, R ~ uniform(-scale, scale) (biases and peepholes stay in +-0.5)."""
    if cell == "gru" and lbr is None:
        lbr = 0
    return dict(name=name, cell=cell, seed=seed, direction=direction, lengths=lengths,
                peepholes=peepholes, clip=clip, input_forget=input_forget, lbr=lbr,
                acts=acts or ORT_DEFAULT_ACTS[cell], scale=scale)


ORT_SPECS = [
    ort_spec("ort_lstm_clip", "lstm", 7101, clip=0.5, scale=1.0),
    ort_spec("ort_lstm_input_forget", "lstm", 7102, input_forget=True),
    ort_spec("ort_lstm_input_forget_peepholes", "lstm", 7103, input_forget=True, peepholes=True),
    ort_spec("ort_lstm_peepholes_clip_input_forget", "lstm", 7104, peepholes=True, clip=0.5,
             input_forget=True, scale=1.0),
    ort_spec("ort_lstm_activations_peepholes", "lstm", 7105, peepholes=True,
             acts=[act("HardSigmoid", 0.2, 0.5), act("Softsign"), act("Elu", 0.9)]),
    ort_spec("ort_lstm_reverse", "lstm", 7106, direction="reverse"),
    ort_spec("ort_lstm_reverse_lengths", "lstm", 7107, direction="reverse", lengths=True),
    ort_spec("ort_lstm_bidirectional", "lstm", 7108, direction="bidirectional"),
    ort_spec("ort_lstm_bidirectional_lengths_peepholes", "lstm", 7109, direction="bidirectional",
             lengths=True, peepholes=True),
    ort_spec("ort_lstm_lengths", "lstm", 7110, lengths=True),

    ort_spec("ort_gru_clip", "gru", 7201, clip=0.5, lbr=0, scale=1.0),
    ort_spec("ort_gru_lbr_clip", "gru", 7202, clip=0.5, lbr=1, scale=1.0),
    ort_spec("ort_gru_activations", "gru", 7203, lbr=0,
             acts=[act("Softsign"), act("ScaledTanh", 1.2, 0.8)]),
    ort_spec("ort_gru_lbr_reverse", "gru", 7204, direction="reverse", lbr=1),
    ort_spec("ort_gru_bidirectional_lengths", "gru", 7205, direction="bidirectional",
             lengths=True, lbr=0),
    ort_spec("ort_gru_lbr_lengths", "gru", 7206, lengths=True, lbr=1),

    ort_spec("ort_rnn_tanh", "rnn", 7301, acts=[act("Tanh")]),
    ort_spec("ort_rnn_relu", "rnn", 7302, acts=[act("Relu")]),
    ort_spec("ort_rnn_sigmoid", "rnn", 7303, acts=[act("Sigmoid")]),
    ort_spec("ort_rnn_affine", "rnn", 7304, acts=[act("Affine", 0.5, 0.1)]),
    ort_spec("ort_rnn_leaky_relu", "rnn", 7305, acts=[act("LeakyRelu", 0.1)]),
    ort_spec("ort_rnn_thresholded_relu", "rnn", 7306, acts=[act("ThresholdedRelu", 0.2)]),
    ort_spec("ort_rnn_scaled_tanh", "rnn", 7307, acts=[act("ScaledTanh", 1.5, 0.7)]),
    ort_spec("ort_rnn_hard_sigmoid", "rnn", 7308, acts=[act("HardSigmoid", 0.3, 0.4)]),
    ort_spec("ort_rnn_elu", "rnn", 7309, acts=[act("Elu", 0.8)]),
    ort_spec("ort_rnn_softsign", "rnn", 7310, acts=[act("Softsign")]),
    ort_spec("ort_rnn_softplus", "rnn", 7311, acts=[act("Softplus")]),
    ort_spec("ort_rnn_clip", "rnn", 7312, clip=0.5, scale=1.0),
    ort_spec("ort_rnn_reverse", "rnn", 7313, direction="reverse"),
    ort_spec("ort_rnn_bidirectional_lengths", "rnn", 7314, direction="bidirectional", lengths=True),
]


def ort_draw(spec):
    """Seeded float32 inputs of one case, in ONNX layout with a directions axis."""
    rng = np.random.default_rng(spec["seed"])
    cell = spec["cell"]
    G, H, I, Bsz, T = GATES[cell], ORT_H, ORT_I, ORT_B, ORT_T
    D = SEQ_DIRS[spec["direction"]]
    s = spec["scale"]
    p = {"x": f32(rng.standard_normal((Bsz, T, I))),
         "W": f32(rng.uniform(-s, s, size=(D, G * H, I))),
         "R": f32(rng.uniform(-s, s, size=(D, G * H, H))),
         "B": f32(rng.uniform(-0.5, 0.5, size=(D, 2 * G * H))),
         "h0": f32(0.5 * rng.standard_normal((D, Bsz, H)))}
    if cell == "lstm":
        p["c0"] = f32(0.5 * rng.standard_normal((D, Bsz, H)))
        if spec["peepholes"]:
            p["P"] = f32(rng.uniform(-0.5, 0.5, size=(D, 3 * H)))
    return p


def ort_node_attributes(spec):
    """Node attributes.  alpha / beta are always written for the functions that take
    them (ONNX Runtime's defaults differ from the ONNX operators': 0 for Affine,
    ThresholdedRelu and ScaledTanh, and 0 for everything in the RNN kernel).
    ONNX Runtime's LSTM and GRU kernels consume activation_alpha / activation_beta
    entries only for the functions that take them, in function order.  Its RNN
    kernel instead reads activation_alpha[direction] / activation_beta[direction];
    the two readings coincide here because both directions use the same function
    (a bidirectional Tanh / LeakyRelu node with activation_alpha = [a] makes
    ONNX Runtime 1.28 abort on an out-of-range vector index)."""
    cell = spec["cell"]
    D = SEQ_DIRS[spec["direction"]]
    acts = spec["acts"] * D
    attrs = {"hidden_size": ORT_H, "direction": spec["direction"], "layout": 0,
             "activations": [a["name"] for a in acts]}
    alphas = [a["alpha"] for a in acts if "alpha" in a]
    betas = [a["beta"] for a in acts if "beta" in a]
    if alphas:
        attrs["activation_alpha"] = alphas
    if betas:
        attrs["activation_beta"] = betas
    if spec["clip"] is not None:
        attrs["clip"] = float(spec["clip"])
    if cell == "lstm":
        attrs["input_forget"] = int(bool(spec["input_forget"]))
    if cell == "gru":
        attrs["linear_before_reset"] = int(spec["lbr"])
    return attrs


def ort_build_case(spec, p, workdir, manifest):
    """Write the model and its raw inputs; append the case to the runner manifest."""
    from onnx import TensorProto, helper
    name, cell = spec["name"], spec["cell"]
    D = SEQ_DIRS[spec["direction"]]
    Bsz, T, I, H = ORT_B, ORT_T, ORT_I, ORT_H
    feeds = [("X", np.ascontiguousarray(np.transpose(p["x"], (1, 0, 2)))),   # [T, B, I]
             ("W", p["W"]), ("R", p["R"]), ("B", p["B"])]
    if spec["lengths"]:
        feeds.append(("sequence_lens", np.asarray(ORT_LENGTHS, np.int32)))
    feeds.append(("initial_h", p["h0"]))
    if cell == "lstm":
        feeds.append(("initial_c", p["c0"]))
        if spec["peepholes"]:
            feeds.append(("P", p["P"]))
    order = {"lstm": ["X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c", "P"],
             "gru": ["X", "W", "R", "B", "sequence_lens", "initial_h"],
             "rnn": ["X", "W", "R", "B", "sequence_lens", "initial_h"]}[cell]
    fed = dict(feeds)
    node_inputs = [n if n in fed else "" for n in order]
    while node_inputs[-1] == "":
        node_inputs.pop()
    outputs = ["Y", "Y_h"] + (["Y_c"] if cell == "lstm" else [])
    node = helper.make_node({"lstm": "LSTM", "gru": "GRU", "rnn": "RNN"}[cell], node_inputs, outputs,
                            name=name, **ort_node_attributes(spec))
    graph_inputs = [helper.make_tensor_value_info(
        n, TensorProto.INT32 if a.dtype == np.int32 else TensorProto.FLOAT, list(a.shape))
        for n, a in feeds]
    graph_outputs = [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [T, D, Bsz, H])]
    graph_outputs += [helper.make_tensor_value_info(n, TensorProto.FLOAT, [D, Bsz, H])
                      for n in outputs[1:]]
    graph = helper.make_graph([node], name, graph_inputs, graph_outputs)
    model = helper.make_model(graph, producer_name="recurra generate_golden.py",
                              opset_imports=[helper.make_opsetid("", ORT_OPSET)])
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(workdir, name + ".onnx"))
    manifest.append("model %s %s.onnx" % (name, name))
    for n, a in feeds:
        fname = "%s.%s.in" % (name, n)
        if a.dtype == np.int32:
            a.astype("<i4").tofile(os.path.join(workdir, fname))
            kind = "i32"
        else:
            assert a.dtype == np.float32
            a.astype("<f4").tofile(os.path.join(workdir, fname))
            kind = "f32"
        manifest.append("in %s %s %s %s" % (n, kind, fname, ",".join(str(s) for s in a.shape)))
    for n in outputs:
        manifest.append("out %s" % n)
    manifest.append("run")


def ort_java():
    home = os.environ.get("JAVA_HOME")
    return os.path.join(home, "bin", "java") if home else "java"


def ort_run_all(specs, draws):
    """Build every model, run them all in one JVM, return ({case: {output: array}}, version)."""
    import tempfile
    if not os.path.isfile(ORT_JAR):
        raise SystemExit(
            "ONNX Runtime Java %s jar not found at %s.\nFetch it with\n"
            "    mvn -q dependency:get -Dartifact=com.microsoft.onnxruntime:onnxruntime:%s\n"
            "or point ORT_JAR at it." % (ORT_VERSION, ORT_JAR, ORT_VERSION))
    with tempfile.TemporaryDirectory(prefix="recurra-ort-") as workdir:
        manifest = []
        for spec in specs:
            ort_build_case(spec, draws[spec["name"]], workdir, manifest)
        with open(os.path.join(workdir, "manifest.txt"), "w", encoding="utf-8") as fh:
            fh.write("\n".join(manifest) + "\n")
        proc = subprocess.run([ort_java(), "-cp", ORT_JAR, ORT_RUNNER, workdir],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise SystemExit("OrtNodeRunner failed (exit %d):\n%s\n%s"
                             % (proc.returncode, proc.stdout, proc.stderr))
        with open(os.path.join(workdir, "ort_version.txt"), encoding="utf-8") as fh:
            version = fh.read().strip()
        out = {}
        with open(os.path.join(workdir, "results.txt"), encoding="utf-8") as fh:
            for line in fh:
                case, oname, fname, shape = line.split()
                a = np.fromfile(os.path.join(workdir, fname), dtype="<f4")
                out.setdefault(case, {})[oname] = a.reshape([int(s) for s in shape.split(",")])
    if version != ORT_VERSION:
        raise SystemExit("expected ONNX Runtime %s, the jar reports %s" % (ORT_VERSION, version))
    return out, version


def ort_case(spec, p, res, version):
    name, cell, direction = spec["name"], spec["cell"], spec["direction"]
    Bsz, T, I, H = ORT_B, ORT_T, ORT_I, ORT_H
    D = SEQ_DIRS[direction]
    lengths = ORT_LENGTHS if spec["lengths"] else None
    Y = res["Y"]                                    # [T, D, B, H]
    assert Y.shape == (T, D, Bsz, H), (name, Y.shape)
    y = np.transpose(Y, (2, 0, 1, 3)).reshape(Bsz, T, D * H)
    hT = res["Y_h"]
    cT = res.get("Y_c")

    # Where Y_h comes from: forward = y at step len-1, reverse = y at t = 0.
    lens = lengths or [T] * Bsz
    for d, rev in enumerate({"forward": [False], "reverse": [True],
                             "bidirectional": [False, True]}[direction]):
        for b in range(Bsz):
            t = 0 if rev else lens[b] - 1
            assert np.array_equal(hT[d, b], y[b, t, d * H:(d + 1) * H]), (name, d, b)
    for b in range(Bsz):
        assert not np.any(y[b, lens[b]:]), "non-zero padding in %s" % name

    src = ("onnxruntime %s (Java API, CPU execution provider, 1 thread, no graph optimizations) "
           "evaluating one ONNX %s node (opset %d, layout 0, time-major X; Y [T, D, B, H] "
           "transposed to batch-major), float32" % (version, cell.upper(), ORT_OPSET))
    obj = {"name": name, "source": src, "cell": cell,
           "batch": Bsz, "time": T, "input": I, "hidden": H, "layers": 1, "direction": direction}
    if cell == "lstm":
        obj["peepholes"] = bool(spec["peepholes"])
        obj["inputForget"] = bool(spec["input_forget"])
    if cell == "gru":
        obj["linearBeforeReset"] = bool(spec["lbr"])
    if spec["clip"] is not None:
        obj["clip"] = f32_scalar(spec["clip"])
    obj["activations"] = [dict(a) for a in spec["acts"]]
    obj["x"] = f32_list(p["x"])
    if lengths is not None:
        obj["lengths"] = [int(v) for v in lengths]
    params = {"layer0.W": p["W"], "layer0.R": p["R"], "layer0.B": p["B"]}
    if "P" in p:
        params["layer0.P"] = p["P"]
    obj["params"] = dict_f32(params)
    obj["h0"] = {"layer0": f32_list(p["h0"])}
    if cell == "lstm":
        obj["c0"] = {"layer0": f32_list(p["c0"])}
    obj["y"] = f32_list(y)
    obj["hT"] = {"layer0": f32_list(hT)}
    if cell == "lstm":
        obj["cT"] = {"layer0": f32_list(cT)}
    write_json(name, obj)

    # Self-check: the float64 restatement fed from the JSON values.
    G = GATES[cell]
    get = lambda v, shape: np.asarray(v, np.float64).reshape(shape)
    prm = obj["params"]
    o = {"acts": obj["activations"], "clip": obj.get("clip"),
         "input_forget": obj.get("inputForget", False), "lbr": obj.get("linearBeforeReset", False)}
    stats = [0, 0]
    ry, rh, rc = ort_np_node(
        cell, o, get(obj["x"], (Bsz, T, I)), obj.get("lengths"),
        get(prm["layer0.W"], (D, G * H, I)), get(prm["layer0.R"], (D, G * H, H)),
        get(prm["layer0.B"], (D, 2 * G * H)),
        get(prm["layer0.P"], (D, 3 * H)) if "layer0.P" in prm else None,
        get(obj["h0"]["layer0"], (D, Bsz, H)),
        get(obj["c0"]["layer0"], (D, Bsz, H)) if cell == "lstm" else None,
        direction, stats)
    diff = float(np.max(np.abs(ry - get(obj["y"], ry.shape))))
    diff = max(diff, float(np.max(np.abs(rh - get(obj["hT"]["layer0"], rh.shape)))))
    if cell == "lstm":
        diff = max(diff, float(np.max(np.abs(rc - get(obj["cT"]["layer0"], rc.shape)))))
    clipped = None
    if spec["clip"] is not None:
        clipped = stats[1] / stats[0]
        assert clipped > 0.10, "%s: only %.1f%% of the pre-activations exceed the clip" % (
            name, 100 * clipped)
    return diff, clipped


# ONNX Runtime's alpha / beta when an activation that takes them finds no entry left
# (rnn_helpers.cc; the RNN kernel instead defaults to 0 for every function).
ORT_ACT_DEFAULTS = {"LeakyRelu": {"alpha": 0.01}, "HardSigmoid": {"alpha": 0.2, "beta": 0.5},
                    "Elu": {"alpha": 1.0}}


def ort_alternatives(spec):
    """Plausible misreadings of each case's options.  Each must change the
    numpy outputs noticeably, or the case would not test the option."""
    cell = spec["cell"]
    alts = []
    if spec["clip"] is not None:
        alts.append(("no clip", {"clip": None}, {}))
    if spec["input_forget"]:
        alts.append(("input_forget=0", {"input_forget": False}, {}))
    if spec["peepholes"]:
        alts.append(("no peepholes", {}, {"P": None}))
        alts.append(("output peephole on C_{t-1}", {"output_peephole_prev": True}, {}))
    if cell == "gru":
        alts.append(("linear_before_reset=%d" % (1 - spec["lbr"]), {"lbr": not spec["lbr"]}, {}))
    if spec["acts"] != ORT_DEFAULT_ACTS[cell]:
        alts.append(("default activations", {"acts": ORT_DEFAULT_ACTS[cell]}, {}))
    for k, a in enumerate(spec["acts"]):
        for arg in ACT_ARGS[a["name"]]:
            dflt = f32_scalar(ORT_ACT_DEFAULTS.get(a["name"], {}).get(arg, 0.0))
            if dflt != a[arg]:
                acts = [dict(b) for b in spec["acts"]]
                acts[k][arg] = dflt
                alts.append(("%s %s=%g" % (a["name"], arg, dflt), {"acts": acts}, {}))
    if spec["lengths"] and spec["direction"] != "forward":
        alts.append(("reverse pass starting at T-1", {}, {"lengths": None}))
    return alts


def ort_discrimination(spec, p):
    """Smallest change, over the alternatives, of y at the valid steps and hT / cT."""
    cell, direction = spec["cell"], spec["direction"]
    lengths = ORT_LENGTHS if spec["lengths"] else None
    lens = lengths or [ORT_T] * ORT_B
    mask = np.array([[t < lens[b] for t in range(ORT_T)] for b in range(ORT_B)])[:, :, None]
    base_o = {"acts": spec["acts"], "clip": spec["clip"], "input_forget": spec["input_forget"],
              "lbr": bool(spec["lbr"])}
    d64 = lambda k: None if p.get(k) is None else np.asarray(p[k], np.float64)
    base_in = {"lengths": lengths, "P": d64("P")}

    def run(o, inp):
        y, h, c = ort_np_node(cell, o, d64("x"), inp["lengths"], d64("W"), d64("R"), d64("B"),
                              inp["P"], d64("h0"), d64("c0"), direction, [0, 0])
        return y * mask, h, c

    ref = run(base_o, base_in)
    worst = None
    for label, o_mod, in_mod in ort_alternatives(spec):
        alt = run(dict(base_o, **o_mod), dict(base_in, **in_mod))
        if "lengths" in in_mod:      # only the valid outputs can tell the two apart
            d = float(np.max(np.abs(alt[0] - ref[0])))
        else:
            d = max(float(np.max(np.abs(a - r))) for a, r in zip(alt, ref) if r is not None)
        assert d > 1e-3, "%s does not discriminate '%s' (%g)" % (spec["name"], label, d)
        worst = d if worst is None else min(worst, d)
    return worst, len(ort_alternatives(spec))


def ort_cases():
    print("ONNX Runtime single-node cases (ORT float32 vs float64 numpy restatement, y / hT / cT;")
    print("  'alt' = smallest output change under a misreading of the case's options):")
    draws = {spec["name"]: ort_draw(spec) for spec in ORT_SPECS}
    results, version = ort_run_all(ORT_SPECS, draws)
    worst = 0.0
    for spec in ORT_SPECS:
        d, clipped = ort_case(spec, draws[spec["name"]], results[spec["name"]], version)
        alt, n_alt = ort_discrimination(spec, draws[spec["name"]])
        note = "" if alt is None else "  alt >= %.2g (%d)" % (alt, n_alt)
        if clipped is not None:
            note += "  %.0f%% of gate pre-activations clipped" % (100 * clipped)
        print("  %-42s max |diff| = %.3e%s" % (spec["name"], d, note))
        worst = max(worst, d)
    print("  overall max |diff| = %.3e (tolerance %.0e), onnxruntime %s" % (
        worst, SELF_CHECK_TOL, version))
    assert worst < SELF_CHECK_TOL, "ONNX Runtime and the numpy restatement disagree"


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
    ort_cases()
    print("Wrote %d files to %s:" % (len(written), os.path.relpath(OUT_DIR, REPO_ROOT)))
    for path, size in written:
        print("  %-90s %6d bytes" % (path, size))


if __name__ == "__main__":
    main()
