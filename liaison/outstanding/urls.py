"""The targets behind the year's figures: 已分配未联系, 超过联系间隔未联系."""

from django.urls import path

from liaison.outstanding import views

urlpatterns = [
    path("years/<int:year>/targets/<str:which>/", views.target_list, name="outstanding_targets"),
]
