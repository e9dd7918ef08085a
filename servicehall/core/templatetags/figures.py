"""Rates on pages: the value with its numerator and denominator on hover (`{{ rate|rate }}`), or as a
figure card's big number with the counts under it (`{% rate_figure rate "fig-x" %}`). Both accept a
`core.figures.Rate` or its `as_dict()` (a figure kept in a JSON snapshot such as a meeting's review)."""
from django import template
from django.utils.html import format_html

from servicehall.core.figures import EMPTY, Mean, Rate

register = template.Library()


def as_rate(value) -> Rate | None:
    if isinstance(value, Rate):
        return value
    if isinstance(value, dict) and {"numerator", "denominator", "scale"} <= value.keys():
        return Rate.from_dict(value)
    return None


def _span(rate: Rate, css: str, testid: str):
    return format_html(
        '<span class="{}"{} title="{}" data-numerator="{}" data-denominator="{}" data-scale="{}">{}</span>',
        css, format_html(' data-testid="{}"', testid) if testid else "", rate.title, rate.numerator, rate.denominator,
        rate.scale, rate.display,
    )


@register.filter(name="rate")
def rate_filter(value, testid=""):
    """`<span title="25 / 200">12.5%</span>`; "—" (with the counts on hover) when there is no denominator."""
    rate = as_rate(value)
    if rate is None:
        return EMPTY
    return _span(rate, "sh-rate", testid)


@register.simple_tag
def rate_figure(value, testid=""):
    """A figure card's number: the rate in large type, its counts below."""
    rate = as_rate(value)
    if rate is None:
        return EMPTY
    css = "sh-figure sh-rate" + (" text-secondary" if rate.value is None else "")
    return format_html('{}<div class="text-secondary small">{}</div>', _span(rate, css, testid), rate.title)


@register.filter
def mean(value):
    """A Mean's value with its total and count on hover."""
    if not isinstance(value, Mean):
        return EMPTY
    return format_html('<span class="sh-rate" title="{}">{}</span>', value.title, value.display)
