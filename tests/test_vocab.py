"""The code's vocabulary (kg.vocab.KG) and ontology/kg.ttl declare the same terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kg.vocab import KG

ONTOLOGY = Path(__file__).parents[1] / "ontology" / "kg.ttl"
NAMESPACE = str(KG._NS)


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY)


def declared_terms(ontology: Graph) -> set[str]:
    return {
        str(subject)[len(NAMESPACE) :]
        for subject in ontology.subjects(RDF.type, None)
        if isinstance(subject, URIRef) and str(subject).startswith(NAMESPACE)
    }


def test_code_and_ontology_declare_the_same_terms(ontology: Graph) -> None:
    in_code = {name for name in KG.__annotations__ if not name.startswith("_")}
    assert in_code == declared_terms(ontology)


def test_every_term_has_a_label_and_a_comment(ontology: Graph) -> None:
    for term in declared_terms(ontology):
        iri = URIRef(NAMESPACE + term)
        assert ontology.value(iri, RDFS.label) is not None, term
        assert ontology.value(iri, RDFS.comment) is not None, term


def test_organisation_classes_sit_under_org_organization(ontology: Graph) -> None:
    org = URIRef("http://www.w3.org/ns/org#Organization")
    for cls in ("LocalAuthority", "ThinkTank", "Charity", "Association", "ParliamentaryGroup"):
        assert (URIRef(NAMESPACE + cls), RDFS.subClassOf, org) in ontology
    assert (KG.Regulator, RDFS.subClassOf, KG.GovernmentBody) in ontology
    assert (KG.GovernmentDepartment, RDF.type, OWL.Class) in ontology


def test_a_misspelt_term_is_an_error() -> None:
    with pytest.raises(AttributeError):
        _ = KG.recomends
