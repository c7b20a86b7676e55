"""The demonstration programme: children's centres commissioning over three phases.

`load_demo()` builds it through the real services (responses are saved page by page
and submitted through the submission service, so they are tagged like any other),
then backdates them into each round's dates. It tells the whole loop: phase 2's
feedback is analysed into themes, the team records lessons from the improvement
themes with the actions that answered them, phase 3's provider questionnaire asks
"Last time you told us ...; we did .... Has this improved?", and phase 3's answers
say whether it did. Loading it again changes nothing.
The free-text answers below were written for Debrief in varied voices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select

from surveys import journey
from surveys.db import db
from surveys.models import (
    CallLog,
    Contact,
    Invitation,
    Lesson,
    Officer,
    Organisation,
    Programme,
    Round,
    Survey,
    Theme,
    utcnow,
)
from surveys.services import analysis_runs, rounds_admin
from surveys.services import lessons as lesson_service
from surveys.services import officers as officer_service
from surveys.services import themes as theme_service
from surveys.services.invitations import invite
from surveys.services.responses import (
    answers_of,
    definition_for,
    save_page,
    start_or_resume,
    submit_response,
)

PROGRAMME_SLUG = "childrens-centres"
ADMIN_EMAIL = "admin@debrief.example"
OFFICER_EMAIL = "officer@debrief.example"
OFFICER_SLACK_ID = "U0DEMOOFFICER"
PARTNER_SLACK_ID = "U0DEMOPARTNER"

PHASE_2_WEB: list[tuple[str | None, str | None]] = [
    (
        "We saw the advert in the local paper and then again in the parish newsletter, so it "
        "was hard to miss. Good publicity.",
        "Nobody could tell us what a lead agency actually has to do day to day. We guessed, "
        "and I suspect we guessed wrong in places.",
    ),
    (
        "The expression of interest pack was on the website and easy to download. Everything "
        "was in one place.",
        "Six weeks is not long enough for a small charity with no bid writer. We did most of "
        "it in the evenings.",
    ),
    (
        "Guidance notes on filling in the form were clear, especially the section explaining "
        "what evidence to attach.",
        "We heard nothing for nearly two months after the deadline and had to ring round to "
        "find out whether the panel had even met.",
    ),
    (
        "Well advertised. I think every nursery in the district knew about it.",
        "More information about the lead agency role please - budgets, staffing, who we report to.",
    ),
    (
        "the documents were easy to find online and the form itself was straightforward",
        "longer timeframe. we only found out half way through the window",
    ),
    (
        "The council made a real effort to reach organisations like ours. The adverts went "
        "into places the voluntary sector actually reads.",
        "There was no one from the voluntary sector on the scoring panel that looked at our "
        "bid. A CVS representative would have understood our model.",
    ),
    (
        "Having the guidance and the form side by side on the web page helped a lot.",
        "Communication during the process was patchy. Some emails came from one officer, "
        "some from another, and the messages did not always agree.",
    ),
    (
        None,
        "The window was far too short for a partnership bid. Getting three organisations' "
        "boards to sign off in six weeks was nearly impossible.",
    ),
    (
        "Online documents were easy to get hold of, and the FAQ was updated as questions "
        "came in, which was helpful.",
        "We still don't really understand what was expected of a lead agency versus a "
        "delivery partner. A briefing session would have helped.",
    ),
    (
        "Advertising was excellent - local radio, the paper, and a mailing to us directly.",
        None,
    ),
    (
        "Clear instructions on how to complete each section of the EOI form.",
        "Please keep applicants informed about timescales. We planned staff around a "
        "decision date that slipped by a month without any word.",
    ),
    (
        "It was easy to find everything we needed on the council website.",
        "As a voluntary organisation we felt the panel was weighted towards schools. Future "
        "panels should include someone from the CVS.",
    ),
    (
        "Good, wide publicity. We are a private nursery and we were pleasantly surprised to "
        "be invited to bid at all.",
        "The time allowed to complete the form was too short, particularly over the Easter "
        "holiday.",
    ),
    (
        "The guidance on the form answered most of our questions before we had to ask them.",
        "Explain the lead agency responsibilities in much more detail: the contract, the "
        "monitoring, what happens in year two.",
    ),
    (
        "Everything was downloadable and printable, which suited our trustees who don't do email.",
        "Better communication about where the process had got to. A simple timeline on the "
        "website, kept up to date, would do.",
    ),
    (
        "Nothing in particular.",
        "Give us longer. Twelve weeks would be fair.",
    ),
    (
        "The advertising reached us through three different routes, so well done.",
        "I would have liked to know more about the role of the lead agency before we "
        "committed. We only realised the scale of it after we had been chosen.",
    ),
    (
        "Documents online were easy to access and clearly labelled.",
        "Feedback after the decision was thin. We were told we were unsuccessful but not "
        "really why.",
    ),
    (
        "Helpful guidance about what to put in each part of the form. It was written in "
        "plain English, which made a change.",
        "Panels should include CVS representation so that voluntary sector bids are judged "
        "by people who know how we work.",
    ),
    (
        "The EOI was well publicised in the local press.",
        "The deadline came too quickly. A longer application window would let smaller "
        "groups take part properly.",
    ),
    (
        "Publicity was good and it was simple to get hold of the forms online.",
        "Communication about the commissioning process as a whole - who decides, when, and "
        "on what basis - could be much clearer.",
    ),
    (
        "Very good guidance. Thank you to the officer who answered my phone call so patiently.",
        "More time to complete the application, and more information about the lead agency "
        "role at the start.",
    ),
]

PHASE_2_TELEPHONE: list[tuple[str | None, str | None]] = [
    (
        "Said the adverts in the local paper were what first got them interested.",
        "Would like a longer window to apply; six weeks clashed with their year end.",
    ),
    (
        "Found the online forms easy to download and fill in.",
        "Unclear about what being a lead agency involves. Wants more information up front.",
    ),
    (
        "Thought the guidance on completing the form was good.",
        "Felt out of the loop after submitting - no updates on progress until the decision letter.",
    ),
    (
        None,
        "Suggested a voluntary sector representative, ideally from the CVS, should sit on "
        "the scoring panel.",
    ),
    (
        "Pleased the opportunity was so widely advertised.",
        "Asked for more time and clearer communication about the stages of the process.",
    ),
]

PHASE_3_WEB: list[tuple[str | None, str | None]] = [
    (
        "The countywide briefing session was brilliant. Hearing from a phase 2 lead agency "
        "about their first year told us more than any document could.",
        "The presentation slots at the district stage were very short for the amount we "
        "were asked to cover.",
    ),
    (
        "Twelve weeks to apply made all the difference for our small team.",
        "Some of the budget figures in the pack changed part way through, which meant "
        "rewriting our finance section.",
    ),
    (
        "We got a postcard and then an invitation through our CVS director. Much better "
        "than last time.",
        None,
    ),
    (
        "Clear explanation of the lead agency role and responsibilities at the briefing.",
        "Parking at the briefing venue was a nightmare and we missed the first half hour.",
    ),
    (
        "Really appreciated having someone from the voluntary sector on the scoring panel.",
        "The district presentations felt rushed. Panel members were reading our paperwork "
        "while we talked.",
    ),
    (
        "Information sharing was much improved; the process and timescales were set out at "
        "the start and stuck to.",
        "It would help to have the scoring criteria published before the window opens, not "
        "part way through.",
    ),
    (
        "The 12 week window was fair and the support and guidance sessions were useful.",
        "Still not enough on TUPE and staffing transfer. That is the part that worries us most.",
    ),
    (
        "Good communication throughout. We always knew what stage we were at.",
        "The online form timed out twice and lost our work.",
    ),
    (
        "The briefing gave us the national and local context we were missing before.",
        "Smaller charities need help with contract management once they win. Please build a "
        "support network for new lead agency managers.",
    ),
]

PHASE_3_DRAFT_WENT_WELL = [
    "Much clearer information this time round.",
    "The briefing session in our district answered most of our questions.",
]

PARTNER_PHASE_3: list[tuple[str | None, str | None]] = [
    (
        "Boundaries were agreed with districts early, and the steering group was kept "
        "informed at every stage.",
        "Share the list of interested organisations with district partnership services "
        "sooner so we can support them locally.",
    ),
    (
        "Inviting CVS directors personally meant we could encourage member groups to apply.",
        "The voluntary sector still needs more help writing bids; a small grant for bid "
        "support would widen the field.",
    ),
]

PANEL_PHASE_3: list[tuple[str | None, str | None]] = [
    (
        "Scoring guidance was clear and the moderation meeting was well chaired.",
        "Papers arrived two days before the panel - not enough time to read 14 applications "
        "properly.",
    ),
]


@dataclass(frozen=True)
class DemoAction:
    """An action the team took on a lesson before phase 3 opened."""

    description: str
    owner: str
    days_before_phase_3: int
    status: str
    evidence: str


@dataclass(frozen=True)
class DemoLesson:
    """A lesson from one of phase 2's improvement themes and what was done about it."""

    title: str
    # A phase 2 answer in the theme the lesson comes from, and the officer's name for that
    # theme (analysis labels themes with a phrase; officers rename the ones they act on).
    heard_in: str | None
    theme_label: str
    what_we_heard: str
    what_we_did: str
    actions: tuple[DemoAction, ...]


