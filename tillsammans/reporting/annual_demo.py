"""The demo's texts for the 2022 annual report, in the words of seed 000 (Swedish) and in
English. Quotes are written for the demo and name no one."""

import random

from tillsammans.partnership.models import Organisation

from .models import AnnualNarrative

YEAR = 2022

TEXTS = {
    "raddningsmissionen": (
        "Det finns ett behov av mat",
        "There is a need for food",
        "Vi driver Hjärterum, boende via andrahandsuthyrning hos privatpersoner, som ger en ökad "
        "möjlighet till integration och relationer. Våra Maträttsbutiker är sociala "
        "livsmedelsbutiker där den som har låg inkomst kan handla till subventionerat pris, och "
        "när pengarna inte har räckt har vi gett ut matkuponger dit.",
        "We run Hjärterum, homes through subletting in private households, which gives more room "
        "for integration and relationships. Our Maträttsbutiker are social supermarkets where "
        "people on a low income shop at subsidised prices, and when money has not been enough we "
        "have handed out food coupons for them.",
        "Värdfamiljen lärde oss att åka spårvagn till jobbet.",
        "en pappa som bor i ett värdhem",
        "a father living in a host home",
    ),
    "stadsmissionen": (
        "Viktig mötesplats för ukrainare",
        "An important meeting place for Ukrainians",
        "Med gåvomedel och volontärer startade vi tidigt både ett boende och Mötesplats Ukraina. "
        "Mötesplatsen har under året gått från gratis lunch och samhällsvägledning till "
        "språkträning samt CV- och jobbcoachning.",
        "With donations and volunteers we opened both a home and Mötesplats Ukraina early on. "
        "Over the year the meeting place grew from free lunches and civic guidance to language "
        "training and CV and job coaching.",
        "Här fick jag prata ukrainska och lära mig svenska samma dag.",
        "en besökare på Mötesplats Ukraina",
        "a visitor at Mötesplats Ukraina",
    ),
    "bracke-diakoni": (
        "Hälsokontroller via mobilt team",
        "Health checks by a mobile team",
        "Vårt mobila hälsoteam erbjuder hälsokontroller för boende inom samverkan. Vi hittar "
        "individuella lösningar på behov som upptäcks och arbetar för integrering i samhället, "
        "bland annat tillsammans med församlingar och föreningar i närområdet.",
        "Our mobile health team offers health checks to residents across the partnership. We "
        "find individual solutions to the needs we discover and work for inclusion in society, "
        "together with local parishes and associations among others.",
        "Det var inget lätt beslut att fatta, men vi var tvungna.",
        "en mamma som bor på ett av våra boenden",
        "a mother living at one of our sites",
    ),
    "reningsborg": (
        "Praktik ger språkträning",
        "Internships give language practice",
        "Vi erbjuder praktik i våra secondhandbutiker, vilket ger språkträning och en känsla av "
        "att vara med och bidra. I utbyte ges Västtrafikkort. Med volontärer håller vi "
        "språkcafé, och inför vintern har vi samlat in kläder.",
        "We offer internships in our second-hand shops, which give language practice and a sense "
        "of taking part. In return we give transit cards. With volunteers we hold a language "
        "café, and before the winter we collected clothes.",
        "",
        "",
        "",
    ),
    "skyddsvarnet": (
        "Personer i arbete",
        "People in work",
        "Det största boendet, med 200 platser, har matservice. Vi driver Jobbstart Ukraina, där "
        "jobbcoacher arbetar med direkt matchning och följer individen hela vägen: cv, "
        "personligt brev och stöd vid intervjuer.",
        "The largest site, with 200 places, has food service. We run Jobbstart Ukraina, where job "
        "coaches work on direct matching and follow each person all the way: CV, cover letter "
        "and support at interviews.",
        "",
        "",
        "",
    ),
    "goteborgs-stad": (
        "Ansvar och samordning",
        "Responsibility and coordination",
        "Staden bär det stadsövergripande ansvaret för boende till dem som anvisas av "
        "Migrationsverket, samordnar partnerskapet och erbjuder gemensamma utbildningar: "
        "kulturkunskap om Ukraina, människohandel, exploatering på arbetsmarknaden och "
        "samhällsvägledning.",
        "The city holds the city-wide responsibility for housing those assigned by the Swedish "
        "Migration Agency, coordinates the partnership and offers joint training: Ukrainian "
        "culture, human trafficking, labour exploitation and civic orientation.",
        "",
        "",
        "",
    ),
}


def load(rng: random.Random) -> None:
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=TEXTS)}
    for slug, (head_sv, head_en, text_sv, text_en, quote_sv, by_sv, by_en) in TEXTS.items():
        if slug not in organisations:
            continue
        AnnualNarrative.objects.create(
            organisation=organisations[slug],
            year=YEAR,
            headline_sv=head_sv,
            headline_en=head_en,
            text_sv=text_sv,
            text_en=text_en,
            quote_sv=quote_sv,
            quote_by_sv=by_sv,
            quote_by_en=by_en,
        )
