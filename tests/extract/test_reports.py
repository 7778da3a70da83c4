"""The report extractor: reports, their publishers and partners, and what they recommend."""

from __future__ import annotations

import pytest

from kg.corpus import parse_article
from kg.extract import reports
from kg.extract.reports import base_form, policy_label
from kg.model import Recommendation, Report

TITLE = "Stuck in the Middle: Teenagers and Family Help"
TITLED = (
    f"The Children's Society has published a report, ‘{TITLE}’, "
    "which finds that older children are falling through the gaps."
)
IFS = "Institute for Fiscal Studies"
UNTITLED = (
    "In a new report, the Institute for Fiscal Studies (IFS) warns that council spending "
    "on children’s social care has risen by a third."
)


def facts(body: str) -> list[Report | Recommendation]:
    return list(reports.extract(parse_article("Headline\n\n" + body, "t1")))


def reports_in(body: str) -> set[tuple[str | None, str | None, tuple[str, ...]]]:
    return {(f.title, f.publisher, f.partners) for f in facts(body) if isinstance(f, Report)}


def recommendations_in(body: str) -> list[Recommendation]:
    return [f for f in facts(body) if isinstance(f, Recommendation)]


# (article body, every (title, publisher, partners) its Report facts carry)
REPORTS = [
    (TITLED, {(TITLE, "Children's Society", ())}),
    (UNTITLED, {(None, IFS, ())}),
    (
        f"{UNTITLED}\n\nThe research was undertaken in association with Coram.",
        {(None, IFS, ()), (None, IFS, ("Coram",))},
    ),
    (
        f"{UNTITLED}\n\nThe report was produced in partnership with the Nuffield Trust.",
        {(None, IFS, ()), (None, IFS, ("Nuffield Trust",))},
    ),
    (
        "The New Local Government Network has released a flagship report – ‘Grow Your Own: "
        "Community-led Children’s Services’ – which argues for change.",
        {
            (
                "Grow Your Own: Community-led Children’s Services",
                "New Local Government Network",
                (),
            )
        },
    ),
    (
        "Action for Children's latest report shows rising need among families.",
        {(None, "Action for Children", ())},
    ),
    # No report, or a report whose publisher and title the article never gives.
    ("Councils have spent more on children’s social care this year.", set()),
    ("A think tank has warned that children’s services face a crisis.", set()),
    ("A new report says children’s services face a crisis.", set()),
    pytest.param(
        "A report by the National Children's Bureau (NCB) finds rising need.",
        {(None, "National Children's Bureau", ())},
    ),
    pytest.param(
        "Barnardo's has released a new report on adoption.",
        {(None, "Barnardo's", ())},
    ),
    pytest.param(
        f"{TITLED}\n\nThe research was undertaken in association with the University of Kent.",
        {(TITLE, "Children's Society", ()), (TITLE, "Children's Society", ("University of Kent",))},
    ),
]


@pytest.mark.parametrize(("body", "expected"), REPORTS)
def test_reports_publishers_and_partners(
    body: str, expected: set[tuple[str | None, str | None, tuple[str, ...]]]
) -> None:
    assert reports_in(body) == expected


