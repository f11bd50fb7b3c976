"""The demo's agreements as the seeds word them (ADR 24).

The 2022 agreement (seed 000): its purpose, common goal, the city's role, each party's
contribution in the report's words, and its one goal with indicators that the data answers.
The 2015–2016 agreement for unaccompanied minors (seeds 003 and 004) is a partnership of its
own: seven non-profits and the city from March 2015, Stadsmissionen and Karriärkraft joining
later, 100 then 200 places, its legal basis, shared values, four groups and seven goals. The
seeds give no day for the signing (only "March 2015") nor for the extension ("about a year"
later); the days chosen are in ADR 24. No person of the seeds is named: staff are synthetic.
"""

import datetime as dt
import random
from decimal import Decimal

from tillsammans.partnership.models import (
    Agreement,
    AgreementTarget,
    Decision,
    Goal,
    GovernanceGroup,
    GroupKind,
    Indicator,
    IndicatorUnit,
    Measure,
    Meeting,
    Organisation,
    OrganisationKind,
    Party,
)

# -- 2022 (seed 000) -----------------------------------------------------------------------

PURPOSE_2022 = (
    "Boende med mervärden för flyktingar som kommer till Sverige och omfattas av "
    "massflyktsdirektivet. Men det handlar inte bara om boende. Våra mervärden som idéburna "
    "organisationer har bidragit till en helhetslösning som underlättar integrationen med "
    "mötesplatser, hjälp till arbete, skola, myndighetskontakter och vård."
)
COMMON_GOAL_2022 = (
    "Partnernas gemensamma mål är att organisationernas mervärden ska bidra till ett bra "
    "mottagande, goda boendemiljöer och en bra integration för flyktingar som omfattas av "
    "massflyktsdirektivet."
)
COORDINATION_2022 = (
    "Göteborgs Stad bär det stadsövergripande ansvaret att ordna bostäder för anvisningar "
    "från Migrationsverket. Verkar som koordinator och samordnande i kontakt och samarbete "
    "med involverade idéburna organisationer. Göteborgs Stad, socialförvaltning sydväst."
)
CONTRIBUTIONS_2022 = {
    "raddningsmissionen": (
        "Driver Hjärterum som är eget boende via andrahandsuthyrning hos privatpersoner. "
        "Driver också Maträttsbutiker, social supermarkets, där personer med låg inkomst kan "
        "handla för subventionerat pris, och ger ut matkuponger dit. Driver ett projekt mot "
        "exploatering på arbetsmarknaden."
    ),
    "stadsmissionen": (
        "Eget boende och Mötesplats Ukraina, öppen för alla ukrainska flyktingar: lunch, "
        "samhällsvägledning, språkträning samt CV- och jobbcoachning. Matkassar, "
        "hygienartiklar och kläder genom insamlingsverksamhet och matcentral."
    ),
    "bracke-diakoni": (
        "Hälsokontroller via ett mobilt hälsoteam för boende inom samverkan. Mat genom lokal "
        "samverkan, friskvårdsaktiviteter via Integrationscentrum."
    ),
    "reningsborg": (
        "Praktik i egendrivna secondhandbutiker med Västtrafikkort i utbyte, "
        "svenskundervisning/språkcafé, klädinsamlingar, hygien- och städprodukter till boende."
    ),
    "skyddsvarnet": (
        "Det största boendet med 200 platser och matservice. Driver Jobbstart Ukraina: direkt "
        "matchning med jobbcoach som följer individen hela vägen."
    ),
    "goteborgs-stad": (
        "Samordnar partnerskapet, driver boenden i egen regi och erbjuder gemensamma "
        "utbildningsinsatser."
    ),
}
GOAL_2022 = (
    "Ett bra mottagande, goda boendemiljöer och en bra integration",
    COMMON_GOAL_2022,
)
# The English edition's words (the demo's translation; the seed is in Swedish only).
GOAL_2022_EN = (
    "A good reception, good living environments and good integration",
    "The partners' common goal is that the organisations' added values contribute to a good "
    "reception, good living environments and good integration for refugees covered by the "
    "Temporary Protection Directive.",
)
# Indicators of the demo: what the data can answer, and one survey entered by hand. The
# targets are the demo's own, not the partnership's (the seed gives none).
INDICATORS_2022 = [
    ("Andel hushåll som fått plats inom 48 timmar efter anvisning",
     "Share of households placed within 48 hours of allocation", Measure.PLACED_WITHIN_48H,
     IndicatorUnit.PERCENT, Decimal(90)),
    ("Andel boende som nåtts av en hälsoinsats",
     "Share of residents reached by a health service", Measure.HEALTH_REACH,
     IndicatorUnit.PERCENT, Decimal(75)),
    ("Personer som fått arbete genom Jobbstart", "People in work through Jobbstart",
     Measure.IN_WORK, IndicatorUnit.PERSONS, Decimal(40)),
    ("Andel boende som upplever sin boendemiljö som trygg (enkät)",
     "Share of residents who feel safe where they live (survey)", "", IndicatorUnit.PERCENT,
     Decimal(80)),
]  # fmt: skip

