#!/usr/bin/python3
"""Times PyTorch on Recurra's reference workload and prints BENCH lines in the same format as `recurra bench`.

Workload: B=128, T=28, I=28, H=128, a dense layer to 10 classes on the last step, softmax cross-entropy, Adam 1e-3.
train_step = zero_grad + forward + backward + Adam step; infer = forward under inference_mode (batch 128 and 1).
Each figure is the median of ROUNDS x STEPS individually timed calls after WARMUP untimed calls.
MODE bench (the default) also prints a PEAK line first: torch.mm on 1024 x 1024 float32 matrices, with THREADS
threads and with one, in GFLOP/s (the machine's single-precision GEMM rate through this BLAS). MODE sweep times only
the training step over hidden 128 and 512, batch 32, 128 and 512, 1 and 2 layers (T=28), then T=14, 56 and 112 at
hidden 128, batch 128, one layer, and prints SWEEP lines. MODE serve reads sweep points from standard input, one per
line (CELL HIDDEN BATCH LAYERS TIME), "bench CELL" and "peak", and answers each with its SWEEP, BENCH or PEAK line.
usage: pytorch_bench.py CELLS ROUNDS STEPS WARMUP THREADS [MODE]
"""
import ctypes
import os
import statistics
import sys
import time

import torch
import torch.nn as nn

cells = sys.argv[1].split(',') if len(sys.argv) > 1 else ['lstm', 'gru', 'rnn']
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 20
warmup = int(sys.argv[4]) if len(sys.argv) > 4 else 30
threads = int(sys.argv[5]) if len(sys.argv) > 5 else 2
mode = sys.argv[6] if len(sys.argv) > 6 else 'bench'
torch.set_num_threads(threads)
torch.manual_seed(0)
B, T, I, H, C = 128, 28, 28, 128, 10


class RowClassifier(nn.Module):
    def __init__(self, kind, hidden=H, layers=1):
        super().__init__()
        layer = {'lstm': nn.LSTM, 'gru': nn.GRU, 'rnn': nn.RNN}[kind]
        self.rnn = layer(I, hidden, num_layers=layers, batch_first=True)
        self.head = nn.Linear(hidden, C)

    def forward(self, x):
        seq, _ = self.rnn(x)
        return self.head(seq[:, -1, :])


def median_ms(fn, per_round):
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(rounds):
        for _ in range(per_round):
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1e3)
    return statistics.median(times)


def blas_in_use():
    """The BLAS libraries mapped into this process and, for OpenBLAS, its version, threading and running core type."""
    libs = sorted({line.split()[-1] for line in open('/proc/self/maps') if 'blas' in line.split()[-1]})
    name, core = 'unknown', 'n/a'
    for lib in libs:
        try:
            handle = ctypes.CDLL(lib)
            get_config, get_core = handle.openblas_get_config, handle.openblas_get_corename
        except (OSError, AttributeError):
            continue
        get_config.restype = get_core.restype = ctypes.c_char_p
        config = get_config().decode().split()
        threading = 'openmp' if 'USE_OPENMP' in config else 'pthreads'
        name = f'openblas-{config[1]}-{threading}' if len(config) > 1 else 'openblas'
        core = get_core().decode()
        break
    if name == 'unknown' and libs:
        name = os.path.basename(libs[0])
    return libs, name, core


torch.ones(2, 2) @ torch.ones(2, 2)  # the BLAS library is loaded by now
blas_libs, blas_name, blas_core = blas_in_use()
print(f'# peer torch {torch.__version__}, {torch.get_num_threads()} threads, '
      f'OPENBLAS_CORETYPE={os.environ.get("OPENBLAS_CORETYPE", "unset")}, BLAS {blas_name} '
      f'running core type {blas_core}, libraries {blas_libs}', flush=True)
def sgemm_gflops(n=1024, seconds=1.0):
    """torch.mm on n x n float32 matrices: the median of five timed stretches of about seconds / 5, in GFLOP/s."""
    a, b, c = torch.rand(n, n), torch.rand(n, n), torch.empty(n, n)
    torch.mm(a, b, out=c)
    rates = []
    for _ in range(5):
        reps, t0 = 0, time.perf_counter()
        while True:
            torch.mm(a, b, out=c)
            reps += 1
            elapsed = time.perf_counter() - t0
            if elapsed > seconds / 5:
                break
        rates.append(2.0 * n ** 3 * reps / elapsed / 1e9)
    return statistics.median(rates)


def train_step_ms(kind, batch, hidden, layers, per_round, time_steps=T):
    model = RowClassifier(kind, hidden, layers)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    xs = torch.rand(batch, time_steps, I)
    ys = torch.randint(0, C, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(xs), ys).backward()
        opt.step()

    return median_ms(step, per_round)


# the sweep's points (hidden, batch, layers, time), the grid of BenchCommand.sweepPoints
SWEEP_POINTS = [(h, b, l, T) for h in (128, 512) for l in (1, 2) for b in (32, 128, 512)] + \
    [(128, 128, 1, t) for t in (14, 56, 112)]

def sweep_line(kind, hidden, batch, layers, time_steps):
    """The SWEEP line of one sweep point: its median training step."""
    ms = train_step_ms(kind, batch, hidden, layers, steps, time_steps)
    return (f'SWEEP backend=pytorch cell={kind} hidden={hidden} batch={batch} layers={layers} '
            f'time={time_steps} train_step_ms={ms:.2f}')


if mode == 'sweep':
    for kind in cells:
        for point in SWEEP_POINTS:
            print(sweep_line(kind, *point), flush=True)
    sys.exit(0)

def peak_line():
    """The PEAK line: torch.mm's rate with the run's threads and with one."""
    peak = sgemm_gflops()
    torch.set_num_threads(1)
    peak1 = sgemm_gflops()
    torch.set_num_threads(threads)
    return (f'PEAK backend=pytorch threads={threads} sgemm_gflops={peak:.1f} sgemm_1t_gflops={peak1:.1f} n=1024 '
            f'blas={blas_name} openblas_core={blas_core}')


def bench_line(kind):
    """The BENCH line of one cell on the reference workload: training step, inference at batch 128 and at batch 1."""
    x = torch.rand(B, T, I)
    y = torch.randint(0, C, (B,))
    x1 = x[:1].clone()
    model = RowClassifier(kind)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def train_step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    train = median_ms(train_step, steps)
    model.eval()
    with torch.inference_mode():
        b128 = median_ms(lambda: model(x), steps)
        b1 = median_ms(lambda: model(x1), 4 * steps)
    return (f'BENCH backend=pytorch cell={kind} train_step_ms={train:.2f} infer_b128_ms={b128:.2f} '
            f'infer_b1_ms={b1:.3f} blas={blas_name} openblas_core={blas_core}')


if mode == 'serve':
    # one request per line on standard input, one answer line for each, so that the caller can time its own side
    # just before: "peak" (the PEAK line), "bench CELL" (its BENCH line), or a sweep point "CELL HIDDEN BATCH LAYERS
    # TIME" (its SWEEP line)
    for request in sys.stdin:
        fields = request.split()
        if not fields:
            continue
        if fields[0] == 'peak':
            print(peak_line(), flush=True)
        elif fields[0] == 'bench':
            print(bench_line(fields[1]), flush=True)
        else:
            print(sweep_line(fields[0], *(int(v) for v in fields[1:5])), flush=True)
    sys.exit(0)

print(peak_line(), flush=True)
for kind in cells:
    print(bench_line(kind), flush=True)
