"""The year-end review (年度考评)."""

from django.urls import path

from reports.review import views

urlpatterns = [
    path("years/<int:year>/review/", views.review, name="review"),
    path("years/<int:year>/review.json", views.review_json, name="review_json"),
]
