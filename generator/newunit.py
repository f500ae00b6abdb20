"""`portal satker-baru`: a work unit in the registry and, with its parent, in the hierarchy.

Adds the unit's row to referensi/satker.csv and, when it has a parent, its current period
to referensi/satker_hierarki.csv (the two must agree: validation checks it). The rows are
checked by the validator's rules before anything is written (newrows.py): a code already
registered, a parent not registered, a value outside an enum (with where the allowed
values are written), a source not in the sources register. Then everything is validated
and the command says what to fill next.
"""
from __future__ import annotations

from .load import shown
from .messages import say
from .newrows import append, reference, refused, steps, trial

SOURCE = ("sumber_file", "sumber_tabel", "sumber_halaman", "sumber_baris")


def create(data_root: str, options: dict, out) -> int:
    """`options`: the registry's columns by name (satker_id, nama, ..., sumber_baris) and
    `induk_sejak`, the first year under that parent (tahun_mulai of the hierarchy)."""
    package, problems = reference(data_root)
    if problems or package.descriptor is None:
        return refused("satker-baru", problems, out)
    registry = {key: value for key, value in options.items() if key != "induk_sejak" and value is not None}
    parent = next((r for _, r in package.resource("satker").records() if r["satker_id"] == registry.get("induk_id")),
                  None)
    if parent and not registry.get("provinsi"):
        registry["provinsi"] = parent.get("provinsi", "")  # a unit lies in its parent's province unless told otherwise
    rows = [("satker", registry)]
    if registry.get("induk_id"):
        rows.append(("satker_hierarki", {"satker_id": registry["satker_id"], "induk_id": registry["induk_id"],
                                         "tahun_mulai": options.get("induk_sejak") or "",
                                         **{k: registry.get(k, "") for k in SOURCE}}))
    added, problems = trial(package, rows)
    if problems:
        return refused("satker-baru", problems, out)
    append(package, added)
    for resource, line, cells in added:
        record = dict(zip(resource.table.header, cells))
        what = (say("satker.made_registry", satker=record["satker_id"], name=record["nama"])
                if resource.name == "satker" else
                say("satker.made_hierarchy", satker=record["satker_id"], parent=record["induk_id"],
                    start=record["tahun_mulai"] or say("satker.start_unknown")))
        print(f"{resource.file}:{line}: {what}", file=out)
    return 0


def next_steps(data_root: str, satker: str, has_parent: bool, out) -> None:
    reference_folder = shown(f"{data_root}/referensi", data_root)
    keys = ["satker.step_rows", "satker.step_history" if has_parent else "satker.step_parent",
            "satker.step_area", "tahun.step_check", "tahun.step_publish"]
    steps(keys, out, satker=satker, folder=reference_folder)
