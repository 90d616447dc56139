#!/usr/bin/env python3
"""Runs onnx.checker.check_model(model, full_check=True) on every .onnx file in a directory.

Usage: /usr/bin/python3 tools/onnx/check_models.py DIR
Prints one line per file, 'OK name' or 'FAIL name: reason', then 'checked N files, M failed', and exits 1 if any
failed.  The onnx tests (CheckerTest) run it on the files they export; .ci/run installs Debian's python3-onnx so
that it runs there.
"""
import os
import sys

import onnx


def main():
    folder = sys.argv[1]
    names = sorted(n for n in os.listdir(folder) if n.endswith(".onnx"))
    failed = 0
    for name in names:
        try:
            model = onnx.load(os.path.join(folder, name))
            onnx.checker.check_model(model, full_check=True)
            print("OK " + name)
        except Exception as e:  # the checker raises several exception types
            failed += 1
            print("FAIL " + name + ": " + str(e).replace("\n", " ")[:500])
    print("checked %d files, %d failed (onnx %s)" % (len(names), failed, onnx.__version__))
    sys.exit(1 if failed or not names else 0)


if __name__ == "__main__":
    main()