# The demo's meetings of the cooperation group: invented, but about what the seeds name (the
# joint trainings, referrals between partners, the monthly reports). Decisions name the
# responsible organisation and a role, never a person.
DecisionSpec = tuple[str, str, str, dt.date, dt.date | None]  # text, owner, role, due, done
MEETINGS_2022: list[tuple[dt.date, str, str, list[DecisionSpec]]] = [
    (
        dt.date(2022, 9, 14),
        "1. Läget på boendena\n2. Gemensamma utbildningar hösten 2022\n3. Remisser mellan "
        "parterna",
        "Samverkansgruppen gick igenom beläggningen per boende. Utbildningen om människohandel "
        "i juni uppskattades; parterna vill ha en om exploatering på arbetsmarknaden.",
        [
            ("Ordna en gemensam utbildning om exploatering på arbetsmarknaden.",
             "raddningsmissionen", "Projektledare", dt.date(2022, 9, 21), dt.date(2022, 9, 21)),
            ("Ta fram en gemensam rutin för remisser mellan parterna.", "goteborgs-stad",
             "Samordnare", dt.date(2022, 10, 31), dt.date(2022, 10, 26)),
        ],
    ),
    (
        dt.date(2022, 11, 16),
        "1. Månadsrapporterna\n2. Årsrapporten 2022\n3. Vintern på boendena",
        "Månadsrapporterna kommer in i tid. Årsrapporten skrivs av parterna tillsammans; varje "
        "part skriver sitt avsnitt.",
        [
            ("Skicka in avsnitten till årsrapporten.", "skyddsvarnet", "Verksamhetschef",
             dt.date(2023, 1, 31), None),
        ],
    ),
]  # fmt: skip

# -- 2015–2016 (seeds 003 and 004) ---------------------------------------------------------

