"""The demo's 2022 annual report in the words of seed 000: its introduction, background and
common goal, each partner's headline and full text, and its one quote, with the English
edition translated for the demo. Nothing is invented that the seed does not say; the quote is
the seed's, its consent recorded on the day the demo gives it (ADR 24)."""

import datetime as dt
import random

from tillsammans.partnership.models import Agreement, Organisation

from .models import AnnualNarrative, AnnualReport, Quote

YEAR = 2022

TAGLINE = ("Vi gör det bäst tillsammans", "We do it best together")

INTRO_SV = """Vid kris sluter civilsamhället upp. Så även när Ukraina drabbades. Inom 48 timmar hade ett första möte tagit plats där fem idéburna aktörer i Göteborg samlats för att se vad man kunde bistå med. Det resulterade i ett IOP- ideburet offentligt partnerskap med Göteborgs stad som möjliggjort 1 000 boendeplatser för människor som flytt krigets Ukraina och mottagande av 682 personer.

Men det handlar inte bara om boende. Våra mervärden som idéburna organisationer har bidragit till en helhetslösning som underlättar integrationen med mötesplatser, hjälp till arbete, skola, myndighetskontakter och vård.

I partnerskapet ingår Skyddsvärnet Göteborg, Göteborgs Stadsmission, Räddningsmissionen, Reningsborg, Bräcke diakoni och Göteborgs stad."""  # noqa: E501 -- the seed's words, as written

INTRO_EN = """When crisis strikes, civil society steps up. So too when Ukraine was hit. Within 48 hours a first meeting had taken place, where five non-profit organisations in Gothenburg gathered to see what they could contribute. It resulted in an IOP, a non-profit public partnership with the City of Gothenburg, which has made 1,000 places available for people who fled the war in Ukraine and received 682 people.

But it is not only about housing. Our added values as non-profit organisations have contributed to a complete solution that makes integration easier, with meeting places and help towards work, school, contacts with authorities and health care.

The partnership is made up of Skyddsvärnet Göteborg, Göteborgs Stadsmission, Räddningsmissionen, Reningsborg, Bräcke diakoni and the City of Gothenburg."""  # noqa: E501

BACKGROUND_SV = """Göteborgs Stad fick i mitten av mars 2022 i uppdrag av Migrationsverket att starta tillfälliga övernattningsboenden som en första anhalt för flyktingar som kommer till Sverige på grund av kriget i Ukraina. En samverkan mellan idéburna organisationer och Göteborgs Stad upprättades och ledde till partnerskap. Under våren 2022 har en samverkansgrupp med Göteborgs Stad och fem ovan nämnda idéburna organisationerna etablerats.

Dessa idéburna organisationer har lång erfarenhet av att driva professionella boendeverksamheter och ge stöd och råd för människor som flytt. Under flyktingkrisen 2015–2016 formerade man sig i ett IOP som då var riktat till ensamkommande ungdomar. Organisationerna erbjuder dessutom en lång rad av mervärden utifrån sina unika särarter."""  # noqa: E501

BACKGROUND_EN = """In mid-March 2022 the Swedish Migration Agency asked the City of Gothenburg to open temporary overnight accommodation as a first stop for refugees coming to Sweden because of the war in Ukraine. Cooperation between non-profit organisations and the City was set up and led to a partnership. During the spring of 2022 a cooperation group of the City and the five non-profit organisations named above was established.

These organisations have long experience of running professional housing and of giving support and advice to people who have fled. During the refugee crisis of 2015–2016 they formed an IOP aimed at unaccompanied young people. The organisations also offer a wide range of added values, each from its own character."""  # noqa: E501

