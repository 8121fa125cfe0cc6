"""The report as a print-quality PDF: the same HTML as the studio page, laid out by WeasyPrint,
with inline SVG charts (vectors) and our own font (static/fonts), embedded in the file.

WeasyPrint reads only files under static/: any other URL (a link someone typed into an outcome's
evidence is a link, never fetched) is refused, so making a PDF never reaches another server.
"""

from pathlib import Path

from flask import current_app, render_template

from campaign.reports.page import ReportPage


def _static_root() -> Path:
    return Path(current_app.static_folder).resolve()


def _only_static(root: Path):
    from urllib.parse import unquote, urlsplit

    from weasyprint.urls import URLFetcher

    class StaticOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme != "file" or not Path(unquote(parts.path)).resolve().is_relative_to(root):
                raise ValueError("the report PDF loads nothing but our own static files")
            return super().fetch(url, headers)

    return StaticOnly(allowed_protocols={"file"}, fail_on_errors=True)


def report_pdf(page: ReportPage) -> bytes:
    from weasyprint import HTML  # imported here: Pango loads only when a PDF is made

    root = _static_root()
    html = render_template("studio/reports/pdf.html", page=page, font_dir=(root / "fonts").as_uri())
    return HTML(string=html, base_url=root.as_uri() + "/", url_fetcher=_only_static(root)).write_pdf()
