"""What the catalogue app adds to the shell: navigation, a home panel, and its data at demo time."""
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from servicehall.core import registry

from .selectors import active_categories
from .services import load_catalogue

registry.nav("catalogue", _("业务目录"), "catalogue:catalogue", action="catalogue.browse", order=80, icon="book", group="basics")


@registry.panel("catalogue", action="catalogue.tell_customers", order=70)
def catalogue_panel(request):
    return render_to_string("catalogue/_panel.html", {"categories": active_categories()}, request=request)


@registry.demo_seeder("catalogue")
def seed(ctx):
    ctx.log("catalogue", load_catalogue())