MANAGER = "Children's centres commissioning manager"
LESSONS: tuple[DemoLesson, ...] = (
    DemoLesson(
        "More information about the lead agency role",
        PHASE_2_WEB[3][1],
        "Information about the lead agency role",
        "There was not enough information about what the lead agency role involves.",
        "Held countywide briefing sessions on the lead agency role, the process and "
        "timescales, where phase 2 lead agencies shared their experience.",
        (
            DemoAction(
                "Run a countywide briefing session in each district before the window opens",
                MANAGER,
                70,
                "done",
                "Four sessions held, one per district; 71 people from 48 organisations came",
            ),
            DemoAction(
                "Ask phase 2 lead agency managers to speak at every briefing",
                "Early years development officer",
                70,
                "done",
                "Three phase 2 lead agency managers spoke at each session",
            ),
            DemoAction(
                "Set up a network where new lead agency managers share experience and "
                "good practice",
                "District Partnership Services",
                0,
                "in_progress",
                "First network meeting held; terms of reference in draft",
            ),
        ),
    ),
    DemoLesson(
        "A longer application window",
        PHASE_2_WEB[1][1],
        "Time to complete the expression of interest",
        "Six weeks was not long enough to complete the expression of interest form.",
        "Gave applicants 12 weeks instead of 6, in line with the Compact.",
        (
            DemoAction(
                "Set a Compact-compliant 12-week window for phase 3 expressions of interest",
                MANAGER,
                120,
                "done",
                "Phase 3 window agreed at 12 weeks with the Compact lead and published",
            ),
        ),
    ),
    DemoLesson(
        "Clearer communication about the process",
        PHASE_2_WEB[14][1],
        "Communication about the commissioning process",
        "Communication about the commissioning process was patchy and you did not know "
        "where it had got to.",
        "Published the process and timescales at the start and sent applicants regular "
        "updates at each stage.",
        (
            DemoAction(
                "Publish a timeline of the process with the expression of interest pack",
                "Commissioning officer",
                90,
                "done",
                "Timeline on the council website from day one, updated when dates moved",
            ),
            DemoAction(
                "Email every applicant when each stage of the process finishes",
                "Commissioning officer",
                0,
                "in_progress",
                "Updates sent after the closing date and after the panel met",
            ),
        ),
    ),
    DemoLesson(
        "CVS representation on scoring panels",
        PHASE_2_WEB[18][1],
        "Voluntary sector representation on scoring panels",
        "Scoring panels needed someone from the voluntary sector, such as a CVS representative.",
        "Set up a multi-agency scoring panel with a member from the council for voluntary service.",
        (
            DemoAction(
                "Form a multi-agency scoring panel that includes a CVS member",
                "Head of early years commissioning",
                30,
                "done",
                "Panel of six from the council, health, district partnership services and "
                "Eastvale CVS",
            ),
        ),
    ),
)