COMMON_GOAL_SV = (
    "Partnernas gemensamma mål är att organisationernas mervärden ska bidra till ett bra "
    "mottagande, goda boendemiljöer och en bra integration för flyktingar som omfattas av "
    "massflyktsdirektivet."
)
COMMON_GOAL_EN = (
    "The partners' common goal is that the organisations' added values contribute to a good "
    "reception, good living environments and good integration for refugees covered by the "
    "Temporary Protection Directive."
)
COLLABORATORS_SV = (
    "Göteborgs Stad har startat samarbete med Svenska kyrkan, som håller i svenskundervisning "
    "i syfte att underlätta integration. Bräcke diakoni samverkar och samarbetar i närområdet "
    "med bl.a. Fryshuset och lokala församlingar. Räddningsmissionen har nära samverkan med "
    "andra organisationer som kan hjälpa de boende vidare."
)
COLLABORATORS_EN = (
    "The City of Gothenburg has begun working with the Church of Sweden, which teaches "
    "Swedish to make integration easier. Bräcke diakoni works with Fryshuset and local "
    "parishes in its neighbourhood, among others. Räddningsmissionen works closely with other "
    "organisations that can help residents onwards."
)
FUNDING_SV = (
    "Gåvomedel från privatpersoner och näringsliv samt volontärinsatser (Göteborgs "
    "Stadsmission). Mötesplats Ukraina är del i ett ESF-projekt för att komma närmare "
    "arbetsmarknaden. Skyddsvärnet är partner i ett ESF Care-projekt. Jobbstart Ukraina "
    "finansieras från 2023 med Skyddsvärnets egna medel."
)
FUNDING_EN = (
    "Donations from individuals and businesses, and volunteer work (Göteborgs Stadsmission). "
    "Mötesplats Ukraina is part of an ESF project to bring people closer to the labour "
    "market. Skyddsvärnet is a partner in an ESF Care project. From 2023 Jobbstart Ukraina is "
    "funded by Skyddsvärnet's own means."
)

