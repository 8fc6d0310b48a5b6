"""举荐与表彰: the section of a scientist's page listing their nominations and awards (issue 20 §2).

The registry (experts) sends `scientist_page_sections` and cannot import awards; this receiver is connected
in awards/apps.py. It lists the nominations the user may see (awards/access.py) and, for everyone who reads
the page, the awards the scientist won: an award is a public honour, a nomination in progress is not."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string

from awards.access import nominations_visible_to
from awards.models import Nomination, State
from experts.models import Scientist

SHOWN = 20


def scientist_awards(sender, request: HttpRequest, scientist: Scientist, **kwargs) -> str:
    mine = Nomination.objects.filter(scientist=scientist)
    visible = nominations_visible_to(request.user, mine)
    rows = (visible | mine.filter(state=State.AWARDED)).select_related("award", "team", "organization")
    rows = list(rows.order_by("-award__year", "-id")[: SHOWN + 1])
    # the awards won are listed for everyone; only the nominations the user sees link to their page
    visible_ids = set(visible.filter(pk__in=[n.pk for n in rows]).values_list("pk", flat=True))
    return render_to_string(
        "awards/_scientist_section.html",
        {
            "nominations": rows[:SHOWN],
            "more": len(rows) > SHOWN,
            "awarded": [n for n in rows if n.state == State.AWARDED],
            "scientist": scientist,
            "visible": visible_ids,
        },
        request=request,
    )
