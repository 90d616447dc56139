#!/usr/bin/python3
"""The tutorial's MNIST row-RNN in PyTorch, as the accuracy peer of `recurra mnist`.

Same data handling as Recurra's demo: the first 55,000 training images train, pixels / 255, 28 steps of 28 pixels,
one recurrent layer of 128 units, a dense layer on the last step, softmax cross-entropy, Adam 1e-3, batch 128,
EXAMPLES // 128 steps over seeded reshuffles, then accuracy on all 10,000 test images. PyTorch's own initialisation
(uniform +-1/sqrt(H)); the LSTM's forget-gate bias starts at 1 as the tutorial's BasicLSTMCell; PyTorch's GRU applies
the reset gate after the recurrent product (Recurra's `gru` variant applies it before, as TensorFlow 1).
usage: pytorch_mnist.py DATA_DIR CELL[,CELL...] [EXAMPLES] [SEED]     cells: basic-lstm, gru, rnn
"""
import struct
import sys

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    with open(path, 'rb') as f:
        raw = f.read()
    rank = raw[3]
    dims = struct.unpack('>' + 'I' * rank, raw[4:4 + 4 * rank])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


data, cells = sys.argv[1], sys.argv[2].split(',')
examples = int(sys.argv[3]) if len(sys.argv) > 3 else 100000
seed = int(sys.argv[4]) if len(sys.argv) > 4 else 0
x_train = read_idx(f'{data}/train-images-idx3-ubyte')[:55000].astype(np.float32) / 255
y_train = read_idx(f'{data}/train-labels-idx1-ubyte')[:55000].astype(np.int64)
x_test = torch.from_numpy(read_idx(f'{data}/t10k-images-idx3-ubyte').astype(np.float32) / 255)
y_test = read_idx(f'{data}/t10k-labels-idx1-ubyte').astype(np.int64)
torch.set_num_threads(2)
for cell in cells:
    torch.manual_seed(seed)
    order_rng = np.random.default_rng(seed)
    if cell == 'basic-lstm':
        rnn = nn.LSTM(28, 128, batch_first=True)
        with torch.no_grad():  # PyTorch gate order i f g o: the forget block is the second
            rnn.bias_ih_l0[128:256].fill_(1.0)
            rnn.bias_hh_l0[128:256].zero_()
    elif cell == 'gru':
        rnn = nn.GRU(28, 128, batch_first=True)
    elif cell == 'rnn':
        rnn = nn.RNN(28, 128, batch_first=True)
    else:
        raise SystemExit(f'unknown cell {cell}; use basic-lstm, gru or rnn')
    head = nn.Linear(128, 10)
    opt = torch.optim.Adam(list(rnn.parameters()) + list(head.parameters()), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order, pos = order_rng.permutation(len(x_train)), 0
    for step in range(examples // 128):
        if pos + 128 > len(order):
            order, pos = order_rng.permutation(len(x_train)), 0
        idx = order[pos:pos + 128]
        pos += 128
        out, _ = rnn(torch.from_numpy(x_train[idx]))
        loss = loss_fn(head(out[:, -1]), torch.from_numpy(y_train[idx]))
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        correct = sum(int((head(rnn(x_test[i:i + 500])[0][:, -1]).argmax(1).numpy() == y_test[i:i + 500]).sum())
                      for i in range(0, 10000, 500))
    print(f'ACC impl=pytorch-{torch.__version__} cell={cell} seed={seed} examples={examples} '
          f'test_acc={correct / 10000:.4f}', flush=True)
