"""Query strings with control characters are refused before any view reads them (common/limits.py).

Views and filters read `request.GET` directly (a search box, a picker's typed text, a page number) and pass it
to querysets; on PostgreSQL a NUL there is a 500 ("A string literal cannot contain NUL"). One check here
covers every such path: the page answers 400 with a Chinese message and a link back to the page without its
query; an htmx request (a picker's suggestions, the target search) gets the message in place of the results,
with 200 so that htmx shows it. Form posts are checked field by field by the forms (PlainFormMixin), which
re-render with the user's input and the error.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html

from common.limits import CONTROL_MESSAGE, has_control_characters


def _query_has_control_characters(request: HttpRequest) -> bool:
    for key, values in request.GET.lists():
        if has_control_characters(key, multiline=True):
            return True
        if any(has_control_characters(value, multiline=True) for value in values):
            return True
    return False


class ControlCharactersMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _query_has_control_characters(request):
            if request.headers.get("HX-Request") == "true":
                return HttpResponse(
                    format_html(
                        '<div class="small text-danger py-1" role="alert">{}。</div>', CONTROL_MESSAGE
                    )
                )
            return render(
                request,
                "bad_input.html",
                {"message": CONTROL_MESSAGE, "back": "/" if request.path.startswith("//") else request.path},
                status=400,
            )
        return self.get_response(request)
