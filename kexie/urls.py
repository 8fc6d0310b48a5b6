from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from kexie import views
from kexie.forms import LoginForm
from ops.health.views import healthz

admin.site.site_header = "市科协联系科技工作者工作平台 · 管理后台"
admin.site.site_title = "管理后台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # one's own password; a forgotten one by email (the reset pages need no login, Django marks them so)
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"
    ),
    path("orgs/", include("orgs.urls")),
    path("experts/", include("experts.urls")),
    path("liaison/", include("liaison.urls")),
    path("filing/", include("liaison.filing.urls")),
    path("reports/", include("reports.urls")),
    path("surveys/", include("surveys.urls")),
    path("awards/", include("awards.urls")),
    path("homes/", include("homes.urls")),
    path("admin/", admin.site.urls),
    # for load balancers and monitoring: no login, no personal data (docs/deployment.md, "Monitoring")
    path("healthz", healthz, name="healthz"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