# slug: (headline sv, headline en, text sv, text en), each partner's section as the seed has it
SECTIONS = {
    "raddningsmissionen": (
        "Det finns ett behov av mat",
        "There is a need for food",
        "Driver Hjärterum som är eget boende via andrahandsuthyrning hos privatpersoner. "
        "Boendeformen ger en ökad möjlighet till integration och relationer. Driver också "
        "Maträttsbutiker, social supermarkets, där personer med låg inkomst kan handla för "
        "subventionerat pris. Dit har bl.a. Hjärterumsboende kunnat gå för att handla mat. Har "
        "också kunnat ge ut matkuponger dit när pengarna inte har räckt för mat. Driver vidare "
        "ett projekt mot exploatering på arbetsmarknaden, där det erbjuds föreläsningar, samtal "
        "och stöd både till målgrupp och personal. Har nära samverkan med andra organisationer "
        "som kan hjälpa våra boende vidare.",
        "Runs Hjärterum, homes of one's own through subletting in private households. This way "
        "of living gives more room for integration and relationships. Also runs Maträttsbutiker, "
        "social supermarkets where people on a low income can shop at subsidised prices. "
        "Residents of Hjärterum among others have been able to shop for food there, and food "
        "coupons for them have been handed out when money has not been enough for food. "
        "Further runs a project against exploitation in the labour market, offering lectures, "
        "conversations and support to the target group and to staff alike. Works closely with "
        "other organisations that can help our residents onwards.",
    ),
    "stadsmissionen": (
        "Viktig mötesplats för ukrainare",
        "An important meeting place for Ukrainians",
        "Med hjälp av gåvomedel från privatpersoner och näringsliv, samt volontärsatser kunde "
        "tidigt både ett eget boende och en mötesplats för ukrainska flyktingar startas. Försöker "
        "tillgodose behov av matkassar, hygienartiklar, kläder, med mera, med hjälp av sin "
        "insamlingsverksamhet och matcentral. Mötesplats Ukraina, som är öppen för alla "
        "ukrainska flyktingar, har under året utvecklats från att erbjuda gratis lunch och verka "
        "samhällsvägledande till att också innehålla språkträning, samt CV- och jobbcoachning. "
        "Mötesplatsen är också del i ett ESF-projekt för att komma närmare arbetsmarknaden och "
        "dessa insatser kommer utökas ytterligare under 2023.",
        "With donations from individuals and businesses, and volunteer work, both a home of its "
        "own and a meeting place for Ukrainian refugees could be opened early on. Tries to meet "
        "the need for food bags, hygiene articles, clothes and more through its collections and "
        "food centre. Mötesplats Ukraina, open to all Ukrainian refugees, grew over the year "
        "from offering free lunches and civic guidance to also offering language training and "
        "CV and job coaching. The meeting place is also part of an ESF project to come closer "
        "to the labour market, and this work will grow further in 2023.",
    ),
    "bracke-diakoni": (
        "Hälsokontroller via mobilt team",
        "Health checks by a mobile team",
        "Erbjuder via sitt mobila hälsoteam hälsokontroller för boende inom samverkan. På "
        "boendena är det självhushållning och många frågor om assistans med mat. Har hittills "
        "löst behovet av mat genom lokal samverkan, samverkan med kyrkan, använt gåvomedel, "
        "samlat in överbliven mat från storkök, samt spridit information om var och hur de "
        "boende kan få tag i gratis eller billigare mat. Samverkar och samarbetar i närområdet "
        "med bl.a. Fryshuset, lokala församlingar (t.ex. matkassar), erbjudit deltagande på "
        "kulturevenemang, samt har via Integrationscentrum erbjudit olika friskvårdsaktiviteter "
        "som badhus och en semesterresa för de som önskade det. Hittar individuella lösningar "
        "på behov som upptäcks och arbetar för integrering i samhället på olika sätt.",
        "Offers health checks through its mobile health team to residents across the "
        "partnership. Residents cook for themselves, and many ask for help with food. So far "
        "the need for food has been met through local cooperation and cooperation with the "
        "church, with donations, by collecting leftover food from large kitchens, and by "
        "spreading word of where and how residents can get free or cheaper food. Works with "
        "Fryshuset and local parishes (food bags, for example) in its neighbourhood, has offered "
        "cultural events, and through Integrationscentrum various wellness activities such as "
        "swimming baths and a holiday trip for those who wished. Finds individual solutions to "
        "the needs it discovers and works for inclusion in society in many ways.",
    ),
    "reningsborg": (
        "Praktik ger språkträning",
        "Internships give language practice",
        "Erbjuder praktik för boende, att göra volontärsats på egendrivna secondhandbutiker. "
        "Detta ger flera positiva effekter, så som språkträning och en känsla av att få vara med "
        "och bidra. I utbyte ges Västtrafikkort som löser problematik med mobilitet. Erbjuder "
        "med hjälp av volontärsats svenskundervisning/språkcafé i mindre skala. Har inför "
        "vintern haft klädinsamlingar. Får bröd skänkt och ser till att tillhandahålla hygien- "
        "och städprodukter till boende.",
        "Offers residents internships as volunteers in its own second-hand shops. This has "
        "several good effects, such as language practice and a sense of taking part and "
        "contributing. In return they get a Västtrafik card, which solves problems of getting "
        "around. With volunteers, offers Swedish lessons and a language café on a small scale. "
        "Collected clothes before the winter. Is given bread and makes sure residents have "
        "hygiene and cleaning products.",
    ),
    "skyddsvarnet": (
        "40 personer i arbete",
        "40 people in work",
        "Det största boendet med 200 platser har matservice. Har vid behov ordnat "
        "klädinsamling, samt då tillfälle ges bistått boenden utan matservice med mat genom "
        "samverkan med närliggande församlingar, organisationer och företag. Bidrar med städ- "
        "samt hygienartiklar till de boende. Driver Jobbstart Ukraina. Projektet går ut på att "
        "fokuserat arbeta med direkt matchning med stor närvaro från jobbcoach från "
        "Skyddsvärnet. De följer individen hela vägen, ser till att det finns rätt underlag, "
        "cv, personligt brev, bistår vid intervjuer osv. Har ca 150 personer inskrivna och har "
        "under 2022 resulterat i att över 40 personer fått arbete. Finansieras från 2023 med "
        "Skyddsvärnets egna medel. Är partners i ett ESF Care-projekt tillsammans med andra "
        "aktörer (it-projekt).",
        "The largest site, with 200 places, has food service. Has collected clothes when "
        "needed and, when possible, helped sites without food service with food through "
        "cooperation with nearby parishes, organisations and companies. Provides residents with "
        "cleaning and hygiene articles. Runs Jobbstart Ukraina, a project of focused direct "
        "matching with a strong presence of Skyddsvärnet's job coaches. They follow each person "
        "all the way, make sure the right papers are there (CV, cover letter) and help at "
        "interviews. About 150 people are enrolled, and in 2022 over 40 of them got work. From "
        "2023 it is funded by Skyddsvärnet's own means. Partner in an ESF Care project with "
        "others (an IT project).",
    ),
    "goteborgs-stad": (
        "Ansvar och samordning",
        "Responsibility and coordination",
        "Bär det stadsövergripande ansvaret att ordna bostäder för anvisningar från "
        "Migrationsverket. Verkar som koordinator och samordnande i kontakt och samarbete med "
        "involverade idéburna organisationer. Erbjuder och medverkar till gemensamma "
        "utbildningsinsatser, hittills har dessa teman varit, kulturkunskap om Ukraina, "
        "trafficking, arbetsplatsexploatering och samhällsvägledning via Integrationscentrum. "
        "Göteborgs stad samordnar och driver även boenden i egen regi på flera platser i "
        "staden. Stadens boende är självhushåll i varierande storlek. Har startat samarbete med "
        "svenska kyrkan. Svenska kyrkan håller i svenska undervisning i syfte att underlätta "
        "integration. Göteborgs Stad, socialförvaltning sydväst.",
        "Holds the city-wide responsibility for housing the people the Swedish Migration Agency "
        "assigns. Acts as coordinator in contacts and cooperation with the non-profit "
        "organisations involved. Offers and takes part in joint training; so far its themes "
        "have been Ukrainian culture, trafficking, exploitation at work, and civic orientation "
        "through Integrationscentrum. The City also coordinates and runs sites of its own in "
        "several places in the city, all self-catering and of varying size. Has begun working "
        "with the Church of Sweden, which teaches Swedish to make integration easier. City of "
        "Gothenburg, social services south-west.",
    ),
}

