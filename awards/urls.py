"""举荐 (issue 20 §2): awards and their nominations."""

from django.urls import path

from awards import views

app_name = "awards"

urlpatterns = [
    path("", views.award_list, name="award_list"),
    path("new/", views.award_create, name="award_create"),
    path("<int:pk>/", views.award_detail, name="award_detail"),
    path("<int:pk>/edit/", views.award_edit, name="award_edit"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("<int:pk>/export.xlsx", views.award_export, name="award_export"),
    path("scientist-suggest/", views.scientist_suggest, name="scientist_suggest"),
    path("nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/move/", views.nomination_move, name="nomination_move"),
    path("nominations/<int:pk>/attach/", views.nomination_attach, name="nomination_attach"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
]
