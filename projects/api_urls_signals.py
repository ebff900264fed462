from rest_framework.routers import SimpleRouter

from . import api_signals as api

router = SimpleRouter()
router.register("signals", api.SignalViewSet, basename="api-signal")

urlpatterns = [*router.urls]