# Phase 3's web respondents (in PHASE_3_WEB's order) on whether each lesson (in LESSONS'
# order) improved; None leaves the question unanswered.
PHASE_3_FOLLOWUPS: list[tuple[str | None, ...]] = [
    ("yes", "yes", "yes", "partly"),
    ("yes", "yes", "no", "yes"),
    ("yes", "yes", "yes", "yes"),
    ("yes", "yes", "partly", None),
    ("partly", "yes", "yes", "yes"),
    ("yes", "yes", "yes", "partly"),
    ("partly", "yes", "yes", "yes"),
    ("yes", "yes", "yes", "yes"),
    ("yes", "partly", "yes", "yes"),
]
# (respondent, lesson): the comment added to a follow-up answer
PHASE_3_FOLLOWUP_COMMENTS: dict[tuple[int, int], str] = {
    (1, 2): "The budget figures changed part way through and we only found out by ringing "
    "the council.",
    (4, 3): "Having a voluntary sector member on the panel made it feel much fairer.",
    (6, 0): "The briefing covered the role well, but not TUPE and staff transfers.",
    (8, 1): "Twelve weeks was fairer, although it ran over the summer holidays.",
}

# name, sector, contact name, email
PROVIDERS: list[tuple[str, str, str, str]] = [
    ("Hollybrook Infant School", "school_fe", "Ruth Adeyemi", "head@hollybrook.example.org"),
    ("Kingsmead Primary School", "school_fe", "Gareth Lewis", "office@kingsmead.example.org"),
    ("Family Matters Westshire", "voluntary", "Priya Shah", "priya@familymatters.example.org"),
    ("Little Acorns Community Trust", "voluntary", "Jo Barker", "jo@littleacorns.example.org"),
    ("Sunflower Day Nurseries Ltd", "private", "Mark Ellison", "mark@sunflower.example.com"),
    ("Westshire Primary Care Trust", "health", "Dr Anne Moss", "anne.moss@westshire-pct.example"),
    ("Northvale District Council", "district_council", "Colin Fry", "cfry@northvale.example.gov"),
    ("Brighter Beginnings", "voluntary", "Sam O'Connor", "sam@brighterbeginnings.example.org"),
    ("Ashcombe Nursery School", "school_fe", "Helen Ward", "head@ashcombe.example.org"),
    ("Parents Together Network", "voluntary", "Amina Yusuf", "amina@parentstogether.example.org"),
    ("Kidzone Childcare Ltd", "private", "Dean Marsh", "dean@kidzone.example.com"),
    ("Oakwood Community Association", "voluntary", "Bill Turner", "bill@oakwood.example.org"),
    ("Larkfield Academy Trust", "school_fe", "Sarah Quinn", "squinn@larkfield.example.org"),
    ("Eastvale Community Health", "health", "Nadia Karim", "nadia.karim@eastvale.example"),
    ("Riverside Play Association", "voluntary", "Tom Hughes", "tom@riversideplay.example.org"),
    ("Millbrook Borough Council", "district_council", "Lisa Grant", "lgrant@millbrook.example.gov"),
    ("Brambleton College", "school_fe", "Ian Petrie", "ipetrie@brambleton.example.ac.uk"),
    ("Millbrook Family Centre Trust", "voluntary", "Grace Obi", "grace@millbrookfct.example.org"),
    ("Westshire Housing Association", "other", "Owen Price", "owen.price@westshireha.example"),
    ("Jane Holt Childminding", "private", "Jane Holt", "jane@holtchildminding.example.com"),
    (
        "St Anne's Church of England Primary",
        "school_fe",
        "Fr Paul Kerr",
        "office@stannes.example.org",
    ),
    ("Westshire Women's Aid", "voluntary", "Maria Costa", "maria@westshirewa.example.org"),
    ("Tiny Steps Playgroup", "voluntary", "Kelly Dunn", "kelly@tinysteps.example.org"),
    ("Northvale Mental Health Partnership", "health", "Raj Patel", "raj.patel@nvmhp.example"),
    ("Greenfields Primary School", "school_fe", "Alison Reid", "head@greenfields.example.org"),
    ("Bright Futures Nurseries Ltd", "private", "Chris Lam", "chris@brightfutures.example.com"),
    ("Westshire Toy Library", "voluntary", "Doreen Platt", "doreen@toylibrary.example.org"),
    ("Meadow Lane Federation", "school_fe", "Peter Nash", "pnash@meadowlane.example.org"),
    ("Homeward Family Support", "voluntary", "Ade Bello", "ade@homeward.example.org"),
    ("Westshire Leisure Trust", "other", "Fiona Blake", "fiona@westshireleisure.example"),
]
# name, sector, contact name, email, Slack user
PARTNERS: list[tuple[str, str, str, str, str | None]] = [
    (
        "Westshire Council for Voluntary Service",
        "voluntary",
        "Hannah Rowe",
        "hannah.rowe@westshirecvs.example.org",
        PARTNER_SLACK_ID,
    ),
    (
        "Northvale District Partnership Service",
        "district_council",
        "Mike Dale",
        "mike.dale@northvale-dps.example.gov",
        None,
    ),
    (
        "Westshire Children's Health Commissioning",
        "health",
        "Beverley Stone",
        "b.stone@westshire-health.example",
        None,
    ),
    (
        "Countywide Children's Centres Steering Group",
        "other",
        "Yusuf Ali",
        "yusuf.ali@steering.example.org",
        None,
    ),
]
PANEL_MEMBERS: list[tuple[str, str, str, str]] = [
    (
        "Millbrook District Partnership Service",
        "district_council",
        "Angela Ford",
        "angela.ford@millbrook-dps.example.gov",
    ),
    (
        "Eastvale Council for Voluntary Service",
        "voluntary",
        "Kwame Asante",
        "kwame@eastvalecvs.example.org",
    ),
    ("Westshire Early Years Advisory Team", "other", "Rosa Lind", "rosa.lind@westshire-ey.example"),
]

