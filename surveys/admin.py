from django.contrib import admin

from surveys.models import Answer, Invitation, Question, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "text", "required", "choices", "scale_min", "scale_max"]


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "state", "created_at"]
    list_filter = ["state"]
    search_fields = ["title", "intro"]
    raw_id_fields = ["created_by"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "order", "kind", "required"]
    list_filter = ["kind", "required"]
    search_fields = ["text", "survey__title"]
    list_select_related = ["survey"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["scientist", "survey", "team", "state", "channel", "submitted_at"]
    list_filter = ["state", "channel"]
    search_fields = ["scientist__name", "scientist__name_pinyin", "survey__title", "team__name"]
    list_select_related = ["scientist", "survey", "team"]
    raw_id_fields = ["survey", "scientist", "team", "record", "submitted_by", "created_by"]
    readonly_fields = ["token_made_at"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["invitation", "question", "choices", "number", "text"]
    list_filter = ["question__kind"]
    search_fields = ["question__text", "invitation__scientist__name", "text"]
    list_select_related = ["invitation__scientist", "invitation__survey", "question"]
    raw_id_fields = ["invitation", "question"]