MINORS_NAME = "Idéburet och offentligt partnerskap för mottagande av ensamkommande barn"
MINORS_STARTS = dt.date(2015, 3, 1)
MINORS_ENDS = dt.date(2016, 12, 31)
MINORS_EXTENDED = dt.date(2016, 3, 1)
MINORS_ORGANISATIONS = [
    # slug, name, short name (organisations of 2022 are already there)
    ("roda-korset", "Röda Korset", "Röda Korset"),
    ("radda-barnen", "Rädda Barnen", "Rädda Barnen"),
    ("individuell-manniskohjalp", "Individuell Människohjälp", "IM"),
    ("karriarkraft", "Karriärkraft", "Karriärkraft"),
]
MINORS_FIRST_PARTIES = [
    "goteborgs-stad", "roda-korset", "radda-barnen", "raddningsmissionen", "bracke-diakoni",
    "individuell-manniskohjalp", "skyddsvarnet", "reningsborg",
]  # fmt: skip
MINORS_LATER_PARTIES = ["stadsmissionen", "karriarkraft"]
MINORS_TEXTS = {
    "description": "Tillsammans har vi kraft att skapa nya möjligheter i barns och ungdomars liv.",
    "purpose": (
        "Syftet är att skapa ett långsiktigt hållbart Göteborg för nyanlända barn och unga "
        "genom att stärka samspelet mellan den offentliga och idéburna sektorn. Tillsammans "
        "skapa en extra dimension för de nyanlända barnen och ungdomarna."
    ),
    "common_goal": (
        "Tillsammans vill vi sträva efter att de ensamkommande barnen får en bästa tänkbara "
        "första tid i Göteborg och Sverige. Målet för verksamheten är att ge barnen och "
        "ungdomarna en helhetslösning och ett varmt välkomnande som innefattar boende och "
        "omsorg."
    ),
    "legal_basis": (
        "Kontrollerat av stadsjurist.\n"
        "Överenskommelse om samverkan mellan Göteborgs Stad och sektorn social ekonomi.\n"
        "Kommunfullmäktiges budget samt mål och inriktningsdokument.\n"
        "Lagstiftningar kring målgrupp."
    ),
    "shared_values": (
        "Den gemensamma värdegrund som varje samverkande part förväntas dela och bära utgår "
        "från tre källor:\n"
        "FN:s deklaration om de mänskliga rättigheterna.\n"
        "FN:s deklaration om barns rättigheter (barnkonventionen).\n"
        "Göteborgs Stads policy om mångfald och jämställdhet.\n"
        "Dessutom ska samarbetet bygga på respekt inför varandras olika förutsättningar, "
        "öppenhet och dialog som karaktäriseras av ömsesidig tillit, lyhördhet och förståelse. "
        "Även långsiktighet, transparens och acceptans för kritik är centralt i den gemensamma "
        "värdegrunden. Ett gemensamt lärande."
    ),
    "coordination": (
        "Social resursförvaltning, Göteborgs Stad, samordnar partnerskapet. Den offentliga "
        "sektorn/kommunen ansvarar för placering i lämpligt boende och bidrar till stora delar "
        "med finansieringen; ersättning utifrån månatlig ekonomisk rapportering. Bräcke "
        "diakoni samordnar avtalets idéburna organisationer."
    ),
}
MINORS_CONTRIBUTIONS = {
    "roda-korset": "Personalutbildningar, med traumakunskap och asylrätt.",
    "radda-barnen": "Personalutbildningar, med traumakunskap och asylrätt.",
}
# "Tillsammans strävar vi efter att uppnå ett mottagande för nyanlända barn och unga som
# präglas av:" (seed 003), all seven.
MINORS_GOALS = [
    "Trygga uppväxtmiljöer",
    "Höjd livskvalitet och bättre hälsa",
    "Delaktighet genom ett rättighetsbaserat förhållningssätt",
    "Mindre polarisering och segregation",
    "Förutsättningar för att barnen uppnår sin fulla potential",
    "Minskad oro, otrygghet och kriminalitet",
    "Ökad framtidstro och känsla av tillhörighet",
]
MINORS_GOAL_INTRO = "Ett mottagande för nyanlända barn och unga som präglas av detta."
# One indicator per goal, computed from the children's data (the targets are invented).
MINORS_INDICATORS = [
    ("Andel barn med god man inom 14 dagar", "Share of children with a guardian within 14 days",
     Measure.GUARDIAN_IN_TIME, IndicatorUnit.PERCENT, Decimal(90)),
    ("Andel barn som nåtts av en hälsoinsats", "Share of children reached by a health service",
     Measure.HEALTH_REACH, IndicatorUnit.PERCENT, Decimal(80)),
    ("Andel barn med genomförandeplan", "Share of children with an implementation plan",
     Measure.CHILDREN_WITH_PLAN, IndicatorUnit.PERCENT, Decimal(100)),
    ("Andel barn med kontaktfamilj, fritidsvolontär eller fadder",
     "Share of children with a contact family, leisure volunteer or mentor",
     Measure.CHILDREN_WITH_VOLUNTEER, IndicatorUnit.PERCENT, Decimal(50)),
    ("Barn i läxhjälp, arbetsträning, praktik eller andra insatser",
     "Children in homework help, work training, internships or other services",
     Measure.CHILDREN_IN_SERVICES, IndicatorUnit.PERSONS, Decimal(100)),
    ("Anhöriga som hittats i familjeåterförening", "Relatives found for family reunification",
     Measure.RELATIVES_FOUND, IndicatorUnit.NUMBER, Decimal(10)),
    ("Andel unga med beslut inför 18 före födelsedagen",
     "Share of young people with a decision for 18 before their birthday",
     Measure.AFTER_18_IN_TIME, IndicatorUnit.PERCENT, Decimal(90)),
]  # fmt: skip
MINORS_GROUPS = [GroupKind.STEERING, GroupKind.COOPERATION, GroupKind.SITE_MANAGERS,
                 GroupKind.REFERENCE]  # fmt: skip


