"""Laurel's JSON-LD toRdf + RDFC-1.0 against two reference stacks, byte for byte.

References: pyld (PyPI) and the Digital Bazaar stack (npm `jsonld` + `rdf-canonize`, installed into
tests/jsonld/node_modules from its lock file). Every stack reads contexts only from Laurel's
built-in contexts (which come from the npm packages that publish them): nothing is fetched.

Documents: every 1EdTech OB 3.0 fixture, and thousands of generated JSON-LD documents with many
blank nodes (nested anonymous objects, shared look-alike subtrees that force Hash N-Degree Quads,
lists, named graphs, typed and language-tagged values, JSON literals).
"""

from __future__ import annotations

import hashlib
import json
import random
import subprocess
from pathlib import Path
from typing import Any, Dict, List

import pytest

import laurel

REPO = Path(__file__).resolve().parents[2]
REFERENCE_DIR = REPO / "tests" / "jsonld"
OB30 = REPO / "tests" / "data" / "fixtures" / "1edtech" / "ob30"
GENERATED = 2000

pyld_jsonld = pytest.importorskip("pyld.jsonld")


def laurel_canonical(document: Any) -> str:
    return laurel.jsonld.canonicalize(laurel.jsonld.to_nquads(document))


def builtin_contexts() -> Dict[str, Any]:
    return {url: laurel.jsonld.builtin_context(url) for url in laurel.jsonld.builtin_context_urls()}


@pytest.fixture(scope="module")
def node_reference():
    """Runs tests/jsonld/reference.mjs over a list of documents (one Node process per call)."""
    stamp = REFERENCE_DIR / "node_modules" / ".laurel-lock.sha256"
    want = hashlib.sha256((REFERENCE_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != want:
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts",
                        "--loglevel=error"], cwd=REFERENCE_DIR, check=True)
        stamp.write_text(want)
    contexts = builtin_contexts()

    def run(documents: List[Any]) -> List[Dict[str, str]]:
        completed = subprocess.run(
            ["node", str(REFERENCE_DIR / "reference.mjs")],
            input=json.dumps({"contexts": contexts, "documents": documents}),
            capture_output=True, text=True, check=True, timeout=600)
        return json.loads(completed.stdout)

    return run


@pytest.fixture(scope="module")
def pyld_reference():
    contexts = builtin_contexts()

    def loader(url: str, options: Any = None) -> Dict[str, Any]:
        if url not in contexts:
            raise pyld_jsonld.JsonLdError("context not provided", "loading document failed",
                                          {"url": url})
        return {"contextUrl": None, "documentUrl": url, "document": contexts[url]}

    def run(document: Any) -> str:
        # base None: no base IRI, as in Laurel and jsonld.js (pyld resolves relative IRIs
        # against http://example.org/base/ when the base is "").
        return pyld_jsonld.normalize(document, {"base": None, "algorithm": "URDNA2015",
                                                "format": "application/n-quads",
                                                "documentLoader": loader})

    return run


def ob30_fixtures() -> List[Path]:
    return sorted(OB30.glob("*.json"))


# --- generated documents ----------------------------------------------------------------------

CONTEXT = {
    "@vocab": "urn:ex:",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "items": {"@container": "@list"},
    "when": {"@type": "xsd:dateTime"},
    "link": {"@type": "@id"},
    "data": {"@type": "@json"},
    "label": {"@language": "en"},
}
WORDS = ["alpha", "beta", "gamma", "delta", "épsilon", "z\u00fcrich", "quote\"d", "back\\slash",
         "line\nbreak", "tab\there", "", "1", "日本"]


def random_value(rng: random.Random, depth: int) -> Any:
    choice = rng.random()
    if depth > 3 or choice < 0.35:
        return rng.choice([
            rng.choice(WORDS),
            rng.randint(-1000, 1000),
            # not 1e-7: jsonld.js reads a number whose text has no "." as an integer ("0"),
            # against the spec (a non-zero fraction makes an xsd:double; Laurel and pyld agree)
            rng.choice([0.5, -2.25, 1.5e-7, 3.0e22, 123.456]),
            rng.choice([True, False]),
            {"@value": rng.choice(WORDS), "@language": rng.choice(["en", "de-CH", "fr"])},
            {"@value": "2024-01-0%dT00:00:00Z" % rng.randint(1, 9), "@type": "xsd:dateTime"},
        ])
    if choice < 0.45:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    return random_node(rng, depth + 1)


