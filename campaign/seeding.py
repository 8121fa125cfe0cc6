"""Seed data: the five priority themes and a few demo petitions. Both are idempotent."""

from datetime import timedelta

from campaign.demo_translations import seed_demo_translations
from campaign.extensions import db
from campaign.models import DeliverySettings, Petition, PetitionStatus, Target, Theme
from campaign.models.base import utcnow
from campaign.petitions.markup import render_markdown

THEMES = [
    (
        "rechtsstaat",
        "Rechtsstatelijkheid en krimpende maatschappelijke ruimte",
        "Rule of law and shrinking civic space",
        "Mensenrechtenverdedigers steunen en de ruimte verdedigen om vrij te spreken, te demonstreren en je te "
        "organiseren, in Nederland, Europa en daarbuiten.",
        "Supporting human rights defenders and defending the space to speak, protest and organise freely, in the "
        "Netherlands, Europe and beyond.",
    ),
    (
        "technologie",
        "Technologie en mensenrechten",
        "Technology and human rights",
        "Paal en perk aan de mensenrechtenrisico's van big data, algoritmes en surveillance door de overheid: "
        "effectief toezicht, transparantie en een mensenrechtentoets.",
        "Limiting the human rights risks of big data, algorithms and government surveillance: effective oversight, "
        "transparency and human rights impact assessments.",
    ),
    (
        "discriminatie",
        "Discriminatie",
        "Discrimination",
        "Bestrijding van genderdiscriminatie, gendergerelateerd geweld en racisme, vooral waar de overheid, politie "
        "en justitie tekortschieten.",
        "Fighting gender discrimination, gender-based violence and racism, above all where the government, police "
        "and justice system fall short.",
    ),
    (
        "vluchtelingen-en-migratie",
        "Vluchtelingen en migratie",
        "Refugees and migration",
        "Een eerlijk en effectief asielsysteem dat bescherming en een menswaardig bestaan biedt, en geen uitzetting "
        "naar onveilige landen.",
        "A fair and effective asylum system that offers protection and a dignified life, and no deportations to "
        "unsafe countries.",
    ),
    (
        "bedrijven",
        "Bedrijven en mensenrechten",
        "Business and human rights",
        "Bedrijven aanspreekbaar maken op mensenrechtenschendingen, met bindende wetgeving voor gepaste zorgvuldigheid.",
        "Holding companies to account for human rights abuses, with binding due diligence legislation.",
    ),
]

DEMO_TARGETS = [
    (
        "Demo Minister van Justitie",
        "Minister",
        "Ministerie van Justitie en Veiligheid",
        "minister.justitie@example.org",
        "nl",
    ),
    (
        "Demo Kamercommissie Digitale Zaken",
        "Vaste commissie",
        "Tweede Kamer",
        "commissie.digitaal@example.org",
        "nl",
    ),
]

DEMO_PETITIONS = [
    (
        "stop-gezichtsherkenning",
        "technologie",
        "Stop massasurveillance met gezichtsherkenning",
        "Verbied het gebruik van gezichtsherkenning door de overheid in de openbare ruimte.",
        "Camera's met gezichtsherkenning maken van iedereen op straat een verdachte.\n\n"
        "Wij vragen de minister en de Tweede Kamer:\n\n"
        "- een **verbod** op gezichtsherkenning in de openbare ruimte;\n"
        "- onafhankelijk toezicht op algoritmes bij de overheid.",
        10000,
        True,
    ),
    (
        "eerlijke-asielprocedure",
        "vluchtelingen-en-migratie",
        "Een eerlijke asielprocedure voor iedereen",
        "Geen uitzettingen naar onveilige landen en een menswaardige opvang.",
        "Mensen die vluchten voor oorlog en vervolging verdienen bescherming.\n\n"
        "Wij vragen de regering om niemand uit te zetten naar een land waar vervolging dreigt.",
        25000,
        False,
    ),
    (
        "stop-etnisch-profileren",
        "discriminatie",
        "Stop etnisch profileren",
        "Politie en overheid moeten stoppen met selecteren op huidskleur of afkomst.",
        "Etnisch profileren is discriminatie. Het schaadt het vertrouwen in de politie en treft vooral "
        "mensen van kleur.\n\nWij vragen om een duidelijk verbod en onafhankelijk toezicht.",
        5000,
        False,
    ),
]


def seed_themes() -> int:
    """Create or update the five themes. Returns how many were created."""
    existing = {theme.slug: theme for theme in db.session.execute(db.select(Theme)).scalars()}
    created = 0
    for position, (slug, name_nl, name_en, description_nl, description_en) in enumerate(THEMES):
        theme = existing.get(slug)
        if theme is None:
            theme = Theme(slug=slug)
            db.session.add(theme)
            created += 1
        theme.name_nl, theme.name_en = name_nl, name_en
        theme.description_nl, theme.description_en = description_nl, description_en
        theme.position = position
    db.session.flush()
    return created


def seed_demo() -> int:
    """Demo targets and open petitions; the first delivers a letter per supporter to both targets."""
    seed_themes()
    themes = {theme.slug: theme for theme in db.session.execute(db.select(Theme)).scalars()}
    targets = []
    for name, title, organisation, email, language in DEMO_TARGETS:
        target = db.session.execute(db.select(Target).where(Target.email == email)).scalar_one_or_none()
        if target is None:
            target = Target(name=name, title=title, organisation=organisation, email=email, language=language)
            db.session.add(target)
        targets.append(target)
    created = 0
    now = utcnow()
    for slug, theme_slug, title, summary, body, goal, letters in DEMO_PETITIONS:
        if db.session.execute(db.select(Petition.id).where(Petition.slug == slug)).scalar() is not None:
            continue
        petition = Petition(
            slug=slug,
            theme=themes[theme_slug],
            title=title,
            summary=summary,
            body=body,
            body_html=render_markdown(body),
            goal=goal,
            status=PetitionStatus.OPEN,
            opens_at=now - timedelta(days=1),
            closes_at=now + timedelta(days=90),
        )
        petition.targets = list(targets)
        _demo_delivery_settings(petition, letters)
        db.session.add(petition)
        created += 1
    db.session.flush()
    seed_demo_translations(now)
    _demo_images(now)
    return created


def _demo_images(now) -> None:
    """Each demo petition without one gets a picture drawn for its theme (campaign.media.drawing)."""
    from campaign.media.drawing import ALT_TEXTS, draw_theme_picture
    from campaign.media.heroes import set_hero

    slugs = [slug for slug, *_rest in DEMO_PETITIONS]
    for petition in db.session.execute(db.select(Petition).where(Petition.slug.in_(slugs))).scalars():
        if petition.hero_image is None:
            slug = petition.theme.slug
            set_hero(petition, draw_theme_picture(slug), ALT_TEXTS[slug], (50, 50), now)


def _demo_delivery_settings(petition: Petition, letters: bool) -> None:
    """The letter petition sends a letter per supporter to both demo targets (campaign.delivery)."""
    if letters:
        db.session.add(DeliverySettings(petition=petition, letters=True))
