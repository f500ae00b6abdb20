"""Composite indices: evaluate the tree of a definition (definitions/indeks/*.yaml).

Each node is a weighted sum of its children or a ratio of two inputs. Two values are
computed for every node:
- `full`: from the per-unit tables all the way up (the engine's own index), with 0/0
  components not applicable and their weight shared among the others;
- `local`: from the inputs the report prints at that step (its printed numerator and
  denominator, or its children's printed values), which tells whether that step's
  arithmetic holds.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .data import Data, Row
from .values import NOT_APPLICABLE, Outcome, divide, first_failure, no_data, not_applicable, parse_number, value

PUBLISHED_RESOURCE = "indeks_komposit"


@dataclass
class Tree:
    definition: dict
    year: int
    data: Data
    full: dict[str, Outcome] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)  # effective weight within the parent

    @property
    def nodes(self) -> dict:
        return self.definition["nodes"]

    def published(self, node: str, stage: str = "perhitungan") -> Row | None:
        index = self.data.grouped(self.year, PUBLISHED_RESOURCE, {"satker_id": self.definition["satker_id"]},
                                  ["indikator_id", "komponen", "tahap"])
        rows = index.get((self.definition["indicator"], node, stage), [])
        return min(rows, key=lambda r: r["_line"]) if rows else None

    def parent(self, node: str) -> str | None:
        return next((n for n, spec in self.nodes.items() if node in (spec.get("weights") or {})), None)

    def weight(self, node: str) -> float | None:
        parent = self.parent(node)
        return float(self.nodes[parent]["weights"][node]) if parent else None


def evaluate_tree(definition: dict, year: int, data: Data) -> Tree:
    tree = Tree(definition, year, data)
    evaluate_full(tree, definition["root"])
    return tree


def evaluate_full(tree: Tree, node: str) -> Outcome:
    spec = tree.nodes[node]
    if "weights" in spec:
        children = {child: evaluate_full(tree, child) for child in spec["weights"]}
        outcome = weighted(spec["weights"], children, tree.definition.get("not_applicable", "renormalise"), tree, node)
    else:
        numerator = table_input(tree, node, "numerator", "pembilang")
        denominator = table_input(tree, node, "denominator", "penyebut")
        outcome = scaled(divide(numerator, denominator), tree.definition.get("scale", 100), spec.get("cap"))
    tree.full[node] = outcome
    return outcome


def weighted(weights: dict, children: dict[str, Outcome], policy: str, tree: Tree, node: str) -> Outcome:
    failed = [o for o in children.values() if o.status != "ok"]
    if any(o.status == "no_data" for o in failed):
        return first_failure(failed)
    applicable = {c: float(w) for c, w in weights.items() if children[c].ok}
    if policy == "zero":  # the reports' own treatment: a 0/0 component counts as 0
        applicable = {c: float(w) for c, w in weights.items()}
        children = {c: (o if o.ok else value(0)) for c, o in children.items()}
    total = sum(applicable.values())
    if not applicable or total == 0:
        return not_applicable("every component is not applicable")
    for child, weight in applicable.items():
        tree.shares[child] = weight / total
    for child in weights:
        tree.shares.setdefault(child, 0.0)
    result = sum(children[c].value * w for c, w in applicable.items()) / total
    skipped = [c for c in weights if c not in applicable]
    note = f"{', '.join(skipped)} not applicable: weights shared among the others" if skipped else ""
    return Outcome(result, note=note)


def scaled(ratio: Outcome, scale: float, cap) -> Outcome:
    if not ratio.ok:
        return ratio
    result = ratio.value * scale
    if cap is not None and result > cap:
        return Outcome(float(cap), note=f"capped at {cap:g}")
    return value(result)


def table_input(tree: Tree, node: str, which: str, printed_column: str) -> Outcome:
    """An input of a ratio: a sum or count over a per-unit table, or the printed value."""
    spec = tree.nodes[node][which]
    if spec == "published":
        row = tree.published(node)
        number = parse_number(row.get(printed_column)) if row else None
        return value(number) if number is not None else no_data(f"{node}: no printed {printed_column}")
    rows = tree.data.rows(tree.year, spec["resource"], spec.get("where"))
    if spec.get("count"):
        return value(len(rows))
    cells = [r.get(c, "") for r in rows for c in spec["sum"]]
    numbers = [float(c) for c in cells if c != ""]
    if not numbers:
        return no_data(f"{node}: no {spec['resource']} rows with {', '.join(spec['sum'])}")
    return value(sum(numbers))


def local_value(tree: Tree, node: str) -> Outcome:
    """The node recomputed from the inputs printed at its own step."""
    spec = tree.nodes[node]
    if "weights" in spec:
        parts = []
        for child, weight in spec["weights"].items():
            row = tree.published(child)
            printed = parse_number(row.get("nilai")) if row else None
            parts.append((float(weight), value(printed) if printed is not None else tree.full[child]))
        failed = first_failure([o for _, o in parts])
        if failed:
            return failed
        return value(sum(w * o.value for w, o in parts) / sum(w for w, _ in parts))
    row = tree.published(node)
    numerator = parse_number(row.get("pembilang")) if row else None
    denominator = parse_number(row.get("penyebut")) if row else None
    if numerator is None or denominator is None:
        return tree.full[node]
    outcome = scaled(divide(value(numerator), value(denominator)), tree.definition.get("scale", 100),
                     spec.get("cap"))
    if outcome.status == NOT_APPLICABLE:
        return Outcome(None, NOT_APPLICABLE, f"{outcome.note} (the report counts it as 0)")
    return outcome


def contribution_to_root(tree: Tree, node: str) -> float | None:
    """Points of the root index this node adds (its value times its effective weights)."""
    outcome = tree.full.get(node)
    if outcome is None or not outcome.ok:
        return None
    share, current = 1.0, node
    while tree.parent(current):
        share *= tree.shares.get(current, 0.0)
        current = tree.parent(current)
    return outcome.value * share


def consistency(tree: Tree) -> list[dict]:
    """One record per printed value of indeks_komposit for this index and year."""
    from .checks import record

    indicator = tree.definition["indicator"]
    out = []
    rows = tree.data.rows(tree.year, PUBLISHED_RESOURCE, {"indikator_id": indicator,
                                                          "satker_id": tree.definition["satker_id"]})
    for row in sorted(rows, key=lambda r: r["_line"]):
        node = row["komponen"]
        if node not in tree.nodes:
            continue
        label = f"{indicator} {node} ({row['tahap']})"

        def add(check_id, title, column, outcome):
            if row.get(column, "") != "":
                check = {"id": check_id, "title": title}
                out.append(record(check, tree.year, row, column, row[column], outcome, tree.data,
                                  figure=f"{title}: {label}"))

        add("indeks-nilai", "Nilai komponen dari masukan yang dicetak", "nilai", local_value(tree, node))
        if row["tahap"] == "perhitungan":
            add("indeks-dari-data", "Nilai komponen dihitung ulang dari tabel per satker", "nilai", tree.full[node])
        weight = tree.weight(node)
        add("indeks-bobot", "Bobot komponen menurut definisi", "bobot_persen",
            value(weight) if weight is not None else no_data(f"{node} is the root: it has no weight"))
        printed_value = parse_number(row.get("nilai"))
        printed_weight = parse_number(row.get("bobot_persen"))
        term = (value(printed_value * printed_weight / 100) if None not in (printed_value, printed_weight)
                else no_data("the row prints no value or weight"))
        add("indeks-nilai-tertimbang", "Nilai tertimbang = nilai x bobot", "nilai_tertimbang", term)
        for which, column in (("numerator", "pembilang"), ("denominator", "penyebut")):
            spec = tree.nodes[node].get(which)
            if spec is None:
                continue
            outcome = (no_data("no per-unit table holds this count: used as printed") if spec == "published"
                       else table_input(tree, node, which, column))
            add("indeks-masukan", f"Masukan ({column}) = jumlah tabel per satker", column, outcome)
    out += weight_sums(tree, rows)
    return out


def weight_sums(tree: Tree, rows: list[Row]) -> list[dict]:
    """Weights the report prints in a component list must sum to 100 %."""
    from .checks import record

    out = []
    for parent, spec in tree.nodes.items():
        children = list((spec.get("weights") or {}))
        printed = [r for r in rows if r["tahap"] == "definisi_bobot" and r["komponen"] in children]
        if not children or len(printed) != len(children):
            continue
        total = sum(float(r["bobot_persen"]) for r in printed)
        first = min(printed, key=lambda r: r["_line"])
        check = {"id": "indeks-jumlah-bobot", "title": "Bobot komponen yang dicetak berjumlah 100 %"}
        result = record(check, tree.year, first, "bobot_persen", f"{total:g}", value(100.0), tree.data,
                        figure=f"Bobot komponen {parent} yang dicetak berjumlah 100 %: {tree.definition['indicator']}")
        result["explanation"] = f"printed weights of {', '.join(children)} sum to {total:g} %"
        out.append(result)
    return out
