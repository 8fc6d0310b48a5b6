from __future__ import annotations

from django.urls import path

from surveys import public, views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="list"),
    path("todo/", views.todo, name="todo"),
    path("new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/open/", views.survey_open, name="open"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/questions/new/", views.question_edit, name="question_add"),
    path("<int:pk>/questions/<int:question_pk>/edit/", views.question_edit, name="question_edit"),
    path("<int:pk>/questions/<int:question_pk>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/send/", views.survey_send, name="send"),
    path("<int:pk>/invitations/", views.invitation_list, name="invitations"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("<int:pk>/results/<int:question_pk>/", views.text_answers, name="text_answers"),
    path("<int:pk>/export/", views.survey_export, name="export"),
    path("invitations/<int:pk>/link/", views.invitation_link, name="invitation_link"),
    path("invitations/<int:pk>/fill/", views.fill, name="fill"),
    # no login: the scientist's one-time link (surveys/public.py)
    path("a/<str:token>/", public.answer_by_link, name="answer_by_link"),
]
