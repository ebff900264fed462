from __future__ import annotations

from rest_framework import serializers

from .models import User


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "email", "display_name", "kind", "district", "date_joined"]
        read_only_fields = ["id", "email", "date_joined"]
