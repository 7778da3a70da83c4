"""The linguistic layer's readers of a Doc give spaCy's answers, in linear time."""

from __future__ import annotations

from kg.nlp import doc_entities, doc_text, entities_in, parse, parse_many, pieces

STORY = (
    "Priya Okafor, director of children's services at Leeds City Council, said Ofsted had "
    "visited in March. The Department for Education gave £2m to Barnsley Council.\n"
    "Tessa Lister of the NSPCC welcomed the money on Tuesday."
)


def test_entities_in_a_span_are_the_ones_spacy_gives() -> None:
    doc = parse(STORY)
    assert doc_text(doc) == doc.text
    assert doc_entities(doc) == tuple(doc.ents)
    spans = [*doc.sents, doc[3:12], doc[0:1], doc[len(doc) - 4 :], doc[5:5]]
    for span in spans:
        assert [e.text for e in entities_in(span)] == [e.text for e in span.ents]


def test_entities_follow_a_copy_whose_tokens_were_merged() -> None:
    doc = parse(STORY)
    before = [(e.start, e.end) for e in entities_in(doc[:])]
    merged = doc.copy()
    with merged.retokenize() as retokenizer:
        retokenizer.merge(merged[0:2])  # "Priya Okafor" becomes one token
    after = [(e.start, e.end) for e in entities_in(merged[:])]
    assert after == [(e.start, e.end) for e in merged.ents] != before


def test_a_long_story_is_parsed_in_pieces_that_join_into_its_text() -> None:
    paragraph = "Leeds City Council said the review would report in May. " * 40
    story = "\n".join([paragraph] * 30) + "One long closing line " * 3000
    cut = pieces(story, size=5_000)
    assert "".join(cut) == story and len(cut) > 10
    assert all(len(piece) <= 5_000 for piece in cut)
    assert all(piece.endswith(("\n", ". ", " ")) for piece in cut[:-1])
    doc = parse(story)
    assert doc.text == story
    assert any(ent.text == "Leeds City Council" for ent in doc.ents)
    short, long, other = parse_many(["A short one.", story, "Another."])
    assert (short.text, long.text, other.text) == ("A short one.", story, "Another.")