_WOBBLE = (0, 1, 0, -1, 0, 1, -1)


def _rating(base: int | str, i: int) -> int | str:
    if isinstance(base, str):
        return base
    return max(1, min(5, base + _WOBBLE[i % len(_WOBBLE)]))


def _provider_answers(phase: int, i: int, went_well: str | None, improve: str | None) -> dict:
    """Return one provider's answers; phase 2 and phase 3 have different strengths."""
    if phase == 2:
        heard = [
            ("press_advert",),
            ("council_website",),
            ("press_advert", "council_email"),
            ("cvs",),
            ("word_of_mouth", "press_advert"),
        ][i % 5]
        bases = {
            "rating_advertising": 5,
            "rating_documents": 4,
            "rating_guidance": 4,
            "rating_briefings": "na",
            "rating_window": 2,
            "rating_communication": 2,
            "rating_panel": 3,
            "rating_presentations": "na",
        }
        long_enough = i % 4 == 3
        weeks = (10, 12, 12, 8)[i % 4]
    else:
        heard = [
            ("postcard",),
            ("briefing", "council_email"),
            ("cvs", "postcard"),
            ("press_advert",),
        ][i % 4]
        bases = {
            "rating_advertising": 4,
            "rating_documents": 4,
            "rating_guidance": 4,
            "rating_briefings": 5,
            "rating_window": 4,
            "rating_communication": 4,
            "rating_panel": 4,
            "rating_presentations": 2,
        }
        long_enough = i % 5 != 2
        weeks = 14
    answers: dict[str, Any] = {"heard_about": list(heard)}
    answers.update({qid: _rating(base, i) for qid, base in bases.items()})
    answers.update(
        went_well=went_well,
        improve=improve,
        window_long_enough=long_enough,
        window_weeks=None if long_enough else weeks,
        anything_else=("Thank you for asking for our views." if i % 6 == 1 else None),
        may_contact=i % 3 == 0,
    )
    return answers