def random_node(rng: random.Random, depth: int) -> Dict[str, Any]:
    node: Dict[str, Any] = {}
    if rng.random() < 0.15:
        node["@id"] = "urn:node:%d" % rng.randint(0, 5)
    elif rng.random() < 0.1:
        node["@id"] = "_:shared%d" % rng.randint(0, 3)  # the same blank node from two places
    if rng.random() < 0.4:
        node["@type"] = rng.choice(["Thing", "Badge", ["Thing", "Badge"]])
    for _ in range(rng.randint(1, 4)):
        node[rng.choice(["p", "q", "r", "s", "label"])] = random_value(rng, depth)
    if rng.random() < 0.1:
        node["items"] = [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if rng.random() < 0.1:
        node["link"] = rng.choice(["urn:target", "relative/path", "_:b0"])
    if rng.random() < 0.05:
        node["data"] = {"z": [1, 2.5, None], "a": {"nested": True}}
    return node


def symmetric_document(rng: random.Random) -> Dict[str, Any]:
    """Look-alike blank nodes: a ring or clique-free mesh whose first-degree hashes collide."""
    size = rng.randint(2, 6)
    nodes = [{"@id": "_:n%d" % i, "v": "same"} for i in range(size)]
    for i, node in enumerate(nodes):
        node["next"] = {"@id": "_:n%d" % ((i + 1) % size)}
        if rng.random() < 0.3:
            node["also"] = {"@id": "_:n%d" % ((i + 2) % size)}
    return {"@context": CONTEXT, "@graph": nodes}


def generated_documents(count: int) -> List[Dict[str, Any]]:
    rng = random.Random(20261130)
    documents = []
    for index in range(count):
        if index % 5 == 0:
            documents.append(symmetric_document(rng))
            continue
        document = {"@context": CONTEXT, **random_node(rng, 0)}
        if rng.random() < 0.1:
            document = {"@context": CONTEXT, "@id": "urn:graph:%d" % index,
                        "@graph": [random_node(rng, 1) for _ in range(rng.randint(1, 3))]}
        documents.append(document)
    return documents


# --- tests ------------------------------------------------------------------------------------

@pytest.mark.parametrize("fixture", ob30_fixtures(), ids=lambda path: path.name)
def test_ob30_fixture_matches_pyld(fixture: Path, pyld_reference) -> None:
    document = json.loads(fixture.read_text())
    assert laurel_canonical(document) == pyld_reference(document)


def test_ob30_fixtures_match_digital_bazaar(node_reference) -> None:
    documents = [json.loads(path.read_text()) for path in ob30_fixtures()]
    expected = node_reference(documents)
    for path, document, reference in zip(ob30_fixtures(), documents, expected):
        assert "error" not in reference, (path.name, reference)
        assert laurel_canonical(document) == reference["nquads"], path.name


@pytest.mark.slow
def test_generated_documents_match_digital_bazaar(node_reference) -> None:
    documents = generated_documents(GENERATED)
    expected = node_reference(documents)
    blank_nodes = 0
    for index, (document, reference) in enumerate(zip(documents, expected)):
        assert "error" not in reference, (index, document, reference)
        ours = laurel_canonical(document)
        assert ours == reference["nquads"], (index, json.dumps(document))
        blank_nodes += ours.count("_:c14n")
    assert blank_nodes > 10 * GENERATED  # the documents really are blank-node heavy


def has_blank_self_reference(nquads: str) -> bool:
    """A quad naming one blank node twice (``_:a <p> _:a``)."""
    for line in nquads.splitlines():
        labels = [term for term in line.split(" ") if term.startswith("_:")]
        if len(labels) != len(set(labels)):
            return True
    return False


@pytest.mark.slow
def test_generated_documents_match_pyld(pyld_reference, node_reference) -> None:
    """pyld deviates in one place: a quad naming a blank node twice enters that node's quad list
    twice (pyld/canon.py step 2.1), so its Hash First Degree Quads differs from RDFC-1.0's "for
    each blank node identifier that occurs in quad". There the Digital Bazaar stack (rdf-canonize)
    is the reference instead; everywhere else both must agree with Laurel."""
    documents = generated_documents(GENERATED)
    self_referencing = [index for index, document in enumerate(documents)
                        if has_blank_self_reference(laurel.jsonld.to_nquads(document))]
    node_results = node_reference([documents[index] for index in self_referencing])
    for index, reference in zip(self_referencing, node_results):
        assert laurel_canonical(documents[index]) == reference["nquads"], index
    compared = 0
    for index, document in enumerate(documents):
        if index in self_referencing:
            continue
        assert laurel_canonical(document) == pyld_reference(document), (index,
                                                                         json.dumps(document))
        compared += 1
    assert compared > GENERATED * 3 // 4


def test_canonicalize_agrees_with_rdf_canonize_on_shuffled_input(node_reference) -> None:
    """Canonical output does not depend on the order or labels of the input quads."""
    document = json.loads((OB30 / "complete.json").read_text())
    nquads = laurel.jsonld.to_nquads(document).splitlines(keepends=True)
    rng = random.Random(7)
    for _ in range(20):
        rng.shuffle(nquads)
        relabelled = "".join(nquads).replace("_:b", "_:x")
        assert laurel.jsonld.canonicalize(relabelled) == laurel_canonical(document)
    assert laurel_canonical(document) == node_reference([document])[0]["nquads"]


def test_unknown_context_names_its_url() -> None:
    with pytest.raises(laurel.NotFound, match="https://example.com/missing.json"):
        laurel.jsonld.to_nquads({"@context": "https://example.com/missing.json", "a": 1})
    nquads = laurel.jsonld.to_nquads(
        {"@context": "https://example.com/ctx.json", "@id": "urn:s", "a": 1},
        documents={"https://example.com/ctx.json": {"@context": {"a": "urn:ex:a"}}})
    assert nquads == '<urn:s> <urn:ex:a> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'


def test_poison_graph_is_a_clear_error() -> None:
    clique = "".join(f"_:n{a} <urn:p> _:n{b} .\n" for a in range(10) for b in range(10) if a != b)
    with pytest.raises(laurel.ValidationError, match="max_work"):
        laurel.jsonld.canonicalize(clique)
