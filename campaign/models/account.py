from datetime import datetime
from enum import StrEnum

from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column

from campaign.extensions import db
from campaign.models.base import utcnow


class Role(StrEnum):
    ADMIN = "admin"  # manages accounts and everything else
    CAMPAIGNER = "campaigner"  # creates and runs petitions, targets, exports
    VIEWER = "viewer"  # reads dashboards and lists; changes nothing; no personal data exports


# Each role includes the ones after it.
RANK = {Role.ADMIN: 3, Role.CAMPAIGNER: 2, Role.VIEWER: 1}


class Account(UserMixin, db.Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(db.String(320), unique=True)  # normalised
    name: Mapped[str] = mapped_column(db.String(200), default="")
    password_hash: Mapped[str] = mapped_column(db.String(255))
    role: Mapped[str] = mapped_column(db.String(16), default=Role.VIEWER)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Changing the password bumps this, which ends every other session (see get_id).
    session_version: Mapped[int] = mapped_column(default=1)
    # Why the invitation mail could not be delivered (workers.accounts); cleared when one goes out.
    invite_error: Mapped[str | None] = mapped_column(db.String(500))

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, role: str) -> bool:
        return RANK.get(Role(self.role), 0) >= RANK[Role(role)]
