"""stride.Session (the Python module over libstride_runtime) against `stride run`: every zoo model on
every runtime backend gives the outputs the tool gives on the same inputs, and every wrong call
raises a clear Python exception instead of crashing.

Run by ctest (runtime_python) with PYTHONPATH=<build>/python and STRIDE_BINARY=<build>/src/stride.
"""
import os
import pathlib
import subprocess

import numpy as np
import pytest

import stride

STRIDE = os.environ["STRIDE_BINARY"]
ZOO = ["cnn2d", "cnn3d", "cnn3dto2d", "gaitset"]


def file_name(value):
    """The tensor file `stride run` writes for a value."""
    return "".join("_" if c in "/\\:" else c for c in value) + ".npy"


def tool(*args):
    subprocess.run([STRIDE, *args], check=True, stdout=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def zoo(tmp_path_factory):
    """Each small zoo model, with `stride run`'s random inputs and ref outputs in a folder."""
    root = tmp_path_factory.mktemp("zoo")
    made = {}
    for name in ZOO:
        model = root / f"{name}.onnx"
        head = [] if name == "gaitset" else ["--classes", "9"]
        tool("zoo", "build", name, "--width-mult", "0.25", *head, "-o", str(model))
        tool("run", str(model), "--random", "--batch", "2", "--seed", "4", "--backend", "ref", "-o", str(root / name))
        made[name] = (model, root / name)
    return made


@pytest.mark.parametrize("name", ZOO)
@pytest.mark.parametrize("backend", ["ref", "onednn", "xnnpack", "auto"])
def test_matches_stride_run(zoo, name, backend):
    model, folder = zoo[name]
    session = stride.Session(str(model), backend=backend, threads=2)
    inputs = {n: np.load(folder / file_name(n)) for n in session.input_names}
    outputs = session.run(inputs)
    assert list(outputs) == session.output_names
    for n, got in outputs.items():
        expected = np.load(folder / file_name(n))
        assert got.dtype == np.float32 and got.shape == expected.shape
        assert np.max(np.abs(got - expected)) <= 1e-4 * max(np.max(np.abs(expected)), 1e-6), n


def test_from_bytes_and_path_like_and_properties(zoo):
    model, folder = zoo["cnn2d"]
    session = stride.Session(model.read_bytes())  # backend "auto", all cores
    assert session.backend in ("onednn", "xnnpack")  # measured: the faster here
    by_path = stride.Session(pathlib.Path(model), backend="ref")
    assert by_path.backend == "ref" and by_path.input_names == session.input_names
    assert session.input_shapes[0][0] is None and session.input_shapes[0][1:] == [50, 60, 60]
    name = session.input_names[0]
    x = np.load(folder / file_name(name))
    a, b = session.run({name: x}), by_path.run({name: x[:1]})  # batch 2, then 1
    out = session.output_names[-1]
    assert a[out].shape[0] == 2 and b[out].shape[0] == 1
    assert np.allclose(a[out][:1], b[out], rtol=1e-4, atol=1e-4 * np.abs(b[out]).max())
    assert stride.version() == stride.__version__ and stride.version().count(".") == 2


@pytest.fixture(scope="module")
def cnn2d(zoo):
    model, folder = zoo["cnn2d"]
    session = stride.Session(str(model), backend="onednn", threads=1)
    name = session.input_names[0]
    return session, name, np.load(folder / file_name(name))


def test_missing_and_unknown_inputs(cnn2d):
    session, name, x = cnn2d
    with pytest.raises(ValueError, match=f"missing input '{name}'"):
        session.run({})
    with pytest.raises(ValueError, match="'frames' is not an input of the model"):
        session.run({name: x, "frames": x})


def test_wrong_rank_and_shape(cnn2d):
    session, name, x = cnn2d
    with pytest.raises(ValueError, match="has rank 3, the model expects rank 4"):
        session.run({name: x[0]})
    with pytest.raises(ValueError, match="the model expects"):
        session.run({name: x[:, :, :30, :]})
    with pytest.raises(ValueError, match="dimension 0 is 0"):
        session.run({name: x[:0]})


def test_wrong_types(cnn2d):
    session, name, x = cnn2d
    with pytest.raises(TypeError, match="float64; pass it as float32"):
        session.run({name: x.astype(np.float64)})
    with pytest.raises(TypeError, match="is a list"):
        session.run({name: x.tolist()})
    out = session.output_names[-1]
    fortran = session.run({name: np.asfortranarray(x)})[out]  # any memory order is accepted
    assert np.array_equal(fortran, session.run({name: x})[out])


def test_bad_models_and_options(tmp_path, zoo):
    text = tmp_path / "notes.txt"
    text.write_text("not a model\n")
    with pytest.raises(stride.Error, match="notes.txt"):
        stride.Session(str(text))
    with pytest.raises(stride.Error, match="missing.onnx"):
        stride.Session(str(tmp_path / "missing.onnx"))
    with pytest.raises(stride.Error, match="model buffer"):
        stride.Session(b"\x08\x07garbage")
    model = str(zoo["cnn2d"][0])
    with pytest.raises(ValueError, match="unknown backend 'cuda'"):
        stride.Session(model, backend="cuda")
    with pytest.raises(ValueError, match="threads must be 0"):
        stride.Session(model, threads=-2)
