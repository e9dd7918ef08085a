"""Pages of the standards library (R-I5), mounted at /standards/: search on a phone, read a standard and its
earlier versions; administrators enter standards and publish new versions. Views parse, call, render."""
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from servicehall.core import policy
from servicehall.core.errors import DomainError

from . import selectors, services
from .forms import RevisionForm, SearchForm, StandardForm
from .models import Category

PAGE_SIZE = 20


@policy.page("standards.read")
def library(request):
    form = SearchForm(request.GET)
    filters = form.filters()
    page = Paginator(selectors.search(q=filters.get("q", ""), category=filters.get("category", "")), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "standards/library.html", {
        "form": form, "page": page, "q": filters.get("q", ""), "category": filters.get("category", ""),
        "categories": Category.choices, "can_write": policy.may(request.user, "standards.write"),
    })


@policy.page("standards.read")
def detail(request, standard_id):
    standard = selectors.standard_or_404(request.user, standard_id)
    shown = standard.current
    if request.GET.get("v"):
        shown = selectors.version_or_404(standard, request.GET["v"] if request.GET["v"].isdigit() else 0)
    return render(request, "standards/detail.html", {
        "standard": standard, "shown": shown, "versions": selectors.versions_of(standard),
        "can_write": policy.may(request.user, "standards.write"),
    })


def _save(request, form, template, context, write):
    if request.method == "POST" and form.is_valid():
        try:
            standard = write(form.cleaned_data)
            return HttpResponseRedirect(reverse("standards:detail", args=[standard.pk]))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
    return render(request, template, {"form": form, **context}, status=400 if request.method == "POST" else 200)


@policy.page("standards.write")
def new(request):
    form = StandardForm(request.POST if request.method == "POST" else None)
    return _save(request, form, "standards/edit.html", {"standard": None},
                 lambda data: services.create_standard(by=request.user, **{k: data[k] for k in ("code", "category", "title", "body", "source")}))


@policy.page("standards.write")
def revise(request, standard_id):
    standard = selectors.standard_or_404(request.user, standard_id)
    current = standard.current
    form = RevisionForm(request.POST if request.method == "POST" else None,
                        initial={"title": current.title, "body": current.body, "source": current.source})
    return _save(request, form, "standards/edit.html", {"standard": standard},
                 lambda data: services.revise_standard(standard=standard, by=request.user, **data).standard)