# (article body, report title, publisher, policies recommended, in order)
RECOMMENDATIONS = [
    (
        f"{UNTITLED}\n\nIt calls on the Government to end the care crisis by investing in "
        "family help, and expanding kinship care.",
        None,
        IFS,
        ["invest in family help", "expand kinship care"],
    ),
    (
        f"{TITLED}\n\nIt calls on the Government to act by focusing on early help and "
        "prevention, and allowing councils to pool budgets.",
        TITLE,
        "Children's Society",
        ["focus on early help and prevention", "allow councils to pool budgets"],
    ),
    (
        f"{TITLED}\n\nIt calls on the Government to end the crisis by replacing short-term "
        "grants, and embedding family help in law.",
        TITLE,
        "Children's Society",
        ["replace short-term grants", "embed family help in law"],
    ),
    (
        f"{UNTITLED}\n\nIt calls on ministers to publish a workforce plan.",
        None,
        IFS,
        ["publish a workforce plan"],
    ),
    (
        f"{UNTITLED}\n\nThe report calls for a national fostering strategy and for the cap "
        "on agency pay to be scrapped.",
        None,
        IFS,
        ["a national fostering strategy", "scrap the cap on agency pay"],
    ),
    (
        f"{TITLED}\n\nThe report makes ten recommendations for Government, including: "
        "replacing the troubled families programme; a new duty to support teenagers; and "
        "defining family help in law.",
        TITLE,
        "Children's Society",
        [
            "replace the troubled families programme",
            "a new duty to support teenagers",
            "define family help in law",
        ],
    ),
    (
        f"{TITLED}\n\nThe report makes recommendations including ring-fenced funding for "
        "early help and a new national care standard.",
        TITLE,
        "Children's Society",
        ["ring-fenced funding for early help", "a new national care standard"],
    ),
    (
        f"{UNTITLED}\n\nThe IFS argues the Government must reform the funding formula for "
        "children’s services.",
        None,
        IFS,
        ["reform the funding formula for children’s services"],
    ),
    (
        f"{UNTITLED}\n\nThe IFS says the Government should cap agency fees for social workers.",
        None,
        IFS,
        ["cap agency fees for social workers"],
    ),
    (
        f"{UNTITLED}\n\nThe report urged ministers to publish a long-term workforce plan.",
        None,
        IFS,
        ["publish a long-term workforce plan"],
    ),
    (
        f"{UNTITLED}\n\nThe report proposes a future where every family can get help early.",
        None,
        IFS,
        ["every family can get help early"],
    ),
    (
        # The publisher's spokesperson: the quote runs on into the next paragraph.
        f"{UNTITLED}\n\nPaul Johnson, director of the IFS, said: ‘The money is welcome.\n\n"
        "‘Ministers must set out a ten-year funding settlement for councils.’",
        None,
        IFS,
        ["set out a ten-year funding settlement for councils"],
    ),
    (
        f"{UNTITLED}\n\nPaul Johnson, director of the IFS, said: ‘The money is welcome. "
        "Ministers must set out a ten-year funding settlement for councils.’",
        None,
        IFS,
        ["set out a ten-year funding settlement for councils"],
    ),
    pytest.param(
        f"{UNTITLED}\n\nIt calls for the two-child limit to be abolished and for free school "
        "meals to be extended.",
        None,
        IFS,
        ["abolish the two-child limit", "extend free school meals"],
    ),
    pytest.param(
        "Action for Children's latest report shows rising need. Action for Children argues "
        "that the Government must expand family hubs.",
        None,
        "Action for Children",
        ["expand family hubs"],
    ),
    pytest.param(
        f"{UNTITLED}\n\nPaul Johnson, director of the IFS, said: ‘Ministers must set out a "
        "ten-year funding settlement for councils.’",
        None,
        IFS,
        ["set out a ten-year funding settlement for councils"],
    ),
]


@pytest.mark.parametrize(("body", "title", "publisher", "policies"), RECOMMENDATIONS)
def test_recommendations(body: str, title: str | None, publisher: str, policies: list[str]) -> None:
    found = recommendations_in(body)
    assert [r.policy for r in found] == policies
    assert {(r.report_title, r.publisher) for r in found} == {(title, publisher)}
    assert all(r.provenance.extractor == "reports" for r in found)


# Articles in which nothing is recommended.
NO_RECOMMENDATIONS = [
    pytest.param(
        "Councils have spent more on children’s social care this year. The Government must "
        "act, councillors said.",
        id="no report",
    ),
    pytest.param(
        "The Institute for Fiscal Studies (IFS) said council spending had risen. It calls on "
        "the Government to raise spending.",
        id="publisher named but no report",
    ),
    pytest.param(
        "A think tank has warned that children’s services face a crisis. The think tank calls "
        "on the Government to raise spending.",
        id="think tank with no named publisher",
    ),
    pytest.param(
        f"{UNTITLED}\n\nPaul Johnson, director of the IFS, said: ‘The money is welcome.\n\n"
        "‘This settlement must be just the beginning.’",
        id="copula must be",
    ),
    pytest.param(
        f"{UNTITLED}\n\nPaul Johnson, director of the IFS, said: ‘The money is welcome.\n\n"
        "‘Early help must remain a priority.’",
        id="copula must remain",
    ),
    pytest.param(
        f"{UNTITLED}\n\nJane Smith, chair of the Local Government Association, said: ‘The "
        "money is welcome.\n\n‘Ministers must fund councils properly.’",
        id="quote by someone not of the publisher",
    ),
    pytest.param(
        f"{UNTITLED}\n\nPaul Johnson, director of the IFS, said: ‘The money is welcome.’\n\n"
        "Cllr Jane Smith, leader of Leeds City Council, said: ‘Councils must share data.’",
        id="another speaker after the publisher",
    ),
    pytest.param(
        f"{UNTITLED}\n\nThe Local Government Association calls on the Government to raise "
        "spending.",
        id="another organisation calls on",
    ),
    pytest.param(
        f"{UNTITLED}\n\nThe LGA argues the Government must reform the funding formula.",
        id="another organisation argues must",
    ),
    pytest.param(
        f"{UNTITLED}\n\nPaul Johnson, director of the IFS, said: ‘The money is welcome.\n\n"
        "‘The settlement is fair.’\n\n‘Councils must share data,’ said Cllr Jane Smith, "
        "leader of Leeds City Council.",
        id="quote by another speaker right after the publisher's quote",
    ),
]


@pytest.mark.parametrize("body", NO_RECOMMENDATIONS)
def test_no_recommendation(body: str) -> None:
    assert recommendations_in(body) == []


