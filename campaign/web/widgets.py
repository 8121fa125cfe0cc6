"""Form widgets that stay cheap on the busiest page."""

from collections import OrderedDict
from threading import Lock

from markupsafe import Markup
from wtforms.widgets import Select


class CachedSelect(Select):
    """A <select> whose <option> list is rendered once per (choices, selected value) and reused.

    The country list has some 250 options, and WTForms would build each one through html_params and
    escaping on every render of the sign form, for the same output. The <select> tag itself (id, aria attributes, errors) is still rendered per call.
    """

    def __init__(self, multiple=False, size: int = 64):
        super().__init__(multiple=multiple)
        self._options: OrderedDict = OrderedDict()
        self._size = size
        self._lock = Lock()

    def __call__(self, field, **kwargs):
        try:
            key = (tuple(field.choices), field.data)
            hash(key)
        except TypeError:  # unhashable choices or data: render as WTForms does
            return super().__call__(field, **kwargs)
        with self._lock:
            options = self._options.get(key)
            if options is not None:
                self._options.move_to_end(key)
        if options is None:
            whole = str(super().__call__(field))
            options = whole[whole.index(">") + 1 : -len("</select>")]
            with self._lock:
                self._options[key] = options
                while len(self._options) > self._size:
                    self._options.popitem(last=False)
        opening = str(super().__call__(_Bare(field), **kwargs))
        # Both parts were rendered (and escaped) by WTForms' own Select widget above.
        return Markup(opening[: -len("</select>")] + options + "</select>")  # noqa: S704


class _Bare:
    """The field with no choices: renders just the <select ...> tag and its attributes."""

    def __init__(self, field):
        self._field = field

    def __getattr__(self, name):
        return getattr(self._field, name)

    def has_groups(self):
        return False

    def _iter_choices_normalized(self):
        return iter(())
