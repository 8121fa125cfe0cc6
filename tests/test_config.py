"""Settings: secrets have no default outside development."""

import pytest

from campaign import create_app


@pytest.mark.parametrize(
    "settings",
    [
        {"ENV_NAME": "production", "PUBLIC_URL": "http://127.0.0.1:5000"},
        {"ENV_NAME": "development", "PUBLIC_URL": "https://petities.example.org"},
    ],
)
def test_no_secret_key_outside_development_is_refused(settings, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": None, **settings})


def test_development_on_this_machine_gets_a_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    app = create_app({"SECRET_KEY": None, "ENV_NAME": "development", "PUBLIC_URL": "http://127.0.0.1:5000"})
    assert app.config["SECRET_KEY"]
