#!/usr/bin/python3
"""Export small PyTorch recurrent models to ONNX as fixtures for Recurra's ONNX importer.

Run from the repository root with Debian's interpreter (it ships python3-torch 1.13
and python3-onnx 1.12; the python3 first on PATH may have neither):

    /usr/bin/python3 tools/onnx/export_pytorch.py            # write every fixture
    /usr/bin/python3 tools/onnx/export_pytorch.py --dump NAME  # also print NAME's nodes

For every case the script builds an nn.LSTM / nn.GRU / nn.RNN model (batch_first,
input size 5, hidden size 4, usually followed by an nn.Linear head with 3 outputs),
draws every weight and bias from uniform(-0.5, 0.5) with the case's own fixed seed,
exports it with torch.onnx.export (opset 14, dynamic batch and time axes), checks the
file with onnx.checker.check_model(full_check=True) and writes, next to the .onnx file,
a JSON file with two inputs (A [3, 7, 5], B [2, 4, 5]; plus h0 / c0 for the stateful
cases) and the outputs of PyTorch's eager float32 forward on them. manifest.json lists
every case. See tools/onnx/README.md.

The expected outputs come from PyTorch alone. As a self-check the script also
evaluates each exported graph with a small float64 numpy interpreter of the ONNX
operators it contains (there is no onnxruntime for Python here) and requires it to
agree with the eager outputs to 1e-5; it prints the largest difference per case.
"""

import argparse
import json
import os
import subprocess
import sys
import zlib

import numpy as np
import torch
import torch.nn as nn

import onnx
from onnx import numpy_helper

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(REPO_ROOT, "onnx", "src", "test", "resources",
                       "io", "github", "recurra", "onnx", "pytorch")

OPSET = 14
INPUT_SIZE = 5
HIDDEN = 4
OUTPUTS = 3
SHAPE_A = (3, 7, INPUT_SIZE)   # batch 3, time 7
SHAPE_B = (2, 4, INPUT_SIZE)   # batch 2, time 4: a different batch and time
SELF_CHECK_TOL = 1e-5
MAX_TOTAL_BYTES = 2 * 1024 * 1024

torch.set_num_threads(1)  # fixed float32 reduction order


def _torch_version():
    """Debian's torch reports __version__ 1.13.0a0; name the package version too."""
    try:
        deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        deb = ""
    if deb and torch.__file__.startswith("/usr/lib/python3/"):
        return "%s (Debian python3-torch %s)" % (torch.__version__, deb)
    return torch.__version__


# --------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------

MODULES = {
    "lstm": lambda layers, bi: nn.LSTM(INPUT_SIZE, HIDDEN, num_layers=layers,
                                       bidirectional=bi, batch_first=True),
    "gru": lambda layers, bi: nn.GRU(INPUT_SIZE, HIDDEN, num_layers=layers,
                                     bidirectional=bi, batch_first=True),
    "rnn_tanh": lambda layers, bi: nn.RNN(INPUT_SIZE, HIDDEN, num_layers=layers,
                                          nonlinearity="tanh", bidirectional=bi,
                                          batch_first=True),
    "rnn_relu": lambda layers, bi: nn.RNN(INPUT_SIZE, HIDDEN, num_layers=layers,
                                          nonlinearity="relu", bidirectional=bi,
                                          batch_first=True),
}

# What each head form feeds to the nn.Linear, written as in forward() below.
HEAD_EXPR = {
    "last": "linear(y[:, -1, :])",
    "hn": "linear(h_n[-1])",
    "hn_cat": "linear(torch.cat((h_n[-2], h_n[-1]), dim=1))",
    "every": "linear(y)",
    "none": "y",
}


