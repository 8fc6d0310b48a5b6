"""Small template helpers of the review pages."""

from __future__ import annotations

from django import template

from common.actors import actor_name

register = template.Library()


@register.filter
def actor(user) -> str:
    """Who did something, by staff name (select the user with its staff), else the username, else 系统."""
    return actor_name(user)
