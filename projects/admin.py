from django.contrib import admin

from .models import Sector


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["slug", "name", "position"]
    ordering = ["position"]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # The taxonomy is fixed and seeded by a data migration.
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
