"""Hashes of inputs, and a cache of pickled results keyed by them.

A cached result is found only under the hash of everything it was made from (data,
definitions, and the generator's own code), so a stale result cannot be found."""
from __future__ import annotations

import hashlib
import json
import io
import os
import pickle

GENERATOR = os.path.dirname(os.path.abspath(__file__))


def digest_of(*parts: str | bytes) -> str:
    """SHA-256 of the parts, each ended by a NUL byte (so ("ab", "c") and ("a", "bc") differ):
    the key of a cached result made from them."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    return digest.hexdigest()


def checksum(data: bytes) -> str:
    """The SHA-256 of a file's bytes, as `sha256sum` prints it: the checksums the catalogue shows."""
    return hashlib.sha256(data).hexdigest()


def folder_digest(folder: str, suffixes: tuple[str, ...] = ()) -> str:
    """Hash of every file under a folder (names and bytes), in a fixed order."""
    digest = hashlib.sha256()
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if suffixes and not name.endswith(suffixes):
                continue
            path = os.path.join(root, name)
            digest.update(os.path.relpath(path, folder).encode() + b"\0")
            with open(path, "rb") as fh:
                digest.update(hashlib.sha256(fh.read()).digest())
    return digest.hexdigest()


GENERATOR_CODE = folder_digest(GENERATOR, (".py", ".yaml", ".j2"))  # any change to the generator invalidates


def stable_digest(*objects) -> str:
    """SHA-256 of plain data (dicts, lists, dataclasses...), pickled without a memo: equal
    values give equal bytes however their objects happen to be shared."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, protocol=5)
    pickler.fast = True  # no memo: identity never shows in the bytes
    pickler.dump(objects)
    return hashlib.sha256(out.getvalue()).hexdigest()


class PickleCache:
    def __init__(self, folder: str | None):
        self.folder = folder

    def get(self, key: str):
        path = os.path.join(self.folder, key + ".pickle") if self.folder else None
        if path and os.path.exists(path):
            with open(path, "rb") as fh:
                return pickle.load(fh)
        return None

    def put(self, key: str, value) -> None:
        if not self.folder:
            return
        os.makedirs(self.folder, exist_ok=True)
        path = os.path.join(self.folder, key + ".pickle")
        with open(path + ".tmp", "wb") as fh:
            pickle.dump(value, fh, protocol=5)
        os.replace(path + ".tmp", path)


SUMS = ".sums.json"  # beside the computed package (compute.write_package): its files' SHA-256s


def computed_sums(folder: str) -> dict[str, str]:
    """File name -> SHA-256 of each file of the computed package in `folder`."""
    with open(folder.rstrip("/") + SUMS, encoding="utf-8") as fh:
        return json.load(fh)
