from __future__ import annotations

from rest_framework import generics, permissions

from .models import User
from .serializers import MeSerializer


class MeView(generics.RetrieveUpdateAPIView):
    """The signed-in person's own profile."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "put", "head", "options"]

    def get_object(self) -> User:
        return self.request.user  # type: ignore[return-value]