# The seed's one quote, in the section of the organisation where the person lives.
QUOTE = (
    "bracke-diakoni",
    "Det var inget lätt beslut att fatta, men vi var tvungna. Varje gång sirenerna ljud så "
    "skakade min dotters händer",
    "It was not an easy decision to make, but we had to. Every time the sirens sounded, my "
    "daughter's hands shook",
    "Victoria, som bor på Bräcke diakonis boende",
    "Victoria, who lives at Bräcke diakoni's site",
)
QUOTE_CONSENT_ON = dt.date(2023, 1, 16)


def load(rng: random.Random) -> None:
    agreement = Agreement.objects.filter(starts_on__year=YEAR).order_by("starts_on").first()
    if agreement is None:
        return
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=SECTIONS)}
    AnnualReport.objects.create(
        agreement=agreement, year=YEAR, tagline_sv=TAGLINE[0], tagline_en=TAGLINE[1],
        intro_sv=INTRO_SV, intro_en=INTRO_EN, background_sv=BACKGROUND_SV,
        background_en=BACKGROUND_EN, common_goal_sv=COMMON_GOAL_SV,
        common_goal_en=COMMON_GOAL_EN, collaborators_sv=COLLABORATORS_SV,
        collaborators_en=COLLABORATORS_EN, funding_sv=FUNDING_SV, funding_en=FUNDING_EN,
    )  # fmt: skip
    for slug, (head_sv, head_en, text_sv, text_en) in SECTIONS.items():
        if slug not in organisations:
            continue
        AnnualNarrative.objects.create(
            agreement=agreement, organisation=organisations[slug], year=YEAR,
            headline_sv=head_sv, headline_en=head_en, text_sv=text_sv, text_en=text_en,
        )  # fmt: skip
    slug, text_sv, text_en, by_sv, by_en = QUOTE
    if slug in organisations:
        Quote.objects.create(
            agreement=agreement, year=YEAR, organisation=organisations[slug], text_sv=text_sv,
            text_en=text_en, said_by_sv=by_sv, said_by_en=by_en, consent_on=QUOTE_CONSENT_ON,
        )  # fmt: skip