def build_cases():
    cases = []
    for cell in ("lstm", "gru", "rnn_tanh", "rnn_relu"):
        for layers in (1, 2):
            for bi in (False, True):
                heads = ("last", "hn", "hn_cat", "every") if bi else ("last", "hn", "every")
                for head in heads:
                    cases.append(dict(cell=cell, layers=layers, bidirectional=bi,
                                      head=head, stateful=False))
    for cell, layers, bi in (("lstm", 1, False), ("lstm", 2, False), ("gru", 1, False),
                             ("gru", 2, False), ("lstm", 2, True)):
        cases.append(dict(cell=cell, layers=layers, bidirectional=bi, head="last",
                          stateful=True))
    cases.append(dict(cell="gru", layers=2, bidirectional=True, head="none", stateful=False))
    for c in cases:
        c["name"] = "%s_l%d_%s_%s" % (c["cell"], c["layers"], "bi" if c["bidirectional"] else "uni",
                                      "stateful" if c["stateful"] else
                                      ("nohead" if c["head"] == "none" else c["head"]))
        c["seed"] = zlib.crc32(c["name"].encode("ascii")) & 0x7FFFFFFF
    return cases


class Net(nn.Module):
    """A recurrent module (batch_first) and, unless head is 'none', a Linear head."""

    def __init__(self, cell, layers, bidirectional, head, stateful):
        super().__init__()
        self.cell, self.head, self.stateful = cell, head, stateful
        self.rnn = MODULES[cell](layers, bidirectional)
        features = HIDDEN * (2 if bidirectional else 1)
        if head in ("hn",):
            features = HIDDEN  # one direction's final state
        if head != "none":
            self.linear = nn.Linear(features, OUTPUTS)

    def forward(self, x, *state):
        if self.stateful:
            state = (state[0], state[1]) if self.cell == "lstm" else state[0]
            y, s = self.rnn(x, state)
        else:
            y, s = self.rnn(x)
        h_n = s[0] if self.cell == "lstm" else s
        if self.head == "none":
            return y
        if self.head == "last":
            logits = self.linear(y[:, -1, :])
        elif self.head == "hn":
            logits = self.linear(h_n[-1])
        elif self.head == "hn_cat":
            logits = self.linear(torch.cat((h_n[-2], h_n[-1]), dim=1))
        elif self.head == "every":
            logits = self.linear(y)
        else:
            raise ValueError(self.head)
        if self.stateful:
            return (logits, s[0], s[1]) if self.cell == "lstm" else (logits, s)
        return logits


def io_names(case):
    """Graph input and output names and their dynamic axes."""
    inputs = {"input": {0: "batch", 1: "time"}}
    if case["stateful"]:
        inputs["h0"] = {1: "batch"}
        if case["cell"] == "lstm":
            inputs["c0"] = {1: "batch"}
    if case["head"] == "none":
        outputs = {"y": {0: "batch", 1: "time"}}
    elif case["head"] == "every":
        outputs = {"logits": {0: "batch", 1: "time"}}
    else:
        outputs = {"logits": {0: "batch"}}
    if case["stateful"]:
        outputs["h_n"] = {1: "batch"}
        if case["cell"] == "lstm":
            outputs["c_n"] = {1: "batch"}
    return inputs, outputs


# --------------------------------------------------------------------------
# A float64 numpy interpreter of the ONNX operators the exporter emits (self-check)
# --------------------------------------------------------------------------

