"""Every interface text in every offered language: the texts are extracted from the source now (as
`make translations-update` does) and each catalogue must hold each of them, translated and not fuzzy.

Fails when someone adds a text without running `make translations-update`, or leaves an entry of a
language in LANGUAGES untranslated or fuzzy."""

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from campaign.config import Defaults

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "campaign" / "translations"
SOURCE_LANGUAGE = Defaults.BABEL_DEFAULT_LOCALE  # the texts are written in Dutch
OTHER_LANGUAGES = [code for code in Defaults.LANGUAGES if code != SOURCE_LANGUAGE]


@pytest.fixture(scope="module")
def source_texts() -> dict:
    """msgid -> one place it comes from, extracted with babel.cfg and the project's keywords."""
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    keywords = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
    texts = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=keywords
    ):
        if filename.startswith((".venv", "node_modules")):
            continue
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            texts.setdefault(msgid, f"{filename}:{lineno}")
    assert len(texts) > 300, "extraction found too few texts: babel.cfg or the keywords changed?"
    return texts


def catalogue(language: str) -> Catalog:
    path = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"no catalogue for {language}: make translations-init LOCALE={language}"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def untranslated(message) -> bool:
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return message.fuzzy or not all(strings)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_source_text_is_translated_in(language, source_texts):
    found = catalogue(language)
    missing = sorted(
        f"{msgid!r} ({where})" for msgid, where in source_texts.items() if found.get(msgid) is None
    )
    assert not missing, (
        f"{len(missing)} texts are not in the {language} catalogue (run make translations-update):\n"
        + "\n".join(missing[:40])
    )
    empty = sorted(
        f"{msgid!r} ({where})" for msgid, where in source_texts.items() if untranslated(found.get(msgid))
    )
    assert not empty, (
        f"{len(empty)} texts untranslated or fuzzy in {language} (texts added after a translator's pass "
        "stay empty until the next pass: this stays red until then):\n" + "\n".join(empty[:40])
    )


def test_every_offered_language_has_a_catalogue_and_the_source_has_none():
    for language in OTHER_LANGUAGES:
        assert (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").exists(), language
    # Dutch texts are the msgids themselves: a Dutch catalogue would only shadow them.
    assert not (TRANSLATIONS / SOURCE_LANGUAGE).exists()
