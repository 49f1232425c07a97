"""Stride's runtime for Python: run a gait- or activity-recognition model (ONNX) on Stride's engines.

    import numpy as np, stride
    session = stride.Session("gaitset.onnx", backend="auto", threads=0)
    outputs = session.run({"silhouettes": np.zeros((1, 30, 64, 44), np.float32)})

Like onnxruntime.InferenceSession: inputs and outputs are dicts of float32 numpy arrays by name.
Errors: ValueError for a call that is wrong (a missing, unknown or misshapen input, an unknown
backend), TypeError for an input that is not a float32 array, MemoryError, and stride.Error for a
failure while working (a file that is not a model, say).
"""
from ._runtime import Error, Session, version

__version__ = version()
__all__ = ["Error", "Session", "version"]