def _agreement_2022(orgs: dict[str, Organisation]) -> None:
    agreement = Agreement.objects.filter(starts_on__year=2022).order_by("starts_on").first()
    if agreement is None:
        return
    agreement.purpose = PURPOSE_2022
    agreement.common_goal = COMMON_GOAL_2022
    agreement.coordination = COORDINATION_2022
    agreement.coordinator = orgs.get("goteborgs-stad")
    agreement.save()
    for party in agreement.party_set.select_related("organisation"):
        party.contribution = CONTRIBUTIONS_2022.get(party.organisation.slug, "")
        party.save(update_fields=["contribution"])
    title, description = GOAL_2022
    title_en, description_en = GOAL_2022_EN
    goal = Goal.objects.create(
        agreement=agreement, position=1, title=title, description=description,
        title_en=title_en, description_en=description_en,
    )  # fmt: skip
    for name, name_en, measure, unit, target in INDICATORS_2022:
        Indicator.objects.create(
            goal=goal, name=name, name_en=name_en, measure=measure, unit=unit, target=target
        )
    group = agreement.groups.filter(kind=GroupKind.COOPERATION).first()
    if group is None:
        return
    for held_on, agenda, minutes, decisions in MEETINGS_2022:
        meeting = Meeting.objects.create(
            group=group, held_on=held_on, agenda=agenda, minutes=minutes
        )
        for text, slug, owner_name, due_on, done_on in decisions:
            Decision.objects.create(
                meeting=meeting, text=text, owner=orgs[slug], owner_name=owner_name,
                due_on=due_on, done_on=done_on,
            )  # fmt: skip


def _agreement_2015(orgs: dict[str, Organisation]) -> None:
    for slug, name, short_name in MINORS_ORGANISATIONS:
        orgs[slug] = Organisation.objects.create(
            slug=slug, name=name, short_name=short_name, kind=OrganisationKind.NONPROFIT
        )
    agreement = Agreement.objects.create(
        name=MINORS_NAME, starts_on=MINORS_STARTS, ends_on=MINORS_ENDS,
        coordinator=orgs["goteborgs-stad"], **MINORS_TEXTS,
    )  # fmt: skip
    for slug in MINORS_FIRST_PARTIES:
        Party.objects.create(
            agreement=agreement, organisation=orgs[slug], joined_on=MINORS_STARTS,
            contribution=MINORS_CONTRIBUTIONS.get(slug, ""),
        )  # fmt: skip
    for slug in MINORS_LATER_PARTIES:
        Party.objects.create(
            agreement=agreement, organisation=orgs[slug], joined_on=MINORS_EXTENDED
        )
    AgreementTarget.objects.create(agreement=agreement, valid_from=MINORS_STARTS, places=100)
    AgreementTarget.objects.create(agreement=agreement, valid_from=MINORS_EXTENDED, places=200)
    for kind in MINORS_GROUPS:
        GovernanceGroup.objects.create(agreement=agreement, kind=kind)
    for position, (title, indicator) in enumerate(
        zip(MINORS_GOALS, MINORS_INDICATORS, strict=True), start=1
    ):
        goal = Goal.objects.create(
            agreement=agreement, position=position, title=title, description=MINORS_GOAL_INTRO
        )
        name, name_en, measure, unit, target = indicator
        Indicator.objects.create(
            goal=goal, name=name, name_en=name_en, measure=measure, unit=unit, target=target
        )


def load(rng: random.Random) -> None:
    orgs = {o.slug: o for o in Organisation.objects.all()}
    _agreement_2022(orgs)
    _agreement_2015(orgs)