@dataclass
class DemoResult:
    """What the demo created, for the command to report."""

    programme: Programme
    officer_passwords: dict[str, str] = field(default_factory=dict)
    responses: int = 0
    lessons: int = 0


def demo_loaded() -> bool:
    """Return whether the demonstration programme is already in the database."""
    return (
        db.session.scalars(select(Programme).where(Programme.slug == PROGRAMME_SLUG)).first()
        is not None
    )


def database_is_empty() -> bool:
    """Return whether the database holds no programme at all."""
    return not db.session.scalar(select(func.count()).select_from(Programme))


def load_demo() -> DemoResult | None:
    """Load the demonstration programme; return None (changing nothing) if it is there."""
    if demo_loaded():
        return None
    result = DemoResult(
        programme=Programme(
            slug=PROGRAMME_SLUG,
            name="Children's centres commissioning",
            description=(
                "Commissioning lead agencies for Sure Start children's centres across the "
                "county in three phases, through an expression of interest process and "
                "multi-agency panels."
            ),
        )
    )
    db.session.add(result.programme)
    admin, officer = _officers(result)
    phase_1, phase_2, phase_3 = _rounds(result.programme)
    providers = [
        _contact(name, sector, person, email, "provider")
        for name, sector, person, email in PROVIDERS
    ]
    partners = [
        _contact(name, sector, person, email, "partner", slack)
        for name, sector, person, email, slack in PARTNERS
    ]
    panel = [
        _contact(name, sector, person, email, "panel_member")
        for name, sector, person, email in PANEL_MEMBERS
    ]
    result.responses += _phase_2(phase_2, providers[:28], officer or admin)
    # Analyse what was heard so far, so the programme's codebook of themes exists.
    for round_ in (phase_1, phase_2):
        if analysis_runs.free_text_answers(round_):
            analysis_runs.analyse_round(round_)
    lessons = _lessons(phase_2, phase_3, officer or admin)
    result.lessons = len(lessons)
    result.responses += _phase_3(phase_3, providers[8:], partners, panel, lessons)
    analysis_runs.analyse_round(phase_3)
    db.session.flush()
    return result


