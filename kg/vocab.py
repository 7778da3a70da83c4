"""The project's own vocabulary, mirroring `ontology/kg.ttl` term for term.

A test checks the two agree; `_fail = True` makes a misspelled term an error.
"""

from __future__ import annotations

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef


class KG(DefinedNamespace):
    _NS = Namespace("https://w3id.org/kg-ukcs/ontology#")
    _fail = True

    # classes
    Announcement: URIRef
    Association: URIRef
    Charity: URIRef
    Funding: URIRef
    GovernmentBody: URIRef
    GovernmentDepartment: URIRef
    LocalAuthority: URIRef
    ParliamentaryGroup: URIRef
    Policy: URIRef
    Programme: URIRef
    Recommendation: URIRef
    Reform: URIRef
    Regulator: URIRef
    Review: URIRef
    ThinkTank: URIRef

    # properties
    actor: URIRef
    amount: URIRef
    amountText: URIRef
    announces: URIRef
    charEnd: URIRef
    charStart: URIRef
    evidence: URIRef
    extractor: URIRef
    former: URIRef
    govCode: URIRef
    implied: URIRef
    ledBy: URIRef
    moneyFor: URIRef
    observedOn: URIRef
    onsCode: URIRef
    partner: URIRef
    policy: URIRef
    recommends: URIRef
    reform: URIRef
    report: URIRef
    rule: URIRef
    salaryText: URIRef
    section: URIRef