BASE_FORMS = [
    ("replacing", "replace"),
    ("defining", "define"),
    ("embedding", "embed"),
    ("focusing", "focus"),
    ("allowing", "allow"),
    ("introducing", "introduce"),
    ("scrapped", "scrap"),
    ("reformed", "reform"),
    ("abolished", "abolish"),
    ("creating", "create"),
    ("giving", "give"),
    ("investing", "invest"),
    ("expanding", "expand"),
    ("stopping", "stop"),
    ("planning", "plan"),
    ("ending", "end"),
    ("ring-fencing", "ring-fence"),
    ("funding", "fund"),
    ("training", "train"),
    ("delivering", "deliver"),
    ("improving", "improve"),
    ("reducing", "reduce"),
    ("requiring", "require"),
    ("ensuring", "ensure"),
    ("building", "build"),
    ("publishing", "publish"),
    ("banning", "ban"),
    ("changing", "change"),
    ("removing", "remove"),
    ("extended", "extend"),
    ("capped", "cap"),
    ("scrap", "scrap"),
    ("Reform", "reform"),
    pytest.param("making", "make"),
    pytest.param("taking", "take"),
    pytest.param("providing", "provide"),
    pytest.param("increasing", "increase"),
    pytest.param("raising", "raise"),
    pytest.param("tackling", "tackle"),
    pytest.param("enabling", "enable"),
    pytest.param("strengthening", "strengthen"),
    pytest.param("bringing", "bring"),
    pytest.param("using", "use"),
]


@pytest.mark.parametrize(("verb", "base"), BASE_FORMS)
def test_base_form(verb: str, base: str) -> None:
    assert base_form(verb) == base


POLICY_LABELS = [
    ("replacing the troubled families programme", "replace the troubled families programme"),
    ("defining family help in law;", "define family help in law"),
    ("‘ring-fencing the early help grant’", "ring-fence the early help grant"),
    ("to focus on early help", "focus on early help"),
    ("and a new duty to support teenagers.", "a new duty to support teenagers"),
    ("or abolishing Ofsted", "abolish Ofsted"),
    (
        "the current Ofsted inspection framework to be replaced with one designed by the community",
        "replace the current Ofsted inspection framework with one designed by the community",
    ),
    ("the cap on agency pay to be scrapped", "scrap the cap on agency pay"),
    (" ".join(f"w{n}" for n in range(40)), " ".join(f"w{n}" for n in range(30))),
    ("reform", None),
    ("", None),
    ("  ;  ", None),
    pytest.param(
        "free school meals to be extended",
        "extend free school meals",
    ),
]


@pytest.mark.parametrize(("clause", "label"), POLICY_LABELS)
def test_policy_label(clause: str, label: str | None) -> None:
    assert policy_label(clause) == label


FURTHER_REPORT_FORMS = [
    (
        "Barnardo's works with care leavers across England.\n\n"
        "In a new report, No Place to Call Home, the charity calls on the Government to extend "
        "Staying Put arrangements to the age of 25 and ring-fence funding for leaving care.",
        "No Place to Call Home",
        "Barnardo's",
        ["extend Staying Put arrangements to the age of 25", "ring-fence funding for leaving care"],
    ),
    (
        "The report, Children's Services at the Crossroads, was published by the County Councils "
        "Network (CCN).\n\nThe CCN argues the Government must introduce a national framework for "
        "placement prices and give councils new powers to open children's homes.",
        "Children's Services at the Crossroads",
        "County Councils Network",
        [
            "introduce a national framework for placement prices",
            "give councils new powers to open children's homes",
        ],
    ),
    (
        "The Association of Directors of Children's Services (ADCS) today published Safeguarding "
        "Pressures Phase 9, its latest research into demand.\n\n"
        "The report makes a series of recommendations for Government, including:\n\n"
        "- a multi-year funding settlement for children's social care;\n\n"
        "- a national cap on the profits made by private children's home providers; and\n\n"
        "- a national recruitment campaign for foster carers.",
        "Safeguarding Pressures Phase 9",
        "Association of Directors of Children's Services",
        [
            "a multi-year funding settlement for children's social care",
            "a national cap on the profits made by private children's home providers",
            "a national recruitment campaign for foster carers",
        ],
    ),
    (
        "The ADCS published a new report, 'Stretched Thin', on Tuesday.\n\n"
        "The report also recommends a ten-year workforce strategy and the creation of regional "
        "fostering hubs.",
        "Stretched Thin",
        "ADCS",
        ["a ten-year workforce strategy", "the creation of regional fostering hubs"],
    ),
]


@pytest.mark.parametrize(("body", "title", "publisher", "policies"), FURTHER_REPORT_FORMS)
def test_further_report_forms(body: str, title: str, publisher: str, policies: list[str]) -> None:
    found = recommendations_in(body)
    assert {(r.report_title, r.publisher) for r in found} == {(title, publisher)}
    assert [r.policy for r in found] == policies


def test_a_quoted_phrase_in_someone_s_words_is_not_a_title() -> None:
    body = "Andrew Collins said the analysis showed that prevention 'pays for itself within three years'."
    assert [r.title for r in facts(body) if isinstance(r, Report)] in ([], [None])