def _attrs(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


_ACT = {"Sigmoid": _sigmoid, "Tanh": np.tanh, "Relu": lambda x: np.maximum(x, 0.0)}


def _recurrent(op, ins, at):
    """ONNX LSTM / GRU / RNN, layout 0: X [T, B, I]; Y [T, D, B, H]."""
    for key in ("clip", "input_forget", "activation_alpha", "activation_beta"):
        if key in at and at[key]:
            raise ValueError("%s: unsupported attribute %s" % (op, key))
    if at.get("layout", 0) != 0:
        raise ValueError("layout 1 not supported")
    H = at["hidden_size"]
    direction = at.get("direction", b"forward").decode()
    D = 2 if direction == "bidirectional" else 1
    G = {"LSTM": 4, "GRU": 3, "RNN": 1}[op]
    default_acts = {"LSTM": ["Sigmoid", "Tanh", "Tanh"], "GRU": ["Sigmoid", "Tanh"],
                    "RNN": ["Tanh"]}[op]
    acts = [a.decode() for a in at.get("activations", [])] or default_acts * D
    if len(acts) == len(default_acts):
        acts = acts * D
    X, W, R = ins[0], ins[1], ins[2]
    T, Bn, _ = X.shape
    Bias = ins[3] if len(ins) > 3 and ins[3] is not None else np.zeros((D, 2 * G * H))
    if len(ins) > 4 and ins[4] is not None:
        raise ValueError("sequence_lens not supported")
    h0 = ins[5] if len(ins) > 5 and ins[5] is not None else np.zeros((D, Bn, H))
    c0 = ins[6] if len(ins) > 6 and ins[6] is not None else np.zeros((D, Bn, H))
    if len(ins) > 7 and ins[7] is not None:
        raise ValueError("peepholes not supported")
    lbr = at.get("linear_before_reset", 0)
    Y = np.zeros((T, D, Bn, H))
    Yh = np.zeros((D, Bn, H))
    Yc = np.zeros((D, Bn, H))
    for d in range(D):
        reverse = direction == "reverse" or d == 1
        f = _ACT[acts[d * len(default_acts)]]
        g = _ACT[acts[d * len(default_acts) + 1]] if G > 1 else None
        hact = _ACT[acts[d * len(default_acts) + 2]] if G == 4 else None
        Wb, Rb = Bias[d, :G * H], Bias[d, G * H:]
        h, c = h0[d], c0[d]
        for t in (range(T - 1, -1, -1) if reverse else range(T)):
            xw = X[t] @ W[d].T + Wb
            hr = h @ R[d].T + Rb
            if op == "LSTM":
                gi, go, gf, gc = [xw[:, k * H:(k + 1) * H] + hr[:, k * H:(k + 1) * H]
                                  for k in range(4)]
                i, o, fg, cc = f(gi), f(go), f(gf), g(gc)
                c = fg * c + i * cc
                h = o * hact(c)
            elif op == "GRU":
                z = f(xw[:, :H] + hr[:, :H])
                r = f(xw[:, H:2 * H] + hr[:, H:2 * H])
                if lbr:
                    n = g(xw[:, 2 * H:] + r * hr[:, 2 * H:])
                else:
                    n = g(xw[:, 2 * H:] + (r * h) @ R[d, 2 * H:].T + Rb[2 * H:])
                h = (1.0 - z) * n + z * h
            else:
                h = f(xw + hr)
            Y[t, d] = h
        Yh[d], Yc[d] = h, c
    return [Y, Yh, Yc] if op == "LSTM" else [Y, Yh]


def _axes_arg(node, ins, at, pos):
    if len(ins) > pos and ins[pos] is not None:
        return [int(a) for a in ins[pos]]
    return at.get("axes")


def evaluate_onnx(model, feeds):
    """Evaluate model.graph on feeds (name -> array) in float64; returns name -> array."""
    def widen(a):
        a = np.asarray(a)
        return a.astype(np.float64) if a.dtype.kind == "f" else a

    env = {init.name: widen(numpy_helper.to_array(init)) for init in model.graph.initializer}
    env.update({k: widen(v) for k, v in feeds.items()})
    env[""] = None
    for node in model.graph.node:
        ins = [env[name] for name in node.input]
        at = _attrs(node)
        op = node.op_type
        if op in ("LSTM", "GRU", "RNN"):
            outs = _recurrent(op, ins, at)
        elif op == "Constant":
            outs = [widen(numpy_helper.to_array(at["value"]))]
        elif op == "Shape":
            outs = [np.array(ins[0].shape, dtype=np.int64)]
        elif op == "Gather":
            outs = [np.take(ins[0], ins[1], axis=at.get("axis", 0))]
        elif op == "Unsqueeze":
            out = ins[0]
            axes = _axes_arg(node, ins, at, 1)
            rank = out.ndim + len(axes)
            for a in sorted(a % rank for a in axes):
                out = np.expand_dims(out, a)
            outs = [out]
        elif op == "Squeeze":
            axes = _axes_arg(node, ins, at, 1)
            outs = [np.squeeze(ins[0], axis=tuple(axes) if axes is not None else None)]
        elif op == "Concat":
            outs = [np.concatenate(ins, axis=at["axis"])]
        elif op == "ConstantOfShape":
            value = widen(numpy_helper.to_array(at["value"])) if "value" in at else np.zeros(1)
            outs = [np.full(tuple(int(s) for s in ins[0]), value.reshape(-1)[0], dtype=value.dtype)]
        elif op == "Transpose":
            outs = [np.transpose(ins[0], at.get("perm"))]
        elif op == "Reshape":
            if at.get("allowzero", 0):
                raise ValueError("allowzero not supported")
            shape = [int(ins[0].shape[i]) if s == 0 else int(s) for i, s in enumerate(ins[1])]
            outs = [ins[0].reshape(shape)]
        elif op == "Slice":
            data, starts, ends = ins[0], ins[1], ins[2]
            axes = ins[3] if len(ins) > 3 and ins[3] is not None else range(len(starts))
            steps = ins[4] if len(ins) > 4 and ins[4] is not None else [1] * len(starts)
            index = [slice(None)] * data.ndim
            for s, e, a, st in zip(starts, ends, axes, steps):
                index[int(a)] = slice(*slice(int(s), int(e), int(st)).indices(data.shape[int(a)]))
            outs = [data[tuple(index)]]
        elif op == "Expand":
            outs = [ins[0] * np.ones(tuple(int(s) for s in ins[1]), dtype=ins[0].dtype)]
        elif op == "Gemm":
            a = ins[0].T if at.get("transA", 0) else ins[0]
            b = ins[1].T if at.get("transB", 0) else ins[1]
            out = at.get("alpha", 1.0) * (a @ b)
            if len(ins) > 2 and ins[2] is not None:
                out = out + at.get("beta", 1.0) * ins[2]
            outs = [out]
        elif op == "MatMul":
            outs = [np.matmul(ins[0], ins[1])]
        elif op == "Add":
            outs = [ins[0] + ins[1]]
        elif op == "Identity":
            outs = [ins[0]]
        else:
            raise ValueError("self-check interpreter has no operator %s" % op)
        for name, value in zip(node.output, outs):
            env[name] = value
    return {o.name: env[o.name] for o in model.graph.output}


# --------------------------------------------------------------------------
# Node listing (for --dump and for the importer author)
# --------------------------------------------------------------------------

def _short(t):
    a = numpy_helper.to_array(t)
    if a.ndim == 0:
        return "%s scalar %s" % (a.dtype, a.item())
    if a.size <= 8:
        return "%s %s" % (a.dtype, a.tolist())
    return "%s shape %s" % (a.dtype, list(a.shape))


def dump_graph(model, out=sys.stdout):
    g = model.graph
    print("ir_version %d, opset %s, producer %s %s" % (
        model.ir_version, [(o.domain or "ai.onnx", o.version) for o in model.opset_import],
        model.producer_name, model.producer_version), file=out)

    def vi(v):
        dims = [d.dim_param if d.HasField("dim_param") else d.dim_value
                for d in v.type.tensor_type.shape.dim]
        return "%s %s" % (v.name, dims)
    for v in g.input:
        print("  input  %s" % vi(v), file=out)
    for v in g.output:
        print("  output %s" % vi(v), file=out)
    for t in g.initializer:
        print("  init   %s %s" % (t.name, list(t.dims)), file=out)
    for n in g.node:
        attrs = []
        for a in n.attribute:
            v = onnx.helper.get_attribute_value(a)
            if isinstance(v, onnx.TensorProto):
                v = _short(v)
            elif isinstance(v, bytes):
                v = v.decode()
            elif isinstance(v, list):
                v = [x.decode() if isinstance(x, bytes) else x for x in v]
            attrs.append("%s=%s" % (a.name, v))
        print("  %s(%s) -> %s%s" % (n.op_type, ", ".join(i if i else "''" for i in n.input),
                                    ", ".join(n.output),
                                    "  {" + ", ".join(attrs) + "}" if attrs else ""), file=out)


# --------------------------------------------------------------------------
# Generation
# --------------------------------------------------------------------------

def tensor_json(a):
    a = np.asarray(a, dtype=np.float32)
    return {"shape": list(a.shape), "data": a.reshape(-1).tolist()}


def dims_of(value_info):
    return [d.dim_param if d.HasField("dim_param") else d.dim_value
            for d in value_info.type.tensor_type.shape.dim]


def write_json(path, obj):
    """indent-1 JSON with every 'data' array on one line."""
    def fmt(o, depth):
        pad, inner = " " * depth, " " * (depth + 1)
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = []
            for k, v in o.items():
                if k == "data" or (isinstance(v, list) and all(not isinstance(x, (dict, list)) for x in v)):
                    items.append("%s%s: %s" % (inner, json.dumps(k), json.dumps(v, allow_nan=False)))
                else:
                    items.append("%s%s: %s" % (inner, json.dumps(k), fmt(v, depth + 1)))
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(o, list):
            if not o:
                return "[]"
            return "[\n" + ",\n".join(inner + fmt(v, depth + 1) for v in o) + "\n" + pad + "]"
        return json.dumps(o, allow_nan=False)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(fmt(obj, 0))
        fh.write("\n")


def make_inputs(case, rng):
    dirs = 2 if case["bidirectional"] else 1
    sets = {}
    for key, shape in (("A", SHAPE_A), ("B", SHAPE_B)):
        feeds = {"input": rng.standard_normal(shape).astype(np.float32)}
        if case["stateful"]:
            state_shape = (case["layers"] * dirs, shape[0], HIDDEN)
            feeds["h0"] = rng.standard_normal(state_shape).astype(np.float32)
            if case["cell"] == "lstm":
                feeds["c0"] = rng.standard_normal(state_shape).astype(np.float32)
        sets[key] = feeds
    return sets


def run_case(case, dump_names):
    torch.manual_seed(case["seed"])
    net = Net(case["cell"], case["layers"], case["bidirectional"], case["head"], case["stateful"])
    with torch.no_grad():
        for p in net.parameters():
            p.uniform_(-0.5, 0.5)
    net.eval()
    rng = np.random.default_rng(case["seed"])
    sets = make_inputs(case, rng)
    in_axes, out_axes = io_names(case)
    in_names, out_names = list(in_axes), list(out_axes)

    def eager(feeds):
        with torch.no_grad():
            out = net(*[torch.from_numpy(feeds[n]) for n in in_names])
        out = out if isinstance(out, tuple) else (out,)
        return {n: o.numpy().astype(np.float32) for n, o in zip(out_names, out)}

    expected = {key: eager(feeds) for key, feeds in sets.items()}

    onnx_file = case["name"] + ".onnx"
    onnx_path = os.path.join(OUT_DIR, onnx_file)
    example = tuple(torch.from_numpy(sets["A"][n]) for n in in_names)
    torch.onnx.export(net, example, onnx_path, export_params=True, opset_version=OPSET,
                      do_constant_folding=True, input_names=in_names, output_names=out_names,
                      dynamic_axes={**in_axes, **out_axes},
                      training=torch.onnx.TrainingMode.EVAL)
    model = onnx.load(onnx_path)
    onnx.checker.check_model(model, full_check=True)
    if [v.name for v in model.graph.input] != in_names:
        raise SystemExit("%s: graph inputs %s" % (case["name"], [v.name for v in model.graph.input]))
    if [v.name for v in model.graph.output] != out_names:
        raise SystemExit("%s: graph outputs %s" % (case["name"], [v.name for v in model.graph.output]))
    for v in list(model.graph.input) + list(model.graph.output):
        axes = {**in_axes, **out_axes}[v.name]
        dims = dims_of(v)
        for axis, label in axes.items():
            if dims[axis] != label:
                raise SystemExit("%s: %s has dims %s, wanted %s on axis %d"
                                 % (case["name"], v.name, dims, label, axis))

    # Self-checks: a second eager run is bit-identical, and the exported graph,
    # interpreted in float64 with numpy, agrees with the eager float32 outputs.
    worst = 0.0
    for key, feeds in sets.items():
        again = eager(feeds)
        for n in out_names:
            if not np.array_equal(again[n], expected[key][n]):
                raise SystemExit("%s: eager forward is not deterministic" % case["name"])
        got = evaluate_onnx(model, feeds)
        for n in out_names:
            if got[n].shape != expected[key][n].shape:
                raise SystemExit("%s: %s %s shape %s, eager %s" % (
                    case["name"], key, n, got[n].shape, expected[key][n].shape))
            worst = max(worst, float(np.max(np.abs(got[n] - expected[key][n]))))
    if not worst <= SELF_CHECK_TOL:
        raise SystemExit("%s: exported graph differs from eager by %.3g" % (case["name"], worst))

    json_file = case["name"] + ".json"
    write_json(os.path.join(OUT_DIR, json_file), {
        "name": case["name"],
        "model": onnx_file,
        "inputs": {k: {n: tensor_json(v) for n, v in feeds.items()} for k, feeds in sets.items()},
        "outputs": {k: {n: tensor_json(v) for n, v in outs.items()} for k, outs in expected.items()},
    })
    entry = {
        "name": case["name"],
        "file": onnx_file,
        "expected": json_file,
        "cell": case["cell"],
        "layers": case["layers"],
        "bidirectional": case["bidirectional"],
        "head": case["head"],
        "headExpr": HEAD_EXPR[case["head"]],
        "stateful": case["stateful"],
        "inputSize": INPUT_SIZE,
        "hiddenSize": HIDDEN,
        "outputs": None if case["head"] == "none" else OUTPUTS,
        "seed": case["seed"],
        "graphInputs": [{"name": v.name, "shape": dims_of(v)} for v in model.graph.input],
        "graphOutputs": [{"name": v.name, "shape": dims_of(v)} for v in model.graph.output],
        "opTypes": sorted({n.op_type for n in model.graph.node}),
    }
    if case["name"] in dump_names:
        print("=== %s: %s" % (case["name"], HEAD_EXPR[case["head"]]))
        dump_graph(model)
    return entry, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dump", nargs="*", default=[], metavar="NAME",
                        help="print the ONNX node list of these cases ('all' for every case)")
    args = parser.parse_args()
    os.makedirs(OUT_DIR, exist_ok=True)
    cases = build_cases()
    dump_names = {c["name"] for c in cases} if "all" in args.dump else set(args.dump)
    unknown = dump_names - {c["name"] for c in cases}
    if unknown:
        raise SystemExit("no such case: %s" % ", ".join(sorted(unknown)))
    for name in os.listdir(OUT_DIR):  # drop files of cases that no longer exist
        if name.endswith((".onnx", ".json")):
            os.remove(os.path.join(OUT_DIR, name))
    entries = []
    for case in cases:
        entry, worst = run_case(case, dump_names)
        entries.append(entry)
        print("%-24s ok  checker full_check; numpy ONNX eval vs eager max |diff| %.2e"
              % (case["name"], worst))
    first = onnx.load(os.path.join(OUT_DIR, entries[0]["file"]))
    write_json(os.path.join(OUT_DIR, "manifest.json"), {
        "generator": "tools/onnx/export_pytorch.py",
        "torch": _torch_version(),
        "onnx": onnx.__version__,
        "opset": OPSET,
        "irVersion": first.ir_version,
        "inputShapes": {"A": list(SHAPE_A), "B": list(SHAPE_B)},
        "cases": entries,
    })
    total = sum(os.path.getsize(os.path.join(OUT_DIR, n)) for n in os.listdir(OUT_DIR))
    print("%d cases, %d files, %d bytes in %s" % (len(entries), len(os.listdir(OUT_DIR)), total,
                                                   os.path.relpath(OUT_DIR, REPO_ROOT)))
    if total >= MAX_TOTAL_BYTES:
        raise SystemExit("fixtures are %d bytes, over the %d byte limit" % (total, MAX_TOTAL_BYTES))


if __name__ == "__main__":
    main()
