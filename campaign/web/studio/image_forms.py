"""The studio's form for a petition's hero image (forms.py holds the others; it is at its size limit)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange


class HeroImageForm(FlaskForm):
    """A petition's hero image (campaign.media.heroes): a file, what it shows, where its focus is."""

    image = FileField(_l("Afbeelding"))
    alt = StringField(
        _l("Wat is er te zien? (alt-tekst)"),
        validators=[
            DataRequired(_l("Beschrijf wat er op de afbeelding te zien is (voor wie haar niet kan zien).")),
            Length(max=300),
        ],
    )
    focus_x = IntegerField(
        _l("Brandpunt van links naar rechts (0–100)"),
        default=50,
        validators=[InputRequired(_l("Vul een getal van 0 tot en met 100 in.")), NumberRange(0, 100)],
    )
    focus_y = IntegerField(
        _l("Brandpunt van boven naar onder (0–100)"),
        default=50,
        validators=[InputRequired(_l("Vul een getal van 0 tot en met 100 in.")), NumberRange(0, 100)],
    )
