from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from . import views

api_v1 = [
    path("", include("stakeholders.api_urls")),
    path("", include("projects.api_urls")),
    path("", include("projects.api_urls_matching")),
    path("", include("projects.api_urls_conversation")),
    path("", include("projects.api_urls_curation")),
    path("", include("projects.api_urls_projects")),
    path("", include("projects.api_urls_dashboard")),
    path("", include("projects.api_urls_indicators")),
    path("", include("projects.api_urls_signals")),
]

# JSON for unknown addresses under /api/, the site's page elsewhere.
handler404 = "stakeholders.api.not_found"

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("api/v1/", include(api_v1)),
    path("", views.home, name="home"),
    path("", include("stakeholders.urls")),
    path("", include("projects.urls")),
    path("", include("projects.urls_conversation")),
    path("", include("projects.urls_matching")),
    path("", include("projects.urls_curation")),
    path("", include("projects.urls_projects")),
    path("", include("projects.urls_dashboard")),
    path("", include("projects.urls_indicators")),
    path("", include("projects.urls_signals")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += [
        path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}),
    ]

if settings.BENCHMARK_ENDPOINTS:
    urlpatterns += [path("bench/bare/", views.bench_bare, name="bench-bare")]
