"""Reading petitions and themes for the pages that list them (the public and the studio)."""

from sqlalchemy.orm import selectinload

from campaign.extensions import db
from campaign.models import Petition, PetitionStatus, Target, Theme
from campaign.petitions.lookup import PUBLIC


def themes() -> list[Theme]:
    return db.session.execute(db.select(Theme).order_by(Theme.position)).scalars().all()


def theme_by_slug(slug: str) -> Theme | None:
    return db.session.execute(db.select(Theme).where(Theme.slug == slug)).scalar_one_or_none()


def open_petitions() -> list[Petition]:
    """Open petitions, newest first (the home page)."""
    return (
        db.session.execute(
            db.select(Petition)
            .where(Petition.status == PetitionStatus.OPEN)
            # titles in the reader's language, and the cards' pictures
            .options(selectinload(Petition.translations), selectinload(Petition.hero_image))
            .order_by(Petition.created_at.desc())
        )
        .scalars()
        .all()
    )


def public_petitions(theme_id: int | None = None) -> list[Petition]:
    """Open and closed petitions (of one theme), the open ones first, newest first."""
    query = (
        db.select(Petition)
        .where(Petition.status.in_(PUBLIC))
        .options(selectinload(Petition.translations), selectinload(Petition.hero_image))
    )
    if theme_id is not None:
        query = query.where(Petition.theme_id == theme_id)
    order = (Petition.status.desc(), Petition.created_at.desc())
    return db.session.execute(query.order_by(*order)).scalars().all()


def another_open_petition(petition: Petition) -> Petition | None:
    """The next step after signing: another open petition, of the same theme when there is one."""
    return db.session.execute(
        db.select(Petition)
        .where(Petition.status == PetitionStatus.OPEN, Petition.id != petition.id)
        .order_by((Petition.theme_id == petition.theme_id).desc(), Petition.created_at.desc())
        .limit(1)
    ).scalar()


def first_publication():
    """When the first petition was published (None before that): where the reports begin."""
    return db.session.execute(db.select(db.func.min(Petition.published_at))).scalar()


def all_petitions() -> list[Petition]:
    """Every petition, drafts and archived ones included, newest first (the studio)."""
    return db.session.execute(db.select(Petition).order_by(Petition.created_at.desc())).scalars().all()


def petition_titles() -> list[tuple[int, str]]:
    return db.session.execute(db.select(Petition.id, Petition.title).order_by(Petition.title)).all()


def target_choices() -> list[tuple[int, str]]:
    targets = db.session.execute(db.select(Target).order_by(Target.name)).scalars()
    return [(target.id, target.display) for target in targets]
