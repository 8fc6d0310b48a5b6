"""A duty report as an A4 PDF, made with WeasyPrint from templates/reports/pdf/duty.html.

The print template carries its own stylesheet (a <style> block: it is never served as an HTML page, so the
site's Content-Security-Policy does not apply). Chinese text needs Debian's fonts-noto-cjk; the font is set
on the body and inside @page, since the page-margin boxes (header, page numbers) do not inherit from the
body. With libharfbuzz-subset0 installed, WeasyPrint embeds only the glyphs used: a page takes a fraction
of a second instead of many seconds (docs/design.md, Stack).
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from reports.duty.services import MONTHS, DutyReport

TEMPLATE = "reports/duty/pdf/duty.html"


def duty_pdf_html(report: DutyReport) -> str:
    return render_to_string(TEMPLATE, {"report": report, "months": MONTHS, "printed": timezone.localdate()})


def duty_pdf_bytes(report: DutyReport) -> bytes:
    # Imported here: WeasyPrint loads Pango and friends when imported, which only PDF requests need.
    from weasyprint import HTML

    return HTML(string=duty_pdf_html(report), base_url=str(settings.BASE_DIR)).write_pdf()


def duty_pdf_filename(report: DutyReport) -> str:
    return f"{report.staff.name}_{report.year.year}年度述职报告.pdf"