def _officers(result: DemoResult) -> tuple[Officer | None, Officer | None]:
    made = []
    for email, role, name, slack in (
        (ADMIN_EMAIL, "admin", "Demo Admin", None),
        (OFFICER_EMAIL, "officer", "Sam Patel", OFFICER_SLACK_ID),
    ):
        officer = officer_service.officer_by_email(email)
        if officer is None:
            officer, password = officer_service.create_officer(email, role, name, slack)
            result.officer_passwords[email] = password
        made.append(officer)
    return made[0], made[1]


def _rounds(programme: Programme) -> tuple[Round, Round, Round]:
    today = utcnow().date()
    phase_1 = Round(
        programme=programme,
        slug="phase-1",
        name="Phase 1",
        status="closed",
        opens_on=date(2006, 1, 9),
        closes_on=date(2006, 2, 3),
    )
    # Phase 2 is built open so responses can be taken, then closed.
    phase_2 = Round(
        programme=programme,
        slug="phase-2",
        name="Phase 2",
        status="open",
        opens_on=date(2008, 2, 4),
        closes_on=date(2008, 3, 14),
        previous_round=phase_1,
    )
    phase_3 = Round(
        programme=programme,
        slug="phase-3",
        name="Phase 3",
        status="open",
        opens_on=today - timedelta(days=21),
        closes_on=today + timedelta(days=35),
        previous_round=phase_2,
    )
    db.session.add_all([phase_1, phase_2, phase_3])
    db.session.flush()
    return phase_1, phase_2, phase_3


def _contact(
    org_name: str, sector: str, person: str, email: str, role: str, slack_user_id: str | None = None
) -> Contact:
    organisation = db.session.scalars(
        select(Organisation).where(Organisation.name == org_name)
    ).first() or Organisation(name=org_name, sector=sector)
    contact = db.session.scalars(select(Contact).where(Contact.email == email)).first()
    if contact is None:
        contact = Contact(
            organisation=organisation,
            name=person,
            email=email,
            role=role,
            slack_user_id=slack_user_id,
        )
        db.session.add(contact)
    db.session.flush()
    return contact


def _at(day: date, minutes: int) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC) + timedelta(minutes=minutes)


