from django.urls import path

from liaison.privacy import views

urlpatterns = [
    path("privacy/log/", views.log_list, name="personal_data_log"),
    path("privacy/log.xlsx", views.log_export, name="personal_data_log_export"),
]
