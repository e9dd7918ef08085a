"""Admin of recognition: the titles and competitions (data, editable); ballots, their counts and awards are
read-only here (ballots change only through their verbs, and who voted for whom is nowhere to be read)."""
from django.contrib import admin

from servicehall.core.admin import AuditedAdmin, ReadOnlyAdmin

from .models import Award, Ballot, StarCriterion, StarLevel, StudyNote, Title


@admin.register(Title)
class TitleAdmin(AuditedAdmin):
    list_display = ["name", "code", "elected", "order", "is_active"]
    list_editable = ["order", "is_active"]


@admin.register(Ballot)
class BallotAdmin(ReadOnlyAdmin):
    list_display = ["hall", "title", "month", "status", "opened_at", "closed_at", "published_at"]
    list_filter = ["status", "title"]
    exclude = ["electorate"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["month", "hall", "title", "person", "votes"]
    list_filter = ["title"]


@admin.register(StudyNote)
class StudyNoteAdmin(ReadOnlyAdmin):
    list_display = ["posted_at", "hall", "title", "removed_at"]


class StarCriterionInline(admin.TabularInline):
    model = StarCriterion
    extra = 1


@admin.register(StarLevel)
class StarLevelAdmin(AuditedAdmin):
    list_display = ["stars", "name"]
    inlines = [StarCriterionInline]