def _when(round_: Round, index: int, count: int, last: date | None = None) -> datetime:
    """Spread submissions evenly through a round's dates (up to `last`)."""
    first = round_.opens_on + timedelta(days=2)
    end = last or round_.closes_on
    span = max((end - first).days, 1)
    return _at(first + timedelta(days=span * index // max(count, 1)), 37 * index % 420)


def _fill(response, answers: dict[str, Any], pages: int | None = None) -> None:
    """Answer page by page through the journey, as a respondent would."""
    definition = definition_for(response)
    page_id: str | None = definition.pages[0].id
    done = 0
    while page_id is not None and (pages is None or done < pages):
        form: dict[str, Any] = {}
        for question in definition.page(page_id).questions:
            form.update(question.form_values(answers.get(question.id)))
        save_page(response, page_id, form)
        done += 1
        page_id = journey.next_page_id(definition, answers_of(response), page_id)


def _respond(
    invitation: Invitation | None,
    answers: dict[str, Any],
    when: datetime,
    *,
    survey: Survey | None = None,
    channel: str = "web",
    entered_by: Officer | None = None,
) -> None:
    response = start_or_resume(invitation, survey=survey, channel=channel, entered_by=entered_by)
    _fill(response, answers)
    submit_response(response, submitted_at=when)
    response.started_at = when - timedelta(minutes=12 + len(answers))
    if invitation is not None:
        invitation.sent_at = invitation.sent_at or _at(response.survey.round.opens_on, 0)
        invitation.opened_at = response.started_at


def _phase_2(round_: Round, providers: list[Contact], officer: Officer | None) -> int:
    survey = rounds_admin.attach_template(round_, "provider-post-round")
    invitations = invite(survey, providers)
    web = list(zip(invitations, PHASE_2_WEB, strict=False))
    phone = list(zip(invitations[len(web) :], PHASE_2_TELEPHONE, strict=False))
    total = len(web) + len(phone)
    for i, (invitation, (went_well, improve)) in enumerate(web):
        _respond(invitation, _provider_answers(2, i, went_well, improve), _when(round_, i, total))
    for j, (invitation, (went_well, improve)) in enumerate(phone):
        i = len(web) + j
        when = _when(round_, i, total)
        _respond(
            invitation,
            _provider_answers(2, i, went_well, improve),
            when,
            channel="telephone",
            entered_by=officer,
        )
        if officer is not None:
            db.session.add(
                CallLog(
                    invitation_id=invitation.id,
                    officer_id=officer.id,
                    outcome="completed",
                    note="Answers taken by telephone.",
                    called_at=when - timedelta(minutes=25),
                )
            )
    for invitation in invitations[total:]:
        invitation.status = "sent"
        invitation.sent_at = _at(round_.opens_on, 0)
        invitation.reminder_count = 1
    round_.status = "closed"
    return total


def _lessons(phase_2: Round, phase_3: Round, officer: Officer | None) -> list[Lesson]:
    """Record what the team learned from phase 2's improvement themes and did before phase 3."""
    recorded = []
    for demo in LESSONS:
        theme = _theme_of(phase_2, demo.heard_in)
        if theme is not None and not theme.label_edited and officer is not None:
            theme_service.rename_theme(theme, demo.theme_label, officer)
        lesson = lesson_service.record_lesson(
            phase_2,
            theme,
            demo.title,
            demo.what_we_heard,
            officer,
            [
                {
                    "description": action.description,
                    "owner": action.owner,
                    "due_on": phase_3.opens_on - timedelta(days=action.days_before_phase_3),
                }
                for action in demo.actions
            ],
            target_round=phase_3,
        )
        for action, done in zip(lesson.actions, demo.actions, strict=True):
            lesson_service.update_action(action, done.status, done.evidence, officer)
        lesson_service.update_lesson(lesson, officer, what_we_did=demo.what_we_did)
        recorded.append(lesson)
    return recorded


def _theme_of(round_: Round, improve_text: str | None) -> Theme | None:
    """Return the theme analysis put one of the round's "could improve" answers in."""
    theme_id = next(
        (
            answer.theme_id
            for answer, _ in analysis_runs.free_text_answers(round_)
            if answer.question_id == "improve" and answer.value == improve_text
        ),
        None,
    )
    if theme_id is None:
        return None
    themes = analysis_runs.programme_themes(round_.programme_id)
    return analysis_runs.resolve_theme(themes.get(theme_id), themes)


def _followup_answers(i: int, lessons: list[Lesson]) -> dict[str, Any]:
    """Return a phase 3 respondent's answers to "Has this improved?" for each lesson."""
    answers: dict[str, Any] = {}
    choices = PHASE_3_FOLLOWUPS[i % len(PHASE_3_FOLLOWUPS)]
    for n, (lesson, choice) in enumerate(zip(lessons, choices, strict=False)):
        improved_id, comment_id = lesson_service.followup_question_ids(lesson)
        answers[improved_id] = choice
        answers[comment_id] = PHASE_3_FOLLOWUP_COMMENTS.get((i, n))
    return answers


def _phase_3(
    round_: Round,
    providers: list[Contact],
    partners: list[Contact],
    panel: list[Contact],
    lessons: list[Lesson],
) -> int:
    today = utcnow().date()
    # Providers told us the lessons in phase 2, so their questionnaire asks whether things
    # improved; partners and panel members were not asked in phase 2.
    provider_survey = rounds_admin.attach_template(round_, "provider-post-round")
    partner_survey = rounds_admin.attach_template(
        round_, "partner-consultation", with_followups=False
    )
    partner_survey.open_link = True
    panel_survey = rounds_admin.attach_template(round_, "panel-member", with_followups=False)
    invitations = invite(provider_survey, providers)
    count = 0
    answered = list(zip(invitations, PHASE_3_WEB, strict=False))
    for i, (invitation, (went_well, improve)) in enumerate(answered):
        _respond(
            invitation,
            _provider_answers(3, i, went_well, improve) | _followup_answers(i, lessons),
            _when(round_, i, len(answered), last=today - timedelta(days=1)),
        )
        count += 1
    drafts = invitations[len(answered) : len(answered) + len(PHASE_3_DRAFT_WENT_WELL)]
    for i, (invitation, went_well) in enumerate(zip(drafts, PHASE_3_DRAFT_WENT_WELL, strict=True)):
        response = start_or_resume(invitation)
        _fill(response, _provider_answers(3, i, went_well, None), pages=4 + i)
        invitation.status = "opened"
    for invitation in invitations[len(answered) :]:
        invitation.sent_at = _at(round_.opens_on, 0)
        if invitation.status == "pending":
            invitation.status = "sent"
    count += _partners(round_, partner_survey, partners)
    count += _panel(round_, panel_survey, panel)
    return count


def _partners(round_: Round, survey: Survey, partners: list[Contact]) -> int:
    invitations = invite(survey, partners)
    roles = ["district_partnership", "health", "steering_group"]
    # The Slack demo partner (first) is left to answer in Slack.
    for i, (invitation, (went_well, improve)) in enumerate(
        zip(invitations[1:], PARTNER_PHASE_3, strict=False)
    ):
        answers = {
            "partner_role": roles[i],
            "rating_consulted": 4 + i % 2,
            "rating_lead_agency_info": 3,
            "rating_vcs_involvement": 4 - i,
            "went_well": went_well,
            "improve": improve,
            "lead_agency_support": "A network where new lead agency managers can share practice.",
        }
        _respond(invitation, answers, _when(round_, i + 3, 8, last=utcnow().date()))
    _respond(
        None,
        {
            "partner_role": "cvs",
            "rating_consulted": 3,
            "rating_lead_agency_info": 4,
            "rating_vcs_involvement": 5,
            "went_well": "The postcards reached groups that never normally hear about "
            "council contracts.",
            "improve": None,
            "lead_agency_support": None,
        },
        _when(round_, 5, 8, last=utcnow().date()),
        survey=survey,
    )
    return len(PARTNER_PHASE_3) + 1


def _panel(round_: Round, survey: Survey, panel: list[Contact]) -> int:
    invitations = invite(survey, panel)
    for invitation, (went_well, improve) in zip(invitations, PANEL_PHASE_3, strict=False):
        answers = {
            "panel_type": "district_presentations",
            "sector": "district_council",
            "papers_in_time": False,
            "days_needed": 5,
            "rating_scoring_guidance": 4,
            "rating_panel_mix": 4,
            "went_well": went_well,
            "improve": improve,
            "debrief_date": None,
        }
        _respond(invitation, answers, _when(round_, 6, 8, last=utcnow().date()))
    return len(PANEL_PHASE_3)
